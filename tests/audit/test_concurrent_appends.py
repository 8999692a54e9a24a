"""Several processes appending and sealing at once on PostgreSQL: the chain never forks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from audit.chain import verify
from audit.models import AuditEvent

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks that matter here are PostgreSQL's"
    ),
    pytest.mark.django_db(transaction=True),
]

WRITER = """
import django, os, sys
django.setup()
from django.db import transaction
from audit.chain import record, seal
pid, n = int(sys.argv[1]), int(sys.argv[2])
for i in range(n):
    with transaction.atomic():
        record(practice_id=pid, action="load.append", data={"writer": os.getpid(), "i": i})
    if i % 10 == 0:
        seal(pid)
seal(pid)
"""


def test_concurrent_writers_and_sealers_keep_one_chain(practice):
    db = connection.settings_dict
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="portal.settings.base",
        DATABASE_URL=f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
    )
    env.pop("REDIS_URL", None)
    procs = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(practice.pk), "60"], cwd=ROOT, env=env)
        for _ in range(4)
    ]
    assert all(p.wait(120) == 0 for p in procs)
    result = verify(practice.pk)
    assert result.ok and result.events == 240
    seqs = list(AuditEvent.objects.filter(practice=practice).order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, 241))


SIGNER = """
import django, sys
django.setup()
from django.db import transaction
from audit import checkpoints
from audit.chain import record
pid, n = int(sys.argv[1]), int(sys.argv[2])
for i in range(n):
    with transaction.atomic():
        record(practice_id=pid, action="load.append", data={"i": i})
    if i % 5 == 0:
        checkpoints.sign_if_due(pid)
checkpoints.sign_if_due(pid)
"""


def test_concurrent_signers_sign_each_head_once_and_every_checkpoint_holds(practice, tmp_path):
    import json

    from audit import checkpoints
    from audit.models import Checkpoint

    db = connection.settings_dict
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="portal.settings.base",
        PORTAL_AUDIT_CHECKPOINT_DIR=str(tmp_path),
        DATABASE_URL=f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
    )
    env.pop("REDIS_URL", None)
    procs = [
        subprocess.Popen([sys.executable, "-c", SIGNER, str(practice.pk), "40"], cwd=ROOT, env=env)
        for _ in range(3)
    ]
    assert all(p.wait(120) == 0 for p in procs)
    rows = list(Checkpoint.objects.filter(practice=practice).order_by("seq"))
    lines = [json.loads(line) for line in (tmp_path / checkpoints.FILE_NAME).read_text().splitlines()]
    assert [checkpoints.as_dict(cp) for cp in rows] == sorted(lines, key=lambda x: x["seq"])
    assert rows[-1].seq == 120 and len({cp.seq for cp in rows}) == len(rows)
    for cp in rows:
        result, check = checkpoints.check(practice.pk, checkpoints.parse(checkpoints.as_dict(cp)))
        assert result.ok and check.ok, check.detail
