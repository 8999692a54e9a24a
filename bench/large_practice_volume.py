"""The large practice's volume by COPY (bench.large_practice): a year of messages, their
`contact.decided` events linked into the practice's chain from its head, the boundary
exceptions and crisis alerts, with the columns the services write."""

from __future__ import annotations

import io
import json
import random
import time
from datetime import UTC, datetime, timedelta

from .large_practice_data import (
    AFTER_HOURS_REPLY,
    BIG_THREAD,
    CLIENT_LINES,
    COPY_CHUNK,
    CRISIS_LINES,
    CRISIS_RESOURCES,
    DAYS,
    EXCEPTIONS,
    MESSAGES,
    OUTCOMES,
    THERAPIST_LINES,
    TOKENS_PER_LINE,
    _log,
)


def _esc(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


MESSAGE_COPY = (
    "COPY messaging_message (id, thread_id, sender_id, sender_role, kind, category, channel, body, "
    "override_reason, status, reasons, crisis_resources, auto_reply, policy_version_id, created_at, "
    "occurred_at, minutes, deliver_at, delivered_at, read_at) FROM STDIN"
)
EVENT_COPY = (
    "COPY audit_auditevent (id, practice_id, seq, prev_hash, hash, at, actor_id, actor_role, action, "
    "therapist_id, client_id, object_type, object_id, data) FROM STDIN"
)
EXCEPTION_COPY = (
    "COPY audit_boundaryexception (id, practice_id, event_id, therapist_id, client_id, message_id, "
    "kind, at, reasons, reviewed, reviewed_at, reviewed_by_id, review_note) FROM STDIN"
)
VOLUME_TABLES = ("messaging_message", "audit_auditevent", "audit_boundaryexception")


class _Copier:
    """COPY on a connection of its own, in a thread: PostgreSQL writes one chunk while Python
    makes the next (the two cores both work). The indexes that back no constraint are dropped
    first and built again at the end, which is faster than keeping them up to date row by row."""

    def __init__(self) -> None:
        import queue
        import threading

        import psycopg2
        from django.db import connection

        params = connection.get_connection_params()
        self.conn = psycopg2.connect(
            **{k: v for k, v in params.items() if k in ("dbname", "user", "password", "host", "port")}
        )
        with self.conn, self.conn.cursor() as cur:
            cur.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) "
                "AND indexname NOT IN (SELECT conname FROM pg_constraint)",
                [list(VOLUME_TABLES)],
            )
            self.indexes = cur.fetchall()
            for name, _ in self.indexes:
                cur.execute(f'DROP INDEX "{name}"')
        self.queue: queue.Queue = queue.Queue(maxsize=1)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while True:
            chunk = self.queue.get()
            if chunk is None:
                return
            try:
                with self.conn, self.conn.cursor() as cur:
                    for text, sql in chunk:
                        cur.copy_expert(sql, io.StringIO(text))
            except BaseException as exc:  # noqa: BLE001 - raised again in the seeding thread
                self.error = exc
                return

    def put(self, chunk) -> None:
        if self.error is not None:
            raise self.error
        self.queue.put(chunk)

    def close(self) -> None:
        self.queue.put(None)
        self.thread.join()
        if self.error is not None:
            raise self.error
        t = time.perf_counter()
        with self.conn, self.conn.cursor() as cur:
            cur.execute("SET maintenance_work_mem = '256MB'")
            for _, definition in self.indexes:
                cur.execute(definition)
        self.conn.close()
        _log(f"{len(self.indexes)} indexes built again in {time.perf_counter() - t:.1f} s")


def _seed_volume(meta: dict) -> None:
    from django.db import connection
    from django.utils import timezone

    from audit.chain import canonical_data, event_hash, seal
    from audit.models import AuditEvent, ChainHead
    from messaging.models import Message, Thread
    from portal.crypto import encrypt

    pid = meta["practice_id"]
    rnd = random.Random(15)
    seal(pid)  # the sample's events first: the volume continues the chain from its head
    head = ChainHead.objects.get(practice_id=pid)
    threads = list(
        Thread.objects.filter(practice_id=pid)
        .order_by("pk")
        .values_list("pk", "therapist_id", "client_id", "consent__policy_version_id")
    )
    big = next(t for t in threads if t[0] == meta["big_thread_id"])
    others = [t for t in threads if t[0] != meta["big_thread_id"]]
    now = timezone.now().astimezone(UTC)
    start = now - timedelta(days=DAYS)
    span = (now - timedelta(hours=1) - start).total_seconds()
    # (time, thread) for every message, in time order: ids, seq and time all rise together.
    stamps = [(start + timedelta(seconds=rnd.random() * span), big) for _ in range(BIG_THREAD)]
    stamps += [
        (start + timedelta(seconds=rnd.random() * span), others[i % len(others)])
        for i in range(MESSAGES - BIG_THREAD)
    ]
    stamps.sort(key=lambda s: s[0])
    weights = [o[3] for o in OUTCOMES]
    with connection.cursor() as cur:
        cur.execute("SELECT coalesce(max(id), 0) FROM messaging_message")
        mid = cur.fetchone()[0] + 1000
        cur.execute("SELECT coalesce(max(id), 0) FROM audit_auditevent")
        eid = cur.fetchone()[0] + 1000
        cur.execute("SELECT coalesce(max(id), 0) FROM audit_boundaryexception")
        xid = cur.fetchone()[0] + 1000
    seq, prev = head.seq, head.head_hash
    admin_id = meta["admin_id"]
    pools = {
        line: [encrypt(line) for _ in range(TOKENS_PER_LINE)]
        for line in CLIENT_LINES + THERAPIST_LINES + CRISIS_LINES
    }
    overrides = [encrypt("Client asked for an answer before the weekend.") for _ in range(TOKENS_PER_LINE)]
    review_note = encrypt("Discussed at the weekly case review; within the therapist's judgement.")
    last_crisis: dict[int, datetime] = {}
    alerts: list[tuple] = []
    nulls = "\\N"
    mbuf, ebuf, xbuf = io.StringIO(), io.StringIO(), io.StringIO()
    counts = {"messages": 0, "events": 0, "exceptions": 0}

    copier = _Copier()

    def flush() -> None:
        copier.put(
            [
                (mbuf.getvalue(), MESSAGE_COPY),
                (ebuf.getvalue(), EVENT_COPY),
                (xbuf.getvalue(), EXCEPTION_COPY),
            ]
        )
        for buf in (mbuf, ebuf, xbuf):
            buf.seek(0)
            buf.truncate()

    exceptions_left = EXCEPTIONS
    for n, (at, (tid, therapist_id, client_id, version_id)) in enumerate(stamps):
        remaining = MESSAGES - n
        status, reasons, kind, _ = rnd.choices(OUTCOMES, weights)[0]
        # Exactly EXCEPTIONS exceptions in all, spread as the weights spread them.
        if kind is not None and exceptions_left == 0:
            status, reasons, kind = "delivered", [], None
        elif kind is None and exceptions_left >= remaining:
            status, reasons, kind = OUTCOMES[1][:3]
        if kind == "override":
            role = "therapist"
        elif kind in ("crisis", "emergency_mismatch", "blocked"):
            role = "client"
        else:
            role = "client" if rnd.random() < 0.55 else "therapist"
        sender = client_id if role == "client" else therapist_id
        if kind == "crisis":
            category, body = "emergency", rnd.choice(CRISIS_LINES)
        elif kind == "emergency_mismatch":
            category, body = "emergency", rnd.choice(CLIENT_LINES[1:4])
        else:
            category = rnd.choice(
                ("check_in", "administrative", "administrative", "check_in", "emergency")
                if rnd.random() < 0.05
                else ("check_in", "administrative")
            )
            body = rnd.choice(CLIENT_LINES if role == "client" else THERAPIST_LINES)
        override = rnd.choice(overrides) if kind == "override" else ""
        visible = status in Message.VISIBLE_TO_RECIPIENT
        delivered = at if visible else None
        age = (now - at).total_seconds()
        read = None
        if visible and not (age < 2 * 86400 and rnd.random() < 0.5):
            read = at + timedelta(minutes=5 + rnd.random() * 600)
            read = min(read, now)
        crisis_resources = CRISIS_RESOURCES if category == "emergency" else ""
        auto_reply = AFTER_HOURS_REPLY if kind == "after_hours" and role == "client" else ""
        reasons_json = json.dumps(reasons)
        mbuf.write(
            "\t".join(
                (
                    str(mid),
                    str(tid),
                    str(sender),
                    role,
                    "message",
                    category,
                    "portal",
                    rnd.choice(pools[body]),
                    override,
                    status,
                    reasons_json,
                    _esc(crisis_resources),
                    _esc(auto_reply),
                    str(version_id) if version_id else nulls,
                    at.isoformat(),
                    nulls,
                    nulls,
                    nulls,
                    delivered.isoformat() if delivered else nulls,
                    read.isoformat() if read else nulls,
                )
            )
            + "\n"
        )
        data = canonical_data(
            {
                "outcome": status,
                "reasons": reasons,
                "kind": "message",
                "category": category,
                "channel": "portal",
            }
        )
        seq += 1
        row = {
            "id": eid,
            "practice_id": pid,
            "seq": seq,
            "prev_hash": prev,
            "at": at,
            "actor_id": sender,
            "actor_role": role,
            "action": "contact.decided",
            "therapist_id": therapist_id,
            "client_id": client_id,
            "object_type": "message",
            "object_id": mid,
            "data": data,
        }
        h = event_hash(row)
        ebuf.write(
            "\t".join(
                (
                    str(eid),
                    str(pid),
                    str(seq),
                    prev,
                    h,
                    at.isoformat(),
                    str(sender),
                    role,
                    "contact.decided",
                    str(therapist_id),
                    str(client_id),
                    "message",
                    str(mid),
                    _esc(data),
                )
            )
            + "\n"
        )
        prev = h
        if kind is not None:
            exceptions_left -= 1
            reviewed = age > 14 * 86400 and rnd.random() < 0.9
            xbuf.write(
                "\t".join(
                    (
                        str(xid),
                        str(pid),
                        str(eid),
                        str(therapist_id),
                        str(client_id),
                        str(mid),
                        kind,
                        at.isoformat(),
                        reasons_json,
                        "t" if reviewed else "f",
                        (at + timedelta(days=3)).isoformat() if reviewed else nulls,
                        str(admin_id) if reviewed else nulls,
                        review_note if reviewed else "",
                    )
                )
                + "\n"
            )
            xid += 1
            counts["exceptions"] += 1
        if kind == "crisis":
            last_crisis[tid] = at
            alerts.append((tid, mid, therapist_id, at))
        mid += 1
        eid += 1
        counts["messages"] += 1
        counts["events"] += 1
        if (n + 1) % COPY_CHUNK == 0:
            flush()
            _log(f"{n + 1:,} messages")
    flush()
    copier.close()
    ChainHead.objects.filter(practice_id=pid).update(seq=seq, head_hash=prev)
    from messaging.models import CrisisAlert

    CrisisAlert.objects.bulk_create(
        [
            CrisisAlert(
                thread_id=t,
                message_id=m,
                therapist_id=th,
                raised_at=at,
                due_at=at + timedelta(minutes=30),
                acknowledged_at=at + timedelta(minutes=12),
                acknowledged_by_id=th,
            )
            for t, m, th, at in alerts
        ],
        batch_size=2000,
    )
    if last_crisis:
        with connection.cursor() as cur:
            rows = ", ".join(["(%s, %s::timestamptz)"] * len(last_crisis))
            cur.execute(
                f"UPDATE messaging_thread SET last_crisis_at = v.at FROM (VALUES {rows}) AS v (id, at) "
                "WHERE messaging_thread.id = v.id",
                [x for kv in last_crisis.items() for x in kv],
            )
    with connection.cursor() as cur:
        for table, _model in (("messaging_message", Message), ("audit_auditevent", AuditEvent)):
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
            )
        cur.execute(
            "SELECT setval(pg_get_serial_sequence('audit_boundaryexception', 'id'), "
            "(SELECT max(id) FROM audit_boundaryexception))"
        )
    meta.update(counts)
