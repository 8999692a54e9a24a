"""Reads of consents that several doors share."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q, QuerySet

from messaging.models import CallBooking, Message
from portal import roles

from .models import Consent


def latest_consent(client_id: int) -> Consent | None:
    """The client's last signed consent, whatever its status, with its version."""
    return Consent.objects.filter(client_id=client_id).select_related("policy_version").first()


def consents_visible_to(user) -> QuerySet[Consent]:
    """A client sees their own; a therapist their clients'; an admin their practice's."""
    qs = Consent.objects.select_related("policy_version")
    if roles.is_client(user):
        return qs.filter(client=user)
    q = Q(pk__in=[])
    if roles.is_therapist(user):
        q |= Q(therapist=user)
    if roles.is_practice_admin(user):
        q |= Q(practice_id=user.practice_id)
    return qs.filter(q)


def visible_consent(user, pk: int) -> Consent | None:
    """One consent for its receipt and revoke pages: the client's own, or a therapist's client's."""
    qs = Consent.objects.select_related("policy_version", "client", "therapist")
    if roles.is_client(user):
        qs = qs.filter(client=user)
    elif roles.is_therapist(user):
        qs = qs.filter(therapist=user)
    else:
        return None
    return qs.filter(pk=pk).first()


def pending_at_withdrawal(client, at: datetime) -> tuple[int, int]:
    """What withdrawing consent would end (the revoke page's confirm step): the client's held
    messages and their booked calls not yet over at `at`."""
    held = Message.objects.filter(thread__client=client, status=Message.Status.HELD).count()
    calls = CallBooking.objects.filter(
        thread__client=client, status__in=CallBooking.ACTIVE_STATUSES, end__gte=at
    ).count()
    return held, calls
