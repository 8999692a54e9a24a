"""What the messaging page tests share (test_views*.py, test_compose_views*.py, test_polling.py,
test_client_states.py): the policy made open or closed now, the send form, reading a page."""

from __future__ import annotations

import copy
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils import timezone

from messaging.models import Message
from messaging.templatetags.crisis import crisis_links_html
from tests.conftest import GOOD_RULES, publish_policy, sign_consent

TZ = ZoneInfo("America/New_York")
CRISIS_RESOURCES = GOOD_RULES["crisis_resources"]
# Crisis resources are shown with every number a link (messaging/templatetags/crisis.py).
LINKED_RESOURCES = crisis_links_html(CRISIS_RESOURCES)
OVERRIDE_HELP = "An override is recorded as a boundary exception and reviewed by your practice"


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


def book(web, thread, start: datetime, minutes=15, channel="phone", follow=True, **extra):
    data = {
        "call-start": start.strftime("%Y-%m-%dT%H:%M"),
        "call-minutes": minutes,
        "call-channel": channel,
        **{f"call-{k}": v for k, v in extra.items()},
    }
    return web.post(reverse("messaging:call_book", args=[thread.pk]), data, follow=follow)
