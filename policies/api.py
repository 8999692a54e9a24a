"""Policy endpoints of REST API v1.

Checks run in the contract's order: 401 (authentication classes), 403 (role permission),
404 (every lookup starts from request.user), 400 (serializers and PolicyInvalid, which
portal/api/errors.py answers as {"rules": {dotted.path: [message]}}).
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from portal import roles
from portal.api.permissions import IsTherapist, IsTherapistOrClient
from portal.errors import NotFound

from . import services
from .models import PolicyVersion
from .selectors import current_version
from .serializers import DraftOut, EvaluateIn, EvaluateOut, RulesIn, VersionOut
from .simulate import simulate
from .text import policy_text, sha256

TAGS = ["policies"]
E401 = OpenApiResponse(description="Missing or bad token.")
E403 = OpenApiResponse(description="Your role may not call this endpoint.")
E404 = OpenApiResponse(description="No such version of yours (another therapist's version is 404 too).")


def version_body(v: PolicyVersion) -> dict:
    """The answer of GET, publish and current. A draft answers the text (and its hash) that
    publishing it now would freeze, so the API and the editor's preview show the same thing."""
    text, digest = v.text, v.content_sha256
    if not v.is_frozen:
        text = policy_text(v.rules, therapist_name=v.therapist.full_name)
        digest = sha256(text)
    return {
        "id": v.pk,
        "version": v.version,
        "status": v.status,
        "rules": v.rules,
        "content_sha256": digest,
        "text": text,
    }


def own_version(request, pk: int) -> PolicyVersion:
    v = PolicyVersion.objects.select_related("therapist").filter(pk=pk, therapist=request.user).first()
    if v is None:
        raise NotFound("No such policy version.")
    return v


class PoliciesView(APIView):
    permission_classes = [IsTherapist]

    @extend_schema(
        tags=TAGS,
        request=RulesIn,
        summary="Create the draft, or replace the open one",
        description="At most one draft: while one is open, this replaces its rules (same id and number). "
        'Invalid rules are 400 `{"rules": {"dotted.path": ["message"]}}` and nothing is saved.',
        responses={
            201: DraftOut,
            400: OpenApiResponse(description="Malformed body or invalid rules."),
            401: E401,
            403: E403,
        },
    )
    def post(self, request):
        ser = RulesIn(data=request.data)
        ser.is_valid(raise_exception=True)
        draft = services.policy_draft_save(therapist=request.user, rules=ser.validated_data["rules"])
        return Response(
            DraftOut(
                {"id": draft.pk, "version": draft.version, "status": draft.status, "rules": draft.rules}
            ).data,
            status=status.HTTP_201_CREATED,
        )


class PolicyView(APIView):
    permission_classes = [IsTherapist]

    @extend_schema(
        tags=TAGS,
        summary="One of your versions",
        description="Answered as publish answers. For a draft, `text` and `content_sha256` are the text "
        "publishing it now would freeze and that text's hash.",
        responses={200: VersionOut, 401: E401, 403: E403, 404: E404},
    )
    def get(self, request, pk: int):
        return Response(VersionOut(version_body(own_version(request, pk))).data)


class PublishView(APIView):
    permission_classes = [IsTherapist]

    @extend_schema(
        tags=TAGS,
        request=None,
        summary="Publish your draft",
        description="Freezes the draft's rules, text and SHA-256, supersedes the previously published version "
        "and asks every client with an active consent to re-consent.",
        responses={
            200: VersionOut,
            401: E401,
            403: E403,
            404: E404,
            409: OpenApiResponse(description="The version is not a draft (already published or superseded)."),
        },
    )
    def post(self, request, pk: int):
        v = services.policy_publish(version=own_version(request, pk), actor=request.user)
        return Response(VersionOut(version_body(v)).data)


class CurrentView(APIView):
    permission_classes = [IsTherapistOrClient]

    @extend_schema(
        tags=TAGS,
        summary="The published version (the one a client signs)",
        description="A therapist gets their own; a client gets their therapist's.",
        responses={
            200: VersionOut,
            401: E401,
            403: E403,
            404: OpenApiResponse(description="Nothing is published yet."),
        },
    )
    def get(self, request):
        therapist_id = request.user.therapist_id if roles.is_client(request.user) else request.user.pk
        v = current_version(therapist_id)
        if v is None:
            raise NotFound("No published policy yet.")
        return Response(VersionOut(version_body(v)).data)


class EvaluateView(APIView):
    permission_classes = [IsTherapist]

    @extend_schema(
        tags=TAGS,
        request=EvaluateIn,
        summary="The simulator: decide a contact against this version",
        description="Decides version {id} as if it were the current published version and the client had "
        "consented to it on every channel, whatever its status. With `client_id`, that client's "
        "history counts (messages in the category over the 168 hours before `at`, and the last "
        "crisis). Nothing is stored.",
        responses={
            200: EvaluateOut,
            400: OpenApiResponse(description="Malformed input, the field named."),
            401: E401,
            403: E403,
            404: OpenApiResponse(description="No such version or client of yours."),
        },
    )
    def post(self, request, pk: int):
        version = own_version(request, pk)
        ser = EvaluateIn(data=request.data)
        ser.is_valid(raise_exception=True)
        return Response(simulate(version=version, **ser.validated_data).as_dict())
