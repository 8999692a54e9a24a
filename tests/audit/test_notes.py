"""audit.notes.decrypt_many gives what Fernet gives, token by token, and refuses what Fernet refuses."""

from __future__ import annotations

import base64

import pytest
from cryptography.fernet import Fernet, MultiFernet

from audit.notes import decrypt_many
from portal.crypto import decrypt, encrypt

TEXTS = [
    "",
    "a",
    "x" * 15,
    "y" * 16,
    "z" * 17,
    'Spoke to the client, "no harm".\nDone.',
    "é" * 40 + " ✓",
    "n" * 3000,
]


def test_every_length_and_alphabet_reads_as_fernet_reads_it():
    tokens = [encrypt(t) if t else "" for t in TEXTS] * 3
    assert decrypt_many(tokens) == [decrypt(t) if t else "" for t in tokens] == TEXTS * 3


def test_a_batch_of_many_distinct_tokens():
    texts = [f"Reviewed at the case meeting, number {i}." * (1 + i % 4) for i in range(500)]
    assert decrypt_many([encrypt(t) for t in texts]) == texts


def test_tokens_of_an_older_key_after_rotation(settings):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    from portal import crypto

    settings.PORTAL_ENCRYPTION_KEYS = [old]
    crypto._fernet.cache_clear()
    try:
        by_old = [encrypt(f"old {i}") for i in range(5)]
        settings.PORTAL_ENCRYPTION_KEYS = [new, old]
        crypto._fernet.cache_clear()
        by_new = [encrypt(f"new {i}") for i in range(5)]
        mixed = [t for pair in zip(by_old, by_new, strict=True) for t in pair]
        assert decrypt_many(mixed) == [
            MultiFernet([Fernet(new), Fernet(old)]).decrypt(t.encode()).decode() for t in mixed
        ]
        assert decrypt_many(mixed)[:2] == ["old 0", "new 0"]
    finally:
        crypto._fernet.cache_clear()


def _flip(token: str, at: int) -> str:
    raw = bytearray(base64.urlsafe_b64decode(token))
    raw[at] ^= 1
    return base64.urlsafe_b64encode(bytes(raw)).decode()


@pytest.mark.parametrize("where", [0, 5, 12, 30, -40, -1])
def test_a_tampered_token_is_refused_as_reading_the_field_refuses_it(where):
    """The version, timestamp, IV, ciphertext and MAC are all covered: no plaintext of a token
    whose HMAC does not verify, and the error says nothing of the token."""
    good = encrypt("Within policy")
    bad = _flip(good, where)
    with pytest.raises(ValueError) as refused:
        decrypt_many([good, bad])
    assert bad not in str(refused.value) and "Within" not in str(refused.value)


def test_a_token_of_a_foreign_key_or_not_a_token_is_refused():
    foreign = Fernet(Fernet.generate_key()).encrypt(b"someone else's").decode()
    for token in (foreign, "not a token", encrypt("fine")[:-4]):
        with pytest.raises(ValueError):
            decrypt_many([token])
