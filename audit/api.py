"""Audit endpoints of REST API v1 (practice admins only, scoped to their practice)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, OpenApiTypes, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.api.fields import IdField, UtcDateTimeField, utc_iso
from portal.api.permissions import IsPracticeAdmin
from portal.api.serializers import StrictSerializer

from . import chain, services
from .models import BoundaryException
from .selectors import MAX_LIMIT, exceptions_for


class ExceptionQuery(serializers.Serializer):
    kind = serializers.ChoiceField(choices=BoundaryException.Kind.values, required=False)
    therapist = IdField(required=False)
    client = IdField(required=False)
    since = UtcDateTimeField(required=False)
    until = UtcDateTimeField(required=False)
    reviewed = serializers.BooleanField(required=False, allow_null=True, default=None)
    limit = serializers.IntegerField(required=False, min_value=1, max_value=MAX_LIMIT, default=100)
    before = IdField(required=False)


class ExceptionOut(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    therapist_id = serializers.IntegerField()
    client_id = serializers.IntegerField(allow_null=True)
    at = UtcDateTimeField()
    reasons = serializers.ListField(child=serializers.CharField())
    reviewed = serializers.BooleanField()


class ReviewIn(StrictSerializer):
    note = serializers.CharField(max_length=4000)


class VerifyOut(serializers.Serializer):
    ok = serializers.BooleanField()
    events = serializers.IntegerField()
    first_broken = serializers.IntegerField(allow_null=True)


def exception_row(e) -> dict:
    return {"id": e.pk, "kind": e.kind, "therapist_id": e.therapist_id, "client_id": e.client_id,
            "at": utc_iso(e.at), "reasons": e.reasons, "reviewed": e.reviewed}


class ExceptionsView(APIView):
    permission_classes = [IsPracticeAdmin]

    @extend_schema(parameters=[ExceptionQuery], responses={200: ExceptionOut(many=True)})
    def get(self, request):
        q = ExceptionQuery(data=request.query_params)
        q.is_valid(raise_exception=True)
        d = dict(q.validated_data)
        limit = d.pop("limit")
        qs = exceptions_for(request.user.practice_id, **d).only(
            "id", "kind", "therapist_id", "client_id", "at", "reasons", "reviewed")[:limit]
        return Response([exception_row(e) for e in qs])


class ReviewView(APIView):
    permission_classes = [IsPracticeAdmin]

    @extend_schema(request=ReviewIn, responses={200: ExceptionOut})
    def post(self, request, pk: int):
        if not BoundaryException.objects.filter(pk=pk, practice_id=request.user.practice_id).exists():
            from portal.errors import NotFound

            raise NotFound("No such exception.")
        ser = ReviewIn(data=request.data)
        ser.is_valid(raise_exception=True)
        e = services.exception_review(admin=request.user, exception_id=pk, note=ser.validated_data["note"])
        return Response(exception_row(e))


class VerifyView(APIView):
    permission_classes = [IsPracticeAdmin]

    @extend_schema(responses={200: VerifyOut})
    def get(self, request):
        return Response(chain.verify(request.user.practice_id).as_dict())
