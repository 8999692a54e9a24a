from rest_framework import serializers

from policies.serializers import EvaluateOut, ReadingOut
from policies.vocabulary import CATEGORIES, CHANNELS
from portal.api.fields import IdField, UtcDateTimeField
from portal.api.serializers import StrictSerializer

from .selectors import MESSAGES_PAGE_DEFAULT, MESSAGES_PAGE_MAX


class CategoryField(serializers.ChoiceField):
    def __init__(self, **kw):
        super().__init__(choices=CATEGORIES, **kw)


class ChannelField(serializers.ChoiceField):
    def __init__(self, **kw):
        super().__init__(choices=CHANNELS, **kw)


class MessageIn(StrictSerializer):
    category = CategoryField(
        required=False,
        allow_null=True,
        help_text="Optional: absent or null, the message is decided under what its body reads "
        "as (400 with this field when it reads as nothing).",
    )
    channel = ChannelField(required=False, default="portal")
    # no max_length here: the send service checks settings.PORTAL_MESSAGE_MAX_CHARS, read per send
    body = serializers.CharField(trim_whitespace=False)
    override_reason = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, max_length=2000
    )


class PreviewIn(MessageIn):
    """The same body as a send: the preview is the decision that send would get now."""


class CallIn(StrictSerializer):
    start = UtcDateTimeField()
    minutes = serializers.IntegerField(min_value=1, max_value=1440)
    channel = ChannelField()
    override_reason = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, max_length=2000
    )


class ContactIn(StrictSerializer):
    category = CategoryField()
    channel = ChannelField()
    at = UtcDateTimeField()
    minutes = serializers.IntegerField(min_value=1, max_value=1440, required=False, allow_null=True)
    note = serializers.CharField(trim_whitespace=False)
    override_reason = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, max_length=2000
    )


class NoteIn(StrictSerializer):
    note = serializers.CharField()


class SendDecisionOut(serializers.Serializer):
    outcome = serializers.CharField()
    reasons = serializers.ListField(child=serializers.CharField())
    crisis_resources = serializers.CharField(required=False)
    auto_reply = serializers.CharField(required=False)
    reading = ReadingOut(
        help_text="The reading the decision was made on (a client's never carries crisis_kind)."
    )


class SendOut(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    deliver_at = UtcDateTimeField(allow_null=True)
    decision = SendDecisionOut()


class PreviewOut(EvaluateOut):
    """Flat, as the simulator answers: the decision a send would get now. Nothing is stored."""


class CallOut(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    start = UtcDateTimeField()
    minutes = serializers.IntegerField()


class ThreadOut(serializers.Serializer):
    id = serializers.IntegerField()
    therapist_id = serializers.IntegerField()
    client_id = serializers.IntegerField()
    care_ended = serializers.BooleanField()
    governing_version_id = serializers.IntegerField(allow_null=True)


class MessageOut(serializers.Serializer):
    id = serializers.IntegerField()
    sender = serializers.CharField()
    category = serializers.CharField()
    channel = serializers.CharField()
    body = serializers.CharField()
    status = serializers.CharField()
    created_at = UtcDateTimeField()
    deliver_at = UtcDateTimeField(allow_null=True)


class OkOut(serializers.Serializer):
    id = serializers.IntegerField()
    care_ended = serializers.BooleanField()


class MessagesQuery(serializers.Serializer):
    """GET .../messages: `limit` (default 100, at most 1000) and `before` (a message id)."""

    limit = serializers.IntegerField(
        required=False, min_value=1, max_value=MESSAGES_PAGE_MAX, default=MESSAGES_PAGE_DEFAULT
    )
    before = IdField(required=False)
