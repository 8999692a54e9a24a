"""The CSV downloads as the admin gets them: exceptions and events, streamed, with names,
reviewer and note, never a body; each export is itself an audit event; a filter that cannot
match is a 400 and records nothing. (tests/audit/test_export.py: PostgreSQL's COPY-style rows.)"""

from __future__ import annotations

import csv
import io
import json
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from audit.chain import record, seal
from audit.models import AuditEvent
from audit.services import exception_review

pytestmark = pytest.mark.django_db


def _rows(resp) -> list[dict]:
    assert resp.streaming and resp["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(b"".join(resp.streaming_content).decode())))


def test_exceptions_csv_has_names_category_channel_reviewer_and_note(aclient, admin, blocked):
    admin.timezone = "Europe/Paris"
    admin.save(update_fields=["timezone"])
    exception_review(admin=admin, exception_id=blocked.pk, note="Client reminded, no harm done")
    rows = _rows(aclient.get(reverse("audit:export")))
    assert len(rows) == 1
    row = rows[0]
    assert (
        row["id"] == str(blocked.pk) and row["kind"] == "blocked" and row["kind_label"] == "Blocked contact"
    )
    assert row["therapist"] == "Dr Taylor Reed" and row["client"] == "Casey Client"
    assert row["category"] == "personal" and row["channel"] == "portal"
    assert row["reviewed"] == "yes" and row["reviewed_by"] == "Alex Admin"
    assert row["review_note"] == "Client reminded, no harm done" and row["reviewed_at"].endswith("Z")
    blocked.refresh_from_db()
    assert row["at_local (Europe/Paris)"] == blocked.at.astimezone(ZoneInfo("Europe/Paris")).strftime(
        "%Y-%m-%d %H:%M:%S"
    )
    assert "Coffee" not in str(rows)


def test_exceptions_csv_keeps_the_filters(aclient, blocked, other_client, colleague):
    record(
        practice_id=colleague.practice_id,
        action="contact.decided",
        actor=colleague,
        therapist_id=colleague.pk,
        client_id=other_client.pk,
        exception_kind="after_hours",
        reasons=["outside_hours"],
    )
    rows = _rows(aclient.get(reverse("audit:export"), {"therapist": colleague.pk}))
    assert [r["kind"] for r in rows] == ["after_hours"] and rows[0]["client"] == "Olive Other"


def test_events_csv_has_names_chain_position_and_hash_and_no_body(aclient, admin, blocked):
    seal(admin.practice_id)
    rows = _rows(aclient.get(reverse("audit:events_export"), {"action": "contact.decided"}))
    event = blocked.event
    event.refresh_from_db()
    assert [r["id"] for r in rows] == [str(event.pk)]
    row = rows[0]
    assert row["chain_position"] == str(event.seq) and row["hash"] == event.hash
    assert (
        row["actor"] == "Casey Client"
        and row["therapist"] == "Dr Taylor Reed"
        and row["client"] == "Casey Client"
    )
    assert row["action_label"] == "Contact decided" and "Outcome: Blocked" in row["details"]
    assert "Coffee" not in str(rows)


@pytest.mark.parametrize(
    "name, action",
    [("audit:export", "audit.exceptions_exported"), ("audit:events_export", "audit.events_exported")],
)
def test_each_export_is_an_audit_event(aclient, admin, blocked, name, action):
    _rows(aclient.get(reverse(name), {"client": blocked.client_id}))
    event = AuditEvent.objects.get(action=action)
    assert event.actor_id == admin.pk and event.practice_id == admin.practice_id
    assert str(blocked.client_id) in event.data


@pytest.mark.parametrize("name", ["audit:export", "audit:events_export"])
def test_an_impossible_range_is_400_and_nothing_is_exported(aclient, blocked, name):
    resp = aclient.get(reverse(name), {"since": "2026-06-01", "until": "2026-05-01"})
    assert resp.status_code == 400 and "is before the start" in resp.content.decode()
    assert not AuditEvent.objects.filter(
        action__in=["audit.exceptions_exported", "audit.events_exported"]
    ).exists()


def test_another_practice_exports_none_of_ours(client, other_admin, blocked):
    client.force_login(other_admin)
    assert _rows(client.get(reverse("audit:export"))) == []
    rows = _rows(client.get(reverse("audit:events_export")))
    theirs = set(AuditEvent.objects.filter(practice_id=other_admin.practice_id).values_list("id", flat=True))
    assert {int(r["id"]) for r in rows} <= theirs and str(blocked.event_id) not in {r["id"] for r in rows}


def test_the_export_event_is_a_service_and_names_only_what_it_knows(admin):
    from audit.models import AuditEvent
    from audit.services import audit_export_recorded

    audit_export_recorded(admin=admin, what="events", filters={"therapist": 7, "action": None})
    e = AuditEvent.objects.get(action="audit.events_exported")
    assert (e.practice_id, e.actor_id) == (admin.practice_id, admin.pk)
    assert json.loads(e.data) == {"therapist": "7"}  # stored as the chain hashes it
    with pytest.raises(ValueError):
        audit_export_recorded(admin=admin, what="messages", filters={})
