"""The one recorder of contacts: the only code that writes Message rows.

A contact is recorded in three parts, in the caller's transaction: its message (and what is
posted with it: an auto-reply), its audit event (and its boundary exceptions), and its
outbox row; with them, the thread's own marks (`last_auto_reply_at`, `last_crisis_at`) and,
for an escalation, the crisis alert. `record_contacts()` writes them; the builders below
say what to write:

- `decided(...)`: a contact just decided by policies.engine.decide (the send: a message, a
  call request, a logged contact). Audit `contact.decided`, outbox `contact.decided`.
- `released(...)`: a held message decided again at its time (the release). Its row already
  exists and is updated. Audit `contact.released`, outbox `contact.released`.
- `care_note(...)`: the closing note a therapist posts when care ends (no decision: it is
  not a contact the policy decides). Audit `care.ended` on the thread, outbox
  `contact.decided` (the recipient is told of a new message, as for any other).

One new contact (the send) is written in one hand-written statement on PostgreSQL when it
has no boundary exception (`messaging.send_sql`: the message, its outbox row and its audit
event in one round trip, with the models' signals; the measurement is in its docstring);
otherwise by the ORM, a statement a row: the message (`save()`, with the model's signals),
then its outbox row (`portal.outbox.enqueue`) and its audit event (`audit.chain.record`),
which name it. Several (the release) are written in a
few statements for all of them: an UPDATE per distinct outcome, `audit.chain.record_many`,
`portal.outbox.enqueue_many`, one INSERT of the alerts.

Nothing else creates a message: tests/messaging/test_recorder.py reads the source of the
apps for `Message(`, `Message.objects.create`, `bulk_create` of messages and
`messages.create`, and fails on any outside this module.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, cast

from django.conf import settings
from django.db import transaction

from audit.chain import build_event, record, record_many
from policies.engine_types import Decision
from portal import outbox

from . import send_sql
from .models import CrisisAlert, Message, Thread


def auto_reply_every() -> timedelta:
    """How often an auto-reply may be posted into one thread (read when used: override_settings works)."""
    return timedelta(minutes=settings.PORTAL_AUTO_REPLY_MINUTES)


@dataclass
class ContactRecord:
    """One contact to record (made by `decided`, `released` or `care_note`)."""

    thread: Thread
    message: Message
    at: datetime  # when it is recorded
    action: str  # the audit event's action
    actor: Any = None  # the audit event's actor (None: the system)
    data: dict | None = None  # the audit event's data (never health data)
    event_obj: Any = None  # what the audit event names (None: the message)
    exception_kinds: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()
    task: str = "contact.decided"  # the outbox row's task, naming the message
    also: list[Message] = field(default_factory=list)  # new messages posted with it (an auto-reply)
    thread_changes: dict = field(default_factory=dict)
    alert_due: datetime | None = None  # an escalation: when its crisis alert goes to the admin


def _event_data(decision_outcome: str, reasons, message: Message) -> dict:
    return {
        "outcome": decision_outcome,
        "reasons": list(reasons),
        "kind": message.kind,
        "category": message.category,
        "channel": message.channel,
    }


def decided(
    *,
    thread: Thread,
    sender,
    role: str,
    kind: str,
    channel: str,
    body: str,
    override_reason: str,
    version_id: int | None,
    decision: Decision,
    at: datetime,
    now: datetime,
    minutes: int | None,
    alert_due: datetime | None = None,
) -> ContactRecord:
    """A contact just decided: its message, under the category it was decided under."""
    visible = decision.outcome in Message.VISIBLE_TO_RECIPIENT
    message = Message(
        thread=thread,
        sender=sender,
        sender_role=role,
        kind=kind,
        category=cast(str, decision.category),  # decide() always names the category it decided under
        channel=channel,
        body=body or "",
        override_reason=override_reason,
        status=decision.outcome,
        reasons=list(decision.reasons),
        crisis_resources=decision.crisis_resources or "",
        auto_reply=decision.auto_reply or "",
        policy_version_id=version_id,
        created_at=now,
        occurred_at=at if kind == "contact" else None,
        minutes=minutes,
        deliver_at=decision.deliver_at,
        delivered_at=now if visible else None,
    )
    contact = ContactRecord(
        thread=thread,
        message=message,
        at=now,
        action="contact.decided",
        actor=sender,
        data=_event_data(decision.outcome, decision.reasons, message),
        exception_kinds=tuple(decision.exception_kinds),
        reasons=tuple(decision.reasons),
        alert_due=alert_due if decision.outcome == "escalated" else None,
    )
    # An auto-reply goes to a client at most once per PORTAL_AUTO_REPLY_MINUTES per thread.
    if (
        decision.auto_reply
        and role == "client"
        and (thread.last_auto_reply_at is None or now - thread.last_auto_reply_at >= auto_reply_every())
    ):
        contact.also.append(
            Message(
                thread=thread,
                sender=None,
                sender_role="system",
                kind=Message.Kind.AUTO_REPLY,
                channel="portal",
                body=decision.auto_reply,
                status=Message.Status.DELIVERED,
                created_at=now + timedelta(microseconds=1),
                delivered_at=now,
            )
        )
        contact.thread_changes["last_auto_reply_at"] = now
    if decision.outcome == "escalated":
        contact.thread_changes["last_crisis_at"] = now
    return contact


def released(
    *, thread: Thread, message: Message, decision: Decision, now: datetime, alert_due: datetime | None = None
) -> ContactRecord:
    """A held message decided again at its time: refused now, it is cancelled; otherwise it is
    delivered (crisis language found only now is delivered, never cancelled, and alerts)."""
    message.reasons = list(decision.reasons)
    if decision.outcome == "blocked":
        message.status, message.delivered_at = Message.Status.CANCELLED, None
    else:
        message.status, message.delivered_at = Message.Status.DELIVERED, now
    escalated = decision.outcome == "escalated"
    kind = "blocked" if message.status == Message.Status.CANCELLED else ("crisis" if escalated else None)
    return ContactRecord(
        thread=thread,
        message=message,
        at=now,
        action="contact.released",
        actor=None,
        data=_event_data(message.status, message.reasons, message),
        exception_kinds=(kind,) if kind else (),
        reasons=tuple(message.reasons),
        task="contact.released",
        alert_due=alert_due if escalated else None,
    )


def care_note(*, thread: Thread, therapist, note: str, now: datetime) -> ContactRecord:
    """The closing note of care, delivered at once; its audit event is the care ending's."""
    message = Message(
        thread=thread,
        sender=therapist,
        sender_role="therapist",
        kind=Message.Kind.CARE_NOTE,
        channel="portal",
        body=note,
        status=Message.Status.DELIVERED,
        created_at=now,
        delivered_at=now,
    )
    return ContactRecord(
        thread=thread, message=message, at=now, action="care.ended", actor=therapist, event_obj=thread
    )


def _audit_fields(c: ContactRecord) -> dict:
    t = c.thread
    return {
        "practice_id": t.practice_id,
        "action": c.action,
        "actor": c.actor,
        "therapist_id": t.therapist_id,
        "client_id": t.client_id,
        "obj": c.event_obj if c.event_obj is not None else c.message,
        "data": c.data,
        "at": c.at,
    }


def _extra_exception_fields(c: ContactRecord, kind: str) -> dict:
    # An exception belongs to one event: a second one of a contact (an emergency_mismatch
    # beside an after_hours) gets an event of its own, on the same message.
    return dict(
        _audit_fields(c),
        action="contact.exception",
        obj=c.message,
        data={"kind": kind, "reasons": list(c.reasons)},
    )


def record_contacts(contacts: list[ContactRecord]) -> list[Message]:
    """Write these contacts (their messages, audit events and exceptions, outbox rows, thread
    marks and crisis alerts) in the caller's transaction, or in one of their own. Returns
    their messages, stored."""
    if not contacts:
        return []
    if len(contacts) > 1 and any(c.message._state.adding or c.also for c in contacts):
        # Several new contacts at once have no caller (the release's messages are stored already).
        raise ValueError(
            "record_contacts: several new contacts at once are not supported; record them one by one."
        )
    with transaction.atomic(savepoint=False):
        if len(contacts) == 1 and contacts[0].message._state.adding:
            _record_one(contacts[0])
        else:
            _record_many(contacts)
        for c in contacts:
            if c.thread_changes:
                Thread.objects.filter(pk=c.thread.pk).update(**c.thread_changes)
        alerts = [
            CrisisAlert(
                thread=c.thread,
                message=c.message,
                therapist_id=c.thread.therapist_id,
                raised_at=c.at,
                due_at=c.alert_due,
            )
            for c in contacts
            if c.alert_due is not None
        ]
        if len(alerts) == 1:
            alerts[0].save(force_insert=True)
        elif alerts:
            CrisisAlert.objects.bulk_create(alerts)
    return [c.message for c in contacts]


def _record_one(c: ContactRecord) -> None:
    """One new contact (the send): its message first, for its id, then what names it. On
    PostgreSQL, a contact without an exception (the send's usual case) is written by the one
    hand-written statement (messaging.send_sql: the three rows in one round trip); otherwise
    by the ORM, a statement a row."""
    message = c.message
    if send_sql.applies(exception_kinds=c.exception_kinds):
        send_sql.insert_contact(
            message, build_event(**_audit_fields(c)), outbox.build(c.task, message_id=None)
        )
        for posted in c.also:
            posted.save(force_insert=True)
        return
    message.save(force_insert=True)
    for posted in c.also:
        posted.save(force_insert=True)
    outbox.enqueue(c.task, message_id=message.pk)
    kinds = c.exception_kinds
    record(
        **_audit_fields(c),
        exception_kind=kinds[0] if kinds else None,
        reasons=c.reasons,
        message_id=message.pk,
    )
    for extra in kinds[1:]:
        record(
            **_extra_exception_fields(c, extra),
            exception_kind=extra,
            reasons=c.reasons,
            message_id=message.pk,
        )


def _record_many(contacts: list[ContactRecord]) -> None:
    """Many contacts (the release): a few statements for all of them. Their messages are
    stored already (held messages decided again)."""
    changed = [c.message for c in contacts]
    # One UPDATE per distinct outcome (nearly always a single one), not a CASE per row.
    groups: dict[tuple, list[int]] = {}
    for m in changed:
        groups.setdefault((m.status, tuple(m.reasons), m.delivered_at), []).append(m.pk)
    for (status, reasons, delivered_at), ids in groups.items():
        Message.objects.filter(pk__in=ids).update(
            status=status, reasons=list(reasons), delivered_at=delivered_at
        )
    items: list[tuple[Any, dict | None]] = []
    for c in contacts:
        kinds = c.exception_kinds
        first = {"kind": kinds[0], "reasons": list(c.reasons), "message_id": c.message.pk} if kinds else None
        items.append((build_event(**_audit_fields(c)), first))
        for extra in kinds[1:]:
            items.append(
                (
                    build_event(**_extra_exception_fields(c, extra)),
                    {"kind": extra, "reasons": list(c.reasons), "message_id": c.message.pk},
                )
            )
    record_many(items)
    outbox.enqueue_many([(c.task, {"message_id": c.message.pk}) for c in contacts], created_at=contacts[0].at)
