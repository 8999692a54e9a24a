"""Issue 17's journey, at desktop width and at 390 px: the practice admin reads the charts over
a chosen period, is told why an impossible filter cannot match, opens an exception (category,
channel, rule, policy version), reviews it and sees who reviewed it when, browses the audit
events with their chain positions, downloads both CSVs and the latest signed checkpoint, and
invites a therapist, who sets their own password from the link. Every page axe-checked and
screenshotted."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import timedelta
from pathlib import Path
from typing import cast

import pytest
from django.core import mail
from django.utils import timezone

from audit.chain import record, seal
from audit.models import BoundaryException
from messaging.services.send import message_send
from portal.models import User
from tests.conftest import onboard_client, publish_policy, sign_consent
from tests.factories import PASSWORD, AdminFactory, TherapistFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_the_auditor_reads_reviews_browses_exports_and_invites(journey, size):
    journey.folder.rmdir()  # the fixture's folder (named after the test id), still empty
    journey.name = f"auditor-{size}"
    journey.folder = journey.folder.parent / journey.name
    journey.folder.mkdir(parents=True, exist_ok=True)
    therapist = cast(User, TherapistFactory(email="dr.rivera@example.test", full_name="Dr Jordan Rivera"))
    colleague = cast(
        User,
        TherapistFactory(practice=therapist.practice, email="dr.chen@example.test", full_name="Dr Mei Chen"),
    )
    admin = cast(
        User,
        AdminFactory(
            practice=therapist.practice,
            email="admin@example.test",
            full_name="Morgan Admin",
            timezone="America/Chicago",
        ),
    )
    assert admin.practice_id is not None
    publish_policy(therapist)
    client, thread = onboard_client(therapist, full_name="Sam Client")
    sign_consent(client)
    message_send(
        sender=client, thread=thread, category="personal", channel="portal", body="Coffee on Sunday?"
    )
    message_send(
        sender=client, thread=thread, category="administrative", channel="sms", body="Text me the bill"
    )
    now = timezone.now()
    for weeks_ago, kind, who in (
        (1, "after_hours", therapist),
        (3, "blocked", colleague),
        (3, "override", colleague),
        (6, "consent_revoked", therapist),
        (9, "crisis", therapist),
        (20, "blocked", colleague),
    ):
        record(
            practice_id=admin.practice_id,
            action="contact.decided",
            therapist_id=who.pk,
            exception_kind=kind,
            reasons=["outside_hours"] if kind != "consent_revoked" else ["consent_revoked"],
            at=now - timedelta(weeks=weeks_ago),
        )
    seal(admin.practice_id)

    page = journey.page_for(admin)
    page.set_viewport_size(SIZES[size])

    # Charts over a period the admin picks
    page.goto(journey.base + "/practice/")
    page.get_by_label("Period", exact=True).select_option("26")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url(re.compile(r"weeks=26"))
    summary = page.get_by_test_id("chart-summary").inner_text()
    assert (
        "8 exceptions in all" in summary
        and "Boundary crossings: 6" in summary
        and "Consent changes: 1" in summary
    )
    assert page.locator("svg[role=img]").count() == 2
    assert "after_hours" not in page.locator("svg").first.inner_html()
    journey.check(page, "charts 26 weeks")

    # A filter that cannot match says why
    page.goto(journey.base + "/audit/exceptions/")
    page.get_by_label("From", exact=True).fill("2026-06-10")
    page.get_by_label("Until (inclusive)").fill("2026-06-01")
    page.get_by_role("button", name="Filter").click()
    assert "is before the start" in page.get_by_test_id("filter-errors").inner_text()
    journey.check(page, "impossible range")

    page.goto(journey.base + "/audit/exceptions/")
    page.locator("#id_kind").select_option("blocked")
    # People are typed (name or e-mail), not picked from a list of the whole practice
    assert page.locator("#id_therapist").get_attribute("type") == "text"
    assert page.locator("form[aria-label='Filter exceptions'] select#id_therapist").count() == 0
    page.locator("#id_therapist").fill("Dr")
    page.get_by_role("button", name="Filter").click()
    assert "Several therapists match" in page.get_by_test_id("filter-errors").inner_text()
    page.locator("#id_therapist").fill("jordan rivera")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url(re.compile(r"kind=blocked"))
    assert page.locator("tbody tr").count() == 2
    assert page.get_by_test_id("tz-note").inner_text().count("America/Chicago") == 1
    journey.check(page, "filtered exceptions")

    # The exception, in full, and its review
    personal = BoundaryException.objects.get(message__category="personal")
    page.goto(journey.base + f"/audit/exceptions/{personal.pk}/")
    facts = page.get_by_test_id("exception-facts").inner_text()
    assert (
        "Personal" in facts
        and "Portal message" in facts
        and "Version 1" in facts
        and "never_allowed" in facts
    )
    assert "Coffee on Sunday" not in page.content()
    assert page.get_by_test_id("thread-exceptions").get_by_role("link").count() == 1
    journey.check(page, "exception detail")
    page.get_by_label("Review note").fill("Client reminded that social contact is outside therapy.")
    page.get_by_role("button", name="Mark reviewed").click()
    page.wait_for_selector("text=Marked as reviewed")
    state = page.get_by_test_id("review-state").inner_text()
    assert state.startswith("Reviewed by Morgan Admin at ")
    assert page.get_by_role("button", name="Mark reviewed").count() == 0
    journey.check(page, "reviewed")

    # The audit events, with their chain positions
    page.goto(journey.base + "/audit/events/")
    page.get_by_label("What happened").select_option(label="Exception reviewed")
    page.get_by_label("Done by").fill("Morgan Admin")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url(re.compile(r"action=exception.reviewed"))
    rows = page.get_by_test_id("events").locator("tbody tr")
    assert rows.count() == 1 and "Morgan Admin" in rows.first.inner_text()
    page.goto(journey.base + "/audit/events/")
    page.get_by_text(re.compile(r"^Position \d+$")).first.click()
    assert re.search(r"[0-9a-f]{64}", page.get_by_test_id("events").inner_text())
    journey.check(page, "events")
    with page.expect_download() as info:
        page.get_by_role("link", name="Export CSV").click()
    events_csv = list(csv.DictReader(io.StringIO(Path(info.value.path()).read_text())))
    assert any(r["action"] == "exception.reviewed" and r["actor"] == "Morgan Admin" for r in events_csv)
    assert all("Coffee" not in str(r) for r in events_csv)

    page.goto(journey.base + "/audit/exceptions/?kind=blocked")
    with page.expect_download() as info:
        page.get_by_role("link", name="Export CSV").click()
    exc_csv = list(csv.DictReader(io.StringIO(Path(info.value.path()).read_text())))
    reviewed = [r for r in exc_csv if r["id"] == str(personal.pk)]
    assert (
        reviewed
        and reviewed[0]["reviewed_by"] == "Morgan Admin"
        and reviewed[0]["therapist"] == "Dr Jordan Rivera"
    )
    assert reviewed[0]["review_note"] == "Client reminded that social contact is outside therapy."

    # The latest signed checkpoint, downloaded from the verify page
    page.goto(journey.base + "/audit/verify/")
    journey.check(page, "verify")
    with page.expect_download() as info:
        page.get_by_role("link", name="Download this checkpoint").click()
    checkpoint = json.loads(Path(info.value.path()).read_text())
    assert checkpoint["practice_id"] == admin.practice_id and checkpoint["seq"] > 0

    # Invite a therapist; they choose their own password from the link
    mail.outbox.clear()
    page.goto(journey.base + "/practice/therapists/")
    assert page.locator("input[type=password]").count() == 0
    page.get_by_label("Full name").fill("Dr Robin Okoye")
    page.get_by_label("E-mail").fill("robin.okoye@example.test")
    page.get_by_label("Time zone").select_option("America/Chicago")
    page.get_by_role("button", name="Send invitation").click()
    page.wait_for_selector("text=Invitation sent to robin.okoye@example.test")
    assert "Dr Robin Okoye" in page.get_by_test_id("therapist-invitations").inner_text()
    journey.check(page, "therapist invited")
    body = mail.outbox[-1].body
    assert isinstance(body, str)
    found = re.search(r"https?://\S+/invite/therapist/[\w-]+/", body)
    assert found is not None
    link = found.group(0)
    newcomer = journey.page_for()
    newcomer.set_viewport_size(SIZES[size])
    newcomer.goto(journey.base + "/" + link.split("/", 3)[3])
    journey.check(newcomer, "therapist invitation")
    newcomer.locator("#id_password").fill(PASSWORD)
    newcomer.locator("#id_password2").fill(PASSWORD)
    newcomer.get_by_role("button", name="Create my account").click()
    newcomer.wait_for_url(re.compile(r"/(messaging|therapist|$)"))
    robin = User.objects.get(email="robin.okoye@example.test")
    assert (
        robin.is_therapist and robin.practice_id == admin.practice_id and robin.timezone == "America/Chicago"
    )
    journey.check(newcomer, "therapist signed in")
