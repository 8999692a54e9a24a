"""The transactional outbox: durable hand-off of work from a request to Celery.

`enqueue()` writes a row in the caller's transaction. After commit the row is
published to Celery; if Redis is down that fails quietly and the relay (a beat
task, and `make run`'s timer) publishes it later. The task marks the row done
in the same transaction as its effect, so a duplicate delivery does nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from .locks import lock_rows
from .models import OutboxItem
from .notify import emails_held

log = logging.getLogger(__name__)

Handler = Callable[[OutboxItem], None]
BatchHandler = Callable[[list[OutboxItem]], None]
_HANDLERS: dict[str, Handler] = {}
_BATCH_HANDLERS: dict[str, BatchHandler] = {}


def handler(name: str) -> Callable[[Handler], Handler]:
    """Register the function that carries out outbox rows of one task name, one at a time."""

    def register(fn: Handler) -> Handler:
        _HANDLERS[name] = fn
        return fn

    return register


def batch_handler(name: str) -> Callable[[BatchHandler], BatchHandler]:
    """Register a function that carries out many rows of one task name at once (with a few
    queries for all of them), for the tasks that come in streams: one per message sent."""

    def register(fn: BatchHandler) -> BatchHandler:
        _BATCH_HANDLERS[name] = fn
        _HANDLERS[name] = lambda item: fn([item])
        return fn

    return register


def _discover(name: str) -> None:
    if name not in _HANDLERS:
        # Handlers live in each app's notifications module; import them on first use.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("notifications")


def get_handler(name: str) -> Handler:
    _discover(name)
    return _HANDLERS[name]


# Writing rows: `enqueue` (one row) and `enqueue_many` (many) are the only two ways an
# outbox row is written; `build` makes the unsaved row for both.


def build(task: str, *, created_at=None, **payload) -> OutboxItem:
    """An unsaved outbox row (payload: ids only)."""
    item = OutboxItem(task=task, payload=payload)
    if created_at is not None:
        item.created_at = created_at
    return item


def enqueue(task: str, *, dispatch_on_commit: bool = True, **payload) -> OutboxItem:
    """Write one outbox row in the current transaction (payload: ids only)."""
    item = build(task, **payload)
    item.save(force_insert=True)
    if dispatch_on_commit:
        after_enqueue(item)
    return item


def enqueue_many(rows: list[tuple[str, dict]], *, created_at=None) -> list[OutboxItem]:
    """Write many outbox rows (task, payload) in one INSERT in the current transaction; after
    commit they are dispatched together, as `after_enqueue` does for one."""
    items = OutboxItem.objects.bulk_create(
        [build(task, created_at=created_at, **payload) for task, payload in rows]
    )
    after_enqueue(*items)
    return items


def after_enqueue(*items: OutboxItem) -> None:
    """What follows writing outbox rows (for a caller that wrote them with other rows).
    With a broker, nothing: the relay (beat) publishes rows in chunks, and the request
    does no broker round trip. Without one (eager tasks), the work runs right after commit."""
    if items and settings.PORTAL_OUTBOX_DISPATCH_ON_COMMIT:
        ids = [item.pk for item in items]
        transaction.on_commit(lambda: dispatch(ids))


DISPATCH_CHUNK = 100


def dispatch(ids: list[int]) -> int:
    """Publish these rows to Celery (a chunk of ids per broker message). Never raises:
    what fails stays pending for the relay.

    Each chunk is marked dispatched before it is published (the relay runs in autocommit,
    so the UPDATE is committed and its row locks gone by then), so the worker
    that takes it never finds its rows locked by this UPDATE (its SKIP LOCKED would pass
    them over, and they would wait for the re-dispatch). A chunk that cannot be published
    is marked pending again."""
    from .tasks import run_outbox_items

    published = 0
    for i in range(0, len(ids), DISPATCH_CHUNK):
        chunk = list(ids[i : i + DISPATCH_CHUNK])
        OutboxItem.objects.filter(pk__in=chunk, done_at__isnull=True).update(
            dispatched_at=timezone.now(), dispatch_count=F("dispatch_count") + 1
        )
        try:
            run_outbox_items.apply_async(args=(chunk,), retry=False)
        except Exception as exc:  # noqa: BLE001 - the broker is down; the relay retries
            log.warning("outbox %s..%s not published: %s", chunk[0], chunk[-1], exc.__class__.__name__)
            OutboxItem.objects.filter(pk__in=chunk, done_at__isnull=True).update(
                dispatched_at=None, last_error=exc.__class__.__name__[:200]
            )
            continue
        published += len(chunk)
    return published


def pending_ids(limit: int = 500) -> list[int]:
    stale = timezone.now() - timedelta(seconds=settings.PORTAL_OUTBOX_REDISPATCH_SECONDS)
    return list(
        OutboxItem.objects.filter(done_at__isnull=True)
        .filter(Q(dispatched_at__isnull=True) | Q(dispatched_at__lt=stale))
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )


def relay(limit: int = 500) -> int:
    """Publish rows that were never published, or whose task never finished."""
    return dispatch(pending_ids(limit))


def run_many(item_ids: list[int]) -> int:
    """Carry out a chunk of rows in one transaction; returns how many were done here.

    Rows already done, or locked by another worker running them (SKIP LOCKED), are left
    alone, so each row is still done once. Rows of a task with a batch handler are handled
    together. If anything fails the chunk rolls back and each row is run on its own, so
    one bad row never holds up the others. The handlers' e-mails are held until every
    handler of the chunk has succeeded (`portal.notify.emails_held`), so a rolled-back
    chunk has sent none and each row's rerun sends its own once."""
    try:
        with transaction.atomic(), emails_held():
            items = list(
                lock_rows(OutboxItem.objects.all(), skip_locked=True)
                .filter(pk__in=item_ids, done_at__isnull=True)
                .order_by("id")
            )
            by_task: dict[str, list[OutboxItem]] = {}
            for item in items:
                by_task.setdefault(item.task, []).append(item)
            for task, group in by_task.items():
                _discover(task)
                if task in _BATCH_HANDLERS:
                    _BATCH_HANDLERS[task](group)
                else:
                    for item in group:
                        _HANDLERS[task](item)
            OutboxItem.objects.filter(pk__in=[item.pk for item in items]).update(done_at=timezone.now())
        return len(items)
    except Exception as exc:  # noqa: BLE001 - fall back to one row at a time
        log.warning(
            "outbox chunk of %s rows failed as a batch (%s); running them one by one",
            len(item_ids),
            exc.__class__.__name__,
        )
    done = 0
    for item_id in item_ids:
        try:
            done += run(item_id)
        except Exception as exc:  # noqa: BLE001 - this row stays pending, with its error, for the relay
            log.warning("outbox row %s failed: %s", item_id, exc.__class__.__name__)
            OutboxItem.objects.filter(pk=item_id).update(last_error=exc.__class__.__name__[:200])
    return done


def run(item_id: int) -> bool:
    """Carry out one row exactly once. Returns False when it was already done."""
    with transaction.atomic(), emails_held():
        item = lock_rows(OutboxItem.objects.filter(pk=item_id)).first()
        if item is None or item.done_at is not None:
            return False
        get_handler(item.task)(item)
        item.done_at = timezone.now()
        item.save(update_fields=["done_at"])
    return True
