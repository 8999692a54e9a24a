"""A database outage answers a clear 503 (JSON for the API, a page for the browser) with no
stack trace, and the next request reconnects by itself."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from django.db import OperationalError

from tests.conftest import api_for

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def broken_database(monkeypatch):
    from messaging import selectors

    def boom(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(selectors, "threads_for", boom)


@pytest.mark.django_db
def test_api_answers_503_json_without_a_trace(broken_database, therapist):
    r = api_for(therapist).get("/api/v1/threads")
    assert r.status_code == 503 and r["Retry-After"] == "30"
    assert r.json() == {"detail": "The service is briefly unavailable. Please try again in a minute."}


@pytest.mark.django_db
def test_pages_answer_a_plain_503_page(broken_database, client, therapist):
    client.force_login(therapist)
    from django.urls import reverse

    r = client.get(reverse("messaging:therapist_home"))
    assert r.status_code == 503 and b"briefly unavailable" in r.content and b"Traceback" not in r.content


@pytest.mark.services
@pytest.mark.skipif(os.environ.get("PORTAL_SERVICES_TESTS") != "1", reason="restarts the real PostgreSQL (.ci/run)")
def test_postgresql_restart_gives_503_then_recovers(tmp_path):
    """A server on its own database; PostgreSQL is stopped and started under it."""
    import psycopg2

    db = "portal_outage_test"
    admin = psycopg2.connect("dbname=postgres user=postgres host=127.0.0.1")
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f"DROP DATABASE IF EXISTS {db}")
        cur.execute(f"CREATE DATABASE {db}")
    admin.close()
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE",)}
    env.update(DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{db}", DJANGO_SETTINGS_MODULE="portal.settings.base",
               DJANGO_CONN_MAX_AGE="60")
    env.pop("REDIS_URL", None)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    server = subprocess.Popen([sys.executable, "manage.py", "runserver", "--noreload", "127.0.0.1:8799"], cwd=ROOT,
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    cluster = os.listdir("/etc/postgresql")[0]
    url = "http://127.0.0.1:8799/api/v1/threads"
    try:
        for _ in range(100):
            try:
                requests.get(url, timeout=2)
                break
            except requests.ConnectionError:
                time.sleep(0.2)
        # Authentication needs the database: a token request is the probe.
        probe = lambda: requests.post("http://127.0.0.1:8799/api/v1/auth/token",  # noqa: E731
                                      json={"email": "nobody@example.test", "password": "x"}, timeout=10)
        assert probe().status_code == 400
        subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", cluster, "main", "stop", "-m", "fast"], check=True)
        down = probe()
        assert down.status_code == 503 and "unavailable" in down.json()["detail"]
    finally:
        subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", cluster, "main", "start"], check=False)
        for _ in range(60):
            if subprocess.run(["pg_isready", "-h", "127.0.0.1", "-q"]).returncode == 0:
                break
            time.sleep(0.5)
    try:
        assert probe().status_code == 400  # recovered by itself
    finally:
        server.terminate()
        server.wait(10)
