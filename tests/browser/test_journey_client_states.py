"""Issue 16's client journey: never signed -> signs -> active -> withdraws -> signs again,
at desktop width and at 390 px; every page screenshotted and axe-checked, and its HTML
kept for the Nu HTML checker (test-artifacts/html/)."""

from __future__ import annotations

import re

import pytest

from consent.models import Consent
from tests.conftest import onboard_client, publish_policy
from tests.factories import TherapistFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def step(journey, page, label: str) -> None:
    journey.check(page, label)  # axe-core, the page's HTML kept and, with PORTAL_VNU_JAR, the Nu checker


def state(page) -> str:
    return page.locator("#client-state").get_attribute("data-state")


def sign(page, name: str) -> None:
    for box in page.locator("input[name^='section_']").all():
        box.check()
    page.locator("input[name='channels'][value='portal']").check()
    page.locator("input[name='understood_portal']").check()
    page.get_by_label("Type your full name to sign").fill(name)
    page.locator("#id_acknowledged").check()
    page.get_by_role("button", name="Sign").click()
    page.wait_for_url(re.compile(r"/receipt/"))


@pytest.mark.parametrize("width", [1280, 390])
def test_client_states(journey, width):
    therapist = TherapistFactory(email="dr.rivera@example.test", full_name="Dr Jordan Rivera")
    publish_policy(therapist)
    person, thread = onboard_client(therapist, email="sam@example.test", full_name="Sam Client")
    page = journey.page_for(person)
    page.set_viewport_size({"width": width, "height": 900})

    # Never signed: the truth, and one next step that is not "Open your messages".
    page.goto(journey.base + "/messages/me/")
    assert state(page) == "none"
    assert page.locator("#next-step").inner_text() == "Read and sign the contact policy"
    assert page.get_by_text("Open your messages").count() == 0
    step(journey, page, "never signed")
    if width == 390:
        # The navigation collapses behind a menu button on a phone.
        assert not page.locator("#main-nav").is_visible()
        page.locator(".navbar-toggler").click()
        page.wait_for_selector("#main-nav.show")
        step(journey, page, "menu open")
        page.locator(".navbar-toggler").click()
    else:
        assert page.locator("#main-nav").is_visible()
        assert page.locator("nav.navbar").bounding_box()["height"] < 70  # one line at 1,280 px

    page.goto(journey.base + f"/messages/threads/{thread.pk}/")
    assert state(page) == "none" and page.locator("#compose-form").is_visible()
    assert page.locator("#open-now").count() == 0
    step(journey, page, "thread before signing")

    page.goto(journey.base + "/messages/me/")
    page.locator("#next-step").click()
    assert "E-mail is not encrypted end to end" in page.content() or "Portal messages" in page.content()
    step(journey, page, "read the policy")
    sign(page, "Sam Client")
    assert page.locator("[data-testid=receipt-sha]").inner_text().count(" ") == 3  # a short fingerprint
    step(journey, page, "receipt")

    page.goto(journey.base + "/messages/me/")
    assert state(page) == "active"
    assert page.locator("#next-step").inner_text() == "Open your messages"
    step(journey, page, "active")
    page.locator("#next-step").click()
    page.wait_for_selector("#compose-form")
    # The box is reachable without scrolling past the history.
    box = page.locator("#compose-form textarea").bounding_box()
    assert box["y"] < 2 * 900, box
    step(journey, page, "thread active")

    # Withdraw: a confirm step that says what it cancels.
    consent = Consent.objects.get(client=person, status="active")
    page.goto(journey.base + f"/consent/{consent.pk}/receipt/")
    page.get_by_role("link", name=re.compile("Withdraw my consent")).click()
    assert "held message" in page.locator("#revoke-effects").inner_text()
    step(journey, page, "confirm withdrawal")
    page.get_by_role("button", name="Withdraw my consent").click()
    page.wait_for_url(re.compile(r"/messages/me/"))
    page.goto(journey.base + "/messages/me/")
    assert state(page) == "revoked"
    assert page.locator("#next-step").inner_text() == "Read and sign the contact policy again"
    step(journey, page, "withdrawn")

    page.locator("#next-step").click()
    sign(page, "Sam Client")
    page.goto(journey.base + "/messages/me/")
    assert state(page) == "active"
    step(journey, page, "signed again")

    page.goto(journey.base + "/messages/me/record/")
    assert page.get_by_role("heading", name=re.compile("Your record")).is_visible()
    step(journey, page, "record")
