"""portal.db.insert stores exactly the row the ORM would (encrypted text, JSON, times)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.forms.models import model_to_dict
from django.utils import timezone

from audit.chain import build_event
from messaging.models import Message
from portal.db import insert
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


def test_insert_stores_what_save_stores(consented_client, thread):
    for make in _rows(thread, consented_client):
        by_orm, by_insert = make(), make()
        by_orm.save(force_insert=True)
        insert(by_insert)
        assert by_insert.pk is not None and by_insert.pk != by_orm.pk and not by_insert._state.adding
        model = type(by_orm)
        a, b = model.objects.get(pk=by_orm.pk), model.objects.get(pk=by_insert.pk)
        skip = {"id", "created_at", "at"}  # each made its own timestamp
        assert {k: v for k, v in model_to_dict(a).items() if k not in skip} == {
            k: v for k, v in model_to_dict(b).items() if k not in skip}


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
