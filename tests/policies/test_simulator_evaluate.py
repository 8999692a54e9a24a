"""The simulator's API door, POST /api/v1/policies/{id}/evaluate: the version decided as if
current and consented on every channel; a client's history counted with client_id; nothing
stored (the page is test_simulator.py).

Times: the policy is America/New_York (UTC-5 in November and December); 2026-11-28 is a
Saturday and 2026-11-30 a Monday."""

from __future__ import annotations

import copy
from datetime import UTC

import pytest

from audit.models import AuditEvent, BoundaryException
from messaging.models import Message
from messaging.services.send import message_send
from policies.models import PolicyVersion
from policies.reader import read
from policies.services import policy_draft_save
from portal.models import OutboxItem
from tests.conftest import GOOD_RULES, api_for
from tests.policies.simulator_helpers import evaluate, local

pytestmark = pytest.mark.django_db
UTC = UTC

# --- POST /api/v1/policies/{id}/evaluate -------------------------------------------------------


def test_evaluate_holds_the_saturday_night_billing_message_until_monday(therapist, published_policy):
    body = evaluate(therapist, published_policy, at="2026-11-28T23:00:00-05:00")
    assert body == {
        "outcome": "held",
        "reasons": ["outside_hours"],
        "deliver_at": "2026-11-30T14:00:00Z",
        "auto_reply": GOOD_RULES["after_hours_reply"],
        "reading": read("Hello").as_dict(),
    }
    # The same instant given in UTC decides the same.
    assert evaluate(therapist, published_policy, at="2026-11-29T04:00:00Z") == body


def test_evaluate_an_emergency_carries_crisis_resources(therapist, published_policy):
    body = evaluate(therapist, published_policy, at="2026-11-28T23:00:00Z", category="emergency")
    assert body["outcome"] == "delivered" and body["deliver_at"] is None
    assert body["crisis_resources"] == GOOD_RULES["crisis_resources"]


def test_evaluate_treats_the_client_as_consented_on_every_channel(therapist, published_policy):
    # E-mail is allowed for administrative questions; no client has opted into it here.
    body = evaluate(therapist, published_policy, at="2026-11-30T15:00:00Z", channel="email")
    assert body["outcome"] == "delivered"
    body = evaluate(therapist, published_policy, at="2026-11-30T15:00:00Z", channel="sms")
    assert body == {
        "outcome": "blocked",
        "reasons": ["channel_not_allowed"],
        "deliver_at": None,
        "reading": read("Hello").as_dict(),
    }


def test_evaluate_decides_any_status_as_if_it_were_current(therapist, published_policy):
    rules = copy.deepcopy(GOOD_RULES)
    rules["categories"]["administrative"]["outside_hours"] = "block"
    draft = policy_draft_save(therapist=therapist, rules=rules)
    assert evaluate(therapist, draft, at="2026-11-29T04:00:00Z")["outcome"] == "blocked"
    api_for(therapist).post(f"/api/v1/policies/{draft.pk}/publish")
    published_policy.refresh_from_db()
    assert published_policy.status == "superseded"
    assert evaluate(therapist, published_policy, at="2026-11-29T04:00:00Z")["outcome"] == "held"


def test_evaluate_stores_nothing(therapist, published_policy, consented_client):
    before = (
        Message.objects.count(),
        AuditEvent.objects.count(),
        BoundaryException.objects.count(),
        OutboxItem.objects.count(),
        PolicyVersion.objects.count(),
    )
    evaluate(
        therapist,
        published_policy,
        at="2026-11-29T04:00:00Z",
        body="I want to die",
        client_id=consented_client.pk,
    )
    evaluate(
        therapist,
        published_policy,
        at="2026-11-29T04:00:00Z",
        sender="therapist",
        override_reason="Needed",
        client_id=consented_client.pk,
    )
    after = (
        Message.objects.count(),
        AuditEvent.objects.count(),
        BoundaryException.objects.count(),
        OutboxItem.objects.count(),
        PolicyVersion.objects.count(),
    )
    assert after == before
    consented_client.thread.refresh_from_db()
    assert consented_client.thread.last_crisis_at is None


def check_in(client, when):
    result = message_send(
        sender=client,
        thread=client.thread,
        category="check_in",
        channel="portal",
        body="A short check-in",
        now=when,
    )
    assert result.message.status == "delivered", result.message.reasons
    return result.message


def test_evaluate_with_client_id_counts_their_messages_in_the_168_hours_before_at(
    therapist, published_policy, consented_client
):
    # Two check-ins (the weekly limit): Tuesday 1 and Thursday 3 December at 12:10.
    check_in(consented_client, local(2026, 12, 1, 12, 10))
    check_in(consented_client, local(2026, 12, 3, 12, 10))
    thursday = "2026-12-03T12:40:00-05:00"
    base = {"category": "check_in", "channel": "portal"}
    # Without client_id no history counts.
    assert evaluate(therapist, published_policy, at=thursday, **base)["outcome"] == "delivered"
    with_history = evaluate(therapist, published_policy, at=thursday, client_id=consented_client.pk, **base)
    assert with_history == {
        "outcome": "blocked",
        "reasons": ["rate_limited"],
        "deliver_at": None,
        "reading": read("Hello").as_dict(),
    }
    # A week later: at 12:05 the Tuesday message is still inside the 168 hours, at 12:15 it is not.
    assert evaluate(
        therapist, published_policy, at="2026-12-08T12:05:00-05:00", client_id=consented_client.pk, **base
    )["reasons"] == ["rate_limited"]
    assert (
        evaluate(
            therapist, published_policy, at="2026-12-08T12:15:00-05:00", client_id=consented_client.pk, **base
        )["outcome"]
        == "delivered"
    )
    # Messages after `at` do not count.
    assert (
        evaluate(
            therapist, published_policy, at="2026-12-01T12:05:00-05:00", client_id=consented_client.pk, **base
        )["outcome"]
        == "delivered"
    )
    # The therapist's own messages are never rate limited.
    assert (
        evaluate(
            therapist,
            published_policy,
            at=thursday,
            client_id=consented_client.pk,
            sender="therapist",
            **base,
        )["outcome"]
        == "delivered"
    )


def test_evaluate_with_client_id_does_not_count_cancelled_or_blocked_messages(
    therapist, published_policy, consented_client
):
    # Blocked attempts (outside the check-in window) are not counted.
    for hour in (9, 10, 11):
        blocked = message_send(
            sender=consented_client,
            thread=consented_client.thread,
            category="check_in",
            channel="portal",
            body="Hi",
            now=local(2026, 12, 1, hour),
        )
        assert blocked.message.status == "blocked"
    check_in(consented_client, local(2026, 12, 1, 12, 10))
    body = evaluate(
        therapist,
        published_policy,
        at="2026-12-03T12:40:00-05:00",
        category="check_in",
        client_id=consented_client.pk,
    )
    assert body["outcome"] == "delivered"


def test_evaluate_with_client_id_applies_the_pause_after_their_crisis(
    therapist, published_policy, consented_client
):
    crisis = message_send(
        sender=consented_client,
        thread=consented_client.thread,
        category="administrative",
        channel="portal",
        body="I don't want to live anymore",
        now=local(2026, 12, 1, 11, 30),
    )
    assert crisis.message.status == "escalated"
    tuesday_noon = "2026-12-01T12:30:00-05:00"
    paused = evaluate(
        therapist, published_policy, at=tuesday_noon, category="check_in", client_id=consented_client.pk
    )
    assert paused["outcome"] == "blocked" and paused["reasons"] == ["paused_after_crisis"]
    assert paused["crisis_resources"] == GOOD_RULES["crisis_resources"]
    # Without the client's history there is no pause; nor for a category the pause does not list.
    assert (
        evaluate(therapist, published_policy, at=tuesday_noon, category="check_in")["outcome"] == "delivered"
    )
    assert (
        evaluate(therapist, published_policy, at=tuesday_noon, client_id=consented_client.pk)["outcome"]
        == "delivered"
    )
    # After 24 hours (Thursday's window) the pause is over.
    assert (
        evaluate(
            therapist,
            published_policy,
            at="2026-12-03T12:30:00-05:00",
            category="check_in",
            client_id=consented_client.pk,
        )["outcome"]
        == "delivered"
    )


# --- the reading the simulator decided on ------------------------------------------------------


@pytest.fixture
def reads_as(monkeypatch):
    """Make the reader read one exact text as given: these tests are about what the simulator
    does with a reading, not about the vocabulary."""
    import policies.engine
    from policies import reader

    real = reader.read
    table: dict = {}
    monkeypatch.setattr(policies.engine, "read", lambda text: table[text] if text in table else real(text))

    def add(text, **fields):
        table[text] = reader.Reading(**fields)
        return text

    return add


def test_evaluate_answers_the_reading_with_its_crisis_kind(therapist, published_policy):
    text = "I want to kill myself tonight"
    body = evaluate(therapist, published_policy, at="2026-11-30T15:00:00Z", category="check_in", body=text)
    assert (body["outcome"], body["reasons"]) == ("escalated", ["crisis_detected"])
    # The simulator is the therapist's: it shows the kind the decision read.
    assert body["reading"] == read(text).as_dict() and body["reading"]["crisis_kind"] is not None


def test_evaluate_blocks_personal_content_and_notes_an_emergency_mismatch(
    therapist, published_policy, reads_as
):
    ask = reads_as("Want to grab a drink after our session?", personal=True, language="en")
    for sender in ("client", "therapist"):
        body = evaluate(
            therapist,
            published_policy,
            at="2026-11-30T15:00:00Z",
            sender=sender,
            body=ask,
            override_reason="reason",
        )
        assert (body["outcome"], body["reasons"]) == ("blocked", ["never_allowed", "personal_content"])
        assert body["reading"]["personal"] is True
    invoice = reads_as("Please resend the invoice", category="administrative", language="en")
    body = evaluate(
        therapist, published_policy, at="2026-11-29T04:00:00Z", category="emergency", body=invoice
    )
    assert (body["outcome"], body["reasons"]) == ("delivered", ["emergency_mismatch"])
    assert body["reading"]["category"] == "administrative"
