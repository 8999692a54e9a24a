"""The simulator (evaluate with client_id) and a real send, fed the same inputs, decide the same
(issue 13): both take the governing policy from policies.selectors.governing_policy and the
client's history from messaging.selectors.history_for.

Each case builds a history by real sends, asks the simulator about the next contact at a
time, then sends that very contact at that time, and compares the two decisions. The
simulator is asked first, so the send it is compared with is not in its own history.
Times: the policy is America/New_York (EST, UTC-5); 2026-12-01 is a Tuesday."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from messaging.services.send import message_send
from tests.conftest import api_for

pytestmark = pytest.mark.django_db
UTC = UTC


def local(d: int, h: int, mi: int = 0) -> datetime:
    """New York wall time on a day of December 2026, as a UTC instant (before 19:00 local)."""
    return datetime(2026, 12, d, h + 5, mi, tzinfo=UTC)


def send(client, when, *, category, body):
    return message_send(
        sender=client, thread=client.thread, category=category, channel="portal", body=body, now=when
    )


CASES = {
    # nothing sent yet: a check-in inside its window is delivered
    "delivered": ([], local(1, 12, 30), "check_in", "Just checking in"),
    # the weekly limit (two check-ins) reached by Tuesday's and Thursday's
    "rate_limited": (
        [
            (local(1, 12, 10), "check_in", "A short check-in"),
            (local(3, 12, 10), "check_in", "Another check-in"),
        ],
        local(3, 12, 40),
        "check_in",
        "Hello",
    ),
    # a week after Tuesday's check-in it no longer counts
    "window_rolled": (
        [
            (local(1, 12, 10), "check_in", "A short check-in"),
            (local(3, 12, 10), "check_in", "Another check-in"),
        ],
        local(8, 12, 15),
        "check_in",
        "Hello",
    ),
    # an escalation pauses check-ins for 24 hours
    "paused": (
        [(local(3, 12, 0), "administrative", "I want to kill myself")],
        local(3, 12, 45),
        "check_in",
        "Sorry about earlier",
    ),
    # outside the hours of administrative: held until the next window opens
    "held": ([], local(5, 18, 0), "administrative", "A question about my bill"),
    # crisis language escalates whatever the history
    "escalated": (
        [(local(1, 12, 10), "check_in", "A short check-in")],
        local(1, 12, 20),
        "check_in",
        "I keep thinking about ending my life",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_simulator_and_a_real_send_decide_alike(case, therapist, published_policy, consented_client):
    history, at, category, body = CASES[case]
    for when, c, b in history:
        send(consented_client, when, category=c, body=b)
    r = api_for(therapist).post(
        f"/api/v1/policies/{published_policy.pk}/evaluate",
        {
            "sender": "client",
            "category": category,
            "channel": "portal",
            "body": body,
            "at": at.isoformat().replace("+00:00", "Z"),
            "client_id": consented_client.pk,
        },
        format="json",
    )
    assert r.status_code == 200, r.content
    simulated = r.json()
    real = send(consented_client, at, category=category, body=body).decision
    expected = {
        "delivered": "delivered",
        "rate_limited": "blocked",
        "window_rolled": "delivered",
        "paused": "blocked",
        "held": "held",
        "escalated": "escalated",
    }[case]
    assert real.outcome == expected, real.reasons
    assert simulated["outcome"] == real.outcome
    assert simulated["reasons"] == list(real.reasons)
    real_at = real.deliver_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if real.deliver_at else None
    assert simulated["deliver_at"] == real_at
    assert simulated["reading"] == real.reading.as_dict()


def test_the_selectors_are_what_both_ask(monkeypatch, therapist, published_policy, consented_client):
    """Both doors go through history_for: a history it makes up decides both."""
    from dataclasses import replace

    from messaging import selectors

    real_history_for = selectors.history_for

    def at_the_limit(*args, **kwargs):
        return replace(real_history_for(*args, **kwargs), sent_in_category_last_week=99)

    monkeypatch.setattr(selectors, "history_for", at_the_limit)
    monkeypatch.setattr("messaging.services.send.history_for", at_the_limit)
    at = local(1, 12, 30)
    r = api_for(therapist).post(
        f"/api/v1/policies/{published_policy.pk}/evaluate",
        {
            "sender": "client",
            "category": "check_in",
            "channel": "portal",
            "body": "Hi",
            "at": at.isoformat().replace("+00:00", "Z"),
            "client_id": consented_client.pk,
        },
        format="json",
    )
    assert r.json()["reasons"] == ["rate_limited"]
    assert list(send(consented_client, at, category="check_in", body="Hi").decision.reasons) == [
        "rate_limited"
    ]
