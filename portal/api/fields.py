from __future__ import annotations

from datetime import UTC, datetime

from rest_framework import serializers

from portal.ids import parse_id


def utc_iso(value: datetime | None) -> str | None:
    """The contract's answer format: UTC with a trailing Z."""
    if value is None:
        return None
    value = value.astimezone(UTC)
    text = value.strftime("%Y-%m-%dT%H:%M:%S")
    if value.microsecond:
        text += f".{value.microsecond:06d}"
    return text + "Z"


class UtcDateTimeField(serializers.DateTimeField):
    """Answers in UTC with Z; refuses input without an offset (400, field named)."""

    default_error_messages = {"naive": "Give the time with an offset or Z, e.g. 2026-11-30T15:00:00Z."}

    def to_internal_value(self, value):
        parsed = super().to_internal_value(value)
        if isinstance(value, str) and not (
            value.endswith(("Z", "z")) or "+" in value[10:] or "-" in value[10:]
        ):
            self.fail("naive")
        return parsed.astimezone(UTC)

    def to_representation(self, value):
        return utc_iso(value)


class IdField(serializers.IntegerField):
    """An object id in a query or body: ASCII digits only (portal.ids.parse_id); a JSON integer
    is taken as it is. DRF's IntegerField would take "٣" as 3."""

    default_error_messages = {"invalid": "Must be an id (digits 0-9)."}

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, str):
            if parse_id(data) is None:
                self.fail("invalid")
        elif isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)
