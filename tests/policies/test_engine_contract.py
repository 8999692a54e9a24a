"""The contract's decision rules, one test each, against the pure engine.

Times: America/New_York; 2026-11-30 is a Monday (EST, UTC-5)."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta

import pytest

from policies.compiled import compile_rules
from policies.engine import decide
from policies.engine_types import ConsentSnapshot, Contact, History
from policies.hours import is_open, next_opening
from policies.rules import validate_rules
from tests.conftest import GOOD_RULES

UTC = UTC
ALL = frozenset({"portal", "phone", "email", "video", "sms"})
ACTIVE = ConsentSnapshot("active", ALL)
MON_10 = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)  # Monday 10:00 local
SAT_23 = datetime(2026, 11, 29, 4, 0, tzinfo=UTC)  # Saturday 23:00 local


def policy(**changes):
    rules = copy.deepcopy(GOOD_RULES)
    rules.update(changes)
    return compile_rules(validate_rules(rules))


P = policy()


def contact(
    at=MON_10,
    sender="client",
    category="administrative",
    channel="portal",
    body="A question about billing",
    **kw,
):
    return Contact(at=at, sender=sender, category=category, channel=channel, body=body, **kw)


def test_in_hours_administrative_is_delivered_without_reasons():
    d = decide(P, contact(), ACTIVE, History())
    assert (d.outcome, d.reasons, d.deliver_at) == ("delivered", (), None)


def test_saturday_night_billing_is_held_until_monday_nine():
    d = decide(P, contact(at=SAT_23), ACTIVE, History())
    assert d.outcome == "held" and d.reasons == ("outside_hours",)
    assert d.deliver_at == datetime(2026, 11, 30, 14, 0, tzinfo=UTC)
    assert d.auto_reply == GOOD_RULES["after_hours_reply"]


def test_window_start_inclusive_end_exclusive():
    local_1659 = datetime(2026, 11, 30, 21, 59, 59, tzinfo=UTC)
    assert is_open(P, "administrative", local_1659)
    assert not is_open(P, "administrative", local_1659 + timedelta(seconds=1))
    assert is_open(P, "administrative", datetime(2026, 11, 30, 14, 0, tzinfo=UTC))
    assert not is_open(P, "administrative", datetime(2026, 11, 30, 13, 59, 59, tzinfo=UTC))


@pytest.mark.parametrize(
    "text",
    [
        "I want to kill myself",
        "I've been feeling suicidal",
        "I overdosed last night",
        "there's no reason to live",
        "I keep hurting myself",
        "thinking about ending my life",
    ],
)
def test_client_crisis_language_escalates_whatever_the_category_consent_or_care(text):
    d = decide(
        P,
        contact(at=SAT_23, category="personal", channel="social_media", body=text),
        ConsentSnapshot("revoked"),
        History(care_ended=True),
    )
    assert d.outcome == "escalated" and d.reasons == ("crisis_detected",)
    assert d.crisis_resources == GOOD_RULES["crisis_resources"]


def test_therapist_crisis_words_do_not_escalate():
    d = decide(P, contact(sender="therapist", body="If you ever feel suicidal, call 988."), ACTIVE, History())
    assert d.outcome == "delivered"


@pytest.mark.parametrize("cat,chan", [("personal", "portal"), ("administrative", "social_media")])
@pytest.mark.parametrize("sender", ["client", "therapist"])
def test_never_allowed_blocks_both_sides_even_with_override(cat, chan, sender):
    d = decide(
        P, contact(category=cat, channel=chan, sender=sender, override_reason="I insist"), ACTIVE, History()
    )
    assert (d.outcome, d.reasons) == ("blocked", ("never_allowed",))


@pytest.mark.parametrize(
    "state,code",
    [("none", "no_consent"), ("revoked", "consent_revoked"), ("superseded", "consent_superseded")],
)
def test_no_governing_consent_blocks_both_directions(state, code):
    for sender in ("client", "therapist"):
        d = decide(P, contact(sender=sender), ConsentSnapshot(state), History())
        assert (d.outcome, d.reasons) == ("blocked", (code,))


def test_grace_consent_governs():
    assert decide(P, contact(), ConsentSnapshot("grace", ALL), History()).outcome == "delivered"


def test_care_ended_blocks():
    d = decide(P, contact(), ACTIVE, History(care_ended=True))
    assert (d.outcome, d.reasons) == ("blocked", ("care_ended",))


def test_therapist_passes_consent_only_for_emergency_with_a_reason():
    revoked = ConsentSnapshot("revoked")
    blocked = decide(
        P,
        contact(sender="therapist", category="administrative", override_reason="urgent"),
        revoked,
        History(),
    )
    assert blocked.outcome == "blocked" and blocked.reasons == ("consent_revoked",)
    passed = decide(
        P,
        contact(sender="therapist", category="emergency", override_reason="safety check"),
        revoked,
        History(),
    )
    assert passed.outcome == "delivered_with_exception"
    assert passed.reasons[0] == "consent_revoked" and passed.reasons[-1] == "override"
    assert passed.crisis_resources


def test_category_absent_or_disallowed_and_channel_not_allowed():
    p = policy(categories={k: v for k, v in GOOD_RULES["categories"].items() if k != "check_in"})
    assert decide(p, contact(category="check_in"), ACTIVE, History()).reasons == ("category_not_allowed",)
    assert decide(P, contact(channel="sms"), ACTIVE, History()).reasons == ("channel_not_allowed",)
    narrow = ConsentSnapshot("active", frozenset({"email"}))
    assert decide(P, contact(channel="portal"), narrow, History()).reasons == ("channel_not_allowed",)


def test_rate_limit_counts_for_clients_only_and_never_emergency():
    thu_1230 = datetime(2026, 12, 3, 17, 30, tzinfo=UTC)
    d = decide(P, contact(at=thu_1230, category="check_in"), ACTIVE, History(sent_in_category_last_week=2))
    assert (d.outcome, d.reasons) == ("blocked", ("rate_limited",))
    assert (
        decide(
            P, contact(at=thu_1230, category="check_in"), ACTIVE, History(sent_in_category_last_week=1)
        ).outcome
        == "delivered"
    )
    assert (
        decide(
            P,
            contact(at=thu_1230, category="check_in", sender="therapist"),
            ACTIVE,
            History(sent_in_category_last_week=9),
        ).outcome
        == "delivered"
    )


def test_crisis_pause_blocks_listed_categories_for_clients_with_resources():
    thu_1230 = datetime(2026, 12, 3, 17, 30, tzinfo=UTC)
    h = History(last_crisis_at=thu_1230 - timedelta(hours=23))
    d = decide(P, contact(at=thu_1230, category="check_in"), ACTIVE, h)
    assert (d.outcome, d.reasons) == ("blocked", ("paused_after_crisis",)) and d.crisis_resources
    assert (
        decide(
            P,
            contact(at=thu_1230, category="check_in"),
            ACTIVE,
            History(last_crisis_at=thu_1230 - timedelta(hours=24)),
        ).outcome
        == "delivered"
    )
    assert decide(P, contact(at=thu_1230, category="emergency"), ACTIVE, h).outcome == "delivered"


def test_outside_hours_modes():
    assert decide(P, contact(at=SAT_23, category="check_in"), ACTIVE, History()).outcome == "blocked"
    cats = copy.deepcopy(GOOD_RULES["categories"])
    cats["emergency"]["windows"] = [
        {"days": ["mon", "tue", "wed", "thu", "fri"], "start": "09:00", "end": "17:00"}
    ]
    d = decide(
        policy(categories=cats),
        contact(at=SAT_23, category="emergency", body="Please call me"),
        ACTIVE,
        History(),
    )
    assert (d.outcome, d.reasons) == ("delivered", ("outside_hours",)) and d.exception_kind == "after_hours"
    assert d.crisis_resources and d.auto_reply


def test_therapist_is_bound_by_hours_and_can_override_with_a_reason():
    assert decide(P, contact(at=SAT_23, sender="therapist"), ACTIVE, History()).outcome == "held"
    d = decide(
        P, contact(at=SAT_23, sender="therapist", override_reason="Insurance deadline"), ACTIVE, History()
    )
    assert (d.outcome, d.reasons) == ("delivered_with_exception", ("outside_hours", "override"))
    blank = decide(P, contact(at=SAT_23, sender="therapist", override_reason="   "), ACTIVE, History())
    assert blank.outcome == "held"


def test_client_override_is_ignored():
    d = decide(P, contact(at=SAT_23, override_reason="please"), ACTIVE, History())
    assert d.outcome == "held"


def test_calls_must_fit_one_window_and_the_length_limit():
    call = {"category": "scheduled_call", "channel": "phone", "kind": "call", "body": ""}
    assert decide(P, contact(at=MON_10, minutes=15, **call), ACTIVE, History()).outcome == "delivered"
    late = datetime(2026, 11, 30, 16, 50, tzinfo=UTC)  # 11:50, would end 12:05
    assert decide(P, contact(at=late, minutes=15, **call), ACTIVE, History()).reasons == ("outside_hours",)
    assert decide(P, contact(at=MON_10, minutes=30, **call), ACTIVE, History()).reasons == ("too_long",)
    ends_at_close = datetime(2026, 11, 30, 16, 45, tzinfo=UTC)  # 11:45-12:00
    assert decide(P, contact(at=ends_at_close, minutes=15, **call), ACTIVE, History()).outcome == "delivered"


def test_away_period_holds_until_the_first_window_after_it_and_spares_emergencies():
    p = policy(away=[{"start": "2026-12-24", "end": "2027-01-01", "reply": "I am away until January 2."}])
    dec28_10 = datetime(2026, 12, 28, 15, 0, tzinfo=UTC)
    d = decide(p, contact(at=dec28_10), ACTIVE, History())
    assert d.outcome == "held" and d.auto_reply == "I am away until January 2."
    assert d.deliver_at == datetime(2027, 1, 4, 14, 0, tzinfo=UTC)  # Jan 2-3 is a weekend
    assert decide(p, contact(at=dec28_10, category="emergency"), ACTIVE, History()).outcome == "delivered"


def test_release_rechecks_consent_but_not_hours_or_rate():
    rel = {"at": SAT_23, "release": True}
    assert decide(P, contact(**rel), ACTIVE, History(sent_in_category_last_week=99)).outcome == "delivered"
    d = decide(P, contact(**rel), ConsentSnapshot("revoked"), History())
    assert (d.outcome, d.reasons) == ("blocked", ("consent_revoked",))


def test_every_emergency_decision_carries_crisis_resources():
    for ctx in (
        contact(category="emergency", channel="sms"),
        contact(category="emergency", at=SAT_23),
        contact(category="emergency"),
    ):
        assert decide(P, ctx, ACTIVE, History()).crisis_resources == GOOD_RULES["crisis_resources"]


def test_overnight_window_and_dst_gap_clamp():
    p = policy(
        categories={
            **GOOD_RULES["categories"],
            "check_in": {
                "allowed": True,
                "channels": ["portal"],
                "outside_hours": "hold",
                "windows": [
                    {"days": ["fri"], "start": "22:00", "end": "02:00"},
                    {"days": ["sun"], "start": "02:30", "end": "04:00"},
                ],
            },
        }
    )
    sat_0159 = datetime(2026, 11, 28, 6, 59, tzinfo=UTC)
    assert is_open(p, "check_in", sat_0159) and not is_open(p, "check_in", sat_0159 + timedelta(minutes=1))
    # 2026-03-08 New York springs forward at 02:00: a 02:30 window opens at 03:00 EDT (07:00Z).
    assert next_opening(p, "check_in", datetime(2026, 3, 8, 5, 0, tzinfo=UTC)) == datetime(
        2026, 3, 8, 7, 0, tzinfo=UTC
    )


def test_fall_back_repeated_hour_is_inside_both_times():
    p = policy(
        categories={
            **GOOD_RULES["categories"],
            "check_in": {
                "allowed": True,
                "channels": ["portal"],
                "windows": [{"days": ["sun"], "start": "01:00", "end": "02:00"}],
            },
        }
    )
    first_0130 = datetime(2026, 11, 1, 5, 30, tzinfo=UTC)  # 01:30 EDT
    second_0130 = datetime(2026, 11, 1, 6, 30, tzinfo=UTC)  # 01:30 EST
    assert is_open(p, "check_in", first_0130) and is_open(p, "check_in", second_0130)
    assert not is_open(p, "check_in", datetime(2026, 11, 1, 7, 0, tzinfo=UTC))


@pytest.mark.parametrize("bad", ["2027-1-1", "2027-01-1", "tomorrow", "2027/01/01"])
def test_a_malformed_away_date_is_refused_not_dropped(bad):
    from portal.errors import PolicyInvalid

    rules = copy.deepcopy(GOOD_RULES)
    rules["away"] = [{"start": "2026-12-24", "end": bad, "reply": "Away"}]
    with pytest.raises(PolicyInvalid) as info:
        validate_rules(rules)
    assert "away.0.end" in info.value.errors
