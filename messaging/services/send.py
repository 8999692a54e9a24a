"""The send path: a portal message, its preview, a therapist's log of an off-portal contact,
and the cancelling of a held message.

Every contact is decided by policies.engine.decide and recorded by messaging.recorder, in one
transaction with its audit event and outbox row (on PostgreSQL, the three rows in one
statement: messaging.send_sql). No other code creates a message. The governing policy and
the client's history come from the selectors that answer them
(policies.selectors.governing_policy, messaging.selectors.history_for), for the send, its
preview and the release alike. A call request is a send too (messaging.services.calls).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from audit.chain import record
from policies.engine import category_for, decide, needs_category
from policies.engine_types import Contact, Decision
from policies.reader import NOTHING, read
from policies.selectors import governing_policy
from policies.vocabulary import CATEGORIES, CHANNELS
from portal.errors import Conflict, DomainError, NotFound
from portal.locks import (
    lock_consent,
    lock_rows,
    lock_thread,
    lock_threads,
    rerun_on_conflict,
)
from portal.models import User

from .. import recorder, send_sql
from ..models import CallBooking, Message, Thread
from ..selectors import history_for
from .alerts import alert_due


class ContactInvalid(DomainError):
    """The contact is not well-formed."""


@dataclass
class SendResult:
    message: Message
    decision: Decision
    call: CallBooking | None = None


# --- input checks (400) ---------------------------------------------------------------


def check_contact_input(
    *,
    category: str | None,
    channel: str,
    body: str | None = None,
    body_field: str = "body",
    require_body: bool = False,
) -> None:
    """A message may come without a category (None: decided under what it reads as)."""
    if category is not None and category not in CATEGORIES:
        raise ContactInvalid(f"Unknown category '{category}': use {', '.join(CATEGORIES)}.", field="category")
    if channel not in CHANNELS:
        raise ContactInvalid(f"Unknown channel '{channel}': use {', '.join(CHANNELS)}.", field="channel")
    if body is not None:
        if len(body) > settings.PORTAL_MESSAGE_MAX_CHARS:
            raise ContactInvalid(
                f"Keep it under {settings.PORTAL_MESSAGE_MAX_CHARS} characters.", field=body_field
            )
        if require_body and not body.strip():
            raise ContactInvalid("Write something first.", field=body_field)


# --- the send path ---------------------------------------------------------------------

# The send's reads: the thread and its consent, read and locked in one statement
# (portal.locks.lock_thread_and_consent; on PostgreSQL the same statement by hand,
# messaging.send_sql.lock_thread_and_consent), then the client's sends of one category in the
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
    """The thread, with its consent, locked until the end of the transaction (on PostgreSQL
    by the hand-written read of messaging.send_sql, whose docstring has its measurement)."""
    thread = send_sql.lock_thread_and_consent(thread_id)
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


def _decide_on(
    thread: Thread,
    *,
    sender: User,
    kind: str,
    category: str | None,
    channel: str,
    body: str,
    override_reason: str | None,
    at: datetime,
    now: datetime,
    minutes: int | None,
) -> _Decided:
    """Load what the engine needs for a contact on `thread` (the governing policy and the
    consent snapshot: policies.selectors.governing_policy; the week's count, the last crisis
    and the care state: messaging.selectors.history_for) and decide it. Shared by the send,
    which holds the thread locked, and the preview, which holds nothing and writes nothing.
    It reads the body first: the decision is never made without its reading."""
    role = _participant_role(thread, sender)
    reading = read(body) if kind == "message" else NOTHING
    if kind == "message" and needs_category(category, role, reading):
        raise ContactInvalid(
            "Say what this is about: choose a category ("
            + ", ".join(c for c in CATEGORIES if c != "personal")
            + ").",
            field="category",
        )
    decided_under = category_for(category, reading)
    governing = governing_policy(thread, now)
    history = history_for(thread, decided_under, now, policy=governing.policy, sender=role)
    reason = (override_reason or "").strip() if role == "therapist" else ""
    decision = decide(
        governing.policy,
        Contact(
            at=at,
            sender=role,
            category=category,
            channel=channel,
            body=body or "",
            override_reason=reason or None,
            kind=kind,
            minutes=minutes,
            reading=reading,
        ),
        governing.snapshot,
        history,
    )
    return _Decided(role, governing.version_id, reason, decision)


def _send(
    *,
    thread: Thread | int,
    sender: User,
    kind: str,
    category: str | None,
    channel: str,
    body: str,
    override_reason: str | None,
    at: datetime | None,
    now: datetime | None,
    minutes: int | None = None,
    on_allowed=None,
) -> SendResult:
    now = now or timezone.now()
    at = at or now
    thread_id = thread if isinstance(thread, int) else thread.pk
    with transaction.atomic():
        # The thread row is the lock of its client's consent (see policies.services). Reading it
        # here is also the scoping check: only its client and its therapist get past
        # _participant_role, so a caller may pass a bare id straight from the URL.
        locked = _lock_thread(thread_id)
        if locked is None:
            raise NotFound("No such thread.")
        decided = _decide_on(
            locked,
            sender=sender,
            kind=kind,
            category=category,
            channel=channel,
            body=body,
            override_reason=override_reason,
            at=at,
            now=now,
            minutes=minutes,
        )
        role, version_id, reason, decision = (
            decided.role,
            decided.version_id,
            decided.override_reason,
            decided.decision,
        )
        contact = recorder.decided(
            thread=locked,
            sender=sender,
            role=role,
            kind=kind,
            channel=channel,
            body=body,
            override_reason=reason,
            version_id=version_id,
            decision=decision,
            at=at,
            now=now,
            minutes=minutes,
            alert_due=alert_due(locked, now) if decision.outcome == "escalated" else None,
        )
        [message] = recorder.record_contacts([contact])
        call = (
            on_allowed(locked, message, decision)
            if on_allowed is not None and decision.outcome in ("delivered", "delivered_with_exception")
            else None
        )
    return SendResult(message=message, decision=decision, call=call)


@rerun_on_conflict
def message_send(
    *,
    sender: User,
    thread: Thread | int,
    body: str,
    category: str | None = None,
    channel: str = "portal",
    override_reason: str | None = None,
    now: datetime | None = None,
) -> SendResult:
    """Send a portal message. `thread` may be a bare id: nobody but its two people gets past _send.
    Without a category it is decided under what its body reads as (400 when that says nothing)."""
    check_contact_input(category=category, channel=channel, body=body, require_body=True)
    return _send(
        thread=thread,
        sender=sender,
        kind="message",
        category=category,
        channel=channel,
        body=body,
        override_reason=override_reason,
        at=None,
        now=now,
    )


def message_preview(
    *,
    sender: User,
    thread: Thread | int,
    body: str,
    category: str | None = None,
    channel: str = "portal",
    override_reason: str | None = None,
    now: datetime | None = None,
) -> Decision:
    """The decision message_send would give now, by the same loading and the same function,
    with nothing locked, stored or audited (the compose box asks it while the sender types).
    The same 400s as the send; someone else's thread is 404."""
    check_contact_input(category=category, channel=channel, body=body, require_body=True)
    now = now or timezone.now()
    found = (
        thread
        if isinstance(thread, Thread)
        else Thread.objects.select_related("consent").filter(pk=thread).first()
    )
    if found is None:
        raise NotFound("No such thread.")
    return _decide_on(
        found,
        sender=sender,
        kind="message",
        category=category,
        channel=channel,
        body=body,
        override_reason=override_reason,
        at=now,
        now=now,
        minutes=None,
    ).decision


@rerun_on_conflict
def contact_log(
    *,
    therapist: User,
    thread: Thread,
    category: str,
    channel: str,
    at: datetime,
    note: str,
    minutes: int | None = None,
    override_reason: str | None = None,
    now: datetime | None = None,
) -> SendResult:
    check_contact_input(category=category, channel=channel, body=note, body_field="note", require_body=True)
    now = now or timezone.now()
    if thread.therapist_id != therapist.pk:
        raise NotFound("No such thread.")
    if at > now + timedelta(minutes=5):
        raise ContactInvalid("A logged contact must have happened already.", field="at")
    if minutes is not None and (not isinstance(minutes, int) or minutes < 1 or minutes > 24 * 60):
        raise ContactInvalid("Give the length in whole minutes (1 to 1440).", field="minutes")
    return _send(
        thread=thread,
        sender=therapist,
        kind="contact",
        category=category,
        channel=channel,
        body=note,
        override_reason=override_reason,
        at=at,
        now=now,
        minutes=minutes,
    )


@rerun_on_conflict
def message_cancel(*, sender: User, message: Message) -> Message:
    with transaction.atomic():
        thread_id = (
            Message.objects.filter(pk=message.pk, sender=sender).values_list("thread_id", flat=True).first()
        )
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
        record(
            practice_id=m.thread.practice_id,
            action="contact.cancelled",
            actor=sender,
            therapist_id=m.thread.therapist_id,
            client_id=m.thread.client_id,
            obj=m,
            data={"outcome": "cancelled", "by": "sender"},
        )
    return m
