"""What a consent's withdrawal withdraws on messaging's side: the held messages and the calls
still to come. Called by `messaging.receivers` when consent sends `consent_revoked` (consent
does not import messaging), inside the revocation's transaction."""

from __future__ import annotations

from django.utils import timezone

from audit.chain import record
from consent.models import Consent
from portal.locks import lock_rows
from portal.models import User
from portal.outbox import enqueue

from ..models import CallBooking, Message


def pending_withdraw(*, consent: Consent, client: User) -> tuple[int, int]:
    """What was waiting on the consent goes with it (CONTRACT "Consent"): held messages on the
    client's thread are cancelled (reason `consent_revoked`) and upcoming calls are declined,
    so the page never promises a delivery or a call that the policy would now refuse. Each is
    audited and its people told through the outbox. Returns (messages cancelled, calls
    declined).

    Runs in the caller's transaction, with the thread and consent locked already
    (`consent.services.consent_revoke`): these rows come after them (portal.locks)."""
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
    return len(held), len(calls)
