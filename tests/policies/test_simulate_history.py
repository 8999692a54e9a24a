"""The simulator with a client's history: the crisis pause counts only escalations before `at`."""

from datetime import UTC, datetime, timedelta

import pytest

from messaging.services.send import message_send
from policies.simulate import simulate

pytestmark = pytest.mark.django_db
THU_1230 = datetime(2026, 12, 3, 17, 30, tzinfo=UTC)


def test_the_pause_applies_after_the_crisis_not_before(consented_client, thread, published_policy):
    message_send(
        sender=consented_client,
        thread=thread,
        category="administrative",
        channel="portal",
        body="I want to kill myself",
        now=THU_1230,
    )
    after = simulate(
        version=published_policy,
        at=THU_1230 + timedelta(hours=1),
        sender="client",
        category="check_in",
        channel="portal",
        client_id=consented_client.pk,
    )
    assert after.reasons == ("paused_after_crisis",)
    week_before = simulate(
        version=published_policy,
        at=THU_1230 - timedelta(days=7),
        sender="client",
        category="check_in",
        channel="portal",
        client_id=consented_client.pk,
    )
    assert week_before.outcome == "delivered"
