"""E-mail and dashboard notices. They say only that something is waiting in the portal:
no clinical content, and a subject and sender that do not reveal therapy."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from .models import Notification, OutboxItem, User


def build_email(*, to: str, template: str, context: dict | None = None) -> EmailMultiAlternatives:
    """Render templates/emails/<template>_subject.txt, .txt and .html into one e-mail."""
    ctx = {"base_url": settings.PORTAL_BASE_URL, **(context or {})}
    subject = render_to_string(f"emails/{template}_subject.txt", ctx).strip()
    text = render_to_string(f"emails/{template}.txt", ctx)
    html = render_to_string(f"emails/{template}.html", ctx)
    msg = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [to])
    msg.attach_alternative(html, "text/html")
    return msg


def send_email(*, to: str, template: str, context: dict | None = None) -> None:
    deliver([build_email(to=to, template=template, context=context)])


# E-mails made while outbox rows are carried out are held until all of that work has
# succeeded (`emails_held`): a batch that rolls back because a later row failed reruns each
# row on its own, and an e-mail sent before the rollback would go out a second time.
_held: ContextVar[list[EmailMessage] | None] = ContextVar("portal_notify_held_emails", default=None)


def deliver(messages: list[EmailMessage]) -> None:
    """Send these e-mails over one connection, or hold them if an `emails_held` block is open."""
    held = _held.get()
    if held is not None:
        held.extend(messages)
    elif messages:
        get_connection().send_messages(messages)


@contextmanager
def emails_held() -> Iterator[None]:
    """Hold every e-mail `deliver` is given inside the block, and send them (over one
    connection) when the block ends without an exception; if it raises, none is sent.

    The outbox wraps a transaction's work in it and leaves only the row's done mark and the
    COMMIT after the send: a failing SMTP server raises there, the work rolls back and the
    row stays pending for a retry (an e-mail may then go out twice only if that COMMIT
    fails, never because another row of the batch did). Nested blocks join the outer one."""
    if _held.get() is not None:
        yield
        return
    held: list[EmailMessage] = []
    token = _held.set(held)
    try:
        yield
    finally:
        _held.reset(token)
    deliver(held)


# Kinds whose e-mails are coalesced: one e-mail says "something is waiting", however many
# messages arrive, until the user has read their notices or this much time has passed.
COALESCED_KINDS = {"message"}
COALESCE_WINDOW = timedelta(minutes=15)


@dataclass(frozen=True)
class Notice:
    user_id: int
    kind: str
    text: str
    url: str = ""
    item: OutboxItem | None = None  # the outbox row that made it, if any


def notify(
    *, user: User, kind: str, text: str, url: str = "", item: OutboxItem | None = None, email: bool = True
) -> None:
    """A dashboard notice, plus a neutral e-mail unless `email` is False."""
    notify_many([Notice(user.pk, kind, text, url, item)], email=email)


def notify_many(notices: list[Notice], *, email: bool = True) -> None:
    """Dashboard notices and their e-mails: one INSERT for the notices, one query for the
    coalescing, the e-mails over one connection. Outbox handlers call it with their rows
    locked and not yet done, so a row never has a notice already; the unique constraint
    (user, outbox_item) makes that certain."""
    if not notices:
        return
    users = {n.user_id for n in notices if n.kind in COALESCED_KINDS}
    told = (
        set(
            Notification.objects.filter(
                user_id__in=users,
                kind__in=COALESCED_KINDS,
                read_at__isnull=True,
                created_at__gte=timezone.now() - COALESCE_WINDOW,
            ).values_list("user_id", "kind")
        )
        if users and email
        else set()
    )
    Notification.objects.bulk_create(
        [
            Notification(user_id=n.user_id, kind=n.kind, text=n.text, url=n.url, outbox_item=n.item)
            for n in notices
        ]
    )
    if not email:
        return
    to_mail = []
    for n in notices:
        if n.kind in COALESCED_KINDS:  # crisis alerts, consent and call notices are always e-mailed
            if (n.user_id, n.kind) in told:
                continue
            told.add((n.user_id, n.kind))  # one e-mail per person for the whole batch
        to_mail.append(n)
    if not to_mail:
        return
    # Only the people e-mailed are read, for their address (a busy therapist's stream of
    # messages is mostly coalesced: no e-mail, no read).
    address = dict(User.objects.filter(pk__in={n.user_id for n in to_mail}).values_list("pk", "email"))
    deliver(
        [
            build_email(to=address[n.user_id], template="portal_notice", context={"url": n.url})
            for n in to_mail
        ]
    )


def notice_url(view_name: str, *args) -> str:
    """The link of a notice about a page, by the page's URL name and arguments (never a
    literal path: urls.py may move the page, the link and `notices_seen` follow it)."""
    return reverse(view_name, args=args)


def notices_seen(
    *, user: User, view_name: str | None = None, args: tuple = (), url: str | None = None
) -> int:
    """Mark the user's unread notices that point at this page as read: they have seen it.
    The page is named by URL name and arguments, as `notice_url` built the links, or by
    `url` when that is the request's own path (`request.path`), never a path written out."""
    if url is None:
        if view_name is None:
            raise TypeError("notices_seen needs the page's view_name (and args) or its url")
        url = notice_url(view_name, *args)
    return Notification.objects.filter(user=user, url=url, read_at__isnull=True).update(
        read_at=timezone.now()
    )
