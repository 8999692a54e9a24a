"""The simulator: decide a contact against any version as if it were current and consented."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from portal.errors import NotFound

from .compiled import CompiledPolicy
from .engine import decide
from .engine_types import ConsentSnapshot, Contact, Decision, History
from .models import PolicyVersion
from .selectors import compiled_policy
from .vocabulary import CHANNELS

EVERY_CHANNEL = ConsentSnapshot("active", frozenset(CHANNELS))

# A client's history as the send reads it, for the simulator's `client_id`: (client_id,
# therapist_id, category, at, policy, sender) -> History, or None when the therapist has no
# such client. The messages are messaging's, and policies does not import messaging
# (tests/policies/test_imports.py): messaging registers its reader when the app is ready
# (messaging.apps, messaging.selectors.simulator_history).
HistoryReader = Callable[[int, int, str, datetime, CompiledPolicy, str], "History | None"]
_history_reader: HistoryReader | None = None


def register_history_reader(reader: HistoryReader) -> None:
    global _history_reader
    _history_reader = reader


def simulate(
    *,
    version: PolicyVersion,
    at: datetime,
    sender: str,
    category: str,
    channel: str,
    body: str = "",
    override_reason: str | None = None,
    client_id: int | None = None,
) -> Decision:
    """With `client_id`, that client's history at `at` counts, as the send reads it
    (messaging.selectors.history_for: the week's count up to `at`, the last crisis at or
    before it). The version decides whatever its status, consented on every channel and
    with care going on: the simulator asks what the rules say, not what the consent does."""
    policy = compiled_policy(version)
    history = History()
    if client_id is not None:
        found = (
            _history_reader(client_id, version.therapist_id, category, at, policy, sender)
            if _history_reader is not None
            else None
        )
        if found is None:
            raise NotFound("No such client.")
        history = replace(found, care_ended=False)
    contact = Contact(
        at=at,
        sender=sender,
        category=category,
        channel=channel,
        body=body or "",
        override_reason=override_reason or None,
    )
    return decide(policy, contact, EVERY_CHANNEL, history)
