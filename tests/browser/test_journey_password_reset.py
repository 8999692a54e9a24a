"""A client who forgot their password: from the login page's link to the e-mailed link, a new
password, and logging in with it. Every page passes axe."""

import re

import pytest
from django.core import mail

from tests.factories import ClientFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "Blue-kettle-5530!"


def test_password_reset(journey, settings):
    settings.PORTAL_BASE_URL = journey.base
    client = ClientFactory(email="casey.forgets@example.test", full_name="Casey Forgets")
    page = journey.page_for()
    page.goto(journey.base + "/accounts/login/")
    page.get_by_role("link", name="Forgot your password?").click()
    page.wait_for_url(re.compile(r"/accounts/password-reset/$"))
    journey.check(page, "ask for a link")
    page.get_by_label("E-mail").fill(client.email)
    page.get_by_role("button", name="Send the link").click()
    page.wait_for_url(re.compile(r"/accounts/password-reset/sent/$"))
    journey.check(page, "check your e-mail")

    (msg,) = mail.outbox
    assert isinstance(msg.body, str)
    (link,) = re.findall(r"http\S+/accounts/reset/\S+/", msg.body)
    page.goto(link)
    page.wait_for_url(re.compile(r"/set-password/$"))
    journey.check(page, "choose a new password")
    page.locator("#id_new_password1").fill(NEW_PASSWORD)
    page.locator("#id_new_password2").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set the new password").click()
    page.wait_for_url(re.compile(r"/accounts/reset/done/$"))
    journey.check(page, "password changed")

    page.get_by_role("link", name="Log in with your new password").click()
    page.get_by_label("E-mail").fill(client.email)
    page.get_by_label("Password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/messages/"))
    page.goto(link)  # the link a second time
    assert "This link no longer works" in page.content()
