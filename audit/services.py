"""What practice admins do to the audit log: review exceptions, read a body under break-glass."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from portal.errors import DomainError, NotFound
from portal.locks import lock_rows

from .chain import record
from .models import BoundaryException, BreakGlassRead


class ReviewInvalid(DomainError):
    """The review needs a note."""


class BreakGlassInvalid(DomainError):
    """A break-glass read needs a reason, and a message to read."""


REASON_MAX_CHARS = 2000


def exception_review(*, admin, exception_id: int, note: str) -> BoundaryException:
    if not (note or "").strip():
        raise ReviewInvalid("Write a short note about your review.", field="note")
    with transaction.atomic():
        exc = (
            lock_rows(BoundaryException.objects.all())
            .filter(pk=exception_id, practice_id=admin.practice_id)
            .first()
        )
        if exc is None:
            raise NotFound("No such exception.")
        exc.reviewed, exc.reviewed_at, exc.reviewed_by, exc.review_note = (
            True,
            timezone.now(),
            admin,
            note.strip(),
        )
        exc.save(update_fields=["reviewed", "reviewed_at", "reviewed_by", "review_note"])
        record(
            practice_id=admin.practice_id,
            action="exception.reviewed",
            actor=admin,
            therapist_id=exc.therapist_id,
            client_id=exc.client_id,
            obj=exc,
            data={"kind": exc.kind},
        )
    return exc


def message_break_glass_read(*, admin, exception_id: int, reason: str) -> BreakGlassRead:
    """An admin reads the message body behind a boundary exception: the reason they give is
    required and kept encrypted beside the audit event (never in its plain `data`), and the
    therapist gets a notice that links to it. The caller shows `read.message.body`."""
    from django.urls import reverse

    from messaging.models import Message
    from portal.notify import notify

    reason = (reason or "").strip()
    if not reason:
        raise BreakGlassInvalid(
            "Say why you need to read this message: it is recorded and the therapist is told.", field="reason"
        )
    if len(reason) > REASON_MAX_CHARS:
        raise BreakGlassInvalid(f"Keep the reason under {REASON_MAX_CHARS} characters.", field="reason")
    with transaction.atomic():
        exc = BoundaryException.objects.filter(pk=exception_id, practice_id=admin.practice_id).first()
        if exc is None:
            raise NotFound("No such exception.")
        message = (
            Message.objects.filter(pk=exc.message_id, thread__practice_id=admin.practice_id).first()
            if exc.message_id is not None
            else None
        )
        if message is None:
            raise BreakGlassInvalid("This exception has no message to read.")
        event = record(
            practice_id=admin.practice_id,
            action="audit.break_glass_read",
            actor=admin,
            therapist_id=exc.therapist_id,
            client_id=exc.client_id,
            obj=message,
            data={"exception_id": exc.pk},
        )
        read = BreakGlassRead.objects.create(
            event=event,
            practice_id=admin.practice_id,
            exception=exc,
            admin=admin,
            therapist_id=exc.therapist_id,
            message=message,
            at=event.at,
            reason=reason,
        )
        notify(
            user=exc.therapist,
            kind="break_glass",
            email=False,
            url=reverse("audit:break_glass_notice", args=[read.pk]),
            text=f"A practice admin ({admin.full_name[:80]}) read a message on one of your threads. "
            "Open this notice for the reason they gave.",
        )
    read.message = message
    return read


def audit_export_recorded(*, admin, what: str, filters: dict) -> None:
    """An admin's download of the exceptions or events CSV, itself an audit event (`what` is
    "exceptions" or "events"; the filters as typed, which name people by id, never health data)."""
    if what not in ("exceptions", "events"):
        raise ValueError(what)
    record(
        practice_id=admin.practice_id,
        action=f"audit.{what}_exported",
        actor=admin,
        data={k: str(v) for k, v in filters.items() if v is not None},
    )
