"""The exception page: who, when, category, channel, the rule and policy version that decided,
the override reason after a break-glass read, the review, and the thread's other exceptions."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from django.urls import reverse

from audit.chain import record
from audit.models import BoundaryException
from audit.services import exception_review
from consent.services import consent_revoke
from messaging.services.send import message_send

pytestmark = pytest.mark.django_db


@pytest.fixture
def override(thread, therapist):
    # check_in is portal-only: e-mail passes only with an override.
    r = message_send(
        sender=therapist,
        thread=thread,
        category="check_in",
        channel="email",
        body="How did the week go?",
        override_reason="Client asked for e-mail this once",
    )
    assert r.decision.outcome == "delivered_with_exception"
    return BoundaryException.objects.get(message_id=r.message.pk, kind="override")


def test_it_shows_category_channel_rule_and_policy_version_without_the_body(
    aclient, blocked, published_policy
):
    html = aclient.get(reverse("audit:exception", args=[blocked.pk])).content.decode()
    facts = html[html.index('data-testid="exception-facts"') : html.index('id="review-heading"')]
    assert "Blocked contact" in facts
    assert re.search(r'exception-category">Personal', facts)
    assert re.search(r'exception-channel">Portal', facts)
    assert f"Version {published_policy.version}" in facts
    assert published_policy.content_sha256[:12] in facts
    assert "<code>never_allowed</code>: Personal or social contact" in facts
    assert "Casey Client (client)" in facts  # who: the client sent it
    assert "Coffee on Sunday" not in html


def test_a_consent_change_names_the_version_the_consent_was_to(aclient, consented_client, published_policy):
    consent = consented_client.consents.get()
    consent_revoke(client=consented_client, consent=consent, reason="Moving away")
    exc = BoundaryException.objects.get(kind="consent_revoked")
    html = aclient.get(reverse("audit:exception", args=[exc.pk])).content.decode()
    assert "Consent withdrawn" in html and f"Version {published_policy.version}" in html
    assert "Moving away" not in html  # the revocation reason is health data


def test_a_review_replaces_the_button_with_who_and_when(aclient, admin, blocked):
    page = aclient.get(reverse("audit:exception", args=[blocked.pk])).content.decode()
    assert "Mark reviewed</button>" in page and "Not reviewed yet." in page
    resp = aclient.post(
        reverse("audit:review", args=[blocked.pk]), {"note": "Client reminded of the policy."}, follow=True
    )
    html = resp.content.decode()
    blocked.refresh_from_db()
    assert "Mark reviewed</button>" not in html
    assert "Reviewed by Alex Admin at " in html and "Client reminded of the policy." in html
    assert blocked.reviewed_at.strftime("%H:%M") in html  # the admin's zone is UTC here


def test_a_blank_review_note_is_a_form_error_and_changes_nothing(aclient, blocked):
    resp = aclient.post(reverse("audit:review", args=[blocked.pk]), {"note": "  "})
    assert resp.status_code == 400
    blocked.refresh_from_db()
    assert not blocked.reviewed


def test_times_are_in_the_admins_zone_named_once(aclient, admin, blocked):
    admin.timezone = "Asia/Tokyo"
    admin.save(update_fields=["timezone"])
    BoundaryException.objects.filter(pk=blocked.pk).update(at=datetime(2026, 3, 2, 15, 30, tzinfo=UTC))
    html = aclient.get(reverse("audit:exception", args=[blocked.pk])).content.decode()
    assert "Tuesday 3 March 2026, 00:30:00" in html  # 15:30 UTC is 00:30 the next day in Tokyo
    assert html.count("Asia/Tokyo") == 1


def test_the_override_reason_shows_only_after_a_break_glass_read(aclient, override):
    html = aclient.get(reverse("audit:exception", args=[override.pk])).content.decode()
    assert "Therapist override" in html and 'exception-channel">E-mail' in html
    assert "Client asked for e-mail this once" not in html and "How did the week go" not in html
    resp = aclient.post(
        reverse("audit:break_glass", args=[override.pk]), {"reason": "Quarterly override audit"}
    )
    read_html = resp.content.decode()
    assert resp.status_code == 200
    assert "Client asked for e-mail this once" in read_html and "How did the week go?" in read_html
    assert "Quarterly override audit" in read_html


def test_it_links_the_threads_other_exceptions(aclient, blocked, override, other_client, colleague):
    # An exception on another thread of the practice is not listed.
    elsewhere = record(
        practice_id=colleague.practice_id,
        action="contact.decided",
        actor=colleague,
        therapist_id=colleague.pk,
        client_id=other_client.pk,
        exception_kind="blocked",
        reasons=["outside_hours"],
    )
    elsewhere_exc = BoundaryException.objects.get(event=elsewhere)
    html = aclient.get(reverse("audit:exception", args=[blocked.pk])).content.decode()
    section = html[html.index('data-testid="thread-exceptions"') :]
    assert reverse("audit:exception", args=[override.pk]) in section
    assert reverse("audit:exception", args=[elsewhere_exc.pk]) not in section
    assert reverse("audit:exception", args=[blocked.pk]) not in section


def test_another_practices_exception_is_404(client, other_admin, blocked):
    client.force_login(other_admin)
    assert client.get(reverse("audit:exception", args=[blocked.pk])).status_code == 404
    assert client.post(reverse("audit:review", args=[blocked.pk]), {"note": "x"}).status_code == 404
    blocked.refresh_from_db()
    assert not blocked.reviewed


def test_the_page_takes_a_fixed_number_of_queries(
    aclient, admin, blocked, override, django_assert_num_queries
):
    exception_review(admin=admin, exception_id=blocked.pk, note="Seen")
    aclient.get(reverse("audit:exception", args=[blocked.pk]))  # warm the session
    # session, user, the exception (joined), break-glass reads, the message with its version,
    # the thread's other exceptions, the unread-notice count (the session's activity stamp is
    # rewritten at most once a minute: not here)
    with django_assert_num_queries(7):
        aclient.get(reverse("audit:exception", args=[blocked.pk]))
    for _ in range(3):
        record(
            practice_id=admin.practice_id,
            action="contact.decided",
            therapist_id=blocked.therapist_id,
            client_id=blocked.client_id,
            exception_kind="after_hours",
            reasons=["outside_hours"],
        )
    with django_assert_num_queries(7):
        aclient.get(reverse("audit:exception", args=[blocked.pk]))
