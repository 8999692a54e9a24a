"""Issue 16's therapist journey: edit the policy in the guided editor (searchable zone,
add a window, the suggested reply), preview, simulate, publish from the editor, then book a
call and reply to a client; at desktop width and at 390 px, every page screenshotted and
axe-checked, its HTML kept for the Nu HTML checker."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import cast

import pytest
from django.utils import timezone

from messaging.models import CallBooking, Message
from messaging.services import send as send_service
from policies.models import PolicyVersion
from portal.models import User
from tests.browser.test_journey_client_states import step
from tests.conftest import onboard_client, publish_policy, sign_consent
from tests.factories import TherapistFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def next_call_start():
    """A local Monday or Wednesday 10:30 at least a day away (GOOD_RULES' call window)."""
    from zoneinfo import ZoneInfo

    tz = ZoneInfo("America/New_York")
    day = (timezone.now() + timedelta(days=1)).astimezone(tz).date()
    while day.weekday() not in (0, 2):
        day += timedelta(days=1)
    return f"{day.isoformat()}T10:30"


@pytest.mark.parametrize("width", [1280, 390])
def test_therapist(journey, width):
    # A solo practice: therapist and admin, so the navigation has all of its links.
    therapist = cast(
        User,
        TherapistFactory(
            email="dr.rivera@example.test", full_name="Dr Jordan Rivera", is_practice_admin=True
        ),
    )
    publish_policy(therapist)
    person, thread = onboard_client(therapist, email="sam@example.test", full_name="Sam Client")
    sign_consent(person)
    send_service.message_send(
        sender=person, thread=thread.pk, category="emergency", body="Can we talk on Monday?"
    )
    page = journey.page_for(therapist)
    page.set_viewport_size({"width": width, "height": 900})

    page.goto(journey.base + "/messages/therapist/")
    if width >= 1280:
        assert page.locator("nav.navbar").bounding_box()["height"] < 70  # one line, not wrapped
    else:
        assert page.locator(".navbar-toggler").is_visible() and not page.locator("#main-nav").is_visible()
    step(journey, page, "dashboard")

    # Edit: the zone is a searchable input (no 600-option select); add a check-in window.
    page.goto(journey.base + "/policy/")
    assert page.locator("select[name='g-timezone']").count() == 0
    assert page.locator("#tz-list option").count() > 300  # filled from the browser's own list
    assert page.locator(".editor-actions").is_visible()  # save and publish stay in reach
    step(journey, page, "editor")
    page.get_by_text("Add a window to Brief check-in").click()
    page.locator("input[name='w-check_in-1-days'][value='fri']").check()
    page.locator("#id_w-check_in-1-start").fill("12:00")
    page.locator("#id_w-check_in-1-end").fill("13:00")
    page.get_by_role("button", name="Use this reply").click()
    page.get_by_role("button", name="Save and preview").click()
    page.wait_for_url(re.compile(r"/policy/preview/"))
    assert "Friday, 12:00 to 13:00" in page.content() and "SHA-256" not in page.content()
    step(journey, page, "preview")

    page.goto(journey.base + "/policy/simulator/")
    page.locator("#id_date").fill("2026-11-28")
    page.locator("#id_time").fill("23:00")
    page.locator("#id_category").select_option("administrative")
    page.locator("#id_body").fill("A question about my bill")
    page.get_by_role("button", name="Decide").click()
    page.wait_for_selector("[data-testid=outcome]")
    assert "bill" not in page.url  # the simulator posts
    assert page.locator(".band-administrative.band-start").count() >= 5
    step(journey, page, "simulator")

    page.goto(journey.base + "/policy/")
    page.get_by_role("button", name="Save and publish").click()
    page.wait_for_url(re.compile(r"/policy/history/"))
    assert PolicyVersion.objects.filter(therapist=therapist, status="published").get().version == 2
    step(journey, page, "published")

    # Reply to the client and book a call from the thread.
    page.goto(journey.base + f"/messages/threads/{thread.pk}/")
    assert page.locator("#id_body").bounding_box()["y"] < 2 * 900
    step(journey, page, "thread")
    page.locator("#id_body").fill("Yes, I will call you on Monday.")
    page.locator("#id_category").select_option("administrative")
    page.get_by_role("button", name="Send").click()
    page.wait_for_url(re.compile(r"sent="))
    assert Message.objects.filter(thread=thread, sender=therapist).exists()
    step(journey, page, "replied")
    page.get_by_text("Book a call").click()
    page.locator("#id_call-start").fill(next_call_start())
    page.locator("#id_call-minutes").fill("15")
    page.get_by_role("button", name="Book the call").click()
    page.wait_for_url(re.compile(r"sent="))
    assert CallBooking.objects.filter(thread=thread).exists()
    step(journey, page, "booked")
