"""GET /api/v1/threads/{id}/messages pages: the latest `limit` (default 100, at most 1000)
messages the caller may see, older than `before`, oldest first."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from messaging.models import Message
from tests.conftest import api_for

pytestmark = pytest.mark.django_db
START = datetime(2026, 11, 2, 15, 0, tzinfo=UTC)


def seed(thread, n, *, sender, role, status="delivered", first=0):
    rows = [
        Message(
            thread=thread,
            sender=sender,
            sender_role=role,
            kind="message",
            category="check_in",
            channel="portal",
            body=f"note {i}",
            status=status,
            created_at=START + timedelta(minutes=i),
            delivered_at=START + timedelta(minutes=i),
        )
        for i in range(first, first + n)
    ]
    return Message.objects.bulk_create(rows)


def bodies(resp):
    return [m["body"] for m in resp.json()]


def test_latest_page_oldest_first_then_earlier_pages(consented_client):
    thread = consented_client.thread
    made = seed(thread, 5, sender=consented_client, role="client")
    api = api_for(consented_client)
    url = f"/api/v1/threads/{thread.pk}/messages"
    r = api.get(url, {"limit": 2})
    assert r.status_code == 200 and bodies(r) == ["note 3", "note 4"]
    r = api.get(url, {"limit": 2, "before": r.json()[0]["id"]})
    assert bodies(r) == ["note 1", "note 2"]
    r = api.get(url, {"limit": 2, "before": made[1].pk})
    assert bodies(r) == ["note 0"]
    assert bodies(api.get(url, {"before": made[0].pk})) == []


def test_default_is_the_latest_100(consented_client):
    thread = consented_client.thread
    seed(thread, 105, sender=consented_client, role="client")
    r = api_for(consented_client).get(f"/api/v1/threads/{thread.pk}/messages")
    assert len(r.json()) == 100 and r.json()[0]["body"] == "note 5" and r.json()[-1]["body"] == "note 104"


def test_same_instant_is_ordered_by_id(consented_client):
    thread = consented_client.thread
    made = seed(thread, 3, sender=consented_client, role="client")
    Message.objects.filter(pk__in=[m.pk for m in made]).update(created_at=START)
    api = api_for(consented_client)
    url = f"/api/v1/threads/{thread.pk}/messages"
    assert bodies(api.get(url, {"limit": 2})) == ["note 1", "note 2"]
    assert bodies(api.get(url, {"before": made[2].pk})) == ["note 0", "note 1"]


def test_paging_keeps_what_the_caller_may_not_see_hidden(therapist, consented_client):
    thread = consented_client.thread
    seed(thread, 2, sender=consented_client, role="client")
    held = seed(thread, 1, sender=consented_client, role="client", status="held", first=2)[0]
    url = f"/api/v1/threads/{thread.pk}/messages"
    assert bodies(api_for(therapist).get(url, {"limit": 5})) == ["note 0", "note 1"]
    # A message the caller may not see is no page boundary either.
    r = api_for(therapist).get(url, {"before": held.pk})
    assert r.status_code == 400 and "before" in r.json()
    assert bodies(api_for(consented_client).get(url, {"limit": 1})) == ["note 2"]


@pytest.mark.parametrize(
    "query,field",
    [
        ({"limit": 1001}, "limit"),
        ({"limit": 0}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"before": "x"}, "before"),
        ({"before": 0}, "before"),
        ({"before": 999999}, "before"),
    ],
)
def test_bad_paging_is_400_with_the_field(consented_client, query, field):
    thread = consented_client.thread
    seed(thread, 1, sender=consented_client, role="client")
    r = api_for(consented_client).get(f"/api/v1/threads/{thread.pk}/messages", query)
    assert r.status_code == 400 and field in r.json(), r.content


def test_before_from_another_thread_is_400(consented_client, therapist):
    from tests.conftest import onboard_client, sign_consent

    other, other_thread = onboard_client(therapist, email="second@example.test", full_name="Sam Second")
    sign_consent(other)
    theirs = seed(other_thread, 1, sender=other, role="client")[0]
    seed(consented_client.thread, 1, sender=consented_client, role="client")
    r = api_for(consented_client).get(
        f"/api/v1/threads/{consented_client.thread.pk}/messages", {"before": theirs.pk}
    )
    assert r.status_code == 400 and "before" in r.json()


def test_a_thousand_is_the_largest_page(consented_client):
    thread = consented_client.thread
    seed(thread, 1001, sender=consented_client, role="client")
    r = api_for(consented_client).get(f"/api/v1/threads/{thread.pk}/messages", {"limit": 1000})
    assert len(r.json()) == 1000 and r.json()[-1]["body"] == "note 1000"
