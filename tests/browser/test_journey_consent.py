"""Issue 3's journey: the therapist invites a client; the client opens the e-mailed link, sets
a password, reads and signs, sees the receipt; a new version is published; the client is
asked to re-consent, sees what changed, and does."""

import re

import pytest
from django.core import mail

from consent.models import Consent
from tests.conftest import GOOD_RULES, publish_policy
from tests.factories import TherapistFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_every_section(page, name):
    for box in page.locator("input[name^='section_']").all():
        box.check()
    page.locator("input[name='channels'][value='portal']").check()
    page.locator("input[name='understood_portal']").check()  # informed consent to the channel
    page.get_by_label("Type your full name to sign").fill(name)
    page.locator("#id_acknowledged").check()
    page.get_by_role("button", name="Sign").click()


def test_invite_sign_and_reconsent(journey, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    therapist = TherapistFactory(email="dr.rivera@example.test", full_name="Dr Jordan Rivera")
    publish_policy(therapist)
    t_page = journey.page_for(therapist)
    t_page.goto(journey.base + "/consent/clients/")
    journey.check(t_page, "clients page")
    t_page.get_by_label("Client's full name").fill("Robin Example")
    t_page.get_by_label("Client's e-mail").fill("robin@example.test")
    t_page.get_by_role("button", name="Send invitation").click()
    t_page.wait_for_selector("text=Invitation sent")
    journey.check(t_page, "invited")

    body = mail.outbox[-1].body
    assert isinstance(body, str)
    found = re.search(r"https?://\S+/invite/\S+/", body)
    assert found is not None
    link = found.group(0)
    c_page = journey.page_for()
    c_page.goto(journey.base + link[link.index("/invite/") :])
    journey.check(c_page, "set password")
    c_page.locator("#id_password").fill("Robin-strong-pass-77!")
    c_page.locator("#id_password2").fill("Robin-strong-pass-77!")
    c_page.get_by_role("button", name="Create my account").click()
    c_page.goto(journey.base + "/consent/")
    journey.check(c_page, "read the policy")
    sign_every_section(c_page, "Robin Example")
    c_page.wait_for_url(re.compile(r"/consent/\d+/receipt/"))
    # A short fingerprint shown, the whole one behind the copy button.
    sha = Consent.objects.get().content_sha256
    assert c_page.locator("[data-testid=receipt-sha]").inner_text().replace(" ", "") == sha[:16]
    assert c_page.locator("button[data-copy]").get_attribute("data-copy") == sha
    journey.check(c_page, "receipt")

    publish_policy(therapist, dict(GOOD_RULES, after_hours_reply="I now reply within two business days."))
    c_page.goto(journey.base + "/")
    assert c_page.locator("#next-step").inner_text() == "Review the changes and sign"
    journey.check(c_page, "asked to re-consent")
    c_page.goto(journey.base + "/consent/")
    assert "What changed" in c_page.content() and "two business days" in c_page.content()
    journey.check(c_page, "what changed")
    sign_every_section(c_page, "Robin Example")
    c_page.wait_for_url(re.compile(r"/consent/\d+/receipt/"))
    journey.check(c_page, "new receipt")
    assert list(Consent.objects.order_by("id").values_list("status", flat=True)) == ["superseded", "active"]
