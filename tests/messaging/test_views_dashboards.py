"""The browser door onto messaging, the dashboards (the therapist's and the client's homes) and
post/redirect/get on every form of the thread and home pages.

Outcomes that depend on the hour are made independent of when the tests run: the policy is
republished with windows that are open at any time, or with one window that starts two hours
from now (so it is closed now), and the client consents again (tests/messaging/views_helpers.py).
"""

from __future__ import annotations

import re
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from messaging.models import CallBooking, CrisisAlert
from policies.wording import REASON_TEXT
from portal.localtime import local_time
from tests.conftest import GOOD_RULES, publish_policy
from tests.messaging.views_helpers import (
    TZ,
    book,
    closed_window,
    last_message,
    next_call_slot,
    page,
    repolicy,
    send,
    thread_url,
)

# --- dashboards ------------------------------------------------------------------------------------------


def test_the_therapist_home_lists_clients_with_unread_counts_and_consent(
    web, thread, therapist, consented_client
):
    web.force_login(consented_client)
    send(web, thread, category="emergency", body="Call me please")
    web.force_login(therapist)
    r = web.get(reverse("messaging:therapist_home"))
    assert r.status_code == 200
    html = page(r)
    assert "Casey Client" in html and "Consent active" in html
    assert f'data-unread-thread="{thread.pk}">1 unread<' in html
    assert reverse("messaging:thread", args=[thread.pk]) in html
    for name in ("policies:editor", "policies:simulator", "consent:clients"):
        assert f'href="{reverse(name)}"' in html


def test_the_therapist_home_lists_held_messages(web, therapist, consented_client):
    repolicy(
        therapist, consented_client, administrative={"windows": [closed_window()], "outside_hours": "hold"}
    )
    thread = consented_client.thread
    web.force_login(therapist)
    send(web, thread, body="Invoice attached in the portal")
    held = last_message(thread, kind="message")
    assert held.status == "held"
    html = page(web.get(reverse("messaging:therapist_home")))
    assert f"held until {local_time(held.deliver_at, TZ, named=False)}" in html
    assert "Times are shown in America/New_York time." in html


def test_the_client_home_shows_consent_the_thread_and_the_export(web, thread, consented_client):
    web.force_login(consented_client)
    r = web.get(reverse("messaging:client_home"))
    assert r.status_code == 200
    html = page(r)
    assert "Your consent is active." in html
    messages_url = reverse("messaging:thread", args=[thread.pk])
    assert re.search(
        rf'<a class="btn btn-primary" id="next-step" href="{messages_url}">Open your messages</a>', html
    )
    assert 'href="/api/v1/me/export"' in html and reverse("messaging:record") in html
    consent = consented_client.consents.first()
    assert reverse("consent:receipt", args=[consent.pk]) in html
    assert "Read and sign" not in html and "Review the changes" not in html  # nothing to sign


def test_the_client_home_asks_for_re_consent_after_a_new_version(web, therapist, consented_client):
    publish_policy(therapist, {**GOOD_RULES, "after_hours_reply": "Back on Monday."})
    web.force_login(consented_client)
    html = page(web.get(reverse("messaging:client_home")))
    assert "Your therapist updated the contact policy." in html and "still applies until" in html
    assert f'id="next-step" href="{reverse("consent:sign")}">Review the changes and sign</a>' in html


def test_the_client_home_lists_upcoming_calls(web, thread, consented_client):
    web.force_login(consented_client)
    book(web, thread, next_call_slot())
    html = page(web.get(reverse("messaging:client_home")))
    assert "booked, waiting for confirmation" in html


def test_dashboards_are_for_their_side_only(web, therapist, consented_client, admin):
    web.force_login(consented_client)
    assert web.get(reverse("messaging:therapist_home")).status_code == 403
    web.force_login(therapist)
    assert web.get(reverse("messaging:client_home")).status_code == 403
    web.force_login(admin)
    assert web.get(reverse("messaging:therapist_home")).status_code == 403


def test_home_sends_each_side_to_its_dashboard(web, therapist, consented_client):
    web.force_login(therapist)
    assert web.get("/")["Location"] == reverse("messaging:therapist_home")
    web.force_login(consented_client)
    assert web.get("/")["Location"] == reverse("messaging:client_home")


def test_a_client_without_consent_is_told_why_messages_are_refused(web, therapist, published_policy):
    from tests.conftest import onboard_client

    client_user, thread = onboard_client(therapist, email="new@example.test", full_name="New Client")
    web.force_login(client_user)
    html = page(web.get(thread_url(thread)))
    assert "You have not signed your therapist&#x27;s contact policy yet." in html
    html = page(send(web, thread, body="Hello"))
    assert REASON_TEXT["no_consent"] in html
    assert reverse("consent:sign") in html
    html = page(web.get(reverse("messaging:client_home")))
    assert f'id="next-step" href="{reverse("consent:sign")}">Read and sign the contact policy</a>' in html
    assert "Open your messages" not in html


def test_the_thread_page_does_not_query_per_message(web, thread, therapist, consented_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from messaging.services import send as send_service

    def grow(n):
        for i in range(n):
            send_service.message_send(
                sender=consented_client,
                thread=thread,
                category="emergency",
                channel="portal",
                body=f"message {i}",
            )

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert web.get(thread_url(thread)).status_code == 200
        return len(queries.captured_queries)

    web.force_login(consented_client)
    book(web, thread, next_call_slot())
    grow(2)
    few = count()
    grow(15)
    assert count() == few
    # The page also lists the open call slots (one query for the therapist's calls) and the
    # refused attempts (one query): still nothing per message.
    assert few <= 17, few


def test_the_outcome_panel_is_only_for_the_sender(web, thread, therapist, consented_client):
    web.force_login(consented_client)
    send(web, thread, category="emergency", body="Please call")
    mine = last_message(thread, kind="message")
    assert 'id="outcome"' in page(web.get(f"{thread_url(thread)}?sent={mine.pk}"))
    web.force_login(therapist)
    html = page(web.get(f"{thread_url(thread)}?sent={mine.pk}"))
    assert 'id="outcome"' not in html
    assert "Please call" in html


# --- post/redirect/get: every form of the thread and home pages (issue 16) -------------------------


def _prg(web, url: str, data: dict) -> str:
    """A successful POST answers 302 to a page a reload only reads (GET 200)."""
    r = web.post(url, data)
    assert r.status_code == 302, (url, r.status_code)
    location = r["Location"]
    assert web.get(location).status_code == 200
    return location


def test_every_form_of_the_thread_and_home_pages_redirects_after_a_success(
    web, therapist, consented_client, thread
):
    from messaging.slots import open_call_slots
    from policies.selectors import current_version

    repolicy(
        therapist, consented_client, administrative={"windows": [closed_window()], "outside_hours": "hold"}
    )
    thread.refresh_from_db()
    web.force_login(consented_client)
    _prg(
        web, reverse("messaging:send", args=[thread.pk]), {"category": "administrative", "body": "A receipt?"}
    )
    held = last_message(thread, status="held")
    assert held is not None
    _prg(web, reverse("messaging:cancel", args=[thread.pk, held.pk]), {})
    slot = open_call_slots(version=current_version(therapist.pk), therapist_id=therapist.pk, minutes=15)[0]
    _prg(
        web,
        reverse("messaging:call_book", args=[thread.pk]),
        {
            "call-start": slot.start.astimezone(TZ).strftime("%Y-%m-%dT%H:%M"),
            "call-minutes": 15,
            "call-channel": "phone",
        },
    )
    call = CallBooking.objects.get(thread=thread)

    web.force_login(therapist)
    _prg(web, reverse("messaging:call_confirm", args=[thread.pk, call.pk]), {})
    at = (timezone.now() - timedelta(hours=3)).astimezone(TZ).strftime("%Y-%m-%dT%H:%M")
    _prg(
        web,
        reverse("messaging:contact_log", args=[thread.pk]),
        {
            "log-category": "administrative",
            "log-channel": "phone",
            "log-at": at,
            "log-minutes": 5,
            "log-note": "Rescheduled",
        },
    )
    web.force_login(consented_client)
    send(web, thread, category="emergency", body="I want to end my life tonight")
    web.force_login(therapist)
    alert = CrisisAlert.objects.get(thread=thread)
    _prg(web, reverse("messaging:alert_ack", args=[alert.pk]), {})
    _prg(web, reverse("messaging:care_end", args=[thread.pk]), {"care-note": "Referral: Dr Lee, 555-0100."})
    _prg(web, reverse("messaging:care_reopen", args=[thread.pk]), {})
    # The simulator too (tests/messaging/test_compose_views.py and tests/policies/test_simulator.py).
