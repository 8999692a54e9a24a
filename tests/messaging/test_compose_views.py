"""Issue 12's pages: one message box (category optional, no channel menu for a client, the
server decides without JavaScript), crisis resources with every number a tel: link (and
sms: where the text says text), the therapist's reading markers, and the words the
compose box's script is given. The simulator's reading, the page's call to the preview and the
viewer's time zone are in test_compose_zones.py.
"""

from __future__ import annotations

import base64
import json
import re
from datetime import UTC

import pytest
from django.template import Context, Template
from django.urls import reverse

from audit.models import BoundaryException
from messaging.models import Message
from messaging.services import send as send_service
from messaging.templatetags.crisis import crisis_links_html, phone_value
from messaging.wording import CATEGORY_NEEDED, PREVIEW_TEXT, READS_AS, crisis_pause_text, crisis_watch_text
from policies.reader import Reading, read
from policies.wording import CRISIS_KIND_TEXT, REASON_TEXT, reading_notes
from tests.conftest import GOOD_RULES

from .views_helpers import found, last_message, open_everything, page, thread_url


def send_box(web, thread, **data):
    """Post the compose form as the page does (no category unless given)."""
    return web.post(reverse("messaging:send", args=[thread.pk]), data, follow=True)


def outcome_html(html: str) -> str:
    match = re.search(r'<section id="outcome".*?</section>', html, re.S)
    assert match, "no outcome shown"
    return match.group(0)


CRISIS_RESOURCES = GOOD_RULES["crisis_resources"]  # "If you are in danger call 911, or call or text 988."


def links(html: str) -> list[str]:
    return re.findall(r'href="((?:tel|sms):[^"]*)"', html)


# --- the crisis_links filter ----------------------------------------------------------------


def test_every_number_in_the_crisis_resources_is_a_tel_link_and_text_adds_sms():
    html = crisis_links_html(CRISIS_RESOURCES)
    assert links(html) == ["tel:911", "tel:988", "sms:988"]
    assert html.startswith("If you are in danger call ")
    assert '<a class="crisis-tel" href="tel:911" aria-label="Call 911">911</a>' in html


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Samaritans: 116 123", ["tel:116123"]),
        ("Lifeline 13 11 14", ["tel:131114"]),
        ("Call 1-800-273-8255 or (800) 273-8255", ["tel:18002738255", "tel:8002738255"]),
        ("Abroad: +44 20 7946 0958", ["tel:+442079460958"]),
        ("Text HOME to 741741", ["tel:741741", "sms:741741"]),
        ("Llama o envía un SMS al 024", ["tel:024", "sms:024"]),
        # Only the words since the previous number count: 911 takes calls only.
        ("Call 911. You can also text 988", ["tel:911", "tel:988", "sms:988"]),
    ],
)
def test_phone_numbers_as_therapists_write_them(text, expected):
    assert links(crisis_links_html(text)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "I read messages on weekdays 9-17 and reply within one business day.",
        "Open 10-12 and at 14:30, 24/7 in term, since 2020, version 1.5.",
        "Room B12, H2O, 3 times",
    ],
)
def test_hours_years_and_words_are_not_phone_numbers(text):
    html = crisis_links_html(text)
    assert links(html) == [] and html == text


def test_phone_value_strips_separators_and_keeps_a_leading_plus():
    assert phone_value("+1 (800) 273-8255") == "+18002738255"
    assert phone_value("12") is None and phone_value("9-17") is None


def test_the_text_is_escaped_before_it_is_linked():
    html = crisis_links_html('<script>alert(1)</script> O\'Neil line "911"')
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "&#x27;" in html and links(html) == ["tel:911"]


def test_the_filter_in_a_template_marks_its_output_safe_and_escapes_the_input():
    out = Template("{% load crisis %}{{ text|crisis_links }}").render(Context({"text": "<b>call 988</b>"}))
    assert out == '&lt;b&gt;call <a class="crisis-tel" href="tel:988" aria-label="Call 988">988</a>&lt;/b&gt;'


# --- one message box ----------------------------------------------------------------------


def test_the_client_box_asks_what_it_is_about_and_offers_no_channel(web, consented_client, thread):
    web.force_login(consented_client)
    html = page(web.get(thread_url(thread)))
    select = found(re.search(r'<select name="category".*?</select>', html, re.S)).group(0)
    # The first choice, and the default, is to let the portal read the text.
    assert re.search(r'<option value="" selected>Let the portal read it</option>', select), select
    assert 'name="channel"' not in html and "What is this about?" in html
    assert f'data-preview-url="{reverse("api-preview", args=[thread.pk])}"' in html
    assert '<div id="compose-preview" class="mb-3" hidden>' in html  # shown by the script only
    assert '<script src="/static/messaging/compose.js"></script>' in html


def test_the_therapist_box_keeps_its_channel_and_override(web, therapist, thread):
    web.force_login(therapist)
    html = page(web.get(thread_url(thread)))
    assert 'name="channel"' in html and 'name="override_reason"' in html and 'data-sender="therapist"' in html
    assert 'id="preview-crisis"' not in html  # a therapist's text is never escalated as a crisis
    words = json.loads(base64.b64decode(found(re.search(r'data-words="([^"]+)"', html)).group(1)))
    assert words["reads_as"]["check_in"] == "a check-in"  # not the client's "how you are doing"


def test_the_box_gets_its_words_from_the_wording_module(web, consented_client, thread):
    web.force_login(consented_client)
    html = page(web.get(thread_url(thread)))
    encoded = found(re.search(r'data-words="([^"]+)"', html)).group(1)
    words = json.loads(base64.b64decode(encoded))
    assert words["text"] == PREVIEW_TEXT and words["reasons"] == REASON_TEXT and words["reads_as"] == READS_AS
    assert words["tz"] == "America/New_York" and words["response_hours"] == {"administrative": 24}
    # The words are not in the page's text until the script shows them.
    assert REASON_TEXT["personal_content"] not in html


def test_without_a_category_the_server_decides_by_what_the_text_reads_as(web, therapist, consented_client):
    open_everything(therapist, consented_client)
    thread = consented_client.thread
    web.force_login(consented_client)
    body = "Could you send me a receipt for last month's invoice? I need it for my insurance."
    assert read(body).category == "administrative"
    r = send_box(web, thread, body=body)
    message = last_message(thread, kind="message")
    assert r.redirect_chain and f"sent={message.pk}" in r.redirect_chain[-1][0]
    assert (message.category, message.channel, message.status) == ("administrative", "portal", "delivered")


def test_a_text_the_portal_cannot_read_asks_what_it_is_about_and_keeps_the_text(
    web, consented_client, thread
):
    web.force_login(consented_client)
    assert read("hello there").category is None
    r = send_box(web, thread, body="hello there")
    assert r.status_code == 400
    html = page(r)
    assert CATEGORY_NEEDED in html and "scheduled_call" not in html  # words, not codes
    assert re.search(r'<textarea[^>]*name="body"[^>]*>\s*hello there</textarea>', html)
    assert not Message.objects.filter(thread=thread, kind="message").exists()


def test_crisis_language_without_a_category_escalates_with_links_to_call_and_text(
    web, consented_client, thread
):
    web.force_login(consented_client)
    send_box(web, thread, body="i cant do this anymore, i want to kill myself")
    message = last_message(thread, kind="message")
    assert (message.status, message.category) == ("escalated", "emergency")
    html = page(web.get(thread_url(thread) + f"?sent={message.pk}"))
    shown = outcome_html(html)
    assert links(shown) == ["tel:911", "tel:988", "sms:988"]
    assert "Your message was delivered at once and your therapist was alerted" in shown
    assert "are paused for 24 hours" in shown  # the crisis pause, as the policy sets it
    # The kind is the therapist's to see, not the client's.
    assert not any(words in html for words in CRISIS_KIND_TEXT.values())


def test_a_social_media_request_under_emergency_is_refused_with_why(web, consented_client, thread):
    web.force_login(consented_client)
    body = "Can we connect on Instagram? I'd love to follow you, my handle is @casey.c"
    r = send_box(web, thread, body=body, category="emergency")
    shown = outcome_html(page(r))
    assert "Not sent" in shown
    assert REASON_TEXT["never_allowed"] in shown and REASON_TEXT["personal_content"] in shown
    assert links(shown) == ["tel:911", "tel:988", "sms:988"]  # an emergency's answer carries the resources
    message = last_message(thread, kind="message")
    assert message.status == "blocked" and message.reasons == ["never_allowed", "personal_content"]


# --- the therapist sees each message's reading --------------------------------------------------


def test_the_therapist_sees_the_crisis_kind_and_the_emergency_mismatch(web, therapist, consented_client):
    open_everything(therapist, consented_client)
    thread = consented_client.thread
    crisis_body = "I have been saving up my pills and I am going to take them all tonight"
    mismatch_body = "Can I get a receipt for my last invoice please?"
    send_service.message_send(sender=consented_client, thread=thread, category="check_in", body=crisis_body)
    send_service.message_send(
        sender=consented_client, thread=thread, category="emergency", body=mismatch_body
    )
    mismatch = last_message(thread, kind="message")
    assert "emergency_mismatch" in mismatch.reasons
    assert BoundaryException.objects.filter(kind="emergency_mismatch").count() == 1

    web.force_login(therapist)
    html = page(web.get(thread_url(thread)))
    kind = read(crisis_body).crisis_kind
    assert kind is not None
    assert f"Crisis language: {CRISIS_KIND_TEXT[kind]}." in html
    assert "Sent as emergency, reads as billing or scheduling." in html

    web.force_login(consented_client)
    html = page(web.get(thread_url(thread)))
    assert "Crisis language:" not in html and "reads as billing" not in html


@pytest.mark.parametrize("kind", sorted(CRISIS_KIND_TEXT))
def test_every_crisis_kind_has_plain_words_on_the_therapist_page(
    web, therapist, consented_client, thread, kind, monkeypatch
):
    send_service.message_send(
        sender=consented_client, thread=thread, category="emergency", body="(the words)"
    )
    # The page shows what the reader says; here the reader is made to say each kind in turn.
    monkeypatch.setattr(
        "messaging.presenters.read",
        lambda body: Reading(crisis=True, crisis_kind=kind, category=None, language="es"),
    )
    web.force_login(therapist)
    html = page(web.get(thread_url(thread)))
    assert (
        f'<span class="badge text-bg-danger text-wrap text-start fs-6 fw-semibold">Crisis language: {CRISIS_KIND_TEXT[kind]}.'
        "</span>"
    ) in html
    assert "Written in Spanish." in html


def test_reading_notes_in_words():
    assert reading_notes(Reading(personal=True, category="check_in"), sent_as="check_in") == (
        "Asks for contact outside therapy.",
    )
    assert reading_notes(
        Reading(category="administrative"), sent_as="emergency", reasons=("emergency_mismatch",)
    ) == ("Sent as emergency, reads as billing or scheduling.",)
    assert reading_notes(Reading(category="scheduled_call"), sent_as="check_in") == (
        "Reads as a call request.",
    )
    assert reading_notes(Reading(category="check_in"), sent_as="check_in") == ()


def test_honest_words_on_when_the_therapist_reads_a_crisis_message():
    closed = crisis_watch_text(
        open_now=False, next_opening="Monday 30 November 2026, 09:00 (America/New_York time)"
    )
    assert closed.startswith("This portal is not watched around the clock.")
    assert "they may not read it until Monday 30 November 2026, 09:00" in closed
    assert "straight away" in crisis_watch_text(open_now=True, next_opening="")
    assert crisis_watch_text(open_now=True, next_opening="", sent=True).startswith(
        "Your message was delivered at once and your therapist was alerted"
    )
    assert crisis_pause_text(GOOD_RULES["pause_after_crisis"]) == (
        "After a crisis message, brief check-in and pre-scheduled call are paused for 24 hours, so that it can be "
        "talked through together first. Emergency messages stay open."
    )
    assert crisis_pause_text(None) == "" and crisis_pause_text({"hours": 24, "categories": []}) == ""


def test_the_client_page_says_when_the_therapist_may_read_a_crisis_message(
    web, consented_client, thread, monkeypatch
):
    # Saturday 23:10 in New York: every window is closed; the first to open is Monday 09:00.
    from datetime import datetime

    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: datetime(2026, 11, 29, 4, 10, tzinfo=UTC))
    web.force_login(consented_client)
    html = page(web.get(thread_url(thread)))
    panel = found(re.search(r'<div id="preview-crisis".*?</div>', html, re.S)).group(0)
    assert links(panel) == ["tel:911", "tel:988", "sms:988"]
    assert "they may not read it until Monday 30 November 2026, 09:00 (America/New_York time)" in panel
    assert 'data-server-now="2026-11-29T04:10:00+00:00"' in html
