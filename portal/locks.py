"""Row locks: one order for every path, and one rerun when the database gives up on a transaction.

THE ORDER. A transaction that locks rows takes them in this order, and never goes back to
an earlier kind once it holds a later one:

1. users: a therapist's row serialises their drafts, publications and call bookings;
2. threads: a thread row is the lock of its client's consent (every change of a consent
   locks the thread first, every send decides with the thread locked);
3. consents;
4. then the rows that hang off them: policy versions, messages, calls, crisis alerts,
   invitations, boundary exceptions, outbox rows.

Several rows of one kind are locked in ascending id (or with SKIP LOCKED, which never
waits). The audit chain head is locked on its own, by the sealer. Two paths that need the
same rows then queue one behind the other instead of deadlocking (publishing locks the
therapist then their threads; booking a call used to lock the thread, then the therapist).

Every lock goes through the helpers below: each locks only its own table's rows (`OF` where
the database has it, a plain `FOR UPDATE` of a single-table query where it has not), and
takes them `FOR NO KEY UPDATE` where the database has it: no locked row has its key
changed, and a plain `FOR UPDATE` would also make every insert that refers to the row
wait (its foreign-key check takes `KEY SHARE`), so a therapist's message, or a crisis
alert naming the therapist, would queue behind a publication while holding its thread.
The send's locked read takes a thread and its consent in one statement, in this order: on
PostgreSQL the hand-written `messaging.send_sql.read_thread_for_send` with `lock_clause`
(its measurement is in its docstring), elsewhere `lock_thread_and_consent`.

THE RERUN. PostgreSQL ends a transaction it had to give up on (a deadlock it broke, a
serialization failure): nothing of it was kept, so running it again from the start is
safe. `rerun_on_conflict` does that once for a service called outside any transaction;
a second failure goes up, and the middleware answers it as a logged 500
(portal.middleware: only a lost connection is a 503).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.db import OperationalError, connection, models

log = logging.getLogger(__name__)

USER, THREAD, CONSENT, DEPENDENT = 1, 2, 3, 4
# The documented order, by model label; anything not listed is a DEPENDENT row.
ORDER = {"portal.User": USER, "messaging.Thread": THREAD, "consent.Consent": CONSENT}


def rank(model: type[models.Model]) -> int:
    """Where `model`'s rows come in the order: a transaction holding a higher rank takes no lower one."""
    return ORDER.get(model._meta.label, DEPENDENT)


M = TypeVar("M", bound=models.Model)


def for_update(
    queryset: models.QuerySet[M], *, skip_locked: bool = False, also: tuple[str, ...] = ()
) -> models.QuerySet[M]:
    """`queryset` locked as every lock here is: its own table's rows only (and those of the
    select_related relations named in `also`), FOR NO KEY UPDATE where the database has it.
    Where `OF` is missing the lock is a plain FOR UPDATE, which also locks the rows of any
    select_related join: lock first, then read the rest."""
    features = connection.features
    options: dict[str, Any] = {}
    if features.has_select_for_update_of:
        options["of"] = ("self", *also)
    if features.has_select_for_no_key_update:
        options["no_key"] = True
    if skip_locked:
        options["skip_locked"] = True
    return queryset.select_for_update(**options)


def lock_clause(*tables: str) -> str:
    """The clause `for_update` adds, as SQL, for the one hand-written locking read
    (`messaging.send_sql.read_thread_for_send`, the send's thread and consent): the rows of
    `tables` (quoted names, in the order above) FOR NO KEY UPDATE where the database has it.
    Django's backend writes it, as for a queryset: no lock is spelt out by hand."""
    features = connection.features
    return connection.ops.for_update_sql(
        of=tables if features.has_select_for_update_of else (),
        no_key=features.has_select_for_no_key_update,
    )


def _lock_ids(queryset: models.QuerySet, skip_locked: bool = False) -> list[int]:
    return list(for_update(queryset.order_by("pk"), skip_locked=skip_locked).values_list("pk", flat=True))


def lock_users(ids: Iterable[int]) -> list[int]:
    """Step 1: users (therapists), by id."""
    from portal.models import User

    return _lock_ids(User.objects.filter(pk__in=set(ids)))


def lock_threads(*, skip_locked: bool = False, **filters: Any) -> list[int]:
    """Step 2: the threads matching `filters`, by id; returns the ids locked (with
    `skip_locked`, those another transaction did not hold)."""
    from messaging.models import Thread

    return _lock_ids(Thread.objects.filter(**filters), skip_locked)


def lock_thread(**filters: Any):
    """Step 2, one thread, as an instance (None if no thread matches)."""
    from messaging.models import Thread

    return for_update(Thread.objects.filter(**filters)).first()


def lock_thread_and_consent(pk: int):
    """Steps 2 and 3 in one statement: the thread with its consent (select_related, an inner
    join), both rows locked (`OF self, consent`). A locked row that changed while the lock
    waited is read again at its newest version, so a send that waited for a revocation sees
    it revoked. None when the join finds nothing: the thread has no consent, or it named
    another one by the time the lock was granted; then lock the thread alone
    (`lock_thread`) and its consent after it (`lock_consent`)."""
    from messaging.models import Thread

    # consent__status__isnull=False is true of every consent: it makes the join an inner one
    # (FOR UPDATE cannot lock the nullable side of an outer join).
    queryset = Thread.objects.select_related("consent").filter(pk=pk, consent__status__isnull=False)
    return for_update(queryset, also=("consent",)).first()


def lock_consents(*conditions: Any, **filters: Any) -> list[int]:
    """Step 3: consents, by id."""
    from consent.models import Consent

    return _lock_ids(Consent.objects.filter(*conditions, **filters))


def lock_consent(**filters: Any):
    """Step 3, one consent, as an instance."""
    from consent.models import Consent

    return for_update(Consent.objects.filter(**filters)).first()


def lock_rows(queryset: models.QuerySet[M], *, skip_locked: bool = False) -> models.QuerySet[M]:
    """Step 4: rows that hang off users, threads and consents (messages, calls, alerts,
    invitations, exceptions, outbox rows), taken after any of those the transaction needs."""
    return for_update(queryset, skip_locked=skip_locked)


# --- one rerun -----------------------------------------------------------------------------

RETRIED_SQLSTATES = frozenset({"40001", "40P01"})  # serialization_failure, deadlock_detected


def sqlstate(exc: BaseException) -> str | None:
    """The SQLSTATE of a database error Django raised (its cause is the driver's error)."""
    cause = exc.__cause__ if exc.__cause__ is not None else exc
    code = getattr(cause, "pgcode", None) or getattr(cause, "sqlstate", None)
    if code:
        return code
    # An error raised without a server's answer has no pgcode: a psycopg2 class named
    # after a SQLSTATE (DeadlockDetected, ...) still says which one it is.
    return _psycopg2_sqlstates().get(type(cause))


@functools.cache
def _psycopg2_sqlstates() -> dict[type, str]:
    try:
        from psycopg2._psycopg import sqlstate_errors
    except ImportError:  # pragma: no cover - psycopg 3 always sets sqlstate
        return {}
    return {cls: code for code, cls in sqlstate_errors.items()}


def is_conflict(exc: BaseException) -> bool:
    """The database gave up on the transaction because of another one: a deadlock it broke,
    a serialization failure. Running the transaction again may well succeed."""
    return isinstance(exc, OperationalError) and sqlstate(exc) in RETRIED_SQLSTATES


F = TypeVar("F", bound=Callable[..., Any])


def rerun_on_conflict(func: F) -> F:
    """Run the service again, once, if its transaction ended in a deadlock or a
    serialization failure. Only when it was called outside any transaction: inside one, the
    whole outer transaction is lost and only its owner can run it again."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        if connection.in_atomic_block:
            return func(*args, **kwargs)
        try:
            return func(*args, **kwargs)
        except OperationalError as exc:
            if not is_conflict(exc):
                raise
            log.warning(
                "%s: database conflict (SQLSTATE %s), running it again once", func.__qualname__, sqlstate(exc)
            )
        return func(*args, **kwargs)  # a second conflict goes up: the middleware logs a 500

    return wrapper  # type: ignore[return-value]
