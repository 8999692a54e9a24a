"""The decision engine: one pure function that applies a compiled policy to one contact.

It imports nothing from Django or the ORM and reads no clock: the caller passes the
time, the consent state and the history it needs. Rules are compiled once per
policy version (`compile_rules`) into tables that `decide` reads without parsing.

This module is the decision's steps (`reading_of`, `category_for`, `needs_category`,
`decide` and its rules in the contract's order of precedence). Its inputs and output are
`policies.engine_types` (`Contact`, `ConsentSnapshot`, `History`, `Decision`), the compiled
policy `policies.compiled` (`compile_rules`, `CompiledPolicy`), and the window and time
arithmetic `policies.hours` (`is_open`, `next_opening`, `open_summary`, `week_grid`,
`window_occurrences`, `call_fits`); callers import each name from the module that owns it.
"""

from __future__ import annotations

from datetime import UTC, timedelta

from .compiled import DEFAULT_CRISIS_RESOURCES, CompiledPolicy
from .engine_types import ConsentSnapshot, Contact, Decision, History
from .hours import _open_local, call_fits, next_opening
from .reader import NOTHING, Reading, read
from .vocabulary import CONSENT_BLOCK_REASONS, NEVER_ALLOWED_CATEGORIES, NEVER_ALLOWED_CHANNELS

__all__ = [
    "RATE_WINDOW",
    "category_for",
    "decide",
    "needs_category",
    "reading_of",
]

UTC = UTC
RATE_WINDOW = timedelta(hours=168)


def reading_of(contact: Contact) -> Reading:
    """The reading a contact is decided on: its body's, read here unless the caller already
    read it. A call request or a logged contact's note carries no message body to read."""
    if contact.kind != "message":
        return NOTHING
    return contact.reading if contact.reading is not None else read(contact.body)


def category_for(category: str | None, reading: Reading) -> str | None:
    """The category a contact is decided under: the one given, else the one its body reads as.
    None when neither names one; the decision can still be made then only for a client's
    crisis language or personal content (see needs_category)."""
    return category or reading.category


def needs_category(category: str | None, sender: str, reading: Reading) -> bool:
    """True when a send cannot be decided without the sender saying what it is about: no
    category given, none read, and the text is neither a client's crisis nor personal."""
    return (
        category_for(category, reading) is None
        and not reading.personal
        and not (sender == "client" and reading.crisis)
    )


def _blocked(reasons: tuple[str, ...], resources: str | None, auto_reply: str | None = None) -> tuple:
    return ("blocked", reasons, None, resources, auto_reply)


def decide(
    policy: CompiledPolicy | None, contact: Contact, consent: ConsentSnapshot, history: History
) -> Decision:
    reading = reading_of(contact)
    is_client = contact.sender == "client"
    category = category_for(contact.category, reading)
    outcome, reasons, deliver_at, resources, auto_reply = _rules(
        policy, contact, category, reading, consent, history
    )
    if category is None:  # only a crisis or personal content is decided without one
        category = "emergency" if outcome == "escalated" else "personal"
    # A client's emergency that reads as another category (and is not crisis language) is
    # still an emergency, never second-guessed: the mismatch is only noted, for the pattern.
    if (
        is_client
        and contact.category == "emergency"
        and not contact.release
        and outcome != "blocked"
        and outcome != "escalated"
        and reading.category is not None
        and reading.category != "emergency"
    ):
        reasons = reasons + ("emergency_mismatch",)
    return Decision(outcome, reasons, deliver_at, resources, auto_reply, reading, category)


def _rules(
    policy: CompiledPolicy | None,
    contact: Contact,
    category: str | None,
    reading: Reading,
    consent: ConsentSnapshot,
    history: History,
) -> tuple:
    """The rules in the contract's order of precedence: (outcome, reasons, deliver_at,
    crisis_resources, auto_reply)."""
    at = contact.at.astimezone(UTC)
    is_client = contact.sender == "client"
    resources = policy.crisis_resources if policy is not None else DEFAULT_CRISIS_RESOURCES
    emergency_resources = resources if category == "emergency" else None

    # 1. Crisis language from a client escalates, whatever else is true (a held message
    # too, when it is read again at release: it is never cancelled).
    if is_client and reading.crisis:
        return ("escalated", ("crisis_detected",), None, resources, None)

    # 2. Never allowed, for both sides, override or not: by its label, or by what it says.
    if reading.personal:
        return _blocked(("never_allowed", "personal_content"), emergency_resources)
    if category in NEVER_ALLOWED_CATEGORIES or contact.channel in NEVER_ALLOWED_CHANNELS:
        return _blocked(("never_allowed",), emergency_resources)
    if category is None:
        raise ValueError(
            "A contact that is neither crisis nor personal needs a category (see needs_category)."
        )

    override = (not is_client) and bool(contact.override_reason and contact.override_reason.strip())
    passed: list[str] = []

    # 3. Care and consent.
    gate: list[str] = []
    if history.care_ended:
        gate.append("care_ended")
    consent_ok = consent.state in ("active", "grace")
    if not consent_ok:
        gate.append(CONSENT_BLOCK_REASONS.get(consent.state, "consent_superseded"))
    consent_overridden = False
    if gate:
        if override and category == "emergency":
            passed.extend(gate)
            consent_overridden = not consent_ok
        else:
            return _blocked(tuple(gate), emergency_resources)

    if policy is None:
        return _blocked(("category_not_allowed",), emergency_resources)

    # 4. Category and channel (and a call's length).
    rule = policy.categories.get(category)
    if rule is None or not rule.allowed:
        if override:
            passed.append("category_not_allowed")
            return (
                "delivered_with_exception",
                tuple(passed) + ("override",),
                None,
                emergency_resources,
                None,
            )
        return _blocked(("category_not_allowed",), emergency_resources)
    rule4: list[str] = []
    if contact.channel not in rule.channels or (
        not consent_overridden and contact.channel not in consent.channels
    ):
        rule4.append("channel_not_allowed")
    minutes = contact.minutes
    if (
        minutes is not None
        and rule.max_minutes is not None
        and minutes > rule.max_minutes
        and contact.kind != "message"
    ):
        rule4.append("too_long")
    if rule4:
        if not override:
            return _blocked(tuple(rule4), emergency_resources)
        passed.extend(rule4)

    if contact.release:
        # A held message's hours have come and its rate-limit count was already taken.
        return ("delivered", (), None, emergency_resources, None)

    # 5. Clients only: the crisis pause, then the rate limit.
    if is_client:
        if (
            policy.pause_hours
            and category in policy.pause_categories
            and history.last_crisis_at is not None
            and at < history.last_crisis_at.astimezone(UTC) + timedelta(hours=policy.pause_hours)
        ):
            return _blocked(("paused_after_crisis",), resources)
        if (
            category != "emergency"
            and rule.max_per_week is not None
            and history.sent_in_category_last_week >= rule.max_per_week
        ):
            return _blocked(("rate_limited",), emergency_resources)

    # 6. Hours, away periods included.
    local = at.astimezone(policy.tz)
    away = policy.away_on(local.date()) if (policy.away and category != "emergency") else None
    auto_reply = None
    if is_client:
        auto_reply = (away.reply.strip() or policy.after_hours_reply) if away else policy.after_hours_reply
    auto_reply = auto_reply or None
    if contact.kind == "call":
        inside = call_fits(policy, rule, at, minutes or 0)
        mode = "block"
    else:
        inside = _open_local(policy, rule, local)
        mode = rule.outside_hours
    if not inside:
        if override:
            passed.append("outside_hours")
        elif mode == "deliver":
            return ("delivered", tuple(passed) + ("outside_hours",), None, emergency_resources, auto_reply)
        elif mode == "hold":
            return (
                "held",
                ("outside_hours",),
                next_opening(policy, category, at),
                emergency_resources,
                auto_reply,
            )
        else:
            return _blocked(("outside_hours",), emergency_resources, auto_reply if away else None)

    # 7. A therapist's override passes whatever of rules 3-6 it had to.
    if override and passed:
        return ("delivered_with_exception", tuple(passed) + ("override",), None, emergency_resources, None)
    return ("delivered", (), None, emergency_resources, None)
