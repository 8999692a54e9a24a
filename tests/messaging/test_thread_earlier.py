"""The thread page shows the latest messages and pages back from them (issue 15): "Show
earlier messages" (`?before=<message id>` on the thread page: JSON for the page's script,
which asks for application/json, a page of them without it) gives the MAX_SHOWN messages before the oldest shown, oldest first. Reading
earlier messages is a view of the thread (audited) and marks nothing read; a message id that
is not the viewer's to see answers 404. MAX_SHOWN is made small here so a few sends show it
(the browser journey, tests/browser/test_journey_thread_earlier.py, runs at full size)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from audit.models import AuditEvent
from messaging import selectors
from messaging.models import Message
from messaging.services.send import message_send
from tests.conftest import GOOD_RULES, publish_policy, sign_consent

pytestmark = pytest.mark.django_db
SHOWN = 4
JSON = "application/json"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"  # a navigation's


@pytest.fixture(autouse=True)
def small_window(monkeypatch):
    monkeypatch.setattr(selectors, "MAX_SHOWN", SHOWN)


@pytest.fixture
def conversation(therapist, consented_client):
    """2 x SHOWN + 2 messages, open at every hour, alternating from the client; the last one
    the client's (unread by the therapist)."""
    rules = {**GOOD_RULES, "categories": {**GOOD_RULES["categories"]}}
    rules["categories"]["administrative"] = {**rules["categories"]["administrative"], "windows": []}
    publish_policy(therapist, rules)
    sign_consent(consented_client)
    consented_client.refresh_from_db()
    thread = consented_client.thread
    ids = []
    for n in range(2 * SHOWN + 2):
        sender = therapist if n % 2 else consented_client
        result = message_send(
            sender=sender, thread=thread, category="administrative", body=f"Note <{n + 1}> about forms"
        )
        ids.append(result.message.pk)
    return thread, ids


def as_user(user) -> Client:
    web = Client()
    web.force_login(user)
    return web


def shown_ids(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'<li class="card[^"]*" id="message-(\d+)"', html)]


def test_the_page_shows_the_latest_and_links_to_the_ones_before(conversation, consented_client):
    thread, ids = conversation
    html = as_user(consented_client).get(reverse("messaging:thread", args=[thread.pk])).content.decode()
    assert shown_ids(html) == ids[-SHOWN:]
    before = f"{reverse('messaging:thread', args=[thread.pk])}?before={ids[-SHOWN]}#conversation-heading"
    assert f'href="{before}"' in html
    assert f'data-earlier-url="{reverse("messaging:thread", args=[thread.pk])}"' in html
    assert "data-poll-url=" in html


def test_no_link_when_everything_is_shown(therapist, consented_client):
    thread = consented_client.thread
    rules = {**GOOD_RULES, "categories": {**GOOD_RULES["categories"]}}
    rules["categories"]["administrative"] = {**rules["categories"]["administrative"], "windows": []}
    publish_policy(therapist, rules)
    sign_consent(consented_client)
    consented_client.refresh_from_db()
    for n in range(SHOWN):  # exactly a window: nothing earlier
        message_send(sender=consented_client, thread=thread, category="administrative", body=f"Form {n}")
    html = as_user(consented_client).get(reverse("messaging:thread", args=[thread.pk])).content.decode()
    assert len(shown_ids(html)) == SHOWN
    assert "Show earlier messages" not in html


def test_earlier_messages_page_back_to_the_first_and_mark_nothing_read(conversation, therapist):
    thread, ids = conversation
    web = as_user(therapist)
    url = reverse("messaging:thread", args=[thread.pk])
    views = AuditEvent.objects.filter(action="thread.viewed", object_id=thread.pk).count()

    first = web.get(url, {"before": ids[-SHOWN]}, HTTP_ACCEPT=JSON).json()
    assert [m["id"] for m in first["messages"]] == ids[-2 * SHOWN : -SHOWN] and first["more"] is True
    assert "Note &lt;5&gt; about forms" in first["messages"][2]["html"]  # escaped, as the poll's
    assert all(m["state"] == "delivered:" for m in first["messages"])

    second = web.get(url, {"before": first["messages"][0]["id"]}, HTTP_ACCEPT=JSON).json()
    assert [m["id"] for m in second["messages"]] == ids[: -2 * SHOWN] and second["more"] is False

    # Each is a view of the thread; the newest (unread) message stays unread.
    assert AuditEvent.objects.filter(action="thread.viewed", object_id=thread.pk).count() == views + 2
    assert Message.objects.get(pk=ids[-1]).read_at is None


def test_the_page_of_earlier_messages_without_the_script(conversation, therapist):
    thread, ids = conversation
    resp = as_user(therapist).get(
        reverse("messaging:thread", args=[thread.pk]), {"before": ids[-SHOWN]}, HTTP_ACCEPT=BROWSER
    )
    html = resp.content.decode()
    assert shown_ids(html) == ids[-2 * SHOWN : -SHOWN]
    assert f"?before={ids[-2 * SHOWN]}#conversation-heading" in html  # and still earlier ones
    assert "Back to the latest messages" in html
    assert "data-poll-url=" not in html  # nothing new is shown here: the page does not poll
    assert Message.objects.get(pk=ids[-1]).read_at is None


def test_a_message_that_is_not_the_viewers_to_see_is_not_found(
    conversation, therapist, consented_client, other_client
):
    thread, ids = conversation
    web = as_user(therapist)
    url = reverse("messaging:thread", args=[thread.pk])
    for accept in (JSON, BROWSER):
        assert web.get(url, {"before": "x"}, HTTP_ACCEPT=accept).status_code == 404
        assert web.get(url, {"before": ids[-1] + 1000}, HTTP_ACCEPT=accept).status_code == 404
    # A refused attempt is listed apart, never in the conversation: not a place to page from.
    blocked = message_send(
        sender=consented_client, thread=thread, category="personal", body="Coffee?"
    ).message
    assert blocked.status == Message.Status.BLOCKED
    assert as_user(consented_client).get(url, {"before": blocked.pk}, HTTP_ACCEPT=JSON).status_code == 404
    # Another's thread is not found, whatever the message.
    assert as_user(other_client).get(url, {"before": ids[-1]}, HTTP_ACCEPT=JSON).status_code == 404
