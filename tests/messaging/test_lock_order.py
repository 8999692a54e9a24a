"""Row locks are taken in one order by every path (portal.locks: user, then thread, then
consent, then the rows that hang off them): the locks each transaction takes, read from the SQL
it sends, and every lock taken through portal.locks. Two paths meeting on the same rows, on
real connections, are in test_lock_waits.py. PostgreSQL only."""

from __future__ import annotations

import copy
import re
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection

from consent.models import Consent
from messaging.models import CrisisAlert, Thread
from policies import services as policy_services
from tests.conftest import GOOD_RULES, next_weekday, onboard_client, publish_policy, sign_consent

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks are PostgreSQL's; SQLite queues writers"
    ),
    pytest.mark.django_db(transaction=True),
]


# --- every path: the locks each transaction takes, read from the SQL it sends ---------------

_LOCK_CLAUSE = re.compile(r"\bFOR (?:NO KEY )?UPDATE(?: OF (?P<of>.+?))?(?: NOWAIT| SKIP LOCKED)?\s*$", re.S)
_TABLE = re.compile(
    r'\b(?:FROM|JOIN)\s+"?(?P<table>\w+)"?(?:\s+(?:AS\s+)?(?P<alias>(?!WHERE|ON|LEFT|INNER|JOIN|'
    r"LIMIT|ORDER|FOR)\w+))?",
    re.I,
)
_UPDATE = re.compile(r'^\s*UPDATE\s+"?(?P<table>\w+)"?', re.I)


def _locked_tables(sql: str) -> list[str]:
    """The tables whose rows one statement locks, in the order it takes them."""
    update = _UPDATE.match(sql)
    if update:
        return [update["table"]]
    clause = _LOCK_CLAUSE.search(sql)
    if clause is None:
        return []
    tables, aliases = [], {}
    for m in _TABLE.finditer(sql[: clause.start()]):
        tables.append(m["table"])
        aliases[m["alias"] or m["table"]] = m["table"]
        aliases[m["table"]] = m["table"]
    if clause["of"] is None:
        return tables
    return [aliases[name.strip().strip('"')] for name in clause["of"].split(",")]


class _LockRecorder:
    def __init__(self):
        with connection.cursor() as cur:
            cur.execute("SELECT name, statement FROM pg_prepared_statements")
            self.prepared = {
                name: re.sub(r"^PREPARE \w+ AS ", "", text, flags=re.I) for name, text in cur.fetchall()
            }
        self.paths: dict[str, list[str]] = {}
        self.current: str | None = None

    def __call__(self, execute, sql, params, many, context):
        prepare = re.match(r"PREPARE (\w+) AS (.*)", sql, re.S)
        if prepare:
            self.prepared[prepare[1]] = prepare[2]
        named = re.match(r"EXECUTE (\w+)", sql)
        text = self.prepared.get(named[1], sql) if named else sql
        if self.current is not None and not prepare:
            self.paths[self.current].extend(_locked_tables(text))
        return execute(sql, params, many, context)

    def path(self, name: str, run):
        self.current, self.paths[name] = name, []
        try:
            return run()
        finally:
            self.current = None


def test_every_path_locks_users_then_threads_then_consents_then_the_rest(therapist, admin, settings):
    """Each service is one transaction: the tables it locks (SELECT ... FOR UPDATE, and the
    rows an UPDATE takes) must never step back in portal.locks' order."""
    from django.apps import apps

    from audit.models import BoundaryException
    from audit.services import exception_review
    from consent.services import consent_revoke
    from messaging.services import alerts, calls, care, release, reminders, send
    from policies.services import policy_draft_save
    from portal import onboarding
    from portal.locks import rank
    from portal.models import User
    from portal.outbox import relay
    from tests.factories import PASSWORD

    settings.PORTAL_OUTBOX_DISPATCH_ON_COMMIT = False  # the outbox runs as a path of its own
    publish_policy(therapist)
    client, thread = onboard_client(therapist)
    sign_consent(client)
    client.refresh_from_db()
    monday_10, saturday_23 = next_weekday(0, 10), next_weekday(5, 23)
    if saturday_23 > monday_10:
        saturday_23 -= timedelta(days=7)
    rank_of = {model._meta.db_table: rank(model) for model in apps.get_models()}

    rec = _LockRecorder()
    with connection.execute_wrapper(rec):
        draft = rec.path(
            "policy_draft_save",
            lambda: policy_draft_save(therapist=therapist, rules=copy.deepcopy(GOOD_RULES)),
        )
        rec.path("policy_publish", lambda: policy_services.policy_publish(version=draft, actor=therapist))
        rec.path("consent_sign", lambda: sign_consent(client))
        rec.path(
            "message_send (client)",
            lambda: send.message_send(
                sender=client, thread=thread.pk, category="emergency", body="Please call me"
            ),
        )
        rec.path(
            "message_send (therapist)",
            lambda: send.message_send(
                sender=therapist, thread=thread.pk, category="emergency", body="I will call at noon"
            ),
        )
        blocked = rec.path(
            "message_send (blocked)",
            lambda: send.message_send(
                sender=client, thread=thread.pk, category="personal", body="Coffee sometime?"
            ),
        )
        held = rec.path(
            "message_send (held)",
            lambda: send.message_send(
                sender=client, thread=thread.pk, category="administrative", body="Billing", now=saturday_23
            ),
        )
        other_held = send.message_send(
            sender=client, thread=thread.pk, category="administrative", body="Forms", now=saturday_23
        )
        rec.path("message_cancel", lambda: send.message_cancel(sender=client, message=other_held.message))
        rec.path("release_held_messages", lambda: release.release_held_messages(now=monday_10))
        booked = rec.path(
            "call_request",
            lambda: calls.call_request(
                sender=client,
                thread=thread,
                start=monday_10 + timedelta(minutes=30),
                minutes=15,
                channel="phone",
                now=monday_10,
            ),
        )
        rec.path("call_confirm", lambda: calls.call_confirm(therapist=therapist, call=booked.call))
        rec.path("send_call_reminders", lambda: reminders.send_call_reminders(now=monday_10))
        rec.path(
            "contact_log",
            lambda: send.contact_log(
                therapist=therapist,
                thread=thread,
                category="emergency",
                channel="phone",
                at=datetime.now(UTC),
                note="Crisis call at night",
            ),
        )
        crisis = rec.path(
            "message_send (crisis)",
            lambda: send.message_send(
                sender=client, thread=thread.pk, category="check_in", body="I want to kill myself"
            ),
        )
        rec.path(
            "crisis_alert_acknowledge",
            lambda: alerts.crisis_alert_acknowledge(
                therapist=therapist, alert=CrisisAlert.objects.get(message=crisis.message)
            ),
        )
        send.message_send(sender=client, thread=thread.pk, category="check_in", body="I want to kill myself")
        rec.path(
            "sweep_crisis_alerts", lambda: alerts.sweep_crisis_alerts(now=monday_10 + timedelta(days=30))
        )
        exc = BoundaryException.objects.filter(message_id=blocked.message.pk).first()
        assert exc is not None
        rec.path("exception_review", lambda: exception_review(admin=admin, exception_id=exc.pk, note="Seen"))
        rec.path("care_end", lambda: care.care_end(therapist=therapist, thread=thread, note="Referred on."))
        rec.path("care_reopen", lambda: care.care_reopen(therapist=therapist, thread=thread))
        rec.path(
            "consent_revoke",
            lambda: consent_revoke(
                consent=Consent.objects.get(client=client, status="active"), client=client, reason="moving on"
            ),
        )
        inv, token = rec.path(
            "invitation_create",
            lambda: onboarding.invitation_create(
                therapist=therapist, email="sam@example.test", full_name="Sam Lee"
            ),
        )
        token = rec.path(
            "invitation_resend", lambda: onboarding.invitation_resend(invitation=inv, therapist=therapist)
        )
        rec.path("invitation_accept", lambda: onboarding.invitation_accept(token=token, password=PASSWORD))
        inv2, _ = onboarding.invitation_create(
            therapist=therapist, email="kim@example.test", full_name="Kim Roe"
        )
        rec.path(
            "invitation_cancel", lambda: onboarding.invitation_cancel(invitation=inv2, therapist=therapist)
        )
        rec.path("outbox relay", relay)

    assert blocked.decision.outcome == "blocked" and held.decision.outcome == "held"
    assert exc is not None and crisis.decision.outcome == "escalated"
    out_of_order = []
    for name, tables in rec.paths.items():
        held_tables, highest = set(), 0
        for table in tables:
            if table in held_tables:
                continue
            if rank_of[table] < highest:
                out_of_order.append(f"{name}: {table} after {tables}")
            highest = max(highest, rank_of[table])
            held_tables.add(table)
    assert not out_of_order, out_of_order
    # The recorder does see the locks: the paths that must lock did.
    assert rec.paths["call_request"][:3] == [
        User._meta.db_table,
        Thread._meta.db_table,
        Consent._meta.db_table,
    ]
    assert rec.paths["policy_publish"][:3] == [
        User._meta.db_table,
        Thread._meta.db_table,
        Consent._meta.db_table,
    ]
    assert Thread._meta.db_table in rec.paths["release_held_messages"]


def test_rows_are_locked_only_through_portal_locks():
    """A new path cannot take a lock of its own making: select_for_update is called in
    portal/locks.py alone, and nothing writes FOR UPDATE by hand."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    elsewhere = []
    for app in ("portal", "messaging", "policies", "audit"):
        for path in (root / app).rglob("*.py"):
            rel = path.relative_to(root).as_posix()
            if rel == "portal/locks.py" or "/migrations/" in rel:
                continue
            for number, line in enumerate(path.read_text().splitlines(), 1):
                code = line.split("#", 1)[0]
                if ".select_for_update(" in code or re.search(r"\bFOR (NO KEY )?UPDATE\b", code):
                    elsewhere.append(f"{rel}:{number}: {line.strip()}")
    assert not elsewhere, elsewhere
