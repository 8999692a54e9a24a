"""Signed checkpoints of the audit chains, as Certificate Transparency signs its tree heads.

The hash chain finds any change made behind the application's back, unless the one who
made it recomputed every later hash and the head: a database superuser can. A checkpoint
is a signed statement "practice P's chain had hash H at position N at time T", signed with
an Ed25519 key the database never holds (PORTAL_AUDIT_SIGNING_KEY) and also written outside
the database (a JSON-lines file in PORTAL_AUDIT_CHECKPOINT_DIR, and whoever downloaded one).
A chain that no longer reaches N with H under a valid signature was rewritten, cut or
emptied, however well its hashes were recomputed.

The key and what it signs are audit.signing; a checkpoint handed in (a download, the
sealer's file) is parsed by audit.claims. Both are imported from here too, as before.

The sealer never signs a head that does not extend its latest checkpoint: it recomputes
the events from that checkpoint's position to the head first, so a rewrite is never
blessed by a new signature.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path
from typing import Any, cast

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from portal.api.fields import utc_iso
from portal.errors import Conflict
from portal.locks import lock_rows

from . import chain
from .claims import FIELDS, CheckpointMalformed, Claim, claims_from_text, parse
from .models import AuditEvent, ChainHead, Checkpoint, VerificationRun
from .signing import (
    as_dict,
    b64,
    holds,
    latest,
    new_key_b64,
    public_key_b64,
    signature_problem,
    signed_message,
    signing_key,
    starting_point,
)

__all__ = [  # what callers import from here, this module's own and the two it draws on
    "CHECKPOINT_EVERY",
    "FIELDS",
    "FILE_NAME",
    "FULL_TASK",
    "CheckpointCheck",
    "CheckpointMalformed",
    "Claim",
    "NothingSigned",
    "as_dict",
    "check",
    "claims_from_text",
    "current",
    "full_verification_request",
    "holds",
    "latest",
    "latest_full_run",
    "new_key_b64",
    "parse",
    "public_key_b64",
    "sign_if_due",
    "signature_problem",
    "signed_message",
    "signing_key",
    "starting_point",
    "verified_from_checkpoint",
    "verify_from_checkpoint",
    "verify_full",
]

logger = logging.getLogger(__name__)

# The beat task (every few seconds) signs a practice's head when it has moved and its latest
# checkpoint is at least this old: so new events are signed within about 5 minutes (the
# contract asks for at least every 10). Verification and the checkpoint endpoint sign
# whenever the head has moved.
CHECKPOINT_EVERY = timedelta(minutes=5)
FILE_NAME = "checkpoints.jsonl"


# --- Signing ------------------------------------------------------------------------


def _extends(practice_id: int, last: Checkpoint | None, head: ChainHead) -> str:
    """Why the chain from the latest checkpoint to the head does not hold ('' if it does):
    the checkpoint's event still has its hash, and every later hash and link recomputes."""
    if last is None:
        return _extends_from(practice_id, None, head)
    return _extends_from(practice_id, (last.seq, last.hash), head)


def _extends_from(practice_id: int, point: tuple[int, str] | None, head: ChainHead) -> str:
    """Why the chain from a trusted (seq, hash) to the head does not hold ('' if it does)."""
    start = point[0] if point is not None else 0
    last = None if point is None else _Point(*point)
    if head.seq < start:
        return f"the head (position {head.seq}) is behind the latest checkpoint (position {start})"
    prev = chain.GENESIS
    if start == 0 and last is not None and last.hash != prev:
        return "the latest checkpoint at position 0 does not have the empty chain's hash"
    rows = (
        AuditEvent.objects.filter(practice_id=practice_id, seq__gte=max(start, 1), seq__lte=head.seq)
        .order_by("seq")
        .values_list(*chain.HASHED_FIELDS, "hash")
        .iterator(chunk_size=chain.SEAL_BATCH)
    )
    expected = start + 1
    seq_at, prev_at, hash_at = (
        chain.HASHED_FIELDS.index("seq"),
        chain.HASHED_FIELDS.index("prev_hash"),
        len(chain.HASHED_FIELDS),
    )
    for row in rows:
        # The first row: the checkpoint's own event (start > 0 only with a point, so `last`).
        if last is not None and start > 0 and prev == chain.GENESIS:
            if row[seq_at] != start:
                return f"the event at position {start} of the latest checkpoint is gone"
            if row[hash_at] != last.hash:
                return f"the event at position {start} no longer has the latest checkpoint's hash"
            prev = row[hash_at]
            continue
        if row[seq_at] != expected:
            return f"event {expected} is missing"
        if row[prev_at] != prev or chain.row_hash(row) != row[hash_at]:
            return f"event {expected} does not recompute"
        prev, expected = row[hash_at], expected + 1
    if start > 0 and prev == chain.GENESIS:
        return f"the event at position {start} of the latest checkpoint is gone"
    if expected - 1 != head.seq or prev != head.head_hash:
        return f"the chain ends at {expected - 1}, not at its head (position {head.seq}) with the head's hash"
    return ""


@dataclass(frozen=True)
class _Point:
    seq: int
    hash: str


def _append_to_file(entry: dict[str, Any]) -> None:
    """One JSON line per checkpoint, appended and flushed to disk before the row commits."""
    folder = Path(settings.PORTAL_AUDIT_CHECKPOINT_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    line = (json.dumps(entry, sort_keys=True, separators=(",", ":")) + "\n").encode("ascii")
    fd = os.open(folder / FILE_NAME, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(fd, line)  # one write of one short line: appends are not interleaved
        os.fsync(fd)
    finally:
        os.close(fd)


def sign_if_due(
    practice_id: int,
    *,
    min_age: timedelta | None = None,
    seal_first: bool = True,
    verified: tuple[int, str] | None = None,
) -> Checkpoint | None:
    """Seal the practice's chain, then sign its head if it moved past the latest checkpoint
    (with `min_age`, only if that checkpoint is at least that old; without it, a practice
    that has none gets one even for an empty chain). Returns the new checkpoint, or None.

    `verified` (seq, hash): a position the caller has just recomputed from the latest
    checkpoint (or from the first event when there is none), so only what lies after it is
    recomputed again here. It is used only when it is not behind the latest checkpoint, and
    its event must still have that hash."""
    if seal_first:
        chain.seal(practice_id)
    with transaction.atomic():
        head, _ = ChainHead.objects.get_or_create(practice_id=practice_id)
        head = lock_rows(ChainHead.objects.all()).get(pk=head.pk)  # taken alone (portal.locks)
        last = latest(practice_id)
        now = timezone.now().replace(microsecond=0)
        if last is not None and head.seq == last.seq and head.head_hash == last.hash:
            return None
        if min_age is not None and (
            (last is None and head.seq == 0) or (last is not None and now - last.signed_at < min_age)
        ):
            return None
        if verified is not None and (last is None or last.seq <= verified[0]) and verified[0] <= head.seq:
            # The latest checkpoint must still hold too: a rewrite that recomputed every hash
            # verifies on its own, and must never get a signature.
            problem = (holds(last) if last is not None else "") or _extends_from(practice_id, verified, head)
        else:
            problem = _extends(practice_id, last, head)
        if problem:
            # Never sign over a rewrite: the latest good checkpoint stays the latest.
            logger.error("audit chain of practice %s not signed: %s", practice_id, problem)
            return None
        cp = Checkpoint(
            practice_id=practice_id,
            seq=head.seq,
            hash=head.head_hash,
            signed_at=now,
            public_key=public_key_b64(),
        )
        # utc_iso of a datetime is a str (None only for None).
        cp.signature = b64(
            signing_key().sign(
                signed_message(
                    practice_id=practice_id, seq=cp.seq, hash=cp.hash, signed_at=cast(str, utc_iso(now))
                )
            )
        )
        cp.save()
        try:
            _append_to_file(as_dict(cp))
        except OSError as exc:
            # No checkpoint that is not also outside the database: the row goes back with the
            # failed write, and the next run tries again.
            logger.error(
                "audit checkpoint of practice %s not written to %s: %s",
                practice_id,
                settings.PORTAL_AUDIT_CHECKPOINT_DIR,
                exc.__class__.__name__,
            )
            transaction.set_rollback(True)
            return None
    return cp


class NothingSigned(Conflict):
    """No checkpoint was ever signed and none could be now: nothing to answer."""


def current(practice_id: int) -> Checkpoint:
    """The latest checkpoint, signing a new one first if the head moved (the endpoint's answer).
    Raises NothingSigned when none exists and none could be signed (a chain that does not
    verify, or a checkpoint file that cannot be written)."""
    sign_if_due(practice_id)
    cp = latest(practice_id)
    if cp is None:
        raise NothingSigned(
            "No checkpoint could be signed: the audit chain does not verify (see the "
            "verification for where it breaks), or the checkpoint file cannot be written."
        )
    return cp


# --- Verifying from the latest checkpoint -------------------------------------------------
# Every verification a request asks for (the verify page, GET/POST /api/v1/audit/verify, the
# command without --full) recomputes only the events after the latest signed checkpoint that
# still holds, as a Certificate Transparency monitor checks a new tree head against the one it
# trusts. A checkpoint holds when its signature verifies under the portal's own key (the
# database never holds the private key, so a row written behind the application's back cannot
# pass) and the event at its position still has its hash and still recomputes to it. An event
# altered before that position without recomputing the later hashes leaves the checkpoint
# holding: the full re-verification (audit.tasks, nightly and on demand) finds it, and from
# then on every verification reports the break it found. A rewrite that recomputed the later
# hashes changes the hash at the checkpoint's position: the checkpoint no longer holds, the
# verification starts from an earlier one that does (or from the first event) and says why.


def latest_full_run(practice_id: int) -> VerificationRun | None:
    return (
        VerificationRun.objects.filter(practice_id=practice_id, finished_at__isnull=False)
        .order_by("-id")
        .first()
    )


def verify_from_checkpoint(
    practice_id: int, *, at_seq: int | None = None, sign: bool = True
) -> chain.Verification:
    """Seal, verify the chain from its latest checkpoint that holds, then sign the head when it
    moved (what every verification does). `events` is still the chain's length. A break the
    latest full re-verification found is reported until a later one finds none."""
    return verified_from_checkpoint(practice_id, at_seq=at_seq, sign=sign)[0]


def verified_from_checkpoint(
    practice_id: int, *, at_seq: int | None = None, sign: bool = True
) -> tuple[chain.Verification, Checkpoint | None, VerificationRun | None]:
    """verify_from_checkpoint, with what it read on the way for the verify page: the latest
    checkpoint after it (the one it signed, if it signed one) and the latest full run."""
    chain.seal(practice_id)
    start, last, problem = starting_point(practice_id)
    point = None if start is None else (start.seq, start.hash)
    result = chain.verify(practice_id, seal_first=False, at_seq=at_seq, start=point)
    result = replace(
        result, latest_checkpoint_seq=None if last is None else last.seq, checkpoint_problem=problem
    )
    if at_seq is not None and start is not None and at_seq < start.seq:
        # Vouched for by the later checkpoint: its event is still there with its stored hash.
        result = replace(
            result,
            hash_at=chain.GENESIS
            if at_seq == 0
            else AuditEvent.objects.filter(practice_id=practice_id, seq=at_seq)
            .values_list("hash", flat=True)
            .first(),
        )
    run = latest_full_run(practice_id)
    if result.ok and run is not None and run.status == VerificationRun.Status.BROKEN:
        result = replace(
            result,
            ok=False,
            first_broken=run.first_broken,
            ended=False,
            detail=(
                f"the full re-verification of {utc_iso(run.finished_at)} found it broken at position "
                f"{run.first_broken}: {run.detail}"
            ),
        )
    unmoved = last is not None and (result.intact_to, result.intact_hash) == (last.seq, last.hash)
    if sign and result.ok and start is last and not unmoved:
        # Recomputed from the latest checkpoint (or the first event): sign on from there. (A
        # head still at the latest checkpoint has nothing to sign: no lock, no transaction.)
        last = sign_if_due(
            practice_id, seal_first=False, verified=(result.intact_to, result.intact_hash)
        ) or latest(practice_id)
    return result, last, run


def verify_full(
    practice_id: int,
    *,
    run: VerificationRun | None = None,
    trigger: str = VerificationRun.Trigger.SCHEDULE,
    requested_by=None,
    at_seq: int | None = None,
) -> tuple[chain.Verification, VerificationRun]:
    """The full re-verification: seal, recompute every hash and link from the first event,
    store the run (result, time taken, range), and sign the head when the whole chain holds.
    `run`: the queued row of an on-demand request (else a new row)."""
    import time

    chain.seal(practice_id)
    started, t = timezone.now(), time.perf_counter()
    result = chain.verify(practice_id, seal_first=False, at_seq=at_seq)
    took = time.perf_counter() - t
    if run is None:
        run = VerificationRun(
            practice_id=practice_id, trigger=trigger, requested_by=requested_by, requested_at=started
        )
    run.status = VerificationRun.Status.OK if result.ok else VerificationRun.Status.BROKEN
    run.started_at, run.finished_at, run.duration_ms = started, timezone.now(), int(took * 1000)
    run.from_seq = 1 if (result.intact_to or result.first_broken) else 0
    run.to_seq = result.intact_to if result.ok else result.first_broken
    run.events, run.first_broken, run.detail = result.events, result.first_broken, result.detail[:300]
    run.save()
    last = latest(practice_id)
    result = replace(
        result,
        latest_checkpoint_seq=None if last is None else last.seq,
        checkpoint_problem=holds(last) if last is not None else "",
    )
    if result.ok:
        sign_if_due(practice_id, seal_first=False, verified=(result.intact_to, result.intact_hash))
    return result, run


FULL_TASK = "audit.verify_full"


def full_verification_request(*, admin) -> tuple[VerificationRun, bool]:
    """Queue a full re-verification of the admin's practice (the verify page's button): a
    queued run, its outbox row (audit/notifications.py runs it after commit, in the worker)
    and the audit event, in one transaction. When one is already queued, that one is answered
    (False: nothing new queued)."""
    from portal.outbox import enqueue

    with transaction.atomic():
        queued = (
            VerificationRun.objects.filter(practice_id=admin.practice_id, finished_at__isnull=True)
            .order_by("-id")
            .first()
        )
        if queued is not None:
            return queued, False
        run = VerificationRun.objects.create(
            practice_id=admin.practice_id, trigger=VerificationRun.Trigger.REQUEST, requested_by=admin
        )
        enqueue(FULL_TASK, run_id=run.pk)
        chain.record(
            practice_id=admin.practice_id, action="audit.full_verification_requested", actor=admin, obj=run
        )
    return run, True


# --- Verifying against a checkpoint ----------------------------------------------------


@dataclass(frozen=True)
class CheckpointCheck:
    ok: bool
    detail: str


def _claim_problem(practice_id: int, claim: Claim) -> str:
    if claim.practice_id != practice_id:
        return "This checkpoint is not of this practice's audit chain."
    return signature_problem(
        practice_id=claim.practice_id,
        seq=claim.seq,
        hash=claim.hash,
        signed_at=claim.signed_at,
        signature=claim.signature,
        public_key=claim.public_key,
    )


def check(
    practice_id: int, claim: Claim, *, full: bool = False
) -> tuple[chain.Verification, CheckpointCheck]:
    """Verify the practice's chain (from its latest checkpoint that holds, as every
    verification does) and against the claimed checkpoint: a valid signature under the
    portal's own key, and the chain still reaching its seq with its hash."""
    if full:
        result = verify_full(practice_id, at_seq=claim.seq, trigger=VerificationRun.Trigger.COMMAND)[0]
    else:
        result = verify_from_checkpoint(practice_id, at_seq=claim.seq)
    problem = _claim_problem(practice_id, claim)
    if problem:
        return result, CheckpointCheck(False, problem)
    n = claim.seq
    if result.hash_at is None:
        if n <= result.intact_to:
            return result, CheckpointCheck(False, f"The event at position {n} is gone from the chain.")
        if result.ended:
            return result, CheckpointCheck(
                False,
                (
                    f"The chain now ends at position {result.intact_to}, before the checkpoint's position {n}: "
                    "events were deleted, or the log was emptied and its head reset."
                ),
            )
        return result, CheckpointCheck(
            False,
            (
                f"The chain is broken at position {result.first_broken}, at or before the checkpoint's position {n}: "
                f"{result.detail}."
            ),
        )
    if result.hash_at != claim.hash:
        return result, CheckpointCheck(
            False,
            (
                f"The event at position {n} no longer has the checkpoint's hash: the history up to it was rewritten."
            ),
        )
    return result, CheckpointCheck(True, f"The chain still reaches position {n} with the checkpoint's hash.")
