"""Issue 2's journey: the demo therapist logs in, changes a window, previews, simulates a
Saturday-night message and publishes."""

import re
from typing import cast

import pytest

from policies.models import PolicyVersion
from portal.models import User
from tests.factories import PASSWORD, TherapistFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_policy_authoring(journey):
    therapist = cast(User, TherapistFactory(email="dr.rivera@example.test", full_name="Dr Jordan Rivera"))
    page = journey.page_for()
    page.goto(journey.base + "/accounts/login/")
    journey.check(page, "login")
    page.get_by_label("E-mail").fill(therapist.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(journey.base + "/policy/")
    journey.check(page, "editor")

    # Allow administrative questions on weekdays 09:00-17:00, held outside those hours.
    page.locator("#id_c-administrative-allowed").check()
    page.get_by_text("Add a window to Administrative").click()  # no empty window blocks: add one
    page.locator("input[name='c-administrative-channels'][value='portal']").check()
    for day in ("mon", "tue", "wed", "thu", "fri"):
        page.locator(f"input[name='w-administrative-0-days'][value='{day}']").check()
    page.locator("#id_w-administrative-0-start").fill("09:00")
    page.locator("#id_w-administrative-0-end").fill("17:00")
    page.get_by_role("button", name="Save and preview").click()
    page.wait_for_url(re.compile(r"/policy/preview/"))
    assert "Monday to Friday, 09:00 to 17:00" in page.content()
    journey.check(page, "preview")

    page.goto(journey.base + "/policy/simulator/")
    page.locator("#id_date").fill("2026-11-28")
    page.locator("#id_time").fill("23:00")
    page.locator("#id_category").select_option("administrative")
    page.locator("#id_channel").select_option("portal")
    page.locator("#id_body").fill("A question about my bill")
    page.get_by_role("button", name="Decide").click()
    page.wait_for_selector("[data-testid=outcome]")
    assert page.locator("[data-testid=outcome]").inner_text() == "Held until the next opening"
    assert "Monday 30 November 2026, 09:00" in page.locator("[data-testid=deliver-at]").inner_text()
    journey.check(page, "simulator")

    page.goto(journey.base + "/policy/preview/")
    page.get_by_role("button", name=re.compile("Publish version")).click()
    page.wait_for_url(re.compile(r"/policy/history/"))
    v = PolicyVersion.objects.get(therapist=therapist)
    assert v.status == "published" and v.content_sha256 not in page.content()  # words, not hashes
    journey.check(page, "published")
