"""The events browser: every audit event of the practice, filtered, keyset-paged, never a body."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from audit.chain import record, seal
from audit.models import AuditEvent
from messaging.services.send import message_send

pytestmark = pytest.mark.django_db


def _ids(resp) -> list[int]:
    return [e.pk for e in resp.context["rows"]]


def test_it_lists_the_practices_events_newest_first_without_bodies(
    aclient, admin, thread, consented_client, other_therapist
):
    message_send(
        sender=consented_client,
        thread=thread,
        category="check_in",
        channel="portal",
        body="My private worries about Sunday",
    )
    mine = list(
        AuditEvent.objects.filter(practice_id=admin.practice_id).order_by("-id").values_list("id", flat=True)
    )
    theirs = record(practice_id=other_therapist.practice_id, action="policy.published", actor=other_therapist)
    resp = aclient.get(reverse("audit:events"))
    html = resp.content.decode()
    assert resp.status_code == 200
    assert _ids(resp) == mine[:50] and theirs.pk not in _ids(resp)
    assert "Contact decided" in html and "Consent signed" in html and "Casey Client" in html
    assert "private worries" not in html


def test_it_shows_chain_position_and_hash_once_sealed(aclient, admin, therapist):
    e = record(
        practice_id=admin.practice_id, action="policy.published", actor=therapist, therapist_id=therapist.pk
    )
    assert "Not sealed yet" in aclient.get(reverse("audit:events")).content.decode()
    seal(admin.practice_id)
    e.refresh_from_db()
    html = aclient.get(reverse("audit:events")).content.decode()
    assert f'Position {e.seq}</summary><code class="audit-hash">{e.hash}</code>' in html


def test_filters_by_actor_therapist_client_action_and_days(
    aclient, admin, therapist, colleague, other_client, consented_client
):
    pid = admin.practice_id
    a = record(
        practice_id=pid,
        action="care.ended",
        actor=therapist,
        therapist_id=therapist.pk,
        client_id=consented_client.pk,
        at=datetime(2026, 5, 4, 12, tzinfo=UTC),
    )
    b = record(
        practice_id=pid,
        action="care.ended",
        actor=colleague,
        therapist_id=colleague.pk,
        client_id=other_client.pk,
        at=datetime(2026, 5, 6, 12, tzinfo=UTC),
    )
    c = record(
        practice_id=pid,
        action="care.reopened",
        actor=therapist,
        therapist_id=therapist.pk,
        client_id=consented_client.pk,
        at=datetime(2026, 5, 8, 12, tzinfo=UTC),
    )
    url = reverse("audit:events")
    assert _ids(aclient.get(url, {"action": "care.ended"})) == [b.pk, a.pk]
    assert _ids(aclient.get(url, {"actor": colleague.pk, "action": "care.ended"})) == [b.pk]
    assert a.pk not in _ids(aclient.get(url, {"therapist": colleague.pk}))
    assert _ids(aclient.get(url, {"client": consented_client.pk, "action": "care.reopened"})) == [c.pk]
    assert _ids(aclient.get(url, {"since": "2026-05-05", "until": "2026-05-07"})) == [b.pk]
    # `until` is inclusive: the whole of 8 May (UTC here) counts
    assert _ids(aclient.get(url, {"since": "2026-05-08", "until": "2026-05-08"})) == [c.pk]


@pytest.mark.parametrize(
    "query, field, words",
    [
        ({"since": "2026-05-09", "until": "2026-05-01"}, "until", "is before the start"),
        ({"action": "message.read_secretly"}, "action", "There is no action message.read_secretly here"),
        ({"actor": "999999"}, "actor", "There is no person 999999 here"),
        ({"since": "yesterday"}, "since", "Enter the start as a date"),
    ],
)
def test_a_filter_that_cannot_match_says_why(aclient, query, field, words):
    resp = aclient.get(reverse("audit:events"), query)
    assert resp.status_code == 400
    assert any(words in e for e in resp.context["form"].errors[field])
    assert words in resp.content.decode() and resp.context["rows"] == []


def test_another_practices_person_is_an_unknown_filter_value(aclient, other_therapist):
    resp = aclient.get(reverse("audit:events"), {"therapist": other_therapist.pk})
    assert resp.status_code == 400 and "therapist" in resp.context["form"].errors


def test_keyset_pages_walk_every_event_once(aclient, admin, therapist):
    for i in range(120):
        record(
            practice_id=admin.practice_id,
            action="policy.draft_created",
            actor=therapist,
            therapist_id=therapist.pk,
            data={"n": i},
        )
    expected = list(
        AuditEvent.objects.filter(practice_id=admin.practice_id).order_by("-id").values_list("id", flat=True)
    )
    seen: list[int] = []
    query: dict[str, str] = {}
    for _ in range(10):
        resp = aclient.get(reverse("audit:events"), query)
        assert len(_ids(resp)) <= 50
        seen += _ids(resp)
        if not resp.context["next_query"]:
            break
        query = dict(pair.split("=") for pair in resp.context["next_query"].split("&"))
    assert seen == expected


def test_the_page_takes_a_fixed_number_of_queries(
    aclient, admin, therapist, consented_client, django_assert_num_queries
):
    def add(n):
        for _ in range(n):
            record(
                practice_id=admin.practice_id,
                action="thread.viewed",
                actor=therapist,
                therapist_id=therapist.pk,
                client_id=consented_client.pk,
            )

    from tests.factories import ClientFactory

    add(5)
    aclient.get(reverse("audit:events"))
    # session, user, the page of events, the names of the people on it, the unread-notice
    # count (the session's activity stamp is rewritten at most once a minute: not here)
    with django_assert_num_queries(5):
        aclient.get(reverse("audit:events"))
    with django_assert_num_queries(6):  # and the typed client, resolved
        aclient.get(reverse("audit:events"), {"client": "Casey", "action": "thread.viewed"})
    add(80)
    ClientFactory.create_batch(30, therapist=therapist)
    with django_assert_num_queries(6):
        resp = aclient.get(reverse("audit:events"), {"client": "Casey", "action": "thread.viewed"})
    assert resp.status_code == 200 and len(resp.context["rows"]) == 50


def test_people_are_typed_by_name_or_email_and_never_another_practices(
    aclient, admin, therapist, colleague, other_client, consented_client, other_therapist
):
    pid = admin.practice_id
    a = record(
        practice_id=pid,
        action="care.ended",
        actor=therapist,
        therapist_id=therapist.pk,
        client_id=consented_client.pk,
    )
    b = record(
        practice_id=pid,
        action="care.ended",
        actor=colleague,
        therapist_id=colleague.pk,
        client_id=other_client.pk,
    )
    record(
        practice_id=other_therapist.practice_id,
        action="care.ended",
        actor=other_therapist,
        therapist_id=other_therapist.pk,
    )
    url = reverse("audit:events")
    assert _ids(aclient.get(url, {"actor": "colleague@alpha.test", "action": "care.ended"})) == [b.pk]
    assert _ids(aclient.get(url, {"therapist": "taylor reed", "action": "care.ended"})) == [a.pk]
    assert _ids(aclient.get(url, {"client": "Olive", "action": "care.ended"})) == [b.pk]
    for field, typed in (
        ("actor", "Dr Other"),
        ("therapist", "therapist@beta.test"),
        ("actor", str(other_therapist.pk)),
    ):
        resp = aclient.get(url, {field: typed})
        assert resp.status_code == 400 and resp.context["rows"] == [], (field, typed)
    resp = aclient.get(url, {"therapist": "Dr"})
    assert (
        resp.status_code == 400 and "Several therapists match" in resp.context["form"].errors["therapist"][0]
    )
    html = aclient.get(url).content.decode()
    start = html.index('aria-label="Filter audit events"')
    assert "<option" not in html[start : html.index('name="action"', start)]


def test_a_date_range_pages_newest_first_by_id_inside_the_range(aclient, admin, therapist):
    pid = admin.practice_id
    newer = record(
        practice_id=pid, action="thread.viewed", actor=therapist, at=datetime(2026, 6, 2, 12, tzinfo=UTC)
    )
    inside = [
        record(
            practice_id=pid,
            action="thread.viewed",
            actor=therapist,
            at=datetime(2026, 6, 1, 0, minute, tzinfo=UTC),
        ).pk
        for minute in range(59, -1, -1)
    ]
    older = record(
        practice_id=pid, action="thread.viewed", actor=therapist, at=datetime(2026, 5, 31, 23, 59, tzinfo=UTC)
    )
    url = reverse("audit:events")
    resp = aclient.get(url, {"since": "2026-06-01", "until": "2026-06-01"})
    newest_first = sorted(inside, reverse=True)
    assert _ids(resp) == newest_first[:50]
    assert newer.pk not in _ids(resp) and older.pk not in _ids(resp)
    assert (
        _ids(aclient.get(url, {"since": "2026-06-01", "until": "2026-06-01", "before": newest_first[49]}))
        == newest_first[50:]
    )
    # only an end: everything up to it, the older event (recorded last: the highest id) first
    up_to = _ids(aclient.get(url, {"until": "2026-06-01"}))
    assert up_to[0] == older.pk and up_to[1:] == newest_first[:49] and newer.pk not in up_to


def test_it_is_for_admins_only(client, therapist):
    client.force_login(therapist)
    assert client.get(reverse("audit:events")).status_code == 403
    assert client.get(reverse("audit:events_export")).status_code == 403


def test_every_action_the_code_records_has_plain_words_and_can_be_filtered():
    """A new action without a label would show as a code and could not be chosen as a filter."""
    import re
    from pathlib import Path

    from audit.wording import AUDIT_ACTION_LABELS

    root = Path(__file__).resolve().parents[2]
    found = set()
    for app in ("audit", "messaging", "policies", "portal"):
        for path in (root / app).rglob("*.py"):
            found |= set(re.findall(r'action\s*=\s*"([a-z_]+\.[a-z_]+)"', path.read_text()))
    assert found and found - set(AUDIT_ACTION_LABELS) == set()


def test_details_are_put_in_words():
    from audit.event_views import describe_data

    text = describe_data(
        '{"category":"check_in","channel":"sms","channels":["portal","phone"],'
        '"outcome":"delivered_with_exception","reasons":["override","outside_hours"],"version":3}'
    )
    assert text == (
        "Category: Brief check-in; Channel: Text message (SMS); "
        "Channels: portal, phone; Outcome: Delivered as an exception; "
        "Reasons: override, outside hours; Version: 3"
    )
    assert describe_data("not json") == "" and describe_data("[1]") == ""
