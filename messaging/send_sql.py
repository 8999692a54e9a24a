"""The send's hand-written statements (PostgreSQL only): its locked read of the thread and
its consent (`lock_thread_and_consent`), the week's count (`count_sent`), and its write of a
new contact's message, outbox row and audit event in one round trip (`insert_contact`). Each
has its measurement below.

THE LOCKED READ. The same statement as the ORM's `portal.locks.lock_thread_and_consent` (the
thread and its consent, an inner join, both rows locked as portal.locks locks them: the clause
is `portal.locks.lock_clause`'s, written by Django's backend), with every concrete column of
both models, made into instances as the ORM makes them (`Model.from_db`, each value through its
field's converters: the encrypted fields decrypt, the JSON loads). What it saves is the ORM's
work around one statement, not a round trip: building, compiling and reading back a
select_related, select_for_update queryset (and `.first()`'s ORDER BY). Measured 1 December
2026 in one process through Django's test client on the bench settings against PostgreSQL
(thread CPU of each part, 400 to 500 sends interleaved with as many baseline requests, load
average 3 to 6): the ORM's read 904 us of the web process's CPU a send, this one 155 to 184
us (the ORM's statement alone, built and compiled in a warm loop: 347 us, of which 110 us is
the ORDER BY; the same SQL through a cursor: 26 us). Function calls a send (cProfile):
9,996 before, 7,217 with it (the baseline request: 3,489). Whole requests, the build before
(9b66102) and this one (681bbb6) in their own worktrees, three interleaved turns on a machine
loaded by other work (load average 10 to 13, so every figure about twice a quiet one): the
web process and its PostgreSQL backend together, baseline/send CPU 0.388, 0.359, 0.389 before,
0.455, 0.426, 0.460 with it; the send's web-process CPU 5.6 to 6.4 ms before, 4.6 to 5.2 ms
with it. `python -m bench --only send` at the same load, before / with it, three interleaved
turns: send/baseline 0.45 / 0.44, 0.42 / 0.37, 0.35 / 0.42 (medians 0.42 / 0.42, at 38 to 96
sends a second where a quiet machine does 306): at that load the requests' throughput
follows their waits for a core, not their CPU, and shows nothing either way; the ratio on
a quiet machine is still to be measured. tests/messaging/test_send_path.py compares its
instances with the ORM's field by field, and the statement with the ORM's.

THE WEEK'S COUNT. `messaging.selectors.sent_since` (the client's counted sends of one category
since a time, counted up to the weekly limit) as the one statement the ORM's sliced count
sends (`SELECT COUNT(*) FROM (SELECT ... LIMIT n)`, on the same index), without the ORM
building and compiling it for every send. Measured 1 December 2026 (evening), PostgreSQL, bench
settings: in one process, the ORM's count 560 to 670 us of CPU a send (400 to 500 us with its
ORDER BY dropped or as a values_list), this statement 72 to 100 us; the web process's CPU a
send 4.3 -> 2.4 to 3.4 ms against the baseline request's 1.4 to 2.0 (ratio 0.45 -> 0.58).
`python -m bench --only send`, the build before (21f4f17) and this one (cd8a199) from their own
worktrees, three interleaved turns each, 18:35-18:51, load average 6 to 9.5 (the benchmark's
own processes, and in the third turns a helper's four callgrind runs): send/baseline at 16
clients 0.53, 0.54, 0.42 before, 0.59, 0.68, 0.55 with it (medians 0.53 / 0.59; this build
ahead in every pair, by 0.06, 0.14, 0.13), send p99 at 16 clients 180, 217, 236 ms before,
155, 134, 202 with it. On that machine the baseline's own p99 at 16 clients read 84 to 114 ms
and its throughput 238 to 356 a second (pg_test_fsync: 287 fdatasync a second), so the p99
there is the machine's, not the send's.
tests/messaging/test_send_count.py compares its count with the ORM's on every filter.

THE WRITE.

    WITH m AS (INSERT INTO messaging_message (...) VALUES (...) RETURNING id),
         o AS (INSERT INTO portal_outboxitem (...) VALUES (..., {"message_id": m.id}, ...) RETURNING id),
         e AS (INSERT INTO audit_auditevent (...) VALUES (..., object_id = m.id, ...) RETURNING id)
    SELECT m.id, o.id, e.id

Why it exists (issue 14: "keep a hand-written statement only where the ORM version loses
more than the measured spread"). The ORM writes these three rows a statement each, so the
send took five round trips (the locked read, the week's count, three INSERTs). Measured
back to back on a quiet machine (README, "Benchmarks"), the commit that took the send to
the ORM alone moved the send/baseline ratio from 0.54 to 0.38 and the send p99 at 16
clients from 115 to 155 ms at the same machine speed (send_cpu_loop_ms 118.5 / 120.0),
far more than the run-to-run spread at one speed.

This statement against the ORM build, 1 December 2026, `python -m bench --only send` in six
interleaved turns (ORM build 6845515, then this statement on it, b47ce21; each on its own
worktree and virtualenv) on a shared 2-core machine, load average 7 to 19, send_cpu_loop_ms
94 to 554 (a quiet run reads about 118), send/baseline ratio at 16 clients, ORM / this:
0.37 / 0.40, 0.38 / 0.46, 0.40 / 0.43, 0.36 / 0.38, 0.41 / 0.44, 0.40 / 0.39; medians 0.39 /
0.415 over six turns (0.38 / 0.43 over the first three); this build ahead in five turns of six,
by 0.03 (median of the paired differences). Statements per send 5 -> 3, one round trip each.
The p99 (350 to 1,045 ms in both builds) measured the machine's load, not the send; both
the ratio and the p99 still need a rerun on a quiet machine.

What it keeps of the ORM path:
- the rows: every concrete column of the three models, each value made by the field
  itself (`field.pre_save(obj, add=True)`, then `field.get_db_prep_save`), as Django's
  INSERT compiler does: the body and the override reason are encrypted by their field, the
  JSON by its field; column names from the models' _meta, values only as parameters (no
  string formatting of a value, so no `%` pitfall). tests/messaging/test_send_sql.py
  compares the rows with the ORM path's, column by column;
- the audit chain: the event is inserted unsealed (seq NULL, no hashes), as `record()`
  inserts it; the sealer links it later like any other (the test seals and verifies);
- the signals: pre_save of the three instances before the statement (a receiver may still
  change what is written; the outbox row's payload then reads {"message_id": None}: the id
  is the statement's), post_save (created=True) after it, with pk set. No receiver of the
  project listens to these models today;
- the after-commit dispatch of the outbox row (`portal.outbox.after_enqueue`);
- the locks: the statement takes what the three INSERTs took (KEY SHARE on the thread,
  the sender and the policy version for their foreign keys), after the thread and consent
  the send holds (portal.locks);
- the transaction: it runs in the caller's; a failure of any part rolls back all of it.

Only `messaging.recorder` calls the write, for one new contact without a boundary exception
(the send's usual case); a contact with exceptions, and SQLite, take the ORM path. Only
`messaging.services.send._lock_thread` calls the read, and only `messaging.selectors.sent_since`
the count (the send, its preview and the simulator all count through it).
"""

from __future__ import annotations

import functools
from typing import Any

from django.db import connection
from django.db.models import Model
from django.db.models.signals import post_save, pre_save

from audit.models import AuditEvent
from consent.models import Consent
from portal import locks, outbox
from portal.models import OutboxItem

from .models import Message, Thread


def applies(*, exception_kinds: tuple[str, ...]) -> bool:
    """Whether a new contact is written by this statement: on PostgreSQL, with no exception."""
    return connection.vendor == "postgresql" and not exception_kinds


def _fields(model: type[Model]) -> list:
    return [f for f in model._meta.concrete_fields if not f.primary_key]


@functools.cache
def _statement(event_names_message: bool) -> str:
    q = connection.ops.quote_name

    def insert(model: type[Model], values: dict[str, str]) -> str:
        fields = _fields(model)
        cols = ", ".join(q(f.column) for f in fields)
        vals = ", ".join(values.get(f.attname, "%s") for f in fields)
        # Identifiers from the models' _meta, quoted; every value is a parameter.
        return f"INSERT INTO {q(model._meta.db_table)} ({cols}) VALUES ({vals}) RETURNING {q('id')}"  # noqa: S608

    message_id = f"(SELECT {q('id')} FROM m)"  # noqa: S608 - no value in it
    payload = f"jsonb_build_object('message_id', {message_id})"
    return (
        f"WITH m AS ({insert(Message, {})}), "  # noqa: S608 - identifiers and placeholders only
        f"o AS ({insert(OutboxItem, {'payload': payload})}), "
        f"e AS ({insert(AuditEvent, {'object_id': message_id} if event_names_message else {})}) "
        f"SELECT (SELECT {q('id')} FROM m), (SELECT {q('id')} FROM o), (SELECT {q('id')} FROM e)"
    )


def _params(obj: Model, skip: tuple[str, ...] = ()) -> list[Any]:
    return [
        f.get_db_prep_save(f.pre_save(obj, True), connection=connection)
        for f in _fields(type(obj))
        if f.attname not in skip
    ]


def insert_contact(message: Message, event: AuditEvent, item: OutboxItem) -> None:
    """Write a new message, its audit event (`audit.chain.build_event`, unsaved; when its
    object is the message, its object_id is the message's new id) and its outbox row
    (`portal.outbox.build`, unsaved, payload {"message_id": ...}), in one statement in the
    caller's transaction. Sets their ids and marks them saved, as `save()` would."""
    if set(item.payload) != {"message_id"}:
        raise ValueError("insert_contact: the outbox row's payload is the message's id alone")
    event_names_message = event.object_type == "message" and event.object_id is None
    using = connection.alias
    instances = (message, item, event)
    for obj in instances:
        pre_save.send(sender=type(obj), instance=obj, raw=False, using=using, update_fields=None)
    params = (
        _params(message)
        + _params(item, skip=("payload",))
        + _params(event, skip=("object_id",) if event_names_message else ())
    )
    with connection.cursor() as cur:
        cur.execute(_statement(event_names_message), params)
        message.pk, item.pk, event.pk = cur.fetchone()
    item.payload = {"message_id": message.pk}
    if event_names_message:
        event.object_id = message.pk
    for obj in instances:
        obj._state.adding, obj._state.db = False, using
        post_save.send(
            sender=type(obj), instance=obj, created=True, update_fields=None, raw=False, using=using
        )
    outbox.after_enqueue(item)


# --- the week's count --------------------------------------------------------------------------


def counts_here() -> bool:
    """Whether `count_sent` is the week's count: on PostgreSQL (SQLite keeps the ORM's)."""
    return connection.vendor == "postgresql"


@functools.cache
def _count_statement(bounded: bool) -> str:
    q = connection.ops.quote_name

    columns = {f.name: f.column for f in Message._meta.concrete_fields}

    def col(name: str) -> str:
        return q(columns[name])

    until = f" AND {col('created_at')} <= %s" if bounded else ""
    # Identifiers from the model's _meta, quoted; every value is a parameter.
    return (
        f"SELECT COUNT(*) FROM (SELECT 1 FROM {q(Message._meta.db_table)} "  # noqa: S608
        f"WHERE {col('thread')} = %s AND {col('sender_role')} = %s AND {col('category')} = %s "
        f"AND {col('status')} IN %s AND {col('created_at')} > %s{until} LIMIT %s) AS {q('sent')}"
    )


def count_sent(thread_id: int, category: str, since, limit: int, until=None) -> int:
    """`messaging.selectors.sent_since`'s count by hand on PostgreSQL: the client's messages of
    `category` in the counted statuses after `since` (and up to `until`), counted up to `limit`."""
    params = [thread_id, "client", category, tuple(Message.COUNTED_STATUSES), since]
    if until is not None:
        params.append(until)
    with connection.cursor() as cur:
        cur.execute(_count_statement(until is not None), [*params, limit])
        return cur.fetchone()[0]


# --- the locked read -------------------------------------------------------------------------


@functools.cache
def _read_statement() -> str:
    q = connection.ops.quote_name
    thread, consent = q(Thread._meta.db_table), q(Consent._meta.db_table)
    columns = [f"{thread}.{q(f.column)}" for f in Thread._meta.concrete_fields] + [
        f"{consent}.{q(f.column)}" for f in Consent._meta.concrete_fields
    ]
    on = f"{thread}.{q(Thread._meta.get_field('consent').column)} = {consent}.{q(Consent._meta.pk.column)}"
    # Identifiers from the models' _meta, quoted; the thread's id is a parameter.
    return (
        f"SELECT {', '.join(columns)} FROM {thread} INNER JOIN {consent} ON ({on}) "  # noqa: S608
        f"WHERE {thread}.{q(Thread._meta.pk.column)} = %s {locks.lock_clause(thread, consent)}"
    )


@functools.cache
def _loader(model: type[Model]) -> tuple[list[str], list[tuple[int, Any, list]]]:
    """The attnames of `model`'s concrete fields, and the converters of those that have any,
    as the ORM's compiler finds them (the backend's, then the field's from_db_value)."""
    fields = model._meta.concrete_fields
    converters = []
    for i, f in enumerate(fields):
        col = f.get_col(model._meta.db_table)
        found = list(connection.ops.get_db_converters(col))
        if hasattr(f, "from_db_value"):  # what Field.get_db_converters returns
            found.append(f.from_db_value)
        if found:
            converters.append((i, col, found))
    return [f.attname for f in fields], converters


def _instance(model: type[Model], values: tuple) -> Any:
    names, converters = _loader(model)
    row = list(values)
    for i, col, found in converters:
        for convert in found:
            row[i] = convert(row[i], col, connection)
    return model.from_db(connection.alias, names, row)


def lock_thread_and_consent(thread_id: int) -> Thread | None:
    """`portal.locks.lock_thread_and_consent`, by hand on PostgreSQL (the ORM's elsewhere): the
    thread with its consent, both rows locked until the end of the transaction (thread, then
    consent: portal.locks). None when the join finds nothing (no consent, or the thread names
    another one by the time the lock is granted), as the ORM's."""
    if connection.vendor != "postgresql":
        return locks.lock_thread_and_consent(thread_id)
    with connection.cursor() as cur:
        cur.execute(_read_statement(), [thread_id])
        row = cur.fetchone()
    if row is None:
        return None
    split = len(Thread._meta.concrete_fields)
    thread = _instance(Thread, row[:split])
    thread.consent = _instance(Consent, row[split:])
    return thread
