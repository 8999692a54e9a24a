"""Unread counts and mark_read read the partial index of unread messages, not the thread's
whole history (issue: the poll scanned every thread's messages)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection

from messaging import selectors
from messaging.models import Message
from messaging.services.reading import mark_read

START = datetime(2026, 11, 2, 15, 0, tzinfo=UTC)


def seed(thread, sender, n, *, read):
    return Message.objects.bulk_create(
        Message(
            thread=thread,
            sender=sender,
            sender_role="client",
            kind="message",
            category="check_in",
            channel="portal",
            body="x",
            status="delivered",
            created_at=START + timedelta(minutes=i),
            delivered_at=START,
            read_at=START if read else None,
        )
        for i in range(n)
    )


@pytest.mark.django_db
def test_mark_read_touches_only_unread_rows(therapist, consented_client):
    thread = consented_client.thread
    old = seed(thread, consented_client, 3, read=True)
    seed(thread, consented_client, 2, read=False)
    assert selectors.unread_count(therapist) == 2
    assert mark_read(thread, therapist) == 2
    assert selectors.unread_count(therapist) == 0
    assert set(Message.objects.filter(pk__in=[m.pk for m in old]).values_list("read_at", flat=True)) == {
        START
    }


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the query plan is PostgreSQL's")
@pytest.mark.django_db
def test_unread_queries_can_use_the_partial_index(therapist, consented_client):
    thread = consented_client.thread
    seed(thread, consented_client, 2000, read=True)
    seed(thread, consented_client, 1, read=False)
    count_qs = Message.objects.filter(
        selectors.unread_filter(therapist), thread__in=selectors.threads_for(therapist).values("pk")
    )
    mark_qs = thread.messages.filter(selectors.unread_filter(therapist))
    with connection.cursor() as cur:
        # With statistics, the plan is the one production sees: a thread of 2,000 read messages and
        # one unread (without them the planner may pick the thread's index for a table it thinks tiny).
        cur.execute(f"ANALYZE {Message._meta.db_table}")
        cur.execute("SET LOCAL enable_seqscan = off")
        for qs in (count_qs, mark_qs):
            sql, params = qs.query.sql_with_params()
            cur.execute("EXPLAIN " + sql, params)
            plan = "\n".join(r[0] for r in cur.fetchall())
            assert "message_unread_idx" in plan, plan
