"""Every outcome and reason code end to end through the API, on the one send path.

Times: the policy is America/New_York; 2026-11-30 is a Monday. The send path takes
`now` from django.utils.timezone.now, which these tests pin with `at_time`."""

from __future__ import annotations

import copy
import re
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from audit.models import AuditEvent, BoundaryException
from messaging.models import CallBooking, CrisisAlert, Message
from messaging.services.release import release_held_messages
from messaging.services.send import message_send
from policies.reader import read
from portal.crypto import decrypt
from portal.models import OutboxItem
from tests.conftest import GOOD_RULES, api_for, onboard_client, publish_policy, sign_consent

pytestmark = pytest.mark.django_db
UTC = UTC
MON_10 = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)
SAT_23 = datetime(2026, 11, 29, 4, 0, tzinfo=UTC)
THU_1230 = datetime(2026, 12, 3, 17, 30, tzinfo=UTC)


@pytest.fixture
def at_time(monkeypatch):
    def pin(when):
        monkeypatch.setattr(timezone, "now", lambda: when)

    return pin


def post(user, thread, **body):
    body.setdefault("channel", "portal")
    body.setdefault("body", "Hello")
    return api_for(user).post(f"/api/v1/threads/{thread.pk}/messages", body, format="json")


def test_delivered_in_hours(consented_client, thread, at_time):
    at_time(MON_10)
    r = post(consented_client, thread, category="administrative", body="Receipt please")
    assert r.status_code == 201
    assert r.json() == {
        "id": r.json()["id"],
        "status": "delivered",
        "deliver_at": None,
        "decision": {
            "outcome": "delivered",
            "reasons": [],
            "reading": read("Receipt please").as_dict(for_client=True),
        },
    }


def test_held_outside_hours_is_hidden_from_the_recipient_and_cancellable(
    consented_client, thread, therapist, at_time
):
    at_time(SAT_23)
    r = post(consented_client, thread, category="administrative", body="Billing question")
    assert r.status_code == 201 and r.json()["status"] == "held"
    assert r.json()["deliver_at"] == "2026-11-30T14:00:00Z"
    assert r.json()["decision"]["auto_reply"] == GOOD_RULES["after_hours_reply"]
    mid = r.json()["id"]
    assert mid not in [
        m["id"] for m in api_for(therapist).get(f"/api/v1/threads/{thread.pk}/messages").json()
    ]
    assert mid in [
        m["id"] for m in api_for(consented_client).get(f"/api/v1/threads/{thread.pk}/messages").json()
    ]
    assert api_for(therapist).post(f"/api/v1/threads/{thread.pk}/messages/{mid}/cancel").status_code == 404
    assert (
        api_for(consented_client).post(f"/api/v1/threads/{thread.pk}/messages/{mid}/cancel").status_code
        == 200
    )
    assert (
        api_for(consented_client).post(f"/api/v1/threads/{thread.pk}/messages/{mid}/cancel").status_code
        == 409
    )


def test_auto_reply_is_posted_at_most_once_per_15_minutes(consented_client, thread, at_time):
    at_time(SAT_23)
    for _ in range(3):
        post(consented_client, thread, category="administrative")
    at_time(SAT_23 + timedelta(minutes=16))
    post(consented_client, thread, category="administrative")
    assert Message.objects.filter(thread=thread, kind="auto_reply").count() == 2


def test_release_delivers_held_messages_and_records_each(
    consented_client, thread, therapist, at_time, django_capture_on_commit_callbacks
):
    at_time(SAT_23)
    held = post(consented_client, thread, category="administrative").json()["id"]
    assert release_held_messages(now=SAT_23 + timedelta(hours=1)) == 0  # not due yet
    with django_capture_on_commit_callbacks(execute=True):
        assert release_held_messages(now=MON_10) == 1
    m = Message.objects.get(pk=held)
    assert m.status == "delivered" and m.delivered_at == MON_10
    assert AuditEvent.objects.filter(action="contact.released", object_id=held).count() == 1
    assert (
        OutboxItem.objects.filter(
            task="contact.released", payload__message_id=held, done_at__isnull=False
        ).count()
        == 1
    )
    assert therapist.notifications.filter(kind="message").count() == 1
    assert release_held_messages(now=MON_10) == 0  # idempotent


def test_release_cancels_when_consent_was_revoked_meanwhile(consented_client, thread, at_time):
    from consent.services import consent_revoke

    at_time(SAT_23)
    held = post(consented_client, thread, category="administrative").json()["id"]
    consent_revoke(consent=thread.consent, client=consented_client, reason="changed my mind")
    # The revocation itself cancels what was held (CONTRACT "Consent"); the release finds nothing.
    m = Message.objects.get(pk=held)
    assert (m.status, m.reasons) == ("cancelled", ["consent_revoked"])
    assert BoundaryException.objects.filter(kind="consent_revoked", client=consented_client).exists()
    assert release_held_messages(now=MON_10) == 0
    assert Message.objects.get(pk=held).status == "cancelled"


def test_escalated_crisis_without_consent_raises_an_alert(therapist, published_policy, at_time):
    client, thread = onboard_client(therapist)
    at_time(SAT_23)
    r = post(client, thread, category="personal", body="I don't want to live anymore")
    assert r.status_code == 201 and r.json()["status"] == "escalated"
    assert r.json()["decision"]["reasons"] == ["crisis_detected"]
    assert r.json()["decision"]["crisis_resources"] == GOOD_RULES["crisis_resources"]
    alert = CrisisAlert.objects.get()
    assert alert.due_at == SAT_23 + timedelta(minutes=15)
    assert BoundaryException.objects.filter(kind="crisis").count() == 1


@pytest.mark.parametrize(
    "category,channel,code",
    [
        ("personal", "portal", "never_allowed"),
        ("administrative", "social_media", "never_allowed"),
        ("administrative", "sms", "channel_not_allowed"),
        ("check_in", "portal", "outside_hours"),
    ],
)
def test_blocked_is_422_recorded_and_visible_only_to_the_sender(
    consented_client, thread, therapist, at_time, category, channel, code
):
    at_time(SAT_23)
    r = post(consented_client, thread, category=category, channel=channel)
    assert r.status_code == 422 and r.json()["status"] == "blocked"
    assert code in r.json()["decision"]["reasons"]
    assert BoundaryException.objects.filter(message_id=r.json()["id"], kind="blocked").exists()
    assert r.json()["id"] not in [
        m["id"] for m in api_for(therapist).get(f"/api/v1/threads/{thread.pk}/messages").json()
    ]


def test_channel_the_client_did_not_opt_into(therapist, published_policy, at_time):
    client, thread = onboard_client(therapist)
    sign_consent(client, channels=("portal",))
    at_time(MON_10)
    r = post(client, thread, category="administrative", channel="email")
    assert r.status_code == 422 and r.json()["decision"]["reasons"] == ["channel_not_allowed"]


def test_no_consent_revoked_and_superseded_after_grace(therapist, published_policy, at_time):
    from consent.services import consent_revoke

    client, thread = onboard_client(therapist)
    at_time(MON_10)
    assert post(client, thread, category="administrative").json()["decision"]["reasons"] == ["no_consent"]
    consent = sign_consent(client)
    consent_revoke(consent=consent, client=client, reason="x")
    assert post(client, thread, category="administrative").json()["decision"]["reasons"] == [
        "consent_revoked"
    ]
    assert post(therapist, thread, category="administrative").json()["decision"]["reasons"] == [
        "consent_revoked"
    ]


def test_grace_period_then_superseded(consented_client, thread, therapist, at_time):
    publish_policy(therapist, dict(GOOD_RULES, reconsent_grace_days=3))
    published = thread.consent.grace_until - timedelta(days=3)
    at_time(published + timedelta(days=2))
    # In grace: the old version's rules still decide (an admin question in hours on a weekday?)
    r = post(consented_client, thread, category="emergency", body="please call")
    assert r.status_code == 201
    at_time(published + timedelta(days=3, seconds=1))
    r = post(consented_client, thread, category="emergency", body="please call")
    assert r.status_code == 422 and r.json()["decision"]["reasons"] == ["consent_superseded"]
    crisis = post(consented_client, thread, category="emergency", body="I want to end my life")
    assert crisis.status_code == 201 and crisis.json()["status"] == "escalated"


def test_rate_limit_is_for_clients_and_counts_the_rolling_week(consented_client, thread, therapist, at_time):
    at_time(THU_1230)
    assert post(consented_client, thread, category="check_in").status_code == 201
    assert post(consented_client, thread, category="check_in").status_code == 201
    r = post(consented_client, thread, category="check_in")
    assert r.status_code == 422 and r.json()["decision"]["reasons"] == ["rate_limited"]
    assert post(therapist, thread, category="check_in").status_code == 201
    at_time(THU_1230 + timedelta(days=7, minutes=1))
    assert post(consented_client, thread, category="check_in").status_code == 201


def test_crisis_pause_blocks_listed_categories_for_24_hours(consented_client, thread, at_time):
    at_time(THU_1230 - timedelta(hours=2))
    post(consented_client, thread, category="administrative", body="I have been cutting myself again")
    at_time(THU_1230)
    r = post(consented_client, thread, category="check_in")
    assert r.status_code == 422 and r.json()["decision"]["reasons"] == ["paused_after_crisis"]
    assert r.json()["decision"]["crisis_resources"]


def test_therapist_override_is_an_exception_with_its_reason(consented_client, thread, therapist, at_time):
    at_time(SAT_23)
    r = post(therapist, thread, category="administrative", override_reason="Insurance deadline tomorrow")
    assert r.status_code == 201 and r.json()["status"] == "delivered_with_exception"
    assert r.json()["decision"]["reasons"] == ["outside_hours", "override"]
    assert BoundaryException.objects.get(message_id=r.json()["id"]).kind == "override"
    client_try = post(consented_client, thread, category="check_in", override_reason="please")
    assert client_try.status_code == 422


def test_care_ended_blocks_both_ways_until_reopened(consented_client, thread, therapist, at_time):
    at_time(MON_10)
    api = api_for(therapist)
    assert (
        api.post(
            f"/api/v1/threads/{thread.pk}/end-care", {"note": "Referral: Dr B. Crisis: 988."}, format="json"
        ).status_code
        == 200
    )
    assert post(consented_client, thread, category="administrative").json()["decision"]["reasons"] == [
        "care_ended"
    ]
    assert post(therapist, thread, category="administrative").json()["decision"]["reasons"] == ["care_ended"]
    assert api_for(consented_client).get("/api/v1/threads").json()[0]["care_ended"] is True
    assert any(
        m["body"].startswith("Referral")
        for m in api_for(consented_client).get(f"/api/v1/threads/{thread.pk}/messages").json()
    )
    assert api.post(f"/api/v1/threads/{thread.pk}/reopen").status_code == 200
    assert post(consented_client, thread, category="administrative").status_code == 201
    assert (
        api_for(consented_client)
        .post(f"/api/v1/threads/{thread.pk}/end-care", {"note": "x"}, format="json")
        .status_code
        == 403
    )


def test_calls_book_fit_windows_and_conflict(consented_client, thread, therapist, at_time):
    at_time(MON_10 - timedelta(days=3))
    api = api_for(consented_client)
    url = f"/api/v1/threads/{thread.pk}/calls"
    ok = api.post(url, {"start": "2026-11-30T15:30:00Z", "minutes": 15, "channel": "phone"}, format="json")
    assert (
        ok.status_code == 201
        and ok.json()["status"] == "booked"
        and ok.json()["start"] == "2026-11-30T15:30:00Z"
    )
    clash = api.post(url, {"start": "2026-11-30T15:40:00Z", "minutes": 10, "channel": "phone"}, format="json")
    assert clash.status_code == 409
    late = api.post(url, {"start": "2026-11-30T16:50:00Z", "minutes": 15, "channel": "phone"}, format="json")
    assert late.status_code == 422 and late.json()["decision"]["reasons"] == ["outside_hours"]
    long = api.post(url, {"start": "2026-12-02T15:00:00Z", "minutes": 30, "channel": "phone"}, format="json")
    assert long.status_code == 422 and long.json()["decision"]["reasons"] == ["too_long"]
    naive = api.post(url, {"start": "2026-11-30T10:30:00", "minutes": 15, "channel": "phone"}, format="json")
    assert naive.status_code == 400 and "start" in naive.json()
    assert CallBooking.objects.count() == 1


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

    from messaging.services.send import _lock_thread, _sent_since

    now = timezone.now()
    week_ago = now - timedelta(hours=168)

    def add(status, *, category="check_in", role="client", at=now - timedelta(hours=1)):
        Message.objects.create(
            thread=thread,
            sender=consented_client if role == "client" else therapist,
            sender_role=role,
            kind="message",
            category=category,
            channel="portal",
            body="x",
            status=status,
            created_at=at,
        )

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


# --- the reading (contract: "Reading a message") ---------------------------------------------
# `reads_as` makes the reader answer a given reading for one exact text: these tests are about
# what the send does with a reading (tests/policies has the reader's vocabulary, both ways).

CRISIS_TEXT = "I want to kill myself tonight"


@pytest.fixture
def reads_as(monkeypatch):
    import messaging.services.send
    import policies.engine
    from policies import reader

    real = reader.read
    table: dict = {}

    def fake(text):
        return table[text] if text in table else real(text)

    monkeypatch.setattr(messaging.services.send, "read", fake)
    monkeypatch.setattr(policies.engine, "read", fake)

    def add(text, **fields):
        table[text] = reader.Reading(**fields)
        return text

    return add


def test_a_crisis_without_a_category_escalates_and_is_stored_as_an_emergency(
    consented_client, thread, therapist, at_time
):
    at_time(SAT_23)
    r = api_for(consented_client).post(
        f"/api/v1/threads/{thread.pk}/messages", {"body": CRISIS_TEXT}, format="json"
    )
    assert r.status_code == 201 and r.json()["status"] == "escalated"
    assert r.json()["decision"]["reading"]["crisis"] is True
    assert r.json()["decision"]["reading"]["crisis_kind"] is None  # a client's answer
    m = Message.objects.get(pk=r.json()["id"])
    assert (m.category, m.channel) == ("emergency", "portal")
    assert CrisisAlert.objects.filter(message=m).exists()
    # The kind is health data: never in the audit event, nor in the exception.
    event = AuditEvent.objects.get(action="contact.decided", object_id=m.pk)
    crisis_kind = read(CRISIS_TEXT).crisis_kind
    assert crisis_kind is not None
    assert crisis_kind not in event.data and "crisis_kind" not in event.data
    assert BoundaryException.objects.get(message_id=m.pk).reasons == ["crisis_detected"]


def test_a_therapist_answer_carries_the_crisis_kind(consented_client, thread, therapist, at_time):
    at_time(MON_10)
    r = post(therapist, thread, category="administrative", body=CRISIS_TEXT)
    assert r.status_code == 201 and r.json()["status"] == "delivered"
    assert r.json()["decision"]["reading"]["crisis_kind"] == read(CRISIS_TEXT).crisis_kind is not None


def test_without_a_category_a_send_is_decided_and_stored_under_the_reading(
    consented_client, thread, at_time, reads_as
):
    at_time(SAT_23)
    invoice = reads_as("Where is my invoice for November", category="administrative", language="en")
    r = api_for(consented_client).post(
        f"/api/v1/threads/{thread.pk}/messages", {"body": invoice}, format="json"
    )
    assert r.status_code == 201 and r.json()["status"] == "held"
    assert r.json()["deliver_at"] == "2026-11-30T14:00:00Z"
    m = Message.objects.get(pk=r.json()["id"])
    assert (m.category, m.channel, m.status) == ("administrative", "portal", "held")
    assert (
        '"category":"administrative"' in AuditEvent.objects.get(action="contact.decided", object_id=m.pk).data
    )


def test_nothing_to_read_and_no_category_is_400_and_stores_nothing(consented_client, thread, at_time):
    at_time(MON_10)
    assert read("xq zv").category is None
    before = (Message.objects.count(), AuditEvent.objects.count())
    r = api_for(consented_client).post(
        f"/api/v1/threads/{thread.pk}/messages", {"body": "xq zv", "category": None}, format="json"
    )
    assert r.status_code == 400 and "Say what this is about" in str(r.json()["category"])
    assert (Message.objects.count(), AuditEvent.objects.count()) == before


def test_personal_content_is_422_whatever_the_label_override_or_not(
    consented_client, thread, therapist, at_time, reads_as
):
    at_time(MON_10)
    ask = reads_as("Add me on Instagram so we can hang out", personal=True, language="en")
    for user, body in (
        (consented_client, {"category": "emergency"}),
        (consented_client, {}),
        (therapist, {"category": "administrative", "override_reason": "She asked"}),
    ):
        r = api_for(user).post(f"/api/v1/threads/{thread.pk}/messages", dict(body, body=ask), format="json")
        assert r.status_code == 422, body
        assert r.json()["decision"]["reasons"] == ["never_allowed", "personal_content"]
        assert r.json()["decision"]["reading"]["personal"] is True
        m = Message.objects.get(pk=r.json()["id"])
        assert m.status == "blocked" and m.category == body.get("category", "personal")
        assert BoundaryException.objects.get(message_id=m.pk).kind == "blocked"


def test_an_emergency_that_reads_as_billing_is_delivered_and_recorded_as_a_mismatch(
    therapist, at_time, reads_as
):
    rules = copy.deepcopy(GOOD_RULES)
    rules["categories"]["emergency"]["windows"] = [
        {"days": ["mon", "tue", "wed", "thu", "fri"], "start": "09:00", "end": "17:00"}
    ]
    publish_policy(therapist, rules)
    client, thread = onboard_client(therapist)
    sign_consent(client)
    invoice = reads_as("Can you resend the invoice", category="administrative", language="en")
    at_time(SAT_23)
    r = post(client, thread, category="emergency", body=invoice)
    assert r.status_code == 201 and r.json()["status"] == "delivered"
    assert r.json()["decision"]["reasons"] == ["outside_hours", "emergency_mismatch"]
    m = Message.objects.get(pk=r.json()["id"])
    kinds = sorted(BoundaryException.objects.filter(message_id=m.pk).values_list("kind", flat=True))
    assert kinds == ["after_hours", "emergency_mismatch"]
    # Each exception is on an event of its own, on this message; neither names the body.
    events = AuditEvent.objects.filter(object_id=m.pk, action__in=["contact.decided", "contact.exception"])
    assert events.count() == 2 and not any(invoice in e.data for e in events)
    # In hours: the mismatch alone. A therapist's emergency is never a mismatch.
    at_time(MON_10)
    r = post(client, thread, category="emergency", body=invoice)
    assert (r.json()["status"], r.json()["decision"]["reasons"]) == ("delivered", ["emergency_mismatch"])
    assert BoundaryException.objects.get(message_id=r.json()["id"]).kind == "emergency_mismatch"
    r = post(therapist, thread, category="emergency", body=invoice)
    assert r.json()["decision"]["reasons"] == []
    assert not BoundaryException.objects.filter(message_id=r.json()["id"]).exists()


def test_the_admin_can_filter_emergency_mismatches(
    admin, therapist, consented_client, thread, at_time, reads_as
):
    invoice = reads_as("Can you resend the invoice", category="administrative", language="en")
    at_time(MON_10)
    mid = post(consented_client, thread, category="emergency", body=invoice).json()["id"]
    rows = api_for(admin).get("/api/v1/audit/exceptions?kind=emergency_mismatch").json()
    assert [(row["kind"], row["reasons"]) for row in rows] == [("emergency_mismatch", ["emergency_mismatch"])]
    assert BoundaryException.objects.get(pk=rows[0]["id"]).message_id == mid


def test_calls_and_logged_contacts_answer_an_empty_reading(consented_client, thread, therapist, at_time):
    empty = {"crisis": False, "crisis_kind": None, "personal": False, "category": None, "language": None}
    at_time(MON_10)
    r = api_for(therapist).post(
        f"/api/v1/threads/{thread.pk}/contacts",
        {"category": "emergency", "channel": "phone", "at": "2026-11-29T04:00:00Z", "note": CRISIS_TEXT},
        format="json",
    )
    assert r.status_code == 201 and r.json()["decision"]["reading"] == empty
    at_time(MON_10 - timedelta(days=3))
    r = api_for(consented_client).post(
        f"/api/v1/threads/{thread.pk}/calls",
        {"start": "2026-11-30T15:30:00Z", "minutes": 15, "channel": "phone"},
        format="json",
    )
    assert r.status_code == 201 and r.json()["decision"]["reading"] == empty


def test_release_reads_the_body_again(
    consented_client, thread, therapist, at_time, reads_as, django_capture_on_commit_callbacks
):
    at_time(SAT_23)
    ok = post(consented_client, thread, category="administrative", body="Billing question").json()["id"]
    later_personal = post(
        consented_client, thread, category="administrative", body="Coffee sometime?"
    ).json()["id"]
    later_crisis = post(
        consented_client, thread, category="administrative", body="I am done with all of it"
    ).json()["id"]
    assert Message.objects.filter(pk__in=[ok, later_personal, later_crisis], status="held").count() == 3
    # The reader learns more before Monday: the release reads by today's vocabulary.
    reads_as("Coffee sometime?", personal=True, language="en")
    reads_as("I am done with all of it", crisis=True, crisis_kind="suicidal_thoughts", language="en")
    with django_capture_on_commit_callbacks(execute=True):
        assert release_held_messages(now=MON_10) == 3
    assert Message.objects.get(pk=ok).status == "delivered"
    cancelled = Message.objects.get(pk=later_personal)
    assert (cancelled.status, cancelled.reasons) == ("cancelled", ["never_allowed", "personal_content"])
    assert BoundaryException.objects.get(message_id=later_personal).kind == "blocked"
    crisis = Message.objects.get(pk=later_crisis)
    assert (crisis.status, crisis.reasons) == ("delivered", ["crisis_detected"])
    assert CrisisAlert.objects.filter(message=crisis, therapist=therapist).exists()
    assert BoundaryException.objects.get(message_id=later_crisis).kind == "crisis"
