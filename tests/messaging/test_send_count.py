"""The week's count by hand (messaging.send_sql.count_sent), on PostgreSQL: the ORM's count on
every filter it has (thread, the client's sends only, the category, the counted statuses, the
window's two ends), capped at the limit the same way, in one statement with every value a
parameter. SQLite takes the ORM's count itself (tested there by the send and simulator tests)."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from messaging import selectors, send_sql
from messaging.models import Message
from tests.conftest import onboard_client, sign_consent
from tests.messaging.send_api_helpers import past_message

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _postgresql_only(db):
    if connection.vendor != "postgresql":
        pytest.skip("the hand-written count runs on PostgreSQL only (SQLite keeps the ORM's)")


def _orm(monkeypatch, *args, **kwargs) -> int:
    with monkeypatch.context() as m:
        m.setattr(send_sql, "counts_here", lambda: False)
        return selectors.sent_since(*args, **kwargs)


@pytest.fixture
def busy(consented_client, therapist):
    """Two threads, each with client and therapist messages of every status and two
    categories, an hour apart over ten days."""
    other, _ = onboard_client(therapist, email="other@alpha.test")
    sign_consent(other)
    other.refresh_from_db()
    now = timezone.now()
    rows = []
    statuses = ["delivered", "held", "delivered_with_exception", "blocked", "cancelled", "escalated"]
    for client in (consented_client, other):
        thread = client.thread
        for i, (status, category, role) in enumerate(
            itertools.product(statuses, ["check_in", "administrative"], ["client", "therapist"])
        ):
            for hours in range(0, 240, 9):
                rows.append(
                    past_message(
                        thread,
                        sender=client if role == "client" else therapist,
                        role=role,
                        status=status,
                        category=category,
                        at=now - timedelta(hours=hours, minutes=i),
                    )
                )
    Message.objects.bulk_create(rows)
    return now, consented_client.thread, other.thread


def test_the_same_count_as_the_orms_on_every_filter(busy, monkeypatch):
    now, thread, other = busy
    compared = 0
    for t in (thread, other):
        for category in ("check_in", "administrative", "emergency"):
            for days in (0.5, 3, 7, 12):
                since = now - timedelta(days=days)
                for until in (None, now - timedelta(days=1), now - timedelta(hours=30)):
                    for limit in (1, 5, 40, 1000):
                        hand = selectors.sent_since(t.pk, category, since, limit, until=until)
                        orm = _orm(monkeypatch, t.pk, category, since, limit, until=until)
                        assert hand == orm, (t.pk, category, days, until, limit)
                        compared += 1 if orm else 0
    assert compared > 100  # most of the combinations count something


def test_it_counts_up_to_the_limit(busy):
    now, thread, _ = busy
    full = selectors.sent_since(thread.pk, "check_in", now - timedelta(days=7), 10_000)
    assert full > 20
    assert selectors.sent_since(thread.pk, "check_in", now - timedelta(days=7), 20) == 20
    assert selectors.sent_since(thread.pk, "check_in", now - timedelta(days=7), full + 1) == full


def test_one_statement_every_value_a_parameter(busy):
    now, thread, _ = busy
    with CaptureQueriesContext(connection) as ctx:
        selectors.sent_since(thread.pk, "check_in", now - timedelta(days=7), 3)
    [query] = ctx.captured_queries
    sql = query["sql"]
    assert sql.startswith('SELECT COUNT(*) FROM (SELECT 1 FROM "messaging_message" WHERE ')
    assert sql.endswith(' LIMIT 3) AS "sent"')
    assert "'check_in'" in sql and "'client'" in sql  # passed as parameters, quoted by psycopg2
