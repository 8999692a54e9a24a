from celery import shared_task

from portal.models import Practice

from . import chain, checkpoints
from .models import VerificationRun


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


@shared_task(name="audit.tasks.verify_audit_chains_full")
def verify_audit_chains_full() -> dict[int, bool]:
    """The nightly full re-verification (beat): every hash and link of every practice's chain
    from its first event, each stored as a VerificationRun the verify page shows. The requests'
    own verifications start from the latest signed checkpoint; this is what also finds an
    event altered before it (and from then on they report that break)."""
    out = {}
    for pid in Practice.objects.order_by("id").values_list("id", flat=True):
        result, _run = checkpoints.verify_full(pid, trigger=VerificationRun.Trigger.SCHEDULE)
        out[pid] = result.ok
    return out
