"""The browser door onto messaging, the thread page: who sees it, what the compose form shows and
what it says after a send, each outcome in plain words. Held messages, alerts, overrides, calls,
contact logs and care are in test_views_thread_actions.py; the dashboards in
test_views_dashboards.py.

Outcomes that depend on the hour are made independent of when the tests run: the policy is
republished with windows that are open at any time, or with one window that starts two hours
from now (so it is closed now), and the client consents again (tests/messaging/views_helpers.py).
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from messaging.models import CrisisAlert, Message
from messaging.templatetags.crisis import crisis_links_html
from policies.wording import REASON_TEXT
from portal.localtime import local_time
from tests.messaging.views_helpers import (
    LINKED_RESOURCES,
    OVERRIDE_HELP,
    TZ,
    closed_window,
    found,
    last_message,
    open_everything,
    page,
    repolicy,
    send,
    thread_url,
)

# --- each side sees its own thread; nobody else does ------------------------------------------


def test_thread_page_renders_for_the_client(web, thread, consented_client):
    web.force_login(consented_client)
    r = web.get(thread_url(thread))
    assert r.status_code == 200
    html = page(r)
    assert "Messages with Dr Taylor Reed" in html
    # One message box: the text and what it is about; a client's message goes by the portal.
    assert 'name="category"' in html and 'name="body"' in html and 'name="channel"' not in html
    assert "override_reason" not in html  # a client's override is ignored, so it is not offered
    assert "988" in html and "911" in html


def test_thread_page_renders_for_the_therapist_with_the_override_field(web, thread, therapist):
    web.force_login(therapist)
    r = web.get(thread_url(thread))
    assert r.status_code == 200
    html = page(r)
    assert "Messages with Casey Client" in html
    assert 'name="override_reason"' in html
    assert OVERRIDE_HELP in html
    assert "Log a contact made off the portal" in html and "End care" in html


@pytest.mark.parametrize("stranger", ["other_therapist", "colleague", "other_client"])
def test_thread_page_is_not_found_for_anybody_else(web, thread, stranger, request):
    web.force_login(request.getfixturevalue(stranger))
    assert web.get(thread_url(thread)).status_code == 404
    assert send(web, thread, follow=False).status_code == 404
    assert Message.objects.filter(thread=thread).count() == 0


def test_thread_page_needs_a_login(web, thread):
    r = web.get(thread_url(thread))
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]


# --- what the compose form shows -------------------------------------------------------------


def test_the_box_comes_right_after_the_conversation_and_the_policy_summary_after_it(
    web, thread, consented_client
):
    web.force_login(consented_client)
    html = page(web.get(thread_url(thread)))
    summary = html.index("The contact policy in short")
    form = html.index('id="compose-form"')
    assert html.index('id="message-list"') < form < summary
    assert "expect a reply within 24 hours" in html
    assert LINKED_RESOURCES in html
    assert crisis_links_html("call 911, or call or text 988") in html


def test_compose_shows_what_is_open_now_and_when_it_next_opens(web, therapist, consented_client):
    window = closed_window()
    repolicy(therapist, consented_client, administrative={"windows": [window], "outside_hours": "hold"})
    web.force_login(consented_client)
    html = page(web.get(thread_url(consented_client.thread)))
    from policies.hours import next_opening
    from policies.selectors import compiled_policy, current_version

    version = current_version(therapist.pk)
    assert version is not None
    opening = next_opening(compiled_policy(version), "administrative", timezone.now())
    administrative = r"Administrative \(scheduling, billing, forms\)</th>(.*?)</tr>"
    row = found(re.search(administrative, html, re.S)).group(1)
    assert "Closed" in row
    assert local_time(opening, TZ, named=False) in row
    # The zone is named once, at the top of the page, not beside every time.
    assert (
        "(America/New_York time)" not in row and html.count("Times are shown in America/New_York time.") == 1
    )
    emergency = found(re.search(r"<th scope=\"row\">Emergency</th>(.*?)</tr>", html, re.S)).group(1)
    assert "Open" in emergency and "Portal message" in emergency and "Phone" in emergency


# --- sending: each outcome in plain words ---------------------------------------------------------


def test_a_delivered_message_says_delivered(web, therapist, consented_client):
    open_everything(therapist, consented_client)
    thread = consented_client.thread
    web.force_login(consented_client)
    r = send(web, thread, body="Could we talk about billing?")
    assert r.status_code == 200
    html = page(r)
    assert "Delivered." in html
    assert "Could we talk about billing?" in html
    assert last_message(thread, kind="message").status == "delivered"


def test_a_held_message_says_until_when_in_local_time(web, therapist, consented_client):
    repolicy(
        therapist, consented_client, administrative={"windows": [closed_window()], "outside_hours": "hold"}
    )
    thread = consented_client.thread
    web.force_login(consented_client)
    html = page(send(web, thread, body="Please send me the invoice."))
    held = last_message(thread, kind="message")
    assert held.status == "held"
    assert f"Held until {local_time(held.deliver_at, TZ, named=False)}" in html
    assert "Times are shown in America/New_York time." in html


def test_a_blocked_message_says_why_and_keeps_what_was_written(web, therapist, thread):
    web.force_login(therapist)
    # check_in is portal-only: e-mail is not a channel for it (only a therapist's box offers channels).
    r = send(web, thread, category="check_in", channel="email", body="Quick check-in about my week")
    html = page(r)
    assert "Not sent" in html
    assert REASON_TEXT["channel_not_allowed"] in html
    # The textarea still holds the text, so nothing typed is lost.
    assert re.search(r"<textarea[^>]*name=\"body\"[^>]*>\s*Quick check-in about my week</textarea>", html)
    assert last_message(thread, kind="message").status == "blocked"


def test_personal_contact_is_refused_as_never_allowed(web, consented_client, thread):
    web.force_login(consented_client)
    html = page(web.get(thread_url(thread)))
    assert '<option value="personal">Personal or social contact (never allowed)</option>' in html
    # The label alone refuses it (a body that asks for contact outside therapy would add
    # personal_content: test_compose_views covers that).
    html = page(send(web, thread, category="personal", body="A question about next week"))
    assert "Not sent" in html
    assert REASON_TEXT["never_allowed"] in html
    assert last_message(thread, kind="message").reasons == ["never_allowed"]


def test_a_message_outside_blocking_hours_is_refused_with_the_reason(web, therapist, consented_client):
    repolicy(therapist, consented_client, check_in={"windows": [closed_window()], "outside_hours": "block"})
    web.force_login(consented_client)
    html = page(send(web, consented_client.thread, category="check_in", body="How do I do the exercise?"))
    assert "Not sent" in html
    assert REASON_TEXT["outside_hours"] in html


def test_crisis_language_shows_the_crisis_resources_at_once(web, consented_client, thread, therapist):
    web.force_login(consented_client)
    r = send(web, thread, category="administrative", body="I can't go on, I want to kill myself tonight")
    html = page(r)
    alert = re.search(
        r'<div class="alert alert-danger crisis-resources" role="alert">(.*?)</div>', html, re.S
    )
    assert alert is not None
    assert LINKED_RESOURCES in alert.group(1)
    # The outcome comes before the conversation: it is the first thing on the page.
    assert html.index("crisis-resources") < html.index('id="message-list"')
    assert last_message(thread, kind="message").status == "escalated"
    assert CrisisAlert.objects.filter(thread=thread, acknowledged_at__isnull=True).count() == 1


def test_an_emergency_message_shows_the_crisis_resources(web, consented_client, thread):
    web.force_login(consented_client)
    html = page(send(web, thread, category="emergency", body="I need to talk to someone urgently"))
    assert 'class="alert alert-danger crisis-resources" role="alert"' in html
    assert LINKED_RESOURCES in html


def test_the_after_hours_reply_appears_in_the_thread(web, therapist, consented_client):
    rules = repolicy(
        therapist, consented_client, administrative={"windows": [closed_window()], "outside_hours": "deliver"}
    )
    thread = consented_client.thread
    web.force_login(consented_client)
    html = page(send(web, thread, body="Is my form in?"))
    assert "Delivered, outside the usual hours" in html
    assert Message.objects.filter(thread=thread, kind="auto_reply").exists()
    listing = html[html.index('id="message-list"') :]
    assert "Automatic reply" in listing
    assert rules["after_hours_reply"] in listing


def test_html_in_a_message_is_shown_as_text(web, therapist, consented_client):
    open_everything(therapist, consented_client)
    thread = consented_client.thread
    web.force_login(consented_client)
    html = page(send(web, thread, body="<script>alert(1)</script>"))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)</script>" not in html
    web.force_login(therapist)
    html = page(web.get(thread_url(thread)))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)</script>" not in html


@pytest.mark.parametrize("who", ["therapist", "consented_client"])
def test_pages_have_no_inline_script_or_style(web, thread, who, request):
    web.force_login(request.getfixturevalue(who))
    home = "messaging:therapist_home" if who == "therapist" else "messaging:client_home"
    for url in (thread_url(thread), reverse(home)):
        html = page(web.get(url))
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag, tag
        assert not re.search(r"<script\b[^>]*>\s*[^<\s]", html), "inline script"
        assert " style=" not in html
        assert re.search(r"\son[a-z]+=", html) is None, "inline event handler"
