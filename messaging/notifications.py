"""Outbox handlers of messaging. Run inside a transaction with the outbox row locked, so a
task delivered twice notifies once. Texts say only that something is waiting."""

from __future__ import annotations

from portal.models import OutboxItem, User
from portal.notify import Notice, notify, notify_many
from portal.outbox import batch_handler, handler

from .models import CallBooking, CrisisAlert, Message

NEW_MESSAGE = "You have a new message in your portal."


def _recipient(m: Message) -> User:
    return m.thread.client if m.sender_id == m.thread.therapist_id else m.thread.therapist


def _messages(items: list[OutboxItem]) -> list[tuple[Message, OutboxItem]]:
    by_id = {item.payload["message_id"]: item for item in items}
    rows = Message.objects.select_related("thread__client", "thread__therapist").filter(pk__in=by_id).only(
        "id", "status", "sender_id", "thread__client", "thread__therapist", "thread__id")
    return [(m, by_id[m.pk]) for m in rows]


@batch_handler("contact.decided")
def contacts_decided(items: list[OutboxItem]) -> None:
    notices = []
    for m, item in _messages(items):
        if m.status not in Message.VISIBLE_TO_RECIPIENT:
            continue
        url = f"/messages/threads/{m.thread_id}/"
        if m.status == Message.Status.ESCALATED:
            notices.append(Notice(m.thread.therapist, "crisis", "Urgent: a client needs your attention now.", url, item))
        else:
            notices.append(Notice(_recipient(m), "message", NEW_MESSAGE, url, item))
    notify_many(notices)


@batch_handler("contact.released")
def contacts_released(items: list[OutboxItem]) -> None:
    notices = []
    for m, item in _messages(items):
        url = f"/messages/threads/{m.thread_id}/"
        if m.status == Message.Status.DELIVERED:
            notices.append(Notice(_recipient(m), "message", NEW_MESSAGE, url, item))
        elif m.status == Message.Status.CANCELLED and m.sender_id:
            sender = m.thread.client if m.sender_id == m.thread.client_id else m.thread.therapist
            notices.append(Notice(sender, "undelivered", "A message you sent could not be delivered. See your portal.",
                                  url, item))
    notify_many(notices)


@handler("crisis.escalated")
def crisis_escalated(item: OutboxItem) -> None:
    alert = CrisisAlert.objects.select_related("thread").filter(pk=item.payload["alert_id"]).first()
    if alert is None or alert.acknowledged_at is not None:
        return
    for admin in User.objects.filter(practice_id=alert.thread.practice_id, is_practice_admin=True, is_active=True):
        notify(user=admin, kind="crisis", text="Urgent: a crisis alert has not been acknowledged.",
               url="/practice/", item=item)


@handler("call.changed")
def call_changed(item: OutboxItem) -> None:
    call = CallBooking.objects.select_related("thread__client").filter(pk=item.payload["call_id"]).first()
    if call is not None:
        notify(user=call.thread.client, kind="call", text="An appointment request has an update in your portal.",
               url=f"/messages/threads/{call.thread_id}/", item=item)


@handler("call.reminder")
def call_reminder(item: OutboxItem) -> None:
    call = CallBooking.objects.select_related("thread__client", "thread__therapist").filter(
        pk=item.payload["call_id"]).first()
    if call is None or call.status != CallBooking.Status.CONFIRMED:
        return
    for user in (call.thread.client, call.thread.therapist):
        notify(user=user, kind="call", text="Reminder: you have an appointment soon. Details are in your portal.",
               url=f"/messages/threads/{call.thread_id}/", item=item)
