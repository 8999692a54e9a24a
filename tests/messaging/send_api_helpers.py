"""What the send API tests share (test_send_api*.py, test_send_count.py): the week's fixed
times (the policy is America/New_York; 2026-11-30 is a Monday), one POST of a message, and a
message of the past as the week's count sees it."""

from __future__ import annotations

from datetime import UTC, datetime

from messaging.models import Message
from tests.conftest import api_for

MON_10 = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)
SAT_23 = datetime(2026, 11, 29, 4, 0, tzinfo=UTC)
THU_1230 = datetime(2026, 12, 3, 17, 30, tzinfo=UTC)


def post(user, thread, **body):
    body.setdefault("channel", "portal")
    body.setdefault("body", "Hello")
    return api_for(user).post(f"/api/v1/threads/{thread.pk}/messages", body, format="json")


def past_message(thread, *, sender, role: str, status: str, category: str, at: datetime) -> Message:
    """An unsaved portal message of `thread` sent by `sender` as `role` at `at`, in `status`."""
    return Message(
        thread=thread,
        sender=sender,
        sender_role=role,
        kind="message",
        category=category,
        channel="portal",
        body="x",
        status=status,
        created_at=at,
    )
