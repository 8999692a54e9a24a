"""The consent app's half of publishing a policy version (policies.signals)."""

from __future__ import annotations

from django.dispatch import receiver

from policies.models import PolicyVersion
from policies.signals import version_published, version_publishing

from . import services


@receiver(version_publishing, sender=PolicyVersion, dispatch_uid="consent.lock_for_publish")
def lock_for_publish(*, therapist_id: int, at, **_kwargs) -> None:
    services.consents_lock_for_publish(therapist_id=therapist_id, at=at)


@receiver(version_published, sender=PolicyVersion, dispatch_uid="consent.supersede")
def supersede(*, version: PolicyVersion, actor, at, **_kwargs) -> dict:
    return {"consents_superseded": services.consents_supersede(version=version, actor=actor, at=at)}
