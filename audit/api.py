"""Audit endpoints of REST API v1 (practice admins only, scoped to their practice)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.api.fields import IdField, UtcDateTimeField, utc_iso
from portal.api.permissions import IsPracticeAdmin
from portal.api.serializers import StrictSerializer

from . import checkpoints, services
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
    events = serializers.IntegerField(help_text="The chain's length.")
    first_broken = serializers.IntegerField(allow_null=True)
    verified_from_seq = serializers.IntegerField(
        help_text="The position of the signed checkpoint the recomputation started from (0: the first event). "
        "The checkpoint's own event was checked to still have its hash, its signature to be valid "
        "under the portal's key; every event after it was recomputed."
    )
    latest_checkpoint_ok = serializers.BooleanField(
        allow_null=True,
        help_text="Whether the practice's latest signed checkpoint still holds (null: none "
        "signed yet); false means the history up to it was rewritten or cut.",
    )


def exception_row(e) -> dict:
    return {
        "id": e.pk,
        "kind": e.kind,
        "therapist_id": e.therapist_id,
        "client_id": e.client_id,
        "at": utc_iso(e.at),
        "reasons": e.reasons,
        "reviewed": e.reviewed,
    }


class ExceptionsView(APIView):
    permission_classes = [IsPracticeAdmin]

    @extend_schema(parameters=[ExceptionQuery], responses={200: ExceptionOut(many=True)})
    def get(self, request):
        q = ExceptionQuery(data=request.query_params)
        q.is_valid(raise_exception=True)
        d = dict(q.validated_data)
        limit = d.pop("limit")
        qs = exceptions_for(request.user.practice_id, **d).only(
            "id", "kind", "therapist_id", "client_id", "at", "reasons", "reviewed"
        )[:limit]
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


class CheckpointOut(serializers.Serializer):
    practice_id = serializers.IntegerField()
    seq = serializers.IntegerField(help_text="The chain position signed (0: the empty chain).")
    hash = serializers.CharField(help_text="The hash of the event at `seq`, lowercase hex.")
    signed_at = serializers.CharField(help_text="ISO 8601 UTC time with Z.")
    signature = serializers.CharField(
        help_text="Standard base64 of the Ed25519 signature of the canonical JSON "
        "(sorted keys, no spaces) of practice_id, seq, hash, signed_at."
    )
    public_key = serializers.CharField(help_text="Standard base64 of the raw Ed25519 public key.")


@extend_schema_field(CheckpointOut)
class CheckpointClaimField(serializers.Field):
    """A checkpoint as GET /audit/checkpoint answers it; malformed (a missing field, bad base64) is 400."""

    def to_internal_value(self, data):
        try:
            return checkpoints.parse(data)
        except checkpoints.CheckpointMalformed as exc:
            if set(exc.errors) == {"checkpoint"}:  # not an object at all
                raise serializers.ValidationError(exc.errors["checkpoint"]) from None
            raise serializers.ValidationError(exc.errors) from None

    def to_representation(self, value):  # pragma: no cover - input only
        return value


class VerifyIn(StrictSerializer):
    checkpoint = CheckpointClaimField()


class VerifyCheckpointOut(VerifyOut):
    checkpoint_ok = serializers.BooleanField()
    checkpoint_detail = serializers.CharField(help_text="Why the checkpoint holds or fails, in a sentence.")


class VerifyView(APIView):
    permission_classes = [IsPracticeAdmin]

    @extend_schema(responses={200: VerifyOut})
    def get(self, request):
        # From the latest signed checkpoint that holds; seals first and signs after (audit.checkpoints).
        return Response(checkpoints.verify_from_checkpoint(request.user.practice_id).as_dict())

    @extend_schema(request=VerifyIn, responses={200: VerifyCheckpointOut})
    def post(self, request):
        ser = VerifyIn(data=request.data)
        ser.is_valid(raise_exception=True)
        result, check = checkpoints.check(request.user.practice_id, ser.validated_data["checkpoint"])
        return Response({**result.as_dict(), "checkpoint_ok": check.ok, "checkpoint_detail": check.detail})


class CheckpointView(APIView):
    permission_classes = [IsPracticeAdmin]

    @extend_schema(
        responses={
            200: CheckpointOut,
            409: OpenApiResponse(
                description="The chain does not verify and no checkpoint was ever signed (none is signed over a break)."
            ),
        }
    )
    def get(self, request):
        return Response(checkpoints.as_dict(checkpoints.current(request.user.practice_id)))
