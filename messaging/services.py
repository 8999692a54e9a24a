"""The one send path, and the other verbs of messaging.

Every contact (a portal message, a call request, a therapist's log of an off-portal
contact, a held message being released) is decided by policies.engine.decide and
recorded by messaging.recorder, in one transaction with its audit event and outbox row.
No other code creates a message. The governing policy and the client's history come from
the selectors that answer them (policies.selectors.governing_policy,
messaging.selectors.history_for), for the send, its preview and the release alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from audit.chain import record
from policies.engine import (  # noqa: F401
    RATE_WINDOW,
    Contact,
    Decision,
    category_for,
    decide,
    needs_category,
)
from policies.reader import NOTHING, read
from policies.rules import CATEGORIES, CHANNELS
from policies.selectors import compiled_policy, current_version, governing_policy
from portal.errors import Conflict, DomainError, NotFound
from portal.locks import (
    lock_consent,
    lock_rows,
    lock_thread,
    lock_thread_and_consent,
    lock_threads,
    lock_users,
    rerun_on_conflict,
)
from portal.models import User
from portal.notify import notices_seen
from portal.outbox import enqueue

from . import recorder
from .models import CallBooking, CrisisAlert, Message, Thread
from .recorder import auto_reply_every  # noqa: F401 (where it always was)
from .selectors import history_for
from .selectors import sent_since as _sent_since  # noqa: F401 (the send's count, by this name in tests)


class ContactInvalid(DomainError):
    """The contact is not well-formed."""


class SlotTaken(Conflict):
    """That time overlaps another call of the therapist."""


@dataclass
class SendResult:
    message: Message
    decision: Decision
    call: CallBooking | None = None


# --- input checks (400) ---------------------------------------------------------------

def check_contact_input(*, category: str | None, channel: str, body: str | None = None, body_field: str = "body",
                        require_body: bool = False) -> None:
    """A message may come without a category (None: decided under what it reads as)."""
    if category is not None and category not in CATEGORIES:
        raise ContactInvalid(f"Unknown category '{category}': use {', '.join(CATEGORIES)}.", field="category")
    if channel not in CHANNELS:
        raise ContactInvalid(f"Unknown channel '{channel}': use {', '.join(CHANNELS)}.", field="channel")
    if body is not None:
        if len(body) > settings.PORTAL_MESSAGE_MAX_CHARS:
            raise ContactInvalid(f"Keep it under {settings.PORTAL_MESSAGE_MAX_CHARS} characters.", field=body_field)
        if require_body and not body.strip():
            raise ContactInvalid("Write something first.", field=body_field)


# --- the send path ---------------------------------------------------------------------

# The send's reads: the thread and its consent, read and locked in one statement
# (portal.locks.lock_thread_and_consent), then the client's sends of one category in the
# past week (messaging.selectors.sent_since). The count is its own statement, after the
# lock is held: under READ COMMITTED a subquery of the locking statement would see the
# snapshot from before the wait, and miss the message whose transaction the lock waited
# for (tests/messaging/test_send_lock.py). For the same reason the consent is locked too
# (thread, then consent: portal.locks): a locked row that changed while the lock waited is
# read again at its newest version, an unlocked joined row would not be (a send waiting for
# a revocation would decide under the consent it revoked: tests/messaging/test_lock_order.py).
# When the join finds nothing (no consent yet, or the thread now names another consent) the
# thread is locked alone and its consent after it, once the wait is over.

def _lock_thread(thread_id: int) -> Thread | None:
    """The thread, with its consent, locked until the end of the transaction."""
    thread = lock_thread_and_consent(thread_id)
    if thread is None:
        thread = lock_thread(pk=thread_id)
        if thread is not None and thread.consent_id is not None:
            thread.consent = lock_consent(pk=thread.consent_id)
    return thread


def _participant_role(thread: Thread, user: User) -> str:
    if user.pk == thread.client_id:
        return "client"
    if user.pk == thread.therapist_id:
        return "therapist"
    raise NotFound("No such thread.")


@dataclass
class _Decided:
    role: str
    version_id: int | None
    override_reason: str
    decision: Decision


def _decide_on(thread: Thread, *, sender: User, kind: str, category: str | None, channel: str, body: str,
               override_reason: str | None, at: datetime, now: datetime, minutes: int | None) -> _Decided:
    """Load what the engine needs for a contact on `thread` (the governing policy and the
    consent snapshot: policies.selectors.governing_policy; the week's count, the last crisis
    and the care state: messaging.selectors.history_for) and decide it. Shared by the send,
    which holds the thread locked, and the preview, which holds nothing and writes nothing.
    It reads the body first: the decision is never made without its reading."""
    role = _participant_role(thread, sender)
    reading = read(body) if kind == "message" else NOTHING
    if kind == "message" and needs_category(category, role, reading):
        raise ContactInvalid(
            "Say what this is about: choose a category (" + ", ".join(c for c in CATEGORIES if c != "personal")
            + ").", field="category")
    decided_under = category_for(category, reading)
    governing = governing_policy(thread, now)
    history = history_for(thread, decided_under, now, policy=governing.policy, sender=role)
    reason = (override_reason or "").strip() if role == "therapist" else ""
    decision = decide(
        governing.policy,
        Contact(at=at, sender=role, category=category, channel=channel, body=body or "",
                override_reason=reason or None, kind=kind, minutes=minutes, reading=reading),
        governing.snapshot,
        history,
    )
    return _Decided(role, governing.version_id, reason, decision)


def _send(*, thread: Thread | int, sender: User, kind: str, category: str | None, channel: str, body: str,
          override_reason: str | None, at: datetime | None, now: datetime | None, minutes: int | None = None,
          on_allowed=None) -> SendResult:
    now = now or timezone.now()
    at = at or now
    thread_id = thread if isinstance(thread, int) else thread.pk
    with transaction.atomic():
        # The thread row is the lock of its client's consent (see policies.services). Reading it
        # here is also the scoping check: only its client and its therapist get past
        # _participant_role, so a caller may pass a bare id straight from the URL.
        thread = _lock_thread(thread_id)
        if thread is None:
            raise NotFound("No such thread.")
        decided = _decide_on(thread, sender=sender, kind=kind, category=category, channel=channel, body=body,
                             override_reason=override_reason, at=at, now=now, minutes=minutes)
        role, version_id, reason, decision = decided.role, decided.version_id, decided.override_reason, \
            decided.decision
        contact = recorder.decided(
            thread=thread, sender=sender, role=role, kind=kind, channel=channel, body=body, override_reason=reason,
            version_id=version_id, decision=decision, at=at, now=now, minutes=minutes,
            alert_due=_alert_due(thread, now) if decision.outcome == "escalated" else None)
        [message] = recorder.record_contacts([contact])
        call = on_allowed(thread, message, decision) if on_allowed is not None and decision.outcome in (
            "delivered", "delivered_with_exception") else None
    return SendResult(message=message, decision=decision, call=call)


def _alert_due(thread: Thread, now: datetime) -> datetime:
    # Raised while the therapist is away (by their latest published policy, whatever version
    # governs this client): it goes to the practice admin at once.
    current = current_version(thread.therapist_id)
    policy = compiled_policy(current) if current is not None else None
    if policy is not None and policy.away and policy.away_on(now.astimezone(policy.tz).date()):
        return now
    return now + timedelta(minutes=settings.PORTAL_CRISIS_ALERT_MINUTES)


@rerun_on_conflict
def message_send(*, sender: User, thread: Thread | int, body: str, category: str | None = None,
                 channel: str = "portal", override_reason: str | None = None,
                 now: datetime | None = None) -> SendResult:
    """Send a portal message. `thread` may be a bare id: nobody but its two people gets past _send.
    Without a category it is decided under what its body reads as (400 when that says nothing)."""
    check_contact_input(category=category, channel=channel, body=body, require_body=True)
    return _send(thread=thread, sender=sender, kind="message", category=category, channel=channel, body=body,
                 override_reason=override_reason, at=None, now=now)


def message_preview(*, sender: User, thread: Thread | int, body: str, category: str | None = None,
                    channel: str = "portal", override_reason: str | None = None,
                    now: datetime | None = None) -> Decision:
    """The decision message_send would give now, by the same loading and the same function,
    with nothing locked, stored or audited (the compose box asks it while the sender types).
    The same 400s as the send; someone else's thread is 404."""
    check_contact_input(category=category, channel=channel, body=body, require_body=True)
    now = now or timezone.now()
    found = thread if isinstance(thread, Thread) else Thread.objects.select_related("consent").filter(pk=thread).first()
    if found is None:
        raise NotFound("No such thread.")
    return _decide_on(found, sender=sender, kind="message", category=category, channel=channel, body=body,
                      override_reason=override_reason, at=now, now=now, minutes=None).decision


@rerun_on_conflict
def call_request(*, sender: User, thread: Thread, start: datetime, minutes: int, channel: str,
                 override_reason: str | None = None, now: datetime | None = None) -> SendResult:
    check_contact_input(category="scheduled_call", channel=channel)
    now = now or timezone.now()
    if not isinstance(minutes, int) or minutes < 1 or minutes > 24 * 60:
        raise ContactInvalid("Give the call's length in whole minutes (1 to 1440).", field="minutes")
    if start <= now:
        raise ContactInvalid("A call must be booked for a time in the future.", field="start")

    def hold_slot(thread: Thread, message: Message, decision: Decision) -> CallBooking:
        end = start + timedelta(minutes=minutes)
        # The therapist is locked (before the thread, below), so two bookings cannot both find the slot free.
        if CallBooking.objects.filter(therapist_id=thread.therapist_id, status__in=CallBooking.ACTIVE_STATUSES,
                                      start__lt=end, end__gt=start).exists():
            raise SlotTaken("That time overlaps another call. Please choose another time.")
        return CallBooking.objects.create(thread=thread, therapist_id=thread.therapist_id, message=message,
                                          start=start, end=end, minutes=minutes, channel=channel)

    with transaction.atomic():
        # The therapist's row first, then the thread (in _send): the order of portal.locks,
        # the one a publication takes too.
        lock_users([thread.therapist_id])
        return _send(thread=thread, sender=sender, kind="call", category="scheduled_call", channel=channel,
                     body="", override_reason=override_reason, at=start, now=now, minutes=minutes,
                     on_allowed=hold_slot)


@rerun_on_conflict
def contact_log(*, therapist: User, thread: Thread, category: str, channel: str, at: datetime, note: str,
                minutes: int | None = None, override_reason: str | None = None,
                now: datetime | None = None) -> SendResult:
    check_contact_input(category=category, channel=channel, body=note, body_field="note", require_body=True)
    now = now or timezone.now()
    if thread.therapist_id != therapist.pk:
        raise NotFound("No such thread.")
    if at > now + timedelta(minutes=5):
        raise ContactInvalid("A logged contact must have happened already.", field="at")
    if minutes is not None and (not isinstance(minutes, int) or minutes < 1 or minutes > 24 * 60):
        raise ContactInvalid("Give the length in whole minutes (1 to 1440).", field="minutes")
    return _send(thread=thread, sender=therapist, kind="contact", category=category, channel=channel, body=note,
                 override_reason=override_reason, at=at, now=now, minutes=minutes)


@rerun_on_conflict
def message_cancel(*, sender: User, message: Message) -> Message:
    with transaction.atomic():
        thread_id = Message.objects.filter(pk=message.pk, sender=sender).values_list("thread_id", flat=True).first()
        if thread_id is None:
            raise NotFound("No such message.")
        lock_threads(pk=thread_id)  # the thread, then its message (portal.locks): as the release does
        m = lock_rows(Message.objects.select_related("thread").filter(pk=message.pk, sender=sender)).first()
        if m is None:
            raise NotFound("No such message.")
        if m.status != Message.Status.HELD:
            raise Conflict("This message is no longer held: it was already delivered or cancelled.")
        m.status = Message.Status.CANCELLED
        m.save(update_fields=["status"])
        record(practice_id=m.thread.practice_id, action="contact.cancelled", actor=sender,
               therapist_id=m.thread.therapist_id, client_id=m.thread.client_id, obj=m,
               data={"outcome": "cancelled", "by": "sender"})
    return m


# --- release of held messages ---------------------------------------------------------------

RELEASE_FIELDS = ("id", "thread_id", "sender_id", "sender_role", "kind", "category", "channel", "minutes",
                  "policy_version_id", "status", "body")


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
        due = list(lock_rows(held.filter(thread_id__in=thread_ids), skip_locked=True)
                   .order_by("deliver_at", "id").only(*RELEASE_FIELDS)[:batch_size])
        if not due:
            return 0
        threads = {t.pk: t for t in Thread.objects.select_related("consent").filter(pk__in=thread_ids)}
        contacts = []
        for m in due:
            thread = threads[m.thread_id]
            governing = governing_policy(thread, now)
            # Read again, by the same function: the body now reads as the reader reads it today.
            # A release is neither paused nor rate limited (the engine): nothing to count.
            decision = decide(governing.policy,
                              Contact(at=now, sender=m.sender_role, category=m.category, channel=m.channel,
                                      body=m.body, kind=m.kind, minutes=m.minutes, release=True),
                              governing.snapshot, history_for(thread, m.category, now, policy=None))
            contacts.append(recorder.released(
                thread=thread, message=m, decision=decision, now=now,
                alert_due=_alert_due(thread, now) if decision.outcome == "escalated" else None))
        recorder.record_contacts(contacts)
        return len(due)


# --- care, calls, alerts --------------------------------------------------------------------------

@rerun_on_conflict
def care_end(*, therapist: User, thread: Thread, note: str) -> Thread:
    if not (note or "").strip():
        raise ContactInvalid("Write a closing note (referrals, crisis resources).", field="note")
    check_contact_input(category="administrative", channel="portal", body=note, body_field="note")
    now = timezone.now()
    with transaction.atomic():
        thread = _locked_thread_of(therapist, thread)
        if thread.care_ended:
            raise Conflict("Care on this thread has already ended.")
        thread.care_ended_at, thread.care_end_note = now, note.strip()
        thread.save(update_fields=["care_ended_at", "care_end_note"])
        # The closing note, its care.ended event and its outbox row: the recorder's.
        recorder.record_contacts([recorder.care_note(thread=thread, therapist=therapist, note=note.strip(), now=now)])
    return thread


@rerun_on_conflict
def care_reopen(*, therapist: User, thread: Thread) -> Thread:
    with transaction.atomic():
        thread = _locked_thread_of(therapist, thread)
        if not thread.care_ended:
            raise Conflict("Care on this thread has not ended.")
        thread.care_ended_at = None
        thread.save(update_fields=["care_ended_at"])
        record(practice_id=thread.practice_id, action="care.reopened", actor=therapist, therapist_id=therapist.pk,
               client_id=thread.client_id, obj=thread)
    return thread


def _locked_thread_of(therapist: User, thread: Thread) -> Thread:
    locked = lock_thread(pk=thread.pk, therapist=therapist)
    if locked is None:
        raise Thread.DoesNotExist("No such thread.")
    return locked


@rerun_on_conflict
def _call_transition(*, therapist: User, call: CallBooking, to: str) -> CallBooking:
    with transaction.atomic():
        c = lock_rows(CallBooking.objects.select_related("thread").filter(pk=call.pk, therapist=therapist)).first()
        if c is None:
            raise NotFound("No such call.")
        if c.status != CallBooking.Status.BOOKED:
            raise Conflict(f"This call is already {c.status}.")
        c.status = to
        c.save(update_fields=["status"])
        record(practice_id=c.thread.practice_id, action=f"call.{to}", actor=therapist, therapist_id=therapist.pk,
               client_id=c.thread.client_id, obj=c)
        enqueue("call.changed", call_id=c.pk)
    return c


def call_confirm(*, therapist: User, call: CallBooking) -> CallBooking:
    return _call_transition(therapist=therapist, call=call, to=CallBooking.Status.CONFIRMED)


def call_decline(*, therapist: User, call: CallBooking) -> CallBooking:
    return _call_transition(therapist=therapist, call=call, to=CallBooking.Status.DECLINED)


@rerun_on_conflict
def crisis_alert_acknowledge(*, therapist: User, alert: CrisisAlert) -> CrisisAlert:
    with transaction.atomic():
        a = lock_rows(CrisisAlert.objects.select_related("thread").filter(pk=alert.pk, therapist=therapist)).first()
        if a is None:
            raise NotFound("No such alert.")
        if a.acknowledged_at is None:
            a.acknowledged_at, a.acknowledged_by = timezone.now(), therapist
            a.save(update_fields=["acknowledged_at", "acknowledged_by"])
            record(practice_id=a.thread.practice_id, action="crisis.acknowledged", actor=therapist,
                   therapist_id=therapist.pk, client_id=a.thread.client_id, obj=a)
    return a


def sweep_crisis_alerts(*, now: datetime | None = None) -> int:
    """Unacknowledged alerts past due go to the practice admin(s) as well."""
    now = now or timezone.now()
    with transaction.atomic():
        due = list(lock_rows(CrisisAlert.objects.select_related("thread"), skip_locked=True)
                   .filter(acknowledged_at__isnull=True, escalated_at__isnull=True, due_at__lte=now)[:500])
        for a in due:
            a.escalated_at = now
            record(practice_id=a.thread.practice_id, action="crisis.escalated_to_admin", actor=None,
                   therapist_id=a.therapist_id, client_id=a.thread.client_id, obj=a)
            enqueue("crisis.escalated", alert_id=a.pk)
        CrisisAlert.objects.bulk_update(due, ["escalated_at"])
    return len(due)


def send_call_reminders(*, now: datetime | None = None, ahead: timedelta = timedelta(hours=24)) -> int:
    now = now or timezone.now()
    with transaction.atomic():
        calls = list(lock_rows(CallBooking.objects.all(), skip_locked=True)
                     .filter(status=CallBooking.Status.CONFIRMED, reminder_sent_at__isnull=True,
                             start__gt=now, start__lte=now + ahead)[:500])
        for c in calls:
            c.reminder_sent_at = now
            enqueue("call.reminder", call_id=c.pk)
        CallBooking.objects.bulk_update(calls, ["reminder_sent_at"])
    return len(calls)


def thread_viewed(*, thread: Thread, viewer: User) -> None:
    """Who read which thread, when: every view is an audit event (polls are not views). The
    viewer's notices about this thread are read now."""
    notices_seen(user=viewer, view_name="messaging:thread", args=(thread.pk,))
    record(practice_id=thread.practice_id, action="thread.viewed", actor=viewer, therapist_id=thread.therapist_id,
           client_id=thread.client_id, obj=thread)
