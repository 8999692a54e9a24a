"""Calls: a client's request for a call (a contact decided as any send is, which holds the
therapist's slot when allowed), the therapist's confirming or declining it."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from audit.chain import record
from policies.engine_types import Decision
from portal.errors import Conflict, NotFound
from portal.locks import lock_rows, lock_users, rerun_on_conflict
from portal.models import User
from portal.outbox import enqueue

from ..models import CallBooking, Message, Thread
from .send import ContactInvalid, SendResult, _send, check_contact_input


class SlotTaken(Conflict):
    """That time overlaps another call of the therapist."""


@rerun_on_conflict
def call_request(
    *,
    sender: User,
    thread: Thread,
    start: datetime,
    minutes: int,
    channel: str,
    override_reason: str | None = None,
    now: datetime | None = None,
) -> SendResult:
    check_contact_input(category="scheduled_call", channel=channel)
    now = now or timezone.now()
    if not isinstance(minutes, int) or minutes < 1 or minutes > 24 * 60:
        raise ContactInvalid("Give the call's length in whole minutes (1 to 1440).", field="minutes")
    if start <= now:
        raise ContactInvalid("A call must be booked for a time in the future.", field="start")

    def hold_slot(thread: Thread, message: Message, decision: Decision) -> CallBooking:
        end = start + timedelta(minutes=minutes)
        # The therapist is locked (before the thread, below), so two bookings cannot both find the slot free.
        if CallBooking.objects.filter(
            therapist_id=thread.therapist_id,
            status__in=CallBooking.ACTIVE_STATUSES,
            start__lt=end,
            end__gt=start,
        ).exists():
            raise SlotTaken("That time overlaps another call. Please choose another time.")
        return CallBooking.objects.create(
            thread=thread,
            therapist_id=thread.therapist_id,
            message=message,
            start=start,
            end=end,
            minutes=minutes,
            channel=channel,
        )

    with transaction.atomic():
        # The therapist's row first, then the thread (in _send): the order of portal.locks,
        # the one a publication takes too.
        lock_users([thread.therapist_id])
        return _send(
            thread=thread,
            sender=sender,
            kind="call",
            category="scheduled_call",
            channel=channel,
            body="",
            override_reason=override_reason,
            at=start,
            now=now,
            minutes=minutes,
            on_allowed=hold_slot,
        )


@rerun_on_conflict
def _call_transition(*, therapist: User, call: CallBooking, to: str) -> CallBooking:
    with transaction.atomic():
        c = lock_rows(
            CallBooking.objects.select_related("thread").filter(pk=call.pk, therapist=therapist)
        ).first()
        if c is None:
            raise NotFound("No such call.")
        if c.status != CallBooking.Status.BOOKED:
            raise Conflict(f"This call is already {c.status}.")
        c.status = to
        c.save(update_fields=["status"])
        record(
            practice_id=c.thread.practice_id,
            action=f"call.{to}",
            actor=therapist,
            therapist_id=therapist.pk,
            client_id=c.thread.client_id,
            obj=c,
        )
        enqueue("call.changed", call_id=c.pk)
    return c


def call_confirm(*, therapist: User, call: CallBooking) -> CallBooking:
    return _call_transition(therapist=therapist, call=call, to=CallBooking.Status.CONFIRMED)


def call_decline(*, therapist: User, call: CallBooking) -> CallBooking:
    return _call_transition(therapist=therapist, call=call, to=CallBooking.Status.DECLINED)
