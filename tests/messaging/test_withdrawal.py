"""messaging.services.withdrawal: what a consent's withdrawal withdraws (held messages
cancelled, calls to come declined, each audited, their people told through the outbox), and
the consent_revoked receiver only calling it."""

from __future__ import annotations

import json

import pytest
from django.db import transaction

from audit.models import AuditEvent
from consent.models import Consent
from consent.services import consent_revoke
from messaging.models import CallBooking, Message
from messaging.services import withdrawal
from portal.locks import lock_consent, lock_threads
from portal.models import OutboxItem

pytestmark = pytest.mark.django_db


def test_the_service_cancels_declines_audits_and_tells(consented_client, thread, pending):
    held, call = pending
    consent = Consent.objects.get(client=consented_client, status="active")
    with transaction.atomic():
        lock_threads(client=consented_client)  # as consent_revoke has, before the signal
        lock_consent(pk=consent.pk, client=consented_client)
        assert withdrawal.pending_withdraw(consent=consent, client=consented_client) == (1, 1)
    held.refresh_from_db()
    call.refresh_from_db()
    assert held.status == Message.Status.CANCELLED and held.reasons == ["consent_revoked"]
    assert call.status == CallBooking.Status.DECLINED
    cancelled = AuditEvent.objects.get(action="contact.cancelled", object_id=held.pk)
    declined = AuditEvent.objects.get(action="call.declined", object_id=call.pk)
    assert json.loads(cancelled.data) == {"outcome": "cancelled", "by": "consent_revoked"}
    assert json.loads(declined.data) == {"by": "consent_revoked"}
    assert OutboxItem.objects.filter(task="contact.released", payload={"message_id": held.pk}).count() == 1
    assert OutboxItem.objects.filter(task="call.changed", payload={"call_id": call.pk}).count() == 1
    # Run again, nothing is left to withdraw.
    assert withdrawal.pending_withdraw(consent=consent, client=consented_client) == (0, 0)


def test_the_service_takes_keywords_only(consented_client):
    consent = Consent.objects.get(client=consented_client, status="active")
    with pytest.raises(TypeError):
        withdrawal.pending_withdraw(consent, consented_client)  # type: ignore[misc]


def test_the_revocation_runs_the_service_once_through_the_receiver(consented_client, pending, monkeypatch):
    held, call = pending
    calls = []
    real = withdrawal.pending_withdraw

    def spy(**kwargs):
        calls.append(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(withdrawal, "pending_withdraw", spy)
    consent = Consent.objects.get(client=consented_client, status="active")
    consent_revoke(consent=consent, client=consented_client, reason="Moving on")
    assert len(calls) == 1
    assert calls[0]["consent"].pk == consent.pk and calls[0]["client"] == consented_client
    held.refresh_from_db()
    assert held.status == Message.Status.CANCELLED
