"""Issue 16: the thread page on a phone and on a desktop. A long thread opens at its newest
message (at the bottom of the conversation, which scrolls on its own), and the message box
is inside the viewport without scrolling, at 390 px and at 1,280 px.

The clock is pinned to Monday 2026-11-30 10:00 in New York (inside the hours), so every
message of the history is delivered."""

from datetime import UTC, datetime, timedelta
from typing import cast

import pytest
from django.utils import timezone

from messaging.services import send as send_service
from portal.models import User
from tests.browser.test_journey_client_states import step
from tests.conftest import onboard_client, publish_policy, sign_consent
from tests.factories import TherapistFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
MON_10 = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)
SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


def inside_viewport(page, selector: str) -> dict:
    return page.evaluate(
        """(sel) => {
        const r = document.querySelector(sel).getBoundingClientRect();
        return {top: r.top, bottom: r.bottom, height: window.innerHeight, scrolled: window.scrollY};
    }""",
        selector,
    )


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_a_long_thread_opens_at_the_newest_with_the_box_in_view(journey, monkeypatch, size):
    clock = {"now": MON_10 - timedelta(hours=3)}
    monkeypatch.setattr(timezone, "now", lambda: clock["now"])
    therapist = cast(User, TherapistFactory(email="dr.layout@example.test", full_name="Dr Lee Layout"))
    publish_policy(therapist)
    client, thread = onboard_client(therapist, full_name="Robin Client")
    sign_consent(client)
    clock["now"] = MON_10 - timedelta(minutes=90)
    for i in range(40):
        clock["now"] += timedelta(minutes=2)
        sender = client if i % 2 == 0 else therapist
        send_service.message_send(
            sender=sender,
            thread=thread,
            category="administrative",
            channel="portal",
            body=f"Message number {i + 1} about the invoice for the session of week {i % 7 + 1}.",
        )
    clock["now"] = MON_10

    for who in (client, therapist):
        page = journey.page_for(who)
        page.set_viewport_size(SIZES[size])
        page.goto(f"{journey.base}/messages/threads/{thread.pk}/")
        page.wait_for_load_state("load")
        # Without scrolling the page, the message box and its Send button are in view.
        for part in ("#compose-form textarea", "#compose-form button[type=submit]"):
            box = inside_viewport(page, part)
            assert box["scrolled"] == 0 and box["top"] >= 0 and box["bottom"] <= box["height"], (
                size,
                part,
                box,
            )
        # The history opens at its newest message, at the bottom of its own scrolling box,
        # and that message is visible above the message box.
        state = page.evaluate("""() => {
            const s = document.getElementById('conversation-scroll');
            const items = document.querySelectorAll('#message-list > li');
            const last = items[items.length - 1].getBoundingClientRect();
            const box = s.getBoundingClientRect();
            const form = document.getElementById('compose-form').getBoundingClientRect();
            return {atBottom: s.scrollHeight - s.scrollTop - s.clientHeight < 4, scrolls: s.scrollHeight > s.clientHeight,
                    lastText: items[items.length - 1].innerText, lastBottom: last.bottom, boxBottom: box.bottom,
                    boxTop: box.top, formTop: form.top};
        }""")
        assert state["scrolls"] and state["atBottom"], state
        assert "Message number 40" in state["lastText"], state
        assert state["boxTop"] >= 0 and state["lastBottom"] <= state["boxBottom"] + 1, state
        assert state["boxBottom"] <= state["formTop"] + 1, state  # the box does not cover the history
        step(journey, page, f"{size} long thread {'client' if who is client else 'therapist'}")
