"""Live updates: the poll endpoint and the script that calls it.

The poll answers what changed (new or changed messages, unread counts, crisis alerts) and
changes nothing: it marks nothing read and does not touch the session, and the script sends
X-Portal-Poll: 1 so the session middleware does not count it as activity.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from messaging.models import CrisisAlert, Message
from tests.messaging.views_helpers import closed_window, found, open_everything, repolicy, send, thread_url

SCRIPT = Path(settings.BASE_DIR) / "static" / "messaging" / "thread.js"
POLL = {"HTTP_X_PORTAL_POLL": "1", "HTTP_ACCEPT": "application/json"}


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
    return client


def poll(web, **params):
    return web.get(reverse("messaging:poll"), params, **POLL)


def test_the_poll_returns_new_messages_as_escaped_html(web, therapist, consented_client):
    open_everything(therapist, consented_client)
    thread = consented_client.thread
    web.force_login(therapist)
    first = poll(web, thread=thread.pk).json()
    assert first["messages"] == []
    version = first["version"]

    web.force_login(consented_client)
    send(web, thread, body="<b>New</b> question about forms")
    mid = Message.objects.filter(thread=thread, kind="message").latest("id").pk

    web.force_login(therapist)
    data = poll(web, thread=thread.pk, version=version).json()
    assert data["version"] != version
    new = [m for m in data["messages"] if m["id"] == mid]
    assert len(new) == 1
    assert new[0]["status"] == "delivered"
    assert f'data-message-id="{mid}"' in new[0]["html"]
    assert "&lt;b&gt;New&lt;/b&gt; question about forms" in new[0]["html"]
    assert "<b>New</b>" not in new[0]["html"]
    assert data["unread"]["total"] == 1
    assert data["unread"]["threads"][str(thread.pk)] == 1


def test_an_unchanged_thread_answers_without_messages(web, thread, therapist):
    web.force_login(therapist)
    version = poll(web, thread=thread.pk).json()["version"]
    data = poll(web, thread=thread.pk, version=version).json()
    assert "messages" not in data
    assert data["version"] == version


def test_the_page_and_the_poll_agree_on_the_version(web, thread, therapist):
    web.force_login(therapist)
    html = web.get(thread_url(thread)).content.decode()
    version = found(re.search(r'data-version="([0-9a-f]+)"', html)).group(1)
    assert poll(web, thread=thread.pk, version=version).json().get("messages") is None


def test_a_held_message_is_not_polled_to_the_recipient(web, therapist, consented_client):
    repolicy(
        therapist, consented_client, administrative={"windows": [closed_window()], "outside_hours": "hold"}
    )
    thread = consented_client.thread
    web.force_login(consented_client)
    send(web, thread, body="Wait for office hours")
    held = Message.objects.filter(thread=thread, kind="message").latest("id")
    assert held.status == "held"
    mine = poll(web, thread=thread.pk).json()["messages"]
    assert any(m["id"] == held.pk and m["status"] == "held" for m in mine)

    web.force_login(therapist)
    theirs = poll(web, thread=thread.pk).json()["messages"]
    assert all(m["id"] != held.pk for m in theirs)
    assert all("Wait for office hours" not in m["html"] for m in theirs)


def test_the_poll_changes_nothing(web, therapist, consented_client):
    """Side-effect free: no write to the database, nothing marked read, the session untouched."""
    thread = consented_client.thread
    web.force_login(consented_client)
    send(web, thread, category="emergency", body="Please call me")
    web.force_login(therapist)
    key = web.session.session_key
    before = Session.objects.values_list("session_data", "expire_date").get(session_key=key)

    with CaptureQueriesContext(connection) as queries:
        r = poll(web, thread=thread.pk)
        poll(web, alerts=1)
    assert r.status_code == 200
    writes = [
        q["sql"] for q in queries.captured_queries if re.match(r"\s*(INSERT|UPDATE|DELETE)", q["sql"], re.I)
    ]
    assert writes == []
    assert settings.SESSION_COOKIE_NAME not in r.cookies
    assert Session.objects.values_list("session_data", "expire_date").get(session_key=key) == before
    assert Message.objects.filter(thread=thread, read_at__isnull=False).count() == 0


def test_opening_the_thread_marks_it_read_but_polling_does_not(web, thread, therapist, consented_client):
    web.force_login(consented_client)
    send(web, thread, category="emergency", body="Please call me")
    web.force_login(therapist)
    assert poll(web, thread=thread.pk).json()["unread"]["total"] == 1
    assert poll(web, thread=thread.pk).json()["unread"]["total"] == 1
    web.get(thread_url(thread))
    assert poll(web, thread=thread.pk).json()["unread"]["total"] == 0


def test_the_poll_of_another_thread_is_not_found(web, thread, other_therapist, other_client):
    for stranger in (other_therapist, other_client):
        web.force_login(stranger)
        assert poll(web, thread=thread.pk).status_code == 404


def test_the_poll_without_a_session_says_so_in_json(web, thread):
    r = poll(web, thread=thread.pk)
    assert r.status_code == 401
    assert "session" in r.json()["detail"]


def test_the_poll_rejects_a_malformed_thread_id(web, therapist):
    web.force_login(therapist)
    assert poll(web, thread="abc").status_code == 400


def test_the_dashboard_poll_brings_crisis_alerts_and_unread_counts(web, thread, therapist, consented_client):
    web.force_login(therapist)
    empty = poll(web, alerts=1).json()
    assert empty["alerts_html"].strip() == ""

    web.force_login(consented_client)
    send(web, thread, body="i'm going to end it all, I want to die")
    alert = CrisisAlert.objects.get(thread=thread)

    web.force_login(therapist)
    data = poll(web, alerts=1, alerts_version=empty["alerts_version"]).json()
    assert data["alerts_version"] != empty["alerts_version"]
    assert 'role="alert"' in data["alerts_html"]
    assert reverse("messaging:alert_ack", args=[alert.pk]) in data["alerts_html"]
    assert data["unread"]["threads"][str(thread.pk)] == 1
    again = poll(web, alerts=1, alerts_version=data["alerts_version"]).json()
    assert "alerts_html" not in again


def test_a_client_polls_their_unread_count(web, thread, therapist, consented_client):
    open_everything(therapist, consented_client)
    web.force_login(therapist)
    send(web, thread, body="Your form arrived, thank you")
    web.force_login(consented_client)
    data = poll(web).json()
    assert data["unread"]["threads"] == {str(thread.pk): 1}
    assert "alerts_html" not in data


def test_the_pages_carry_the_poll_hooks(web, thread, therapist, consented_client):
    web.force_login(therapist)
    html = web.get(thread_url(thread)).content.decode()
    listing = found(re.search(r"<ol[^>]*id=\"message-list\"[^>]*>", html)).group(0)
    assert 'aria-live="polite"' in listing
    assert f'data-poll-url="{reverse("messaging:poll")}?thread={thread.pk}"' in listing
    assert 'src="/static/messaging/thread.js"' in html
    home = web.get(reverse("messaging:therapist_home")).content.decode()
    assert 'id="crisis-alerts"' in home and 'src="/static/messaging/thread.js"' in home
    web.force_login(consented_client)
    home = web.get(reverse("messaging:client_home")).content.decode()
    assert 'id="unread-poll"' in home and 'src="/static/messaging/thread.js"' in home


def test_the_script_polls_with_the_header_and_never_reloads_or_touches_the_compose_box():
    js = SCRIPT.read_text(encoding="utf-8")
    assert "fetch(" in js
    assert re.search(r"""["']X-Portal-Poll["']\s*:\s*["']1["']""", js)
    assert "15000" in js  # every ~15 s
    # Every fetch in the file sends headers, and both header sets carry the poll marker.
    calls = [m.start() for m in re.finditer(r"\bfetch\(", js)]
    assert calls
    for at in calls:
        assert "headers" in js[at : at + 200], js[at : at + 200]
    assert js.count('"X-Portal-Poll": "1"') >= 2
    # Nothing reloads the page, and nothing writes into a form field or reads the compose box.
    assert "location.reload" not in js and "location.href" not in js
    assert "textarea" not in js.lower() and "compose-form" not in js
    assert re.search(r"\.value\s*=(?!=)", js) is None
    assert "eval(" not in js


def _poll_queries(web, **params) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert poll(web, **params).status_code == 200
    return len(queries.captured_queries)


def test_an_idle_poll_costs_the_same_few_queries_however_long_the_thread(
    web, thread, therapist, consented_client
):
    """The hot path: every open page asks every 15 s. Without a change it reads no message bodies."""
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

    web.force_login(therapist)
    web.get(f"/messages/threads/{thread.pk}/")  # polls come from an open page
    grow(2)
    version = poll(web, thread=thread.pk).json()["version"]
    short = _poll_queries(web, thread=thread.pk, version=version)
    grow(20)
    version = poll(web, thread=thread.pk).json()["version"]
    long = _poll_queries(web, thread=thread.pk, version=version)
    assert short == long
    assert long <= 7
    # A poll that brings the messages does not grow with them either.
    grow(1)
    changed = _poll_queries(web, thread=thread.pk, version=version)
    grow(10)
    assert _poll_queries(web, thread=thread.pk, version=version) == changed


def test_the_script_marks_shown_messages_read_with_a_post(web, thread, therapist, consented_client):
    web.force_login(consented_client)
    send(web, thread, category="emergency", body="Are you there?")
    url = reverse("messaging:mark_read", args=[thread.pk])
    web.force_login(therapist)
    assert web.get(url).status_code == 405
    r = web.post(url, **POLL)
    assert r.status_code == 200 and r.json() == {"unread": 0}
    assert Message.objects.filter(thread=thread, read_at__isnull=True, sender=consented_client).count() == 0


def test_marking_another_thread_read_is_not_found(web, thread, other_therapist):
    web.force_login(other_therapist)
    assert web.post(reverse("messaging:mark_read", args=[thread.pk])).status_code == 404


# --- "Nothing changed" in a few statements, and only what changed -----------------------------


@pytest.fixture
def fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield cache
    cache.clear()


def test_nothing_changed_costs_the_session_the_user_the_thread_its_window_and_the_counts(
    web, thread, therapist, consented_client
):
    web.force_login(therapist)
    version = poll(web, thread=thread.pk).json()["version"]
    with CaptureQueriesContext(connection) as queries:
        data = poll(web, thread=thread.pk, version=version).json()
    assert "messages" not in data and "ids" not in data
    # Past the session and the log-in checks (the user, two-factor): the thread (scoped), its
    # window of ids and states, and the unread counts in one statement. No body is read.
    sql = [q["sql"] for q in queries.captured_queries if "messaging_" in q["sql"]]
    assert len(sql) == 3, sql
    assert not any("body" in s for s in sql)
    # The dashboard's poll: the unread counts, the open alerts.
    alerts = poll(web, alerts=1).json()["alerts_version"]
    with CaptureQueriesContext(connection) as queries:
        poll(web, alerts=1, alerts_version=alerts)
    assert len([q for q in queries.captured_queries if "messaging_" in q["sql"]]) == 2


def test_the_unread_counts_in_one_statement_are_the_pages_counts(
    web, thread, therapist, consented_client, colleague
):
    from messaging import selectors

    open_everything(therapist, consented_client)
    web.force_login(consented_client)
    send(web, thread, body="Question about the invoice")
    send(web, thread, body="And a second one about the receipt")
    web.force_login(therapist)
    data = poll(web, alerts=1).json()
    assert selectors.unread_count(therapist) == 2
    assert data["unread"] == {"total": 2, "threads": {str(thread.pk): 2}}
    assert poll(web, thread=thread.pk).json()["unread"] == {"total": 2, "threads": {str(thread.pk): 2}}
    web.force_login(colleague)  # nobody else's counts
    assert poll(web).json()["unread"] == {"total": 0, "threads": {}}


def test_a_poll_from_a_version_it_sent_brings_only_the_new_and_changed_messages(
    web, therapist, consented_client, fresh_cache
):
    open_everything(therapist, consented_client)
    thread = consented_client.thread
    web.force_login(therapist)
    send(web, thread, body="First note")
    send(web, thread, body="Second note")
    everything = poll(web, thread=thread.pk).json()  # no version: the whole window
    assert "ids" not in everything and len(everything["messages"]) == 2
    first, second = [m["id"] for m in everything["messages"]]

    web.force_login(consented_client)
    send(web, thread, body="A reply to both")
    new = Message.objects.filter(thread=thread).latest("id").pk
    web.force_login(therapist)
    data = poll(web, thread=thread.pk, version=everything["version"]).json()
    assert [m["id"] for m in data["messages"]] == [new]  # only what the page lacks
    assert data["ids"] == [first, second, new]  # the window, oldest first, to order and drop by
    assert "A reply to both" in data["messages"][0]["html"]
    assert poll(web, thread=thread.pk, version=data["version"]).json().get("messages") is None


def test_a_status_change_sends_only_that_message(web, therapist, consented_client, fresh_cache):
    from messaging.services import send as send_service

    repolicy(
        therapist, consented_client, administrative={"windows": [closed_window()], "outside_hours": "hold"}
    )
    thread = consented_client.thread
    web.force_login(consented_client)
    send(web, thread, body="Wait for office hours")
    send(web, thread, body="And this one too")
    held = list(Message.objects.filter(thread=thread, status="held").order_by("id"))
    assert len(held) == 2
    before = poll(web, thread=thread.pk).json()
    send_service.message_cancel(sender=consented_client, message=held[0])
    data = poll(web, thread=thread.pk, version=before["version"]).json()
    assert [(m["id"], m["status"]) for m in data["messages"]] == [(held[0].pk, "cancelled")]
    assert set(data["ids"]) == {m["id"] for m in before["messages"]}


def test_a_version_the_poll_does_not_know_gets_the_whole_window(
    web, thread, therapist, consented_client, fresh_cache
):
    open_everything(therapist, consented_client)
    web.force_login(therapist)
    send(web, thread, body="Hello")
    data = poll(web, thread=thread.pk, version="0123456789abcdef").json()
    assert "ids" not in data and len(data["messages"]) == 1


def test_the_script_applies_only_what_changed_in_the_window_order():
    script = SCRIPT.read_text()
    assert "apply(data.messages, data.ids)" in script
    assert "ids.map(" in script


def test_the_poll_sends_the_whole_window_when_the_cache_is_down(
    web, thread, therapist, consented_client, monkeypatch, fresh_cache
):
    from django.core.cache import cache

    open_everything(therapist, consented_client)
    web.force_login(therapist)
    send(web, thread, body="Hello")
    first = poll(web, thread=thread.pk).json()
    send(web, thread, body="Again")

    def down(*args, **kwargs):
        raise ConnectionError("redis is down")

    monkeypatch.setattr(cache, "get", down)
    monkeypatch.setattr(cache, "set", down)
    data = poll(web, thread=thread.pk, version=first["version"]).json()
    assert "ids" not in data and len(data["messages"]) == 2
