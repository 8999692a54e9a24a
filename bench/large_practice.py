"""One practice the size of a large group practice, for the pages benchmark.

50 therapists, 2,000 clients with signed consents, 1,000,000 messages over 12 months (one
thread of 20,000), 1,000,000 audit events sealed into the chain, 195,000 boundary exceptions.

The realistic sample goes through the services (the practice, its therapists, their policies
and published versions, 200 invitations accepted and consents signed, pending invitations,
a few hundred sends); the volume goes in with COPY, with the columns the services write:
bodies encrypted by portal.crypto, one `contact.decided` event per message (actor, role,
object, the decision's outcome and reasons as canonical JSON), linked into the practice's
chain from its head (seq, prev_hash, hash as audit.chain computes them), a boundary exception
for every exceptional decision linked to its event and message as the send links them,
statuses, delivery and read times, crisis alerts for escalations.

It lives in its own database (bench.pages chooses it) and is reused while SEED_VERSION and
the seed table say it is complete. Run inside a Django process whose DATABASE_URL is that
database: `seed()` returns what the journeys need (ids and logins), also stored in the table.
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import os
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from typing import cast

SEED_VERSION = 1
SEED_TABLE = "bench_pages_seed"

THERAPISTS = 50
CLIENTS_PER_THERAPIST = 40  # 2,000 clients
CLIENTS_THROUGH_SERVICES = 2  # per therapist: 100 invitations accepted and consents signed
PENDING_INVITATIONS = 2  # per therapist
# BENCH_PAGES_SCALE (default 1) shrinks the volume for a quick try; the seed table records
# it, so a shrunk practice is never reused by a full run.
SCALE = float(os.environ.get("BENCH_PAGES_SCALE", "1"))
MESSAGES = int(1_000_000 * SCALE)
BIG_THREAD = int(20_000 * SCALE)
EXCEPTIONS = int(195_000 * SCALE)
SAMPLE_SENDS = 300
# Each body line is encrypted this many times (distinct Fernet tokens, as the field writes them)
# and messages draw from those: encrypting a million bodies one by one was a third of the
# seed's CPU on this shared machine, and reading a token costs the same either way.
TOKENS_PER_LINE = 64
DAYS = 365
PASSWORD = "Harbour-lantern-2026!"
COPY_CHUNK = 100_000

CRISIS_RESOURCES = "If you are in danger call 911, or call or text 988."
AFTER_HOURS_REPLY = "I read messages on weekdays 9-17 and reply within one business day."
RULES = {
    "timezone": "America/New_York",
    "crisis_resources": CRISIS_RESOURCES,
    "after_hours_reply": AFTER_HOURS_REPLY,
    "reconsent_grace_days": 14,
    "categories": {
        "emergency": {"allowed": True, "channels": ["portal", "phone"], "outside_hours": "deliver"},
        "administrative": {
            "allowed": True,
            "channels": ["portal", "email"],
            "windows": [{"days": ["mon", "tue", "wed", "thu", "fri"], "start": "09:00", "end": "17:00"}],
            "outside_hours": "deliver",
            "response_hours": 24,
        },
        "check_in": {
            "allowed": True,
            "channels": ["portal"],
            "windows": [{"days": ["mon", "tue", "wed", "thu", "fri"], "start": "08:00", "end": "20:00"}],
            "outside_hours": "block",
            "max_per_week": 50,
        },
        "scheduled_call": {
            "allowed": True,
            "channels": ["phone", "video"],
            "max_minutes": 15,
            "windows": [{"days": ["mon", "wed"], "start": "10:00", "end": "12:00"}],
        },
        "personal": {"allowed": False},
    },
    "pause_after_crisis": {"hours": 24, "categories": ["check_in", "scheduled_call"]},
}

ZONES = ["America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles"]

CLIENT_LINES = [
    "I had a better week, the breathing exercise helped on Tuesday.",
    "Can we move Thursday's session to the afternoon? Work changed my shift.",
    "Quick check-in: sleeping a bit better, still waking up around 4.",
    "I got the invoice, is it covered by my insurance this month?",
    "The argument with my sister happened again and I used the script we practised.",
    "Just wanted to say the journaling is going okay, three entries so far.",
    "I am running ten minutes late for our call, sorry.",
    "Could you send me the worksheet about thought records again?",
    "Work has been stressful but I walked every evening like we planned.",
    "I noticed the panic starting at the store and I managed to stay.",
    "My new medication makes me tired in the mornings, should I mention it to my doctor?",
    "Thank you for last session, I have been thinking about what you said.",
]
THERAPIST_LINES = [
    "Thanks for letting me know. Let's talk about it on Thursday.",
    "I moved our session to 15:00 on Thursday; see you then.",
    "Good to hear the walks are helping. Keep the log going this week.",
    "The worksheet is attached in the portal resources; page two is the one we used.",
    "Yes, please mention it to your doctor; we can look at the sleep plan together.",
    "Billing says this month is covered; the receipt is in your account.",
    "Well done staying in the store. Note what you said to yourself.",
]
CRISIS_LINES = [
    "I don't want to be here anymore, I keep thinking about ending my life.",
    "Tonight I feel like hurting myself again.",
]

# status, reasons, exception kind, share of all messages (exceptions add up to 19.5%)
OUTCOMES = [
    ("delivered", [], None, 0.805),
    ("delivered", ["outside_hours"], "after_hours", 0.08),
    ("blocked", ["outside_hours"], "blocked", 0.045),
    ("blocked", ["rate_limited"], "blocked", 0.015),
    ("delivered_with_exception", ["override", "outside_hours"], "override", 0.03),
    ("escalated", ["crisis_detected"], "crisis", 0.01),
    ("delivered", ["emergency_mismatch"], "emergency_mismatch", 0.015),
]


def _log(text: str) -> None:
    print(f"[pages seed] {text}", file=sys.stderr, flush=True)


def recorded() -> dict | None:
    """The stored seed of this database, if it is complete and of this SEED_VERSION."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT to_regclass(%s)", [SEED_TABLE])
        if cur.fetchone()[0] is None:
            return None
        cur.execute(f"SELECT version, meta FROM {SEED_TABLE} ORDER BY version DESC LIMIT 1")
        row = cur.fetchone()
    if row is None or row[0] != SEED_VERSION:
        return None
    meta = json.loads(row[1])
    return meta if meta.get("scale") == SCALE else None


def _record(meta: dict) -> None:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            f"CREATE TABLE IF NOT EXISTS {SEED_TABLE} (version integer PRIMARY KEY, meta text NOT NULL, "
            "seeded_at timestamptz NOT NULL DEFAULT now())"
        )
        cur.execute(f"DELETE FROM {SEED_TABLE}")
        cur.execute(
            f"INSERT INTO {SEED_TABLE} (version, meta) VALUES (%s, %s)", [SEED_VERSION, json.dumps(meta)]
        )


def seed() -> dict:
    from django.test import override_settings

    t0 = time.perf_counter()
    # The sample's accounts hash no real password (the production hasher's 0.3 s each would
    # take minutes); the three accounts the journeys log in with get a real one at the end.
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        meta = _seed_sample()
    _log(f"sample through the services: {time.perf_counter() - t0:.1f} s")
    t1 = time.perf_counter()
    _seed_volume(meta)
    _log(f"volume by COPY: {time.perf_counter() - t1:.1f} s")
    t2 = time.perf_counter()
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        _sample_sends(meta)
    _log(f"sample sends: {time.perf_counter() - t2:.1f} s")
    from portal.models import User

    for pk in (meta["admin_id"], meta["therapist_id"], meta["client_id"]):
        user = User.objects.get(pk=pk)
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    from django.db import connection

    with connection.cursor() as cur:
        for table in (
            "messaging_message",
            "audit_auditevent",
            "audit_boundaryexception",
            "portal_user",
            "messaging_thread",
            "policies_consent",
        ):
            cur.execute(f"VACUUM (ANALYZE) {table}")
    meta["seed_s"] = round(time.perf_counter() - t0, 1)
    meta["scale"] = SCALE
    _record(meta)
    _log(f"done in {meta['seed_s']} s")
    return meta


def _seed_sample() -> dict:
    from consent.services import consent_sign
    from policies.services import policy_draft_save, policy_publish
    from portal.models import User
    from portal.onboarding import invitation_accept, invitation_create
    from portal.services import practice_create, therapist_create

    admin = practice_create(
        name="Large group practice",
        admin_email="pages-admin@bench.test",
        admin_password=PASSWORD,
        admin_name="Pat Admin",
    )
    therapists: list[User] = []
    for i in range(THERAPISTS):
        therapists.append(
            therapist_create(
                admin=admin,
                email=f"t{i}@pages.bench",
                full_name=f"Dr Therapist {i:02d}",
                password=PASSWORD,
                timezone=ZONES[i % len(ZONES)],
            )
        )
    versions = {}
    for i, t in enumerate(therapists):
        rules = copy.deepcopy(RULES)
        rules["timezone"] = t.timezone
        # A few versions each for some, so the history page has a history.
        for n in range(1 + (i % 3)):
            categories = cast(dict[str, dict[str, object]], rules["categories"])  # RULES's shape, above
            categories["check_in"]["max_per_week"] = 50 + n
            v = policy_publish(version=policy_draft_save(therapist=t, rules=copy.deepcopy(rules)), actor=t)
        versions[t.pk] = v
    sample_clients = []
    for i, t in enumerate(therapists):
        for k in range(CLIENTS_THROUGH_SERVICES):
            n = i * CLIENTS_PER_THERAPIST + k
            name = f"Client {n:04d}"
            _, token = invitation_create(therapist=t, email=f"c{n}@pages.bench", full_name=name)
            client, _thread, _ = invitation_accept(token=token, password=PASSWORD)
            v = versions[t.pk]
            consent_sign(
                client=client,
                policy_version_id=v.pk,
                content_sha256=v.content_sha256,
                signature=name,
                channels=["portal", "phone", "email"],
                acknowledged=True,
                ip_address="10.0.0.1",
                user_agent="bench",
            )
            sample_clients.append(client.pk)
        for k in range(PENDING_INVITATIONS):
            invitation_create(therapist=t, email=f"pending{i}-{k}@pages.bench", full_name=f"Invited {i}-{k}")
    _bulk_clients(cast(int, admin.practice_id), therapists, versions)  # the practice's admin
    from messaging.models import Thread

    t0 = therapists[0]
    big = Thread.objects.get(client__email="c0@pages.bench")
    normal = Thread.objects.get(client__email="c1@pages.bench")
    return {
        "practice_id": admin.practice_id,
        "admin_id": admin.pk,
        "admin_email": admin.email,
        "therapist_id": t0.pk,
        "therapist_email": t0.email,
        "client_id": normal.client_id,
        "client_email": "c1@pages.bench",
        "big_thread_id": big.pk,
        "thread_id": normal.pk,
        "password": PASSWORD,
        "therapist_ids": [t.pk for t in therapists],
        "sample_client_ids": sample_clients,
    }


def _bulk_clients(practice_id: int, therapists, versions) -> None:
    """The other 1,800 clients, as invitation_accept and consent_sign leave them."""
    from django.utils import timezone

    from consent.models import Consent
    from messaging.models import Thread
    from portal.models import Invitation, User

    now = timezone.now()
    users, invitations = [], []
    for i, t in enumerate(therapists):
        for k in range(CLIENTS_THROUGH_SERVICES, CLIENTS_PER_THERAPIST):
            n = i * CLIENTS_PER_THERAPIST + k
            joined = now - timedelta(days=DAYS + 5, minutes=n)
            u = User(
                email=f"c{n}@pages.bench",
                full_name=f"Client {n:04d}",
                practice_id=practice_id,
                therapist=t,
                timezone=t.timezone,
                date_joined=joined,
                password="!bench-no-login",
            )
            users.append(u)
    User.objects.bulk_create(users, batch_size=1000)
    users = list(User.objects.filter(email__in=[u.email for u in users]).select_related("therapist"))
    for u in users:
        invitations.append(
            Invitation(
                practice_id=practice_id,
                therapist_id=cast(int, u.therapist_id),  # each created with its therapist above
                email=u.email,
                full_name=u.full_name,
                token_hash=Invitation.new_token()[1],
                created_at=u.date_joined - timedelta(days=1),
                expires_at=u.date_joined,
                accepted_at=u.date_joined,
                client=u,
            )
        )
    Invitation.objects.bulk_create(invitations, batch_size=1000)
    threads = Thread.objects.bulk_create(
        [
            Thread(
                practice_id=practice_id,
                therapist_id=cast(int, u.therapist_id),  # each created with its therapist above
                client=u,
                created_at=u.date_joined,
            )
            for u in users
        ],
        batch_size=1000,
    )
    consents = Consent.objects.bulk_create(
        [
            Consent(
                practice_id=practice_id,
                client=u,
                therapist_id=cast(int, u.therapist_id),  # each created with its therapist above
                policy_version=versions[u.therapist_id],
                content_sha256=versions[u.therapist_id].content_sha256,
                signed_name=u.full_name,
                channels=["portal", "phone", "email"],
                signed_at=versions[u.therapist_id].published_at or now,
                ip_address="10.0.0.2",
                user_agent="bench",
            )
            for u in users
        ],
        batch_size=1000,
    )
    for th, c in zip(threads, consents, strict=True):
        th.consent = c
    Thread.objects.bulk_update(threads, ["consent"], batch_size=1000)


def _esc(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


MESSAGE_COPY = (
    "COPY messaging_message (id, thread_id, sender_id, sender_role, kind, category, channel, body, "
    "override_reason, status, reasons, crisis_resources, auto_reply, policy_version_id, created_at, "
    "occurred_at, minutes, deliver_at, delivered_at, read_at) FROM STDIN"
)
EVENT_COPY = (
    "COPY audit_auditevent (id, practice_id, seq, prev_hash, hash, at, actor_id, actor_role, action, "
    "therapist_id, client_id, object_type, object_id, data) FROM STDIN"
)
EXCEPTION_COPY = (
    "COPY audit_boundaryexception (id, practice_id, event_id, therapist_id, client_id, message_id, "
    "kind, at, reasons, reviewed, reviewed_at, reviewed_by_id, review_note) FROM STDIN"
)
VOLUME_TABLES = ("messaging_message", "audit_auditevent", "audit_boundaryexception")


class _Copier:
    """COPY on a connection of its own, in a thread: PostgreSQL writes one chunk while Python
    makes the next (the two cores both work). The indexes that back no constraint are dropped
    first and built again at the end, which is faster than keeping them up to date row by row."""

    def __init__(self) -> None:
        import queue
        import threading

        import psycopg2
        from django.db import connection

        params = connection.get_connection_params()
        self.conn = psycopg2.connect(
            **{k: v for k, v in params.items() if k in ("dbname", "user", "password", "host", "port")}
        )
        with self.conn, self.conn.cursor() as cur:
            cur.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) "
                "AND indexname NOT IN (SELECT conname FROM pg_constraint)",
                [list(VOLUME_TABLES)],
            )
            self.indexes = cur.fetchall()
            for name, _ in self.indexes:
                cur.execute(f'DROP INDEX "{name}"')
        self.queue: queue.Queue = queue.Queue(maxsize=1)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while True:
            chunk = self.queue.get()
            if chunk is None:
                return
            try:
                with self.conn, self.conn.cursor() as cur:
                    for text, sql in chunk:
                        cur.copy_expert(sql, io.StringIO(text))
            except BaseException as exc:  # noqa: BLE001 - raised again in the seeding thread
                self.error = exc
                return

    def put(self, chunk) -> None:
        if self.error is not None:
            raise self.error
        self.queue.put(chunk)

    def close(self) -> None:
        self.queue.put(None)
        self.thread.join()
        if self.error is not None:
            raise self.error
        t = time.perf_counter()
        with self.conn, self.conn.cursor() as cur:
            cur.execute("SET maintenance_work_mem = '256MB'")
            for _, definition in self.indexes:
                cur.execute(definition)
        self.conn.close()
        _log(f"{len(self.indexes)} indexes built again in {time.perf_counter() - t:.1f} s")


def _seed_volume(meta: dict) -> None:
    from django.db import connection
    from django.utils import timezone

    from audit.chain import canonical_data, event_hash, seal
    from audit.models import AuditEvent, ChainHead
    from messaging.models import Message, Thread
    from portal.crypto import encrypt

    pid = meta["practice_id"]
    rnd = random.Random(15)
    seal(pid)  # the sample's events first: the volume continues the chain from its head
    head = ChainHead.objects.get(practice_id=pid)
    threads = list(
        Thread.objects.filter(practice_id=pid)
        .order_by("pk")
        .values_list("pk", "therapist_id", "client_id", "consent__policy_version_id")
    )
    big = next(t for t in threads if t[0] == meta["big_thread_id"])
    others = [t for t in threads if t[0] != meta["big_thread_id"]]
    now = timezone.now().astimezone(UTC)
    start = now - timedelta(days=DAYS)
    span = (now - timedelta(hours=1) - start).total_seconds()
    # (time, thread) for every message, in time order: ids, seq and time all rise together.
    stamps = [(start + timedelta(seconds=rnd.random() * span), big) for _ in range(BIG_THREAD)]
    stamps += [
        (start + timedelta(seconds=rnd.random() * span), others[i % len(others)])
        for i in range(MESSAGES - BIG_THREAD)
    ]
    stamps.sort(key=lambda s: s[0])
    weights = [o[3] for o in OUTCOMES]
    with connection.cursor() as cur:
        cur.execute("SELECT coalesce(max(id), 0) FROM messaging_message")
        mid = cur.fetchone()[0] + 1000
        cur.execute("SELECT coalesce(max(id), 0) FROM audit_auditevent")
        eid = cur.fetchone()[0] + 1000
        cur.execute("SELECT coalesce(max(id), 0) FROM audit_boundaryexception")
        xid = cur.fetchone()[0] + 1000
    seq, prev = head.seq, head.head_hash
    admin_id = meta["admin_id"]
    pools = {
        line: [encrypt(line) for _ in range(TOKENS_PER_LINE)]
        for line in CLIENT_LINES + THERAPIST_LINES + CRISIS_LINES
    }
    overrides = [encrypt("Client asked for an answer before the weekend.") for _ in range(TOKENS_PER_LINE)]
    review_note = encrypt("Discussed at the weekly case review; within the therapist's judgement.")
    last_crisis: dict[int, datetime] = {}
    alerts: list[tuple] = []
    nulls = "\\N"
    mbuf, ebuf, xbuf = io.StringIO(), io.StringIO(), io.StringIO()
    counts = {"messages": 0, "events": 0, "exceptions": 0}

    copier = _Copier()

    def flush() -> None:
        copier.put(
            [
                (mbuf.getvalue(), MESSAGE_COPY),
                (ebuf.getvalue(), EVENT_COPY),
                (xbuf.getvalue(), EXCEPTION_COPY),
            ]
        )
        for buf in (mbuf, ebuf, xbuf):
            buf.seek(0)
            buf.truncate()

    exceptions_left = EXCEPTIONS
    for n, (at, (tid, therapist_id, client_id, version_id)) in enumerate(stamps):
        remaining = MESSAGES - n
        status, reasons, kind, _ = rnd.choices(OUTCOMES, weights)[0]
        # Exactly EXCEPTIONS exceptions in all, spread as the weights spread them.
        if kind is not None and exceptions_left == 0:
            status, reasons, kind = "delivered", [], None
        elif kind is None and exceptions_left >= remaining:
            status, reasons, kind = OUTCOMES[1][:3]
        if kind == "override":
            role = "therapist"
        elif kind in ("crisis", "emergency_mismatch", "blocked"):
            role = "client"
        else:
            role = "client" if rnd.random() < 0.55 else "therapist"
        sender = client_id if role == "client" else therapist_id
        if kind == "crisis":
            category, body = "emergency", rnd.choice(CRISIS_LINES)
        elif kind == "emergency_mismatch":
            category, body = "emergency", rnd.choice(CLIENT_LINES[1:4])
        else:
            category = rnd.choice(
                ("check_in", "administrative", "administrative", "check_in", "emergency")
                if rnd.random() < 0.05
                else ("check_in", "administrative")
            )
            body = rnd.choice(CLIENT_LINES if role == "client" else THERAPIST_LINES)
        override = rnd.choice(overrides) if kind == "override" else ""
        visible = status in Message.VISIBLE_TO_RECIPIENT
        delivered = at if visible else None
        age = (now - at).total_seconds()
        read = None
        if visible and not (age < 2 * 86400 and rnd.random() < 0.5):
            read = at + timedelta(minutes=5 + rnd.random() * 600)
            read = min(read, now)
        crisis_resources = CRISIS_RESOURCES if category == "emergency" else ""
        auto_reply = AFTER_HOURS_REPLY if kind == "after_hours" and role == "client" else ""
        reasons_json = json.dumps(reasons)
        mbuf.write(
            "\t".join(
                (
                    str(mid),
                    str(tid),
                    str(sender),
                    role,
                    "message",
                    category,
                    "portal",
                    rnd.choice(pools[body]),
                    override,
                    status,
                    reasons_json,
                    _esc(crisis_resources),
                    _esc(auto_reply),
                    str(version_id) if version_id else nulls,
                    at.isoformat(),
                    nulls,
                    nulls,
                    nulls,
                    delivered.isoformat() if delivered else nulls,
                    read.isoformat() if read else nulls,
                )
            )
            + "\n"
        )
        data = canonical_data(
            {
                "outcome": status,
                "reasons": reasons,
                "kind": "message",
                "category": category,
                "channel": "portal",
            }
        )
        seq += 1
        row = {
            "id": eid,
            "practice_id": pid,
            "seq": seq,
            "prev_hash": prev,
            "at": at,
            "actor_id": sender,
            "actor_role": role,
            "action": "contact.decided",
            "therapist_id": therapist_id,
            "client_id": client_id,
            "object_type": "message",
            "object_id": mid,
            "data": data,
        }
        h = event_hash(row)
        ebuf.write(
            "\t".join(
                (
                    str(eid),
                    str(pid),
                    str(seq),
                    prev,
                    h,
                    at.isoformat(),
                    str(sender),
                    role,
                    "contact.decided",
                    str(therapist_id),
                    str(client_id),
                    "message",
                    str(mid),
                    _esc(data),
                )
            )
            + "\n"
        )
        prev = h
        if kind is not None:
            exceptions_left -= 1
            reviewed = age > 14 * 86400 and rnd.random() < 0.9
            xbuf.write(
                "\t".join(
                    (
                        str(xid),
                        str(pid),
                        str(eid),
                        str(therapist_id),
                        str(client_id),
                        str(mid),
                        kind,
                        at.isoformat(),
                        reasons_json,
                        "t" if reviewed else "f",
                        (at + timedelta(days=3)).isoformat() if reviewed else nulls,
                        str(admin_id) if reviewed else nulls,
                        review_note if reviewed else "",
                    )
                )
                + "\n"
            )
            xid += 1
            counts["exceptions"] += 1
        if kind == "crisis":
            last_crisis[tid] = at
            alerts.append((tid, mid, therapist_id, at))
        mid += 1
        eid += 1
        counts["messages"] += 1
        counts["events"] += 1
        if (n + 1) % COPY_CHUNK == 0:
            flush()
            _log(f"{n + 1:,} messages")
    flush()
    copier.close()
    ChainHead.objects.filter(practice_id=pid).update(seq=seq, head_hash=prev)
    from messaging.models import CrisisAlert

    CrisisAlert.objects.bulk_create(
        [
            CrisisAlert(
                thread_id=t,
                message_id=m,
                therapist_id=th,
                raised_at=at,
                due_at=at + timedelta(minutes=30),
                acknowledged_at=at + timedelta(minutes=12),
                acknowledged_by_id=th,
            )
            for t, m, th, at in alerts
        ],
        batch_size=2000,
    )
    if last_crisis:
        with connection.cursor() as cur:
            rows = ", ".join(["(%s, %s::timestamptz)"] * len(last_crisis))
            cur.execute(
                f"UPDATE messaging_thread SET last_crisis_at = v.at FROM (VALUES {rows}) AS v (id, at) "
                "WHERE messaging_thread.id = v.id",
                [x for kv in last_crisis.items() for x in kv],
            )
    with connection.cursor() as cur:
        for table, _model in (("messaging_message", Message), ("audit_auditevent", AuditEvent)):
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
            )
        cur.execute(
            "SELECT setval(pg_get_serial_sequence('audit_boundaryexception', 'id'), "
            "(SELECT max(id) FROM audit_boundaryexception))"
        )
    meta.update(counts)


def _sample_sends(meta: dict) -> None:
    """A few hundred sends through the one send path, now: whatever the policies decide."""
    from messaging.models import Thread
    from messaging.services.send import message_send
    from portal.errors import DomainError

    rnd = random.Random(16)
    threads = list(
        Thread.objects.filter(client_id__in=meta["sample_client_ids"]).select_related("client", "therapist")
    )
    for i in range(SAMPLE_SENDS):
        th = threads[i % len(threads)]
        as_client = rnd.random() < 0.6
        sender = th.client if as_client else th.therapist
        body = rnd.choice(CLIENT_LINES if as_client else THERAPIST_LINES)
        with contextlib.suppress(DomainError):
            message_send(
                sender=sender, thread=th, category=rnd.choice(["check_in", "administrative"]), body=body
            )
