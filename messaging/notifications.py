"""Outbox handlers of messaging. Run inside a transaction with the outbox row locked, so a
task delivered twice notifies once. Texts say only that something is waiting."""

from __future__ import annotations

from typing import NamedTuple

from portal.models import OutboxItem, User
from portal.notify import Notice, notice_url, notify, notify_many
from portal.outbox import batch_handler, handler

from .models import CallBooking, CrisisAlert, Message

NEW_MESSAGE = "You have a new message in your portal."


class _Decided(NamedTuple):
    """What a notice about a message needs: ids, no model instances."""

    id: int
    status: str
    sender_id: int | None
    thread_id: int
    client_id: int
    therapist_id: int

    @property
    def recipient_id(self) -> int:
        return self.client_id if self.sender_id == self.therapist_id else self.therapist_id


def _messages(items: list[OutboxItem]) -> list[tuple[_Decided, OutboxItem]]:
    by_id = {item.payload["message_id"]: item for item in items}
    rows = Message.objects.filter(pk__in=by_id).values_list(
        "id", "status", "sender_id", "thread_id", "thread__client_id", "thread__therapist_id"
    )
    return [(m, by_id[m.id]) for m in map(_Decided._make, rows)]


@batch_handler("contact.decided")
def contacts_decided(items: list[OutboxItem]) -> None:
    notices = []
    for m, item in _messages(items):
        if m.status not in Message.VISIBLE_TO_RECIPIENT:
            continue
        url = notice_url("messaging:thread", m.thread_id)
        if m.status == Message.Status.ESCALATED:
            notices.append(
                Notice(m.therapist_id, "crisis", "Urgent: a client needs your attention now.", url, item)
            )
        else:
            notices.append(Notice(m.recipient_id, "message", NEW_MESSAGE, url, item))
    notify_many(notices)


@batch_handler("contact.released")
def contacts_released(items: list[OutboxItem]) -> None:
    notices = []
    for m, item in _messages(items):
        url = notice_url("messaging:thread", m.thread_id)
        if m.status == Message.Status.DELIVERED:
            notices.append(Notice(m.recipient_id, "message", NEW_MESSAGE, url, item))
        elif m.status == Message.Status.CANCELLED and m.sender_id:
            notices.append(
                Notice(
                    m.sender_id,
                    "undelivered",
                    "A message you sent could not be delivered. See your portal.",
                    url,
                    item,
                )
            )
    notify_many(notices)


@handler("crisis.escalated")
def crisis_escalated(item: OutboxItem) -> None:
    alert = CrisisAlert.objects.select_related("thread").filter(pk=item.payload["alert_id"]).first()
    if alert is None or alert.acknowledged_at is not None:
        return
    for admin in User.objects.filter(
        practice_id=alert.thread.practice_id, is_practice_admin=True, is_active=True
    ):
        notify(
            user=admin,
            kind="crisis",
            text="Urgent: a crisis alert has not been acknowledged.",
            url=notice_url("practice:dashboard"),
            item=item,
        )


@handler("call.changed")
def call_changed(item: OutboxItem) -> None:
    call = CallBooking.objects.select_related("thread__client").filter(pk=item.payload["call_id"]).first()
    if call is not None:
        notify(
            user=call.thread.client,
            kind="call",
            text="An appointment request has an update in your portal.",
            url=notice_url("messaging:thread", call.thread_id),
            item=item,
        )


@handler("call.reminder")
def call_reminder(item: OutboxItem) -> None:
    call = (
        CallBooking.objects.select_related("thread__client", "thread__therapist")
        .filter(pk=item.payload["call_id"])
        .first()
    )
    if call is None or call.status != CallBooking.Status.CONFIRMED:
        return
    for user in (call.thread.client, call.thread.therapist):
        notify(
            user=user,
            kind="call",
            text="Reminder: you have an appointment soon. Details are in your portal.",
            url=notice_url("messaging:thread", call.thread_id),
            item=item,
        )
