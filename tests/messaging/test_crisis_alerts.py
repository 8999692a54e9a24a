"""Crisis alerts: the therapist acknowledges; unacknowledged past due, or raised while the
therapist is away, they go to the practice admin too (a sweep over due rows)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from messaging.models import CrisisAlert
from messaging.services.alerts import crisis_alert_acknowledge, sweep_crisis_alerts
from messaging.services.reminders import send_call_reminders
from messaging.services.send import message_send
from portal.models import Notification
from tests.conftest import GOOD_RULES, publish_policy

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)


def crisis(client, thread, now=NOW):
    return message_send(
        sender=client,
        thread=thread,
        category="check_in",
        channel="portal",
        body="I keep thinking about killing myself",
        now=now,
    )


def test_unacknowledged_alert_goes_to_the_admin_after_15_minutes(
    consented_client, thread, admin, django_capture_on_commit_callbacks
):
    crisis(consented_client, thread)
    assert sweep_crisis_alerts(now=NOW + timedelta(minutes=14)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep_crisis_alerts(now=NOW + timedelta(minutes=15)) == 1
    assert CrisisAlert.objects.get().escalated_at is not None
    assert Notification.objects.filter(user=admin, kind="crisis").count() == 1
    assert sweep_crisis_alerts(now=NOW + timedelta(hours=1)) == 0


def test_acknowledged_alert_stays_with_the_therapist(consented_client, thread, therapist, admin):
    crisis(consented_client, thread)
    crisis_alert_acknowledge(therapist=therapist, alert=CrisisAlert.objects.get())
    assert sweep_crisis_alerts(now=NOW + timedelta(hours=1)) == 0
    assert not Notification.objects.filter(user=admin).exists()


def test_alert_raised_while_the_therapist_is_away_is_due_at_once(therapist, consented_client, thread):
    publish_policy(
        therapist,
        dict(
            GOOD_RULES,
            away=[{"start": "2026-11-29", "end": "2026-12-02", "reply": "Away"}],
            reconsent_grace_days=30,
        ),
    )
    crisis(consented_client, thread)
    assert CrisisAlert.objects.get().due_at == NOW
    assert sweep_crisis_alerts(now=NOW) == 1


def test_another_therapist_cannot_acknowledge(consented_client, thread, colleague):
    from portal.errors import NotFound

    crisis(consented_client, thread)
    with pytest.raises(NotFound):
        crisis_alert_acknowledge(therapist=colleague, alert=CrisisAlert.objects.get())


def test_confirmed_calls_get_one_reminder_each_side(
    consented_client, thread, therapist, django_capture_on_commit_callbacks
):
    from messaging.services.calls import call_confirm, call_request

    result = call_request(
        sender=consented_client,
        thread=thread,
        start=datetime(2026, 12, 2, 15, 0, tzinfo=UTC),
        minutes=15,
        channel="phone",
        now=NOW,
    )
    assert result.call is not None
    call_confirm(therapist=therapist, call=result.call)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_call_reminders(now=datetime(2026, 12, 1, 16, 0, tzinfo=UTC)) == 1
    assert send_call_reminders(now=datetime(2026, 12, 1, 17, 0, tzinfo=UTC)) == 0
    assert Notification.objects.filter(kind="call", text__startswith="Reminder").count() == 2
