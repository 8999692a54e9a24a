"""The words of a decision: each reason code explained, and what the reader read a text as.

Every page that shows a decision to a person words it from here: the thread and the
compose box (beside messaging.wording, the sentences of its own pages) and the policy
simulator. The codes themselves and their short labels are
policies.vocabulary's. Reason codes are the contract's stable codes; an unknown code (a
newer engine) falls back to a neutral line instead of failing."""

from __future__ import annotations

# Each reason code in words a client or a therapist understands without the contract at hand.
REASON_TEXT = {
    "no_consent": "There is no signed consent to the contact policy yet, so messages cannot be exchanged.",
    "consent_revoked": "Consent to the contact policy was withdrawn, so messages cannot be exchanged.",
    "consent_superseded": (
        "The contact policy changed and the new version has not been agreed to yet, "
        "so messages cannot be exchanged."
    ),
    "care_ended": "Care on this thread has ended, so new contact is not accepted.",
    "category_not_allowed": "The contact policy does not allow this kind of contact.",
    "channel_not_allowed": (
        "This way of contact is not allowed for this kind of contact, or was not "
        "agreed to when the policy was signed."
    ),
    "outside_hours": "It is outside the hours the contact policy sets for this kind of contact.",
    "rate_limited": "The weekly limit for this kind of contact has been reached (it counts the last 7 days).",
    "crisis_detected": (
        "The message reads as a crisis, so it was delivered at once and the therapist was alerted."
    ),
    "override": "The therapist overrode the policy; this is recorded and reviewed by the practice.",
    "never_allowed": (
        "Personal or social contact and social media are never part of therapy contact, "
        "to protect the therapy and your confidentiality."
    ),
    "too_long": "The call is longer than the policy allows.",
    "paused_after_crisis": (
        "After a recent crisis message this kind of contact is paused for a while, "
        "so that it can be talked through together in the next session. "
        "Emergency contact stays open."
    ),
    "personal_content": (
        "It asks for contact outside therapy (connecting on social media, meeting socially, a "
        "date, a gift, friendship or business), which is never part of therapy contact, "
        "whatever kind of message it is sent as."
    ),
    "emergency_mismatch": (
        "It was sent as an emergency and is treated as one; it reads like a routine "
        "question, and that is noted for the therapist."
    ),
}


def reason_text(code: str) -> str:
    return REASON_TEXT.get(code, f"Policy rule: {code.replace('_', ' ')}.")


# --- what a message reads as --------------------------------------------------------------
# The reader's `reading` (policies.reader) in words: the therapist's thread marks each
# message's reading; the simulator says everything a reading found.

# The same, short, for the therapist's markers: "Sent as emergency, reads as billing or scheduling".
READS_AS_SHORT = {
    "emergency": "urgent",
    "administrative": "billing or scheduling",
    "scheduled_call": "a call request",
    "check_in": "a check-in",
}
# The C-SSRS categories and the reader's two others. Health data: shown to the therapist only.
CRISIS_KIND_TEXT = {
    "wish_to_be_dead": "a wish to be dead",
    "suicidal_thoughts": "thoughts of suicide",
    "method": "a method of suicide",
    "intent": "intent to act on suicidal thoughts",
    "plan": "a plan for suicide",
    "preparatory_acts": "preparing for suicide",
    "attempt": "a suicide attempt",
    "self_injury": "self-injury",
    "overdose": "an overdose",
}
LANGUAGE_NAMES = {"en": "English", "es": "Spanish", "fr": "French", "pt": "Portuguese", "de": "German"}


def reading_notes(reading, *, sent_as: str = "", reasons=()) -> tuple[str, ...]:
    """The therapist's markers for one message's reading: crisis with its kind, contact
    outside therapy, an emergency that reads as routine, and what else it reads as."""
    if reading is None:
        return ()
    notes: list[str] = []
    if reading.crisis:
        kind = CRISIS_KIND_TEXT.get(reading.crisis_kind or "", "")
        notes.append(f"Crisis language: {kind}." if kind else "Crisis language.")
    if reading.personal:
        notes.append("Asks for contact outside therapy.")
    if "emergency_mismatch" in reasons:
        notes.append(f"Sent as emergency, reads as {READS_AS_SHORT.get(reading.category, reading.category)}.")
    elif reading.category and reading.category != sent_as:
        notes.append(f"Reads as {READS_AS_SHORT.get(reading.category, reading.category)}.")
    if reading.language and reading.language != "en":
        notes.append(f"Written in {LANGUAGE_NAMES.get(reading.language, reading.language)}.")
    return tuple(notes)


def reading_lines(reading) -> tuple[str, ...]:
    """Everything a reading says, for the simulator: what the decision read in the text."""
    notes = reading_notes(reading, sent_as="", reasons=())
    if reading is not None and reading.language == "en":
        notes = notes + ("Written in English.",)
    return notes or (
        (
            "Nothing in particular: no crisis language, no request for contact outside therapy, "
            "and no kind of contact the portal could name."
        ),
    )
