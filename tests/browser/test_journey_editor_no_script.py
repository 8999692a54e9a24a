"""The policy editor without JavaScript: the time-zone list is filled by static/policies/
editor.js, so without it the zone is typed; a zone typed wrong is refused with a field error
naming the zone it may mean, the corrected one saves, and "Add a window" (a <details>) still
opens a new window that saves."""

from __future__ import annotations

import re
from typing import cast

import pytest
from django.conf import settings
from django.test import Client

from policies.models import PolicyVersion
from portal.models import User
from tests.browser.conftest import SHOTS
from tests.conftest import publish_policy
from tests.factories import TherapistFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_editor_works_without_javascript(chromium, live_server):
    therapist = cast(User, TherapistFactory(email="dr.lee@example.test", full_name="Dr Robin Lee"))
    publish_policy(therapist)
    web = Client()
    web.force_login(therapist)
    context = chromium.new_context(java_script_enabled=False, viewport={"width": 390, "height": 900})
    context.set_default_timeout(10_000)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "url": live_server.url,
                "value": web.cookies[settings.SESSION_COOKIE_NAME].value,
            }
        ]
    )
    shots = SHOTS / "editor_without_javascript"
    shots.mkdir(parents=True, exist_ok=True)
    try:
        page = context.new_page()
        page.goto(live_server.url + "/policy/")
        assert page.locator("#tz-list option").count() == 0  # the list is the script's
        assert not page.locator("#use-suggested-reply").is_visible()  # so is this button

        page.locator("#id_g-timezone").fill("new york")
        page.get_by_role("button", name="Save and keep editing").click()
        error = page.locator("#id_g-timezone_error")
        assert "Did you mean America/New_York?" in error.inner_text()
        assert page.locator("#id_g-timezone").get_attribute("aria-invalid") == "true"
        page.screenshot(path=str(shots / "01-zone-error.png"), full_page=True)
        assert not PolicyVersion.objects.filter(therapist=therapist, status="draft").exists()

        page.locator("#id_g-timezone").fill("America/New_York")
        page.get_by_text("Add a window to Brief check-in").click()  # a <details>: no script
        page.locator("input[name='w-check_in-1-days'][value='fri']").check()
        page.locator("#id_w-check_in-1-start").fill("15:00")
        page.locator("#id_w-check_in-1-end").fill("16:00")
        page.get_by_role("button", name="Save and keep editing").click()
        page.wait_for_url(re.compile(r"/policy/$"))
        page.screenshot(path=str(shots / "02-saved.png"), full_page=True)
        draft = PolicyVersion.objects.get(therapist=therapist, status="draft")
        assert draft.rules["timezone"] == "America/New_York"
        assert {"days": ["fri"], "start": "15:00", "end": "16:00"} in draft.rules["categories"]["check_in"][
            "windows"
        ]
    finally:
        context.close()
