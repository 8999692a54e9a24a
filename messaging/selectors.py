"""Reads that several doors share: threads scoped by the caller, what a viewer may see, and
a client's history (`history_for`: the week's count, the last crisis, the care state)."""

from __future__ import annotations

from datetime import datetime
from typing import cast

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from policies.compiled import CompiledPolicy
from policies.engine import RATE_WINDOW
from policies.engine_types import History
from policies.hours import open_summary
from policies.selectors import governing_policy
from portal import roles

from . import send_sql
from .models import Message, Thread


def threads_for(user) -> QuerySet[Thread]:
    """The caller's threads: a therapist's own, a client's one. Nobody else's, ever."""
    qs = Thread.objects.select_related("client", "therapist", "consent")
    if roles.is_client(user):
        return qs.filter(client=user)
    if roles.is_therapist(user):
        return qs.filter(therapist=user)
    return qs.none()


def thread_for(user, pk: int) -> Thread:
    thread = threads_for(user).filter(pk=pk).first()
    if thread is None:
        raise Http404("No such thread.")
    return thread


def visible_messages(thread: Thread, viewer) -> QuerySet[Message]:
    """A held message is not shown to its recipient before release; a blocked or cancelled
    attempt only to its sender; auto-replies and care notes to both."""
    mine = Q(sender=viewer)
    theirs = ~Q(sender=viewer) & Q(status__in=Message.VISIBLE_TO_RECIPIENT)
    system = Q(sender__isnull=True)
    return thread.messages.filter(mine | theirs | system).order_by("created_at", "id")


MESSAGES_PAGE_DEFAULT = 100
MESSAGES_PAGE_MAX = 1000


def visible_page(
    thread: Thread, viewer, *, limit: int = MESSAGES_PAGE_DEFAULT, before: Message | None = None
) -> list[Message]:
    """The latest `limit` messages the viewer may see (older than `before`), oldest first."""
    qs = visible_messages(thread, viewer)
    if before is not None:
        qs = qs.filter(
            Q(created_at__lt=before.created_at) | Q(created_at=before.created_at, id__lt=before.pk)
        )
    page = list(qs.order_by("-created_at", "-id")[:limit])
    page.reverse()
    return page


def unread_filter(viewer) -> Q:
    """Unread: visible to the viewer, not theirs. Auto-replies speak to the client, so they
    are never unread for the therapist."""
    q = Q(read_at__isnull=True, status__in=Message.VISIBLE_TO_RECIPIENT) & ~Q(sender=viewer)
    if not roles.is_client(viewer):
        q &= Q(sender__isnull=False)
    return q


def unread_count(user) -> int:
    if not roles.is_participant(user):
        return 0
    return Message.objects.filter(unread_filter(user), thread__in=threads_for(user).values("pk")).count()


def compose_summary(thread: Thread, at: datetime | None = None) -> dict:
    """What the policy allows right now, for the compose form (by `governing_policy`)."""
    at = at or timezone.now()
    g = governing_policy(thread, at, with_version=True)
    if g.version is None:
        return {"version": None, "governs": False, "tz": None, "categories": {}, "crisis_resources": ""}
    policy = cast(CompiledPolicy, g.policy)  # a governing version always comes with its policy
    return {
        "version": g.version,
        "governs": g.governs and not thread.care_ended,
        "tz": policy.tz,
        "categories": open_summary(policy, at),
        "crisis_resources": policy.crisis_resources,
        "consent_channels": list(thread.consent.channels) if g.governs and thread.consent else [],
    }


# --- a client's history: the one place that answers the week's count, the last crisis and
# the care state, for the send, its preview, the release and the simulator -----------------


def sent_since(
    thread_id: int, category: str, since: datetime, limit: int, until: datetime | None = None
) -> int:
    """How many messages the client sent in `category` after `since` (and up to `until`) that
    count toward a weekly limit, counted up to `limit`: the decision only asks whether the
    limit is reached, so a send reads at most `limit` index entries, however busy the thread
    is (a sliced count: SELECT COUNT(*) FROM (... LIMIT n)). The send runs it with the thread
    locked, so no concurrent send is missed (tests/messaging/test_send_lock.py). On
    PostgreSQL the same statement by hand (messaging.send_sql.count_sent, with its measurement)."""
    if send_sql.counts_here():
        return send_sql.count_sent(thread_id, category, since, limit, until)
    sent = Message.objects.filter(
        thread_id=thread_id,
        sender_role="client",
        category=category,
        status__in=Message.COUNTED_STATUSES,
        created_at__gt=since,
    )
    if until is not None:
        sent = sent.filter(created_at__lte=until)
    return sent[:limit].count()


def weekly_limit(policy: CompiledPolicy | None, category: str | None, sender: str) -> int | None:
    """The weekly limit that applies to this sender's contact in `category`, if any: clients
    only, never `emergency` (the contract's max_per_week)."""
    if sender != "client" or policy is None or category is None or category == "emergency":
        return None
    rule = policy.categories.get(category)
    return rule.max_per_week if rule is not None else None


def history_for(
    thread: Thread,
    category: str | None,
    at: datetime,
    *,
    policy: CompiledPolicy | None,
    sender: str = "client",
    live: bool = True,
) -> History:
    """What the engine knows of a thread's past at `at`: the client's counted sends of
    `category` in the 168 hours before `at` (only when a weekly limit applies to this sender
    under `policy`, and counted only up to it), the client's last escalation, and whether
    care has ended.

    `live`: `at` is now and `thread` is the row as just read (the send holds it locked): the
    count has no upper bound, and the last crisis is the thread's `last_crisis_at` (set by
    every escalating send). Otherwise (the simulator, at a time of its choosing) only
    messages up to `at` count, and the last crisis is the last escalated message at or
    before `at`. A caller with nothing to count passes `policy=None` (the release: a
    released message is neither rate limited nor paused)."""
    limit = weekly_limit(policy, category, sender)
    count = 0
    if limit is not None and category is not None:  # a limit applies only to a category
        count = sent_since(thread.pk, category, at - RATE_WINDOW, limit, until=None if live else at)
    if live:
        last_crisis = thread.last_crisis_at
    else:
        last_crisis = (
            Message.objects.filter(
                thread=thread, sender_role="client", status=Message.Status.ESCALATED, created_at__lte=at
            )
            .order_by("-created_at")
            .values_list("created_at", flat=True)
            .first()
        )
    return History(care_ended=thread.care_ended, sent_in_category_last_week=count, last_crisis_at=last_crisis)


def simulator_history(
    client_id: int, therapist_id: int, category: str, at: datetime, policy: CompiledPolicy, sender: str
) -> History | None:
    """The simulator's client history (policies.simulate, registered by messaging.apps): the
    therapist's client's thread read at `at` as the send would, or None for no such client."""
    thread = Thread.objects.filter(client_id=client_id, therapist_id=therapist_id).first()
    if thread is None:
        return None
    return history_for(thread, category, at, policy=policy, sender=sender, live=False)


# --- what the pages show: the thread's window, attempts, dashboards, the poll ------------------

# The thread page and the poll show the same window of a thread: its latest messages. The
# page goes back from there MAX_SHOWN at a time ("Show earlier messages": `earlier`).
MAX_SHOWN = 50
MAX_ATTEMPTS = 20
MAX_NOTICES = 100


def _conversation(thread: Thread, viewer) -> QuerySet[Message]:
    """What the conversation shows: the visible messages less refused attempts (listed apart)."""
    return visible_messages(thread, viewer).exclude(status=Message.Status.BLOCKED)


def latest_window(thread: Thread, viewer) -> tuple[list[tuple[int, str, str | None]], bool]:
    """(id, status, call status) of the latest MAX_SHOWN messages the viewer may see, oldest
    first, and whether earlier ones exist. Cheap on purpose: no bodies are read (or
    decrypted) to learn whether anything changed."""
    newest = list(
        _conversation(thread, viewer)
        .order_by("-created_at", "-id")
        .values_list("id", "status", "call__status")[: MAX_SHOWN + 1]
    )
    return list(reversed(newest[:MAX_SHOWN])), len(newest) > MAX_SHOWN


def window(thread: Thread, viewer) -> list[tuple[int, str, str | None]]:
    """The ids and states of the latest window (latest_window), as the poll compares them."""
    return latest_window(thread, viewer)[0]


def earlier(thread: Thread, viewer, before_id: int) -> tuple[list[Message], bool]:
    """The MAX_SHOWN messages of the conversation just before message `before_id`, with
    their call, oldest first, and whether still earlier ones exist. 404 when `before_id` is
    not a message of the conversation the viewer may see."""
    anchor = _conversation(thread, viewer).filter(pk=before_id).values_list("created_at", flat=True).first()
    if anchor is None:
        raise Http404("No such message.")
    rows = list(
        _conversation(thread, viewer)
        .filter(Q(created_at__lt=anchor) | Q(created_at=anchor, id__lt=before_id))
        .select_related("call")
        .order_by("-created_at", "-id")[: MAX_SHOWN + 1]
    )
    shown = rows[:MAX_SHOWN]
    shown.reverse()
    return shown, len(rows) > MAX_SHOWN


def messages_in(thread: Thread, viewer, ids) -> list[Message]:
    """The messages of `ids` the viewer may see, with their call, oldest first."""
    return list(visible_messages(thread, viewer).filter(pk__in=list(ids)).select_related("call"))


def refused_attempts(thread: Thread, viewer) -> list[Message]:
    """The viewer's own refused attempts, newest first (at most MAX_ATTEMPTS)."""
    return list(
        thread.messages.filter(sender=viewer, status=Message.Status.BLOCKED).order_by("-created_at", "-id")[
            :MAX_ATTEMPTS
        ]
    )


def upcoming_calls(thread: Thread, at: datetime):
    from .models import CallBooking

    return thread.calls.filter(status__in=CallBooking.ACTIVE_STATUSES, end__gte=at).order_by("start")


def unread_by_thread(user, threads) -> dict[int, int]:
    """Unread messages per thread, counted as unread_count counts them."""
    from django.db.models import Count

    if not threads:
        return {}
    rows = (
        Message.objects.filter(unread_filter(user), thread__in=[t.pk for t in threads])
        .values("thread_id")
        .annotate(n=Count("id"))
    )
    return {row["thread_id"]: row["n"] for row in rows}


def unread_per_thread(user) -> dict[int, int]:
    """Unread messages per thread of the caller's, in one statement (the poll)."""
    from django.db.models import Count

    rows = (
        Message.objects.filter(
            unread_filter(user), thread__in=threads_for(user).select_related(None).values("pk")
        )
        .values("thread_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["thread_id"]: row["n"] for row in rows}


def thread_ids_for(user, pk: int) -> Thread:
    """The caller's thread, or 404 (scoped as thread_for); only its ids: the poll's answer
    that nothing changed needs nothing else."""
    thread = (
        threads_for(user).select_related(None).only("id", "therapist_id", "client_id").filter(pk=pk).first()
    )
    if thread is None:
        raise Http404("No such thread.")
    return thread


def open_alerts(therapist) -> list:
    from .models import CrisisAlert

    return list(
        CrisisAlert.objects.filter(therapist=therapist, acknowledged_at__isnull=True)
        .select_related("thread__client")
        .order_by("raised_at")
    )


def unread_notices(user) -> list:
    """Every unread notice, newest first, so the list agrees with the navigation's badge
    (capped for safety)."""
    return list(user.notifications.filter(read_at__isnull=True).order_by("-created_at")[:MAX_NOTICES])


def latest_consents(client_ids) -> dict:
    """Each client's latest consent, by client id (the therapist's dashboard)."""
    from consent.models import Consent

    latest: dict = {}
    for consent in Consent.objects.filter(client_id__in=list(client_ids)).order_by(
        "client_id", "-signed_at", "-id"
    ):
        latest.setdefault(consent.client_id, consent)
    return latest


def therapist_held(therapist) -> list[Message]:
    """The therapist's own messages held for later, soonest first."""
    return list(
        Message.objects.filter(thread__therapist=therapist, sender=therapist, status=Message.Status.HELD)
        .select_related("thread__client")
        .order_by("deliver_at")
    )


def calls_to_confirm(therapist, at: datetime) -> list:
    from .models import CallBooking

    return list(
        CallBooking.objects.filter(therapist=therapist, status=CallBooking.Status.BOOKED, end__gte=at)
        .select_related("thread__client")
        .order_by("start")
    )


def client_held(client) -> list[Message]:
    return list(
        Message.objects.filter(thread__client=client, sender=client, status=Message.Status.HELD).order_by(
            "deliver_at"
        )
    )
