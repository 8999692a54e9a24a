"""The send through the API, end to end on the one send path: a logged contact, malformed input,
encryption at rest, scoping, one decision with one event and one outbox row, the statements a
send takes and the weekly count. Every outcome and reason code is in test_send_api_outcomes.py;
what the send does with a reading in test_send_api_reading.py.

Times: the policy is America/New_York; 2026-11-30 is a Monday. The send path takes
`now` from django.utils.timezone.now, which these tests pin with `at_time` (tests/messaging/conftest.py).
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from messaging.models import Message
from messaging.services.send import message_send
from portal.crypto import decrypt
from portal.models import OutboxItem
from tests.conftest import api_for
from tests.messaging.send_api_helpers import MON_10, THU_1230, past_message, post

pytestmark = pytest.mark.django_db


def test_logged_contact_is_decided_as_if_made_at_its_time(consented_client, thread, therapist, at_time):
    at_time(MON_10)
    api = api_for(therapist)
    url = f"/api/v1/threads/{thread.pk}/contacts"
    night = {
        "category": "emergency",
        "channel": "phone",
        "at": "2026-11-29T04:00:00Z",
        "minutes": 20,
        "note": "Crisis call, safety plan reviewed.",
    }
    r = api.post(url, night, format="json")
    assert r.status_code == 201 and r.json()["decision"]["crisis_resources"]
    blocked = api.post(url, dict(night, category="personal"), format="json")
    assert (
        blocked.status_code == 422
        and Message.objects.filter(pk=blocked.json()["id"], status="blocked").exists()
    )
    assert api_for(consented_client).post(url, night, format="json").status_code == 403


@pytest.mark.parametrize(
    "body,field",
    [
        ({"category": "gossip", "channel": "portal", "body": "x"}, "category"),
        ({"category": "administrative", "channel": "fax", "body": "x"}, "channel"),
        ({"category": "administrative", "channel": "portal", "body": ""}, "body"),
        ({"category": "administrative", "channel": "portal", "body": "x" * 5001}, "body"),
        ({"category": "administrative", "channel": "portal"}, "body"),
    ],
)
def test_malformed_messages_are_400_and_store_nothing(consented_client, thread, body, field):
    before = Message.objects.count()
    r = api_for(consented_client).post(f"/api/v1/threads/{thread.pk}/messages", body, format="json")
    assert r.status_code == 400 and field in r.json()
    assert Message.objects.count() == before


def test_unparseable_json_is_400(consented_client, thread):
    r = api_for(consented_client).post(
        f"/api/v1/threads/{thread.pk}/messages", "{not json", content_type="application/json"
    )
    assert r.status_code == 400


def test_unicode_is_kept_intact_and_encrypted_at_rest(consented_client, thread, at_time):
    from django.db import connection

    at_time(MON_10)
    text = "Zoë — « ça va ? » 😊 日本語 <script>alert(1)</script>"
    mid = post(consented_client, thread, category="administrative", body=text).json()["id"]
    assert Message.objects.get(pk=mid).body == text
    with connection.cursor() as cur:
        cur.execute("SELECT body FROM messaging_message WHERE id = %s", [mid])
        stored = cur.fetchone()[0]
    # Fragments that no base64 ciphertext can hold by chance (non-ASCII, punctuation, spaces).
    for fragment in ("Zoë", "ça va", "😊", "日本語", "<script>"):
        assert fragment not in stored
    assert stored != text and decrypt(stored) == text


def test_scoping_other_therapist_client_and_practice_get_404(
    consented_client, thread, other_therapist, colleague, other_client
):
    for outsider in (other_therapist, colleague, other_client):
        assert api_for(outsider).get(f"/api/v1/threads/{thread.pk}/messages").status_code in (404, 403)
        assert api_for(outsider).post(
            f"/api/v1/threads/{thread.pk}/messages",
            {"category": "administrative", "channel": "portal", "body": "x"},
            format="json",
        ).status_code in (404, 403)
    assert api_for(colleague).get(f"/api/v1/threads/{thread.pk}/messages").status_code == 404


def test_401_before_anything(thread):
    assert api_for().get(f"/api/v1/threads/{thread.pk}/messages").status_code == 401
    assert api_for().get("/api/v1/threads").status_code == 401


def test_one_decision_one_event_one_outbox_row_per_send(consented_client, thread, at_time):
    at_time(MON_10)
    before = (
        Message.objects.count(),
        AuditEvent.objects.filter(action="contact.decided").count(),
        OutboxItem.objects.filter(task="contact.decided").count(),
    )
    mid = post(consented_client, thread, category="administrative").json()["id"]
    after = (
        Message.objects.count(),
        AuditEvent.objects.filter(action="contact.decided").count(),
        OutboxItem.objects.filter(task="contact.decided").count(),
    )
    assert tuple(a - b for a, b in zip(after, before, strict=True)) == (1, 1, 1)
    event = AuditEvent.objects.get(action="contact.decided", object_id=mid)
    assert "Hello" not in event.data


_CONTROL = ("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK")


def test_a_typical_send_takes_at_most_five_statements(consented_client, thread, therapist, at_time):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    at_time(THU_1230)
    message_send(sender=consented_client, thread=thread, category="check_in", channel="portal", body="warm")
    for sender, category in ((consented_client, "check_in"), (therapist, "administrative")):
        with CaptureQueriesContext(connection) as ctx:
            result = message_send(
                sender=sender, thread=thread, category=category, channel="portal", body="Hi"
            )
        assert result.decision.outcome == "delivered"
        statements = [q["sql"] for q in ctx.captured_queries if not q["sql"].upper().startswith(_CONTROL)]
        # The contract allows six; the send takes five, each its own round trip: the thread and
        # its consent in one locked read (portal.locks.lock_thread_and_consent), the week's count
        # (only where a limit applies), then the message, its outbox row and its audit event.
        # On PostgreSQL those three rows are one statement (messaging.send_sql): three in all.
        counted = category == "check_in"
        pg = connection.vendor == "postgresql"
        assert len(statements) == ((3 if counted else 2) if pg else (5 if counted else 4)), statements
        if pg:
            assert 'INNER JOIN "policies_consent"' in statements[0], statements[0]
            assert statements[0].endswith('FOR NO KEY UPDATE OF "messaging_thread", "policies_consent"'), (
                statements[0]
            )
            assert statements[-1].startswith('WITH m AS (INSERT INTO "messaging_message"'), statements[-1]
        if counted:
            assert statements[1].startswith("SELECT COUNT(*)") and "LIMIT" in statements[1], statements[1]
        inserts = re.findall(r'INSERT INTO "(\w+)"', " ".join(statements))
        assert inserts == ["messaging_message", "portal_outboxitem", "audit_auditevent"], statements
        assert not [sql for sql in statements if sql.startswith(("UPDATE", "DELETE"))], statements


def test_a_send_saves_its_rows_through_the_orm_with_their_signals(consented_client, thread, at_time):
    """The message, its outbox row and its audit event are saved with their signals: pre_save and
    post_save fire for each, once, with created=True, and the saved instance is the stored row.
    By the ORM a row at a time (SQLite); on PostgreSQL the three are one statement
    (messaging.send_sql), so each pre_save comes before it and each post_save after it."""
    from django.db import connection
    from django.db.models.signals import post_save, pre_save

    at_time(MON_10)
    seen: list[tuple[str, str, bool | None]] = []

    def on_pre(sender, instance, **kwargs):
        seen.append(("pre", sender.__name__, None))

    def on_post(sender, instance, created, **kwargs):
        assert instance.pk is not None
        seen.append(("post", sender.__name__, created))

    models = (Message, OutboxItem, AuditEvent)
    for model in models:
        pre_save.connect(on_pre, sender=model, weak=False)
        post_save.connect(on_post, sender=model, weak=False)
    try:
        result = message_send(
            sender=consented_client, thread=thread, category="administrative", channel="portal", body="Hello"
        )
    finally:
        for model in models:
            pre_save.disconnect(on_pre, sender=model)
            post_save.disconnect(on_post, sender=model)
    assert result.decision.outcome == "delivered"
    if connection.vendor == "postgresql":
        assert seen == [
            ("pre", "Message", None),
            ("pre", "OutboxItem", None),
            ("pre", "AuditEvent", None),
            ("post", "Message", True),
            ("post", "OutboxItem", True),
            ("post", "AuditEvent", True),
        ], seen
    else:
        assert seen == [
            ("pre", "Message", None),
            ("post", "Message", True),
            ("pre", "OutboxItem", None),
            ("post", "OutboxItem", True),
            ("pre", "AuditEvent", None),
            ("post", "AuditEvent", True),
        ], seen
    assert OutboxItem.objects.get(task="contact.decided", payload__message_id=result.message.pk)
    assert AuditEvent.objects.get(action="contact.decided", object_id=result.message.pk)
    assert not result.message._state.adding and Message.objects.get(pk=result.message.pk).body == "Hello"


def test_the_weekly_count_takes_only_the_clients_counted_sends_of_that_category(
    consented_client, thread, therapist
):
    from django.db import transaction

    from messaging.selectors import sent_since as _sent_since
    from messaging.services.send import _lock_thread

    now = timezone.now()
    week_ago = now - timedelta(hours=168)

    def add(status, *, category="check_in", role="client", at=now - timedelta(hours=1)):
        sender = consented_client if role == "client" else therapist
        past_message(thread, sender=sender, role=role, status=status, category=category, at=at).save()

    for status in ("delivered", "held", "delivered_with_exception"):
        add(status)  # these three count
    add("blocked")
    add("cancelled")
    add("delivered", category="administrative")
    add("delivered", role="therapist")
    add("delivered", at=week_ago)  # exactly a week ago: outside the rolling window
    add("delivered", at=week_ago - timedelta(days=1))
    with transaction.atomic():
        locked = _lock_thread(thread.pk)
        assert locked is not None and locked.consent is not None
        assert _sent_since(thread.pk, "check_in", week_ago, 1000) == 3
        # Counting stops at the limit: the decision needs only to know it is reached.
        assert _sent_since(thread.pk, "check_in", week_ago, 2) == 2
        assert (locked.pk, locked.client_id, locked.therapist_id, locked.practice_id) == (
            thread.pk,
            thread.client_id,
            thread.therapist_id,
            thread.practice_id,
        )
        consent = thread.consent
        assert (
            locked.consent.pk,
            locked.consent.status,
            locked.consent.channels,
            locked.consent.policy_version_id,
        ) == (consent.pk, consent.status, consent.channels, consent.policy_version_id)
        assert locked.care_ended is False and locked.last_crisis_at is None
        assert _lock_thread(thread.pk + 999) is None
