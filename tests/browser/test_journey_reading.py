"""Issue 12's journey: the portal reads what the client writes, and says before sending what
sending would do. On a Saturday night a client types an invoice question and sees when it
will be delivered; types a crisis sentence and sees the crisis resources, with working
tel: and sms: links, before sending; sends a social-media request under "emergency" and
sees it refused with why. The therapist sees the emergency_mismatch and the crisis kind.

The test clock: django.utils.timezone.now (which the send path, the preview and the page
read) is pinned to Saturday 2026-11-28 23:10 in New York for this test only; the live
server runs in this process, so the pin applies to it too (as in test_journey_messaging).
"""

import re
from datetime import UTC, datetime

import pytest
from django.utils import timezone

from audit.models import BoundaryException
from messaging.models import Message
from policies.reader import read
from policies.wording import CRISIS_KIND_TEXT, REASON_TEXT
from tests.conftest import onboard_client, publish_policy, sign_consent
from tests.factories import TherapistFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SAT_2310 = datetime(2026, 11, 29, 4, 10, tzinfo=UTC)
INVOICE = "Hi, could you send me a receipt for my last invoice? I need it for my insurance."
CRISIS = "i have been saving up my pills and i am going to take them all tonight"
SOCIAL = "Can we connect on Instagram? I'd love to follow you, my handle is @sam.c"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def type_in_box(page, text, category=""):
    """Write as a person does: the preview answers about 400 ms after the last keystroke."""
    form = page.locator("#compose-form")
    form.locator("[name=category]").select_option(category)
    box = form.locator("[name=body]")
    box.fill("")
    box.press_sequentially(text, delay=5)
    page.wait_for_function(
        "() => { const b = document.getElementById('compose-preview');"
        " return !b.hidden && b.getAttribute('data-outcome') && !b.hasAttribute('aria-busy'); }"
    )
    return page.locator("#compose-preview")


def both_widths(journey, page, label, part="#compose-form"):
    journey.check(page, label)
    page.set_viewport_size(PHONE)
    journey.check(page, label + " 390px")
    # The part that matters, at phone width and full size (the whole page is long there).
    page.locator(part).screenshot(
        path=str(journey.folder / f"{journey.step:02d}-{label.replace(' ', '-')}-part-390px.png")
    )
    page.set_viewport_size(DESKTOP)


def test_the_portal_reads_before_sending(journey, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: SAT_2310)
    therapist = TherapistFactory(email="dr.okafor@example.test", full_name="Dr Ada Okafor")
    publish_policy(therapist)
    client, thread = onboard_client(therapist, full_name="Sam Client")
    sign_consent(client)
    url = f"{journey.base}/messages/threads/{thread.pk}/"

    page = journey.page_for(client)
    page.set_viewport_size(DESKTOP)
    page.goto(url)
    assert page.locator("#compose-form [name=channel]").count() == 0  # one box: no channel menu
    journey.check(page, "client thread")

    # An invoice question at 23:10 on Saturday: read as billing, held until Monday 09:00.
    preview = type_in_box(page, INVOICE)
    assert preview.get_attribute("data-outcome") == "held"
    assert page.locator("#compose-preview-text").inner_text() == (
        "Reads as: a billing or scheduling question. It is 23:10 on Saturday; it will be delivered on Monday "
        "at 09:00 and you can expect a reply within 24 hours."
    )
    assert page.locator("#preview-crisis").is_hidden()
    both_widths(journey, page, "invoice preview")
    assert not Message.objects.exists()  # the preview stores nothing

    # The change control goes to the category menu; as an emergency it is delivered now.
    page.get_by_role("button", name="Change what this is about").click()
    assert page.evaluate("document.activeElement.name") == "category"
    page.locator("[name=category]").select_option("emergency")
    page.wait_for_function(
        "() => document.getElementById('compose-preview').getAttribute('data-outcome')"
        " === 'delivered' && !document.getElementById('compose-preview').hasAttribute('aria-busy')"
    )
    assert page.locator("#compose-preview-text").inner_text() == (
        "You chose: an urgent need for help. Reads as: a billing or scheduling question. It will be delivered now."
    )
    page.get_by_role("button", name="Send", exact=True).click()
    page.wait_for_selector("#outcome")
    sent = Message.objects.get()
    assert sent.status == "delivered" and sent.reasons[-1] == "emergency_mismatch"

    # A crisis sentence: the resources show while typing, every number a link to call or text.
    preview = type_in_box(page, CRISIS)
    crisis = page.locator("#preview-crisis")
    assert crisis.is_visible() and preview.get_attribute("data-outcome") == "escalated"
    hrefs = crisis.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert hrefs == ["tel:911", "tel:988", "sms:988"]
    for name in ("Call 911", "Call 988", "Text 988"):
        # Visible, enabled, not covered: a tap reaches it (a trial click checks just that; the
        # tel:/sms: scheme itself is the phone's to open, which a headless browser has not).
        crisis.get_by_role("link", name=name).click(trial=True)
    watch = page.locator("#preview-crisis-watch").inner_text()
    assert "not watched around the clock" in watch and "Monday 30 November 2026, 09:00" in watch
    assert "paused for 24 hours" in page.locator("#preview-crisis-pause").inner_text()
    assert Message.objects.count() == 1  # still nothing new stored
    both_widths(journey, page, "crisis resources while typing")
    page.get_by_role("button", name="Send", exact=True).click()
    page.wait_for_selector("#outcome .crisis-resources")
    assert page.locator("#outcome a[href='tel:988']").is_visible()
    assert Message.objects.filter(status="escalated").count() == 1
    journey.check(page, "crisis sent")

    # A social-media request under emergency: refused, with why, before and after sending.
    preview = type_in_box(page, SOCIAL, category="emergency")
    assert preview.get_attribute("data-outcome") == "blocked"
    assert page.locator("#compose-preview-text").inner_text() == (
        "You chose: an urgent need for help. Reads as: a request for contact outside therapy. "
        "If you send it now, it will not be sent:"
    )
    reasons = page.locator("#preview-reasons").inner_text()
    assert REASON_TEXT["personal_content"] in reasons
    page.get_by_role("button", name="Send", exact=True).click()
    page.wait_for_selector("#outcome")
    outcome = page.locator("#outcome").inner_text()
    assert "Not sent" in outcome and REASON_TEXT["never_allowed"] in outcome
    assert REASON_TEXT["personal_content"] in outcome
    assert Message.objects.get(status="blocked").reasons == ["never_allowed", "personal_content"]
    both_widths(journey, page, "social media refused", part="main")

    # The therapist sees the mismatch and the crisis kind.
    assert BoundaryException.objects.filter(kind="emergency_mismatch").count() == 1
    t_page = journey.page_for(therapist)
    t_page.set_viewport_size(DESKTOP)
    t_page.goto(url)
    crisis_kind = read(CRISIS).crisis_kind
    assert crisis_kind is not None
    kind_words = CRISIS_KIND_TEXT[crisis_kind]
    assert t_page.get_by_text(f"Crisis language: {kind_words}.").is_visible()
    assert t_page.get_by_text("Sent as emergency, reads as billing or scheduling.").is_visible()
    assert not t_page.get_by_text(re.compile("Can we connect on Instagram")).count()  # blocked: sender only
    both_widths(journey, t_page, "therapist sees the readings", part="#message-list")


def test_the_box_works_without_javascript(journey, monkeypatch):
    """No script: no preview, the category menu stays, and the server decides on send."""
    from django.conf import settings as django_settings
    from django.test import Client

    monkeypatch.setattr(timezone, "now", lambda: SAT_2310)
    therapist = TherapistFactory(email="dr.okafor@example.test", full_name="Dr Ada Okafor")
    publish_policy(therapist)
    client, thread = onboard_client(therapist, full_name="Sam Client")
    sign_consent(client)
    web = Client()
    web.force_login(client)
    context = journey.browser.new_context(java_script_enabled=False, bypass_csp=True)
    journey.contexts.append(context)
    context.add_cookies(
        [
            {
                "name": django_settings.SESSION_COOKIE_NAME,
                "url": journey.base,
                "value": web.cookies[django_settings.SESSION_COOKIE_NAME].value,
            }
        ]
    )
    page = context.new_page()
    page.goto(f"{journey.base}/messages/threads/{thread.pk}/")

    page.locator("#compose-form [name=body]").fill("hello there")
    page.get_by_role("button", name="Send", exact=True).click()
    assert "Say what this is about" in page.locator("#compose-form").inner_text()
    assert page.locator("#compose-preview").is_hidden() and not Message.objects.exists()

    page.locator("#compose-form [name=body]").fill(INVOICE)
    page.get_by_role("button", name="Send", exact=True).click()
    outcome = page.locator("#outcome").inner_text()
    assert "Held until Monday 30 November 2026, 09:00" in outcome
    assert Message.objects.get(kind="message").category == "administrative"
