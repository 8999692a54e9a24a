from celery import shared_task

from portal.models import Practice

from . import chain, checkpoints


@shared_task(name="audit.tasks.seal_audit_chains")
def seal_audit_chains() -> int:
    """Link new events into every practice's chain, and sign each head that moved when its
    latest checkpoint is older than checkpoints.CHECKPOINT_EVERY."""
    sealed = 0
    for pid in Practice.objects.values_list("id", flat=True):
        sealed += chain.seal(pid)
        # Logs, and signs nothing, when the checkpoint file cannot be written: the other
        # practices still get theirs, and the next run tries again.
        checkpoints.sign_if_due(pid, min_age=checkpoints.CHECKPOINT_EVERY, seal_first=False)
    return sealed
