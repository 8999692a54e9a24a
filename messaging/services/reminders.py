"""Reminders of confirmed calls, queued once each a day ahead (a beat task)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from portal.locks import lock_rows
from portal.outbox import enqueue

from ..models import CallBooking


def send_call_reminders(*, now: datetime | None = None, ahead: timedelta = timedelta(hours=24)) -> int:
    now = now or timezone.now()
    with transaction.atomic():
        calls = list(
            lock_rows(CallBooking.objects.all(), skip_locked=True).filter(
                status=CallBooking.Status.CONFIRMED,
                reminder_sent_at__isnull=True,
                start__gt=now,
                start__lte=now + ahead,
            )[:500]
        )
        for c in calls:
            c.reminder_sent_at = now
            enqueue("call.reminder", call_id=c.pk)
        CallBooking.objects.bulk_update(calls, ["reminder_sent_at"])
    return len(calls)
