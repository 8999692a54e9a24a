"""Property-based tests (hypothesis) of the rules validator and the decision engine."""

from __future__ import annotations

import contextlib
import copy
from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policies.compiled import compile_rules
from policies.engine import decide
from policies.engine_types import ConsentSnapshot, Contact, History
from policies.hours import is_open, next_opening
from policies.rules import CATEGORIES, CHANNELS, DAYS, validate_rules
from portal.errors import PolicyInvalid
from tests.conftest import GOOD_RULES

UTC = UTC
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=20,
)
hhmm = st.builds(lambda h, m: f"{h:02d}:{m:02d}", st.integers(0, 23), st.sampled_from([0, 15, 30, 45, 59]))
window = st.fixed_dictionaries(
    {"days": st.lists(st.sampled_from(DAYS), min_size=1, max_size=7, unique=True), "start": hhmm, "end": hhmm}
).filter(lambda w: w["start"] != w["end"])
category_rule = st.fixed_dictionaries(
    {
        "allowed": st.booleans(),
        "channels": st.lists(
            st.sampled_from([c for c in CHANNELS if c != "social_media"]), min_size=1, unique=True
        ),
        "windows": st.lists(window, max_size=3),
        "outside_hours": st.sampled_from(["hold", "deliver", "block"]),
    }
)
policies_st = st.builds(
    lambda tz, cats, away: {
        "timezone": tz,
        "crisis_resources": "Call 911 or 988.",
        "after_hours_reply": "Later.",
        "categories": {
            **cats,
            "emergency": {**cats.get("emergency", {"channels": ["portal"]}), "allowed": True},
            "personal": {"allowed": False},
        },
        "away": away,
    },
    st.sampled_from(["America/New_York", "Europe/London", "Australia/Lord_Howe", "Asia/Kolkata", "UTC"]),
    st.dictionaries(
        st.sampled_from(["emergency", "administrative", "check_in", "scheduled_call"]), category_rule
    ),
    st.lists(
        st.builds(
            lambda d, n: {
                "start": d.isoformat(),
                "end": (d + timedelta(days=n)).isoformat(),
                "reply": "Away",
            },
            st.dates(datetime(2026, 1, 1).date(), datetime(2027, 12, 1).date()),
            st.integers(0, 20),
        ),
        max_size=2,
    ),
)
instants = st.datetimes(datetime(2026, 1, 1), datetime(2027, 12, 31), timezones=st.just(UTC))
contacts = st.builds(
    lambda at, sender, cat, ch, body, reason, kind, minutes: Contact(
        at=at,
        sender=sender,
        category=cat,
        channel=ch,
        body=body,
        override_reason=reason,
        kind=kind,
        minutes=minutes if kind != "message" else None,
    ),
    instants,
    st.sampled_from(["client", "therapist"]),
    st.sampled_from(CATEGORIES),
    st.sampled_from(CHANNELS),
    st.sampled_from(["", "billing question", "I want to kill myself", "this deadline is killing me", "ok"]),
    st.none() | st.sampled_from(["", "urgent reason"]),
    st.sampled_from(["message", "call", "contact"]),
    st.integers(1, 120),
)
consents = st.builds(
    ConsentSnapshot,
    st.sampled_from(["active", "grace", "none", "revoked", "superseded"]),
    st.frozensets(st.sampled_from(CHANNELS)),
)
histories = st.builds(History, st.booleans(), st.integers(0, 5), st.none() | instants)
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(json_values)
def test_validator_raises_only_policy_invalid(raw):
    with contextlib.suppress(PolicyInvalid):
        validate_rules(raw)


@FAST
@given(st.dictionaries(st.sampled_from(list(GOOD_RULES) + ["x"]), json_values, max_size=8))
def test_validator_on_mutated_policies_raises_only_policy_invalid(changes):
    rules = copy.deepcopy(GOOD_RULES)
    rules.update(changes)
    with contextlib.suppress(PolicyInvalid):
        validate_rules(rules)


@FAST
@given(policies_st)
def test_normalising_is_idempotent(rules):
    once = validate_rules(rules)
    assert validate_rules(copy.deepcopy(once)) == once


@FAST
@given(policies_st, contacts, consents, histories)
def test_decide_never_raises_and_never_lets_personal_or_social_media_through(
    rules, contact, consent, history
):
    decision = decide(compile_rules(validate_rules(rules)), contact, consent, history)
    assert decision.outcome in {"delivered", "held", "delivered_with_exception", "escalated", "blocked"}
    if contact.category == "personal" or contact.channel == "social_media":
        crisis = contact.sender == "client" and contact.kind == "message" and decision.outcome == "escalated"
        assert decision.outcome == "blocked" or crisis
        if decision.outcome == "blocked":
            assert decision.reasons == ("never_allowed",)


@FAST
@given(policies_st, instants, st.sampled_from(["administrative", "check_in"]))
def test_a_hold_is_delivered_inside_a_window_with_no_earlier_opening(rules, at, category):
    rules = copy.deepcopy(rules)
    rules["categories"][category] = {
        "allowed": True,
        "channels": ["portal"],
        "outside_hours": "hold",
        "windows": rules["categories"].get(category, {}).get("windows")
        or [{"days": ["mon"], "start": "09:00", "end": "10:00"}],
    }
    policy = compile_rules(validate_rules(rules))
    decision = decide(
        policy,
        Contact(at=at, sender="client", category=category, channel="portal", body="hi"),
        ConsentSnapshot("active", frozenset({"portal"})),
        History(),
    )
    if decision.outcome != "held":
        return
    deliver_at = decision.deliver_at
    assert deliver_at is not None and deliver_at > at and is_open(policy, category, deliver_at)
    # No earlier opening: the category is closed at every minute between `at` and deliver_at.
    step = at.replace(second=0, microsecond=0) + timedelta(minutes=1)
    checked = 0
    while step < deliver_at and checked < 20_000:
        assert not is_open(policy, category, step), f"open at {step}, before {deliver_at}"
        step += timedelta(minutes=1)
        checked += 1
    assert next_opening(policy, category, at) == deliver_at
