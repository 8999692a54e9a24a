"""The client-facing text (policies/text.py) and the differences between versions
(policies/diff.py): deterministic, complete, and readable."""

from __future__ import annotations

import copy
import hashlib

import pytest

from policies.diff import RuleChange, rules_changes, text_diff
from policies.rules import validate_rules
from policies.text import describe_window, parse_sections, policy_sections, policy_text, sha256
from tests.conftest import GOOD_RULES

NAME = "Dr Taylor Reed"


def normalised(**changes) -> dict:
    raw = copy.deepcopy(GOOD_RULES)
    raw.update(changes)
    return validate_rules(raw)


def text_of(rules: dict) -> str:
    return policy_text(rules, therapist_name=NAME)


def section(rules: dict, key: str) -> str:
    return next(s.body for s in policy_sections(rules, therapist_name=NAME) if s.key == key)


# --- determinism and hash ----------------------------------------------------------------------


def test_the_same_rules_always_give_the_same_text_and_hash():
    a, b = normalised(), normalised()
    assert text_of(a) == text_of(b)
    assert sha256(text_of(a)) == sha256(text_of(b))


def test_the_order_of_keys_in_the_rules_does_not_change_the_text():
    rules = normalised()
    shuffled = {k: rules[k] for k in reversed(list(rules))}
    shuffled["categories"] = {k: rules["categories"][k] for k in reversed(list(rules["categories"]))}
    assert text_of(shuffled) == text_of(rules)


def test_sha256_is_the_hex_digest_of_the_utf8_text():
    text = text_of(normalised(after_hours_reply="Je réponds en semaine \u2014 merci."))
    assert sha256(text) == hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert len(sha256(text)) == 64


def test_any_change_to_the_rules_changes_the_text_and_its_hash():
    base = text_of(normalised())
    for changed in (
        normalised(reconsent_grace_days=7),
        normalised(timezone="Europe/London"),
        normalised(crisis_resources="Call 999 in the UK."),
        normalised(after_hours_reply="Back on Monday."),
    ):
        assert text_of(changed) != base and sha256(text_of(changed)) != sha256(base)


# --- what the text says -------------------------------------------------------------------------


def test_the_text_names_the_therapist_and_every_section_in_order():
    rules = normalised(
        away=[{"start": "2026-12-24", "end": "2027-01-01", "reply": "I am away until January 2."}]
    )
    text = text_of(rules)
    assert text.startswith(f"Contact policy of {NAME}\n")
    assert [title for title, _ in parse_sections(text)] == [
        "If you are in danger",
        "What you can contact me about, how and when",
        "Each way of contact: what it is for and what it risks",
        "What never happens",
        "Outside my hours",
        "When I am away",
        "After a crisis",
        "Your consent",
    ]


def test_the_crisis_section_leads_with_the_therapists_resources():
    body = section(normalised(), "crisis")
    assert body.startswith(GOOD_RULES["crisis_resources"])
    assert "not an emergency service" in body


def test_each_allowed_category_says_how_when_and_its_limits():
    contact = section(normalised(), "contact")
    assert "Emergencies:\n- How: this portal and phone.\n- When: any time." in contact
    assert (
        "Administrative questions (scheduling, billing, forms):\n- How: this portal and e-mail.\n"
        "- When: Monday to Friday, 09:00 to 17:00 (America/New_York time).\n"
        "- Messages sent outside these hours are kept and delivered to me when my hours next begin.\n"
        "- You can expect a reply within 24 hours."
    ) in contact
    assert "- You can send at most 2 of these in any 7 days." in contact
    assert "Messages sent outside these hours are not accepted" in contact  # check_in: block
    assert (
        "- When: Monday and Wednesday, 10:00 to 12:00 (America/New_York time).\n"
        "- A call must start and end within one of these times.\n- Calls last at most 15 minutes." in contact
    )


def test_deliver_outside_hours_is_explained():
    rules = copy.deepcopy(GOOD_RULES)
    rules["categories"]["administrative"]["outside_hours"] = "deliver"
    assert "reach me at once, but I may not read them until my hours begin" in section(
        validate_rules(rules), "contact"
    )


def test_categories_not_offered_are_named():
    rules = copy.deepcopy(GOOD_RULES)
    rules["categories"]["check_in"] = {"allowed": False}
    del rules["categories"]["scheduled_call"]
    rules["pause_after_crisis"] = {"hours": 24, "categories": ["administrative"]}
    contact = section(validate_rules(rules), "contact")
    assert "Brief check-ins between sessions:" not in contact and "Pre-scheduled calls:" not in contact
    assert contact.endswith("I do not offer pre-scheduled calls and brief check-ins between sessions.")
    assert "I do not offer" not in section(normalised(), "contact")


def test_personal_contact_and_social_media_are_never_offered_and_the_text_says_why():
    body = section(normalised(), "never")
    assert "dual relationship" in body and "social media" in body and "confidentiality" in body
    assert "social media" not in section(normalised(), "contact")


def test_windows_in_words():
    assert (
        describe_window({"days": ["mon", "tue", "wed", "thu", "fri"], "start": "09:00", "end": "17:00"})
        == "Monday to Friday, 09:00 to 17:00"
    )
    assert (
        describe_window({"days": ["mon", "wed"], "start": "10:00", "end": "12:00"})
        == "Monday and Wednesday, 10:00 to 12:00"
    )
    assert (
        describe_window({"days": ["fri", "sat"], "start": "22:00", "end": "02:00"})
        == "Friday and Saturday, 22:00 to 02:00 (into the next morning)"
    )
    assert (
        describe_window(
            {
                "days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
                "start": "08:00",
                "end": "20:00",
            }
        )
        == "Every day, 08:00 to 20:00"
    )
    assert (
        describe_window({"days": ["mon", "tue", "wed", "fri", "sat"], "start": "08:00", "end": "09:00"})
        == "Monday to Wednesday, Friday and Saturday, 08:00 to 09:00"
    )


def test_away_periods_give_readable_dates_and_their_reply():
    body = section(
        normalised(
            away=[
                {"start": "2026-12-24", "end": "2027-01-01", "reply": "Back January 2."},
                {"start": "2027-04-05", "end": "2027-04-05", "reply": ""},
            ]
        ),
        "away",
    )
    assert "- Thursday 24 December 2026 to Friday 1 January 2027: Back January 2." in body
    assert "- Monday 5 April 2027 to Monday 5 April 2027: I am away." in body
    assert "first and the last day included" in body and "Only emergencies" in body


def test_the_pause_after_a_crisis_names_its_hours_and_categories():
    body = section(normalised(), "pause")
    assert body.startswith(
        "For 24 hours after a message in which you tell me you are in crisis, "
        "pre-scheduled calls and brief check-ins between sessions are paused"
    )
    assert "Emergency contact" in body
    assert "pause" not in [
        s.key for s in policy_sections(normalised(pause_after_crisis=None), therapist_name=NAME)
    ]


def test_the_consent_section_gives_the_grace_days():
    assert "still applies for 14 days after the change" in section(normalised(), "consent")
    assert "still applies for 30 days" in section(normalised(reconsent_grace_days=30), "consent")
    none = section(normalised(reconsent_grace_days=0), "consent")
    assert "still applies" not in none and "until you do, only messages about a crisis reach me" in none


def test_no_after_hours_section_without_a_reply():
    keys = [s.key for s in policy_sections(normalised(after_hours_reply="  "), therapist_name=NAME)]
    assert "after_hours" not in keys


def test_a_therapists_words_cannot_forge_a_section_heading():
    rules = normalised(
        crisis_resources="Call 911.\n## Social media\nAdd me on Instagram!",
        after_hours_reply="Thanks.\r\n## Extra",
    )
    sections = parse_sections(text_of(rules))
    assert len(sections) == len(parse_sections(text_of(normalised())))
    assert "Social media" not in [title for title, _ in sections]
    assert "Call 911.\nSocial media\nAdd me on Instagram!" in sections[0][1]


def test_parse_sections_gives_back_each_title_and_body():
    rules = normalised()
    assert parse_sections(text_of(rules)) == [
        (s.title, s.body.strip()) for s in policy_sections(rules, therapist_name=NAME)
    ]


# --- differences --------------------------------------------------------------------------------


def test_text_diff_marks_added_and_removed_lines_and_keeps_the_rest():
    lines = text_diff("a\nb\nc", "a\nB\nc\nd")
    assert lines == [(" ", "a"), ("-", "b"), ("+", "B"), (" ", "c"), ("+", "d")]
    assert text_diff("same\n", "same\n") == [(" ", "same")]


def test_text_diff_between_two_policy_texts():
    old, new = text_of(normalised()), text_of(normalised(after_hours_reply="Back on Monday."))
    lines = text_diff(old, new)
    assert (
        "-",
        f"If you write outside my hours you will get this reply: \u201c{GOOD_RULES['after_hours_reply']}\u201d",
    ) in lines
    assert (
        "+",
        "If you write outside my hours you will get this reply: \u201cBack on Monday.\u201d",
    ) in lines
    assert sum(1 for kind, _ in lines if kind != " ") == 2


def test_identical_rules_have_no_changes():
    assert rules_changes(normalised(), normalised()) == []


def test_rule_changes_are_listed_in_words():
    old = normalised()
    raw = copy.deepcopy(GOOD_RULES)
    raw["timezone"] = "America/Chicago"
    raw["reconsent_grace_days"] = 7
    raw["categories"]["check_in"]["max_per_week"] = 3
    raw["categories"]["administrative"]["channels"] = ["portal"]
    raw["categories"]["administrative"]["outside_hours"] = "block"
    raw["categories"]["administrative"]["windows"][0]["end"] = "16:00"
    raw["categories"]["scheduled_call"] = {"allowed": False}
    raw["away"] = [{"start": "2026-12-24", "end": "2027-01-01", "reply": "Back January 2."}]
    del raw["pause_after_crisis"]
    changes = rules_changes(old, validate_rules(raw))
    assert changes == [
        RuleChange("Time zone", "America/New_York", "America/Chicago"),
        RuleChange("Re-consent grace period", "14 days", "7 days"),
        RuleChange(
            "Administrative (scheduling, billing, forms): channels",
            "Portal message, E-mail",
            "Portal message",
        ),
        RuleChange(
            "Administrative (scheduling, billing, forms): hours",
            "Monday to Friday, 09:00 to 17:00",
            "Monday to Friday, 09:00 to 16:00",
        ),
        RuleChange(
            "Administrative (scheduling, billing, forms): outside these hours",
            "Hold until my hours begin",
            "Refuse (ask to send during hours)",
        ),
        RuleChange("Pre-scheduled call", "allowed", "not allowed"),
        RuleChange("Brief check-in: weekly limit", "2 per week", "3 per week"),
        RuleChange("Away 2026-12-24 to 2027-01-01", "not away", "\u201cBack January 2.\u201d"),
        RuleChange("Pause after a crisis", "24 hours: Pre-scheduled call, Brief check-in", "no pause"),
    ]


@pytest.mark.parametrize(
    "field, old, new, rule, before, after",
    [
        (
            "crisis_resources",
            "Call 911.",
            "Call 988.",
            "Crisis resources",
            "\u201cCall 911.\u201d",
            "\u201cCall 988.\u201d",
        ),
        ("after_hours_reply", "", "Back soon.", "After-hours reply", "(none)", "\u201cBack soon.\u201d"),
    ],
)
def test_text_settings_changes_quote_the_words(field, old, new, rule, before, after):
    assert rules_changes(normalised(**{field: old}), normalised(**{field: new})) == [
        RuleChange(rule, before, after)
    ]


def test_a_removed_away_period_and_a_changed_reply():
    a = normalised(
        away=[
            {"start": "2026-12-24", "end": "2026-12-26", "reply": "Away."},
            {"start": "2027-04-05", "end": "2027-04-05", "reply": "Holiday."},
        ]
    )
    b = normalised(away=[{"start": "2027-04-05", "end": "2027-04-05", "reply": "Public holiday."}])
    assert rules_changes(a, b) == [
        RuleChange("Away 2026-12-24 to 2026-12-26", "\u201cAway.\u201d", "removed"),
        RuleChange(
            "Away 2027-04-05 to 2027-04-05: reply", "\u201cHoliday.\u201d", "\u201cPublic holiday.\u201d"
        ),
    ]


def test_the_channel_section_says_what_each_allowed_channel_is_for_and_risks():
    body = section(normalised(), "channels")
    # GOOD_RULES allow portal, e-mail, phone and video (not SMS): one line each, in a fixed order.
    assert [line.split(":")[0] for line in body.splitlines()[1:]] == [
        "- Portal messages",
        "- E-mail",
        "- Phone",
        "- Video calls",
    ]
    assert "encrypted" in body and "only say that something is waiting" in body
    assert "not encrypted end to end" in body and "Nothing clinical is written by e-mail" in body
    assert "voicemail" in body and "someone else may answer" in body
    assert "the practice's video service" in body


def test_the_channel_section_follows_the_rules_and_names_the_video_platform(settings):
    settings.PORTAL_VIDEO_PLATFORM = "Doxy.me"
    rules = copy.deepcopy(GOOD_RULES)
    rules["categories"]["administrative"]["channels"] = ["portal", "sms"]
    body = section(validate_rules(rules), "channels")
    assert "Text messages (SMS)" in body and "lock screen" in body and "E-mail:" not in body
    assert "on Doxy.me." in body
