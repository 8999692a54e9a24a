"""Many Fernet tokens decrypted at once: the review notes of an exceptions CSV (audit.export).

`portal.crypto.decrypt` costs ~35-50 us a token on this machine, most of it Python-level
set-up repeated per call (a MultiFernet, an HMAC object, a cipher context, an unpadder, and
the urlsafe base64 decoder). A CSV of 195,000 exceptions carries ~170,000 review notes, so
that alone was ~8 s. Here a batch (one chunk of the CSV) is done with what each token needs
and nothing it does not:

- base64 by `binascii` after one `translate` (the urlsafe alphabet to the standard one);
- the HMAC-SHA256 of each token from hash states keyed once per key (the inner and outer
  pads are hashed once, then copied), compared in constant time, *before* anything of the
  token is decrypted; a token no key verifies, or of a wrong version or length, is handed to
  `portal.crypto.decrypt`, which raises as it always does (never echoing the token);
- AES-128-CBC of every verified token of the batch in one call: CBC decryption is block-wise
  AES decryption (one ECB pass over all the batch's ciphertext blocks) XORed with the block
  before (the token's IV for its first block), done as one integer XOR of the whole batch;
- PKCS7 padding checked and removed per token.

Same keys (settings.PORTAL_ENCRYPTION_KEYS, in MultiFernet's order), same format (the
Fernet spec: version 0x80, 8-byte timestamp, 16-byte IV, ciphertext, 32-byte HMAC over all
before it); no TTL, as `portal.crypto.decrypt` has none. tests/audit/test_notes.py holds it
to Fernet's own answers, tampered and foreign tokens included.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from functools import lru_cache
from typing import TYPE_CHECKING

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings

from portal.crypto import decrypt

if TYPE_CHECKING:
    from _hashlib import HASH

_URLSAFE = bytes.maketrans(b"-_", b"+/")
_VERSION = 0x80
_HEADER = 25  # version (1) + timestamp (8) + IV (16)
_MAC = 32


@lru_cache(maxsize=4)
def _keys(keys: tuple) -> list[tuple[HASH, HASH, bytes]]:
    """Per key, in order: the keyed inner and outer SHA-256 states of its HMAC, and its AES key."""
    out = []
    for k in keys:
        raw = base64.urlsafe_b64decode(k.encode() if isinstance(k, str) else k)
        signing, encryption = raw[:16], raw[16:]
        pad = signing.ljust(64, b"\0")
        inner = hashlib.sha256(bytes(b ^ 0x36 for b in pad))
        outer = hashlib.sha256(bytes(b ^ 0x5C for b in pad))
        out.append((inner, outer, encryption))
    return out


def _verified_key(data: bytes, keys) -> int | None:
    """The index of the key whose HMAC the token carries, or None."""
    signed, mac = data[:-_MAC], data[-_MAC:]
    for i, (inner, outer, _aes) in enumerate(keys):
        h = inner.copy()
        h.update(signed)
        o = outer.copy()
        o.update(h.digest())
        if hmac.compare_digest(o.digest(), mac):
            return i
    return None


def _unpad(block: bytes) -> bytes | None:
    n = block[-1] if block else 0
    if not 1 <= n <= 16 or block[-n:] != bytes((n,)) * n:
        return None
    return block[:-n]


def decrypt_many(tokens: list[str]) -> list[str]:
    """The plain text of each token, in order (empty stays empty, as the field reads it)."""
    keys = _keys(tuple(settings.PORTAL_ENCRYPTION_KEYS))
    out: list[str | None] = [None] * len(tokens)
    # Per key: [(position, ciphertext, the ciphertext shifted one block: IV first)].
    pending: dict[int, list[tuple[int, bytes, bytes]]] = {}
    for pos, token in enumerate(tokens):
        if not token:
            out[pos] = token
            continue
        try:
            data = binascii.a2b_base64(token.encode("ascii").translate(_URLSAFE), strict_mode=True)
        except (binascii.Error, UnicodeEncodeError, ValueError):
            data = b""
        body = len(data) - _HEADER - _MAC
        key = None
        if data and data[0] == _VERSION and body > 0 and body % 16 == 0:
            key = _verified_key(data, keys)
        if key is None:
            out[pos] = decrypt(token)  # raises ValueError, as reading the field would
            continue
        pending.setdefault(key, []).append((pos, data[_HEADER:-_MAC], data[9 : -_MAC - 16]))
    for key, items in pending.items():
        ciphertext = b"".join(c for _p, c, _prev in items)
        previous = b"".join(prev for _p, _c, prev in items)
        # Block-wise AES for CBC decryption, the chaining XOR done below (not ECB encryption).
        ecb = Cipher(algorithms.AES(keys[key][2]), modes.ECB()).decryptor()  # noqa: S305
        blocks = ecb.update(ciphertext) + ecb.finalize()
        plain = (int.from_bytes(blocks, "big") ^ int.from_bytes(previous, "big")).to_bytes(len(blocks), "big")
        at = 0
        for pos, c, _prev in items:
            text = _unpad(plain[at : at + len(c)])
            at += len(c)
            # A verified token with bad padding is not one Fernet wrote: let Fernet refuse it.
            out[pos] = text.decode("utf-8") if text is not None else decrypt(tokens[pos])
    return out  # type: ignore[return-value]
