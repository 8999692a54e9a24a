"""Every outcome and reason code end to end through the API, on the one send path.

Times: the policy is America/New_York; 2026-11-30 is a Monday. The send path takes
`now` from django.utils.timezone.now, which these tests pin with `at_time` (tests/messaging/conftest.py).
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from audit.models import AuditEvent, BoundaryException
from messaging.models import CallBooking, CrisisAlert, Message
from messaging.services.release import release_held_messages
from policies.reader import read
from portal.models import OutboxItem
from tests.conftest import GOOD_RULES, api_for, onboard_client, publish_policy, sign_consent
from tests.messaging.send_api_helpers import MON_10, SAT_23, THU_1230, post

pytestmark = pytest.mark.django_db


def test_delivered_in_hours(consented_client, thread, at_time):
    at_time(MON_10)
    r = post(consented_client, thread, category="administrative", body="Receipt please")
    assert r.status_code == 201
    assert r.json() == {
        "id": r.json()["id"],
        "status": "delivered",
        "deliver_at": None,
        "decision": {
            "outcome": "delivered",
            "reasons": [],
            "reading": read("Receipt please").as_dict(for_client=True),
        },
    }


def test_held_outside_hours_is_hidden_from_the_recipient_and_cancellable(
    consented_client, thread, therapist, at_time
):
    at_time(SAT_23)
    r = post(consented_client, thread, category="administrative", body="Billing question")
    assert r.status_code == 201 and r.json()["status"] == "held"
    assert r.json()["deliver_at"] == "2026-11-30T14:00:00Z"
    assert r.json()["decision"]["auto_reply"] == GOOD_RULES["after_hours_reply"]
    mid = r.json()["id"]
    assert mid not in [
        m["id"] for m in api_for(therapist).get(f"/api/v1/threads/{thread.pk}/messages").json()
    ]
    assert mid in [
        m["id"] for m in api_for(consented_client).get(f"/api/v1/threads/{thread.pk}/messages").json()
    ]
    assert api_for(therapist).post(f"/api/v1/threads/{thread.pk}/messages/{mid}/cancel").status_code == 404
    assert (
        api_for(consented_client).post(f"/api/v1/threads/{thread.pk}/messages/{mid}/cancel").status_code
        == 200
    )
    assert (
        api_for(consented_client).post(f"/api/v1/threads/{thread.pk}/messages/{mid}/cancel").status_code
        == 409
    )


def test_auto_reply_is_posted_at_most_once_per_15_minutes(consented_client, thread, at_time):
    at_time(SAT_23)
    for _ in range(3):
        post(consented_client, thread, category="administrative")
    at_time(SAT_23 + timedelta(minutes=16))
    post(consented_client, thread, category="administrative")
    assert Message.objects.filter(thread=thread, kind="auto_reply").count() == 2


def test_release_delivers_held_messages_and_records_each(
    consented_client, thread, therapist, at_time, django_capture_on_commit_callbacks
):
    at_time(SAT_23)
    held = post(consented_client, thread, category="administrative").json()["id"]
    assert release_held_messages(now=SAT_23 + timedelta(hours=1)) == 0  # not due yet
    with django_capture_on_commit_callbacks(execute=True):
        assert release_held_messages(now=MON_10) == 1
    m = Message.objects.get(pk=held)
    assert m.status == "delivered" and m.delivered_at == MON_10
    assert AuditEvent.objects.filter(action="contact.released", object_id=held).count() == 1
    assert (
        OutboxItem.objects.filter(
            task="contact.released", payload__message_id=held, done_at__isnull=False
        ).count()
        == 1
    )
    assert therapist.notifications.filter(kind="message").count() == 1
    assert release_held_messages(now=MON_10) == 0  # idempotent


def test_release_cancels_when_consent_was_revoked_meanwhile(consented_client, thread, at_time):
    from consent.services import consent_revoke

    at_time(SAT_23)
    held = post(consented_client, thread, category="administrative").json()["id"]
    consent_revoke(consent=thread.consent, client=consented_client, reason="changed my mind")
    # The revocation itself cancels what was held (CONTRACT "Consent"); the release finds nothing.
    m = Message.objects.get(pk=held)
    assert (m.status, m.reasons) == ("cancelled", ["consent_revoked"])
    assert BoundaryException.objects.filter(kind="consent_revoked", client=consented_client).exists()
    assert release_held_messages(now=MON_10) == 0
    assert Message.objects.get(pk=held).status == "cancelled"


def test_escalated_crisis_without_consent_raises_an_alert(therapist, published_policy, at_time):
    client, thread = onboard_client(therapist)
    at_time(SAT_23)
    r = post(client, thread, category="personal", body="I don't want to live anymore")
    assert r.status_code == 201 and r.json()["status"] == "escalated"
    assert r.json()["decision"]["reasons"] == ["crisis_detected"]
    assert r.json()["decision"]["crisis_resources"] == GOOD_RULES["crisis_resources"]
    alert = CrisisAlert.objects.get()
    assert alert.due_at == SAT_23 + timedelta(minutes=15)
    assert BoundaryException.objects.filter(kind="crisis").count() == 1


@pytest.mark.parametrize(
    "category,channel,code",
    [
        ("personal", "portal", "never_allowed"),
        ("administrative", "social_media", "never_allowed"),
        ("administrative", "sms", "channel_not_allowed"),
        ("check_in", "portal", "outside_hours"),
    ],
)
def test_blocked_is_422_recorded_and_visible_only_to_the_sender(
    consented_client, thread, therapist, at_time, category, channel, code
):
    at_time(SAT_23)
    r = post(consented_client, thread, category=category, channel=channel)
    assert r.status_code == 422 and r.json()["status"] == "blocked"
    assert code in r.json()["decision"]["reasons"]
    assert BoundaryException.objects.filter(message_id=r.json()["id"], kind="blocked").exists()
    assert r.json()["id"] not in [
        m["id"] for m in api_for(therapist).get(f"/api/v1/threads/{thread.pk}/messages").json()
    ]


def test_channel_the_client_did_not_opt_into(therapist, published_policy, at_time):
    client, thread = onboard_client(therapist)
    sign_consent(client, channels=("portal",))
    at_time(MON_10)
    r = post(client, thread, category="administrative", channel="email")
    assert r.status_code == 422 and r.json()["decision"]["reasons"] == ["channel_not_allowed"]


def test_no_consent_revoked_and_superseded_after_grace(therapist, published_policy, at_time):
    from consent.services import consent_revoke

    client, thread = onboard_client(therapist)
    at_time(MON_10)
    assert post(client, thread, category="administrative").json()["decision"]["reasons"] == ["no_consent"]
    consent = sign_consent(client)
    consent_revoke(consent=consent, client=client, reason="x")
    assert post(client, thread, category="administrative").json()["decision"]["reasons"] == [
        "consent_revoked"
    ]
    assert post(therapist, thread, category="administrative").json()["decision"]["reasons"] == [
        "consent_revoked"
    ]


def test_grace_period_then_superseded(consented_client, thread, therapist, at_time):
    publish_policy(therapist, dict(GOOD_RULES, reconsent_grace_days=3))
    published = thread.consent.grace_until - timedelta(days=3)
    at_time(published + timedelta(days=2))
    # In grace: the old version's rules still decide (an admin question in hours on a weekday?)
    r = post(consented_client, thread, category="emergency", body="please call")
    assert r.status_code == 201
    at_time(published + timedelta(days=3, seconds=1))
    r = post(consented_client, thread, category="emergency", body="please call")
    assert r.status_code == 422 and r.json()["decision"]["reasons"] == ["consent_superseded"]
    crisis = post(consented_client, thread, category="emergency", body="I want to end my life")
    assert crisis.status_code == 201 and crisis.json()["status"] == "escalated"


def test_rate_limit_is_for_clients_and_counts_the_rolling_week(consented_client, thread, therapist, at_time):
    at_time(THU_1230)
    assert post(consented_client, thread, category="check_in").status_code == 201
    assert post(consented_client, thread, category="check_in").status_code == 201
    r = post(consented_client, thread, category="check_in")
    assert r.status_code == 422 and r.json()["decision"]["reasons"] == ["rate_limited"]
    assert post(therapist, thread, category="check_in").status_code == 201
    at_time(THU_1230 + timedelta(days=7, minutes=1))
    assert post(consented_client, thread, category="check_in").status_code == 201


def test_crisis_pause_blocks_listed_categories_for_24_hours(consented_client, thread, at_time):
    at_time(THU_1230 - timedelta(hours=2))
    post(consented_client, thread, category="administrative", body="I have been cutting myself again")
    at_time(THU_1230)
    r = post(consented_client, thread, category="check_in")
    assert r.status_code == 422 and r.json()["decision"]["reasons"] == ["paused_after_crisis"]
    assert r.json()["decision"]["crisis_resources"]


def test_therapist_override_is_an_exception_with_its_reason(consented_client, thread, therapist, at_time):
    at_time(SAT_23)
    r = post(therapist, thread, category="administrative", override_reason="Insurance deadline tomorrow")
    assert r.status_code == 201 and r.json()["status"] == "delivered_with_exception"
    assert r.json()["decision"]["reasons"] == ["outside_hours", "override"]
    assert BoundaryException.objects.get(message_id=r.json()["id"]).kind == "override"
    client_try = post(consented_client, thread, category="check_in", override_reason="please")
    assert client_try.status_code == 422


def test_care_ended_blocks_both_ways_until_reopened(consented_client, thread, therapist, at_time):
    at_time(MON_10)
    api = api_for(therapist)
    assert (
        api.post(
            f"/api/v1/threads/{thread.pk}/end-care", {"note": "Referral: Dr B. Crisis: 988."}, format="json"
        ).status_code
        == 200
    )
    assert post(consented_client, thread, category="administrative").json()["decision"]["reasons"] == [
        "care_ended"
    ]
    assert post(therapist, thread, category="administrative").json()["decision"]["reasons"] == ["care_ended"]
    assert api_for(consented_client).get("/api/v1/threads").json()[0]["care_ended"] is True
    assert any(
        m["body"].startswith("Referral")
        for m in api_for(consented_client).get(f"/api/v1/threads/{thread.pk}/messages").json()
    )
    assert api.post(f"/api/v1/threads/{thread.pk}/reopen").status_code == 200
    assert post(consented_client, thread, category="administrative").status_code == 201
    assert (
        api_for(consented_client)
        .post(f"/api/v1/threads/{thread.pk}/end-care", {"note": "x"}, format="json")
        .status_code
        == 403
    )


def test_calls_book_fit_windows_and_conflict(consented_client, thread, therapist, at_time):
    at_time(MON_10 - timedelta(days=3))
    api = api_for(consented_client)
    url = f"/api/v1/threads/{thread.pk}/calls"
    ok = api.post(url, {"start": "2026-11-30T15:30:00Z", "minutes": 15, "channel": "phone"}, format="json")
    assert (
        ok.status_code == 201
        and ok.json()["status"] == "booked"
        and ok.json()["start"] == "2026-11-30T15:30:00Z"
    )
    clash = api.post(url, {"start": "2026-11-30T15:40:00Z", "minutes": 10, "channel": "phone"}, format="json")
    assert clash.status_code == 409
    late = api.post(url, {"start": "2026-11-30T16:50:00Z", "minutes": 15, "channel": "phone"}, format="json")
    assert late.status_code == 422 and late.json()["decision"]["reasons"] == ["outside_hours"]
    long = api.post(url, {"start": "2026-12-02T15:00:00Z", "minutes": 30, "channel": "phone"}, format="json")
    assert long.status_code == 422 and long.json()["decision"]["reasons"] == ["too_long"]
    naive = api.post(url, {"start": "2026-11-30T10:30:00", "minutes": 15, "channel": "phone"}, format="json")
    assert naive.status_code == 400 and "start" in naive.json()
    assert CallBooking.objects.count() == 1
