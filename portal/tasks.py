from celery import shared_task

from . import outbox


@shared_task(name="portal.tasks.run_outbox_item", acks_late=True, reject_on_worker_lost=True)
def run_outbox_item(item_id: int) -> bool:
    return outbox.run(item_id)


@shared_task(name="portal.tasks.run_outbox_items", acks_late=True, reject_on_worker_lost=True)
def run_outbox_items(item_ids: list[int]) -> int:
    """Carry out a chunk of outbox rows, each in its own transaction, each at most once."""
    return sum(1 for item_id in item_ids if outbox.run(item_id))


@shared_task(name="portal.tasks.relay_outbox")
def relay_outbox() -> int:
    return outbox.relay()
