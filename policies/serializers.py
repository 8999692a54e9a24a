"""Request and answer shapes of the policy endpoints (REST API v1)."""

from django.conf import settings
from rest_framework import serializers

from portal.api.fields import UtcDateTimeField
from portal.api.serializers import StrictSerializer

from .reader import CRISIS_KINDS, LANGUAGES, READ_CATEGORIES
from .vocabulary import CATEGORIES, CHANNELS, DECISION_OUTCOMES


class RulesIn(StrictSerializer):
    rules = serializers.JSONField(
        help_text="The rules document (see the contract); validated as a whole, "
        "errors keyed by dotted field path under `rules`."
    )


class DraftOut(serializers.Serializer):
    id = serializers.IntegerField()
    version = serializers.IntegerField()
    status = serializers.CharField()
    rules = serializers.JSONField(
        help_text="The rules as stored: normalised (defaults filled in, days and "
        "channels in canonical order)."
    )


class VersionOut(DraftOut):
    content_sha256 = serializers.CharField(
        help_text="SHA-256 (hex) of `text`. For a draft: of the text publishing it now would freeze."
    )
    text = serializers.CharField(
        help_text="The canonical client-facing text. For a draft: the text publishing it now would freeze "
        "(it may still change until then)."
    )


class EvaluateIn(StrictSerializer):
    at = UtcDateTimeField(help_text="When the contact is made: ISO 8601 with an offset or Z.")
    sender = serializers.ChoiceField(choices=["client", "therapist"])
    category = serializers.ChoiceField(choices=CATEGORIES)
    channel = serializers.ChoiceField(choices=CHANNELS)
    body = serializers.CharField(
        trim_whitespace=False,
        help_text="The message text, read as a send reads it "
        "(crisis language, personal content). Not stored.",
    )
    override_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        allow_null=True,
        max_length=2000,
        help_text="A therapist's reason to pass rules 4-6; ignored for a client.",
    )
    # Bounded to the id column's range: a larger number is not an id (and SQLite cannot even compare it).
    client_id = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=2**63 - 1,
        help_text="One of your clients: their rate-limit count and last crisis "
        "count. Another therapist's client is 404.",
    )

    def validate_body(self, value: str) -> str:
        if not value.strip():
            raise serializers.ValidationError("This field may not be blank.")
        limit = settings.PORTAL_MESSAGE_MAX_CHARS
        if len(value) > limit:
            raise serializers.ValidationError(f"Ensure this field has no more than {limit} characters.")
        return value


class ReadingOut(serializers.Serializer):
    """What the portal's reader found in the body (contract: "Reading a message")."""

    crisis = serializers.BooleanField(help_text="Crisis language from the writer about themselves.")
    crisis_kind = serializers.ChoiceField(
        choices=CRISIS_KINDS,
        allow_null=True,
        help_text="Null unless `crisis`; always null in a client's answers.",
    )
    personal = serializers.BooleanField(help_text="Asks for a relationship outside therapy.")
    category = serializers.ChoiceField(
        choices=READ_CATEGORIES,
        allow_null=True,
        help_text="What the text reads as; null when the reader cannot tell.",
    )
    language = serializers.ChoiceField(choices=LANGUAGES, allow_null=True)


class EvaluateOut(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=DECISION_OUTCOMES)
    reasons = serializers.ListField(child=serializers.CharField())
    deliver_at = UtcDateTimeField(
        allow_null=True, help_text="When a held contact would be delivered; else null."
    )
    crisis_resources = serializers.CharField(required=False)
    auto_reply = serializers.CharField(required=False)
    reading = ReadingOut(help_text="The reading the decision was made on.")
