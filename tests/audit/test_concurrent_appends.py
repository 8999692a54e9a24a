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
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks that matter here are PostgreSQL's"),
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
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="portal.settings.base",
               DATABASE_URL=f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}")
    env.pop("REDIS_URL", None)
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(practice.pk), "60"], cwd=ROOT, env=env)
             for _ in range(4)]
    assert all(p.wait(120) == 0 for p in procs)
    result = verify(practice.pk)
    assert result.ok and result.events == 240
    seqs = list(AuditEvent.objects.filter(practice=practice).order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, 241))
