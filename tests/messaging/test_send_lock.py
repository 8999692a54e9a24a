"""The send path's hand-written locked read really locks the thread on PostgreSQL: a second
send waits for the first to commit, so a weekly limit holds under concurrent sends."""

from __future__ import annotations

import copy
import threading
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from messaging.models import Message
from messaging.selectors import sent_since as _sent_since
from messaging.services.send import _lock_thread, message_send
from policies.engine import RATE_WINDOW
from tests.conftest import GOOD_RULES, onboard_client, publish_policy, sign_consent

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks are PostgreSQL's; SQLite queues writers"
    ),
    pytest.mark.django_db(transaction=True),
]


def test_a_second_send_waits_for_the_first_so_the_weekly_limit_holds(therapist):
    rules = copy.deepcopy(GOOD_RULES)
    rules["categories"]["check_in"] = {"allowed": True, "channels": ["portal"], "max_per_week": 1}
    publish_policy(therapist, rules)
    client, thread = onboard_client(therapist)
    sign_consent(client)
    client.refresh_from_db()

    holding, release, outcome = threading.Event(), threading.Event(), {}

    def first_send():  # holds the thread lock as a send does, then writes its message
        try:
            with transaction.atomic():
                assert _lock_thread(thread.pk) is not None
                assert _sent_since(thread.pk, "check_in", timezone.now() - RATE_WINDOW, 1) == 0
                holding.set()
                release.wait(10)
                Message.objects.create(
                    thread_id=thread.pk,
                    sender=client,
                    sender_role="client",
                    kind="message",
                    category="check_in",
                    channel="portal",
                    body="first",
                    status="delivered",
                    created_at=timezone.now() - timedelta(seconds=1),
                )
        finally:
            connection.close()

    def second_send():
        try:
            holding.wait(10)
            outcome["result"] = message_send(
                sender=client, thread=thread.pk, category="check_in", channel="portal", body="second"
            )
        finally:
            connection.close()

    first, second = threading.Thread(target=first_send), threading.Thread(target=second_send)
    first.start()
    second.start()
    assert holding.wait(10)
    second.join(1.0)
    assert second.is_alive(), "the second send did not wait for the thread lock"
    release.set()
    first.join(10)
    second.join(10)
    decision = outcome["result"].decision
    assert decision.outcome == "blocked" and list(decision.reasons) == ["rate_limited"]
