"""PostgreSQL: the chain head only moves forward, checkpoints are append-only, and the
least-privilege application role of the README is refused every rewrite while the
application itself (appending, sealing, signing, verifying) runs under it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import DatabaseError, connection, transaction

from audit import checkpoints
from audit.chain import record, seal, verify
from audit.models import AuditEvent, ChainHead, Checkpoint

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="triggers and roles are PostgreSQL's"
)


def _events(practice, n=3):
    for i in range(n):
        record(practice_id=practice.pk, action="test.event", data={"i": i})
    seal(practice.pk)


def _refused(sql: str, params=(), match: str = "") -> None:
    with pytest.raises(DatabaseError, match=match), transaction.atomic(), connection.cursor() as cur:
        cur.execute(sql, params)


# --- Triggers (as the owner: the triggers, not the privileges, refuse) -----------------


@pytest.mark.django_db
def test_the_chain_head_only_moves_forward(practice):
    _events(practice)
    head = ChainHead.objects.get(practice=practice)
    _refused(
        "UPDATE audit_chainhead SET seq = seq - 1 WHERE practice_id = %s", [practice.pk], "only moves forward"
    )
    _refused(
        "UPDATE audit_chainhead SET seq = 0, head_hash = %s WHERE practice_id = %s",
        ["0" * 64, practice.pk],
        "only moves forward",
    )
    _refused(
        "UPDATE audit_chainhead SET head_hash = %s WHERE practice_id = %s",
        ["f" * 64, practice.pk],
        "only moves forward",
    )
    _refused("DELETE FROM audit_chainhead WHERE practice_id = %s", [practice.pk], "cannot be deleted")
    # Forward is fine: the sealer keeps working.
    record(practice_id=practice.pk, action="test.more")
    assert seal(practice.pk) == 1
    assert ChainHead.objects.get(practice=practice).seq == head.seq + 1 and verify(practice.pk).ok


@pytest.mark.django_db
def test_checkpoints_are_append_only(practice, settings, tmp_path):
    settings.PORTAL_AUDIT_CHECKPOINT_DIR = tmp_path
    _events(practice)
    cp = checkpoints.sign_if_due(practice.pk)
    assert cp is not None
    _refused("UPDATE audit_checkpoint SET hash = %s WHERE id = %s", ["a" * 64, cp.pk], "append-only")
    _refused("DELETE FROM audit_checkpoint WHERE id = %s", [cp.pk], "append-only")


# --- The application's role, as the README creates it -----------------------------------


def _readme_role_sql() -> str:
    text = (ROOT / "README.md").read_text()
    found = re.search(r"-- portal application role: begin\n(.*?)-- portal application role: end", text, re.S)
    assert found, "README.md lost the application role's SQL"
    return found.group(1)


@pytest.fixture
def app_role(transactional_db):
    """A login role made by the README's SQL for this test database; dropped afterwards."""
    name = f"portal_app_test_{uuid.uuid4().hex[:8]}"
    db = connection.settings_dict["NAME"]
    sql = _readme_role_sql().replace("DATABASE portal ", f'DATABASE "{db}" ').replace("portal_app", name)
    with connection.cursor() as cur:
        cur.execute(f"CREATE ROLE {name} LOGIN")
        cur.execute(sql)
    try:
        yield name
    finally:
        with connection.cursor() as cur:
            cur.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = %s", [name])
            cur.execute(f"DROP OWNED BY {name}")
            cur.execute(f"DROP ROLE {name}")


def _as(role: str):
    import psycopg2

    s = connection.settings_dict
    conn = psycopg2.connect(
        dbname=s["NAME"], user=role, host=s["HOST"] or "127.0.0.1", port=s["PORT"] or 5432
    )
    conn.autocommit = True
    return conn


def _try(conn, sql: str, params=()) -> str:
    """'ok', or PostgreSQL's error message."""
    import psycopg2

    try:
        with conn.cursor() as cur:
            cur.execute(sql, params)
        return "ok"
    except psycopg2.Error as exc:
        return exc.pgerror or str(exc)


def test_the_application_role_is_refused_every_rewrite(app_role, practice, settings, tmp_path):
    settings.PORTAL_AUDIT_CHECKPOINT_DIR = tmp_path
    _events(practice, 3)
    checkpoints.sign_if_due(practice.pk)
    first = AuditEvent.objects.get(practice=practice, seq=1)
    cp = Checkpoint.objects.get(practice=practice)
    pid = practice.pk
    conn = _as(app_role)
    try:
        refusals = {
            "update an event": (
                "UPDATE audit_auditevent SET action = 'forged' WHERE id = %s",
                [first.pk],
                "permission denied",
            ),
            "re-link a sealed event": (
                "UPDATE audit_auditevent SET hash = %s WHERE id = %s",
                ["e" * 64, first.pk],
                "append-only",
            ),
            "delete an event": (
                "DELETE FROM audit_auditevent WHERE id = %s",
                [first.pk],
                "permission denied",
            ),
            "truncate the events": ("TRUNCATE audit_auditevent CASCADE", [], "permission denied"),
            "move the head back": (
                "UPDATE audit_chainhead SET seq = 0, head_hash = %s WHERE practice_id = %s",
                ["0" * 64, pid],
                "only moves forward",
            ),
            "delete the head": (
                "DELETE FROM audit_chainhead WHERE practice_id = %s",
                [pid],
                "permission denied",
            ),
            "truncate the head": ("TRUNCATE audit_chainhead CASCADE", [], "permission denied"),
            "update a checkpoint": (
                "UPDATE audit_checkpoint SET seq = 99 WHERE id = %s",
                [cp.pk],
                "permission denied",
            ),
            "delete a checkpoint": (
                "DELETE FROM audit_checkpoint WHERE id = %s",
                [cp.pk],
                "permission denied",
            ),
            "switch the triggers off": ("SET session_replication_role = replica", [], "permission denied"),
            "disable a trigger": (
                "ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_append_only",
                [],
                "must be owner",
            ),
            "drop the trigger": (
                "DROP TRIGGER audit_chainhead_forward_only ON audit_chainhead",
                [],
                "must be owner",
            ),
        }
        answers = {what: _try(conn, sql, params) for what, (sql, params, _) in refusals.items()}
        for what, (_, _, expected) in refusals.items():
            assert expected in answers[what], f"{what}: {answers[what]}"
        # What the application does need still works under the role.
        assert _try(conn, "SELECT count(*) FROM audit_auditevent") == "ok"
        assert _try(conn, "UPDATE audit_boundaryexception SET reviewed = reviewed") == "ok"
    finally:
        conn.close()
    assert verify(pid).ok and AuditEvent.objects.filter(practice=practice).count() == 3


APP = """
import django, sys
django.setup()
from django.db import transaction
from audit import checkpoints
from audit.chain import record, verify
pid = int(sys.argv[1])
with transaction.atomic():
    for i in range(5):
        record(practice_id=pid, action="app.append", data={"i": i})
cp = checkpoints.sign_if_due(pid)
claim = checkpoints.parse(checkpoints.as_dict(cp))
result, check = checkpoints.check(pid, claim)
print(cp.seq, result.ok, check.ok)
"""


def test_the_application_runs_as_that_role(app_role, practice, tmp_path):
    """Appending, sealing, signing and verifying need nothing the role lacks."""
    _events(practice, 2)
    s = connection.settings_dict
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="portal.settings.base",
        PORTAL_AUDIT_CHECKPOINT_DIR=str(tmp_path),
        DATABASE_URL=f"postgres://{app_role}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}",
    )
    env.pop("REDIS_URL", None)
    run = subprocess.run(
        [sys.executable, "-c", APP, str(practice.pk)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["7", "True", "True"]
    assert (tmp_path / checkpoints.FILE_NAME).exists()
