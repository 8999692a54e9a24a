"""The send's one hand-written statement (messaging.send_sql), on PostgreSQL: the rows it writes
are the ORM path's column for column, a failure in any part of it leaves nothing, its audit
events seal and verify like any other, and values are parameters (a `%` is just a character).

The measurement that keeps it is in its docstring and the commit that brought it back.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import DataError, connection, transaction
from django.forms.models import model_to_dict
from django.utils import timezone

from audit.chain import seal, verify
from audit.models import AuditEvent
from messaging import recorder, send_sql
from messaging.models import Message
from messaging.services.send import message_send
from portal.crypto import decrypt
from portal.models import OutboxItem

pytestmark = pytest.mark.django_db

UTC = UTC
MON_10 = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _postgresql_only(db):
    if connection.vendor != "postgresql":
        pytest.skip("the hand-written statement runs on PostgreSQL only (SQLite keeps the ORM path)")


def _send(client, thread, body, *, orm: bool, monkeypatch):
    with monkeypatch.context() as m:
        if orm:
            m.setattr(send_sql, "applies", lambda **kwargs: False)
        return message_send(
            sender=client, thread=thread, category="administrative", channel="portal", body=body, now=MON_10
        ).message


def _rows(message: Message) -> tuple[dict, dict, dict]:
    """Every stored column of the message, its outbox row and its audit event, but their ids."""

    def stored(model, **filters):
        row = dict(model.objects.filter(**filters).values().get())
        row.pop("id")
        return row

    m = stored(Message, pk=message.pk)
    o = stored(OutboxItem, payload__message_id=message.pk)
    e = stored(AuditEvent, object_type="message", object_id=message.pk)
    assert o["payload"] == {"message_id": message.pk} and e["object_id"] == message.pk
    o["payload"], e["object_id"] = "<the message>", "<the message>"
    return m, o, e


def test_the_statement_writes_the_orm_paths_rows_column_for_column(consented_client, thread, monkeypatch):
    started = timezone.now()
    by_orm = _send(consented_client, thread, "About my invoice", orm=True, monkeypatch=monkeypatch)
    by_sql = _send(consented_client, thread, "About my invoice", orm=False, monkeypatch=monkeypatch)
    ended = timezone.now()
    assert by_sql.pk > by_orm.pk
    sql_rows, orm_rows = _rows(by_sql), _rows(by_orm)
    # The outbox row's created_at is its field's default (the clock when it was built): each
    # its own, between the two sends' start and end; every other column is the same.
    for _, outbox_row, _ in (sql_rows, orm_rows):
        assert started <= outbox_row.pop("created_at") <= ended
    assert sql_rows == orm_rows
    # The saved instance is the stored row, as after save().
    assert model_to_dict(by_sql) == model_to_dict(Message.objects.get(pk=by_sql.pk))
    with connection.cursor() as cur:
        cur.execute("SELECT body FROM messaging_message WHERE id = %s", [by_sql.pk])
        [raw] = cur.fetchone()
    assert "invoice" not in raw and decrypt(raw) == "About my invoice"  # encrypted at rest, by its field


def test_the_send_writes_its_three_rows_in_one_statement(consented_client, thread):
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        message = message_send(
            sender=consented_client,
            thread=thread,
            category="administrative",
            channel="portal",
            body="Hi",
            now=MON_10,
        ).message
    writes = [q["sql"] for q in ctx.captured_queries if "INSERT" in q["sql"]]
    assert len(writes) == 1 and writes[0].startswith("WITH m AS"), writes
    assert OutboxItem.objects.filter(payload__message_id=message.pk, task="contact.decided").count() == 1


def test_a_failure_in_any_part_of_it_writes_nothing(consented_client, thread):
    contact = recorder.decided(
        thread=thread,
        sender=consented_client,
        role="client",
        kind="message",
        channel="portal",
        body="Hello",
        override_reason="",
        version_id=None,
        decision=message_send(
            sender=consented_client,
            thread=thread,
            category="administrative",
            channel="portal",
            body="first",
            now=MON_10,
        ).decision,
        at=MON_10,
        now=MON_10,
        minutes=None,
    )
    contact.action = "x" * 61  # the audit event's action is a varchar(60): its INSERT, the last, fails
    before = (Message.objects.count(), OutboxItem.objects.count(), AuditEvent.objects.count())
    with pytest.raises(DataError), transaction.atomic():
        recorder.record_contacts([contact])
    assert (Message.objects.count(), OutboxItem.objects.count(), AuditEvent.objects.count()) == before
    assert contact.message.pk is None and contact.message._state.adding


def test_its_events_are_sealed_and_verified_like_any_other(consented_client, thread, monkeypatch):
    sent = [
        _send(consented_client, thread, f"Question {i}", orm=i == 1, monkeypatch=monkeypatch)
        for i in range(3)
    ]
    assert seal(thread.practice_id) >= 3
    events = AuditEvent.objects.filter(object_type="message", object_id__in=[m.pk for m in sent])
    assert events.count() == 3 and not events.filter(seq__isnull=True).exists()
    assert verify(thread.practice_id).ok


def test_values_are_parameters_a_percent_sign_is_a_character(consented_client, thread):
    body = "100% sure: %s %(name)s %% '); DROP TABLE messaging_message; --"
    message = message_send(
        sender=consented_client,
        thread=thread,
        category="administrative",
        channel="portal",
        body=body,
        now=MON_10,
    ).message
    assert Message.objects.get(pk=message.pk).body == body
