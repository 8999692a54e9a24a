"""POST /api/v1/threads/{id}/preview: the decision a send would get now, by the same loading and
the same function, with nothing stored or audited (the compose box asks it while the sender types).

Times: the policy is America/New_York; 2026-11-30 is a Monday. `now` is pinned with `at_time`.
Where a test needs the reader to say something its vocabulary may phrase differently (personal
content, a category), `reads_as` makes the reader answer that for one exact text: those tests are
about what the decision does with a reading, not about the vocabulary (tests/policies has those)."""

from __future__ import annotations

import copy
from datetime import UTC, datetime

import pytest
from django.utils import timezone

from audit.models import AuditEvent, BoundaryException
from messaging.models import CrisisAlert, Message, Thread
from policies import reader
from portal.models import OutboxItem
from tests.conftest import GOOD_RULES, api_for, onboard_client, publish_policy, sign_consent

pytestmark = pytest.mark.django_db
UTC = UTC
MON_10 = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)
SAT_23 = datetime(2026, 11, 29, 4, 0, tzinfo=UTC)
THU_1230 = datetime(2026, 12, 3, 17, 30, tzinfo=UTC)
CRISIS = "I want to kill myself tonight"
NOTHING_TO_READ = "xq zv"  # reads as no category, neither crisis nor personal


@pytest.fixture
def at_time(monkeypatch):
    def pin(when):
        monkeypatch.setattr(timezone, "now", lambda: when)

    return pin


@pytest.fixture
def reads_as(monkeypatch):
    """Make the reader read one exact text as given (every other text as the reader reads it)."""
    import messaging.services.send
    import policies.engine

    real = reader.read
    table: dict[str, reader.Reading] = {}

    def fake(text):
        return table[text] if text in table else real(text)

    monkeypatch.setattr(messaging.services.send, "read", fake)
    monkeypatch.setattr(policies.engine, "read", fake)

    def add(text, **fields):
        table[text] = reader.Reading(**fields)
        return text

    return add


def preview(user, thread, **body):
    return api_for(user).post(f"/api/v1/threads/{thread.pk}/preview", body, format="json")


def send(user, thread, **body):
    return api_for(user).post(f"/api/v1/threads/{thread.pk}/messages", body, format="json")


def counts(thread) -> dict:
    t = Thread.objects.get(pk=thread.pk)
    return {
        "messages": Message.objects.count(),
        "events": AuditEvent.objects.count(),
        "exceptions": BoundaryException.objects.count(),
        "alerts": CrisisAlert.objects.count(),
        "outbox": OutboxItem.objects.count(),
        "last_crisis_at": t.last_crisis_at,
        "last_auto_reply_at": t.last_auto_reply_at,
    }


def test_it_answers_the_saturday_night_hold_flat_and_stores_nothing(consented_client, thread, at_time):
    at_time(SAT_23)
    before = counts(thread)
    r = preview(consented_client, thread, body="A question about my invoice", category="administrative")
    assert r.status_code == 200
    assert r.json() == {
        "outcome": "held",
        "reasons": ["outside_hours"],
        "deliver_at": "2026-11-30T14:00:00Z",
        "auto_reply": GOOD_RULES["after_hours_reply"],
        "reading": reader.read("A question about my invoice").as_dict(for_client=True),
    }
    # No message, event, exception, alert, crisis pause, auto-reply or outbox row.
    assert counts(thread) == before


def test_it_is_the_decision_the_send_then_gets(consented_client, therapist, thread, at_time):
    cases = [
        (consented_client, SAT_23, {"category": "administrative", "body": "Billing question"}),
        (consented_client, MON_10, {"category": "check_in", "body": "Checking in"}),
        (consented_client, SAT_23, {"category": "emergency", "body": "Please call me"}),
        (
            therapist,
            SAT_23,
            {"category": "administrative", "body": "Your receipt", "override_reason": "asked"},
        ),
        (therapist, MON_10, {"category": "administrative", "channel": "sms", "body": "Your receipt"}),
    ]
    for user, when, body in cases:
        at_time(when)
        seen = preview(user, thread, **body)
        assert seen.status_code == 200
        sent = send(user, thread, **body).json()
        expected = dict(sent["decision"], deliver_at=sent["deliver_at"])
        assert seen.json() == expected, body


def test_channel_defaults_to_the_portal(consented_client, thread, at_time):
    at_time(MON_10)
    r = preview(consented_client, thread, body="Receipt please", category="administrative")
    assert (r.json()["outcome"], r.json()["reasons"]) == ("delivered", [])
    # E-mail is allowed for administrative and the client opted into it; sms is not.
    assert preview(consented_client, thread, body="x", category="administrative", channel="sms").json()[
        "reasons"
    ] == ["channel_not_allowed"]


def test_an_unsigned_client_gets_blocked_no_consent_and_crisis_still_escalates(
    therapist, published_policy, at_time
):
    client, thread = onboard_client(therapist, email="new@example.test", full_name="New Client")
    at_time(MON_10)
    before = counts(thread)
    r = preview(client, thread, body="Can I move my appointment?", category="administrative")
    assert r.status_code == 200
    assert (r.json()["outcome"], r.json()["reasons"]) == ("blocked", ["no_consent"])
    r = preview(client, thread, body=CRISIS, category="check_in")
    assert r.status_code == 200
    assert r.json()["outcome"] == "escalated" and r.json()["reasons"] == ["crisis_detected"]
    assert r.json()["crisis_resources"] == GOOD_RULES["crisis_resources"]
    # The client never sees the kind; the crisis itself, yes.
    assert r.json()["reading"]["crisis"] is True and r.json()["reading"]["crisis_kind"] is None
    # Without any category too.
    assert preview(client, thread, body=CRISIS).json()["outcome"] == "escalated"
    assert counts(thread) == before


def test_a_previewed_crisis_starts_no_pause_and_raises_no_alert(consented_client, thread, at_time):
    at_time(THU_1230)
    assert (
        preview(consented_client, thread, body=CRISIS, category="check_in").json()["outcome"] == "escalated"
    )
    assert CrisisAlert.objects.count() == 0
    # pause_after_crisis lists check_in: a real escalation would block this for 24 hours.
    r = preview(consented_client, thread, body="Checking in", category="check_in")
    assert (r.json()["outcome"], r.json()["reasons"]) == ("delivered", [])


def test_the_therapist_sees_the_crisis_kind_and_the_client_never_does(
    consented_client, therapist, thread, at_time
):
    at_time(MON_10)
    kind = reader.read(CRISIS).crisis_kind
    assert kind is not None
    mine = preview(therapist, thread, body=CRISIS, category="administrative").json()
    assert mine["reading"]["crisis"] is True and mine["reading"]["crisis_kind"] == kind
    assert mine["outcome"] == "delivered"  # rule 1 escalates a client's words only
    theirs = preview(consented_client, thread, body=CRISIS, category="administrative").json()
    assert theirs["reading"]["crisis"] is True and theirs["reading"]["crisis_kind"] is None


def test_previews_take_no_rate_limit_count_but_see_the_sends_that_do(consented_client, thread, at_time):
    at_time(THU_1230)
    for _ in range(5):
        assert (
            preview(consented_client, thread, body="Checking in", category="check_in").json()["outcome"]
            == "delivered"
        )
    for _ in range(2):  # max_per_week is 2
        assert (
            send(consented_client, thread, body="Checking in", category="check_in").json()["status"]
            == "delivered"
        )
    r = preview(consented_client, thread, body="Checking in", category="check_in")
    assert (r.json()["outcome"], r.json()["reasons"]) == ("blocked", ["rate_limited"])


def test_a_send_with_nothing_to_read_and_no_category_is_400_there_and_here(
    consented_client, therapist, thread, at_time
):
    at_time(MON_10)
    assert reader.read(NOTHING_TO_READ).category is None
    before = counts(thread)
    for user in (consented_client, therapist):
        for door in (preview, send):
            for body in ({"body": NOTHING_TO_READ}, {"body": NOTHING_TO_READ, "category": None}):
                r = door(user, thread, **body)
                assert r.status_code == 400, (door.__name__, body)
                assert "category" in r.json()
                assert "Say what this is about" in str(r.json()["category"])
    assert counts(thread) == before


@pytest.mark.parametrize(
    "body, field",
    [
        ({"category": "administrative"}, "body"),
        ({"category": "administrative", "body": "   "}, "body"),
        ({"category": "administrative", "body": "x" * 5001}, "body"),
        ({"category": "billing", "body": "x"}, "category"),
        ({"category": "administrative", "channel": "pigeon", "body": "x"}, "channel"),
        ({"category": "administrative", "channel": None, "body": "x"}, "channel"),
        ({"category": "administrative", "body": ["x"]}, "body"),
    ],
)
def test_it_is_400_wherever_the_send_is(consented_client, thread, at_time, body, field):
    at_time(MON_10)
    before = counts(thread)
    for door in (preview, send):
        r = door(consented_client, thread, **body)
        assert r.status_code == 400, door.__name__
        assert field in r.json(), r.json()
    assert counts(thread) == before


def test_someone_elses_thread_is_404_whatever_the_body(consented_client, other_client, admin, at_time):
    at_time(MON_10)
    thread = consented_client.thread
    assert preview(other_client, thread, body="Hello", category="administrative").status_code == 404
    assert preview(other_client, thread, body="", category="nope").status_code == 404
    assert preview(admin, thread, body="Hello", category="administrative").status_code == 403
    assert api_for().post(f"/api/v1/threads/{thread.pk}/preview", {}, format="json").status_code == 401


def test_personal_content_is_blocked_whatever_the_label_from_either_side(
    consented_client, therapist, thread, at_time, reads_as
):
    at_time(MON_10)
    ask = reads_as("Can we be friends on Instagram?", personal=True, category=None, language="en")
    for user, body in (
        (consented_client, {"category": "emergency"}),
        (consented_client, {}),
        (therapist, {"category": "administrative", "override_reason": "a reason"}),
    ):
        r = preview(user, thread, body=ask, **body)
        assert r.status_code == 200
        assert (r.json()["outcome"], r.json()["reasons"]) == (
            "blocked",
            ["never_allowed", "personal_content"],
        )
        assert r.json()["reading"]["personal"] is True


def test_without_a_category_it_is_decided_under_the_reading(consented_client, thread, at_time, reads_as):
    at_time(SAT_23)
    invoice = reads_as("Where is my invoice", category="administrative", language="en")
    r = preview(consented_client, thread, body=invoice)
    assert r.status_code == 200
    assert (r.json()["outcome"], r.json()["deliver_at"]) == ("held", "2026-11-30T14:00:00Z")
    assert r.json()["reading"]["category"] == "administrative"


def test_an_emergency_that_reads_as_billing_is_still_an_emergency(
    consented_client, therapist, thread, at_time, reads_as
):
    at_time(SAT_23)
    invoice = reads_as("Where is my invoice", category="administrative", language="en")
    before = counts(thread)
    r = preview(consented_client, thread, body=invoice, category="emergency")
    assert (r.json()["outcome"], r.json()["reasons"]) == ("delivered", ["emergency_mismatch"])
    assert r.json()["crisis_resources"] == GOOD_RULES["crisis_resources"]
    assert counts(thread) == before
    # Never for a therapist.
    r = preview(therapist, thread, body=invoice, category="emergency")
    assert "emergency_mismatch" not in r.json()["reasons"]


def test_a_superseded_consent_in_its_grace_period_is_decided_under_its_own_version(
    therapist, consented_client, thread, at_time
):
    rules = copy.deepcopy(GOOD_RULES)
    rules["categories"]["administrative"]["windows"] = []  # the new version is always open
    at_time(SAT_23)
    publish_policy(therapist, rules)
    # The old version still governs (grace): held, as the send would be.
    r = preview(consented_client, thread, body="Billing question", category="administrative")
    assert r.json()["outcome"] == "held"
    assert (
        send(consented_client, thread, body="Billing question", category="administrative").json()["status"]
        == "held"
    )
    sign_consent(consented_client)
    assert (
        preview(consented_client, thread, body="Billing question", category="administrative").json()[
            "outcome"
        ]
        == "delivered"
    )


def test_the_schema_documents_it(api):
    schema = api().get("/api/v1/schema", HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    text = schema.content.decode()
    assert "/api/v1/threads/{id}/preview" in text
    assert "PreviewOut" in text and "crisis_kind" in text
