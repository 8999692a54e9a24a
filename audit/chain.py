"""Appending to, sealing and verifying the per-practice audit hash chain.

Appending is a plain INSERT inside the caller's transaction, so the hot send
path takes no practice-wide lock. The sealer links unsealed events into the
chain in id order under a row lock on the practice's ChainHead (the beat task
every few seconds, and every verification first). An event whose transaction
committed late is simply sealed later, with a later sequence number: the chain
is ordered by `seq`, never by id.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypedDict

from django.db import connection, transaction
from django.utils import timezone

from portal.locks import lock_rows

from .models import AuditEvent, BoundaryException, ChainHead

GENESIS = "0" * 64
SEAL_BATCH = 5000


def canonical_data(data: dict[str, Any] | None) -> str:
    return json.dumps(data or {}, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def _iso(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


# The order of the fields in the hashed text. Every stored field but `hash`.
HASHED_FIELDS = (
    "id",
    "practice_id",
    "seq",
    "prev_hash",
    "at",
    "actor_id",
    "actor_role",
    "action",
    "therapist_id",
    "client_id",
    "object_type",
    "object_id",
    "data",
)


def event_hash(row: dict[str, Any]) -> str:
    parts = []
    for name in HASHED_FIELDS:
        value = row[name]
        if name == "at":
            value = _iso(value)
        parts.append(value)
    text = json.dumps(parts, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def build_event(
    *,
    practice_id: int,
    action: str,
    actor=None,
    therapist_id: int | None = None,
    client_id: int | None = None,
    obj=None,
    data: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> AuditEvent:
    """An unsaved event, for `record_many` (batch work such as releasing held messages)."""
    return AuditEvent(
        practice_id=practice_id,
        at=at or timezone.now(),
        actor=actor if actor is not None and getattr(actor, "pk", None) else None,
        actor_role=getattr(actor, "role", "") if actor is not None else "system",
        action=action,
        therapist_id=therapist_id,
        client_id=client_id,
        object_type=obj.__class__.__name__.lower() if obj is not None else "",
        object_id=getattr(obj, "pk", None) if obj is not None else None,
        data=canonical_data(data),
    )


# Writing events: `record` (one event) and `record_many` (many) are the only two ways an
# event or a boundary exception is written; nothing else creates AuditEvent or
# BoundaryException rows (tests/messaging/test_recorder.py reads the source for it).


def _exception_row(event: AuditEvent, x: dict[str, Any]) -> BoundaryException:
    if event.therapist_id is None:
        # BoundaryException.therapist is NOT NULL: such a row could never be inserted.
        raise ValueError("a boundary exception needs its event's therapist")
    return BoundaryException(
        practice_id=event.practice_id,
        event=event,
        therapist_id=event.therapist_id,
        client_id=event.client_id,
        message_id=x.get("message_id"),
        kind=x["kind"],
        at=event.at,
        reasons=list(x.get("reasons", ())),
    )


def record_many(items: list[tuple[AuditEvent, dict[str, Any] | None]]) -> list[AuditEvent]:
    """Insert many events at once; each item's dict (or None) describes its boundary
    exception: {"kind", "reasons", "message_id"}. Two INSERT statements in all."""
    events = AuditEvent.objects.bulk_create([e for e, _ in items])
    exceptions = [_exception_row(e, x) for e, (_, x) in zip(events, items, strict=True) if x]
    if exceptions:
        BoundaryException.objects.bulk_create(exceptions)
    return events


def record(
    *,
    practice_id: int,
    action: str,
    actor=None,
    therapist_id: int | None = None,
    client_id: int | None = None,
    obj=None,
    data: dict[str, Any] | None = None,
    exception_kind: str | None = None,
    reasons: Iterable[str] = (),
    message_id: int | None = None,
    at: datetime | None = None,
) -> AuditEvent:
    """Append one event (and its boundary exception, if any) in the caller's transaction."""
    event = build_event(
        practice_id=practice_id,
        action=action,
        actor=actor,
        therapist_id=therapist_id,
        client_id=client_id,
        obj=obj,
        data=data,
        at=at,
    )
    event.save(force_insert=True)
    if exception_kind:
        _exception_row(event, {"kind": exception_kind, "reasons": reasons, "message_id": message_id}).save(
            force_insert=True
        )
    return event


LINK_CHUNK = 1000


def _write_links(events: list[AuditEvent]) -> None:
    """Set seq, prev_hash and hash of many events: one UPDATE ... FROM a VALUES list per
    chunk. (bulk_update's CASE WHEN, one branch per row, made sealing quadratic: 0.5 ms an
    event in batches of 5,000.) The same SQL runs on PostgreSQL and SQLite 3.33+."""
    q = connection.ops.quote_name
    table = q(AuditEvent._meta.db_table)
    for i in range(0, len(events), LINK_CHUNK):
        chunk = events[i : i + LINK_CHUNK]
        rows = ", ".join(["(%s, %s, %s, %s)"] * len(chunk))
        params = [v for e in chunk for v in (e.id, e.seq, e.prev_hash, e.hash)]
        with connection.cursor() as cur:
            cur.execute(
                f"WITH v (id, seq, prev_hash, hash) AS (VALUES {rows}) "  # noqa: S608 -- constants only: the quoted table name and %s placeholders
                f"UPDATE {table} SET seq = v.seq, prev_hash = v.prev_hash, hash = v.hash "
                f"FROM v WHERE {table}.id = v.id",
                params,
            )


def seal(practice_id: int) -> int:
    """Link every unsealed event of one practice into its chain. Returns how many.

    Nothing to seal (the steady state of every verification between two beats) is one
    index read of audit_unsealed_idx, without taking the head's lock: an event committed
    after that read waits for the next seal, as it would behind the lock."""
    if not AuditEvent.objects.filter(practice_id=practice_id, seq__isnull=True).exists():
        return 0
    sealed = 0
    while True:
        with transaction.atomic():
            head, _ = ChainHead.objects.get_or_create(practice_id=practice_id)
            head = lock_rows(ChainHead.objects.all()).get(pk=head.pk)  # taken alone (portal.locks)
            batch = list(
                AuditEvent.objects.filter(practice_id=practice_id, seq__isnull=True)
                .order_by("id")
                .values("id", *[f for f in HASHED_FIELDS if f not in ("id", "seq", "prev_hash")])[:SEAL_BATCH]
            )
            if not batch:
                return sealed
            seq, prev = head.seq, head.head_hash
            updates = []
            for row in batch:
                seq += 1
                row.update(seq=seq, prev_hash=prev)
                prev = event_hash(row)
                updates.append(AuditEvent(id=row["id"], seq=seq, prev_hash=row["prev_hash"], hash=prev))
            _write_links(updates)
            ChainHead.objects.filter(pk=head.pk).update(seq=seq, head_hash=prev)
            sealed += len(batch)


@dataclass(frozen=True)
class Verification:
    ok: bool
    events: int
    # The chain position (`seq`) where it first breaks: the altered event, the place
    # of a deleted one, or the first position past a cut-off tail.
    first_broken: int | None
    detail: str = ""
    # The last position up to which every hash and link recomputes (0: none), or, for a
    # verification that started from a checkpoint, up to which the checkpoint vouches and
    # every later hash and link recomputes.
    intact_to: int = 0
    # True when the walk ran out of events after `intact_to` (a cut tail or an emptied log,
    # if the head or a checkpoint says there were more), False when a stored event broke it.
    ended: bool = True
    # The stored hash at the position `verify` was asked about (`at_seq`), if the chain is
    # intact up to and including it; None otherwise. Checkpoints are compared with it.
    hash_at: str | None = None
    # The hash at `intact_to` (what a new checkpoint of a verified chain signs).
    intact_hash: str = GENESIS
    # Where the recomputation started: 0 for the whole chain, else the position of the signed
    # checkpoint it started from (audit.checkpoints.verify_from_checkpoint).
    verified_from: int = 0
    # The practice's latest signed checkpoint, and why it could not be the starting point
    # ('' when it could): its event no longer has its hash, or its signature fails.
    latest_checkpoint_seq: int | None = None
    checkpoint_problem: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "events": self.events,
            "first_broken": self.first_broken,
            "verified_from_seq": self.verified_from,
            "latest_checkpoint_ok": (
                None if self.latest_checkpoint_seq is None else not self.checkpoint_problem
            ),
        }


class _Intact(TypedDict):
    """The fields of a Verification that say how far the chain holds."""

    intact_to: int
    hash_at: str | None
    intact_hash: str
    verified_from: int


_ENCODE = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode
_AT = HASHED_FIELDS.index("at")
_SEQ = HASHED_FIELDS.index("seq")
_PREV = HASHED_FIELDS.index("prev_hash")
_HASH = len(HASHED_FIELDS)


def row_hash(values: Sequence[Any]) -> str:
    """event_hash of a (HASHED_FIELDS..., hash) tuple, without building a dict (the full run
    hashes a million of them)."""
    parts = list(values[:_HASH])
    parts[_AT] = _iso(parts[_AT])
    return hashlib.sha256(_ENCODE(parts).encode("utf-8")).hexdigest()


def verify(
    practice_id: int,
    *,
    seal_first: bool = True,
    at_seq: int | None = None,
    start: tuple[int, str] | None = None,
) -> Verification:
    """Recompute every hash and link of one practice's chain, in constant memory.

    `start` (seq, hash): a position vouched for by a signed checkpoint that still holds
    (audit.checkpoints.verify_from_checkpoint checks that): only the events after it are
    recomputed, the first of them linked to `hash`. Without it, the whole chain."""
    if seal_first:
        seal(practice_id)
    head = ChainHead.objects.filter(practice_id=practice_id).first()
    first_seq, prev = (0, GENESIS) if start is None else start
    events = AuditEvent.objects.filter(practice_id=practice_id)
    if start is not None:
        events = events.filter(seq__gt=first_seq)
    rows = events.order_by("seq", "id").values_list(*HASHED_FIELDS, "hash").iterator(chunk_size=SEAL_BATCH)
    expected_seq, count = first_seq + 1, first_seq
    hash_at = prev if at_seq == first_seq else None

    def broken(detail: str) -> Verification:
        return Verification(
            False,
            count,
            expected_seq,
            detail,
            intact_to=expected_seq - 1,
            ended=False,
            hash_at=hash_at,
            intact_hash=prev,
            verified_from=first_seq,
        )

    for row in rows:
        seq = row[_SEQ]
        if seq is None:
            # An event written after this verification sealed: not yet part of the chain.
            continue
        count += 1
        if seq != expected_seq:
            return broken(f"event {expected_seq} is missing or renumbered")
        if row[_PREV] != prev:
            return broken("link to the previous event is broken")
        if row_hash(row) != row[_HASH]:
            return broken("event was altered")
        if seq == at_seq:
            hash_at = row[_HASH]
        prev, expected_seq = row[_HASH], expected_seq + 1
    last = expected_seq - 1
    done: _Intact = {"intact_to": last, "hash_at": hash_at, "intact_hash": prev, "verified_from": first_seq}
    if head is None and last > 0:
        # The sealer writes the head in the transaction that links events: sealed events
        # without a head mean it was deleted (which also hides a cut-off tail).
        return Verification(
            False, count, expected_seq, f"the chain head is missing (chain ends at {last})", **done
        )
    if head is not None and (head.seq != last or head.head_hash != prev):
        # The tail was cut off (or the head rewound): name the first missing position.
        return Verification(False, count, expected_seq, f"chain ends at {last}, head says {head.seq}", **done)
    return Verification(True, count, None, **done)
