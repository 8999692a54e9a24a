"""The documented backup and restore (docs/OPERATIONS.md): pg_dump, pg_restore into a fresh
database, and every practice's audit chain still verifies there."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from audit.chain import seal
from messaging.services.send import message_send
from tests.conftest import onboard_client, publish_policy, sign_consent

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [
    pytest.mark.services,
    pytest.mark.skipif(
        connection.vendor != "postgresql" or os.environ.get("PORTAL_SERVICES_TESTS") != "1",
        reason="pg_dump/pg_restore against the real PostgreSQL (.ci/run)",
    ),
    pytest.mark.django_db(transaction=True),
]


def test_dump_and_restore_keep_every_chain_verifying(therapist, other_therapist, tmp_path):
    for t in (therapist, other_therapist):
        publish_policy(t)
        client, thread = onboard_client(t, email=f"c{t.pk}@example.test")
        sign_consent(client)
        for body in ("hello", "I want to end my life", "coffee?"):
            message_send(sender=client, thread=thread, category="emergency", channel="portal", body=body)
        seal(t.practice_id)
    source = connection.settings_dict["NAME"]
    target = f"{source}_restored"
    dump = tmp_path / "portal.dump"
    subprocess.run(
        ["pg_dump", "-h", "127.0.0.1", "-U", "postgres", "-Fc", "-f", str(dump), source], check=True
    )
    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", target], check=True)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", target], check=True)
    try:
        subprocess.run(
            ["pg_restore", "-h", "127.0.0.1", "-U", "postgres", "--no-owner", "-d", target, str(dump)],
            check=True,
        )
        env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
        env.update(
            DJANGO_SETTINGS_MODULE="portal.settings.base",
            DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{target}",
        )
        env.pop("REDIS_URL", None)
        run = subprocess.run(
            [sys.executable, "manage.py", "verify_audit_log"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        assert run.returncode == 0, run.stdout + run.stderr
        assert run.stdout.count(": OK,") >= 2
    finally:
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", target], check=False)
