"""The browser door onto messaging: thread pages, the compose form and what it says after a
send, held messages, crisis escalation, overrides, calls, contact logs, ending care, dashboards.

Outcomes that depend on the hour are made independent of when the tests run: the policy is
republished with windows that are open at any time, or with one window that starts two hours
from now (so it is closed now), and the client consents again.
"""

from __future__ import annotations

import copy
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import BoundaryException
from messaging.models import CallBooking, CrisisAlert, Message
from messaging.templatetags.crisis import crisis_links_html
from messaging.wording import REASON_TEXT, local_time
from tests.conftest import GOOD_RULES, publish_policy, sign_consent

TZ = ZoneInfo("America/New_York")
CRISIS_RESOURCES = GOOD_RULES["crisis_resources"]
# Crisis resources are shown with every number a link (messaging/templatetags/crisis.py).
LINKED_RESOURCES = crisis_links_html(CRISIS_RESOURCES)
OVERRIDE_HELP = "An override is recorded as a boundary exception and reviewed by your practice"


# --- helpers (shared with test_polling.py) --------------------------------------------------


def closed_window(hours_ahead: int = 2) -> dict:
    """A one-hour window that opens `hours_ahead` hours from now (local), so it is closed now."""
    start = (timezone.now() + timedelta(hours=hours_ahead)).astimezone(TZ)
    day = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")[start.weekday()]
    end_hour = (start.hour + 1) % 24
    return {"days": [day], "start": f"{start.hour:02d}:00", "end": f"{end_hour:02d}:00"}


def repolicy(therapist, client, **categories) -> dict:
    """Publish a new version with the given category rules changed; the client consents again."""
    rules = copy.deepcopy(GOOD_RULES)
    for name, changes in categories.items():
        rules["categories"][name] = {**rules["categories"].get(name, {}), **changes}
    publish_policy(therapist, rules)
    sign_consent(client)
    client.refresh_from_db()
    return rules


def open_everything(therapist, client) -> dict:
    return repolicy(therapist, client, administrative={"windows": []}, check_in={"windows": []})


def thread_url(thread) -> str:
    return reverse("messaging:thread", args=[thread.pk])


def send(
    web,
    thread,
    *,
    body="Can we move Tuesday's session?",
    category="administrative",
    channel="portal",
    follow=True,
    **extra,
):
    data = {"category": category, "channel": channel, "body": body, **extra}
    return web.post(reverse("messaging:send", args=[thread.pk]), data, follow=follow)


def page(response) -> str:
    return response.content.decode()


def found(match: re.Match[str] | None) -> re.Match[str]:
    """A search's match, failing the test (not with an AttributeError on None) when the
    pattern is not in the page."""
    assert match is not None, "the pattern is not in the page"
    return match


def next_call_slot() -> datetime:
    """A local 10:30 on the next Monday or Wednesday at least a day away (a scheduled_call window)."""
    day = (timezone.now() + timedelta(days=1)).astimezone(TZ).date()
    while day.weekday() not in (0, 2):
        day += timedelta(days=1)
    return datetime(day.year, day.month, day.day, 10, 30)


def last_message(thread, **filters) -> Message:
    message = Message.objects.filter(thread=thread, **filters).order_by("-id").first()
    assert message is not None, "the thread has no such message"
    return message


@pytest.fixture(autouse=True)
def fresh_compiled_policies():
    """policies.selectors caches compiled rules by version id; a rolled-back test's ids are
    reused by the next test (SQLite), so start every test with an empty cache."""
    from policies import selectors as policy_selectors

    policy_selectors._compiled.clear()
    yield
    policy_selectors._compiled.clear()


@pytest.fixture
def web(client):
    """Django's test client (the persona fixture `client_user` is the portal's client)."""
    return client


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
    from policies.engine import next_opening
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


# --- held messages -----------------------------------------------------------------------------


def test_the_sender_sees_a_held_message_with_cancel_and_the_recipient_does_not(
    web, therapist, consented_client
):
    repolicy(
        therapist, consented_client, administrative={"windows": [closed_window()], "outside_hours": "hold"}
    )
    thread = consented_client.thread
    web.force_login(consented_client)
    send(web, thread, body="Held until the morning, please")
    held = last_message(thread, kind="message")
    html = page(web.get(thread_url(thread)))
    item = found(re.search(rf'id="message-{held.pk}".*?</li>', html, re.S)).group(0)
    assert "Held until the morning, please" in item
    assert reverse("messaging:cancel", args=[thread.pk, held.pk]) in item
    assert ">Cancel<" in item

    web.force_login(therapist)
    html = page(web.get(thread_url(thread)))
    assert "Held until the morning, please" not in html
    assert f'id="message-{held.pk}"' not in html


def test_the_sender_cancels_a_held_message(web, therapist, consented_client):
    repolicy(
        therapist, consented_client, administrative={"windows": [closed_window()], "outside_hours": "hold"}
    )
    thread = consented_client.thread
    web.force_login(consented_client)
    send(web, thread, body="Never mind")
    held = last_message(thread, kind="message")
    r = web.post(reverse("messaging:cancel", args=[thread.pk, held.pk]), follow=True)
    assert r.status_code == 200
    held.refresh_from_db()
    assert held.status == "cancelled"
    assert "cancelled" in page(r)
    # Cancelling again is refused in words, not with an error page.
    r = web.post(reverse("messaging:cancel", args=[thread.pk, held.pk]), follow=True)
    assert r.status_code == 200


def test_only_the_sender_can_cancel(web, therapist, consented_client):
    repolicy(
        therapist, consented_client, administrative={"windows": [closed_window()], "outside_hours": "hold"}
    )
    thread = consented_client.thread
    web.force_login(consented_client)
    send(web, thread, body="Mine to cancel")
    held = last_message(thread, kind="message")
    web.force_login(therapist)
    assert web.post(reverse("messaging:cancel", args=[thread.pk, held.pk])).status_code == 404
    held.refresh_from_db()
    assert held.status == "held"


# --- crisis alerts on the therapist's dashboard ------------------------------------------------------


def test_the_dashboard_shows_an_unacknowledged_crisis_alert_until_acknowledged(
    web, consented_client, thread, therapist
):
    web.force_login(consented_client)
    send(web, thread, body="I have been thinking about ending my life")
    alert = CrisisAlert.objects.get(thread=thread)

    web.force_login(therapist)
    html = page(web.get(reverse("messaging:therapist_home")))
    assert 'role="alert"' in html and "Crisis alert" in html and "Casey Client" in html
    ack = reverse("messaging:alert_ack", args=[alert.pk])
    assert ack in html and "Acknowledge" in html

    r = web.post(ack, follow=True)
    assert r.status_code == 200
    alert.refresh_from_db()
    assert alert.acknowledged_at is not None
    assert ack not in page(r)


def test_only_the_alerted_therapist_acknowledges(web, consented_client, thread, other_therapist, colleague):
    web.force_login(consented_client)
    send(web, thread, body="I want to die")
    alert = CrisisAlert.objects.get(thread=thread)
    ack = reverse("messaging:alert_ack", args=[alert.pk])
    assert web.post(ack).status_code == 403  # a client
    for stranger in (other_therapist, colleague):
        web.force_login(stranger)
        assert web.post(ack).status_code == 404
    alert.refresh_from_db()
    assert alert.acknowledged_at is None


# --- overrides -------------------------------------------------------------------------------------


def test_a_therapist_override_is_recorded_as_a_boundary_exception(web, therapist, consented_client):
    repolicy(
        therapist, consented_client, administrative={"windows": [closed_window()], "outside_hours": "block"}
    )
    thread = consented_client.thread
    before = BoundaryException.objects.filter(kind="override").count()
    web.force_login(therapist)
    html = page(
        send(
            web,
            thread,
            body="Your prescription letter is ready",
            override_reason="The pharmacy needs it before tomorrow",
        )
    )
    assert "Delivered as a boundary exception" in html
    assert REASON_TEXT["override"] in html
    assert last_message(thread, kind="message").status == "delivered_with_exception"
    assert BoundaryException.objects.filter(kind="override").count() == before + 1


def test_a_client_cannot_override(web, therapist, consented_client):
    repolicy(therapist, consented_client, check_in={"windows": [closed_window()], "outside_hours": "block"})
    thread = consented_client.thread
    before = BoundaryException.objects.filter(kind="override").count()
    web.force_login(consented_client)
    html = page(send(web, thread, category="check_in", body="Let me in", override_reason="Because"))
    assert "Not sent" in html
    assert BoundaryException.objects.filter(kind="override").count() == before


# --- calls -------------------------------------------------------------------------------------------


def book(web, thread, start: datetime, minutes=15, channel="phone", follow=True, **extra):
    data = {
        "call-start": start.strftime("%Y-%m-%dT%H:%M"),
        "call-minutes": minutes,
        "call-channel": channel,
        **{f"call-{k}": v for k, v in extra.items()},
    }
    return web.post(reverse("messaging:call_book", args=[thread.pk]), data, follow=follow)


def test_the_call_form_shows_the_windows_and_the_longest_call(web, thread, consented_client):
    web.force_login(consented_client)
    html = page(web.get(thread_url(thread)))
    assert "Monday and Wednesday, 10:00 to 12:00" in html
    assert "at most 15 minutes" in html


def test_a_client_books_a_call_and_the_therapist_confirms_it(web, thread, consented_client, therapist):
    start = next_call_slot()
    web.force_login(consented_client)
    r = book(web, thread, start)
    assert r.status_code == 200
    call = CallBooking.objects.get(thread=thread)
    assert call.status == "booked"
    assert call.start == start.replace(tzinfo=TZ).astimezone(ZoneInfo("UTC"))
    assert "Call booked. The time is held for you until the therapist confirms it." in page(r)
    assert "booked, waiting for confirmation" in page(r)
    # The client cannot confirm their own booking.
    assert web.post(reverse("messaging:call_confirm", args=[thread.pk, call.pk])).status_code == 403

    web.force_login(therapist)
    home = page(web.get(reverse("messaging:therapist_home")))
    assert reverse("messaging:call_confirm", args=[thread.pk, call.pk]) in home
    r = web.post(reverse("messaging:call_confirm", args=[thread.pk, call.pk]), follow=True)
    assert r.status_code == 200
    call.refresh_from_db()
    assert call.status == "confirmed"


def test_the_therapist_declines_a_call(web, thread, consented_client, therapist):
    web.force_login(consented_client)
    book(web, thread, next_call_slot())
    call = CallBooking.objects.get(thread=thread)
    web.force_login(therapist)
    web.post(reverse("messaging:call_decline", args=[thread.pk, call.pk]), follow=True)
    call.refresh_from_db()
    assert call.status == "declined"


def test_a_call_that_is_too_long_is_refused_in_words(web, thread, consented_client):
    web.force_login(consented_client)
    html = page(book(web, thread, next_call_slot(), minutes=45))
    assert "Call not booked" in html
    assert REASON_TEXT["too_long"] in html
    assert not CallBooking.objects.filter(thread=thread).exists()


def test_an_overlapping_call_is_a_form_error(web, thread, consented_client, therapist):
    start = next_call_slot()
    web.force_login(consented_client)
    book(web, thread, start)
    web.force_login(therapist)
    r = book(web, thread, start + timedelta(minutes=5), minutes=10)
    assert r.status_code == 400
    assert CallBooking.objects.filter(thread=thread).count() == 1
    assert "invalid-feedback" in page(r) or "alert-danger" in page(r)


def test_call_actions_of_another_therapist_are_not_found(web, thread, consented_client, colleague):
    web.force_login(consented_client)
    book(web, thread, next_call_slot())
    call = CallBooking.objects.get(thread=thread)
    web.force_login(colleague)
    assert web.post(reverse("messaging:call_confirm", args=[thread.pk, call.pk])).status_code == 404


# --- contact log --------------------------------------------------------------------------------------


def test_the_therapist_logs_an_off_portal_contact(web, thread, therapist):
    at = (timezone.now() - timedelta(hours=3)).astimezone(TZ).replace(tzinfo=None, second=0, microsecond=0)
    web.force_login(therapist)
    r = web.post(
        reverse("messaging:contact_log", args=[thread.pk]),
        {
            "log-category": "emergency",
            "log-channel": "phone",
            "log-at": at.strftime("%Y-%m-%dT%H:%M"),
            "log-minutes": 20,
            "log-note": "Called at night; safety plan reviewed",
        },
        follow=True,
    )
    assert r.status_code == 200
    logged = last_message(thread, kind="contact")
    assert logged is not None and logged.minutes == 20
    assert logged.occurred_at == at.replace(tzinfo=TZ).astimezone(ZoneInfo("UTC"))
    assert "Safety plan reviewed".lower() in page(r).lower()


def test_a_time_the_therapist_types_is_read_in_their_own_zone(web, thread, therapist):
    # The policy is New York's; the therapist's profile says Los Angeles: every time on the page
    # is in Los Angeles time, so a time typed into the log is too (and the field says so).
    therapist.timezone = "America/Los_Angeles"
    therapist.save(update_fields=["timezone"])
    la = ZoneInfo("America/Los_Angeles")
    at = (timezone.now() - timedelta(hours=3)).astimezone(la).replace(tzinfo=None, second=0, microsecond=0)
    web.force_login(therapist)
    assert "In America/Los_Angeles time, your time zone." in page(
        web.get(reverse("messaging:thread", args=[thread.pk]))
    )
    web.post(
        reverse("messaging:contact_log", args=[thread.pk]),
        {
            "log-category": "emergency",
            "log-channel": "phone",
            "log-at": at.strftime("%Y-%m-%dT%H:%M"),
            "log-minutes": 20,
            "log-note": "Called back",
        },
    )
    logged = last_message(thread, kind="contact")
    assert logged is not None
    assert logged.occurred_at == at.replace(tzinfo=la).astimezone(ZoneInfo("UTC"))


def test_a_blocked_contact_log_is_kept_and_explained(web, thread, therapist):
    web.force_login(therapist)
    before = Message.objects.filter(thread=thread, kind="contact").count()
    r = web.post(
        reverse("messaging:contact_log", args=[thread.pk]),
        {
            "log-category": "personal",
            "log-channel": "phone",
            "log-at": (timezone.now() - timedelta(hours=1)).astimezone(TZ).strftime("%Y-%m-%dT%H:%M"),
            "log-note": "Met at a party",
        },
    )
    assert r.status_code == 302  # post/redirect/get: the outcome is read back after the redirect
    html = page(web.get(r["Location"]))
    assert "Logged as outside the contact policy" in html
    assert REASON_TEXT["never_allowed"] in html
    assert Message.objects.filter(thread=thread, kind="contact").count() == before + 1


def test_a_client_cannot_log_contacts(web, thread, consented_client):
    web.force_login(consented_client)
    r = web.post(
        reverse("messaging:contact_log", args=[thread.pk]),
        {"log-category": "emergency", "log-channel": "phone", "log-at": "2026-01-05T10:00", "log-note": "x"},
    )
    assert r.status_code == 403


# --- ending and reopening care -----------------------------------------------------------------------


def test_the_therapist_ends_care_with_a_note_and_reopens_it(web, thread, therapist, consented_client):
    web.force_login(therapist)
    r = web.post(
        reverse("messaging:care_end", args=[thread.pk]),
        {"care-note": "Referral: Dr Lee, 555-0100. " + CRISIS_RESOURCES},
        follow=True,
    )
    assert r.status_code == 200
    thread.refresh_from_db()
    assert thread.care_ended
    assert "Reopen care" in page(r)

    web.force_login(consented_client)
    html = page(web.get(thread_url(thread)))
    assert "Your therapist has ended care" in html
    assert "Referral: Dr Lee, 555-0100." in html
    html = page(send(web, thread, category="emergency", body="Hello?"))
    assert REASON_TEXT["care_ended"] in html

    web.force_login(therapist)
    web.post(reverse("messaging:care_reopen", args=[thread.pk]), follow=True)
    thread.refresh_from_db()
    assert not thread.care_ended


def test_ending_care_needs_a_note(web, thread, therapist):
    web.force_login(therapist)
    r = web.post(reverse("messaging:care_end", args=[thread.pk]), {"care-note": "  "})
    assert r.status_code == 400
    thread.refresh_from_db()
    assert not thread.care_ended


@pytest.mark.parametrize("name", ["care_end", "care_reopen"])
def test_a_client_cannot_end_or_reopen_care(web, thread, consented_client, name):
    web.force_login(consented_client)
    assert web.post(reverse(f"messaging:{name}", args=[thread.pk]), {"care-note": "bye"}).status_code == 403


# --- dashboards ------------------------------------------------------------------------------------------


def test_the_therapist_home_lists_clients_with_unread_counts_and_consent(
    web, thread, therapist, consented_client
):
    web.force_login(consented_client)
    send(web, thread, category="emergency", body="Call me please")
    web.force_login(therapist)
    r = web.get(reverse("messaging:therapist_home"))
    assert r.status_code == 200
    html = page(r)
    assert "Casey Client" in html and "Consent active" in html
    assert f'data-unread-thread="{thread.pk}">1 unread<' in html
    assert reverse("messaging:thread", args=[thread.pk]) in html
    for name in ("policies:editor", "policies:simulator", "consent:clients"):
        assert f'href="{reverse(name)}"' in html


def test_the_therapist_home_lists_held_messages(web, therapist, consented_client):
    repolicy(
        therapist, consented_client, administrative={"windows": [closed_window()], "outside_hours": "hold"}
    )
    thread = consented_client.thread
    web.force_login(therapist)
    send(web, thread, body="Invoice attached in the portal")
    held = last_message(thread, kind="message")
    assert held.status == "held"
    html = page(web.get(reverse("messaging:therapist_home")))
    assert f"held until {local_time(held.deliver_at, TZ, named=False)}" in html
    assert "Times are shown in America/New_York time." in html


def test_the_client_home_shows_consent_the_thread_and_the_export(web, thread, consented_client):
    web.force_login(consented_client)
    r = web.get(reverse("messaging:client_home"))
    assert r.status_code == 200
    html = page(r)
    assert "Your consent is active." in html
    messages_url = reverse("messaging:thread", args=[thread.pk])
    assert re.search(
        rf'<a class="btn btn-primary" id="next-step" href="{messages_url}">Open your messages</a>', html
    )
    assert 'href="/api/v1/me/export"' in html and reverse("messaging:record") in html
    consent = consented_client.consents.first()
    assert reverse("consent:receipt", args=[consent.pk]) in html
    assert "Read and sign" not in html and "Review the changes" not in html  # nothing to sign


def test_the_client_home_asks_for_re_consent_after_a_new_version(web, therapist, consented_client):
    publish_policy(therapist, {**GOOD_RULES, "after_hours_reply": "Back on Monday."})
    web.force_login(consented_client)
    html = page(web.get(reverse("messaging:client_home")))
    assert "Your therapist updated the contact policy." in html and "still applies until" in html
    assert f'id="next-step" href="{reverse("consent:sign")}">Review the changes and sign</a>' in html


def test_the_client_home_lists_upcoming_calls(web, thread, consented_client):
    web.force_login(consented_client)
    book(web, thread, next_call_slot())
    html = page(web.get(reverse("messaging:client_home")))
    assert "booked, waiting for confirmation" in html


def test_dashboards_are_for_their_side_only(web, therapist, consented_client, admin):
    web.force_login(consented_client)
    assert web.get(reverse("messaging:therapist_home")).status_code == 403
    web.force_login(therapist)
    assert web.get(reverse("messaging:client_home")).status_code == 403
    web.force_login(admin)
    assert web.get(reverse("messaging:therapist_home")).status_code == 403


def test_home_sends_each_side_to_its_dashboard(web, therapist, consented_client):
    web.force_login(therapist)
    assert web.get("/")["Location"] == reverse("messaging:therapist_home")
    web.force_login(consented_client)
    assert web.get("/")["Location"] == reverse("messaging:client_home")


def test_a_client_without_consent_is_told_why_messages_are_refused(web, therapist, published_policy):
    from tests.conftest import onboard_client

    client_user, thread = onboard_client(therapist, email="new@example.test", full_name="New Client")
    web.force_login(client_user)
    html = page(web.get(thread_url(thread)))
    assert "You have not signed your therapist&#x27;s contact policy yet." in html
    html = page(send(web, thread, body="Hello"))
    assert REASON_TEXT["no_consent"] in html
    assert reverse("consent:sign") in html
    html = page(web.get(reverse("messaging:client_home")))
    assert f'id="next-step" href="{reverse("consent:sign")}">Read and sign the contact policy</a>' in html
    assert "Open your messages" not in html


def test_the_thread_page_does_not_query_per_message(web, thread, therapist, consented_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from messaging.services import send as send_service

    def grow(n):
        for i in range(n):
            send_service.message_send(
                sender=consented_client,
                thread=thread,
                category="emergency",
                channel="portal",
                body=f"message {i}",
            )

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert web.get(thread_url(thread)).status_code == 200
        return len(queries.captured_queries)

    web.force_login(consented_client)
    book(web, thread, next_call_slot())
    grow(2)
    few = count()
    grow(15)
    assert count() == few
    # The page also lists the open call slots (one query for the therapist's calls) and the
    # refused attempts (one query): still nothing per message.
    assert few <= 17, few


def test_the_outcome_panel_is_only_for_the_sender(web, thread, therapist, consented_client):
    web.force_login(consented_client)
    send(web, thread, category="emergency", body="Please call")
    mine = last_message(thread, kind="message")
    assert 'id="outcome"' in page(web.get(f"{thread_url(thread)}?sent={mine.pk}"))
    web.force_login(therapist)
    html = page(web.get(f"{thread_url(thread)}?sent={mine.pk}"))
    assert 'id="outcome"' not in html
    assert "Please call" in html


# --- post/redirect/get: every form of the thread and home pages (issue 16) -------------------------


def _prg(web, url: str, data: dict) -> str:
    """A successful POST answers 302 to a page a reload only reads (GET 200)."""
    r = web.post(url, data)
    assert r.status_code == 302, (url, r.status_code)
    location = r["Location"]
    assert web.get(location).status_code == 200
    return location


def test_every_form_of_the_thread_and_home_pages_redirects_after_a_success(
    web, therapist, consented_client, thread
):
    from messaging.slots import open_call_slots
    from policies.selectors import current_version

    repolicy(
        therapist, consented_client, administrative={"windows": [closed_window()], "outside_hours": "hold"}
    )
    thread.refresh_from_db()
    web.force_login(consented_client)
    _prg(
        web, reverse("messaging:send", args=[thread.pk]), {"category": "administrative", "body": "A receipt?"}
    )
    held = last_message(thread, status="held")
    assert held is not None
    _prg(web, reverse("messaging:cancel", args=[thread.pk, held.pk]), {})
    slot = open_call_slots(version=current_version(therapist.pk), therapist_id=therapist.pk, minutes=15)[0]
    _prg(
        web,
        reverse("messaging:call_book", args=[thread.pk]),
        {
            "call-start": slot.start.astimezone(TZ).strftime("%Y-%m-%dT%H:%M"),
            "call-minutes": 15,
            "call-channel": "phone",
        },
    )
    call = CallBooking.objects.get(thread=thread)

    web.force_login(therapist)
    _prg(web, reverse("messaging:call_confirm", args=[thread.pk, call.pk]), {})
    at = (timezone.now() - timedelta(hours=3)).astimezone(TZ).strftime("%Y-%m-%dT%H:%M")
    _prg(
        web,
        reverse("messaging:contact_log", args=[thread.pk]),
        {
            "log-category": "administrative",
            "log-channel": "phone",
            "log-at": at,
            "log-minutes": 5,
            "log-note": "Rescheduled",
        },
    )
    web.force_login(consented_client)
    send(web, thread, category="emergency", body="I want to end my life tonight")
    web.force_login(therapist)
    alert = CrisisAlert.objects.get(thread=thread)
    _prg(web, reverse("messaging:alert_ack", args=[alert.pk]), {})
    _prg(web, reverse("messaging:care_end", args=[thread.pk]), {"care-note": "Referral: Dr Lee, 555-0100."})
    _prg(web, reverse("messaging:care_reopen", args=[thread.pk]), {})
    # The simulator too (tests/messaging/test_compose_views.py and tests/policies/test_simulator.py).
