"""The next open call slots a client can pick from: the governing policy's scheduled-call
windows, minus the therapist's booked and confirmed calls. Read only; the booking itself
still goes through messaging.services.call_request, which decides again."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from policies.hours import call_fits, window_occurrences
from policies.selectors import compiled_policy

from .models import CallBooking

STEP_MINUTES = 15
DAYS_AHEAD = 21
LEAD = timedelta(hours=1)  # a slot starting within the hour is too soon to confirm


@dataclass(frozen=True)
class Slot:
    start: datetime  # UTC
    minutes: int


def open_call_slots(
    *, version, therapist_id: int, minutes: int, at: datetime | None = None, limit: int = 30
) -> list[Slot]:
    """Slots of `minutes` inside one scheduled_call window, every 15 minutes, starting an
    hour from now at the earliest, that overlap none of the therapist's active calls."""
    if version is None:
        return []
    policy = compiled_policy(version)
    rule = policy.categories.get("scheduled_call")
    if rule is None or not rule.allowed or not rule.windows:
        return []
    at = at or timezone.now()
    earliest = at + LEAD
    horizon = at + timedelta(days=DAYS_AHEAD)
    busy = list(
        CallBooking.objects.filter(
            therapist_id=therapist_id,
            status__in=CallBooking.ACTIVE_STATUSES,
            end__gt=earliest,
            start__lt=horizon,
        ).values_list("start", "end")
    )
    length = timedelta(minutes=minutes)
    slots: list[Slot] = []
    first_day = at.astimezone(policy.tz).date()
    for open0, _open1, close in window_occurrences(policy, rule, first_day, DAYS_AHEAD):
        start = open0
        while start + length <= close:
            if (
                start >= earliest
                and call_fits(policy, rule, start, minutes)
                and not any(b_start < start + length and start < b_end for b_start, b_end in busy)
            ):
                slots.append(Slot(start=start, minutes=minutes))
                if len(slots) >= limit:
                    return slots
            start += timedelta(minutes=STEP_MINUTES)
    return slots
