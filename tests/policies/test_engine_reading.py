"""The decision and the reading of a message body (contract: "Reading a message"), against the
pure engine. Readings are given to the engine directly (Contact.reading), so these tests are about
what the decision does with a reading, whatever the reader's vocabulary; the last ones check that
the engine reads the body itself when no reading is given.

Times: America/New_York; 2026-11-30 is a Monday (EST, UTC-5)."""

from __future__ import annotations

import copy
from datetime import UTC, datetime

import pytest

from policies.compiled import compile_rules
from policies.engine import category_for, decide, needs_category
from policies.engine_types import ConsentSnapshot, Contact, History
from policies.reader import NOTHING, Reading, read
from policies.rules import validate_rules
from tests.conftest import GOOD_RULES

UTC = UTC
ALL = frozenset({"portal", "phone", "email", "video", "sms"})
ACTIVE = ConsentSnapshot("active", ALL)
MON_10 = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)  # Monday 10:00 local
SAT_23 = datetime(2026, 11, 29, 4, 0, tzinfo=UTC)  # Saturday 23:00 local
THU_1230 = datetime(2026, 12, 3, 17, 30, tzinfo=UTC)

CRISIS = Reading(crisis=True, crisis_kind="plan", language="en")
PERSONAL = Reading(personal=True, language="en")
BILLING = Reading(category="administrative", language="en")
URGENT = Reading(category="emergency", language="en")


def policy(**changes):
    rules = copy.deepcopy(GOOD_RULES)
    rules.update(changes)
    return compile_rules(validate_rules(rules))


P = policy()


def contact(reading, at=MON_10, sender="client", category="administrative", channel="portal", **kw):
    return Contact(
        at=at,
        sender=sender,
        category=category,
        channel=channel,
        body="(read elsewhere)",
        reading=reading,
        **kw,
    )


def test_the_decision_carries_its_reading_and_the_answer_shows_it():
    d = decide(P, contact(CRISIS), ACTIVE, History())
    assert d.reading == CRISIS
    assert d.as_dict()["reading"] == {
        "crisis": True,
        "crisis_kind": "plan",
        "personal": False,
        "category": None,
        "language": "en",
    }
    # A client's answers never carry the kind: it is health data.
    assert d.as_dict(for_client=True)["reading"]["crisis_kind"] is None
    assert d.as_dict(for_client=True)["reading"]["crisis"] is True


@pytest.mark.parametrize("consent", [ConsentSnapshot("none"), ConsentSnapshot("revoked"), ACTIVE])
@pytest.mark.parametrize(
    "category, channel",
    [("check_in", "portal"), ("personal", "social_media"), (None, "portal"), ("administrative", "sms")],
)
def test_a_clients_crisis_reading_escalates_first(consent, category, channel):
    d = decide(
        P,
        contact(CRISIS, at=SAT_23, category=category, channel=channel),
        consent,
        History(care_ended=True, sent_in_category_last_week=99),
    )
    assert (d.outcome, d.reasons) == ("escalated", ("crisis_detected",))
    assert d.crisis_resources == GOOD_RULES["crisis_resources"]
    assert d.category == (category or "emergency")


def test_crisis_and_personal_escalates():
    both = Reading(crisis=True, crisis_kind="intent", personal=True)
    assert decide(P, contact(both, category=None), ACTIVE, History()).outcome == "escalated"


def test_a_therapists_crisis_reading_does_not_escalate():
    d = decide(P, contact(CRISIS, sender="therapist"), ACTIVE, History())
    assert (d.outcome, d.reasons) == ("delivered", ())
    assert d.reading.crisis is True


@pytest.mark.parametrize("sender", ["client", "therapist"])
@pytest.mark.parametrize("category", ["administrative", "emergency", "check_in", "personal", None])
def test_a_personal_reading_is_never_allowed_whatever_the_label_override_or_not(sender, category):
    d = decide(
        P,
        contact(PERSONAL, sender=sender, category=category, override_reason="I know best"),
        ACTIVE,
        History(),
    )
    assert (d.outcome, d.reasons) == ("blocked", ("never_allowed", "personal_content"))
    assert d.exception_kinds == ("blocked",)
    assert d.category == (category or "personal")


def test_a_personal_reading_beats_care_ended_and_no_consent():
    d = decide(P, contact(PERSONAL), ConsentSnapshot("none"), History(care_ended=True))
    assert d.reasons == ("never_allowed", "personal_content")


def test_a_personal_label_without_personal_content_is_never_allowed_alone():
    d = decide(P, contact(NOTHING, category="personal"), ACTIVE, History())
    assert d.reasons == ("never_allowed",)


def test_without_a_category_it_is_decided_under_the_reading():
    d = decide(P, contact(BILLING, at=SAT_23, category=None), ACTIVE, History())
    assert (d.outcome, d.category) == ("held", "administrative")
    assert d.deliver_at == datetime(2026, 11, 30, 14, 0, tzinfo=UTC)
    # An unlabelled urgent text is an emergency: delivered at once, with resources.
    d = decide(P, contact(URGENT, at=SAT_23, category=None), ACTIVE, History())
    assert (d.outcome, d.category, d.crisis_resources) == (
        "delivered",
        "emergency",
        GOOD_RULES["crisis_resources"],
    )
    # Its rate limit is the read category's.
    d = decide(
        P,
        contact(Reading(category="check_in"), at=THU_1230, category=None),
        ACTIVE,
        History(sent_in_category_last_week=2),
    )
    assert (d.outcome, d.reasons, d.category) == ("blocked", ("rate_limited",), "check_in")


def test_a_given_category_wins_over_the_reading():
    d = decide(P, contact(BILLING, at=THU_1230, category="check_in"), ACTIVE, History())
    assert (d.outcome, d.category) == ("delivered", "check_in")


def test_needs_category_only_when_nothing_can_decide():
    assert needs_category(None, "client", NOTHING)
    assert needs_category(None, "therapist", NOTHING)
    assert needs_category(
        None, "therapist", Reading(crisis=True, crisis_kind="plan")
    )  # a therapist's is not rule 1
    assert not needs_category(None, "client", CRISIS)
    assert not needs_category(None, "therapist", PERSONAL)
    assert not needs_category(None, "client", BILLING)
    assert not needs_category("check_in", "client", NOTHING)
    assert category_for(None, BILLING) == "administrative" and category_for("check_in", BILLING) == "check_in"
    with pytest.raises(ValueError):
        decide(P, contact(NOTHING, category=None), ACTIVE, History())


# --- emergency_mismatch -------------------------------------------------------------------


def test_a_clients_emergency_that_reads_as_billing_stays_a_delivered_emergency():
    d = decide(P, contact(BILLING, category="emergency"), ACTIVE, History())
    assert (d.outcome, d.reasons) == ("delivered", ("emergency_mismatch",))
    assert d.crisis_resources == GOOD_RULES["crisis_resources"] and d.category == "emergency"
    assert d.exception_kinds == ("emergency_mismatch",)


def test_the_mismatch_comes_last_beside_an_after_hours_exception():
    rules = copy.deepcopy(GOOD_RULES)
    rules["categories"]["emergency"]["windows"] = [
        {"days": ["mon", "tue", "wed", "thu", "fri"], "start": "09:00", "end": "17:00"}
    ]
    rules["categories"]["emergency"]["outside_hours"] = "deliver"
    p = compile_rules(validate_rules(rules))
    d = decide(p, contact(BILLING, at=SAT_23, category="emergency"), ACTIVE, History())
    assert (d.outcome, d.reasons) == ("delivered", ("outside_hours", "emergency_mismatch"))
    assert d.exception_kind == "after_hours"
    assert d.exception_kinds == ("after_hours", "emergency_mismatch")


@pytest.mark.parametrize("reading", [NOTHING, URGENT, Reading(language="es")])
def test_no_mismatch_when_the_reading_names_no_other_category(reading):
    d = decide(P, contact(reading, category="emergency"), ACTIVE, History())
    assert (d.outcome, d.reasons) == ("delivered", ())
    assert d.exception_kinds == ()


def test_never_a_mismatch_for_a_therapist_nor_a_blocked_emergency_nor_a_crisis():
    assert (
        decide(P, contact(BILLING, sender="therapist", category="emergency"), ACTIVE, History()).reasons == ()
    )
    blocked = decide(P, contact(BILLING, category="emergency"), ConsentSnapshot("none"), History())
    assert (blocked.outcome, blocked.reasons) == ("blocked", ("no_consent",))
    assert blocked.exception_kinds == ("blocked",)
    crisis = Reading(crisis=True, crisis_kind="overdose", category="administrative")
    assert decide(P, contact(crisis, category="emergency"), ACTIVE, History()).reasons == ("crisis_detected",)
    # Another category sent as itself is no mismatch either.
    assert decide(P, contact(BILLING, category="check_in", at=THU_1230), ACTIVE, History()).reasons == ()


def test_a_held_emergency_keeps_its_outcome_and_notes_the_mismatch():
    rules = copy.deepcopy(GOOD_RULES)
    rules["categories"]["emergency"]["windows"] = [{"days": ["mon"], "start": "09:00", "end": "17:00"}]
    rules["categories"]["emergency"]["outside_hours"] = "hold"
    p = compile_rules(validate_rules(rules))
    d = decide(p, contact(BILLING, at=SAT_23, category="emergency"), ACTIVE, History())
    assert (d.outcome, d.reasons) == ("held", ("outside_hours", "emergency_mismatch"))
    assert d.exception_kinds == ("emergency_mismatch",)


# --- what is read --------------------------------------------------------------------------


def test_the_engine_reads_the_body_when_no_reading_is_given():
    text = "I want to kill myself tonight"
    d = decide(
        P,
        Contact(at=SAT_23, sender="client", category="check_in", channel="portal", body=text),
        ACTIVE,
        History(),
    )
    assert d.reading == read(text) and d.reading.crisis
    assert d.outcome == "escalated"


@pytest.mark.parametrize("kind", ["call", "contact"])
def test_calls_and_logged_contacts_carry_no_body_to_read(kind):
    d = decide(
        P,
        Contact(
            at=MON_10,
            sender="therapist",
            category="emergency",
            channel="phone",
            body="I want to kill myself tonight",
            kind=kind,
            reading=CRISIS,
        ),
        ACTIVE,
        History(),
    )
    assert d.reading == NOTHING
    assert d.as_dict()["reading"] == {
        "crisis": False,
        "crisis_kind": None,
        "personal": False,
        "category": None,
        "language": None,
    }


def test_a_release_reads_again():
    # Content that reads as personal now is cancelled (blocked) at release; crisis is delivered.
    d = decide(P, contact(PERSONAL, release=True), ACTIVE, History())
    assert (d.outcome, d.reasons) == ("blocked", ("never_allowed", "personal_content"))
    d = decide(P, contact(CRISIS, release=True), ConsentSnapshot("revoked"), History(care_ended=True))
    assert (d.outcome, d.reasons) == ("escalated", ("crisis_detected",))
    # The mismatch was noted when it was sent: a release does not note it again.
    d = decide(P, contact(BILLING, category="emergency", release=True), ACTIVE, History())
    assert (d.outcome, d.reasons) == ("delivered", ())
