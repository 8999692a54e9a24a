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

The practice's make-up is `large_practice_data`, the sample `large_practice_sample`, the
volume `large_practice_volume`; this module orders them and keeps the seed table.
"""

from __future__ import annotations

import json
import time

from .large_practice_data import PASSWORD, SCALE, _log
from .large_practice_sample import _sample_sends, _seed_sample
from .large_practice_volume import _seed_volume

__all__ = ["SCALE", "SEED_TABLE", "SEED_VERSION", "recorded", "seed"]

SEED_VERSION = 1
SEED_TABLE = "bench_pages_seed"


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
