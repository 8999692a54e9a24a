"""Issue 15: the thread page shows the latest messages (selectors.MAX_SHOWN) and "Show
earlier messages" puts the ones before them above, in place: the message being read stays
where it was on the screen, the page says how many came, and at the first message it says
the conversation starts there. A message that arrives afterwards (the poll) goes in at the
bottom and the earlier ones stay. Without the script the link opens a page of them.

The clock is pinned to Monday 2026-11-30 10:00 in New York (inside the hours), so every
message of the history is delivered."""

from datetime import UTC, datetime, timedelta
from typing import cast

import pytest
from django.utils import timezone

from messaging.selectors import MAX_SHOWN
from messaging.services import send as send_service
from portal.models import User
from tests.browser.test_journey_client_states import step
from tests.conftest import onboard_client, publish_policy, sign_consent
from tests.factories import TherapistFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
MON_10 = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)
TOTAL = 2 * MAX_SHOWN + 20
SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


def history(monkeypatch):
    clock = {"now": MON_10 - timedelta(hours=6)}
    monkeypatch.setattr(timezone, "now", lambda: clock["now"])
    therapist = cast(User, TherapistFactory(email="dr.earlier@example.test", full_name="Dr Ellis Earlier"))
    publish_policy(therapist)
    client, thread = onboard_client(therapist, full_name="Robin Client")
    sign_consent(client)
    clock["now"] = MON_10 - timedelta(seconds=20 * (TOTAL + 5))  # 09:18: all inside the hours
    for i in range(TOTAL):
        clock["now"] += timedelta(seconds=20)
        send_service.message_send(
            sender=client if i % 2 == 0 else therapist,
            thread=thread,
            category="administrative",
            channel="portal",
            body=f"Message number {i + 1} about the invoice.",
        )
    clock["now"] = MON_10
    return therapist, client, thread


def shown(page) -> list[str]:
    return page.eval_on_selector_all(
        "#message-list > li", "items => items.map(li => li.querySelector('.text-break').innerText)"
    )


def top_of(page, text: str) -> float:
    return page.evaluate(
        """(text) => [...document.querySelectorAll('#message-list > li')]
            .find(li => li.innerText.includes(text)).getBoundingClientRect().top""",
        text,
    )


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_earlier_messages_go_in_above_and_the_view_stays(journey, monkeypatch, size):
    therapist, client, thread = history(monkeypatch)
    page = journey.page_for(client)
    page.set_viewport_size(SIZES[size])
    page.goto(f"{journey.base}/messages/threads/{thread.pk}/")
    page.wait_for_load_state("load")
    texts = shown(page)
    assert len(texts) == MAX_SHOWN and texts[-1] == f"Message number {TOTAL} about the invoice."
    assert texts[0] == f"Message number {TOTAL - MAX_SHOWN + 1} about the invoice."
    at_bottom = page.evaluate(
        "() => { const s = document.getElementById('conversation-scroll');"
        " return s.scrollHeight - s.scrollTop - s.clientHeight < 4; }"
    )
    assert at_bottom  # it still opens at the newest
    step(journey, page, f"{size} latest messages")

    # Scrolled up to the oldest shown, the reader asks for the ones before it.
    page.evaluate("() => { document.getElementById('conversation-scroll').scrollTop = 0; }")
    step(journey, page, f"{size} the top of the latest messages")
    oldest = f"Message number {TOTAL - MAX_SHOWN + 1} about"
    before = top_of(page, oldest)
    page.get_by_role("link", name="Show earlier messages").click()
    page.wait_for_function(f"document.querySelectorAll('#message-list > li').length === {2 * MAX_SHOWN}")
    assert abs(top_of(page, oldest) - before) < 2  # what was being read did not move
    assert page.locator("#poll-status").inner_text() == f"{MAX_SHOWN} earlier messages shown above."
    texts = shown(page)
    assert texts[0] == f"Message number {TOTAL - 2 * MAX_SHOWN + 1} about the invoice."
    assert texts == [
        f"Message number {n} about the invoice." for n in range(TOTAL - 2 * MAX_SHOWN + 1, TOTAL + 1)
    ]
    step(journey, page, f"{size} earlier messages above")

    page.evaluate("() => { document.getElementById('conversation-scroll').scrollTop = 0; }")
    page.get_by_role("link", name="Show earlier messages").click()
    page.wait_for_selector("#conversation-start")
    texts = shown(page)
    assert texts == [f"Message number {n} about the invoice." for n in range(1, TOTAL + 1)]
    assert page.locator("#earlier-link").count() == 0
    assert page.locator("#conversation-start").inner_text() == "This is the start of the conversation."
    step(journey, page, f"{size} start of the conversation")

    if size == "desktop":
        # The poll's window moves on with a new message; what the page loaded stays.
        send_service.message_send(
            sender=therapist, thread=thread, category="administrative", channel="portal", body="A new reply."
        )
        page.wait_for_selector("#message-list li:has-text('A new reply.')", timeout=25_000)
        texts = shown(page)
        assert texts[0] == "Message number 1 about the invoice." and texts[-1] == "A new reply."
        assert len(texts) == TOTAL + 1


def test_without_the_script_the_link_opens_a_page_of_earlier_messages(journey, monkeypatch):
    _therapist, client, thread = history(monkeypatch)
    page = journey.page_for(client)
    page.goto(f"{journey.base}/messages/threads/{thread.pk}/")
    href = page.get_by_role("link", name="Show earlier messages").get_attribute("href") or ""
    page.goto(f"{journey.base}{href}")
    texts = shown(page)
    assert texts[0] == f"Message number {TOTAL - 2 * MAX_SHOWN + 1} about the invoice."
    assert texts[-1] == f"Message number {TOTAL - MAX_SHOWN} about the invoice."
    assert page.get_by_role("link", name="Back to the latest messages").count() == 1
    assert page.locator("#message-list").get_attribute("data-poll-url") is None  # nothing new shows here
    step(journey, page, "a page of earlier messages")
