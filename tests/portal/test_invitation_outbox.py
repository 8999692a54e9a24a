"""Invitation e-mails go through the outbox: the row commits with the invitation (the link's
token sealed in it, never in the clear nor a task argument), the worker sends the e-mail, and
a failing SMTP server leaves the row pending for the relay to retry."""

from __future__ import annotations

import json

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import transaction

from portal import outbox
from portal.models import Invitation, OutboxItem, TherapistInvitation, hash_token
from portal.onboarding import (
    INVITATION_EMAIL,
    THERAPIST_INVITATION_EMAIL,
    invitation_create,
    invitation_link,
    invitation_resend,
    therapist_invitation_create,
    therapist_invitation_link,
)

pytestmark = pytest.mark.django_db


def rows(task: str) -> list[OutboxItem]:
    return list(OutboxItem.objects.filter(task=task).order_by("id"))


def refuse(self, messages):
    raise ConnectionRefusedError("smtp down")


def test_the_outbox_row_commits_with_the_invitation_and_never_holds_the_token(therapist):
    inv, token = invitation_create(therapist=therapist, email="Sam@Example.test", full_name="Sam Client")
    (row,) = rows(INVITATION_EMAIL)
    assert row.payload["invitation_id"] == inv.pk and row.done_at is None
    assert token not in json.dumps(row.payload)  # sealed: the token is not stored in the clear
    assert not mail.outbox  # not sent in the request: the worker sends it


def test_a_rolled_back_invitation_leaves_no_outbox_row(therapist):
    with pytest.raises(RuntimeError), transaction.atomic():
        invitation_create(therapist=therapist, email="sam@example.test", full_name="Sam Client")
        raise RuntimeError("the request failed after the invitation")
    assert not Invitation.objects.exists() and not rows(INVITATION_EMAIL)


def test_the_worker_sends_the_link_and_wipes_the_sealed_token(therapist):
    inv, token = invitation_create(therapist=therapist, email="sam@example.test", full_name="Sam Client")
    (row,) = rows(INVITATION_EMAIL)
    assert outbox.run_many([row.pk]) == 1
    (message,) = mail.outbox
    assert message.to == ["sam@example.test"] and invitation_link(token) in message.body
    assert message.subject == "Your invitation to a secure portal"  # reveals no therapy
    row.refresh_from_db()
    assert row.done_at is not None and row.payload == {"invitation_id": inv.pk}
    assert outbox.run_many([row.pk]) == 0 and len(mail.outbox) == 1  # delivered twice: sent once


def test_a_failing_smtp_server_is_retried_and_the_link_still_works(therapist, monkeypatch):
    inv, token = invitation_create(therapist=therapist, email="sam@example.test", full_name="Sam Client")
    (row,) = rows(INVITATION_EMAIL)
    with monkeypatch.context() as m:
        m.setattr(EmailBackend, "send_messages", refuse)
        assert outbox.run_many([row.pk]) == 0
    row.refresh_from_db()
    assert row.done_at is None and row.last_error == "ConnectionRefusedError"
    assert "sealed_token" in row.payload  # kept for the retry
    assert outbox.pending_ids() == [row.pk]  # the relay publishes it again
    assert outbox.relay() == 1  # eager in tests: the retry runs now
    (message,) = mail.outbox
    assert invitation_link(token) in message.body
    inv.refresh_from_db()
    assert inv.token_hash == hash_token(token) and inv.status == "pending"


def test_a_resend_replaces_the_link_that_was_not_sent_yet(therapist):
    inv, old = invitation_create(therapist=therapist, email="sam@example.test", full_name="Sam Client")
    new = invitation_resend(invitation=inv, therapist=therapist)
    first, second = rows(INVITATION_EMAIL)
    assert outbox.run_many([first.pk, second.pk]) == 2
    (message,) = mail.outbox  # the old link is dead: only the new one goes out
    assert invitation_link(new) in message.body and invitation_link(old) not in message.body


def test_an_invitation_accepted_before_its_email_went_sends_nothing(therapist):
    from portal.onboarding import invitation_accept
    from tests.factories import PASSWORD

    _inv, token = invitation_create(therapist=therapist, email="sam@example.test", full_name="Sam Client")
    invitation_accept(token=token, password=PASSWORD)
    (row,) = rows(INVITATION_EMAIL)
    assert outbox.run_many([row.pk]) == 1
    assert not mail.outbox


def test_a_therapist_invitation_goes_through_the_outbox_too(admin, monkeypatch):
    inv, token = therapist_invitation_create(
        admin=admin, email="jordan@alpha.test", full_name="Dr Jordan Lee", timezone="UTC"
    )
    (row,) = rows(THERAPIST_INVITATION_EMAIL)
    assert row.payload["invitation_id"] == inv.pk and token not in json.dumps(row.payload)
    with monkeypatch.context() as m:
        m.setattr(EmailBackend, "send_messages", refuse)
        assert outbox.run_many([row.pk]) == 0
    assert outbox.run_many([row.pk]) == 1
    (message,) = mail.outbox
    assert therapist_invitation_link(token) in message.body and "Alpha Practice" in message.body
    assert message.subject == "Your invitation to a secure portal"
    assert TherapistInvitation.objects.get().status == "pending"


def test_a_link_sealed_with_a_retired_key_is_not_retried_for_ever(therapist, caplog):
    invitation_create(therapist=therapist, email="sam@example.test", full_name="Sam Client")
    (row,) = rows(INVITATION_EMAIL)
    row.payload = {**row.payload, "sealed_token": "gAAAAAB-not-a-token-of-these-keys"}
    row.save(update_fields=["payload"])
    assert outbox.run_many([row.pk]) == 1
    assert not mail.outbox
    row.refresh_from_db()
    assert row.done_at is not None and "sealed_token" not in row.payload
    assert "cannot be unsealed" in caplog.text and "gAAAA" not in caplog.text
