"""The thread page's list of refused attempts reads the partial index of blocked messages, not
the thread's whole history (issue 15: on a 20,000-message thread that read took 44 ms)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection

from messaging import selectors
from messaging.models import Message

START = datetime(2026, 11, 2, 15, 0, tzinfo=UTC)


def seed(thread, sender, n, *, status):
    return Message.objects.bulk_create(
        Message(
            thread=thread,
            sender=sender,
            sender_role="therapist" if sender.pk == thread.therapist_id else "client",
            kind="message",
            category="check_in",
            channel="portal",
            body="x",
            status=status,
            created_at=START + timedelta(minutes=i),
            delivered_at=START if status == "delivered" else None,
        )
        for i in range(n)
    )


@pytest.mark.django_db
def test_refused_attempts_are_the_viewers_blocked_messages_newest_first(therapist, consented_client):
    thread = consented_client.thread
    seed(thread, therapist, 5, status="delivered")
    mine = seed(thread, consented_client, 3, status="blocked")
    seed(thread, therapist, 2, status="blocked")
    assert [m.pk for m in selectors.refused_attempts(thread, consented_client)] == [m.pk for m in mine][::-1]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the query plan is PostgreSQL's")
@pytest.mark.django_db
def test_refused_attempts_can_use_the_partial_index(therapist, consented_client):
    thread = consented_client.thread
    seed(thread, therapist, 2000, status="delivered")
    seed(thread, consented_client, 2000, status="delivered")
    seed(thread, therapist, 1, status="blocked")
    qs = thread.messages.filter(sender=therapist, status=Message.Status.BLOCKED).order_by(
        "-created_at", "-id"
    )[: selectors.MAX_ATTEMPTS]
    assert [m.status for m in selectors.refused_attempts(thread, therapist)] == ["blocked"]
    with connection.cursor() as cur:
        # With statistics, as production plans it (see test_unread_index.py).
        cur.execute(f"ANALYZE {Message._meta.db_table}")
        cur.execute("SET LOCAL enable_seqscan = off")
        sql, params = qs.query.sql_with_params()
        cur.execute("EXPLAIN " + sql, params)
        plan = "\n".join(r[0] for r in cur.fetchall())
    assert "message_refused_idx" in plan, plan
