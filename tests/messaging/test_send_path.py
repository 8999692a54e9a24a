"""The send's locked read by hand (messaging.send_sql.lock_thread_and_consent), on PostgreSQL:
the same statement as the ORM's portal.locks.lock_thread_and_consent, the same instances
field by field, the same two rows locked, and None where the ORM's finds nothing. SQLite
takes the ORM's read itself (tested there by every send test)."""

from __future__ import annotations

import re

import psycopg2
import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from consent.models import Consent
from messaging import send_sql
from messaging.models import Thread
from messaging.services.send import _lock_thread
from portal import locks

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _postgresql_only(db):
    if connection.vendor != "postgresql":
        pytest.skip("the hand-written read runs on PostgreSQL only (SQLite keeps the ORM's)")


def _values(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in type(instance)._meta.concrete_fields}


def _both(thread_id: int):
    """The ORM's locked read and the hand-written one, each with the SQL it sent."""
    with transaction.atomic(), CaptureQueriesContext(connection) as orm_sql:
        orm = locks.lock_thread_and_consent(thread_id)
    with transaction.atomic(), CaptureQueriesContext(connection) as hand_sql:
        hand = send_sql.lock_thread_and_consent(thread_id)
    return orm, hand, orm_sql.captured_queries, hand_sql.captured_queries


def test_the_instances_are_the_orms_field_by_field(thread):
    # Every kind of column: encrypted text on both models (decrypted on the way out), JSON,
    # datetimes, foreign keys, nulls.
    now = timezone.now()
    Thread.objects.filter(pk=thread.pk).update(
        care_end_note="Referred on: 50% better", last_crisis_at=now, last_auto_reply_at=now
    )
    Consent.objects.filter(pk=thread.consent_id).update(
        revocation_reason="moving away", ip_address="203.0.113.9", user_agent="Firefox"
    )
    orm, hand, _, _ = _both(thread.pk)
    assert orm is not None and hand is not None
    assert _values(hand) == _values(orm)
    assert _values(hand.consent) == _values(orm.consent)
    assert hand.care_end_note == "Referred on: 50% better"
    assert hand.consent.revocation_reason == "moving away"
    assert hand.consent.channels == orm.consent.channels and isinstance(hand.consent.channels, list)
    for instance in (hand, hand.consent):
        assert instance._state.adding is False and instance._state.db == "default"
    with CaptureQueriesContext(connection) as later:
        assert hand.consent.pk == hand.consent_id  # loaded with the thread: no query
    assert not later.captured_queries


def test_it_is_the_orms_statement(thread):
    _, _, orm_sql, hand_sql = _both(thread.pk)
    [orm], [hand] = (
        [q["sql"] for q in queries if q["sql"].startswith("SELECT")] for queries in (orm_sql, hand_sql)
    )

    def columns(sql: str) -> str:
        return re.match(r"SELECT (.*?) FROM ", sql, re.S)[1]  # type: ignore[index]

    assert columns(hand) == columns(orm)
    assert 'FROM "messaging_thread" INNER JOIN "policies_consent" ON' in hand
    lock = 'FOR NO KEY UPDATE OF "messaging_thread", "policies_consent"'
    assert hand.endswith(lock) and orm.endswith(lock), (hand, orm)
    assert f'WHERE "messaging_thread"."id" = {thread.pk} ' in hand  # the id is the one parameter


def test_none_where_the_orms_finds_nothing(thread):
    Thread.objects.filter(pk=thread.pk).update(consent=None)
    orm, hand, _, _ = _both(thread.pk)
    assert orm is None and hand is None
    orm, hand, _, _ = _both(thread.pk + 999)
    assert orm is None and hand is None
    # The send then locks the thread alone, as before.
    with transaction.atomic():
        locked = _lock_thread(thread.pk)
    assert locked is not None and locked.pk == thread.pk and locked.consent is None


@pytest.mark.django_db(transaction=True)
def test_both_rows_stay_locked_until_the_transaction_ends(thread):
    settings = connection.settings_dict
    other = psycopg2.connect(
        dbname=settings["NAME"],
        user=settings["USER"],
        password=settings["PASSWORD"],
        host=settings["HOST"],
        port=settings["PORT"] or 5432,
    )
    try:
        cur = other.cursor()

        def lockable(table: str, pk: int) -> bool:
            try:
                cur.execute(f"SELECT id FROM {table} WHERE id = %s FOR UPDATE NOWAIT", [pk])  # noqa: S608
            except psycopg2.errors.LockNotAvailable:
                other.rollback()
                return False
            other.rollback()
            return True

        with transaction.atomic():
            locked = send_sql.lock_thread_and_consent(thread.pk)
            assert locked is not None
            assert not lockable("messaging_thread", thread.pk)
            assert not lockable("policies_consent", thread.consent_id)
        assert lockable("messaging_thread", thread.pk)
        assert lockable("policies_consent", thread.consent_id)
    finally:
        other.close()
