"""What the send API tests share (test_send_api*.py): the week's fixed times (the policy is
America/New_York; 2026-11-30 is a Monday) and one POST of a message."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.conftest import api_for

MON_10 = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)
SAT_23 = datetime(2026, 11, 29, 4, 0, tzinfo=UTC)
THU_1230 = datetime(2026, 12, 3, 17, 30, tzinfo=UTC)


def post(user, thread, **body):
    body.setdefault("channel", "portal")
    body.setdefault("body", "Hello")
    return api_for(user).post(f"/api/v1/threads/{thread.pk}/messages", body, format="json")
