"""The client's states, each with one banner that tells the truth and one next step; the
"allowed now" table, held messages, calls and booking follow the state; the box stays."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from consent.models import Consent
from consent.services import consent_revoke
from messaging.models import Message
from messaging.services import care as care_service
from messaging.services import send as send_service
from tests.conftest import GOOD_RULES, next_weekday, onboard_client, publish_policy, sign_consent
from tests.messaging.views_helpers import found

pytestmark = pytest.mark.django_db


@pytest.fixture
def web(client):
    """Django's test client (the persona fixture `client_user` is the portal's client)."""
    return client


def home(web, user) -> str:
    web.force_login(user)
    r = web.get(reverse("messaging:client_home"))
    assert r.status_code == 200
    return r.content.decode()


def thread_page(web, thread) -> str:
    r = web.get(reverse("messaging:thread", args=[thread.pk]))
    assert r.status_code == 200
    return r.content.decode()


def state_of(html: str) -> str:
    return found(re.search(r'id="client-state" data-state="([a-z_]+)"', html)).group(1)


def next_step(html: str) -> tuple[str, str] | None:
    m = re.search(r'<a class="btn btn-primary" id="next-step" href="([^"]+)">([^<]+)</a>', html)
    return (m.group(1), m.group(2)) if m else None


def test_never_signed(web, therapist, published_policy):
    person, thread = onboard_client(therapist, email="n@example.test", full_name="Nat New")
    html = home(web, person)
    assert state_of(html) == "none" and "have not signed" in html
    assert next_step(html) == (reverse("consent:sign"), "Read and sign the contact policy")
    assert "Open your messages" not in html
    page = thread_page(web, thread)
    assert state_of(page) == "none"
    # The box stays (crisis always passes) and says what will happen; no "allowed now" table, no booking.
    assert 'id="compose-form"' in page and "Only crisis messages get through now" in page
    assert 'id="open-now"' not in page and 'id="booking-paused"' in page and "Book the call" not in page


def test_no_policy_yet(web, therapist):
    person, _ = onboard_client(therapist, email="p@example.test", full_name="Pat Early")
    html = home(web, person)
    assert state_of(html) == "no_policy" and next_step(html) is None


def test_active(web, consented_client, thread):
    html = home(web, consented_client)
    assert state_of(html) == "active" and "Your consent is active." in html
    assert next_step(html) == (reverse("messaging:thread", args=[thread.pk]), "Open your messages")
    page = thread_page(web, thread)
    assert 'id="client-state"' not in page  # nothing to warn about on the thread
    assert 'id="open-now"' in page and "Book the call" in page and 'name="call-start"' in page


def test_superseded_in_grace(web, therapist, consented_client, thread):
    publish_policy(therapist, {**GOOD_RULES, "after_hours_reply": "Back on Monday."})
    consent = Consent.objects.get(client=consented_client)
    html = home(web, consented_client)
    assert state_of(html) == "grace" and "still applies until" in html
    assert next_step(html) == (reverse("consent:sign"), "Review the changes and sign")
    assert consent.status == "superseded"
    page = thread_page(web, thread)
    # Consent still governs: the table and booking stay, and the banner asks to review.
    assert state_of(page) == "grace" and 'id="open-now"' in page and "Book the call" in page


def test_superseded_after_grace(web, therapist, consented_client, thread):
    publish_policy(therapist, {**GOOD_RULES, "reconsent_grace_days": 0})
    html = home(web, consented_client)
    assert state_of(html) == "superseded" and "no longer applies" in html
    assert next_step(html) == (reverse("consent:sign"), "Review the changes and sign")
    page = thread_page(web, thread)
    assert 'id="open-now"' not in page and "Only crisis messages get through now" in page


def test_revoked(web, consented_client, thread):
    held = send_service.message_send(
        sender=consented_client,
        thread=thread.pk,
        category="administrative",
        body="About the invoice",
        now=next_weekday(5, 23),
    )
    assert held.decision.outcome == "held"
    web.force_login(consented_client)
    assert "held until" in home(web, consented_client)
    consent_revoke(consent=Consent.objects.get(client=consented_client), client=consented_client, reason="x")
    html = home(web, consented_client)
    assert state_of(html) == "revoked" and "You withdrew your consent." in html
    assert next_step(html) == (reverse("consent:sign"), "Read and sign the contact policy again")
    assert 'id="held-list"' not in html  # cancelled: nothing promises a delivery any more
    page = thread_page(web, thread)
    assert 'id="open-now"' not in page and 'id="compose-form"' in page
    assert "will be delivered then" not in page
    # Crisis still passes after revocation, and the box is there to send it.
    r = web.post(
        reverse("messaging:send", args=[thread.pk]), {"body": "I want to kill myself", "category": "check_in"}
    )
    assert r.status_code == 302
    assert Message.objects.filter(thread=thread, status="escalated").exists()


def test_care_ended(web, therapist, consented_client, thread):
    care_service.care_end(therapist=therapist, thread=thread, note="Referred to Dr. Lee.")
    html = home(web, consented_client)
    assert state_of(html) == "care_ended" and "Your therapist has ended care." in html
    assert next_step(html) == (reverse("messaging:thread", args=[thread.pk]), "Read your messages")
    page = thread_page(web, thread)
    assert state_of(page) == "care_ended" and 'id="open-now"' not in page and 'id="compose-form"' in page


def test_resigning_returns_to_active(web, consented_client, thread):
    consent_revoke(consent=Consent.objects.get(client=consented_client), client=consented_client, reason="x")
    sign_consent(consented_client)
    assert state_of(home(web, consented_client)) == "active"


def test_a_refused_attempt_is_listed_apart_and_its_text_goes_back_in_the_box(web, consented_client, thread):
    web.force_login(consented_client)
    r = web.post(
        reverse("messaging:send", args=[thread.pk]), {"body": "Coffee sometime?", "category": "personal"}
    )
    assert r.status_code == 302 and "sent=" in r["Location"]
    page = web.get(r["Location"]).content.decode()
    conversation = page[
        page.index('id="message-list"') : page.index("</ol>", page.index('id="message-list"'))
    ]
    assert "Coffee sometime?" not in conversation
    assert 'id="attempt-list"' in page and "Not sent" in page
    assert re.search(r'<textarea[^>]*name="body"[^>]*>\s*Coffee sometime\?</textarea>', page)
    # A reload shows the page again; nothing is sent twice.
    web.get(r["Location"])
    assert Message.objects.filter(thread=thread, status="blocked").count() == 1


def test_the_client_picks_a_call_from_open_slots_without_taken_ones(web, therapist, consented_client, thread):
    web.force_login(consented_client)
    page = thread_page(web, thread)
    values = re.findall(r'name="call-start" value="([^"]+)"', page)
    assert values, "open slots are offered"
    first = values[0]
    r = web.post(
        reverse("messaging:call_book", args=[thread.pk]),
        {"call-start": first, "call-minutes": 15, "call-channel": "phone"},
    )
    assert r.status_code == 302
    after = re.findall(r'name="call-start" value="([^"]+)"', thread_page(web, thread))
    assert first not in after
    # A time that is not offered is a field error, and nothing is booked.
    r = web.post(
        reverse("messaging:call_book", args=[thread.pk]),
        {"call-start": first, "call-minutes": 15, "call-channel": "phone"},
    )
    assert r.status_code == 400 and "not open any more" in r.content.decode()


def test_the_crisis_outcome_does_not_repeat_its_opening_words(web, consented_client, thread):
    web.force_login(consented_client)
    r = web.post(
        reverse("messaging:send", args=[thread.pk]), {"body": "I want to kill myself", "category": "check_in"}
    )
    page = web.get(r["Location"]).content.decode()
    panel = found(
        re.search(r'<div class="alert alert-danger crisis-resources" role="alert">(.*?)</div>', page, re.S)
    ).group(1)
    assert "Get help now:" in panel and panel.count("If you are in danger") <= 1


def test_the_thread_does_not_link_to_itself_as_the_next_step(web, therapist, consented_client, thread):
    care_service.care_end(therapist=therapist, thread=thread, note="Referred to Dr. Lee.")
    web.force_login(consented_client)
    page = thread_page(web, thread)
    assert state_of(page) == "care_ended" and next_step(page) is None
