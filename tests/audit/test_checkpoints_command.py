"""Signed checkpoints: verify_audit_log --checkpoint FILE, the signing key's setting and the
command that makes keys.
"""

from __future__ import annotations

import base64
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from audit import checkpoints
from audit.chain import seal
from audit.models import Checkpoint
from tests.audit.checkpoint_helpers import (
    ROOT,
    _events,
    _resign,
    _rewrite,
)
from tests.audit.test_chain import _raw
from tests.conftest import api_for

# Every test writes the sealer's file into its own folder (tests/audit/conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("checkpoint_dir")]


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
