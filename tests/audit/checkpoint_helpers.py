"""What the checkpoint tests share (test_checkpoints*.py, test_verify_incremental.py,
test_verify_page.py): events to sign, the sealer's file read back, a checkpoint re-signed, and
the rewrites a superuser can make."""

from __future__ import annotations

import base64
import json
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from audit import checkpoints
from audit.chain import GENESIS, record
from audit.models import AuditEvent, ChainHead
from tests.audit.test_chain import _raw

ROOT = Path(__file__).resolve().parents[2]


def _events(practice, n=3, actor=None):
    for i in range(n):
        record(practice_id=practice.pk, action="test.event", actor=actor, data={"i": i})


def _file_lines(folder) -> list[dict]:
    path = Path(folder) / checkpoints.FILE_NAME
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def _canonical(cp: dict) -> bytes:
    # Written out independently of the code under test: sorted keys, no spaces.
    hash_, practice_id, seq, signed_at = cp["hash"], cp["practice_id"], cp["seq"], cp["signed_at"]
    return (
        f'{{"hash":"{hash_}","practice_id":{practice_id:d},"seq":{seq:d},"signed_at":"{signed_at}"}}'.encode()
    )


def _resign(cp: dict, key: Ed25519PrivateKey, **changes) -> dict:
    """A checkpoint with some fields changed and validly signed by `key`."""
    out = {**cp, **changes}
    out["signature"] = base64.b64encode(key.sign(_canonical(out))).decode()
    out["public_key"] = base64.b64encode(
        key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    ).decode()
    return out


def _rewrite(practice, *, seq: int) -> None:
    """Alter event `seq`, then recompute every later hash and the head, as a superuser can."""
    from audit.chain import HASHED_FIELDS, event_hash

    rows = list(AuditEvent.objects.filter(practice=practice).order_by("seq").values("hash", *HASHED_FIELDS))
    prev = GENESIS
    for row in rows:
        if row["seq"] == seq:
            row["data"] = '{"i":"rewritten"}'
        if row["seq"] >= seq:
            row["prev_hash"] = prev
            row["hash"] = event_hash(row)
            _raw(
                "UPDATE audit_auditevent SET data = %s, prev_hash = %s, hash = %s WHERE id = %s",
                [row["data"], row["prev_hash"], row["hash"], row["id"]],
            )
        prev = row["hash"]
    _raw("UPDATE audit_chainhead SET head_hash = %s WHERE practice_id = %s", [prev, practice.pk])


def _empty(practice) -> None:
    """Empty the log and reset the head, as a superuser can (TRUNCATE on PostgreSQL)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        # Django's foreign keys are deferred: check them now, or TRUNCATE refuses (pending events).
        _raw("SET CONSTRAINTS ALL IMMEDIATE", [])
        _raw("TRUNCATE audit_auditevent CASCADE", [])
    else:
        _raw("DELETE FROM audit_boundaryexception", [])
        _raw("DELETE FROM audit_auditevent", [])
    _raw("UPDATE audit_chainhead SET seq = 0, head_hash = %s WHERE practice_id = %s", [GENESIS, practice.pk])


def _cut_head(practice, n: int) -> None:
    """Delete the newest events and the chain head row that would have shown they existed."""
    last = ChainHead.objects.get(practice=practice).seq
    _raw("DELETE FROM audit_auditevent WHERE practice_id = %s AND seq > %s", [practice.pk, last - n])
    _raw("DELETE FROM audit_chainhead WHERE practice_id = %s", [practice.pk])
