"""Messaging's half of a consent's withdrawal (consent.signals; consent does not import
messaging): what a revocation withdraws, and the count the revoke page shows before it."""

from __future__ import annotations

from datetime import datetime

from django.dispatch import receiver

from consent.models import Consent
from consent.signals import consent_revoked
from portal.models import User

from .models import CallBooking, Message
from .services import withdrawal


@receiver(consent_revoked, sender=Consent, dispatch_uid="messaging.withdraw_pending")
def withdraw_pending(*, consent: Consent, client: User, **_kwargs) -> None:
    """A revocation cancels the client's held messages and declines their calls to come: the
    work is the service `messaging.services.withdrawal.pending_withdraw`, in the revocation's
    transaction (the signal is sent inside it)."""
    withdrawal.pending_withdraw(consent=consent, client=client)


def pending_at_withdrawal(client: User, at: datetime) -> tuple[int, int]:
    """What withdrawing consent would end (the revoke page's confirm step): the client's held
    messages and their booked calls not yet over at `at`. Registered with
    consent.selectors.register_withdrawal_reader in messaging.apps."""
    held = Message.objects.filter(thread__client=client, status=Message.Status.HELD).count()
    calls = CallBooking.objects.filter(
        thread__client=client, status__in=CallBooking.ACTIVE_STATUSES, end__gte=at
    ).count()
    return held, calls
