"""A Celery worker loads the reader before its pool forks (portal.celery.load_the_reader, on
`worker_init`): a release reads every held message again, and a child that loaded the
vocabulary inside its first release held that release up by the load. Checked in a fresh
interpreter, as `celery worker` starts, since freezing here would freeze the test process."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from django.conf import settings

PROBE = """
import gc, json
import django
django.setup()
from celery.signals import worker_init
import portal.celery
from policies.reader import reading

before = reading.VOCABULARY is not None
worker_init.send(sender=None)
print(json.dumps({
    "before": before,
    "loaded": reading.VOCABULARY is not None,
    "frozen": gc.get_freeze_count(),
}))
"""


def test_a_worker_loads_and_freezes_the_reader_before_it_forks(tmp_path):
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = "portal.settings.base"
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'unused.sqlite3'}"  # start-up reads no table
    out = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    state = json.loads(out.stdout.strip().splitlines()[-1])
    assert state["before"] is False  # importing the app alone loads nothing
    assert state["loaded"] is True
    assert state["frozen"] > 10_000
