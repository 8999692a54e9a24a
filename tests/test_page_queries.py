"""Statements per page do not grow with the practice (issue 15).

Every page the pages benchmark (bench/pages.py) times, and the API reads it times, run the
same number of SQL statements for a practice of 5 clients with a few messages each and for
one of 40 clients whose first thread is much longer: a page that loops over the data with a
query per row shows up here as a count that differs. (The counts themselves are free to
change; that they do not depend on the data is the contract.)
"""

from __future__ import annotations

import copy
from typing import cast

import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext

from audit.models import BoundaryException
from consent.models import Consent
from messaging.services.send import message_send
from portal.models import Practice, User
from tests.conftest import GOOD_RULES, onboard_client, publish_policy, sign_consent
from tests.factories import AdminFactory, PracticeFactory, TherapistFactory

pytestmark = pytest.mark.django_db

# Open at every hour, so that what a send does never depends on when the test runs.
RULES = copy.deepcopy(GOOD_RULES)
RULES["categories"]["administrative"].pop("windows")
RULES["categories"]["check_in"].pop("windows")
RULES["categories"]["check_in"]["max_per_week"] = 100
RULES.pop("pause_after_crisis")


def _practice(tag: str, clients: int, long_thread: int) -> dict:
    """A practice made through the services: an admin, a therapist, `clients` consenting
    clients with a short conversation each (and a refused personal request, so the audit
    pages have exceptions), a pending invitation; the first thread `long_thread` messages more."""
    from portal.onboarding import invitation_create

    # The factories make the model of their Meta (factory_boy ships no types).
    practice = cast(Practice, PracticeFactory(name=f"Practice {tag}"))
    admin = cast(User, AdminFactory(practice=practice, email=f"admin@{tag}.test", full_name=f"Admin {tag}"))
    therapist = cast(User, TherapistFactory(practice=practice, email=f"t@{tag}.test", full_name=f"Dr {tag}"))
    publish_policy(therapist, RULES)
    threads = []
    for i in range(clients):
        client, thread = onboard_client(therapist, email=f"c{i}@{tag}.test", full_name=f"Client {tag} {i}")
        sign_consent(client)
        thread.refresh_from_db()
        threads.append(thread)
        message_send(sender=client, thread=thread, category="administrative", body="Can we move Thursday?")
        message_send(sender=therapist, thread=thread, category="administrative", body="Yes, 15:00 works.")
        message_send(sender=client, thread=thread, category="check_in", body="Sleeping a little better.")
        message_send(sender=client, thread=thread, category="personal", body="Coffee on Sunday?")
    for n in range(long_thread):
        sender = threads[0].client if n % 2 else therapist
        message_send(
            sender=sender, thread=threads[0], category="check_in", body=f"Message {n} of a long thread."
        )
    invitation_create(therapist=therapist, email=f"pending@{tag}.test", full_name="Pending Person")
    first = threads[0]
    return {
        "admin": admin,
        "therapist": therapist,
        "client": first.client,
        "thread": first,
        "consent": Consent.objects.filter(client=first.client).latest("signed_at"),
        "exception": BoundaryException.objects.filter(practice_id=practice.pk).order_by("-id").first(),
    }


def _pages(p: dict) -> list[tuple[str, str, str]]:
    """(name, who, path): the names bench/pages.py gives them."""
    t = p["thread"].pk
    filters = f"kind=blocked&therapist={p['therapist'].pk}&reviewed=no"
    return [
        ("client_home", "client", "/messages/me/"),
        ("client_thread", "client", f"/messages/threads/{t}/"),
        ("client_poll", "client", f"/messages/poll/?thread={t}"),
        ("client_consent", "client", "/consent/"),
        ("client_consent_receipt", "client", f"/consent/{p['consent'].pk}/receipt/"),
        ("client_export", "client", "/api/v1/me/export"),
        ("therapist_dashboard", "therapist", "/messages/therapist/"),
        ("therapist_poll", "therapist", "/messages/poll/?alerts=1"),
        ("therapist_thread", "therapist", f"/messages/threads/{t}/"),
        ("therapist_poll_thread", "therapist", f"/messages/poll/?thread={t}&alerts=1"),
        ("therapist_clients", "therapist", "/consent/clients/"),
        ("policy_editor", "therapist", "/policy/"),
        ("policy_preview", "therapist", "/policy/preview/"),
        ("policy_simulator", "therapist", "/policy/simulator/"),
        ("policy_history", "therapist", "/policy/history/"),
        ("admin_dashboard", "admin", "/practice/"),
        ("admin_exceptions", "admin", "/audit/exceptions/"),
        ("admin_exceptions_kind", "admin", "/audit/exceptions/?kind=blocked"),
        ("admin_exceptions_filtered", "admin", f"/audit/exceptions/?{filters}"),
        ("admin_exceptions_client", "admin", f"/audit/exceptions/?client={p['client'].pk}"),
        ("admin_exception_detail", "admin", f"/audit/exceptions/{p['exception'].pk}/"),
        ("admin_verify", "admin", "/audit/verify/"),
        ("admin_export_csv", "admin", "/audit/exceptions/export.csv"),
        ("admin_dashboard_52w", "admin", "/practice/?weeks=52"),
        ("admin_events", "admin", "/audit/events/"),
        (
            "admin_events_filtered",
            "admin",
            f"/audit/events/?therapist={p['therapist'].pk}&action=contact.decided",
        ),
        ("admin_events_export_csv", "admin", "/audit/events/export.csv"),
        ("api_threads", "therapist", "/api/v1/threads"),
        ("api_messages", "therapist", f"/api/v1/threads/{t}/messages"),
        ("api_exceptions", "admin", "/api/v1/audit/exceptions"),
        ("api_exceptions_filtered", "admin", f"/api/v1/audit/exceptions?{filters.replace('=no', '=false')}"),
        ("api_verify", "admin", "/api/v1/audit/verify"),
    ]


def _writes_session(sql: str) -> bool:
    head = sql.lstrip().upper()
    return "DJANGO_SESSION" in head and head.startswith(("UPDATE", "INSERT", "DELETE"))


def _counts(p: dict) -> dict[str, tuple[int, int, bool]]:
    """Statements of each page's second request (the first one warms the session: its
    last-login and session writes are the log-in's, not the page's), its status, and whether
    it wrote the session (the activity stamp is rewritten at most once a minute)."""
    browsers = {}
    for who in ("client", "therapist", "admin"):
        browsers[who] = Client()
        browsers[who].force_login(p[who])
    out = {}
    for name, who, path in _pages(p):
        b = browsers[who]
        headers = {"X-Portal-Poll": "1"} if "poll" in name else None  # sent as HTTP_X_PORTAL_POLL
        first = b.get(path, headers=headers)
        if isinstance(first, StreamingHttpResponse):
            b"".join(first.streaming_content)
        with CaptureQueriesContext(connection) as ctx:
            resp = b.get(path, headers=headers)
            # A streamed CSV reads its rows while it streams: count those too.
            if isinstance(resp, StreamingHttpResponse):
                b"".join(resp.streaming_content)
        writes = any(_writes_session(q["sql"]) for q in ctx.captured_queries)
        out[name] = (len(ctx.captured_queries), resp.status_code, writes)
    return out


# The audit pages' statements on PostgreSQL, each request as the test client makes it (the
# session's read, the user, the notices count are in every one; no session save): held as they
# are, so a page that gains a statement says so here. The dashboard's counts are cached
# under the data's version (audit.charts): its second request reads the version and the
# names, not the counts. The verify page, in the steady state (nothing unsealed, the head at
# the latest checkpoint), takes no lock and signs nothing (audit.checkpoints).
AUDIT_STATEMENTS = {
    "admin_dashboard": 6,
    "admin_dashboard_52w": 6,
    "admin_exceptions": 4,
    "admin_exceptions_kind": 4,
    "admin_exceptions_filtered": 5,
    "admin_exceptions_client": 5,
    "admin_exception_detail": 7,
    "admin_verify": 10,
    "admin_export_csv": 7,
    "admin_events": 5,
    "admin_events_filtered": 6,
    "admin_events_export_csv": 5,
    "api_exceptions": 6,
    "api_exceptions_filtered": 6,
    "api_verify": 11,
}


def test_statements_per_page_do_not_grow_with_the_practice(monkeypatch):
    # The pages are counted, not the clock: on a slow machine the two practices' pages take
    # more than the activity step, and a stale stamp is rewritten (its own test is
    # tests/portal/test_session_activity_step.py). Here it never goes stale.
    from portal import security

    monkeypatch.setattr(security, "ACTIVITY_STEP", 24 * 3600)
    small = _counts(_practice("small", clients=5, long_thread=0))
    big = _counts(_practice("big", clients=40, long_thread=60))
    assert {name: status for name, (_, status, _w) in small.items()} == dict.fromkeys(small, 200)
    assert {name: status for name, (_, status, _w) in big.items()} == dict.fromkeys(big, 200)
    # A page seconds after the last one leaves the session as it is (portal.security.ACTIVITY_STEP).
    assert [name for name, (_, _s, writes) in {**small, **big}.items() if writes] == []
    grows = {name: (small[name][0], big[name][0]) for name in small if small[name][0] != big[name][0]}
    assert grows == {}, f"statements (5 clients, 40 clients) differ: {grows}"
    if connection.vendor == "postgresql":
        assert {name: big[name][0] for name in AUDIT_STATEMENTS} == AUDIT_STATEMENTS
