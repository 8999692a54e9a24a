"""The browser door onto messaging, what the thread page does: held messages, crisis alerts,
overrides, calls, contact logs, ending and reopening care.

Outcomes that depend on the hour are made independent of when the tests run: the policy is
republished with windows that are open at any time, or with one window that starts two hours
from now (so it is closed now), and the client consents again (tests/messaging/views_helpers.py).
"""

from __future__ import annotations

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import BoundaryException
from messaging.models import CallBooking, CrisisAlert, Message
from policies.wording import REASON_TEXT
from tests.messaging.views_helpers import (
    CRISIS_RESOURCES,
    TZ,
    book,
    closed_window,
    found,
    last_message,
    next_call_slot,
    page,
    repolicy,
    send,
    thread_url,
)

# --- held messages -----------------------------------------------------------------------------


def test_the_sender_sees_a_held_message_with_cancel_and_the_recipient_does_not(
    web, therapist, consented_client
):
    repolicy(
        therapist, consented_client, administrative={"windows": [closed_window()], "outside_hours": "hold"}
    )
    thread = consented_client.thread
    web.force_login(consented_client)
    send(web, thread, body="Held until the morning, please")
    held = last_message(thread, kind="message")
    html = page(web.get(thread_url(thread)))
    item = found(re.search(rf'id="message-{held.pk}".*?</li>', html, re.S)).group(0)
    assert "Held until the morning, please" in item
    assert reverse("messaging:cancel", args=[thread.pk, held.pk]) in item
    assert ">Cancel<" in item

    web.force_login(therapist)
    html = page(web.get(thread_url(thread)))
    assert "Held until the morning, please" not in html
    assert f'id="message-{held.pk}"' not in html


def test_the_sender_cancels_a_held_message(web, therapist, consented_client):
    repolicy(
        therapist, consented_client, administrative={"windows": [closed_window()], "outside_hours": "hold"}
    )
    thread = consented_client.thread
    web.force_login(consented_client)
    send(web, thread, body="Never mind")
    held = last_message(thread, kind="message")
    r = web.post(reverse("messaging:cancel", args=[thread.pk, held.pk]), follow=True)
    assert r.status_code == 200
    held.refresh_from_db()
    assert held.status == "cancelled"
    assert "cancelled" in page(r)
    # Cancelling again is refused in words, not with an error page.
    r = web.post(reverse("messaging:cancel", args=[thread.pk, held.pk]), follow=True)
    assert r.status_code == 200


def test_only_the_sender_can_cancel(web, therapist, consented_client):
    repolicy(
        therapist, consented_client, administrative={"windows": [closed_window()], "outside_hours": "hold"}
    )
    thread = consented_client.thread
    web.force_login(consented_client)
    send(web, thread, body="Mine to cancel")
    held = last_message(thread, kind="message")
    web.force_login(therapist)
    assert web.post(reverse("messaging:cancel", args=[thread.pk, held.pk])).status_code == 404
    held.refresh_from_db()
    assert held.status == "held"


# --- crisis alerts on the therapist's dashboard ------------------------------------------------------


def test_the_dashboard_shows_an_unacknowledged_crisis_alert_until_acknowledged(
    web, consented_client, thread, therapist
):
    web.force_login(consented_client)
    send(web, thread, body="I have been thinking about ending my life")
    alert = CrisisAlert.objects.get(thread=thread)

    web.force_login(therapist)
    html = page(web.get(reverse("messaging:therapist_home")))
    assert 'role="alert"' in html and "Crisis alert" in html and "Casey Client" in html
    ack = reverse("messaging:alert_ack", args=[alert.pk])
    assert ack in html and "Acknowledge" in html

    r = web.post(ack, follow=True)
    assert r.status_code == 200
    alert.refresh_from_db()
    assert alert.acknowledged_at is not None
    assert ack not in page(r)


def test_only_the_alerted_therapist_acknowledges(web, consented_client, thread, other_therapist, colleague):
    web.force_login(consented_client)
    send(web, thread, body="I want to die")
    alert = CrisisAlert.objects.get(thread=thread)
    ack = reverse("messaging:alert_ack", args=[alert.pk])
    assert web.post(ack).status_code == 403  # a client
    for stranger in (other_therapist, colleague):
        web.force_login(stranger)
        assert web.post(ack).status_code == 404
    alert.refresh_from_db()
    assert alert.acknowledged_at is None


# --- overrides -------------------------------------------------------------------------------------


def test_a_therapist_override_is_recorded_as_a_boundary_exception(web, therapist, consented_client):
    repolicy(
        therapist, consented_client, administrative={"windows": [closed_window()], "outside_hours": "block"}
    )
    thread = consented_client.thread
    before = BoundaryException.objects.filter(kind="override").count()
    web.force_login(therapist)
    html = page(
        send(
            web,
            thread,
            body="Your prescription letter is ready",
            override_reason="The pharmacy needs it before tomorrow",
        )
    )
    assert "Delivered as a boundary exception" in html
    assert REASON_TEXT["override"] in html
    assert last_message(thread, kind="message").status == "delivered_with_exception"
    assert BoundaryException.objects.filter(kind="override").count() == before + 1


def test_a_client_cannot_override(web, therapist, consented_client):
    repolicy(therapist, consented_client, check_in={"windows": [closed_window()], "outside_hours": "block"})
    thread = consented_client.thread
    before = BoundaryException.objects.filter(kind="override").count()
    web.force_login(consented_client)
    html = page(send(web, thread, category="check_in", body="Let me in", override_reason="Because"))
    assert "Not sent" in html
    assert BoundaryException.objects.filter(kind="override").count() == before


# --- calls -------------------------------------------------------------------------------------------


def test_the_call_form_shows_the_windows_and_the_longest_call(web, thread, consented_client):
    web.force_login(consented_client)
    html = page(web.get(thread_url(thread)))
    assert "Monday and Wednesday, 10:00 to 12:00" in html
    assert "at most 15 minutes" in html


def test_a_client_books_a_call_and_the_therapist_confirms_it(web, thread, consented_client, therapist):
    start = next_call_slot()
    web.force_login(consented_client)
    r = book(web, thread, start)
    assert r.status_code == 200
    call = CallBooking.objects.get(thread=thread)
    assert call.status == "booked"
    assert call.start == start.replace(tzinfo=TZ).astimezone(ZoneInfo("UTC"))
    assert "Call booked. The time is held for you until the therapist confirms it." in page(r)
    assert "booked, waiting for confirmation" in page(r)
    # The client cannot confirm their own booking.
    assert web.post(reverse("messaging:call_confirm", args=[thread.pk, call.pk])).status_code == 403

    web.force_login(therapist)
    home = page(web.get(reverse("messaging:therapist_home")))
    assert reverse("messaging:call_confirm", args=[thread.pk, call.pk]) in home
    r = web.post(reverse("messaging:call_confirm", args=[thread.pk, call.pk]), follow=True)
    assert r.status_code == 200
    call.refresh_from_db()
    assert call.status == "confirmed"


def test_the_therapist_declines_a_call(web, thread, consented_client, therapist):
    web.force_login(consented_client)
    book(web, thread, next_call_slot())
    call = CallBooking.objects.get(thread=thread)
    web.force_login(therapist)
    web.post(reverse("messaging:call_decline", args=[thread.pk, call.pk]), follow=True)
    call.refresh_from_db()
    assert call.status == "declined"


def test_a_call_that_is_too_long_is_refused_in_words(web, thread, consented_client):
    web.force_login(consented_client)
    html = page(book(web, thread, next_call_slot(), minutes=45))
    assert "Call not booked" in html
    assert REASON_TEXT["too_long"] in html
    assert not CallBooking.objects.filter(thread=thread).exists()


def test_an_overlapping_call_is_a_form_error(web, thread, consented_client, therapist):
    start = next_call_slot()
    web.force_login(consented_client)
    book(web, thread, start)
    web.force_login(therapist)
    r = book(web, thread, start + timedelta(minutes=5), minutes=10)
    assert r.status_code == 400
    assert CallBooking.objects.filter(thread=thread).count() == 1
    assert "invalid-feedback" in page(r) or "alert-danger" in page(r)


def test_call_actions_of_another_therapist_are_not_found(web, thread, consented_client, colleague):
    web.force_login(consented_client)
    book(web, thread, next_call_slot())
    call = CallBooking.objects.get(thread=thread)
    web.force_login(colleague)
    assert web.post(reverse("messaging:call_confirm", args=[thread.pk, call.pk])).status_code == 404


# --- contact log --------------------------------------------------------------------------------------


def test_the_therapist_logs_an_off_portal_contact(web, thread, therapist):
    at = (timezone.now() - timedelta(hours=3)).astimezone(TZ).replace(tzinfo=None, second=0, microsecond=0)
    web.force_login(therapist)
    r = web.post(
        reverse("messaging:contact_log", args=[thread.pk]),
        {
            "log-category": "emergency",
            "log-channel": "phone",
            "log-at": at.strftime("%Y-%m-%dT%H:%M"),
            "log-minutes": 20,
            "log-note": "Called at night; safety plan reviewed",
        },
        follow=True,
    )
    assert r.status_code == 200
    logged = last_message(thread, kind="contact")
    assert logged is not None and logged.minutes == 20
    assert logged.occurred_at == at.replace(tzinfo=TZ).astimezone(ZoneInfo("UTC"))
    assert "Safety plan reviewed".lower() in page(r).lower()


def test_a_time_the_therapist_types_is_read_in_their_own_zone(web, thread, therapist):
    # The policy is New York's; the therapist's profile says Los Angeles: every time on the page
    # is in Los Angeles time, so a time typed into the log is too (and the field says so).
    therapist.timezone = "America/Los_Angeles"
    therapist.save(update_fields=["timezone"])
    la = ZoneInfo("America/Los_Angeles")
    at = (timezone.now() - timedelta(hours=3)).astimezone(la).replace(tzinfo=None, second=0, microsecond=0)
    web.force_login(therapist)
    assert "In America/Los_Angeles time, your time zone." in page(
        web.get(reverse("messaging:thread", args=[thread.pk]))
    )
    web.post(
        reverse("messaging:contact_log", args=[thread.pk]),
        {
            "log-category": "emergency",
            "log-channel": "phone",
            "log-at": at.strftime("%Y-%m-%dT%H:%M"),
            "log-minutes": 20,
            "log-note": "Called back",
        },
    )
    logged = last_message(thread, kind="contact")
    assert logged is not None
    assert logged.occurred_at == at.replace(tzinfo=la).astimezone(ZoneInfo("UTC"))


def test_a_blocked_contact_log_is_kept_and_explained(web, thread, therapist):
    web.force_login(therapist)
    before = Message.objects.filter(thread=thread, kind="contact").count()
    r = web.post(
        reverse("messaging:contact_log", args=[thread.pk]),
        {
            "log-category": "personal",
            "log-channel": "phone",
            "log-at": (timezone.now() - timedelta(hours=1)).astimezone(TZ).strftime("%Y-%m-%dT%H:%M"),
            "log-note": "Met at a party",
        },
    )
    assert r.status_code == 302  # post/redirect/get: the outcome is read back after the redirect
    html = page(web.get(r["Location"]))
    assert "Logged as outside the contact policy" in html
    assert REASON_TEXT["never_allowed"] in html
    assert Message.objects.filter(thread=thread, kind="contact").count() == before + 1


def test_a_client_cannot_log_contacts(web, thread, consented_client):
    web.force_login(consented_client)
    r = web.post(
        reverse("messaging:contact_log", args=[thread.pk]),
        {"log-category": "emergency", "log-channel": "phone", "log-at": "2026-01-05T10:00", "log-note": "x"},
    )
    assert r.status_code == 403


# --- ending and reopening care -----------------------------------------------------------------------


def test_the_therapist_ends_care_with_a_note_and_reopens_it(web, thread, therapist, consented_client):
    web.force_login(therapist)
    r = web.post(
        reverse("messaging:care_end", args=[thread.pk]),
        {"care-note": "Referral: Dr Lee, 555-0100. " + CRISIS_RESOURCES},
        follow=True,
    )
    assert r.status_code == 200
    thread.refresh_from_db()
    assert thread.care_ended
    assert "Reopen care" in page(r)

    web.force_login(consented_client)
    html = page(web.get(thread_url(thread)))
    assert "Your therapist has ended care" in html
    assert "Referral: Dr Lee, 555-0100." in html
    html = page(send(web, thread, category="emergency", body="Hello?"))
    assert REASON_TEXT["care_ended"] in html

    web.force_login(therapist)
    web.post(reverse("messaging:care_reopen", args=[thread.pk]), follow=True)
    thread.refresh_from_db()
    assert not thread.care_ended


def test_ending_care_needs_a_note(web, thread, therapist):
    web.force_login(therapist)
    r = web.post(reverse("messaging:care_end", args=[thread.pk]), {"care-note": "  "})
    assert r.status_code == 400
    thread.refresh_from_db()
    assert not thread.care_ended


@pytest.mark.parametrize("name", ["care_end", "care_reopen"])
def test_a_client_cannot_end_or_reopen_care(web, thread, consented_client, name):
    web.force_login(consented_client)
    assert web.post(reverse(f"messaging:{name}", args=[thread.pk]), {"care-note": "bye"}).status_code == 403
