"""The simulator: decide a contact against any version as if it were current and consented."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from portal.errors import NotFound

from .engine import ConsentSnapshot, Contact, Decision, History, decide
from .models import PolicyVersion
from .rules import CHANNELS
from .selectors import compiled_policy

EVERY_CHANNEL = ConsentSnapshot("active", frozenset(CHANNELS))


def simulate(*, version: PolicyVersion, at: datetime, sender: str, category: str, channel: str, body: str = "",
             override_reason: str | None = None, client_id: int | None = None) -> Decision:
    """With `client_id`, that client's history at `at` counts, as the send reads it
    (messaging.selectors.history_for: the week's count up to `at`, the last crisis at or
    before it). The version decides whatever its status, consented on every channel and
    with care going on: the simulator asks what the rules say, not what the consent does."""
    policy = compiled_policy(version)
    history = History()
    if client_id is not None:
        from messaging.models import Thread
        from messaging.selectors import history_for

        thread = Thread.objects.filter(client_id=client_id, therapist_id=version.therapist_id).first()
        if thread is None:
            raise NotFound("No such client.")
        history = replace(history_for(thread, category, at, policy=policy, sender=sender, live=False),
                          care_ended=False)
    contact = Contact(at=at, sender=sender, category=category, channel=channel, body=body or "",
                      override_reason=override_reason or None)
    return decide(policy, contact, EVERY_CHANNEL, history)
