"""The portal's audit-signing key, what it signs, and which stored checkpoint can be trusted
(audit.checkpoints signs the heads and verifies from the one this finds).

The signed message is the canonical JSON (sorted keys, no spaces) of `practice_id`, `seq`,
`hash` and `signed_at`; `signature` and `public_key` are standard base64 (with padding) of
the raw Ed25519 values; `hash` is lowercase hex. A stored checkpoint `holds` when its
signature verifies under the portal's own key (the database never holds the private key, so
a row written behind the application's back cannot pass) and the event at its position
still has its hash and still recomputes to it.
"""

from __future__ import annotations

import base64
import binascii
import json
from functools import lru_cache
from typing import Any, cast

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.conf import settings

from portal.api.fields import utc_iso

from . import chain
from .models import AuditEvent, Checkpoint


@lru_cache(maxsize=4)
def _private_key(encoded: str) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(base64.b64decode(encoded, validate=True))


def signing_key() -> Ed25519PrivateKey:
    return _private_key(settings.PORTAL_AUDIT_SIGNING_KEY)


def b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def public_key_b64() -> str:
    return b64(signing_key().public_key().public_bytes(Encoding.Raw, PublicFormat.Raw))


def new_key_b64() -> str:
    """A fresh private key in the format PORTAL_AUDIT_SIGNING_KEY takes."""
    from cryptography.hazmat.primitives.serialization import NoEncryption, PrivateFormat

    return b64(Ed25519PrivateKey.generate().private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption()))


def signed_message(*, practice_id: int, seq: int, hash: str, signed_at: str) -> bytes:
    """What is signed: the canonical JSON of the four fields."""
    return json.dumps(
        {"practice_id": practice_id, "seq": seq, "hash": hash, "signed_at": signed_at},
        sort_keys=True,
        separators=(",", ":"),
    ).encode("ascii")


def as_dict(cp: Checkpoint) -> dict[str, Any]:
    """A checkpoint as the API answers it, the file holds it and verification takes it."""
    return {
        "practice_id": cp.practice_id,
        "seq": cp.seq,
        "hash": cp.hash,
        "signed_at": utc_iso(cp.signed_at),
        "signature": cp.signature,
        "public_key": cp.public_key,
    }


def signature_problem(
    *, practice_id: int, seq: int, hash: str, signed_at: str, signature: bytes, public_key: bytes
) -> str:
    """'' when the signature of these fields is valid under the portal's own key."""
    if b64(public_key) != public_key_b64():
        return "This checkpoint was signed with another key, not this portal's."
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(
            signature, signed_message(practice_id=practice_id, seq=seq, hash=hash, signed_at=signed_at)
        )
    except InvalidSignature:
        return "The checkpoint's signature is not valid: its practice, position, hash or time was changed."
    return ""


def holds(cp: Checkpoint) -> str:
    """Why a stored checkpoint cannot be a starting point ('' when it can): see above."""
    try:
        problem = signature_problem(
            practice_id=cp.practice_id,
            seq=cp.seq,
            hash=cp.hash,
            signed_at=cast(str, utc_iso(cp.signed_at)),  # a datetime in, a str out
            signature=base64.b64decode(cp.signature),
            public_key=base64.b64decode(cp.public_key),
        )
    except (binascii.Error, ValueError):
        problem = "The checkpoint's signature or key is not base64."
    if problem:
        return f"the checkpoint at position {cp.seq} fails: {problem}"
    if cp.seq == 0:
        return (
            ""
            if cp.hash == chain.GENESIS
            else "the checkpoint at position 0 does not have the empty chain's hash"
        )
    row = (
        AuditEvent.objects.filter(practice_id=cp.practice_id, seq=cp.seq)
        .values_list(*chain.HASHED_FIELDS, "hash")
        .first()
    )
    if row is None:
        return f"the event at position {cp.seq} of the checkpoint signed {utc_iso(cp.signed_at)} is gone"
    if row[-1] != cp.hash:
        return (
            f"the event at position {cp.seq} no longer has the hash of the checkpoint signed "
            f"{utc_iso(cp.signed_at)}: the history up to it was rewritten"
        )
    if chain.row_hash(row) != cp.hash:
        return f"the event at position {cp.seq} of the checkpoint signed {utc_iso(cp.signed_at)} was altered"
    return ""


def latest(practice_id: int) -> Checkpoint | None:
    return Checkpoint.objects.filter(practice_id=practice_id).order_by("-seq").first()


def starting_point(practice_id: int) -> tuple[Checkpoint | None, Checkpoint | None, str]:
    """(the checkpoint to start from, or None for the first event; the latest checkpoint;
    why the latest cannot be the start, '' if it can). When the latest does not hold, the
    latest earlier one that does is found by bisection (a rewrite from position r breaks every
    checkpoint at or after r, and none before): a few lookups, not one per checkpoint."""
    last = latest(practice_id)
    if last is None:
        return None, None, ""
    problem = holds(last)
    if not problem:
        return last, last, ""
    earlier = list(
        Checkpoint.objects.filter(practice_id=practice_id, seq__lt=last.seq)
        .order_by("seq")
        .only("id", "practice_id", "seq", "hash", "signed_at", "signature", "public_key")
    )
    best, lo, hi = None, 0, len(earlier) - 1
    while lo <= hi:
        mid = (lo + hi) // 2
        if holds(earlier[mid]):
            hi = mid - 1
        else:
            best, lo = earlier[mid], mid + 1
    return best, last, problem
