"""Outbox handlers of the audit app (portal.outbox discovers `<app>/notifications.py`)."""

from __future__ import annotations

from portal.outbox import handler

from . import checkpoints
from .models import VerificationRun


@handler(checkpoints.FULL_TASK)
def run_full_verification(item) -> None:
    """A full re-verification asked for on the verify page. Idempotent: a run that has
    finished (a duplicate delivery) is left alone."""
    run = VerificationRun.objects.filter(pk=item.payload["run_id"], finished_at__isnull=True).first()
    if run is not None:
        checkpoints.verify_full(run.practice_id, run=run)
