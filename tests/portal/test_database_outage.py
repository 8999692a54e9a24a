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
@pytest.mark.skipif(
    os.environ.get("PORTAL_SERVICES_TESTS") != "1", reason="restarts the real PostgreSQL (.ci/run)"
)
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
    env.update(
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{db}",
        DJANGO_SETTINGS_MODULE="portal.settings.base",
        DJANGO_CONN_MAX_AGE="60",
    )
    env.pop("REDIS_URL", None)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", "127.0.0.1:8799"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
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
        def probe() -> requests.Response:
            return requests.post(
                "http://127.0.0.1:8799/api/v1/auth/token",
                json={"email": "nobody@example.test", "password": "x"},
                timeout=10,
            )

        assert probe().status_code == 400
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", cluster, "main", "stop", "-m", "fast"], check=True
        )
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


# --- only a lost connection is a 503; a deadlock reruns the transaction once, then is a 500 --


def _deadlock() -> OperationalError:
    """A deadlock as Django raises it: its OperationalError, caused by the driver's error."""
    import psycopg2.errors

    try:
        try:
            raise psycopg2.errors.DeadlockDetected("deadlock detected")
        except psycopg2.errors.DeadlockDetected as driver_error:
            raise OperationalError("deadlock detected") from driver_error
    except OperationalError as exc:
        return exc


@pytest.fixture
def deadlocks(monkeypatch):
    """The send's decision fails with a deadlock the first `times` times (inside its transaction)."""
    from messaging.services import send as services

    calls = []
    real = services.decide

    def arm(times: int):
        def decide(*args, **kwargs):
            calls.append(1)
            if len(calls) <= times:
                raise _deadlock()
            return real(*args, **kwargs)

        monkeypatch.setattr(services, "decide", decide)
        return calls

    return arm


@pytest.mark.django_db(transaction=True)
def test_a_deadlock_reruns_the_send_once_and_it_succeeds(deadlocks, consented_client):
    from messaging.models import Message

    thread = consented_client.thread
    calls = deadlocks(1)
    r = api_for(consented_client).post(
        f"/api/v1/threads/{thread.pk}/messages",
        {"category": "emergency", "channel": "portal", "body": "Call me please"},
        format="json",
    )
    assert r.status_code == 201, r.content
    assert len(calls) == 2  # the first run, rolled back by the deadlock, and the rerun
    assert Message.objects.filter(thread=thread).count() == 1  # nothing of the first run was kept


@pytest.mark.django_db(transaction=True)
def test_a_deadlock_twice_is_a_logged_500_not_a_503(deadlocks, consented_client, caplog, monkeypatch):
    from django.db import connections

    from messaging.models import Message

    closed = []
    for conn in connections.all():
        monkeypatch.setattr(conn, "close", lambda conn=conn: closed.append(conn.alias))
    thread = consented_client.thread
    calls = deadlocks(2)
    with caplog.at_level("ERROR", logger="portal.middleware"):
        r = api_for(consented_client).post(
            f"/api/v1/threads/{thread.pk}/messages",
            {"category": "emergency", "channel": "portal", "body": "Call me please"},
            format="json",
        )
    assert r.status_code == 500 and "Retry-After" not in r
    assert "unavailable" not in r.json()["detail"]
    assert len(calls) == 2  # rerun once, not more
    assert not Message.objects.filter(thread=thread).exists()
    assert closed == [], "a deadlock is no reason to drop the connections"
    logged = [rec for rec in caplog.records if rec.name == "portal.middleware" and rec.levelname == "ERROR"]
    assert logged and "40P01" in logged[0].getMessage() and logged[0].exc_info is not None
    assert "Call me please" not in caplog.text


@pytest.mark.django_db(transaction=True)
def test_a_page_whose_deadlock_came_back_answers_500(deadlocks, consented_client):
    from django.test import Client
    from django.urls import reverse

    deadlocks(2)
    web = Client(raise_request_exception=False)
    web.force_login(consented_client)
    r = web.post(
        reverse("messaging:send", args=[consented_client.thread.pk]),
        {"category": "emergency", "body": "Call me please"},
    )
    assert r.status_code == 500 and b"briefly unavailable" not in r.content


@pytest.mark.django_db
def test_inside_a_callers_transaction_a_conflict_is_not_rerun():
    """Only the owner of the outermost transaction can run it again (here: the test's)."""
    from portal.locks import rerun_on_conflict

    calls = []

    @rerun_on_conflict
    def service():
        calls.append(1)
        raise _deadlock()

    with pytest.raises(OperationalError):
        service()
    assert calls == [1]


def test_which_database_errors_are_a_lost_connection():
    import sqlite3

    import psycopg2
    import psycopg2.errors
    from django.db import InterfaceError

    from portal.middleware import is_lost_connection

    def wrapped(driver_error):
        try:
            raise OperationalError(str(driver_error)) from driver_error
        except OperationalError as exc:
            return exc

    busy = sqlite3.OperationalError("database is locked")
    busy.sqlite_errorname = "SQLITE_BUSY"
    cannot_open = sqlite3.OperationalError("unable to open database file")
    cannot_open.sqlite_errorname = "SQLITE_CANTOPEN"
    assert is_lost_connection(wrapped(psycopg2.OperationalError("server closed the connection unexpectedly")))
    assert is_lost_connection(wrapped(psycopg2.errors.AdminShutdown("terminating connection")))
    assert is_lost_connection(InterfaceError("connection already closed"))
    assert is_lost_connection(wrapped(cannot_open))
    assert not is_lost_connection(_deadlock())
    assert not is_lost_connection(wrapped(psycopg2.errors.SerializationFailure("could not serialize access")))
    assert not is_lost_connection(
        wrapped(psycopg2.errors.QueryCanceled("canceling statement due to timeout"))
    )
    assert not is_lost_connection(wrapped(busy))
