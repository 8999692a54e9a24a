"""Two paths that need the same rows queue instead of deadlocking (the lock order of portal.locks,
read from the SQL in test_lock_order.py), and a send that waited for a consent change decides on
the change. Real connections on PostgreSQL, one per Python thread."""

from __future__ import annotations

import copy
import threading
import time
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from consent import services as consent_services
from consent.models import Consent
from messaging.models import CallBooking, Message
from messaging.services import send as messaging_services
from messaging.services.calls import call_request
from messaging.services.send import message_send
from policies import services as policy_services
from policies.models import PolicyVersion
from tests.conftest import GOOD_RULES, onboard_client, publish_policy, sign_consent

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks are PostgreSQL's; SQLite queues writers"
    ),
    pytest.mark.django_db(transaction=True),
]


def _next_monday_10() -> datetime:
    """Next week's Monday, 10:00 in New York: inside GOOD_RULES' scheduled_call window."""
    ny = ZoneInfo("America/New_York")
    day = datetime.now(ny).date() + timedelta(days=7)
    day -= timedelta(days=day.weekday())
    return datetime(day.year, day.month, day.day, 10, 0, tzinfo=ny).astimezone(UTC)


def _waiting_on_a_lock(timeout: float = 10.0) -> bool:
    """True once another connection of this database is waiting for a row lock."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with connection.cursor() as cur:
            cur.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
            )
            if cur.fetchone()[0]:
                return True
        time.sleep(0.05)
    return False


def _run(target, results: dict, key: str) -> threading.Thread:
    def body():
        try:
            results[key] = target()
        except BaseException as exc:  # noqa: BLE001 - the test asserts on it
            results[key] = exc
        finally:
            connection.close()

    t = threading.Thread(target=body)
    t.start()
    return t


def _pause_in(monkeypatch, module, name: str, when=lambda *a, **kw: True):
    """Make module.name stop, once, until released: returns (reached, release)."""
    reached, release, original = threading.Event(), threading.Event(), getattr(module, name)

    def paused(*args, **kwargs):
        if when(*args, **kwargs) and not reached.is_set():
            reached.set()
            assert release.wait(20), "never released"
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, paused)
    return reached, release


def test_publishing_while_a_call_is_booked_does_not_deadlock(therapist, monkeypatch):
    publish_policy(therapist)
    client, thread = onboard_client(therapist)
    sign_consent(client)
    client.refresh_from_db()
    from policies.services import policy_draft_save

    draft = policy_draft_save(therapist=therapist, rules=copy.deepcopy(GOOD_RULES))
    # The booking stops while it holds its locks and is deciding; the publication starts then.
    reached, release = _pause_in(monkeypatch, messaging_services, "decide")
    results: dict = {}
    monday_10 = _next_monday_10()
    booking = _run(
        lambda: call_request(
            sender=client,
            thread=thread,
            start=monday_10 + timedelta(minutes=30),
            minutes=15,
            channel="phone",
            now=monday_10,
        ),
        results,
        "call",
    )
    assert reached.wait(10)
    publishing = _run(
        lambda: policy_services.policy_publish(version=draft, actor=therapist), results, "publish"
    )
    assert _waiting_on_a_lock(), "the publication did not queue behind the booking"
    release.set()
    booking.join(20)
    publishing.join(20)
    assert not booking.is_alive() and not publishing.is_alive()
    assert not isinstance(results["call"], BaseException), results["call"]
    assert not isinstance(results["publish"], BaseException), results["publish"]
    assert results["call"].decision.outcome == "delivered" and results["call"].call is not None
    assert CallBooking.objects.filter(thread=thread).count() == 1
    assert PolicyVersion.objects.get(pk=draft.pk).status == PolicyVersion.Status.PUBLISHED
    # The booking committed first: its client's consent was active, and the publication superseded it.
    assert Consent.objects.get(client=client).status == Consent.Status.SUPERSEDED


def test_a_therapists_message_and_a_crisis_alert_during_a_publication_do_not_deadlock(therapist, monkeypatch):
    """The publication holds the therapist's row; a message the therapist sends, and a crisis
    alert naming the therapist, refer to that row (their foreign keys' checks take KEY SHARE):
    the row lock must not block them while they hold their threads."""
    publish_policy(therapist)
    client, thread = onboard_client(therapist)
    sign_consent(client)
    other, other_thread = onboard_client(therapist, email="robin@example.test", full_name="Robin Roe")
    sign_consent(other)
    from policies.services import policy_draft_save

    draft = policy_draft_save(therapist=therapist, rules=copy.deepcopy(GOOD_RULES))
    # Both sends stop while they hold their threads; the publication starts then.
    arrived, release, original = [], threading.Event(), messaging_services.decide

    def paused(*args, **kwargs):
        arrived.append(1)
        assert release.wait(20)
        return original(*args, **kwargs)

    monkeypatch.setattr(messaging_services, "decide", paused)
    results: dict = {}
    by_therapist = _run(
        lambda: message_send(
            sender=therapist,
            thread=thread.pk,
            category="emergency",
            channel="portal",
            body="I will call you at noon.",
        ),
        results,
        "therapist",
    )
    crisis = _run(
        lambda: message_send(
            sender=other,
            thread=other_thread.pk,
            category="check_in",
            channel="portal",
            body="I want to kill myself",
        ),
        results,
        "crisis",
    )
    deadline = time.monotonic() + 10
    while len(arrived) < 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert len(arrived) == 2
    publishing = _run(
        lambda: policy_services.policy_publish(version=draft, actor=therapist), results, "publish"
    )
    assert _waiting_on_a_lock(), "the publication did not queue behind the sends"
    release.set()
    for t in (by_therapist, crisis, publishing):
        t.join(20)
    for key in ("therapist", "crisis", "publish"):
        assert not isinstance(results[key], BaseException), (key, results[key])
    assert results["therapist"].decision.outcome == "delivered"
    assert results["crisis"].decision.outcome == "escalated"
    assert PolicyVersion.objects.get(pk=draft.pk).status == PolicyVersion.Status.PUBLISHED


def _send_during(monkeypatch, *, action: str, change, client, thread):
    """Run `change` until it is about to record `action` (its locks held), send a message
    meanwhile, check that the send waits, let the change commit: the send's result."""
    reached, release = _pause_in(
        monkeypatch, consent_services, "record", when=lambda **kw: kw.get("action") == action
    )
    results: dict = {}
    changing = _run(change, results, "change")
    assert reached.wait(10)
    sending = _run(
        lambda: message_send(
            sender=client,
            thread=thread.pk,
            category="emergency",
            channel="portal",
            body="Please call me about tomorrow.",
        ),
        results,
        "send",
    )
    assert _waiting_on_a_lock(), f"the send did not wait for {action}"
    assert sending.is_alive()
    release.set()
    changing.join(20)
    sending.join(20)
    assert not isinstance(results["change"], BaseException), results["change"]
    assert not isinstance(results["send"], BaseException), results["send"]
    return results["send"]


def test_a_send_in_flight_during_a_revocation_waits_and_is_blocked(therapist, monkeypatch):
    publish_policy(therapist)
    client, thread = onboard_client(therapist)
    consent = sign_consent(client)
    client.refresh_from_db()
    sent = _send_during(
        monkeypatch,
        action="consent.revoked",
        client=client,
        thread=thread,
        change=lambda: consent_services.consent_revoke(consent=consent, client=client, reason="moving on"),
    )
    assert sent.decision.outcome == "blocked" and list(sent.decision.reasons) == ["consent_revoked"]
    assert Message.objects.get(pk=sent.message.pk).status == "blocked"


@pytest.mark.parametrize("signed_before", [False, True], ids=["first consent", "signing again"])
def test_a_send_in_flight_during_a_signature_waits_and_decides_under_the_new_consent(
    therapist, monkeypatch, signed_before
):
    publish_policy(therapist)
    client, thread = onboard_client(therapist)
    if signed_before:
        sign_consent(client, channels=("phone",))  # no portal: a portal message would be channel_not_allowed
    client.refresh_from_db()
    sent = _send_during(
        monkeypatch,
        action="consent.signed",
        change=lambda: sign_consent(client),
        client=client,
        thread=thread,
    )
    assert sent.decision.outcome == "delivered", sent.decision


def test_without_for_update_of_a_second_send_still_waits(therapist, monkeypatch):
    """A database without FOR UPDATE OF gets a plain FOR UPDATE (faked here on PostgreSQL): the
    test of the send's lock passes as it does with OF."""
    from tests.messaging import test_send_lock

    monkeypatch.setattr(type(connection.features), "has_select_for_update_of", False)
    test_send_lock.test_a_second_send_waits_for_the_first_so_the_weekly_limit_holds(therapist)
