"""Signed checkpoints: what the endpoint answers and signs, the file outside the database,
the sealer's cadence, verification against a checkpoint, and the command."""

from __future__ import annotations

import base64
import io
import json
import logging
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from audit import checkpoints
from audit.chain import GENESIS, record, seal
from audit.models import AuditEvent, ChainHead, Checkpoint
from audit.tasks import seal_audit_chains
from tests.audit.test_chain import _raw
from tests.conftest import api_for

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def checkpoint_dir(settings, tmp_path):
    settings.PORTAL_AUDIT_CHECKPOINT_DIR = tmp_path / "checkpoints"
    return settings.PORTAL_AUDIT_CHECKPOINT_DIR


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


# --- The sealer ------------------------------------------------------------------------


def test_the_beat_task_signs_at_most_every_five_minutes_while_there_are_new_events(
    practice, other_practice, checkpoint_dir, monkeypatch
):
    now = timezone.now()
    monkeypatch.setattr(checkpoints.timezone, "now", lambda: now)
    seal_audit_chains()
    assert not Checkpoint.objects.exists()  # no events anywhere: nothing to sign
    _events(practice, 2)
    seal_audit_chains()
    assert list(Checkpoint.objects.values_list("practice_id", "seq")) == [(practice.pk, 2)]
    _events(practice, 1)
    now += timedelta(minutes=4, seconds=59)
    seal_audit_chains()
    assert Checkpoint.objects.count() == 1  # sealed, but the last checkpoint is recent
    assert ChainHead.objects.get(practice=practice).seq == 3
    now += timedelta(seconds=1)
    seal_audit_chains()
    assert list(Checkpoint.objects.order_by("seq").values_list("seq", flat=True)) == [2, 3]
    now += timedelta(hours=1)
    seal_audit_chains()
    assert Checkpoint.objects.count() == 2  # no new events: no new checkpoint
    assert [line["seq"] for line in _file_lines(checkpoint_dir)] == [2, 3]
    assert timedelta(minutes=10) >= checkpoints.CHECKPOINT_EVERY


def test_the_beat_task_goes_on_when_the_checkpoint_file_cannot_be_written(
    practice, other_practice, settings, tmp_path, caplog
):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    settings.PORTAL_AUDIT_CHECKPOINT_DIR = blocker / "checkpoints"  # a folder below a file
    _events(practice, 1)
    _events(other_practice, 1)
    with caplog.at_level(logging.ERROR, logger="audit.checkpoints"):
        assert seal_audit_chains() == 2
    assert not Checkpoint.objects.exists()  # the rows rolled back with the failed file write
    assert caplog.text.count("not written") == 2


def test_the_endpoint_answers_409_when_no_checkpoint_can_be_written(admin, practice, settings, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    settings.PORTAL_AUDIT_CHECKPOINT_DIR = blocker / "checkpoints"
    _events(practice, 1)
    r = api_for(admin).get("/api/v1/audit/checkpoint")
    assert r.status_code == 409 and "cannot be written" in r.json()["detail"]
    assert api_for(admin).get("/api/v1/audit/verify").json()["ok"] is True  # verification still answers


def test_the_sealer_never_signs_over_a_rewrite(admin, practice, caplog):
    api = api_for(admin)
    _events(practice, 4)
    cp = api.get("/api/v1/audit/checkpoint").json()
    _rewrite(practice, seq=2)
    _events(practice, 1)
    with caplog.at_level(logging.ERROR, logger="audit.checkpoints"):
        assert checkpoints.sign_if_due(practice.pk) is None
    assert "not signed" in caplog.text and "position 4" in caplog.text
    assert api.get("/api/v1/audit/checkpoint").json() == cp  # the last good one stays the latest


# --- Rewrites by someone with full database access (also run on PostgreSQL) ------------


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


REWRITES = {
    "alter and recompute": (
        lambda p: _rewrite(p, seq=3),
        "The event at position 5 no longer has the checkpoint's hash: the history up to it was rewritten",
    ),
    "empty and reset the head": (
        _empty,
        "The chain now ends at position 0, before the checkpoint's position 5",
    ),
    "delete the head": (
        lambda p: _cut_head(p, 2),
        "The chain now ends at position 3, before the checkpoint's position 5",
    ),
}


@pytest.mark.parametrize("name", sorted(REWRITES))
def test_a_rewrite_that_verifies_on_its_own_fails_against_an_earlier_checkpoint(admin, practice, name):
    rewrite, message = REWRITES[name]
    api = api_for(admin)
    _events(practice, 5)
    cp = api.get("/api/v1/audit/checkpoint").json()
    rewrite(practice)
    alone = api.get("/api/v1/audit/verify").json()
    if name != "delete the head":
        assert alone["ok"] is True  # the rewrite is invisible to the chain alone...
    body = api.post("/api/v1/audit/verify", {"checkpoint": cp}, format="json").json()
    assert body["checkpoint_ok"] is False and message in body["checkpoint_detail"]  # ...not to the checkpoint


def test_a_deleted_head_alone_breaks_the_chain(admin, practice):
    _events(practice, 3)
    seal(practice.pk)
    _raw("DELETE FROM audit_chainhead WHERE practice_id = %s", [practice.pk])
    from audit.chain import verify

    result = verify(practice.pk, seal_first=False)
    assert not result.ok and "head is missing" in result.detail


# --- verify_audit_log --checkpoint FILE -------------------------------------------------


def _call(*args) -> tuple[str | int | None, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("verify_audit_log", *args, stdout=out, stderr=err)
        code: str | int | None = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


def test_command_checks_a_downloaded_checkpoint_file(admin, practice, tmp_path):
    _events(practice, 5)
    path = tmp_path / "cp.json"
    path.write_text(json.dumps(api_for(admin).get("/api/v1/audit/checkpoint").json(), indent=2))
    code, out, _ = _call("--checkpoint", str(path))
    assert code == 0 and "checkpoint at seq 5 OK" in out
    _rewrite(practice, seq=1)
    code, out, err = _call("--checkpoint", str(path))
    assert code == 1 and "CHECKPOINT at seq 5 FAILS" in err and "rewritten" in err
    assert f"practice {practice.pk} (Alpha Practice): OK" in out  # the chain alone still looks fine


def test_command_takes_the_last_line_of_each_practice_from_the_sealers_file(
    admin, other_admin, practice, other_practice, checkpoint_dir
):
    _events(practice, 2)
    api_for(admin).get("/api/v1/audit/checkpoint")
    _events(practice, 2)
    api_for(admin).get("/api/v1/audit/checkpoint")
    _events(other_practice, 1)
    api_for(other_admin).get("/api/v1/audit/checkpoint")
    path = Path(checkpoint_dir) / checkpoints.FILE_NAME
    assert len(path.read_text().splitlines()) == 3
    code, out, _ = _call("--checkpoint", str(path))
    assert code == 0 and "checkpoint at seq 4 OK" in out and "checkpoint at seq 1 OK" in out
    _rewrite(other_practice, seq=1)
    code, _, err = _call("--checkpoint", str(path))
    assert code == 1 and f"practice {other_practice.pk} (Beta Practice): CHECKPOINT at seq 1 FAILS" in err
    assert f"practice {practice.pk} (Alpha Practice): CHECKPOINT" not in err


@pytest.mark.parametrize(
    "text,message", [("", "empty"), ("{not json", "line 1 is not JSON"), ('{"seq": 1}', "signature")]
)
def test_command_refuses_a_file_that_is_not_a_checkpoint(practice, tmp_path, text, message):
    path = tmp_path / "bad.json"
    path.write_text(text)
    with pytest.raises(CommandError, match=message):
        call_command("verify_audit_log", "--checkpoint", str(path), stdout=io.StringIO())


def test_command_prints_the_public_key_and_makes_new_keys():
    out = io.StringIO()
    call_command("audit_signing_key", stdout=out)
    assert out.getvalue().strip() == checkpoints.public_key_b64()
    out = io.StringIO()
    call_command("audit_signing_key", "--new", stdout=out)
    assert len(base64.b64decode(out.getvalue().strip(), validate=True)) == 32


def test_a_signing_key_that_does_not_parse_stops_the_settings():
    env = {
        "PORTAL_AUDIT_SIGNING_KEY": "not-a-key",
        "DJANGO_SETTINGS_MODULE": "portal.settings.base",
        "PATH": "",
    }
    r = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert r.returncode != 0 and "PORTAL_AUDIT_SIGNING_KEY must be the standard base64" in r.stderr


def test_production_refuses_to_start_without_a_signing_key():
    from tests.portal.test_deploy_settings import production_env

    env = production_env()
    env.pop("PORTAL_AUDIT_SIGNING_KEY")
    run = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert run.returncode != 0 and "PORTAL_AUDIT_SIGNING_KEY must be set" in run.stderr
    env["PORTAL_AUDIT_SIGNING_KEY"] = base64.b64encode(b"k" * 32).decode()
    run = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr


def test_a_chain_broken_before_any_checkpoint_gets_none(admin, practice, client):
    _events(practice, 3)
    seal(practice.pk)
    _raw(
        "UPDATE audit_auditevent SET data = %s WHERE practice_id = %s AND seq = 2", ['{"i":"x"}', practice.pk]
    )
    r = api_for(admin).get("/api/v1/audit/checkpoint")
    assert r.status_code == 409 and "does not verify" in r.json()["detail"]
    assert not Checkpoint.objects.exists()
    client.force_login(admin)
    page = client.get("/audit/verify/")
    assert page.status_code == 200 and "No checkpoint has been signed" in page.content.decode()
    assert client.get("/audit/verify/checkpoint.json").status_code == 409


def test_command_fails_for_a_practice_that_is_gone_from_the_database(admin, practice, tmp_path):
    _events(practice, 2)
    cp = api_for(admin).get("/api/v1/audit/checkpoint").json()
    gone = _resign(cp, checkpoints.signing_key(), practice_id=987654)
    path = tmp_path / "checkpoints.jsonl"
    path.write_text(json.dumps(cp) + "\n" + json.dumps(gone) + "\n")
    code, out, err = _call("--checkpoint", str(path))
    assert code == 1 and "practice 987654: in the checkpoint file but not in the database" in err
    assert f"practice {practice.pk} (Alpha Practice): checkpoint at seq {cp['seq']} OK" in out
