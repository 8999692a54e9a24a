"""Benchmarks 2-5: the send path over HTTP, outbox lag, audit at scale, release of held messages.

They run against the machine's PostgreSQL and Redis, gunicorn with portal.settings.bench
(production less the HTTPS redirect) and a real Celery worker."""

from __future__ import annotations

import copy
import functools
import os
import statistics
import time
from datetime import UTC

from .load import pooled
from .load import run as load
from .services import Processes

PORT = int(os.environ.get("BENCH_PORT", "8765"))
SECONDS = 30.0  # of each load, in SEGMENTS turns
SEGMENTS = 3
SEND_RULES = {
    "timezone": "America/New_York",
    "crisis_resources": "If you are in danger call 911, or call or text 988.",
    "after_hours_reply": "",
    "categories": {
        "emergency": {"allowed": True, "channels": ["portal", "phone"], "outside_hours": "deliver"},
        # Open at any hour, with a weekly limit, so every send takes the full path (rate count
        # included); no client comes near it in a run.
        "check_in": {"allowed": True, "channels": ["portal"], "max_per_week": 100, "response_hours": 24},
        "personal": {"allowed": False},
    },
}


CLIENTS = 1000


def _seed_clients(n: int):
    """A practice with one therapist and n consenting clients, made through the services.

    Seeding hashes no real password: the clients never log in with one (the load uses their
    API tokens), and the production hasher's 0.3 s a client would make seeding 1,000 of them
    take five minutes. The server under load keeps the production settings."""
    from django.test import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        return _seed_clients_through_services(n)


def _seed_clients_through_services(n: int):
    from consent.services import consent_sign
    from policies.services import policy_draft_save, policy_publish
    from portal.models import User
    from portal.onboarding import invitation_accept, invitation_create
    from portal.security import issue_api_token
    from portal.services import practice_create

    admin = practice_create(
        name="Bench practice", admin_email="bench-admin@bench.test", admin_password="Bench-pass-2026!"
    )
    therapist = User.objects.create_user(
        "bench-therapist@bench.test",
        "Bench-pass-2026!",
        full_name="Dr Bench",
        practice=admin.practice,
        is_therapist=True,
    )
    version = policy_publish(
        version=policy_draft_save(therapist=therapist, rules=copy.deepcopy(SEND_RULES)), actor=therapist
    )
    clients = []
    for i in range(n):
        _, token = invitation_create(therapist=therapist, email=f"c{i}@bench.test", full_name=f"Client {i}")
        client, thread, key = invitation_accept(token=token, password="Bench-pass-2026!")
        consent_sign(
            client=client,
            policy_version_id=version.pk,
            content_sha256=version.content_sha256,
            signature=f"Client {i}",
            channels=["portal"],
            acknowledged=True,
        )
        clients.append((thread.pk, key))
    return admin, therapist, clients, issue_api_token(admin)[0]


_CONTROL = ("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK")


def queries_per_send(thread_id: int) -> dict:
    """SQL statements of one send besides transaction control, and the round trips they take
    (one each: on PostgreSQL the locked read, the week's count and the one statement that
    writes the message, its outbox row and its audit event, messaging.send_sql)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from messaging.models import Thread
    from messaging.services.send import message_send

    thread = Thread.objects.select_related("client").get(pk=thread_id)
    message_send(sender=thread.client, thread=thread, category="check_in", channel="portal", body="warm up")
    with CaptureQueriesContext(connection) as ctx:
        message_send(
            sender=thread.client, thread=thread, category="check_in", channel="portal", body="count me"
        )
    sent = [q["sql"] for q in ctx.captured_queries if not q["sql"].upper().startswith(_CONTROL)]
    return {"queries_per_send": len(sent), "round_trips_per_send": len(sent)}


def send_suite() -> dict:
    from django.utils import timezone

    from portal.models import OutboxItem

    admin, therapist, clients, admin_key = _seed_clients(CLIENTS)
    from .machine import cpu_speed_ms

    out: dict = {**queries_per_send(clients[0][0]), "send_cpu_loop_ms": cpu_speed_ms()}
    procs = Processes()
    try:
        procs.gunicorn(PORT)
        procs.worker()
        procs.beat()

        def send(i: int, n: int, conc: int) -> tuple[str, str, dict]:
            # Each load worker walks its own stretch of the clients, so concurrent sends are
            # on different threads, as real clients' are, and the whole run gives each client
            # a few dozen sends in the week at most, under the policy's weekly limit.
            thread_id, key = clients[(i * (len(clients) // conc) + n) % len(clients)]
            return (
                "POST",
                f"/api/v1/threads/{thread_id}/messages",
                {
                    "headers": {"Authorization": f"Token {key}"},
                    "json": {
                        "category": "check_in",
                        "channel": "portal",
                        "body": f"Check-in number {n}: doing fine.",
                    },
                },
            )

        def baseline(i: int, n: int) -> tuple[str, str, dict]:
            return (
                "POST",
                "/bench/baseline",
                {"headers": {"Authorization": f"Token {clients[i % len(clients)][1]}"}, "json": {}},
            )

        load("127.0.0.1", PORT, 4, 3, lambda i, n: send(i, n, 4))  # warm up every worker
        started = timezone.now()
        for conc in (16, 64):
            # Send and baseline take turns, SEGMENTS times each, so both meet the same machine:
            # a shared machine's speed drifts (cpu_loop_ms has read 90 to 160 ms in one hour),
            # and one 30 s run of each, one after the other, made the ratio read 0.38 or 0.65.
            sends, bases = [], []
            for _ in range(SEGMENTS):
                sends.append(
                    load("127.0.0.1", PORT, conc, SECONDS / SEGMENTS, functools.partial(send, conc=conc))
                )
                bases.append(load("127.0.0.1", PORT, conc, SECONDS / SEGMENTS, baseline))
            r, b = pooled(sends), pooled(bases)
            out.update(
                {
                    f"send_rps_{conc}": r["rps"],
                    f"send_p50_ms_{conc}": r["p50_ms"],
                    f"send_p95_ms_{conc}": r["p95_ms"],
                    f"send_p99_ms_{conc}": r["p99_ms"],
                    f"send_errors_{conc}": r["errors"],
                }
            )
            out.update({f"baseline_rps_{conc}": b["rps"], f"baseline_p99_ms_{conc}": b["p99_ms"]})
        out["send_vs_baseline_16"] = round(out["send_rps_16"] / out["baseline_rps_16"], 2)
        # Outbox lag: commit (row created in the send's transaction) to the task having run.
        deadline = time.time() + 60
        rows = OutboxItem.objects.filter(task="contact.decided", created_at__gte=started)
        while rows.filter(done_at__isnull=True).exists() and time.time() < deadline:
            time.sleep(0.5)
        # A row still not done counts with the time it has waited so far, so it can only raise the figure.
        now = timezone.now()
        lags = sorted(((d or now) - c).total_seconds() for c, d in rows.values_list("created_at", "done_at"))
        out["outbox_lag_p99_s"] = round(lags[int(len(lags) * 0.99)], 2) if lags else None
        out["outbox_lag_median_s"] = round(statistics.median(lags), 3) if lags else None
        out["outbox_undone_after_60s"] = rows.filter(done_at__isnull=True).count()
    finally:
        procs.stop()
    return out


# --- 3. audit at scale ---------------------------------------------------------------------------


def _seed_audit(practice_id: int, therapist_ids: list[int], client_ids: list[int], n: int) -> None:
    """n sealed events, each a boundary exception, written with COPY (hashes computed here)."""
    import io
    import random
    from datetime import datetime, timedelta

    from django.db import connection

    from audit.chain import GENESIS, canonical_data, event_hash
    from audit.models import ChainHead

    rnd = random.Random(3)
    kinds = ["blocked", "override", "after_hours", "crisis", "consent_revoked"]
    start = datetime(2025, 11, 1, tzinfo=UTC)
    step = timedelta(days=365) / n
    prev, base_id = GENESIS, 10_000_000
    events, exceptions = io.StringIO(), io.StringIO()
    for i in range(n):
        at = start + step * i
        t, c = rnd.choice(therapist_ids), rnd.choice(client_ids)
        kind = kinds[i % 5]
        data = canonical_data({"outcome": "blocked", "reasons": ["outside_hours"]})
        row = {
            "id": base_id + i,
            "practice_id": practice_id,
            "seq": i + 1,
            "prev_hash": prev,
            "at": at,
            "actor_id": None,
            "actor_role": "system",
            "action": "contact.decided",
            "therapist_id": t,
            "client_id": c,
            "object_type": "message",
            "object_id": None,
            "data": data,
        }
        h = event_hash(row)
        events.write(
            f"{base_id + i}\t{practice_id}\t{i + 1}\t{prev}\t{h}\t{at.isoformat()}\t\\N\tsystem\t"
            f"contact.decided\t{t}\t{c}\tmessage\t\\N\t{data}\n"
        )
        exceptions.write(
            f'{practice_id}\t{base_id + i}\t{t}\t{c}\t\\N\t{kind}\t{at.isoformat()}\t["outside_hours"]\t'
            f"{'t' if i % 3 == 0 else 'f'}\t\\N\t\\N\t\n"
        )
        prev = h
    events.seek(0)
    exceptions.seek(0)
    with connection.cursor() as cur:
        raw = cur.cursor
        raw.copy_expert(
            "COPY audit_auditevent (id, practice_id, seq, prev_hash, hash, at, actor_id, actor_role, "
            "action, therapist_id, client_id, object_type, object_id, data) FROM STDIN",
            events,
        )
        raw.copy_expert(
            "COPY audit_boundaryexception (practice_id, event_id, therapist_id, client_id, message_id, kind, "
            "at, reasons, reviewed, reviewed_at, reviewed_by_id, review_note) FROM STDIN",
            exceptions,
        )
        cur.execute("ANALYZE audit_auditevent; ANALYZE audit_boundaryexception")
    ChainHead.objects.update_or_create(practice_id=practice_id, defaults={"seq": n, "head_hash": prev})


def audit_suite(n: int = 1_000_000) -> dict:
    import resource
    import subprocess
    import sys

    from audit.chain import verify
    from audit.models import BoundaryException
    from portal.models import Practice, User
    from portal.security import issue_api_token
    from portal.services import practice_create

    admin = practice_create(
        name="Audit bench practice", admin_email="audit-admin@bench.test", admin_password="Bench-pass-2026!"
    )
    pid = admin.practice_id
    therapists = [
        User.objects.create_user(
            f"t{i}@audit.bench", "x", full_name=f"Therapist {i}", practice_id=pid, is_therapist=True
        )
        for i in range(50)
    ]
    clients = [
        User.objects.create_user(
            f"c{i}@audit.bench", "x", full_name=f"Client {i}", practice_id=pid, therapist=therapists[i % 50]
        )
        for i in range(500)
    ]
    import time as _t

    t0 = _t.perf_counter()
    # The seeded chain gets a practice of its own, so it starts at seq 1.
    fresh = Practice.objects.create(name="Audit bench chain")
    User.objects.filter(pk__in=[t.pk for t in therapists] + [c.pk for c in clients]).update(practice=fresh)
    admin.practice = fresh
    admin.save(update_fields=["practice"])
    _seed_audit(fresh.pk, [t.pk for t in therapists], [c.pk for c in clients], n)
    out = {"audit_events_seeded": n, "audit_seed_s": round(_t.perf_counter() - t0, 1)}
    key = issue_api_token(admin)[0]

    procs = Processes()
    try:
        procs.gunicorn(PORT)
        import http.client

        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)

        def timed(path: str, repeat: int = 20, headers: dict | None = None) -> float:
            samples = []
            for _ in range(repeat):
                t = _t.perf_counter()
                conn.request("GET", path, headers=headers or {"Authorization": f"Token {key}"})
                resp = conn.getresponse()
                resp.read()
                if resp.status != 200:
                    raise RuntimeError(resp.status)
                samples.append(_t.perf_counter() - t)
            samples.sort()
            return round(samples[len(samples) // 2] * 1000, 1)

        out["audit_page_ms"] = timed("/api/v1/audit/exceptions")
        deep = (
            BoundaryException.objects.filter(practice_id=fresh.pk)
            .order_by("id")
            .values_list("id", flat=True)[n // 50]
        )
        out["audit_deep_page_ms"] = timed(
            f"/api/v1/audit/exceptions?kind=crisis&therapist={therapists[7].pk}&reviewed=false&before={deep}"
        )
        # The admin's events browser (a browser session): the newest page, and a page deep in
        # the million filtered by therapist and action (keyset on the (practice, therapist, -id) index).
        from django.conf import settings as dj_settings
        from django.test import Client as SessionClient

        from audit.models import AuditEvent

        web = SessionClient()
        web.force_login(admin)
        session = {
            "Cookie": f"{dj_settings.SESSION_COOKIE_NAME}={web.cookies[dj_settings.SESSION_COOKIE_NAME].value}",
            "X-Forwarded-Proto": "https",
        }
        out["audit_events_page_ms"] = timed("/audit/events/", headers=session)
        deep_event = (
            AuditEvent.objects.filter(practice_id=fresh.pk)
            .order_by("id")
            .values_list("id", flat=True)[n // 50]
        )
        out["audit_events_deep_page_ms"] = timed(
            f"/audit/events/?therapist={therapists[7].pk}&action=contact.decided&before={deep_event}",
            headers=session,
        )
    finally:
        procs.stop()

    # CSV export of every row through the view, in its own process, measuring its peak memory.
    code = (
        "import django,resource,time; django.setup()\n"
        "from django.test import RequestFactory\nfrom portal.models import User\nfrom audit.views import export_csv\n"
        f"req=RequestFactory().get('/audit/exceptions/export.csv'); req.user=User.objects.get(pk={admin.pk})\n"
        "t=time.perf_counter(); r=export_csv(req)\n"
        "rows=sum(chunk.count(b'\\n') for chunk in r.streaming_content)\n"
        # VmHWM, not ru_maxrss: a child inherits its parent's ru_maxrss across fork and exec.
        "hwm=[l for l in open('/proc/self/status') if l.startswith('VmHWM')][0].split()[1]\n"
        "print(rows, time.perf_counter()-t, int(hwm)/1024)\n"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=str(ROOT_DIR))
    rows, secs, peak = res.stdout.split()[-3:]
    out.update(
        {
            "export_rows": int(rows) - 1,
            "export_s": round(float(secs), 1),
            "export_peak_mb": round(float(peak), 1),
        }
    )

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t = _t.perf_counter()
    result = verify(fresh.pk, seal_first=False)
    out["verify_1m_s"] = round(_t.perf_counter() - t, 1)
    out["verify_ok"] = result.ok
    out["verify_rss_growth_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - before, 1)
    return out


# --- 4. release of 100,000 held messages -----------------------------------------------------------


def release_suite(n: int = 100_000) -> dict:
    import time as _t
    from datetime import timedelta

    from django.utils import timezone

    from messaging.models import Message, Thread

    threads = list(
        Thread.objects.filter(consent__isnull=False).values_list(
            "pk", "client_id", "consent__policy_version_id"
        )
    )
    if not threads:
        raise RuntimeError("run the send suite first (it makes the clients)")
    past = timezone.now() - timedelta(minutes=5)
    rows = [
        Message(
            thread_id=t,
            sender_id=c,
            sender_role="client",
            kind="message",
            category="check_in",
            channel="portal",
            body="Held for the benchmark.",
            status="held",
            reasons=["outside_hours"],
            policy_version_id=v,
            created_at=past,
            deliver_at=past,
        )
        for i in range(n)
        for t, c, v in [threads[i % len(threads)]]
    ]
    Message.objects.bulk_create(rows, batch_size=5000)
    procs = Processes()
    try:
        procs.worker(concurrency=2)
        procs.beat()
        from messaging.tasks import release_held_messages

        t = _t.perf_counter()
        release_held_messages.delay()
        deadline = t + 300
        while Message.objects.filter(status="held").exists() and _t.perf_counter() < deadline:
            _t.sleep(0.5)
        elapsed = _t.perf_counter() - t
    finally:
        procs.stop()
    return {
        "release_100k_s": round(elapsed, 1),
        "release_left_held": Message.objects.filter(status="held").count(),
    }


from pathlib import Path as _Path  # noqa: E402

ROOT_DIR = _Path(__file__).resolve().parent.parent
SUITES = {"send": send_suite, "release": release_suite, "audit": audit_suite}
