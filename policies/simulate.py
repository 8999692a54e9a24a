"""The simulator: decide a contact against any version as if it were current and consented."""

from __future__ import annotations

from datetime import datetime

from portal.errors import NotFound

from .engine import RATE_WINDOW, ConsentSnapshot, Contact, Decision, History, decide
from .models import PolicyVersion
from .rules import CHANNELS
from .selectors import compiled_policy

EVERY_CHANNEL = ConsentSnapshot("active", frozenset(CHANNELS))


def simulate(*, version: PolicyVersion, at: datetime, sender: str, category: str, channel: str, body: str = "",
             override_reason: str | None = None, client_id: int | None = None) -> Decision:
    history = History()
    if client_id is not None:
        from messaging.models import Message, Thread

        thread = Thread.objects.filter(client_id=client_id, therapist_id=version.therapist_id).first()
        if thread is None:
            raise NotFound("No such client.")
        count = Message.objects.filter(thread=thread, sender_role="client", category=category,
                                       status__in=Message.COUNTED_STATUSES, created_at__gt=at - RATE_WINDOW,
                                       created_at__lte=at).count()
        # The client's last escalation at or before the simulated time (not simply the latest).
        last_crisis = (Message.objects.filter(thread=thread, sender_role="client", status="escalated",
                                              created_at__lte=at).order_by("-created_at")
                       .values_list("created_at", flat=True).first())
        history = History(sent_in_category_last_week=count, last_crisis_at=last_crisis)
    contact = Contact(at=at, sender=sender, category=category, channel=channel, body=body or "",
                      override_reason=override_reason or None)
    return decide(compiled_policy(version), contact, EVERY_CHANNEL, history)
