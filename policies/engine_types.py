"""The decision engine's inputs and output (policies.engine): the contact, the consent and
history snapshots the caller passes, and the Decision it gets back, with its boundary
exceptions and its answer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from .reader import NOTHING, Reading
from .vocabulary import OUTCOME_EXCEPTION_KINDS as EXCEPTION_KINDS


@dataclass(frozen=True, slots=True)
class Contact:
    at: datetime
    sender: str  # "client" | "therapist"
    category: str | None  # None: decided under what the body reads as (see category_for)
    channel: str
    body: str = ""
    override_reason: str | None = None
    kind: str = "message"  # "message" | "call" | "contact"
    minutes: int | None = None
    release: bool = False
    # The body's reading, when the caller already has it (it is `read(body)`; see reading_of).
    reading: Reading | None = None


@dataclass(frozen=True, slots=True)
class ConsentSnapshot:
    state: str  # "active" | "grace" | "none" | "revoked" | "superseded"
    channels: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class History:
    care_ended: bool = False
    sent_in_category_last_week: int = 0
    last_crisis_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Decision:
    outcome: str
    reasons: tuple[str, ...] = ()
    deliver_at: datetime | None = None
    crisis_resources: str | None = None
    auto_reply: str | None = None
    # What the body read as (all false and null for a call or a logged contact).
    reading: Reading = NOTHING
    # The category it was decided under: the one given, else the reading's; `emergency` for
    # a crisis escalated without one, `personal` for personal content blocked without one.
    category: str | None = None

    @property
    def exception_kind(self) -> str | None:
        """The decision's main boundary exception (the one its audit event carries)."""
        kind = EXCEPTION_KINDS.get(self.outcome)
        if kind:
            return kind
        if self.outcome == "delivered" and "outside_hours" in self.reasons:
            return "after_hours"
        if "emergency_mismatch" in self.reasons:
            return "emergency_mismatch"
        return None

    @property
    def exception_kinds(self) -> tuple[str, ...]:
        """Every boundary exception the decision records: an `emergency_mismatch` beside any other."""
        kind = self.exception_kind
        if kind is None:
            return ()
        if kind != "emergency_mismatch" and "emergency_mismatch" in self.reasons:
            return (kind, "emergency_mismatch")
        return (kind,)

    def as_dict(self, *, for_client: bool = False) -> dict:
        """The decision answer; a client's never carries the crisis kind (health data)."""
        out: dict = {
            "outcome": self.outcome,
            "reasons": list(self.reasons),
            "deliver_at": _iso(self.deliver_at) if self.deliver_at else None,
        }
        if self.crisis_resources:
            out["crisis_resources"] = self.crisis_resources
        if self.auto_reply:
            out["auto_reply"] = self.auto_reply
        out["reading"] = self.reading.as_dict(for_client=for_client)
        return out


def _iso(at: datetime) -> str:
    at = at.astimezone(UTC)
    return at.strftime("%Y-%m-%dT%H:%M:%S") + (f".{at.microsecond:06d}" if at.microsecond else "") + "Z"
