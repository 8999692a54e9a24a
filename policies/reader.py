"""The reader: what a message body says, as the decision needs to know it.

A pure function (no database, no clock): `read(text) -> Reading`. The contract's
"Reading a message" defines the fields. Vocabulary is data (policies/data/).

INTERIM: this first version delegates crisis detection to policies.crisis and
reads nothing else; the multilingual reader replaces its body, keeping `Reading`
and `read` as they are.
"""

from __future__ import annotations

from dataclasses import dataclass

from .crisis import detect_crisis

CRISIS_KINDS = ("wish_to_be_dead", "suicidal_thoughts", "method", "intent", "plan", "preparatory_acts",
                "attempt", "self_injury", "overdose")
READ_CATEGORIES = ("emergency", "administrative", "scheduled_call", "check_in")
LANGUAGES = ("en", "es", "fr", "pt", "de")


@dataclass(frozen=True, slots=True)
class Reading:
    crisis: bool = False
    crisis_kind: str | None = None  # one of CRISIS_KINDS when crisis
    personal: bool = False
    category: str | None = None  # one of READ_CATEGORIES, or None when the reader cannot tell
    language: str | None = None  # one of LANGUAGES, or None

    def as_dict(self, *, for_client: bool = False) -> dict:
        """The contract's `reading` object; a client's answers never carry the kind (health data)."""
        return {"crisis": self.crisis, "crisis_kind": None if for_client else self.crisis_kind,
                "personal": self.personal, "category": self.category, "language": self.language}


NOTHING = Reading()


def read(text: str | None) -> Reading:
    if not text:
        return NOTHING
    if detect_crisis(text):
        return Reading(crisis=True, crisis_kind="suicidal_thoughts")
    return NOTHING
