"""Faults on the real services (run by .ci/run): Redis stopped during a stream of sends, and a
Celery worker killed with SIGKILL mid-task. Every accepted message is stored with exactly one
decision, audit event and outbox row, and its recipient is notified exactly once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from audit.models import AuditEvent
from messaging.models import Message
from portal import outbox
from portal.celery import app as celery_app
from portal.models import Notification, OutboxItem
from tests.conftest import api_for, onboard_client, publish_policy, sign_consent

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("REDIS_URL", "")
pytestmark = [
    pytest.mark.services,
    pytest.mark.skipif(
        os.environ.get("PORTAL_SERVICES_TESTS") != "1" or not REDIS_URL.startswith("redis://"),
        reason="needs the real PostgreSQL and Redis (PORTAL_SERVICES_TESTS=1, run by .ci/run)",
    ),
    pytest.mark.django_db(transaction=True),
]
REDIS_START = [
    "redis-server",
    "--daemonize",
    "yes",
    "--bind",
    "127.0.0.1",
    "-::1",
    "--port",
    "6379",
    "--save",
    "",
    "--appendonly",
    "no",
    "--dir",
    "/var/lib/redis",
    "--logfile",
    "/var/log/redis/ci.log",
]
OUTAGE_SECONDS = float(os.environ.get("PORTAL_FAULT_OUTAGE_SECONDS", "5"))


def redis_up() -> bool:
    return subprocess.run(["redis-cli", "-p", "6379", "ping"], capture_output=True).returncode == 0


def stop_redis() -> None:
    subprocess.run(["redis-cli", "-p", "6379", "shutdown", "nosave"], capture_output=True)
    for _ in range(50):
        if not redis_up():
            return
        time.sleep(0.1)


def start_redis() -> None:
    if not redis_up():
        subprocess.run(REDIS_START, check=True)
    for _ in range(50):
        if redis_up():
            return
        time.sleep(0.1)


@pytest.fixture
def real_celery(settings):
    """The test process publishes to the real Redis; a worker subprocess uses the test database."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.PORTAL_OUTBOX_REDISPATCH_SECONDS = 2
    saved = {k: celery_app.conf[k] for k in ("task_always_eager", "broker_url")}
    celery_app.conf.update(task_always_eager=False, broker_url=REDIS_URL)
    celery_app.__dict__.pop("amqp", None)
    celery_app._pool = None  # type: ignore[attr-defined]  # Celery's private pool, reset as its fork hook does; not in celery-types
    workers: list[subprocess.Popen] = []
    db = connection.settings_dict
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="portal.settings.base",
        REDIS_URL=REDIS_URL,
        DATABASE_URL=f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        EMAIL_URL="dummymail://",
        DJANGO_LOG_LEVEL="WARNING",
    )

    def start_worker() -> subprocess.Popen:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "portal",
                "worker",
                "--pool=solo",
                "-l",
                "warning",
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        workers.append(proc)
        return proc

    subprocess.run(
        [sys.executable, "-m", "celery", "-A", "portal", "purge", "-f"],
        cwd=ROOT,
        env=env,
        capture_output=True,
    )
    yield start_worker
    for proc in workers:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
    start_redis()
    celery_app.conf.update(**saved)
    celery_app._pool = None  # type: ignore[attr-defined]  # as above: the private pool, not in celery-types


def wait_until_done(timeout: float = 40.0) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        outbox.relay()
        if not OutboxItem.objects.filter(done_at__isnull=True).exists():
            return
        time.sleep(0.5)
    raise AssertionError(f"{OutboxItem.objects.filter(done_at__isnull=True).count()} outbox rows never ran")


@pytest.fixture
def people():
    from tests.factories import TherapistFactory

    therapist = TherapistFactory()
    publish_policy(
        therapist,
        {
            **__import__("tests.conftest", fromlist=["GOOD_RULES"]).GOOD_RULES,
            "categories": {
                "emergency": {"allowed": True, "channels": ["portal"]},
                "personal": {"allowed": False},
            },
        },
    )
    client, thread = onboard_client(therapist)
    sign_consent(client, channels=("portal",))
    return therapist, client, thread


def test_redis_outage_during_sends_loses_nothing_and_notifies_once(real_celery, people):
    therapist, client, thread = people
    real_celery()
    api = api_for(client)
    accepted = []
    try:
        for i in range(20):
            if i == 5:
                stop_redis()
                outage_started = time.time()
            if i == 15:
                time.sleep(max(0.0, OUTAGE_SECONDS - (time.time() - outage_started)))
                start_redis()
            r = api.post(
                f"/api/v1/threads/{thread.pk}/messages",
                {"category": "emergency", "channel": "portal", "body": f"message {i}"},
                format="json",
            )
            assert r.status_code == 201, r.content
            accepted.append(r.json()["id"])
    finally:
        start_redis()
    wait_until_done()
    for mid in accepted:
        assert Message.objects.filter(pk=mid, status="delivered").count() == 1
        assert AuditEvent.objects.filter(action="contact.decided", object_id=mid).count() == 1
        assert OutboxItem.objects.filter(task="contact.decided", payload__message_id=mid).count() == 1
    notices = Notification.objects.filter(user=therapist, kind="message")
    assert notices.count() == len(accepted)
    assert notices.values("outbox_item").distinct().count() == len(accepted)
    outbox.relay()  # running the relay again changes nothing
    time.sleep(1)
    assert Notification.objects.filter(user=therapist, kind="message").count() == len(accepted)
    # Publishing a new version: the worker tells the consenting client to review it.
    publish_policy(
        therapist,
        {
            **__import__("tests.conftest", fromlist=["GOOD_RULES"]).GOOD_RULES,
            "after_hours_reply": "New wording.",
        },
    )
    wait_until_done()
    assert Notification.objects.filter(user=client, kind="consent").count() == 1


def test_worker_killed_mid_task_runs_again_and_the_effect_happens_once(real_celery, people, settings):
    therapist, client, thread = people
    api = api_for(client)
    for i in range(150):  # queued while no worker runs
        assert (
            api.post(
                f"/api/v1/threads/{thread.pk}/messages",
                {"category": "emergency", "channel": "portal", "body": f"m{i}"},
                format="json",
            ).status_code
            == 201
        )
    worker = real_celery()
    deadline = time.time() + 30
    while not Notification.objects.filter(user=therapist).exists() and time.time() < deadline:
        time.sleep(0.05)
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait(10)
    done_at_kill = OutboxItem.objects.filter(done_at__isnull=False).count()
    assert done_at_kill < 150, "the worker finished before it could be killed: raise the message count"
    real_celery()  # a new worker; the relay publishes what the dead one never finished
    time.sleep(settings.PORTAL_OUTBOX_REDISPATCH_SECONDS + 0.5)
    wait_until_done()
    notices = Notification.objects.filter(user=therapist, kind="message")
    assert notices.count() == 150
    assert notices.values("outbox_item").distinct().count() == 150
