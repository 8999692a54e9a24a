"""Messaging's half of a consent's withdrawal (consent.signals; consent does not import
messaging): what a revocation withdraws, and the count the revoke page shows before it."""

from __future__ import annotations

from datetime import datetime

from django.dispatch import receiver
from django.utils import timezone

from audit.chain import record
from consent.models import Consent
from consent.signals import consent_revoked
from portal.locks import lock_rows
from portal.models import User
from portal.outbox import enqueue

from .models import CallBooking, Message


@receiver(consent_revoked, sender=Consent, dispatch_uid="messaging.withdraw_pending")
def withdraw_pending(*, consent: Consent, client: User, **_kwargs) -> None:
    """What was waiting on the consent goes with it (CONTRACT "Consent"): held messages on the
    client's thread are cancelled (reason `consent_revoked`) and upcoming calls are declined,
    so the page never promises a delivery or a call that the policy would now refuse. The
    thread and consent are locked already (consent_revoke); these rows come after them
    (portal.locks)."""
    held = list(
        lock_rows(Message.objects.filter(thread__client=client, status=Message.Status.HELD)).order_by("id")
    )
    for m in held:
        m.status, m.reasons = Message.Status.CANCELLED, ["consent_revoked"]
        m.save(update_fields=["status", "reasons"])
        record(
            practice_id=consent.practice_id,
            action="contact.cancelled",
            actor=client,
            therapist_id=consent.therapist_id,
            client_id=client.pk,
            obj=m,
            data={"outcome": "cancelled", "by": "consent_revoked"},
        )
        enqueue("contact.released", message_id=m.pk)  # its sender is told, as after a release
    calls = list(
        lock_rows(
            CallBooking.objects.filter(
                thread__client=client, status__in=CallBooking.ACTIVE_STATUSES, end__gte=timezone.now()
            )
        ).order_by("id")
    )
    for c in calls:
        c.status = CallBooking.Status.DECLINED
        c.save(update_fields=["status"])
        record(
            practice_id=consent.practice_id,
            action="call.declined",
            actor=client,
            therapist_id=consent.therapist_id,
            client_id=client.pk,
            obj=c,
            data={"by": "consent_revoked"},
        )
        enqueue("call.changed", call_id=c.pk)


def pending_at_withdrawal(client: User, at: datetime) -> tuple[int, int]:
    """What withdrawing consent would end (the revoke page's confirm step): the client's held
    messages and their booked calls not yet over at `at`. Registered with
    consent.selectors.register_withdrawal_reader in messaging.apps."""
    held = Message.objects.filter(thread__client=client, status=Message.Status.HELD).count()
    calls = CallBooking.objects.filter(
        thread__client=client, status__in=CallBooking.ACTIVE_STATUSES, end__gte=at
    ).count()
    return held, calls
