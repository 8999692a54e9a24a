"""Reading a thread: the view, an audit event (polls are not views), and the messages it
marks read."""

from __future__ import annotations

from django.utils import timezone

from audit.chain import record
from portal.models import User
from portal.notify import notices_seen

from ..models import Thread
from ..selectors import unread_filter


def thread_viewed(*, thread: Thread, viewer: User) -> None:
    """Who read which thread, when: every view is an audit event (polls are not views). The
    viewer's notices about this thread are read now."""
    notices_seen(user=viewer, view_name="messaging:thread", args=(thread.pk,))
    record(
        practice_id=thread.practice_id,
        action="thread.viewed",
        actor=viewer,
        therapist_id=thread.therapist_id,
        client_id=thread.client_id,
        obj=thread,
    )


def mark_read(thread: Thread, viewer) -> int:
    """Mark the viewer's unread messages of `thread` read (the thread page, its poll's
    "read" call). Returns how many."""
    return thread.messages.filter(unread_filter(viewer)).update(read_at=timezone.now())
