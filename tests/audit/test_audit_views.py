"""The admin's pages: dashboard charts, filtering, review, CSV export, break-glass."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_pages_are_for_admins_only(client, therapist, blocked):
    client.force_login(therapist)
    for name, args in (
        ("audit:dashboard", []),
        ("audit:exceptions", []),
        ("audit:exception", [blocked.pk]),
        ("audit:export", []),
    ):
        assert client.get(reverse(name, args=args)).status_code == 403


def test_dashboard_draws_svg_charts(aclient, blocked):
    html = aclient.get(reverse("practice:dashboard")).content.decode()
    assert html.count("<svg") == 2 and "blocked" in html


def test_filter_and_open_without_the_body(aclient, blocked):
    page = aclient.get(reverse("audit:exceptions"), {"kind": "blocked", "reviewed": "no"})
    assert [e.pk for e in page.context["rows"]] == [blocked.pk]
    detail = aclient.get(reverse("audit:exception", args=[blocked.pk])).content.decode()
    assert "never_allowed" in detail and "Coffee on Sunday" not in detail


def test_review_with_a_note(aclient, blocked):
    aclient.post(reverse("audit:review", args=[blocked.pk]), {"note": "Client reminded of the policy."})
    blocked.refresh_from_db()
    assert blocked.reviewed and blocked.review_note == "Client reminded of the policy."


def test_csv_export_streams_and_is_recorded(aclient, blocked):
    resp = aclient.get(reverse("audit:export"), {"kind": "blocked"})
    assert resp.streaming
    body = b"".join(resp.streaming_content).decode()
    assert body.splitlines()[0].startswith("id,kind,at") and f"{blocked.pk},blocked" in body
    assert "Coffee" not in body
    assert AuditEvent.objects.filter(action="audit.exceptions_exported").exists()


def test_break_glass_needs_a_reason_records_it_and_tells_the_therapist(aclient, blocked, therapist):
    assert aclient.post(reverse("audit:break_glass", args=[blocked.pk]), {"reason": ""}).status_code == 400
    page = aclient.post(
        reverse("audit:break_glass", args=[blocked.pk]), {"reason": "Complaint investigation"}
    )
    assert "Coffee on Sunday?" in page.content.decode()
    assert AuditEvent.objects.filter(action="audit.break_glass_read").count() == 1
    assert therapist.notifications.filter(kind="break_glass").exists()


def test_another_practice_admin_gets_404(client, other_admin, blocked):
    client.force_login(other_admin)
    assert client.get(reverse("audit:exception", args=[blocked.pk])).status_code == 404


def test_dashboard_of_a_practice_without_exceptions(aclient):
    html = aclient.get(reverse("practice:dashboard")).content.decode()
    assert html.count("No exceptions in the last 12 weeks") == 2 and "<svg" not in html


def test_each_break_glass_read_tells_the_therapist_again(aclient, blocked, therapist):
    for reason in ("Complaint investigation", "Follow-up on the complaint"):
        assert (
            aclient.post(reverse("audit:break_glass", args=[blocked.pk]), {"reason": reason}).status_code
            == 200
        )
    assert therapist.notifications.filter(kind="break_glass").count() == 2


def test_each_row_of_the_list_links_to_its_exception(aclient, blocked):
    html = aclient.get(reverse("audit:exceptions")).content.decode()
    assert f'href="{reverse("audit:exception", args=[blocked.pk])}"' in html
