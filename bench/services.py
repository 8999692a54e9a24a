"""Start and stop what the HTTP benchmarks need: a fresh PostgreSQL database, gunicorn
with the benchmark settings (production but for the HTTPS redirect), a Celery worker."""

from __future__ import annotations

import base64
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN_DSN = "dbname=postgres user=postgres host=127.0.0.1 port=5432"
# BENCH_DB / BENCH_PORT / BENCH_REDIS_DB let two benchmark runs share a machine.
BENCH_DB = os.environ.get("BENCH_DB", "portal_bench")


def bench_env() -> dict[str, str]:
    """The environment of the benchmark's Django processes (set once, shared by children)."""
    from cryptography.fernet import Fernet

    os.environ.setdefault("DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/{BENCH_DB}")
    os.environ.setdefault("REDIS_URL", f"redis://127.0.0.1:6379/{os.environ.get('BENCH_REDIS_DB', '14')}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.bench")
    os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(64))
    os.environ.setdefault("PORTAL_ENCRYPTION_KEYS", Fernet.generate_key().decode())
    os.environ.setdefault("PORTAL_AUDIT_SIGNING_KEY", base64.b64encode(secrets.token_bytes(32)).decode())
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
    os.environ.setdefault("EMAIL_URL", "dummymail://")
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    return dict(os.environ)


def recreate_database() -> None:
    import psycopg2

    conn = psycopg2.connect(PG_ADMIN_DSN)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{BENCH_DB}'")
        cur.execute(f"DROP DATABASE IF EXISTS {BENCH_DB}")
        cur.execute(f"CREATE DATABASE {BENCH_DB}")
    conn.close()


class Processes:
    def __init__(self) -> None:
        self.procs: list[subprocess.Popen] = []
        self.logs = ROOT / "var" / "bench-logs"
        self.logs.mkdir(parents=True, exist_ok=True)

    def start(self, name: str, args: list[str]) -> subprocess.Popen:
        with open(self.logs / f"{name}.log", "w") as log:  # the child keeps its own copy of the file
            proc = subprocess.Popen(
                args,
                cwd=ROOT,
                env=dict(os.environ),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.procs.append(proc)
        return proc

    def gunicorn(self, port: int) -> str:
        """gunicorn as the README deploys it: sync workers, (2 x cores) + 1 of them. (Threaded
        workers, 4 x 8, gave the send a p99 at 16 clients of 153 to 197 ms against 81 to 91 ms
        in A/B runs: threads of one process share its GIL, and each keep-alive connection
        stays with one process, so a busy one holds its clients back.)"""
        workers = 2 * (os.cpu_count() or 1) + 1
        self.start(
            "gunicorn",
            [
                sys.executable,
                "-m",
                "gunicorn",
                "portal.wsgi",
                "-b",
                f"127.0.0.1:{port}",
                "-w",
                str(workers),
                "-k",
                "sync",
                "--backlog",
                "2048",
            ],
        )
        base = f"http://127.0.0.1:{port}"
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                urllib.request.urlopen(base + "/api/v1/schema", timeout=2)  # noqa: S310 - our own http://127.0.0.1
                return base
            except Exception:  # noqa: BLE001 - not up yet
                time.sleep(0.3)
        raise RuntimeError("gunicorn did not start: see var/bench-logs/gunicorn.log")

    def worker(self, concurrency: int = 2) -> None:
        self.start(
            "worker",
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "portal",
                "worker",
                "-l",
                "warning",
                "-c",
                str(concurrency),
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
            ],
        )
        time.sleep(3)

    def beat(self) -> None:
        """Celery beat: the outbox relay (four times a second) publishes what the requests stored."""
        self.start(
            "beat",
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "portal",
                "beat",
                "-l",
                "warning",
                "--schedule",
                str(self.logs / "beat-schedule"),
            ],
        )

    def stop(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        self.procs.clear()
