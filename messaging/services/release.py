"""The release of held messages: each due held message decided again at its time, then
delivered or cancelled, through the one recorder (a beat task, and `make run`'s timer)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from policies.engine import decide
from policies.engine_types import Contact
from policies.selectors import governing_policy
from portal.locks import lock_rows, lock_threads, rerun_on_conflict

from .. import recorder
from ..models import Message, Thread
from ..selectors import history_for
from .alerts import alert_due

RELEASE_FIELDS = (
    "id",
    "thread_id",
    "sender_id",
    "sender_role",
    "kind",
    "category",
    "channel",
    "minutes",
    "policy_version_id",
    "status",
    "body",
)


@rerun_on_conflict
def release_held_messages(*, now: datetime | None = None, batch_size: int = 500) -> int:
    """Decide every due held message again and deliver or cancel it. Returns how many."""
    total = 0
    while True:
        done = _release_batch(now or timezone.now(), batch_size)
        total += done
        if done < batch_size:
            return total


def _release_batch(now: datetime, batch_size: int) -> int:
    with transaction.atomic():
        # Threads, then their messages (portal.locks). A thread another transaction holds (a
        # send, a revocation) is skipped, its messages left for the next run: the release
        # never waits, and two releases never take the same message.
        held = Message.objects.filter(status=Message.Status.HELD, deliver_at__lte=now)
        candidates = held.order_by("deliver_at", "id").values_list("thread_id", flat=True)[:batch_size]
        thread_ids = lock_threads(pk__in=set(candidates), skip_locked=True)
        if not thread_ids:
            return 0
        due = list(
            lock_rows(held.filter(thread_id__in=thread_ids), skip_locked=True)
            .order_by("deliver_at", "id")
            .only(*RELEASE_FIELDS)[:batch_size]
        )
        if not due:
            return 0
        threads = {t.pk: t for t in Thread.objects.select_related("consent").filter(pk__in=thread_ids)}
        contacts = []
        for m in due:
            thread = threads[m.thread_id]
            governing = governing_policy(thread, now)
            # Read again, by the same function: the body now reads as the reader reads it today.
            # A release is neither paused nor rate limited (the engine): nothing to count.
            decision = decide(
                governing.policy,
                Contact(
                    at=now,
                    sender=m.sender_role,
                    category=m.category,
                    channel=m.channel,
                    body=m.body,
                    kind=m.kind,
                    minutes=m.minutes,
                    release=True,
                ),
                governing.snapshot,
                history_for(thread, m.category, now, policy=None),
            )
            contacts.append(
                recorder.released(
                    thread=thread,
                    message=m,
                    decision=decision,
                    now=now,
                    alert_due=alert_due(thread, now) if decision.outcome == "escalated" else None,
                )
            )
        recorder.record_contacts(contacts)
        return len(due)
