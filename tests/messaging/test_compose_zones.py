"""Issue 12's and 16's pages: the simulator shows the reading it decided on, the page's own call to
the preview, one time-zone rule (the viewer's), and the simulator's post/redirect/get.
"""

from __future__ import annotations

import base64
import json
import re
from datetime import UTC, datetime

import pytest
from django.urls import reverse

from messaging.models import CallBooking, Message
from policies.reader import read
from policies.wording import CRISIS_KIND_TEXT, REASON_TEXT, reading_lines

from .views_helpers import found, page, thread_url

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

    from messaging.policy_now import window_in_zone

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
