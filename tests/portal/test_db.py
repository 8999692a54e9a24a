"""portal.db.insert and insert_many store exactly the rows the ORM would (encrypted text,
JSON, times); next_id_sql reserves an id that the insert then uses."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.forms.models import model_to_dict
from django.utils import timezone

from audit.chain import build_event
from messaging.models import Message
from django.test.utils import CaptureQueriesContext

from portal.db import execute, insert, insert_many, next_id_sql
from portal.models import OutboxItem

pytestmark = pytest.mark.django_db


NOW = timezone.now()


def _message(thread, client, now=NOW):
    return Message(thread=thread, sender=client, sender_role="client", kind="message", category="administrative",
                   channel="portal", body="Zoë — « ça va ? » 😊 <b>bold</b>", status="held",
                   reasons=["outside_hours"], crisis_resources="Call 988.", auto_reply="", created_at=now,
                   deliver_at=now + timedelta(hours=3), policy_version_id=thread.consent.policy_version_id)


def _rows(thread, client):
    return [
        lambda: _message(thread, client),
        lambda: build_event(practice_id=thread.practice_id, action="contact.decided", actor=client,
                            therapist_id=thread.therapist_id, client_id=client.pk,
                            data={"outcome": "held", "reasons": ["outside_hours"]}),
        lambda: OutboxItem(task="contact.decided", payload={"message_id": 7}),
    ]


def _same_row(a, b):
    model = type(a)
    a, b = model.objects.get(pk=a.pk), model.objects.get(pk=b.pk)
    skip = {"id", "created_at", "at"}  # each made its own timestamp
    return {k: v for k, v in model_to_dict(a).items() if k not in skip} == {
        k: v for k, v in model_to_dict(b).items() if k not in skip}


def test_insert_stores_what_save_stores(consented_client, thread):
    for make in _rows(thread, consented_client):
        by_orm, by_insert = make(), make()
        by_orm.save(force_insert=True)
        insert(by_insert)
        assert by_insert.pk is not None and by_insert.pk != by_orm.pk and not by_insert._state.adding
        assert _same_row(by_orm, by_insert)


def test_the_message_body_is_stored_encrypted(consented_client, thread):
    message = insert(_message(thread, consented_client))
    with connection.cursor() as cur:
        cur.execute("SELECT body FROM messaging_message WHERE id = %s", [message.pk])
        stored = cur.fetchone()[0]
    assert "Zoë" not in stored and "<b>" not in stored
    assert Message.objects.get(pk=message.pk).body == message.body


def test_without_insert_returning_it_falls_back_to_save(monkeypatch):
    calls = []
    monkeypatch.setattr(connection.features, "can_return_columns_from_insert", False)
    monkeypatch.setattr(OutboxItem, "save", lambda self, **kw: calls.append(kw))
    item = OutboxItem(task="contact.decided", payload={"message_id": 1})
    assert insert(item) is item and calls == [{"force_insert": True}]


def test_insert_many_stores_what_save_stores_in_one_statement_on_postgresql(consented_client, thread):
    makers = _rows(thread, consented_client)
    by_orm = [make() for make in makers]
    for obj in by_orm:
        obj.save(force_insert=True)
    rows = [make() for make in makers]
    with CaptureQueriesContext(connection) as ctx:
        insert_many(rows)
    # PostgreSQL: one EXECUTE (after the PREPARE, the first time on this connection).
    executed = [q["sql"] for q in ctx.captured_queries if not q["sql"].startswith("PREPARE")]
    assert len(executed) == (1 if connection.vendor == "postgresql" else len(rows)), executed
    for a, b in zip(by_orm, rows):
        assert b.pk is not None and b.pk != a.pk and not b._state.adding
        assert _same_row(a, b)


def test_a_reserved_id_is_the_id_the_row_gets(consented_client, thread):
    sql = next_id_sql(Message)
    if connection.vendor != "postgresql":
        assert sql is None  # SQLite: the message is inserted first, for its id
        return
    with connection.cursor() as cur:
        cur.execute(f"SELECT {sql}")
        reserved = cur.fetchone()[0]
    message = _message(thread, consented_client)
    message.pk = reserved
    event = build_event(practice_id=thread.practice_id, action="contact.decided", actor=consented_client,
                        obj=message, data={})
    item = OutboxItem(task="contact.decided", payload={"message_id": message.pk})
    insert_many([message, event, item])
    assert message.pk == reserved and Message.objects.get(pk=reserved).body == message.body
    assert event.object_id == reserved and OutboxItem.objects.get(pk=item.pk).payload == {"message_id": reserved}
    # The sequence moved past the reserved id: the next message made by the ORM gets another.
    later = _message(thread, consented_client)
    later.save(force_insert=True)
    assert later.pk > reserved


@pytest.mark.django_db(transaction=True)
def test_a_statement_is_prepared_once_per_connection_and_outlives_a_rollback():
    from django.db import transaction

    sql = "SELECT CAST(%s AS INTEGER) + CAST(%s AS INTEGER)"
    if connection.vendor != "postgresql":
        with connection.cursor() as cur:
            execute(cur, sql, [1, 2])
            assert cur.fetchone()[0] == 3
        return

    def run(a, b):
        with CaptureQueriesContext(connection) as ctx, connection.cursor() as cur:
            execute(cur, sql, [a, b])
            result = cur.fetchone()[0]
        return result, [q["sql"].split()[0] for q in ctx.captured_queries]

    connection.close()
    assert run(1, 2) == (3, ["PREPARE", "EXECUTE"])
    assert run(5, 6) == (11, ["EXECUTE"])
    try:  # a failed transaction does not take the prepared statement with it
        with transaction.atomic():
            assert run(2, 2)[0] == 4
            raise RuntimeError
    except RuntimeError:
        pass
    assert run(3, 3) == (6, ["EXECUTE"])
    connection.close()  # a new connection has nothing prepared: it prepares again
    assert run(4, 4) == (8, ["PREPARE", "EXECUTE"])
