from celery import shared_task

from . import outbox


@shared_task(name="portal.tasks.run_outbox_item", acks_late=True, reject_on_worker_lost=True)
def run_outbox_item(item_id: int) -> bool:
    return outbox.run(item_id)


@shared_task(name="portal.tasks.run_outbox_items", acks_late=True, reject_on_worker_lost=True)
def run_outbox_items(item_ids: list[int]) -> int:
    """Carry out a chunk of outbox rows, each at most once (see outbox.run_many)."""
    return outbox.run_many(item_ids)


@shared_task(name="portal.tasks.relay_outbox")
def relay_outbox() -> int:
    return outbox.relay()
