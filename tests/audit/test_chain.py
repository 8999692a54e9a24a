"""The audit chain: every stored field is covered, deletions, insertions and a cut tail are found."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from audit.chain import record, seal, verify
from audit.models import AuditEvent, ChainHead

pytestmark = pytest.mark.django_db

TAMPERABLE = {
    "practice_id": None,
    "seq": None,
    "prev_hash": "f" * 64,
    "at": "2001-01-01 00:00:00+00",
    "actor_id": 999999,
    "actor_role": "admin",
    "action": "forged.action",
    "therapist_id": 424242,
    "client_id": 434343,
    "object_type": "forged",
    "object_id": 7,
    "data": '{"forged":true}',
    "hash": "e" * 64,
}


def _events(practice, therapist, n=6):
    for i in range(n):
        record(
            practice_id=practice.pk,
            action="test.event",
            actor=therapist,
            therapist_id=therapist.pk,
            data={"i": i},
        )
    seal(practice.pk)
    return list(AuditEvent.objects.filter(practice=practice).order_by("seq"))


def _raw(sql: str, params: list) -> None:
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            # As a superuser would: past the append-only trigger.
            cur.execute("SET session_replication_role = replica")
        cur.execute(sql, params)
        if connection.vendor == "postgresql":
            cur.execute("SET session_replication_role = origin")


def test_a_sealed_chain_verifies(practice, therapist):
    events = _events(practice, therapist)
    result = verify(practice.pk)
    assert result.ok and result.events == len(events) + 0 and result.first_broken is None
    assert [e.seq for e in events] == list(range(1, len(events) + 1))


@pytest.mark.parametrize("field", sorted(TAMPERABLE))
def test_altering_any_stored_field_is_found_at_that_event(practice, other_practice, therapist, field):
    events = _events(practice, therapist)
    victim = events[3]
    value = TAMPERABLE[field]
    if field == "practice_id":
        # Moved to another practice: this chain now misses it.
        value = other_practice.pk
    if field == "seq":
        value = 99
    _raw(f"UPDATE audit_auditevent SET {field} = %s WHERE id = %s", [value, victim.pk])  # noqa: S608 -- field: a column name from the test's own TAMPERABLE
    result = verify(practice.pk, seal_first=False)
    assert not result.ok and result.first_broken == victim.seq


def test_deleting_an_event_in_the_middle_is_found(practice, therapist):
    events = _events(practice, therapist)
    _raw("DELETE FROM audit_auditevent WHERE id = %s", [events[2].pk])
    result = verify(practice.pk, seal_first=False)
    assert not result.ok and result.first_broken == events[2].seq


def test_cutting_off_the_tail_is_found(practice, therapist):
    events = _events(practice, therapist)
    _raw("DELETE FROM audit_auditevent WHERE id IN (%s, %s)", [events[-1].pk, events[-2].pk])
    result = verify(practice.pk, seal_first=False)
    assert not result.ok and result.first_broken == events[-2].seq


def test_an_inserted_event_is_found(practice, therapist):
    events = _events(practice, therapist)
    # Make room at position 3 (two steps, so the unique (practice, seq) never clashes).
    _raw("UPDATE audit_auditevent SET seq = -seq - 1 WHERE practice_id = %s AND seq >= 3", [practice.pk])
    _raw("UPDATE audit_auditevent SET seq = -seq WHERE practice_id = %s AND seq < 0", [practice.pk])
    forged = AuditEvent.objects.create(practice=practice, action="forged", data="{}", seq=None)
    _raw(
        "UPDATE audit_auditevent SET seq = 3, prev_hash = %s, hash = %s WHERE id = %s",
        [events[1].hash, "d" * 64, forged.pk],
    )
    result = verify(practice.pk, seal_first=False)
    assert not result.ok and result.first_broken == 3


def test_verify_audit_log_command_exits_1_and_names_the_event(practice, therapist):
    events = _events(practice, therapist)
    out = io.StringIO()
    call_command("verify_audit_log", stdout=out)
    assert "OK" in out.getvalue()
    _raw("UPDATE audit_auditevent SET data = %s WHERE id = %s", ['{"i":99}', events[1].pk])
    err = io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("verify_audit_log", stdout=io.StringIO(), stderr=err)
    assert exit_info.value.code == 1 and f"seq {events[1].seq}" in err.getvalue()


def test_chains_are_per_practice(practice, other_practice, therapist, other_therapist):
    _events(practice, therapist, 3)
    _events(other_practice, other_therapist, 2)
    assert ChainHead.objects.get(practice=practice).seq == 3
    assert ChainHead.objects.get(practice=other_practice).seq == 2
    assert verify(other_practice.pk).ok


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the append-only trigger is PostgreSQL's")
def test_postgresql_refuses_update_and_delete(practice, therapist):
    from django.db import DatabaseError

    events = _events(practice, therapist, 2)
    for sql in (
        "UPDATE audit_auditevent SET action = 'x' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cur,
        ):
            cur.execute(sql, [events[0].pk])
