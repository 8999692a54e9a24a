"""What practice admins do to the audit log: review exceptions, read a body under break-glass."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from portal.errors import DomainError, NotFound

from .chain import record
from .models import BoundaryException


class ReviewInvalid(DomainError):
    """The review needs a note."""


def exception_review(*, admin, exception_id: int, note: str) -> BoundaryException:
    if not (note or "").strip():
        raise ReviewInvalid("Write a short note about your review.", field="note")
    with transaction.atomic():
        exc = BoundaryException.objects.select_for_update().filter(pk=exception_id,
                                                                   practice_id=admin.practice_id).first()
        if exc is None:
            raise NotFound("No such exception.")
        exc.reviewed, exc.reviewed_at, exc.reviewed_by, exc.review_note = True, timezone.now(), admin, note.strip()
        exc.save(update_fields=["reviewed", "reviewed_at", "reviewed_by", "review_note"])
        record(practice_id=admin.practice_id, action="exception.reviewed", actor=admin,
               therapist_id=exc.therapist_id, client_id=exc.client_id, obj=exc, data={"kind": exc.kind})
    return exc
