"""Consents: the verbs that change them (sign, revoke with its effects, re-consent, and the
supersession a new policy version brings, with its grace period)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import cast

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from audit.chain import record
from policies.models import PolicyVersion
from policies.selectors import allowed_channels, current_version
from policies.vocabulary import CHANNELS
from portal.errors import Conflict, DomainError
from portal.locks import lock_consent, lock_consents, lock_thread, lock_threads, rerun_on_conflict
from portal.models import Notification, User
from portal.outbox import enqueue

from .models import Consent
from .signals import consent_revoked


class ConsentInvalid(DomainError):
    """The consent form is not complete."""


class StaleVersion(Conflict):
    """The policy changed while you were reading it."""


def consents_lock_for_publish(*, therapist_id: int, at: datetime) -> list[int]:
    """Publishing's step 3 (portal.locks): the therapist's consents it will change, those
    active and those still in a grace period. Called with the therapist and their threads
    locked, before the version (policies.signals.version_publishing)."""
    return lock_consents(
        Q(status=Consent.Status.ACTIVE) | Q(status=Consent.Status.SUPERSEDED, grace_until__gt=at),
        therapist_id=therapist_id,
    )


def consents_supersede(*, version: PolicyVersion, actor: User, at: datetime) -> int:
    """A new version is published (policies.signals.version_published): every active consent
    to the therapist's earlier version is superseded and keeps governing for the new
    version's `reconsent_grace_days`; its client is asked to review and re-consent. A consent
    already in its grace period is now two versions behind and stops governing. Returns how
    many consents were superseded."""
    now = at
    consents = Consent.objects.filter(therapist_id=version.therapist_id)
    # Consents already in their grace period are now two versions behind: they stop governing.
    consents.filter(status=Consent.Status.SUPERSEDED, grace_until__gt=now).update(grace_until=now)
    grace_until = now + timedelta(days=version.rules.get("reconsent_grace_days", 14))
    active = list(consents.filter(status=Consent.Status.ACTIVE).order_by("pk").values_list("pk", "client_id"))
    consents.filter(pk__in=[pk for pk, _ in active]).update(
        status=Consent.Status.SUPERSEDED, superseded_at=now, grace_until=grace_until
    )
    for consent_id, client_id in active:
        record(
            practice_id=version.practice_id,
            action="consent.superseded",
            actor=actor,
            therapist_id=version.therapist_id,
            client_id=client_id,
            obj=Consent(pk=consent_id),
            data={"new_version": version.version, "grace_until": grace_until.isoformat()},
        )
        enqueue("consent.review_requested", consent_id=consent_id, version_id=version.pk)
    return len(active)


def check_consent_form(
    *, client: User, version: PolicyVersion, signature: str, channels: list[str], acknowledged: bool
) -> list[str]:
    if acknowledged is not True:
        raise ConsentInvalid(
            "Tick the box to confirm you have read and understood the policy.", field="acknowledged"
        )
    if signature.strip().casefold() != client.full_name.strip().casefold():
        raise ConsentInvalid(
            "Type your full name exactly as it appears on your invitation.", field="signature"
        )
    offered = allowed_channels(version.rules)
    wanted: list[str] = []
    for ch in channels:
        if ch not in CHANNELS:
            raise ConsentInvalid(f"'{ch}' is not a contact channel.", field="channels")
        if ch not in offered:
            raise ConsentInvalid(f"This policy does not offer contact by {ch}.", field="channels")
        if ch not in wanted:
            wanted.append(ch)
    if not wanted:
        raise ConsentInvalid("Choose at least one way you agree to be contacted.", field="channels")
    return wanted


@rerun_on_conflict
@transaction.atomic
def consent_sign(
    *,
    client: User,
    policy_version_id: int,
    content_sha256: str,
    signature: str,
    channels: list[str],
    acknowledged: bool,
    ip_address: str | None = None,
    user_agent: str = "",
) -> Consent:
    thread = lock_thread(client=client)
    if thread is None:
        # Thread.DoesNotExist, named through the client (consent does not import messaging).
        raise User.thread.RelatedObjectDoesNotExist("The client has no thread.")
    version = current_version(client.therapist_id)
    if version is None or version.pk != policy_version_id or version.content_sha256 != content_sha256:
        raise StaleVersion(
            "The policy changed while you were reading it. Please read the current version and sign again."
        )
    wanted = check_consent_form(
        client=client, version=version, signature=signature, channels=channels, acknowledged=acknowledged
    )
    # a client belongs to a practice and, having a thread, to a therapist
    practice_id, therapist_id = cast(int, client.practice_id), cast(int, client.therapist_id)
    now = timezone.now()
    previous = thread.consent
    if previous is not None and previous.status == Consent.Status.ACTIVE:
        Consent.objects.filter(pk=previous.pk).update(
            status=Consent.Status.SUPERSEDED, superseded_at=now, grace_until=now
        )
    consent = Consent.objects.create(
        practice_id=practice_id,
        client=client,
        therapist_id=therapist_id,
        policy_version=version,
        content_sha256=version.content_sha256,
        signed_name=signature.strip(),
        channels=wanted,
        signed_at=now,
        ip_address=ip_address or None,
        user_agent=(user_agent or "")[:1000],
    )
    thread.consent = consent
    thread.save(update_fields=["consent"])
    record(
        practice_id=practice_id,
        action="consent.signed",
        actor=client,
        therapist_id=therapist_id,
        client_id=client.pk,
        obj=consent,
        data={"version": version.version, "content_sha256": version.content_sha256, "channels": wanted},
    )
    _clear_withdrawal_notices(client=client, now=now)
    return consent


def _clear_withdrawal_notices(*, client: User, now) -> None:
    """Signing again makes the therapist's "withdrew consent" notice untrue: it is cleared
    (marked read), so the dashboard and its badge only say what is still the case."""
    revoked_ids = list(
        Consent.objects.filter(client=client, status=Consent.Status.REVOKED).values_list("pk", flat=True)
    )
    if revoked_ids:
        Notification.objects.filter(
            user_id=cast(int, client.therapist_id),  # a client who signed has a therapist
            read_at__isnull=True,
            outbox_item__task="consent.revoked",
            outbox_item__payload__consent_id__in=revoked_ids,
        ).update(read_at=now)


@rerun_on_conflict
@transaction.atomic
def consent_revoke(*, consent: Consent, client: User, reason: str) -> Consent:
    if not (reason or "").strip():
        raise ConsentInvalid("Tell us briefly why you are withdrawing consent.", field="reason")
    lock_threads(client=client)  # the thread, then its consent (portal.locks)
    locked = lock_consent(pk=consent.pk, client=client)
    if locked is None:
        raise Consent.DoesNotExist("No such consent.")
    consent = locked
    consent.check_transition(Consent.Status.REVOKED)
    consent.status = Consent.Status.REVOKED
    consent.revoked_at = timezone.now()
    consent.revocation_reason = reason.strip()
    consent.save(update_fields=["status", "revoked_at", "revocation_reason"])
    record(
        practice_id=consent.practice_id,
        action="consent.revoked",
        actor=client,
        therapist_id=consent.therapist_id,
        client_id=client.pk,
        obj=consent,
        exception_kind="consent_revoked",
        reasons=["consent_revoked"],
    )
    # What was waiting on the consent goes with it (CONTRACT "Consent"), in this transaction:
    # messaging cancels the held messages and declines the upcoming calls (messaging.receivers).
    consent_revoked.send(sender=Consent, consent=consent, client=client)
    enqueue("consent.revoked", consent_id=consent.pk)
    return consent
