"""Checkpoints as someone hands them in (an earlier download, the sealer's JSON-lines
file): their shape checked, not yet trusted (audit.checkpoints.check judges them)."""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

FIELDS = ("practice_id", "seq", "hash", "signed_at", "signature", "public_key")
_HEX64 = re.compile(r"[0-9a-f]{64}")


class CheckpointMalformed(ValueError):
    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(v if k == "checkpoint" else f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


@dataclass(frozen=True)
class Claim:
    """A checkpoint as someone handed it in: well-formed, not yet trusted."""

    practice_id: int
    seq: int
    hash: str
    signed_at: str
    signature: bytes
    public_key: bytes


def _decode(value: Any, size: int) -> bytes:
    if not isinstance(value, str):
        raise ValueError("must be a base64 string")
    try:
        raw = base64.b64decode(value.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        raise ValueError("is not standard base64 (with padding)") from None
    if len(raw) != size:
        raise ValueError(f"must decode to {size} bytes, not {len(raw)}")
    return raw


def parse(data: Any) -> Claim:
    """Check a checkpoint's shape (as the endpoint answers it); CheckpointMalformed names
    every field that is missing or wrong. Extra fields are ignored."""
    if not isinstance(data, dict):
        raise CheckpointMalformed({"checkpoint": "must be a JSON object with " + ", ".join(FIELDS)})
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    for name in FIELDS:
        if name not in data or data[name] is None:
            errors[name] = "This field is required."
    for name in ("practice_id", "seq"):
        if name in data and data[name] is not None:
            v = data[name]
            if not isinstance(v, int) or isinstance(v, bool) or v < (1 if name == "practice_id" else 0):
                errors[name] = "must be a whole number" + (
                    " of at least 1" if name == "practice_id" else ", 0 or more"
                )
            else:
                values[name] = v
    if data.get("hash") is not None:
        if not isinstance(data["hash"], str) or not _HEX64.fullmatch(data["hash"]):
            errors["hash"] = "must be 64 lowercase hex digits"
        else:
            values["hash"] = data["hash"]
    if data.get("signed_at") is not None:
        v = data["signed_at"]
        try:
            if not isinstance(v, str) or datetime.fromisoformat(v).tzinfo is None:
                raise ValueError
            values["signed_at"] = v
        except ValueError:
            errors["signed_at"] = "must be an ISO 8601 time with an offset or Z"
    for name, size in (("signature", 64), ("public_key", 32)):
        if data.get(name) is not None:
            try:
                values[name] = _decode(data[name], size)
            except ValueError as exc:
                errors[name] = str(exc)
    if errors:
        raise CheckpointMalformed(errors)
    return Claim(**values)


def claims_from_text(text: str) -> list[Claim]:
    """A file as the endpoint answers it (one JSON object) or the JSON-lines file the sealer
    writes: for the latter, the last line of each practice (the newest, as lines are only
    appended). Raises CheckpointMalformed naming the line that is wrong."""
    stripped = text.strip()
    if not stripped:
        raise CheckpointMalformed({"checkpoint": "the file is empty"})
    try:
        return [parse(json.loads(stripped))]
    except json.JSONDecodeError:
        pass
    by_practice: dict[int, Claim] = {}
    for number, line in enumerate(stripped.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError:
            raise CheckpointMalformed({"checkpoint": f"line {number} is not JSON"}) from None
        try:
            claim = parse(data)
        except CheckpointMalformed as exc:
            raise CheckpointMalformed({f"line {number}": str(exc)}) from None
        by_practice[claim.practice_id] = claim
    return list(by_practice.values())
