"""Crisis alerts: when an escalation's alert goes to the practice admin, its
acknowledgement by the therapist, and the sweep that sends the unacknowledged to the admin."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from audit.chain import record
from policies.selectors import compiled_policy, current_version
from portal.errors import NotFound
from portal.locks import lock_rows, rerun_on_conflict
from portal.models import User
from portal.outbox import enqueue

from ..models import CrisisAlert, Thread


def alert_due(thread: Thread, now: datetime) -> datetime:
    # Raised while the therapist is away (by their latest published policy, whatever version
    # governs this client): it goes to the practice admin at once.
    current = current_version(thread.therapist_id)
    policy = compiled_policy(current) if current is not None else None
    if policy is not None and policy.away and policy.away_on(now.astimezone(policy.tz).date()):
        return now
    return now + timedelta(minutes=settings.PORTAL_CRISIS_ALERT_MINUTES)


@rerun_on_conflict
def crisis_alert_acknowledge(*, therapist: User, alert: CrisisAlert) -> CrisisAlert:
    with transaction.atomic():
        a = lock_rows(
            CrisisAlert.objects.select_related("thread").filter(pk=alert.pk, therapist=therapist)
        ).first()
        if a is None:
            raise NotFound("No such alert.")
        if a.acknowledged_at is None:
            a.acknowledged_at, a.acknowledged_by = timezone.now(), therapist
            a.save(update_fields=["acknowledged_at", "acknowledged_by"])
            record(
                practice_id=a.thread.practice_id,
                action="crisis.acknowledged",
                actor=therapist,
                therapist_id=therapist.pk,
                client_id=a.thread.client_id,
                obj=a,
            )
    return a


def sweep_crisis_alerts(*, now: datetime | None = None) -> int:
    """Unacknowledged alerts past due go to the practice admin(s) as well."""
    now = now or timezone.now()
    with transaction.atomic():
        due = list(
            lock_rows(CrisisAlert.objects.select_related("thread"), skip_locked=True).filter(
                acknowledged_at__isnull=True, escalated_at__isnull=True, due_at__lte=now
            )[:500]
        )
        for a in due:
            a.escalated_at = now
            record(
                practice_id=a.thread.practice_id,
                action="crisis.escalated_to_admin",
                actor=None,
                therapist_id=a.therapist_id,
                client_id=a.thread.client_id,
                obj=a,
            )
            enqueue("crisis.escalated", alert_id=a.pk)
        CrisisAlert.objects.bulk_update(due, ["escalated_at"])
    return len(due)
