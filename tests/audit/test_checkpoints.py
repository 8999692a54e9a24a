"""Signed checkpoints: what the endpoint answers and signs, and verification against a checkpoint.
The sealer's cadence and the rewrites are in test_checkpoints_sealer.py; the command in
test_checkpoints_command.py.
"""

from __future__ import annotations

import base64

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from audit import checkpoints
from audit.chain import GENESIS
from audit.models import AuditEvent, ChainHead, Checkpoint
from tests.audit.checkpoint_helpers import (
    _canonical,
    _events,
    _file_lines,
    _resign,
)
from tests.conftest import api_for

# Every test writes the sealer's file into its own folder (tests/audit/conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("checkpoint_dir")]


# --- GET /api/v1/audit/checkpoint -------------------------------------------------------


def test_checkpoint_signs_the_sealed_head_as_the_contract_says(admin, practice, checkpoint_dir):
    _events(practice, 4)
    r = api_for(admin).get("/api/v1/audit/checkpoint")
    assert r.status_code == 200
    cp = r.json()
    assert set(cp) == {"practice_id", "seq", "hash", "signed_at", "signature", "public_key"}
    head = ChainHead.objects.get(practice=practice)
    assert (cp["practice_id"], cp["seq"], cp["hash"]) == (
        practice.pk,
        head.seq,
        head.head_hash,
    ) and head.seq == 4
    assert cp["hash"] == AuditEvent.objects.get(practice=practice, seq=4).hash
    assert cp["hash"] == cp["hash"].lower() and len(cp["hash"]) == 64
    assert cp["signed_at"].endswith("Z")
    # Standard base64 with padding, of the raw 64-byte signature and 32-byte key.
    sig = base64.b64decode(cp["signature"], validate=True)
    pub = base64.b64decode(cp["public_key"], validate=True)
    assert len(sig) == 64 and len(pub) == 32 and cp["signature"].endswith("==")
    Ed25519PublicKey.from_public_bytes(pub).verify(sig, _canonical(cp))  # raises if not valid
    # The same line went to the file outside the database.
    assert _file_lines(checkpoint_dir) == [cp]


def test_the_signing_key_comes_from_the_setting_and_never_reaches_the_database(admin, practice, settings):
    key = Ed25519PrivateKey.generate()
    from cryptography.hazmat.primitives.serialization import NoEncryption, PrivateFormat

    raw = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    settings.PORTAL_AUDIT_SIGNING_KEY = base64.b64encode(raw).decode()
    cp = api_for(admin).get("/api/v1/audit/checkpoint").json()
    assert base64.b64decode(cp["public_key"]) == key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    stored = Checkpoint.objects.get(practice=practice)
    assert settings.PORTAL_AUDIT_SIGNING_KEY not in {stored.signature, stored.public_key, stored.hash}


def test_an_empty_chain_gets_a_checkpoint_of_position_zero(admin, practice):
    cp = api_for(admin).get("/api/v1/audit/checkpoint").json()
    assert (cp["seq"], cp["hash"]) == (0, GENESIS)
    v = api_for(admin).post("/api/v1/audit/verify", {"checkpoint": cp}, format="json").json()
    assert v["checkpoint_ok"] is True


def test_a_new_checkpoint_only_when_the_head_moved(admin, practice, checkpoint_dir):
    api = api_for(admin)
    _events(practice, 2)
    first = api.get("/api/v1/audit/checkpoint").json()
    assert api.get("/api/v1/audit/checkpoint").json() == first
    assert Checkpoint.objects.filter(practice=practice).count() == 1
    _events(practice, 1)
    second = api.get("/api/v1/audit/checkpoint").json()
    assert second["seq"] == first["seq"] + 1 and second["hash"] != first["hash"]
    assert [line["seq"] for line in _file_lines(checkpoint_dir)] == [first["seq"], second["seq"]]


def test_checkpoints_are_per_practice(admin, other_admin, practice, other_practice):
    _events(practice, 3)
    _events(other_practice, 1)
    mine = api_for(admin).get("/api/v1/audit/checkpoint").json()
    theirs = api_for(other_admin).get("/api/v1/audit/checkpoint").json()
    assert (mine["practice_id"], mine["seq"]) == (practice.pk, 3)
    assert (theirs["practice_id"], theirs["seq"]) == (other_practice.pk, 1)
    # Another practice's valid checkpoint does not vouch for this chain.
    v = api_for(admin).post("/api/v1/audit/verify", {"checkpoint": theirs}, format="json").json()
    assert v["checkpoint_ok"] is False and "not of this practice" in v["checkpoint_detail"]


def test_only_admins_get_checkpoints(therapist, client_user, practice):
    assert api_for().get("/api/v1/audit/checkpoint").status_code == 401
    assert api_for(therapist).get("/api/v1/audit/checkpoint").status_code == 403
    assert api_for(client_user).post("/api/v1/audit/verify", {}, format="json").status_code == 403


# --- POST /api/v1/audit/verify {"checkpoint"} ----------------------------------------


def test_verify_against_a_checkpoint_holds_and_later_events_do_not_matter(admin, practice):
    api = api_for(admin)
    _events(practice, 3)
    cp = api.get("/api/v1/audit/checkpoint").json()
    _events(practice, 2)
    r = api.post("/api/v1/audit/verify", {"checkpoint": cp}, format="json")
    assert r.status_code == 200
    body = r.json()
    assert {k: body[k] for k in ("ok", "events", "first_broken", "checkpoint_ok")} == {
        "ok": True,
        "events": 5,
        "first_broken": None,
        "checkpoint_ok": True,
    }
    assert "reaches position 3" in body["checkpoint_detail"]


@pytest.mark.parametrize(
    "change,expected",
    [
        ({"seq": 2}, "signature is not valid"),
        ({"hash": "a" * 64}, "signature is not valid"),
        ({"signed_at": "2020-01-01T00:00:00Z"}, "signature is not valid"),
    ],
)
def test_a_changed_checkpoint_fails_its_signature(admin, practice, change, expected):
    api = api_for(admin)
    _events(practice, 3)
    cp = {**api.get("/api/v1/audit/checkpoint").json(), **change}
    r = api.post("/api/v1/audit/verify", {"checkpoint": cp}, format="json")
    assert r.status_code == 200 and r.json()["checkpoint_ok"] is False and r.json()["ok"] is True
    assert expected in r.json()["checkpoint_detail"]


def test_a_checkpoint_signed_with_another_key_fails(admin, practice):
    api = api_for(admin)
    _events(practice, 3)
    cp = api.get("/api/v1/audit/checkpoint").json()
    forged = _resign(cp, Ed25519PrivateKey.generate())  # valid under its own key, not the portal's
    body = api.post("/api/v1/audit/verify", {"checkpoint": forged}, format="json").json()
    assert body["checkpoint_ok"] is False and "another key" in body["checkpoint_detail"]


def test_a_checkpoint_past_the_chains_end_fails(admin, practice, settings):
    """A validly signed claim of a position the chain never reached: as if it had been cut."""
    api = api_for(admin)
    _events(practice, 2)
    cp = api.get("/api/v1/audit/checkpoint").json()
    key = checkpoints.signing_key()
    body = api.post("/api/v1/audit/verify", {"checkpoint": _resign(cp, key, seq=9)}, format="json").json()
    assert (
        body["checkpoint_ok"] is False
        and "ends at position 2, before the checkpoint's position 9" in body["checkpoint_detail"]
    )


@pytest.mark.parametrize(
    "mutate,field",
    [
        (lambda cp: cp.pop("signature"), "signature"),
        (lambda cp: cp.pop("seq"), "seq"),
        (lambda cp: cp.update(signature="not base64!"), "signature"),
        (lambda cp: cp.update(signature=cp["signature"].rstrip("=")), "signature"),  # padding is required
        (lambda cp: cp.update(public_key=base64.b64encode(b"short").decode()), "public_key"),
        (lambda cp: cp.update(hash="XYZ"), "hash"),
        (lambda cp: cp.update(hash=cp["hash"].upper()), "hash"),
        (lambda cp: cp.update(seq="3"), "seq"),
        (lambda cp: cp.update(seq=True), "seq"),
        (lambda cp: cp.update(practice_id=None), "practice_id"),
        (lambda cp: cp.update(signed_at="yesterday"), "signed_at"),
        (lambda cp: cp.update(signed_at="2026-01-01T00:00:00"), "signed_at"),  # no offset
    ],
)
def test_a_malformed_checkpoint_is_400_naming_the_field_and_changes_nothing(admin, practice, mutate, field):
    api = api_for(admin)
    _events(practice, 3)
    cp = api.get("/api/v1/audit/checkpoint").json()
    _events(practice, 1)  # a head that moved: a verification would sign it
    mutate(cp)
    r = api.post("/api/v1/audit/verify", {"checkpoint": cp}, format="json")
    assert r.status_code == 400 and field in r.json()["checkpoint"], r.json()
    assert Checkpoint.objects.filter(practice=practice).count() == 1


@pytest.mark.parametrize("body", [{}, {"checkpoint": "abc"}, {"checkpoint": [1, 2]}, []])
def test_a_missing_or_non_object_checkpoint_is_400(admin, body):
    r = api_for(admin).post("/api/v1/audit/verify", body, format="json")
    assert r.status_code == 400


def test_get_verify_still_answers_the_chain_alone_and_signs_first(admin, practice):
    _events(practice, 2)
    r = api_for(admin).get("/api/v1/audit/verify")
    # The contract's three fields, and where it checked from (no checkpoint yet: the first event).
    assert r.json() == {
        "ok": True,
        "events": 2,
        "first_broken": None,
        "verified_from_seq": 0,
        "latest_checkpoint_ok": None,
    }
    assert Checkpoint.objects.get(practice=practice).seq == 2
