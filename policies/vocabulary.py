"""The portal's one vocabulary: every code of a contact policy and of its decisions, in its
orders and with its plain labels.

This module is the only owner of these codes (tests/policies/test_vocabulary.py scans the
tree for a second copy): the categories and their orders, the channels, the days, what can
never be allowed, the outside-hours modes, the consent states, the decisions' outcomes,
their reason codes and exception kinds, and the short label of each. The sentences shown to
people around them (a reason explained, a headline after a send) live in policies.wording
and messaging.wording, keyed by these codes; the policy text's own wording in policies.text.

It imports nothing, so the engine can read it without Django.
"""

from __future__ import annotations

# --- categories --------------------------------------------------------------------------

# The contract's order: the stored rules, the API and the validator's messages use it.
CATEGORIES = ("emergency", "administrative", "scheduled_call", "check_in", "personal")
# Never allowed, for either side, override or not (the engine's rule 2).
NEVER_ALLOWED_CATEGORIES = frozenset({"personal"})
# What a policy can allow, in the contract's order: the policy text's order, and what the
# reader can read a text as.
CONTACT_CATEGORIES = tuple(c for c in CATEGORIES if c not in NEVER_ALLOWED_CATEGORIES)
# The editor's order (emergency first, calls last): the editor, the week view and the client's
# "allowed right now" table.
EDITOR_ORDER = ("emergency", "administrative", "check_in", "scheduled_call")
# What a crisis pause can pause: everything a policy allows but emergency contact.
PAUSABLE_CATEGORIES = tuple(c for c in EDITOR_ORDER if c != "emergency")
# Which category a text reads as when it reads as several (policies.reader): the most urgent
# first, then a call asked for, then the routine.
READING_PRECEDENCE = ("emergency", "scheduled_call", "administrative", "check_in")
# Whose hours an after-hours reply speaks of: the messages a therapist reads in their hours.
REPLY_HOURS_CATEGORIES = ("administrative", "check_in")

CATEGORY_LABELS = {
    "emergency": "Emergency",
    "administrative": "Administrative (scheduling, billing, forms)",
    "scheduled_call": "Pre-scheduled call",
    "check_in": "Brief check-in",
    "personal": "Personal or social contact",
}
# Short, for a column a seventh of the page wide (the week view's bands).
CATEGORY_SHORT_LABELS = {
    "emergency": "Emergency",
    "administrative": "Admin",
    "check_in": "Check-in",
    "scheduled_call": "Calls",
    "personal": "Personal",
}
# One letter each, for the week view's compact marks.
CATEGORY_MARKS = {"emergency": "E", "administrative": "A", "check_in": "C", "scheduled_call": "S"}
# As the policy text names them (a client reads and signs it; its hash is frozen on publish,
# so these words are part of every published text: change them only with a new version).
CATEGORY_IN_TEXT = {
    "emergency": "Emergencies",
    "administrative": "Administrative questions (scheduling, billing, forms)",
    "scheduled_call": "Pre-scheduled calls",
    "check_in": "Brief check-ins between sessions",
}

# --- channels ----------------------------------------------------------------------------

CHANNELS = ("portal", "phone", "video", "sms", "email", "social_media")
NEVER_ALLOWED_CHANNELS = frozenset({"social_media"})
# What a policy can offer, in the contract's order.
OFFERED_CHANNELS = tuple(c for c in CHANNELS if c not in NEVER_ALLOWED_CHANNELS)
# The ways a call is held.
CALL_CHANNELS = ("phone", "video")
# The order of the policy text's informed-consent section (each channel, what it risks).
CHANNEL_RISK_ORDER = ("portal", "email", "sms", "phone", "video")

CHANNEL_LABELS = {
    "portal": "Portal message",
    "phone": "Phone",
    "video": "Video call",
    "sms": "Text message (SMS)",
    "email": "E-mail",
    "social_media": "Social media",
}
# As the policy text names them ("How: this portal and phone.").
CHANNEL_IN_TEXT = {
    "portal": "this portal",
    "phone": "phone",
    "video": "video call",
    "sms": "text message (SMS)",
    "email": "e-mail",
    "social_media": "social media",
}

# Why the never-allowed can never be allowed, said wherever one is refused.
PERSONAL_WHY = (
    "Personal contact (dual relationships, social contact) can never be allowed: "
    "it would blur the therapeutic boundary."
)
SOCIAL_WHY = "Social media can never be a contact channel: it cannot keep your clients' confidentiality."

# --- days and dates ----------------------------------------------------------------------

# Monday first: DAYS[date.weekday()] is a date's day code.
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES = {
    "mon": "Monday",
    "tue": "Tuesday",
    "wed": "Wednesday",
    "thu": "Thursday",
    "fri": "Friday",
    "sat": "Saturday",
    "sun": "Sunday",
}
DAY_SHORT_NAMES = {d: d.capitalize() for d in DAYS}
# Our own month names: the policy text must not depend on the server's locale.
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

# --- outside a category's hours ----------------------------------------------------------

OUTSIDE_HOURS_MODES = ("hold", "deliver", "block")
OUTSIDE_HOURS_LABELS = {
    "hold": "Hold until my hours begin",
    "deliver": "Deliver now with my after-hours reply",
    "block": "Refuse (ask to send during hours)",
}

# --- who, what kind, under which consent -------------------------------------------------

SENDERS = ("client", "therapist")
SENDER_LABELS = {"client": "A client", "therapist": "Me (the therapist)"}
# What a contact is (the engine's Contact.kind).
CONTACT_KINDS = ("message", "call", "contact")
# The consent a decision is made under (engine.ConsentSnapshot.state).
CONSENT_STATES = ("active", "grace", "none", "revoked", "superseded")
# A stored consent's status (policies.models.Consent.Status) in words.
CONSENT_STATUS_LABELS = {
    "active": "Active",
    "superseded": "Replaced by a newer version of the policy",
    "revoked": "Withdrawn",
}
# A policy version's status (policies.models.PolicyVersion.Status) in words.
VERSION_STATUS_LABELS = {
    "draft": "Draft (not published)",
    "published": "Published (in force)",
    "superseded": "Replaced by a later version",
}

# --- decisions ---------------------------------------------------------------------------

# What the engine decides; a held message can later be cancelled (a stored contact's status).
DECISION_OUTCOMES = ("delivered", "held", "delivered_with_exception", "escalated", "blocked")
OUTCOMES = (*DECISION_OUTCOMES, "cancelled")
# One label each, for the simulator, the audit pages and the client's record alike.
OUTCOME_LABELS = {
    "delivered": "Delivered",
    "held": "Held until the next opening",
    "delivered_with_exception": "Delivered as an exception",
    "escalated": "Escalated as a crisis",
    "blocked": "Blocked",
    "cancelled": "Cancelled",
}

# Every reason code a decision can carry (and a cancelled held message: consent_revoked), in
# the contract's order of precedence, with a short label. The sentence that explains each to
# a person is policies.wording.REASON_TEXT.
REASON_LABELS = {
    "crisis_detected": "Crisis language",
    "never_allowed": "Never allowed",
    "personal_content": "Asks for contact outside therapy",
    "care_ended": "Care has ended",
    "no_consent": "No signed consent",
    "consent_revoked": "Consent withdrawn",
    "consent_superseded": "New policy version not agreed to yet",
    "category_not_allowed": "Kind of contact not allowed",
    "channel_not_allowed": "Way of contact not allowed",
    "too_long": "Call too long",
    "paused_after_crisis": "Paused after a crisis",
    "rate_limited": "Weekly limit reached",
    "outside_hours": "Outside the hours",
    "override": "Therapist override",
    "emergency_mismatch": "Emergency that reads as routine",
}
REASON_CODES = tuple(REASON_LABELS)
# The reason a contact is blocked for under each consent state that does not let it through.
CONSENT_BLOCK_REASONS = {
    "none": "no_consent",
    "revoked": "consent_revoked",
    "superseded": "consent_superseded",
}

# The boundary exceptions a decision records (audit.models.BoundaryException.Kind).
EXCEPTION_KIND_LABELS = {
    "blocked": "Blocked contact",
    "override": "Therapist override",
    "after_hours": "Delivered after hours",
    "crisis": "Crisis escalation",
    "consent_revoked": "Consent withdrawn",
    "emergency_mismatch": "Emergency that reads as routine",
}
EXCEPTION_KINDS = tuple(EXCEPTION_KIND_LABELS)
# The exception an outcome is by itself (a delivery outside the hours is `after_hours`).
OUTCOME_EXCEPTION_KINDS = {
    "blocked": "blocked",
    "delivered_with_exception": "override",
    "escalated": "crisis",
}


def _fallback(code: str) -> str:
    return code.replace("_", " ").capitalize()


def category_label(code: str) -> str:
    return CATEGORY_LABELS.get(code, _fallback(code))


def channel_label(code: str) -> str:
    return CHANNEL_LABELS.get(code, _fallback(code))


def outcome_label(code: str) -> str:
    return OUTCOME_LABELS.get(code, _fallback(code))


def exception_kind_label(code: str) -> str:
    return EXCEPTION_KIND_LABELS.get(code, _fallback(code))
