"""Plain words for decisions: what the sender reads after a send, in the thread and in the simulator.

One map for every door that shows a decision to a person, so the thread page, the
simulator and the dashboards never word the same reason two ways. Reason codes are the
contract's stable codes; an unknown code (a newer engine) falls back to a neutral line
instead of failing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo

from policies.vocabulary import CATEGORY_LABELS, VERSION_STATUS_LABELS, category_label, channel_label
from policies.wording import READS_AS_SHORT, REASON_TEXT, reason_text
from portal.localtime import local_time

__all__ = [
    "OUTCOME_HEADLINES",
    "Outcome",
    "describe_outcome",
    "describe_decision",
    "describe_message",
    "READS_AS",
    "PREVIEW_TEXT",
    "CATEGORY_NEEDED",
    "compose_words",
    "crisis_watch_text",
    "crisis_pause_text",
    "CALL_STATUS_LABELS",
    "OUTSIDE_HOURS_CLIENT_TEXT",
    "call_status_label",
    "version_status_label",
    "channels_text",
    "fingerprint",
]

OUTCOME_HEADLINES = {
    "delivered": "Delivered.",
    "held": "Held until the next open time.",
    "delivered_with_exception": "Delivered as a boundary exception.",
    "escalated": "Delivered at once, and your therapist has been alerted.",
    "blocked": "Not sent.",
    "cancelled": "Cancelled.",
}

_LEVELS = {
    "delivered": "success",
    "held": "warning",
    "delivered_with_exception": "warning",
    "escalated": "danger",
    "blocked": "danger",
    "cancelled": "secondary",
}


# Statuses and codes a person sees, in words (consents, calls, policy versions, fingerprints).
CALL_STATUS_LABELS = {
    "booked": "booked, waiting for confirmation",
    "confirmed": "confirmed",
    "declined": "declined",
    "cancelled": "cancelled",
}
OUTSIDE_HOURS_CLIENT_TEXT = {
    "hold": "held until it opens",
    "deliver": "delivered, with an after-hours reply",
    "block": "not accepted",
}


def call_status_label(code: str) -> str:
    return CALL_STATUS_LABELS.get(code, code.replace("_", " "))


def version_status_label(code: str) -> str:
    return VERSION_STATUS_LABELS.get(code, code.replace("_", " ").capitalize())


def channels_text(codes) -> str:
    """'Portal messages, phone and e-mail': a list of channel codes in words."""
    names = [channel_label(c) for c in codes or ()]
    if not names:
        return "none"
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def fingerprint(sha256_hex: str) -> str:
    """A hash as a person can compare it: the first 16 hex digits, in groups of four."""
    short = (sha256_hex or "")[:16]
    return " ".join(short[i : i + 4] for i in range(0, len(short), 4))


@dataclass(frozen=True)
class Outcome:
    """A decision put in plain words, ready for a template."""

    outcome: str
    level: str  # a Bootstrap contextual class: success, warning, danger, secondary
    headline: str
    reasons: tuple[str, ...]
    deliver_at_text: str
    crisis_resources: str
    auto_reply: str

    @property
    def is_blocked(self) -> bool:
        return self.outcome == "blocked"


# Headlines that differ by what was sent: a call is booked, a logged contact is recorded.
_KIND_HEADLINES = {
    "call": {
        "delivered": "Call booked. The time is held for you until the therapist confirms it.",
        "delivered_with_exception": "Call booked as a boundary exception. It waits for the therapist to confirm it.",
        "blocked": "Call not booked: the contact policy does not allow it.",
    },
    "contact": {
        "delivered": "Contact logged.",
        "delivered_with_exception": "Contact logged as a boundary exception.",
        "blocked": (
            "Logged as outside the contact policy: the record is kept for your practice's review. "
            "Give an override reason if the contact was necessary."
        ),
    },
}


def describe_outcome(
    *,
    outcome: str,
    reasons=(),
    deliver_at: datetime | None = None,
    crisis_resources: str | None = None,
    auto_reply: str | None = None,
    tz: tzinfo | str | None = None,
    kind: str = "message",
) -> Outcome:
    """Plain words for one decision. `tz` is the policy's zone, in which a held message's
    delivery time is given; `kind` is what was sent (message, call or contact)."""
    reasons = tuple(reasons or ())
    # The page names its zone once (zone_note): the time here goes without it.
    when = local_time(deliver_at, tz, named=False) if deliver_at else ""
    headline = OUTCOME_HEADLINES.get(outcome, outcome.replace("_", " ").capitalize() + ".")
    if outcome == "held":
        headline = (
            f"Held until {when}. It will be delivered then, unless you cancel it."
            if when
            else "Held until the next open time. It will be delivered then, unless you cancel it."
        )
    elif outcome == "delivered" and "outside_hours" in reasons:
        headline = (
            "Delivered, outside the usual hours: a reply may take until the hours begin."
            if kind == "message"
            else "Contact logged, outside the usual hours."
        )
    elif outcome == "blocked":
        headline = "Not sent: the contact policy does not allow it."
    headline = (
        _KIND_HEADLINES.get(kind, {}).get(outcome, headline)
        if not (outcome == "delivered" and "outside_hours" in reasons)
        else headline
    )
    shown = tuple(
        reason_text(code) for code in reasons if not (outcome == "delivered" and code == "outside_hours")
    )
    return Outcome(
        outcome=outcome,
        level=_LEVELS.get(outcome, "info"),
        headline=headline,
        reasons=shown,
        deliver_at_text=when,
        crisis_resources=(crisis_resources or "").strip(),
        auto_reply=(auto_reply or "").strip(),
    )


def describe_decision(decision, *, tz=None, kind: str = "message") -> Outcome:
    """Plain words for a policies.engine.Decision (or anything with its attributes)."""
    return describe_outcome(
        outcome=decision.outcome,
        reasons=decision.reasons,
        deliver_at=decision.deliver_at,
        crisis_resources=decision.crisis_resources,
        auto_reply=decision.auto_reply,
        tz=tz,
        kind=kind,
    )


def describe_message(message, *, tz=None) -> Outcome:
    """Plain words for a stored contact, from the decision recorded on it."""
    return describe_outcome(
        outcome=message.status,
        reasons=message.reasons or (),
        deliver_at=message.deliver_at,
        crisis_resources=message.crisis_resources,
        auto_reply=message.auto_reply,
        tz=tz,
        kind=message.kind,
    )


# --- what a message reads as --------------------------------------------------------------
# The reader's `reading` (policies.reader) in words: the client's compose box says what the
# text reads as before it is sent; the therapist's thread marks each message's reading.

READS_AS = {
    "emergency": "an urgent need for help",
    "administrative": "a billing or scheduling question",
    "scheduled_call": "a request to arrange a call",
    "check_in": "an update on how you are doing",
    "personal": "a request for contact outside therapy",
}

# The compose box's preview, put together by static/messaging/compose.js from the preview
# answer; every word it shows comes from here (the page carries this map in a data attribute).
PREVIEW_TEXT = {
    "reads_as": "Reads as: {what}.",
    "sent_as": "You chose: {what}.",
    "unclear": (
        "The portal cannot tell yet what this is about. Keep writing, or choose what it is about "
        "below; emergency messages are always accepted."
    ),
    "now": "It is {time} on {day}",
    "held": "it will be delivered on {when}",
    "delivered": "It will be delivered now",
    "delivered_outside": "it is outside the usual hours: it will be delivered now, but a reply may wait until they begin",
    "reply": "you can expect a reply within {hours} hours",
    "escalated": "If you send it, it is delivered at once and your therapist is alerted.",
    "with_exception": "It will be delivered now as a boundary exception (your override is recorded).",
    "blocked": "If you send it now, it will not be sent:",
    "auto_reply": "You will get this automatic reply: “{text}”",
    "when_soon": "{day} at {time}",
    "when_far": "{day} {date} at {time}",
    "crisis_heading": "It sounds like you may be in crisis. Please get help now:",
    "resources_heading": "Get help now:",
    "error": "Could not check what sending would do. You can still send: the portal decides when you do.",
    "checking": "Checking what sending would do…",
    "change": "Change what this is about",
    "session": "Your session has ended. Copy what you wrote, then reload the page to log in again.",
    "unknown_reason": "Policy rule: {code}.",
}


# A send without a category whose text reads as nothing in particular (the form's error).
CATEGORY_NEEDED = (
    "Say what this is about: the portal cannot tell from what you wrote. Choose it here; "
    "emergency messages are always accepted."
)


def compose_words(
    *, response_hours: dict[str, int | None], tz_name: str, for_therapist: bool = False
) -> dict:
    """Everything the compose box's script words its preview with, as one JSON-able map.
    READS_AS speaks to the client ("how you are doing"); a therapist gets the short words."""
    return {
        "text": PREVIEW_TEXT,
        "reads_as": {**READS_AS_SHORT, "personal": "contact outside therapy"} if for_therapist else READS_AS,
        "categories": dict(CATEGORY_LABELS.items()),
        "reasons": REASON_TEXT,
        "response_hours": {k: v for k, v in response_hours.items() if v},
        "tz": tz_name,
    }


def crisis_watch_text(*, open_now: bool, next_opening: str, sent: bool = False) -> str:
    """Honest words on when the therapist will read a crisis message: the portal is not
    watched around the clock, and outside the therapist's hours it may be hours or days.
    `sent`: said after the send (the outcome), else while the client is still writing."""
    first = (
        "Your message was delivered at once and your therapist was alerted, but this portal is not watched "
        "around the clock."
        if sent
        else "This portal is not watched around the clock."
    )
    if open_now:
        then = "Your therapist may still not read it straight away."
    elif next_opening:
        then = f"It is outside your therapist's hours: they may not read it until {next_opening}."
    else:
        then = "Your therapist may not read it for some time."
    return f"{first} {then} Do not wait for a reply: use the numbers above now."


def crisis_pause_text(pause: dict | None) -> str:
    """The crisis pause (the policy's `pause_after_crisis`) in words, or "" when there is none."""
    if not pause or not pause.get("hours") or not pause.get("categories"):
        return ""
    names = [category_label(c).split(" (")[0].lower() for c in pause["categories"]]
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return (
        f"After a crisis message, {listed} are paused for {pause['hours']} hours, so that it can be talked "
        f"through together first. Emergency messages stay open."
    )
