"""Issue 4's journey: a client sends an administrative message outside hours (held, with the
opening time), a personal one (blocked, with why) and a crisis message (crisis resources at
once); the therapist sees the alert, acknowledges it, and overrides to reply after hours.

Time is pinned (django.utils.timezone.now, which the send path reads) to Saturday
2026-11-28 23:00 in New York, so "outside hours" holds whenever the test runs; the live
server runs in this process, so the pin applies to it too."""

import re
from datetime import UTC, datetime
from typing import cast

import pytest
from django.utils import timezone

from audit.models import BoundaryException
from messaging.models import CrisisAlert, Message
from portal.models import User
from tests.conftest import onboard_client, publish_policy, sign_consent
from tests.factories import TherapistFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SAT_23 = datetime(2026, 11, 29, 4, 0, tzinfo=UTC)


def send(page, category, body, override=None):
    """The one message box: category "" leaves it to the portal to read the text."""
    form = page.locator("#compose-form")
    form.locator("[name=category]").select_option(category)
    form.locator("[name=body]").fill(body)
    if override:
        # The override sits folded under the box (the box stays in view on a phone).
        if form.locator("details.compose-override").get_attribute("open") is None:
            form.locator("details.compose-override > summary").click()
        form.locator("[name=override_reason]").fill(override)
    form.get_by_role("button", name="Send", exact=True).click()
    page.wait_for_selector("#outcome")


def test_enforced_messaging(journey, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: SAT_23)
    therapist = cast(User, TherapistFactory(email="dr.rivera@example.test", full_name="Dr Jordan Rivera"))
    publish_policy(therapist)
    client, thread = onboard_client(therapist, full_name="Sam Client")
    sign_consent(client)
    url = f"{journey.base}/messages/threads/{thread.pk}/"

    c_page = journey.page_for(client)
    c_page.goto(url)
    journey.check(c_page, "client thread")
    send(c_page, "administrative", "Can I get a receipt for November?")
    outcome = c_page.locator("#outcome").inner_text()
    assert "Mon" in outcome and "09:00" in outcome, outcome
    journey.check(c_page, "held until monday")

    send(c_page, "personal", "Would you like to get coffee?")
    assert "never" in c_page.locator("#outcome").inner_text().lower()
    journey.check(c_page, "personal blocked")

    send(c_page, "", "I can't go on, I want to end my life")  # no category: the portal reads it
    resources = c_page.locator("#outcome .crisis-resources").first
    assert "988" in resources.inner_text()
    assert resources.locator("a[href='tel:988']").count() == 1
    assert Message.objects.get(status="escalated").category == "emergency"
    journey.check(c_page, "crisis resources")

    t_page = journey.page_for(therapist)
    t_page.goto(journey.base + "/")
    assert "Crisis alert" in t_page.content()
    journey.check(t_page, "therapist sees the alert")
    t_page.get_by_role("button", name=re.compile("Acknowledge")).first.click()
    t_page.wait_for_load_state()
    assert CrisisAlert.objects.get().acknowledged_at is not None
    journey.check(t_page, "alert acknowledged")

    t_page.goto(url)
    assert "Can I get a receipt" not in t_page.content()  # still held: not shown to the therapist
    send(
        t_page,
        "administrative",
        "I am here. I will call you at 9 on Monday; call 988 now if you need to.",
        override="Client in crisis: reassurance after hours",
    )
    assert Message.objects.filter(sender=therapist, status="delivered_with_exception").exists()
    assert BoundaryException.objects.filter(kind="override").exists()
    journey.check(t_page, "override reply")
