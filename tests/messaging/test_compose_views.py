"""Issue 12's pages: one message box (category optional, no channel menu for a client, the
server decides without JavaScript), crisis resources with every number a tel: link (and
sms: where the text says text), the therapist's reading markers, and the words the
compose box's script is given.
"""

from __future__ import annotations

import base64
import json
import re
from datetime import UTC, datetime

import pytest
from django.template import Context, Template
from django.urls import reverse

from audit.models import BoundaryException
from messaging.models import CallBooking, Message
from messaging.services import send as send_service
from messaging.templatetags.crisis import crisis_links_html, phone_value
from messaging.wording import (
    CATEGORY_NEEDED,
    CRISIS_KIND_TEXT,
    PREVIEW_TEXT,
    READS_AS,
    REASON_TEXT,
    crisis_pause_text,
    crisis_watch_text,
    reading_lines,
    reading_notes,
)
from policies.reader import Reading, read
from tests.conftest import GOOD_RULES

from .views_helpers import found, last_message, open_everything, page, thread_url


@pytest.fixture
def web(client):
    return client


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


# --- the simulator shows the reading it decided on ----------------------------------------------


def test_the_simulator_shows_the_reading(client, therapist, published_policy):
    client.force_login(therapist)
    data = {
        "date": "2026-11-28",
        "time": "23:00",
        "sender": "client",
        "category": "emergency",
        "channel": "portal",
        "body": "Can I get a receipt for my last invoice please?",
        "version": published_policy.pk,
    }
    html = page(client.post(reverse("policies:simulator"), data, follow=True))  # posts, then redirects
    reading = found(re.search(r'<div data-testid="reading">.*?</div>', html, re.S)).group(0)
    assert "Reads as billing or scheduling." in reading and "(decided as emergency)" in reading
    assert "Written in English." in reading
    assert REASON_TEXT["emergency_mismatch"] in html

    data["body"] = "estoy pensando en suicidarme esta noche"
    html = page(client.post(reverse("policies:simulator"), data, follow=True))  # posts, then redirects
    reading = found(re.search(r'<div data-testid="reading">.*?</div>', html, re.S)).group(0)
    said = read(data["body"])
    assert said.crisis and said.crisis_kind is not None
    assert f"Crisis language: {CRISIS_KIND_TEXT[said.crisis_kind]}." in reading
    assert all(line in reading for line in reading_lines(said))  # the language too, when the reader names one


# --- the page's own call to the preview -------------------------------------------------------


@pytest.mark.parametrize("who", ["consented_client", "therapist"])
def test_the_page_can_ask_the_preview_with_its_session_and_csrf_token(who, thread, request):
    """As compose.js asks it: the session cookie and the X-CSRFToken header, JSON in and out."""
    from django.test import Client

    user = request.getfixturevalue(who)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    html = page(browser.get(thread_url(thread)))
    token = found(re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)).group(1)
    url = found(re.search(r'data-preview-url="([^"]+)"', html)).group(1)
    body = {"body": "Could you send me a receipt for my last invoice?", "category": "administrative"}
    if who == "therapist":
        body["channel"] = "portal"
    r = browser.post(url, json.dumps(body), content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert r.status_code == 200, r.content
    assert r.json()["reading"]["category"] == "administrative"
    assert not Message.objects.filter(thread=thread).exists()  # nothing stored
    # Without the token the session may not ask (the page always sends it).
    assert browser.post(url, json.dumps(body), content_type="application/json").status_code == 403


# --- one time zone rule: the viewer's (issue 16) -------------------------------------------------


def _saturday_night(monkeypatch):
    """Saturday 28 November 2026, 23:10 in New York (the policy's zone): 04:10 UTC on Sunday,
    04:10 in London. Every window is closed; the first to open is Monday 09:00 New York, which
    is 14:00 in London."""
    from datetime import datetime

    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: datetime(2026, 11, 29, 4, 10, tzinfo=UTC))


def test_a_client_in_another_zone_sees_the_compose_box_and_call_hours_in_their_own(
    web, consented_client, thread, monkeypatch
):
    _saturday_night(monkeypatch)
    consented_client.timezone = "Europe/London"
    consented_client.save(update_fields=["timezone"])
    web.force_login(consented_client)
    html = page(web.get(thread_url(thread)))
    assert html.count("Times are shown in Europe/London time.") == 1
    assert "America/New_York" not in html and "New York" not in html
    # The compose script words "it is 04:10 on Sunday ... delivered on Monday at 14:00" in this zone.
    words = json.loads(base64.b64decode(found(re.search(r'data-words="([^"]+)"', html)).group(1)))
    assert words["tz"] == "Europe/London"
    # The crisis panel's next opening: Monday 09:00 in New York is 14:00 in London.
    panel = found(re.search(r'<div id="preview-crisis".*?</div>', html, re.S)).group(0)
    assert "they may not read it until Monday 30 November 2026, 14:00 (Europe/London time)" in panel
    # "What the policy allows": administrative opens Monday 09:00 New York = 14:00 London.
    table = found(
        re.search(r'<table class="table table-sm align-middle small" id="open-now">.*?</table>', html, re.S)
    ).group(0)
    assert "Monday 30 November 2026, 14:00" in table and "09:00" not in table
    # The call hours (Monday and Wednesday 10:00 to 12:00 in New York) as London's wall clock.
    assert "calls in these hours; a call must start and end inside one:" in html
    assert "<li>Monday and Wednesday, 15:00 to 17:00</li>" in html and "10:00 to 12:00" not in html
    # The slots offered: Monday 30 November 10:00 New York is 15:00 London, label and value
    # alike (every time the client sees or sends is their own wall clock).
    assert re.search(
        r'value="2026-11-30T15:00"  id="id_call-start_0" required> <label for="id_call-start_0" '
        r'class="form-check-label">\s*Monday 30 November 2026, 15:00\s*</label>',
        html,
    )
    # ... and the form reads the value back as that instant: 15:00 London is 15:00 UTC.
    web.post(
        reverse("messaging:call_book", args=[thread.pk]),
        {"call-start": "2026-11-30T15:00", "call-minutes": 15, "call-channel": "phone"},
    )
    booked = CallBooking.objects.get(thread=thread)
    assert booked.start == datetime(2026, 11, 30, 15, 0, tzinfo=UTC)


def test_the_preview_words_follow_the_viewer_and_the_api_stays_utc(consented_client, thread, monkeypatch):
    from rest_framework.test import APIClient

    _saturday_night(monkeypatch)
    consented_client.timezone = "Asia/Tokyo"
    consented_client.save(update_fields=["timezone"])
    api = APIClient()
    api.force_login(consented_client)
    answer = api.post(
        reverse("api-preview", args=[thread.pk]),
        {"category": "administrative", "body": "A question about my bill"},
        format="json",
    ).json()
    assert answer["outcome"] == "held" and answer["deliver_at"].startswith("2026-11-30T14:00:00")
    web = api  # the same session: the page gives the script the zone to word that instant in
    html = page(web.get(thread_url(thread)))
    words = json.loads(base64.b64decode(found(re.search(r'data-words="([^"]+)"', html)).group(1)))
    assert words["tz"] == "Asia/Tokyo" and "Times are shown in Asia/Tokyo time." in html
    assert 'data-server-now="2026-11-29T04:10:00+00:00"' in html


def test_the_therapist_sees_their_own_zone_too(web, therapist, consented_client, thread, monkeypatch):
    _saturday_night(monkeypatch)
    therapist.timezone = "America/Los_Angeles"
    therapist.save(update_fields=["timezone"])
    web.force_login(therapist)
    html = page(web.get(thread_url(thread)))
    assert "Times are shown in America/Los_Angeles time." in html
    words = json.loads(base64.b64decode(found(re.search(r'data-words="([^"]+)"', html)).group(1)))
    assert words["tz"] == "America/Los_Angeles"
    # The call hours, 10:00 to 12:00 in New York, are 07:00 to 09:00 in Los Angeles.
    assert "07:00 to 09:00" in html and "10:00 to 12:00" not in html


def test_a_window_in_the_viewers_zone_moves_its_days_across_midnight():
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from messaging.presenters import window_in_zone

    at = datetime(2026, 11, 29, 4, 10, tzinfo=UTC)
    ny, tokyo = ZoneInfo("America/New_York"), ZoneInfo("Asia/Tokyo")
    w = {"days": ["mon", "wed"], "start": "10:00", "end": "12:00"}
    # 10:00 in New York (EST) is 00:00 the next day in Tokyo.
    assert window_in_zone(w, ny, tokyo, at) == {"days": ["tue", "thu"], "start": "00:00", "end": "02:00"}
    assert window_in_zone({"days": ["sun"], "start": "20:00", "end": "23:00"}, ny, tokyo, at)["days"] == [
        "mon"
    ]
    assert window_in_zone(w, ny, ZoneInfo("America/New_York"), at) == w


# --- the simulator: post/redirect/get (issue 16) ---------------------------------------------------

SIMULATED = {
    "date": "2026-11-28",
    "time": "23:00",
    "sender": "client",
    "category": "administrative",
    "channel": "portal",
    "body": "A question about my invoice number 4471",
}


def test_the_simulator_posts_then_redirects_to_a_get_that_shows_the_result(
    client, therapist, published_policy
):
    client.force_login(therapist)
    url = reverse("policies:simulator")
    r = client.post(url, {**SIMULATED, "version": published_policy.pk})
    assert r.status_code == 302
    location = r["Location"]
    assert location.startswith(url + "?result=") and "invoice" not in location and "4471" not in location
    shown = client.get(location)
    assert shown.status_code == 200 and shown.context["result"]["decision"].outcome == "held"
    html = page(shown)
    assert "Held until the next opening" in html and "Monday 30 November 2026, 09:00" in html
    # The form is filled again with what was typed (from the session, not the URL).
    assert "A question about my invoice number 4471" in html
    # A reload is a GET: it shows the same answer and submits nothing.
    again = client.get(location)
    assert again.status_code == 200 and again.context["result"]["decision"].outcome == "held"
    # Nothing typed is stored in the clear in the session.
    from django.contrib.sessions.backends.base import SessionBase  # noqa: F401 - the session is a dict here

    stored = json.dumps(dict(client.session.items()))
    assert "invoice" not in stored and "4471" not in stored


def test_another_users_result_id_shows_nothing(client, therapist, other_therapist, published_policy):
    from tests.conftest import publish_policy

    client.force_login(therapist)
    location = client.post(reverse("policies:simulator"), {**SIMULATED, "version": published_policy.pk})[
        "Location"
    ]
    publish_policy(other_therapist)
    client.force_login(other_therapist)
    r = client.get(location)
    assert r.status_code == 200 and r.context["result"] is None
    assert "invoice" not in page(r) and "Held until the next opening" not in page(r)
    # An id never issued shows nothing either.
    client.force_login(therapist)
    assert client.get(reverse("policies:simulator") + "?result=nope").context["result"] is None


def test_an_invalid_simulation_is_shown_at_the_post_with_its_errors(client, therapist, published_policy):
    client.force_login(therapist)
    r = client.post(reverse("policies:simulator"), {**SIMULATED, "version": published_policy.pk, "date": ""})
    assert r.status_code == 400 and "date" in r.context["form"].errors and r.context["result"] is None
