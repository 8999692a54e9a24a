"""Plain words for decisions: what the sender reads after a send, in the thread and in the simulator.

One map for every door that shows a decision to a person, so the thread page, the
simulator and the dashboards never word the same reason two ways. Reason codes are the
contract's stable codes; an unknown code (a newer engine) falls back to a neutral line
instead of failing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo

from policies.rules import CATEGORY_LABELS, CHANNEL_LABELS

__all__ = [
    "CATEGORY_LABELS", "CHANNEL_LABELS", "OUTCOME_HEADLINES", "REASON_TEXT", "Outcome",
    "describe_outcome", "describe_decision", "describe_message", "reason_text", "local_time",
    "category_label", "channel_label",
]

OUTCOME_HEADLINES = {
    "delivered": "Delivered.",
    "held": "Held until the next open time.",
    "delivered_with_exception": "Delivered as a boundary exception.",
    "escalated": "Delivered at once, and your therapist has been alerted.",
    "blocked": "Not sent.",
    "cancelled": "Cancelled.",
}

# Each reason code in words a client or a therapist understands without the contract at hand.
REASON_TEXT = {
    "no_consent": "There is no signed consent to the contact policy yet, so messages cannot be exchanged.",
    "consent_revoked": "Consent to the contact policy was withdrawn, so messages cannot be exchanged.",
    "consent_superseded": ("The contact policy changed and the new version has not been agreed to yet, "
                           "so messages cannot be exchanged."),
    "care_ended": "Care on this thread has ended, so new contact is not accepted.",
    "category_not_allowed": "The contact policy does not allow this kind of contact.",
    "channel_not_allowed": ("This way of contact is not allowed for this kind of contact, or was not "
                            "agreed to when the policy was signed."),
    "outside_hours": "It is outside the hours the contact policy sets for this kind of contact.",
    "rate_limited": "The weekly limit for this kind of contact has been reached (it counts the last 7 days).",
    "crisis_detected": ("The message reads as a crisis, so it was delivered at once and the therapist "
                        "was alerted."),
    "override": "The therapist overrode the policy; this is recorded and reviewed by the practice.",
    "never_allowed": ("Personal or social contact and social media are never part of therapy contact, "
                      "to protect the therapy and your confidentiality."),
    "too_long": "The call is longer than the policy allows.",
    "paused_after_crisis": ("After a recent crisis message this kind of contact is paused for a while, "
                            "so that it can be talked through together in the next session. "
                            "Emergency contact stays open."),
}

_LEVELS = {"delivered": "success", "held": "warning", "delivered_with_exception": "warning",
           "escalated": "danger", "blocked": "danger", "cancelled": "secondary"}


def reason_text(code: str) -> str:
    return REASON_TEXT.get(code, f"Policy rule: {code.replace('_', ' ')}.")


def category_label(name: str) -> str:
    return CATEGORY_LABELS.get(name, name.replace("_", " ").capitalize())


def channel_label(name: str) -> str:
    return CHANNEL_LABELS.get(name, name.replace("_", " ").capitalize())


def _zone(tz: tzinfo | str | None) -> tzinfo:
    if tz is None:
        return ZoneInfo("UTC")
    if isinstance(tz, str):
        return ZoneInfo(tz)
    return tz


def local_time(at: datetime | None, tz: tzinfo | str | None) -> str:
    """An instant as the policy's wall clock, with the zone named so nobody guesses:
    'Monday 5 January 2026, 09:00 (America/New_York time)'."""
    if at is None:
        return ""
    zone = _zone(tz)
    local = at.astimezone(zone)
    name = getattr(zone, "key", None) or str(zone)
    return f"{local:%A} {local.day} {local:%B %Y, %H:%M} ({name} time)"


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
        "blocked": ("Logged as outside the contact policy: the record is kept for your practice's review. "
                    "Give an override reason if the contact was necessary."),
    },
}


def describe_outcome(*, outcome: str, reasons=(), deliver_at: datetime | None = None,
                     crisis_resources: str | None = None, auto_reply: str | None = None,
                     tz: tzinfo | str | None = None, kind: str = "message") -> Outcome:
    """Plain words for one decision. `tz` is the policy's zone, in which a held message's
    delivery time is given; `kind` is what was sent (message, call or contact)."""
    reasons = tuple(reasons or ())
    when = local_time(deliver_at, tz) if deliver_at else ""
    headline = OUTCOME_HEADLINES.get(outcome, outcome.replace("_", " ").capitalize() + ".")
    if outcome == "held":
        headline = (f"Held until {when}. It will be delivered then, unless you cancel it."
                    if when else "Held until the next open time. It will be delivered then, unless you cancel it.")
    elif outcome == "delivered" and "outside_hours" in reasons:
        headline = ("Delivered, outside the usual hours: a reply may take until the hours begin."
                    if kind == "message" else "Contact logged, outside the usual hours.")
    elif outcome == "blocked":
        headline = "Not sent: the contact policy does not allow it."
    headline = _KIND_HEADLINES.get(kind, {}).get(outcome, headline) if not (
        outcome == "delivered" and "outside_hours" in reasons) else headline
    shown = tuple(reason_text(code) for code in reasons
                  if not (outcome == "delivered" and code == "outside_hours"))
    return Outcome(outcome=outcome, level=_LEVELS.get(outcome, "info"), headline=headline, reasons=shown,
                   deliver_at_text=when, crisis_resources=(crisis_resources or "").strip(),
                   auto_reply=(auto_reply or "").strip())


def describe_decision(decision, *, tz=None, kind: str = "message") -> Outcome:
    """Plain words for a policies.engine.Decision (or anything with its attributes)."""
    return describe_outcome(outcome=decision.outcome, reasons=decision.reasons, deliver_at=decision.deliver_at,
                            crisis_resources=decision.crisis_resources, auto_reply=decision.auto_reply, tz=tz,
                            kind=kind)


def describe_message(message, *, tz=None) -> Outcome:
    """Plain words for a stored contact, from the decision recorded on it."""
    return describe_outcome(outcome=message.status, reasons=message.reasons or (), deliver_at=message.deliver_at,
                            crisis_resources=message.crisis_resources, auto_reply=message.auto_reply, tz=tz,
                            kind=message.kind)
