"""The one send path, and the other verbs of messaging.

Every contact (a portal message, a call request, a therapist's log of an off-portal
contact, a held message being released) is decided by policies.engine.decide and
recorded here, in one transaction with its audit event and outbox row. No other
code creates a message.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from audit.chain import build_event, record, record_exception, record_many
from policies.engine import (RATE_WINDOW, ConsentSnapshot, Contact, Decision, History, category_for, decide,
                             needs_category)
from policies.reader import NOTHING, read
from policies.rules import CATEGORIES, CHANNELS
from policies.selectors import compiled_policy_by_id, current_version, compiled_policy
from portal.errors import Conflict, DomainError, NotFound
from portal.locks import lock_rows, lock_thread, lock_threads, lock_users, rerun_on_conflict
from portal.models import OutboxItem, User
from portal.db import execute, from_row, insert, insert_many, next_id_sql
from portal.notify import notices_seen
from portal.outbox import after_enqueue, dispatch, enqueue

from .models import CallBooking, CrisisAlert, Message, Thread


def auto_reply_every() -> timedelta:
    """How often an auto-reply may be posted into one thread (read when used: override_settings works)."""
    return timedelta(minutes=settings.PORTAL_AUTO_REPLY_MINUTES)


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

def _consent_snapshot(thread: Thread, at: datetime) -> tuple[ConsentSnapshot, int | None]:
    consent = thread.consent
    if consent is None:
        return ConsentSnapshot("none"), None
    state = consent.snapshot_state(at)
    governing = consent.policy_version_id if state in ("active", "grace") else None
    return ConsentSnapshot(state, frozenset(consent.channels)), governing


def _policy(thread: Thread, governing_id: int | None):
    if governing_id is not None:
        return governing_id, compiled_policy_by_id(governing_id)
    # No consent governs: the current version still gives crisis resources and the
    # rules an emergency override is decided under.
    version = current_version(thread.therapist_id)
    return (version.pk, compiled_policy(version)) if version is not None else (None, None)


# The thread and its consent, read and locked in one statement, then the client's sends of
# one category in the past week: the hottest reads of the portal. Written by hand because
# building them with the ORM (select_for_update of self with select_related, then a COUNT)
# cost the benchmark machine 1.5 ms against 0.4 ms for running them. portal.db.from_row
# passes the values through each field's own converters, as a queryset would.
# The count is its own statement, after the lock is held: under READ COMMITTED a subquery
# of the locking statement would see the snapshot from before the wait, and miss the
# message whose transaction the lock waited for (tests/messaging/test_send_lock.py).
# For the same reason the consent is locked too (thread, then consent: portal.locks), by
# an inner join: a locked row that changed while the lock waited is read again at its
# newest version, an unlocked joined row would not be (a send waiting for a revocation
# would decide under the consent it revoked: tests/messaging/test_lock_order.py). When
# the join finds nothing (no consent yet, or the thread now names another consent) the
# thread is locked alone and its consent read by a statement of its own, after the wait.
_THREAD_FIELDS = ("id", "practice", "therapist", "client", "consent", "care_ended_at", "last_crisis_at",
                  "last_auto_reply_at")
_CONSENT_FIELDS = ("id", "policy_version", "channels", "status", "grace_until")


def _row_locks() -> str:
    """How this database locks the send's rows: FOR UPDATE OF (PostgreSQL), a plain FOR
    UPDATE where OF is missing, or not at all (SQLite: its IMMEDIATE transactions queue writers)."""
    features = connection.features
    return "of" if features.has_select_for_update_of else "plain" if features.has_select_for_update else ""


@functools.cache
def _send_statements(vendor: str, row_locks: str) -> tuple:
    """The locking reads and the count, built once per database vendor and way of locking:
    (thread and consent, count, thread fields, consent fields, thread alone, consent alone)."""
    from policies.models import Consent

    q = connection.ops.quote_name
    tf = [Thread._meta.get_field(n) for n in _THREAD_FIELDS]
    cf = [Consent._meta.get_field(n) for n in _CONSENT_FIELDS]
    thread_columns = [f"t.{q(f.column)}" for f in tf]
    reserve = next_id_sql(Message)
    if reserve is not None:
        # The new message's id, reserved here, so the message, its audit event and its
        # outbox row (which name it) are written together in one statement.
        thread_columns.append(reserve)
    threads, consents = q(Thread._meta.db_table), q(Consent._meta.db_table)
    where = f"WHERE t.{q(tf[0].column)} = %s"
    consent_columns = [f"c.{q(f.column)}" for f in cf]
    columns = ", ".join(thread_columns[:len(tf)] + consent_columns + thread_columns[len(tf):])
    join = f"JOIN {consents} c ON c.{q(cf[0].column)} = t.{q(tf[4].column)}"
    if row_locks:
        lock = f"SELECT {columns} FROM {threads} t {join} {where} "
        lock += "FOR UPDATE OF t, c" if row_locks == "of" else "FOR UPDATE"
        thread_lock = f"SELECT {', '.join(thread_columns)} FROM {threads} t {where} "
        thread_lock += "FOR UPDATE OF t" if row_locks == "of" else "FOR UPDATE"
        consent = f"SELECT {', '.join(consent_columns)} FROM {consents} c WHERE c.{q(cf[0].column)} = %s"
    else:
        lock, thread_lock, consent = f"SELECT {columns} FROM {threads} t LEFT {join} {where}", None, None
    m = {n: q(Message._meta.get_field(n).column) for n in ("thread", "sender_role", "category", "status",
                                                          "created_at")}
    # Counting stops at the limit: the decision only asks whether it is reached, so a
    # send reads at most max_per_week index entries, however busy the thread is.
    count = (
        f"SELECT COUNT(*) FROM (SELECT 1 FROM {q(Message._meta.db_table)} WHERE {m['thread']} = %s "
        f"AND {m['sender_role']} = 'client' AND {m['category']} = %s "
        f"AND {m['status']} IN ({', '.join(['%s'] * len(Message.COUNTED_STATUSES))}) AND {m['created_at']} > %s "
        f"LIMIT %s) AS sent"
    )
    return lock, count, tf, cf, thread_lock, consent


def _lock_thread(thread_id: int) -> Thread | None:
    """The thread, with its consent, locked until the end of the transaction. On PostgreSQL
    it carries, as an annotation would, `reserved_message_id`: the id of the next message."""
    from policies.models import Consent

    lock, _, tf, cf, thread_lock, consent_by_id = _send_statements(connection.vendor, _row_locks())
    with connection.cursor() as cur:
        execute(cur, lock, [thread_id])
        row = cur.fetchone()
        if row is not None:
            consent_values, rest = row[len(tf):len(tf) + len(cf)], row[len(tf) + len(cf):]
        elif thread_lock is not None:  # no consent joined: the thread alone, then its consent
            execute(cur, thread_lock, [thread_id])
            row = cur.fetchone()
            if row is None:
                return None
            consent_values, rest = (None,), row[len(tf):]
            consent_id = row[_THREAD_FIELDS.index("consent")]
            if consent_id is not None:
                execute(cur, consent_by_id, [consent_id])
                consent_values = cur.fetchone() or (None,)
        else:
            return None
    thread = from_row(Thread, tf, row[:len(tf)])
    thread.consent = from_row(Consent, cf, consent_values) if consent_values[0] is not None else None
    thread.reserved_message_id = rest[0] if rest else None
    return thread


def _sent_since(thread_id: int, category: str, since: datetime, limit: int) -> int:
    """How many messages the client sent in `category` after `since` that count toward a
    weekly limit, counted up to `limit`. Run with the thread locked, so no concurrent send
    is missed."""
    count = _send_statements(connection.vendor, _row_locks())[1]
    with connection.cursor() as cur:
        execute(cur, count, [thread_id, category, *Message.COUNTED_STATUSES,
                             connection.ops.adapt_datetimefield_value(since), limit])
        return cur.fetchone()[0]


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
    """Load what the engine needs for a contact on `thread` (the governing policy, the consent
    snapshot, the week's count) and decide it. Shared by the send, which holds the thread
    locked, and the preview, which holds nothing and writes nothing. It reads the body first:
    the decision is never made without its reading."""
    role = _participant_role(thread, sender)
    reading = read(body) if kind == "message" else NOTHING
    if kind == "message" and needs_category(category, role, reading):
        raise ContactInvalid(
            "Say what this is about: choose a category (" + ", ".join(c for c in CATEGORIES if c != "personal")
            + ").", field="category")
    decided_under = category_for(category, reading)
    snapshot, governing_id = _consent_snapshot(thread, now)
    version_id, policy = _policy(thread, governing_id)
    count = 0
    if role == "client" and policy is not None and decided_under not in (None, "emergency"):
        rule = policy.categories.get(decided_under)
        if rule is not None and rule.max_per_week is not None:
            count = _sent_since(thread.pk, decided_under, now - RATE_WINDOW, rule.max_per_week)
    reason = (override_reason or "").strip() if role == "therapist" else ""
    decision = decide(
        policy,
        Contact(at=at, sender=role, category=category, channel=channel, body=body or "",
                override_reason=reason or None, kind=kind, minutes=minutes, reading=reading),
        snapshot,
        History(care_ended=thread.care_ended, sent_in_category_last_week=count,
                last_crisis_at=thread.last_crisis_at),
    )
    return _Decided(role, version_id, reason, decision)


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
        category = decision.category
        visible = decision.outcome in Message.VISIBLE_TO_RECIPIENT
        message = Message(
            id=thread.reserved_message_id, thread=thread, sender=sender, sender_role=role, kind=kind,
            category=category, channel=channel, body=body or "", override_reason=reason,
            status=decision.outcome, reasons=list(decision.reasons),
            crisis_resources=decision.crisis_resources or "", auto_reply=decision.auto_reply or "",
            policy_version_id=version_id, created_at=now, occurred_at=at if kind == "contact" else None,
            minutes=minutes, deliver_at=decision.deliver_at, delivered_at=now if visible else None,
        )
        rows = [message]
        thread_changes: dict = {}
        if decision.auto_reply and role == "client" and (
            thread.last_auto_reply_at is None or now - thread.last_auto_reply_at >= auto_reply_every()
        ):
            rows.append(Message(thread=thread, sender=None, sender_role="system", kind=Message.Kind.AUTO_REPLY,
                                channel="portal", body=decision.auto_reply, status=Message.Status.DELIVERED,
                                created_at=now + timedelta(microseconds=1), delivered_at=now))
            thread_changes["last_auto_reply_at"] = now
        if decision.outcome == "escalated":
            thread_changes["last_crisis_at"] = now
        if message.pk is None:  # no id reserved (SQLite): the message goes first, for its id
            insert(message)
        event = build_event(practice_id=thread.practice_id, action="contact.decided", actor=sender,
                            therapist_id=thread.therapist_id, client_id=thread.client_id, obj=message, at=now,
                            data={"outcome": decision.outcome, "reasons": list(decision.reasons), "kind": kind,
                                  "category": category, "channel": channel})
        item = OutboxItem(task="contact.decided", payload={"message_id": message.pk})
        # The message, its audit event and its outbox row: one statement on PostgreSQL.
        insert_many([row for row in (*rows, event, item) if row._state.adding])
        kinds = decision.exception_kinds
        if kinds:
            record_exception(event, kind=kinds[0], reasons=decision.reasons, message_id=message.pk)
        for extra_kind in kinds[1:]:
            # An exception belongs to one event: a second one (an emergency_mismatch beside an
            # after_hours) gets an event of its own, on the same message.
            extra = record(practice_id=thread.practice_id, action="contact.exception", actor=sender,
                           therapist_id=thread.therapist_id, client_id=thread.client_id, obj=message, at=now,
                           data={"kind": extra_kind, "reasons": list(decision.reasons)})
            record_exception(extra, kind=extra_kind, reasons=decision.reasons, message_id=message.pk)
        after_enqueue(item)
        if thread_changes:
            Thread.objects.filter(pk=thread.pk).update(**thread_changes)
        call = on_allowed(thread, message, decision) if on_allowed is not None and decision.outcome in (
            "delivered", "delivered_with_exception") else None
        if decision.outcome == "escalated":
            CrisisAlert.objects.create(thread=thread, message=message, therapist_id=thread.therapist_id,
                                       raised_at=now,
                                       due_at=_alert_due(thread, now))
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
        audit_items, outbox, alerts = [], [], []
        for m in due:
            thread = threads[m.thread_id]
            snapshot, governing_id = _consent_snapshot(thread, now)
            version_id, policy = _policy(thread, governing_id)
            # Read again, by the same function: the body now reads as the reader reads it today.
            decision = decide(policy, Contact(at=now, sender=m.sender_role, category=m.category, channel=m.channel,
                                              body=m.body, kind=m.kind, minutes=m.minutes, release=True),
                              snapshot, History(care_ended=thread.care_ended))
            m.reasons = list(decision.reasons)
            if decision.outcome == "blocked":
                m.status = Message.Status.CANCELLED
            else:
                # Crisis language found only now is delivered (never cancelled) and alerts the therapist.
                m.status, m.delivered_at = Message.Status.DELIVERED, now
                if decision.outcome == "escalated":
                    alerts.append(CrisisAlert(thread=thread, message=m, therapist_id=thread.therapist_id,
                                              raised_at=now, due_at=_alert_due(thread, now)))
            event = build_event(practice_id=thread.practice_id, action="contact.released", actor=None,
                                therapist_id=thread.therapist_id, client_id=thread.client_id, obj=m, at=now,
                                data={"outcome": m.status, "reasons": m.reasons, "kind": m.kind,
                                      "category": m.category, "channel": m.channel})
            exc_kind = "blocked" if m.status == "cancelled" else ("crisis" if decision.outcome == "escalated" else None)
            exc = {"kind": exc_kind, "reasons": m.reasons, "message_id": m.pk} if exc_kind else None
            audit_items.append((event, exc))
            outbox.append(OutboxItem(task="contact.released", payload={"message_id": m.pk}, created_at=now))
        # One UPDATE per distinct outcome (nearly always a single one), not a CASE per row.
        groups: dict[tuple, list[int]] = {}
        for m in due:
            groups.setdefault((m.status, tuple(m.reasons)), []).append(m.pk)
        for (status, reasons), ids in groups.items():
            Message.objects.filter(pk__in=ids).update(
                status=status, reasons=list(reasons), delivered_at=now if status == Message.Status.DELIVERED else None)
        record_many(audit_items)
        if alerts:
            CrisisAlert.objects.bulk_create(alerts)
        created = OutboxItem.objects.bulk_create(outbox)
        ids = [o.pk for o in created]
        if settings.PORTAL_OUTBOX_DISPATCH_ON_COMMIT:
            transaction.on_commit(lambda: dispatch(ids))
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
        msg = Message.objects.create(thread=thread, sender=therapist, sender_role="therapist",
                                     kind=Message.Kind.CARE_NOTE, channel="portal", body=note.strip(),
                                     status=Message.Status.DELIVERED, created_at=now, delivered_at=now)
        record(practice_id=thread.practice_id, action="care.ended", actor=therapist, therapist_id=therapist.pk,
               client_id=thread.client_id, obj=thread)
        enqueue("contact.decided", message_id=msg.pk)
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
