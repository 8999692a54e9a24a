"""The exceptions CSV: PostgreSQL writes the same bytes as csv.writer does, and streams."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.urls import reverse

from audit import export
from audit.chain import record
from audit.models import BoundaryException
from audit.selectors import exceptions_for
from audit.services import exception_review
from messaging.services.send import message_send
from portal.models import User

pytestmark = pytest.mark.django_db
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the database writes the CSV on PostgreSQL"
)


@pytest.fixture
def exceptions(admin, therapist, consented_client, thread):
    """Every shape a row can take: a name and notes that need quoting, no client, several
    reasons, times with and without microseconds, reviewed and not, a linked message."""
    User.objects.filter(pk=therapist.pk).update(full_name='Dr "Sam" Rivera, PhD')
    sent = message_send(
        sender=consented_client,
        thread=thread,
        category="personal",
        channel="portal",
        body="Coffee on Sunday?",
    )
    linked = BoundaryException.objects.get(message_id=sent.message.pk)
    whole = datetime(2026, 3, 8, 7, 30, tzinfo=UTC)  # no microseconds; DST day in New York
    plain = record(
        practice_id=admin.practice_id,
        action="contact.decided",
        therapist_id=therapist.pk,
        client_id=None,
        exception_kind="override",
        reasons=["override", "outside_hours", "rate_limited"],
        at=whole,
    )
    fine = record(
        practice_id=admin.practice_id,
        action="contact.decided",
        therapist_id=therapist.pk,
        client_id=consented_client.pk,
        exception_kind="after_hours",
        reasons=["outside_hours"],
        at=whole + timedelta(microseconds=40),
    )
    exception_review(
        admin=admin, exception_id=linked.pk, note='Spoke to the client, "no harm", reminded them.\nDone.'
    )
    exception_review(admin=admin, exception_id=fine.exception.pk, note="Within policy")
    return [linked, plain.exception, fine.exception]


def _both(practice_id: int, tz: ZoneInfo) -> tuple[str, str]:
    qs = exceptions_for(practice_id)
    names = dict(User.objects.filter(practice_id=practice_id).values_list("pk", "full_name"))
    return "".join(export._postgres(qs, tz)), "".join(export._python(qs, tz, names))


@postgres_only
@pytest.mark.parametrize("zone", ["America/New_York", "Asia/Kolkata", "UTC"])
def test_postgres_writes_what_csv_writer_writes(admin, exceptions, zone):
    from_db, from_python = _both(admin.practice_id, ZoneInfo(zone))
    assert from_db == from_python
    rows = list(csv.reader(io.StringIO(from_db)))
    assert len(rows) == len(exceptions)
    by_id = {int(r[0]): r for r in rows}
    assert (
        by_id[exceptions[1].pk][4] == ""
        and by_id[exceptions[1].pk][5] == "override outside_hours rate_limited"
    )
    assert by_id[exceptions[1].pk][2] == "2026-03-08T07:30:00Z"
    assert by_id[exceptions[2].pk][2] == "2026-03-08T07:30:00.000040Z"
    assert by_id[exceptions[0].pk][9] == 'Dr "Sam" Rivera, PhD'
    assert by_id[exceptions[0].pk][15] == 'Spoke to the client, "no harm", reminded them.\nDone.'


@postgres_only
def test_a_filtered_export_keeps_the_filter_and_the_order(admin, exceptions):
    qs = exceptions_for(admin.practice_id, kind="after_hours")
    text = "".join(export._postgres(qs, ZoneInfo("UTC")))
    assert [int(r[0]) for r in csv.reader(io.StringIO(text))] == [exceptions[2].pk]
    everything = "".join(export._postgres(exceptions_for(admin.practice_id), ZoneInfo("UTC")))
    ids = [int(r[0]) for r in csv.reader(io.StringIO(everything))]
    assert ids == sorted(ids, reverse=True)


@postgres_only
def test_rows_come_in_chunks(admin, exceptions, monkeypatch):
    monkeypatch.setattr(export, "CHUNK", 1)
    chunks = list(export._postgres(exceptions_for(admin.practice_id), ZoneInfo("UTC")))
    assert len(chunks) == len(exceptions)


def test_the_view_streams_the_header_and_rows(client, admin, exceptions):
    client.force_login(admin)
    resp = client.get(reverse("audit:export"), {"kind": "override"})
    assert resp.streaming
    rows = list(csv.reader(io.StringIO(b"".join(resp.streaming_content).decode())))
    assert rows[0][:7] == ["id", "kind", "at", "therapist_id", "client_id", "reasons", "reviewed"]
    assert [int(r[0]) for r in rows[1:]] == [exceptions[1].pk]


# --- What the exports carry. (tests/audit/test_export.py first held the audit pages' own CSV
# tests, written for issue 17; this file was overwritten by mistake while the streaming export
# was written, and these stand in for them: names, reviewer and note, the chain hash, the
# export recorded, 400 on an impossible range.)


def test_the_exceptions_csv_names_people_and_the_review(
    client, admin, therapist, consented_client, exceptions
):
    client.force_login(admin)
    resp = client.get(reverse("audit:export"))
    text = b"".join(resp.streaming_content).decode()
    assert "Coffee" not in text
    rows = list(csv.DictReader(io.StringIO(text)))
    linked = next(r for r in rows if int(r["id"]) == exceptions[0].pk)
    assert linked["therapist"] == 'Dr "Sam" Rivera, PhD' and linked["client"] == consented_client.full_name
    assert linked["reviewed"] == "yes" and linked["reviewed_by"] == admin.full_name and linked["reviewed_at"]
    assert linked["review_note"] == 'Spoke to the client, "no harm", reminded them.\nDone.'
    assert linked["category"] == "personal" and linked["channel"] == "portal"
    unreviewed = next(r for r in rows if int(r["id"]) == exceptions[1].pk)
    assert (
        unreviewed["reviewed"] == "no" and unreviewed["reviewed_by"] == "" and unreviewed["review_note"] == ""
    )
    from audit.models import AuditEvent

    assert AuditEvent.objects.filter(action="audit.exceptions_exported", actor_id=admin.pk).count() == 1


def test_an_impossible_range_is_400_and_exports_nothing(client, admin, exceptions):
    from audit.models import AuditEvent

    client.force_login(admin)
    resp = client.get(reverse("audit:export"), {"since": "2026-05-02", "until": "2026-05-01"})
    assert resp.status_code == 400 and "before the start" in resp.content.decode()
    assert not AuditEvent.objects.filter(action="audit.exceptions_exported").exists()


def test_the_events_csv_has_chain_position_and_hash(client, admin, exceptions):
    from audit.chain import seal
    from audit.models import AuditEvent

    seal(admin.practice_id)
    client.force_login(admin)
    resp = client.get(reverse("audit:events_export"))
    rows = list(csv.DictReader(io.StringIO(b"".join(resp.streaming_content).decode())))
    sealed = {e.pk: e for e in AuditEvent.objects.filter(practice_id=admin.practice_id, seq__isnull=False)}
    assert rows and all(
        int(r["chain_position"]) == sealed[int(r["id"])].seq and r["hash"] == sealed[int(r["id"])].hash
        for r in rows
        if int(r["id"]) in sealed
    )
    assert AuditEvent.objects.filter(action="audit.events_exported", actor_id=admin.pk).exists()


@postgres_only
def test_a_download_cut_short_leaves_the_connection_usable(admin, exceptions, monkeypatch):
    """The next chunk is fetched while this one is written: closing the stream after the first
    chunk waits for that fetch, closes the cursor, and the connection answers the next query."""
    monkeypatch.setattr(export, "CHUNK", 1)
    stream = export._postgres(exceptions_for(admin.practice_id), ZoneInfo("UTC"))
    first = next(stream)
    stream.close()
    assert first.count(export.LINE_END) == 1
    assert BoundaryException.objects.filter(practice_id=admin.practice_id).count() == len(exceptions)
    assert "".join(export._postgres(exceptions_for(admin.practice_id), ZoneInfo("UTC"))).count("\r\n") >= 3
