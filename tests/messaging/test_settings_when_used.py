"""Settings are read when they are used, not frozen when a module is imported: a test (or a
deployment that changes them) sees its own values."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django import forms
from django.test import override_settings
from django.utils import timezone

from messaging.models import Message
from messaging.services.send import message_send

pytestmark = pytest.mark.django_db
SAT_23 = datetime(2026, 11, 29, 4, 0, tzinfo=UTC)  # Saturday 23:00 in New York: outside hours


def test_the_auto_reply_interval_is_read_when_a_message_is_sent(consented_client, thread, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: SAT_23)
    with override_settings(PORTAL_AUTO_REPLY_MINUTES=1):
        message_send(sender=consented_client, thread=thread, category="administrative", body="Billing")
        message_send(
            sender=consented_client,
            thread=thread,
            category="administrative",
            body="Billing",
            now=SAT_23 + timedelta(minutes=2),
        )
    assert Message.objects.filter(thread=thread, kind="auto_reply").count() == 2  # 15 minutes would give 1


def test_the_message_length_limit_of_the_forms_is_read_when_a_form_is_made(consented_client):
    from messaging.forms import CareEndForm, ComposeForm, ContactLogForm

    with override_settings(PORTAL_MESSAGE_MAX_CHARS=10):
        compose = ComposeForm({"body": "x" * 11}, is_therapist=False, tz=UTC)
        assert not compose.is_valid() and "body" in compose.errors
        assert compose.fields["body"].widget.attrs["maxlength"] == "10"
        assert ComposeForm({"body": "x" * 10}, is_therapist=False, tz=UTC).is_valid()
        for form, name in ((ContactLogForm, "note"), (CareEndForm, "note")):
            made = form(is_therapist=True, tz=UTC)
            field = made.fields[name]
            assert isinstance(field, forms.CharField)
            assert field.max_length == 10 and field.widget.attrs["maxlength"] == "10"
