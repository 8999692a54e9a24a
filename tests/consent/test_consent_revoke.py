"""Withdrawing consent: a confirm step that says what happens, and the service doing both
things it says (CONTRACT "Consent": held messages cancelled, booked calls declined)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from consent.models import Consent
from consent.services import consent_revoke
from messaging.models import CallBooking, Message
from messaging.services.send import message_send
from tests.conftest import next_weekday

pytestmark = pytest.mark.django_db


def test_revoking_cancels_held_messages_and_declines_booked_calls(consented_client, pending):
    held, call = pending
    consent = Consent.objects.get(client=consented_client, status="active")
    consent_revoke(consent=consent, client=consented_client, reason="Moving on")
    held.refresh_from_db()
    call.refresh_from_db()
    assert held.status == Message.Status.CANCELLED and held.reasons == ["consent_revoked"]
    assert call.status == CallBooking.Status.DECLINED


def test_the_confirm_step_says_what_happens_and_changes_nothing(client, consented_client, pending):
    consent = Consent.objects.get(client=consented_client, status="active")
    client.force_login(consented_client)
    receipt = client.get(reverse("consent:receipt", args=[consent.pk])).content.decode()
    assert reverse("consent:revoke", args=[consent.pk]) in receipt
    page = client.get(reverse("consent:revoke", args=[consent.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "1 held message will be cancelled" in html and "1 booked call will be declined" in html
    assert "Crisis messages still reach your therapist" in html
    consent.refresh_from_db()
    assert consent.status == "active" and Message.objects.filter(status="held").count() == 1


def test_withdrawing_needs_no_written_reason(client, consented_client, pending):
    consent = Consent.objects.get(client=consented_client, status="active")
    client.force_login(consented_client)
    r = client.post(reverse("consent:revoke", args=[consent.pk]), {"reason": "  "})
    assert r.status_code == 302 and r.url == reverse("home")
    consent.refresh_from_db()
    assert consent.status == "revoked" and consent.revocation_reason == "No reason given."
    again = client.get(reverse("consent:revoke", args=[consent.pk]))
    assert again.status_code == 302 and again.url == reverse("consent:receipt", args=[consent.pk])


def test_the_receipt_shows_a_short_fingerprint_with_a_copy_button_and_words(client, consented_client):
    consent = Consent.objects.get(client=consented_client, status="active")
    client.force_login(consented_client)
    html = client.get(reverse("consent:receipt", args=[consent.pk])).content.decode()
    sha = consent.content_sha256
    assert f'data-copy="{sha}"' in html and f"{sha[:4]} {sha[4:8]} {sha[8:12]} {sha[12:16]}" in html
    assert "Fingerprint of the text" in html and "SHA-256 of the text" not in html
    assert "Portal message, Phone and E-mail" in html and "portal, phone, email" not in html
    assert "Times are shown in America/New_York time." in html and "UTC" not in html.split("<footer")[0]


def test_the_withdrawal_notice_is_cleared_when_the_client_signs_again(
    consented_client, therapist, django_capture_on_commit_callbacks
):
    from tests.conftest import sign_consent

    consent = Consent.objects.get(client=consented_client, status="active")
    with django_capture_on_commit_callbacks(execute=True):
        consent_revoke(consent=consent, client=consented_client, reason="Moving on")
    notice = therapist.notifications.get(kind="consent")
    assert "withdrew consent" in notice.text and notice.read_at is None
    with django_capture_on_commit_callbacks(execute=True):
        sign_consent(consented_client)
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_homes_list_notices_with_times_and_the_badge_counts_them_all(
    client, consented_client, therapist, django_capture_on_commit_callbacks
):
    import re

    from portal.models import Notification

    for i in range(12):
        Notification.objects.create(user=therapist, kind="message", text=f"Notice {i}")
    client.force_login(therapist)
    html = client.get(reverse("messaging:therapist_home")).content.decode()
    listed = re.findall(r"<li><time datetime=\"[^\"]+\">[^<]+</time>: Notice \d+</li>", html)
    badge = re.search(r'id="notice-badge"[^>]*>(\d+) new', html)
    assert badge is not None and int(badge.group(1)) == len(listed) == 12


def test_the_therapists_held_message_is_cancelled_too_and_they_are_told(
    consented_client, therapist, thread, django_capture_on_commit_callbacks
):
    held = message_send(
        sender=therapist,
        thread=thread.pk,
        category="administrative",
        body="Invoice attached",
        now=next_weekday(5, 23),
    )
    assert held.decision.outcome == "held"
    with django_capture_on_commit_callbacks(execute=True):
        consent_revoke(
            consent=Consent.objects.get(client=consented_client, status="active"),
            client=consented_client,
            reason="x",
        )
    held.message.refresh_from_db()
    assert held.message.status == "cancelled"
    assert therapist.notifications.filter(kind="undelivered").exists()
