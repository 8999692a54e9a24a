"""Reads of consents that several doors share."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from django.db.models import Q, QuerySet

from portal import roles
from portal.models import User

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


# What a withdrawal would end lives in messaging, which builds on consent: it hands its reader
# over in its AppConfig.ready (messaging.receivers.pending_at_withdrawal), as it hands the
# simulator its history reader (policies.simulate.register_history_reader).
WithdrawalReader = Callable[[User, datetime], tuple[int, int]]
_withdrawal_reader: WithdrawalReader | None = None


def register_withdrawal_reader(reader: WithdrawalReader) -> None:
    global _withdrawal_reader
    _withdrawal_reader = reader


def pending_at_withdrawal(client: User, at: datetime) -> tuple[int, int]:
    """What withdrawing consent would end (the revoke page's confirm step): the client's held
    messages and their booked calls not yet over at `at`; nothing when no app registered a
    reader."""
    return _withdrawal_reader(client, at) if _withdrawal_reader is not None else (0, 0)


def clients_with_consent(therapist: User) -> QuerySet[User]:
    """The therapist's clients for the clients page: each client with their thread (messaging's,
    named through the client), its consent and the consent's version, in one query that reads
    only the columns the page shows (never a version's text or rules)."""
    return (
        User.objects.filter(thread__therapist=therapist)
        .select_related("thread__consent__policy_version")
        .only(
            "id",
            "full_name",
            "thread__id",
            "thread__client",
            "thread__consent",
            "thread__consent__status",
            "thread__consent__grace_until",
            "thread__consent__policy_version",
            "thread__consent__policy_version__version",
        )
    )
