"""The worker's chunks of outbox rows: handled together, each row still done exactly once,
and one bad row never holds up the others."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

from messaging.services.send import message_send
from portal import outbox
from portal.models import Notification, OutboxItem

pytestmark = pytest.mark.django_db


def stored_sends(client, thread, n: int, body: str = "Please call me about the forms") -> list[int]:
    """n sends whose outbox rows are written but not yet run, as under a real broker. The
    rows the fixtures left (the client's invitation e-mail, accepted since: nothing is
    sent) are carried out first, so only these sends are pending."""
    outbox.run_many(outbox.pending_ids())
    assert outbox.pending_ids() == []
    with override_settings(PORTAL_OUTBOX_DISPATCH_ON_COMMIT=False):
        for i in range(n):
            message_send(
                sender=client, thread=thread, category="emergency", channel="portal", body=f"{body} {i}"
            )
    return list(
        OutboxItem.objects.filter(task="contact.decided", done_at=None)
        .order_by("id")
        .values_list("id", flat=True)
    )


def test_a_chunk_is_done_once_with_a_few_queries_whatever_its_size(consented_client, thread, therapist):
    ids = stored_sends(consented_client, thread, 30)
    assert len(ids) == 30
    with CaptureQueriesContext(connection) as ctx:
        assert outbox.run_many(ids) == 30
    # Lock, messages, coalescing, notices, done: not a query per row.
    assert (
        len(
            [
                q
                for q in ctx.captured_queries
                if not q["sql"].upper().startswith(("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE"))
            ]
        )
        <= 6
    )
    assert Notification.objects.filter(user=therapist, kind="message").count() == 30
    assert not OutboxItem.objects.filter(pk__in=ids, done_at=None).exists()
    # Coalesced: one e-mail for the whole chunk, and it says nothing of the messages.
    (email,) = [m for m in mail.outbox if therapist.email in m.to]
    assert "forms" not in email.body and "forms" not in email.subject
    # Run again (a task delivered twice): nothing more happens.
    assert outbox.run_many(ids) == 0
    assert Notification.objects.filter(user=therapist).count() == 30
    assert len(mail.outbox) == 1


def test_a_bad_row_falls_back_to_one_at_a_time_and_the_others_are_done(consented_client, thread, therapist):
    ids = stored_sends(consented_client, thread, 3)
    poison = OutboxItem.objects.create(task="contact.decided", payload={"wrong": 1})
    # The batch rolls back; then each row runs on its own, the bad one first.
    assert outbox.run_many([poison.pk, *ids]) == 3
    assert OutboxItem.objects.filter(pk__in=ids, done_at=None).count() == 0
    assert Notification.objects.filter(user=therapist, kind="message").count() == 3
    poison.refresh_from_db()
    assert poison.done_at is None and poison.last_error == "KeyError"  # left for the relay, with its error


def test_crisis_rows_in_a_chunk_each_email_the_therapist(consented_client, thread, therapist):
    with override_settings(PORTAL_OUTBOX_DISPATCH_ON_COMMIT=False):
        for _ in range(2):
            message_send(
                sender=consented_client,
                thread=thread,
                category="check_in",
                channel="portal",
                body="I want to kill myself tonight",
            )
    ids = list(OutboxItem.objects.filter(task="contact.decided", done_at=None).values_list("id", flat=True))
    assert outbox.run_many(ids) == 2
    crisis = [m for m in mail.outbox if therapist.email in m.to]
    assert len(crisis) == 2  # never coalesced
    assert Notification.objects.filter(user=therapist, kind="crisis").count() == 2


def test_the_relay_marks_a_chunk_dispatched_before_publishing_it(consented_client, thread, monkeypatch):
    """The worker may take the chunk at once: its rows must not still be locked by the
    relay's UPDATE, or SKIP LOCKED would pass them over until the re-dispatch."""
    from portal import tasks

    ids = stored_sends(consented_client, thread, 3)
    seen = []

    def publish(args, retry):
        (chunk,) = args
        seen.append(
            list(OutboxItem.objects.filter(pk__in=chunk).values_list("dispatched_at", "dispatch_count"))
        )

    monkeypatch.setattr(tasks.run_outbox_items, "apply_async", publish)
    assert outbox.relay() == 3
    assert len(seen) == 1 and all(at is not None and count == 1 for at, count in seen[0])
    assert outbox.pending_ids() == []  # not published again until the re-dispatch delay
    assert set(OutboxItem.objects.filter(pk__in=ids).values_list("done_at", flat=True)) == {None}


def test_a_chunk_the_broker_refuses_is_pending_again(consented_client, thread, monkeypatch):
    from portal import tasks

    ids = stored_sends(consented_client, thread, 2)

    def refuse(args, retry):
        raise ConnectionError("broker down")

    monkeypatch.setattr(tasks.run_outbox_items, "apply_async", refuse)
    assert outbox.relay() == 0
    assert outbox.pending_ids() == ids
    assert set(OutboxItem.objects.filter(pk__in=ids).values_list("dispatched_at", "last_error")) == {
        (None, "ConnectionError")
    }


@pytest.fixture
def failing_task(monkeypatch):
    """A task whose handler always raises, registered for one test only."""
    name = "test.always_fails"

    def fail(item):
        raise RuntimeError("this row's work failed")

    monkeypatch.setitem(outbox._HANDLERS, name, fail)
    return name


def test_an_email_is_not_sent_twice_when_a_later_row_of_the_batch_fails(
    consented_client, thread, therapist, failing_task
):
    """The crisis row's handler e-mails the therapist; the next row fails, the chunk rolls
    back and the crisis row reruns alone: its e-mail goes out once, after its own work."""
    with override_settings(PORTAL_OUTBOX_DISPATCH_ON_COMMIT=False):
        message_send(
            sender=consented_client,
            thread=thread,
            category="check_in",
            channel="portal",
            body="I want to kill myself tonight",
        )
    (crisis_row,) = OutboxItem.objects.filter(task="contact.decided", done_at=None)
    later = OutboxItem.objects.create(task=failing_task, payload={})
    assert outbox.run_many([crisis_row.pk, later.pk]) == 1
    assert len([m for m in mail.outbox if therapist.email in m.to]) == 1
    assert Notification.objects.filter(user=therapist, kind="crisis").count() == 1
    later.refresh_from_db()
    assert later.done_at is None and later.last_error == "RuntimeError"


def test_a_failing_smtp_server_leaves_the_row_pending_with_no_notice(
    consented_client, thread, therapist, monkeypatch
):
    """The e-mail is sent at the end of the row's work, inside its transaction: if SMTP
    refuses it, the notice rolls back too and the row is retried (nothing is lost)."""
    from django.core.mail.backends.locmem import EmailBackend

    with override_settings(PORTAL_OUTBOX_DISPATCH_ON_COMMIT=False):
        message_send(
            sender=consented_client,
            thread=thread,
            category="check_in",
            channel="portal",
            body="I want to kill myself tonight",
        )
    (row,) = OutboxItem.objects.filter(task="contact.decided", done_at=None)

    def refuse(self, messages):
        raise ConnectionRefusedError("smtp down")

    with monkeypatch.context() as m:
        m.setattr(EmailBackend, "send_messages", refuse)
        assert outbox.run_many([row.pk]) == 0
    row.refresh_from_db()
    assert row.done_at is None and row.last_error == "ConnectionRefusedError"
    assert not Notification.objects.filter(user=therapist, kind="crisis").exists()
    assert outbox.run_many([row.pk]) == 1  # the retry sends it, once
    assert len([m for m in mail.outbox if therapist.email in m.to]) == 1
    assert Notification.objects.filter(user=therapist, kind="crisis").count() == 1
