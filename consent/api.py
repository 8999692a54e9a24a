"""Invitation and consent endpoints of REST API v1 (the client's record export is
messaging.api.ExportView)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiTypes, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from portal import onboarding
from portal.api.fields import utc_iso
from portal.api.permissions import IsClient, IsTherapist
from portal.errors import NotFound
from portal.security import client_ip

from . import services
from .fhir import consent_resource
from .models import Consent
from .selectors import consents_visible_to
from .serializers import (
    AcceptIn,
    AcceptOut,
    ConsentIn,
    ConsentOut,
    InvitationIn,
    InvitationOut,
    RevokeIn,
    RevokeOut,
)


class InvitationsView(APIView):
    permission_classes = [IsTherapist]

    @extend_schema(request=InvitationIn, responses={201: InvitationOut})
    def post(self, request):
        ser = InvitationIn(data=request.data)
        ser.is_valid(raise_exception=True)
        inv, token = onboarding.invitation_create(therapist=request.user, **ser.validated_data)
        return Response(
            {"id": inv.pk, "token": token, "expires_at": utc_iso(inv.expires_at)},
            status=status.HTTP_201_CREATED,
        )


class AcceptView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(request=AcceptIn, responses={201: AcceptOut})
    def post(self, request, token: str):
        inv = onboarding.invitation_by_token(token)  # 404 unknown
        onboarding.check_invitation_usable(inv)  # 410 used or expired
        ser = AcceptIn(data=request.data)
        ser.is_valid(raise_exception=True)
        client, thread, key = onboarding.invitation_accept(
            token=token, password=ser.validated_data["password"]
        )
        return Response(
            {"client_id": client.pk, "thread_id": thread.pk, "token": key}, status=status.HTTP_201_CREATED
        )


class ConsentsView(APIView):
    permission_classes = [IsClient]

    @extend_schema(request=ConsentIn, responses={201: ConsentOut})
    def post(self, request):
        ser = ConsentIn(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        c = services.consent_sign(
            client=request.user,
            policy_version_id=d["policy_version_id"],
            content_sha256=d["content_sha256"],
            signature=d["signature"],
            channels=d["channels"],
            acknowledged=d["acknowledged"],
            ip_address=client_ip(request),
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
        )
        return Response(
            {"id": c.pk, "status": c.status, "signed_at": utc_iso(c.signed_at)},
            status=status.HTTP_201_CREATED,
        )


class RevokeView(APIView):
    permission_classes = [IsClient]

    @extend_schema(request=RevokeIn, responses={200: RevokeOut})
    def post(self, request, pk: int):
        consent = Consent.objects.filter(pk=pk, client=request.user).first()
        if consent is None:
            raise NotFound("No such consent.")
        ser = RevokeIn(data=request.data)
        ser.is_valid(raise_exception=True)
        c = services.consent_revoke(consent=consent, client=request.user, reason=ser.validated_data["reason"])
        return Response({"id": c.pk, "status": c.status})


class FhirView(APIView):
    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request, pk: int):
        consent = consents_visible_to(request.user).filter(pk=pk).first()
        if consent is None:
            raise NotFound("No such consent.")
        return Response(consent_resource(consent))
