"""The reading (contract: "Reading a message") end to end through the API, on the one send path.

Times: the policy is America/New_York; 2026-11-30 is a Monday. The send path takes
`now` from django.utils.timezone.now, which these tests pin with `at_time` (tests/messaging/conftest.py).
"""

from __future__ import annotations

import copy
from datetime import timedelta

import pytest

from audit.models import AuditEvent, BoundaryException
from messaging.models import CrisisAlert, Message
from messaging.services.release import release_held_messages
from policies.reader import read
from tests.conftest import GOOD_RULES, api_for, onboard_client, publish_policy, sign_consent
from tests.messaging.send_api_helpers import MON_10, SAT_23, post

pytestmark = pytest.mark.django_db


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
