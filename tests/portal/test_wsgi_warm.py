"""A web worker is ready before its first request (portal.wsgi, issue 15), and a Celery worker
has loaded the reader before it forks (portal.celery): the URLconf and
every view imported, the reverse table filled, the project's templates compiled, and what
start-up made frozen out of the garbage collector (its full passes walked it: 60 to 120 ms
inside a request, a spike on a 5 ms poll). Checked in a fresh interpreter, as gunicorn
imports the module, since importing it here would freeze the test process."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from django.conf import settings

PROBE = """
import gc, json, sys
import portal.wsgi
from django.template import engines
from django.urls import get_resolver

loaders = engines["django"].engine.template_loaders
cached = [name for loader in loaders for name in getattr(loader, "get_template_cache", {})]
from django.db import connections

print(json.dumps({
    "frozen": gc.get_freeze_count(),
    "connected": any(c.connection is not None for c in connections.all(initialized_only=True)),
    "views": "messaging.views.threads" in sys.modules and "audit.views" in sys.modules,
    "reversed": get_resolver()._populated,
    "templates": sorted(cached),
}))
"""


def _start_up(probe: str, tmp_path) -> dict:
    """What `probe` prints last (JSON), run in a fresh interpreter as a server process starts."""
    env = dict(os.environ)
    env.pop("DJANGO_DEBUG", None)  # the cached template loader, as production runs
    env["DJANGO_SETTINGS_MODULE"] = "portal.settings.base"
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'unused.sqlite3'}"  # start-up reads no table
    out = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_a_worker_is_warm_and_frozen_before_its_first_request(tmp_path):
    state = _start_up(PROBE, tmp_path)
    assert state["frozen"] > 10_000
    assert state["connected"] is False  # gunicorn.conf.py forks the workers after this: no shared socket
    assert state["views"] and state["reversed"]
    assert {"base.html", "messaging/thread.html", "messaging/_message.html"} <= set(state["templates"])


def test_gunicorn_loads_the_app_before_it_forks():
    """gunicorn.conf.py, which `gunicorn portal.wsgi` reads from the working directory by
    default, preloads the app: the workers share the master's vocabulary instead of each loading
    its own (about 300 MB each)."""
    import runpy

    from gunicorn.config import Config  # type: ignore[import-untyped]

    assert Config().config == "./gunicorn.conf.py"
    assert runpy.run_path(str(settings.BASE_DIR / "gunicorn.conf.py"))["preload_app"] is True


# A Celery worker loads the reader before its pool forks (portal.celery.load_the_reader, on
# `worker_init`): a release reads every held message again, and a child that loaded the
# vocabulary inside its first release held that release up by the load.
CELERY_PROBE = """
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


def test_a_celery_worker_loads_and_freezes_the_reader_before_it_forks(tmp_path):
    state = _start_up(CELERY_PROBE, tmp_path)
    assert state["before"] is False  # importing the app alone loads nothing
    assert state["loaded"] is True
    assert state["frozen"] > 10_000
