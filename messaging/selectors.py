"""Reads that several doors share: threads scoped by the caller, what a viewer may see."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from policies.engine import open_summary
from policies.models import PolicyVersion
from policies.selectors import compiled_policy, current_version

from .models import Message, Thread

VISIBLE_TO_BOTH_KINDS = ("auto_reply", "care_note")


def threads_for(user) -> QuerySet[Thread]:
    """The caller's threads: a therapist's own, a client's one. Nobody else's, ever."""
    qs = Thread.objects.select_related("client", "therapist", "consent")
    if user.is_client:
        return qs.filter(client=user)
    if user.is_therapist:
        return qs.filter(therapist=user)
    return qs.none()


def thread_for(user, pk: int) -> Thread:
    thread = threads_for(user).filter(pk=pk).first()
    if thread is None:
        raise Http404("No such thread.")
    return thread


def role_in(thread: Thread, user) -> str:
    return "client" if thread.client_id == user.pk else "therapist"


def visible_messages(thread: Thread, viewer) -> QuerySet[Message]:
    """A held message is not shown to its recipient before release; a blocked or cancelled
    attempt only to its sender; auto-replies and care notes to both."""
    mine = Q(sender=viewer)
    theirs = ~Q(sender=viewer) & Q(status__in=Message.VISIBLE_TO_RECIPIENT)
    system = Q(sender__isnull=True)
    return thread.messages.filter(mine | theirs | system).order_by("created_at", "id")


MESSAGES_PAGE_DEFAULT = 100
MESSAGES_PAGE_MAX = 1000


def visible_page(thread: Thread, viewer, *, limit: int = MESSAGES_PAGE_DEFAULT,
                 before: Message | None = None) -> list[Message]:
    """The latest `limit` messages the viewer may see (older than `before`), oldest first."""
    qs = visible_messages(thread, viewer)
    if before is not None:
        qs = qs.filter(Q(created_at__lt=before.created_at) | Q(created_at=before.created_at, id__lt=before.pk))
    page = list(qs.order_by("-created_at", "-id")[:limit])
    page.reverse()
    return page


def unread_filter(viewer) -> Q:
    """Unread: visible to the viewer, not theirs. Auto-replies speak to the client, so they
    are never unread for the therapist."""
    q = Q(read_at__isnull=True, status__in=Message.VISIBLE_TO_RECIPIENT) & ~Q(sender=viewer)
    if not viewer.is_client:
        q &= Q(sender__isnull=False)
    return q


def unread_count(user) -> int:
    if not (user.is_client or user.is_therapist):
        return 0
    return Message.objects.filter(unread_filter(user), thread__in=threads_for(user).values("pk")).count()


def mark_read(thread: Thread, viewer) -> int:
    return thread.messages.filter(unread_filter(viewer)).update(read_at=timezone.now())


def governing(thread: Thread, at: datetime) -> tuple[PolicyVersion | None, bool]:
    """The version whose rules decide this thread's contact now, and whether consent governs.
    Without a governing consent, the current published version (for crisis resources and a
    therapist's emergency override)."""
    consent = thread.consent
    if consent is not None and consent.governs_at(at):
        return PolicyVersion.objects.get(pk=consent.policy_version_id), True
    return current_version(thread.therapist_id), False


def compose_summary(thread: Thread, at: datetime | None = None) -> dict:
    """What the policy allows right now, for the compose form."""
    at = at or timezone.now()
    version, governs = governing(thread, at)
    if version is None:
        return {"version": None, "governs": False, "tz": None, "categories": {}, "crisis_resources": ""}
    policy = compiled_policy(version)
    return {
        "version": version,
        "governs": governs and not thread.care_ended,
        "tz": policy.tz,
        "categories": open_summary(policy, at),
        "crisis_resources": policy.crisis_resources,
        "consent_channels": list(thread.consent.channels) if governs and thread.consent else [],
    }
