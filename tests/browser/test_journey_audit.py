"""Issue 5's journey: the admin filters exceptions, opens one, reviews it with a note,
exports CSV and sees the charts."""

import re
from pathlib import Path

import pytest

from audit.models import BoundaryException
from messaging.services.send import message_send
from tests.conftest import onboard_client, publish_policy, sign_consent
from tests.factories import AdminFactory, TherapistFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_reviews_exceptions(journey):
    therapist = TherapistFactory(email="dr.rivera@example.test", full_name="Dr Jordan Rivera")
    admin = AdminFactory(practice=therapist.practice, email="admin@example.test", full_name="Morgan Admin")
    publish_policy(therapist)
    client, thread = onboard_client(therapist, full_name="Sam Client")
    sign_consent(client)
    message_send(sender=client, thread=thread, category="personal", channel="portal", body="Coffee?")
    message_send(
        sender=client, thread=thread, category="administrative", channel="sms", body="Text me tonight"
    )

    page = journey.page_for(admin)
    page.goto(journey.base + "/practice/")
    assert page.locator("svg").count() == 2
    journey.check(page, "dashboard charts")

    page.goto(journey.base + "/audit/exceptions/")
    page.locator("#id_kind").select_option("blocked")
    page.locator("#id_reviewed").select_option("no")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url(re.compile(r"kind=blocked"))
    assert page.locator("tbody tr").count() == 2
    journey.check(page, "filtered")

    page.get_by_role("link", name=re.compile("Open")).first.click()
    page.wait_for_url(re.compile(r"/audit/exceptions/\d+/"))
    assert "Coffee?" not in page.content() and "Text me tonight" not in page.content()
    journey.check(page, "exception")
    page.get_by_label("Review note").fill("Client reminded of the channels in the policy.")
    page.get_by_role("button", name="Mark reviewed").click()
    page.wait_for_selector("text=Marked as reviewed")
    assert BoundaryException.objects.filter(reviewed=True).count() == 1
    journey.check(page, "reviewed")

    page.goto(journey.base + "/audit/exceptions/?kind=blocked")
    with page.expect_download() as info:
        page.get_by_role("link", name="Export CSV").click()
    csv_text = Path(info.value.path()).read_text()
    assert csv_text.startswith("id,kind,at") and csv_text.count("blocked") == 2
    journey.check(page, "exported")
