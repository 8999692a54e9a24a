"""Reads of the audit log, always scoped to one practice."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import BoundaryException

MAX_LIMIT = 1000


def exceptions_for(practice_id: int, *, kind: str | None = None, therapist: int | None = None,
                   client: int | None = None, since=None, until=None, reviewed: bool | None = None,
                   before: int | None = None) -> QuerySet[BoundaryException]:
    """Newest first, keyset-paged by id (`before`): every filter is served by an index
    that starts with the practice and ends with the id."""
    qs = BoundaryException.objects.filter(practice_id=practice_id)
    if kind:
        qs = qs.filter(kind=kind)
    if therapist is not None:
        qs = qs.filter(therapist_id=therapist)
    if client is not None:
        qs = qs.filter(client_id=client)
    if since is not None:
        qs = qs.filter(at__gte=since)
    if until is not None:
        qs = qs.filter(at__lt=until)
    if reviewed is not None:
        qs = qs.filter(reviewed=reviewed)
    if before is not None:
        qs = qs.filter(id__lt=before)
    return qs.order_by("-id")
