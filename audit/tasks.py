import logging

from celery import shared_task

from portal.models import Practice

from . import chain, checkpoints

logger = logging.getLogger(__name__)


@shared_task(name="audit.tasks.seal_audit_chains")
def seal_audit_chains() -> int:
    """Link new events into every practice's chain, and sign each head that moved when its
    latest checkpoint is older than checkpoints.CHECKPOINT_EVERY."""
    sealed = 0
    for pid in Practice.objects.values_list("id", flat=True):
        sealed += chain.seal(pid)
        try:
            checkpoints.sign_if_due(pid, min_age=checkpoints.CHECKPOINT_EVERY, seal_first=False)
        except OSError as exc:
            # The checkpoint file cannot be written: no checkpoint (its row rolled back), the
            # other practices still get theirs; the next run tries again.
            logger.error("audit checkpoint of practice %s not written: %s", pid, exc.__class__.__name__)
    return sealed
