"""Verification that scales: every request's verification starts from the latest signed
checkpoint that holds and recomputes only the events after it; the full re-verification
(nightly, on demand, the command) recomputes everything and is stored for the verify page."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from audit import chain, checkpoints
from audit.chain import record
from audit.models import AuditEvent, Checkpoint, VerificationRun
from audit.tasks import verify_audit_chains_full
from portal.models import OutboxItem
from tests.audit.checkpoint_helpers import _empty, _rewrite
from tests.audit.test_chain import _raw
from tests.conftest import api_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def checkpoint_dir(settings, tmp_path):
    settings.PORTAL_AUDIT_CHECKPOINT_DIR = tmp_path / "checkpoints"
    return settings.PORTAL_AUDIT_CHECKPOINT_DIR


def _events(practice, n):
    for i in range(n):
        record(practice_id=practice.pk, action="test.event", data={"i": i})


def _signed_at(practice, n) -> int:
    """n events, sealed and signed: the checkpoint's position."""
    _events(practice, n)
    cp = checkpoints.sign_if_due(practice.pk)
    assert cp is not None
    return cp.seq


def _tamper(practice, seq):
    """Change one event's data without recomputing anything (a naive edit)."""
    _raw(
        "UPDATE audit_auditevent SET data = %s WHERE practice_id = %s AND seq = %s",
        ['{"i":"x"}', practice.pk, seq],
    )


def _get(admin):
    r = api_for(admin).get("/api/v1/audit/verify")
    assert r.status_code == 200
    return r.json()


def test_only_the_events_after_the_latest_checkpoint_are_recomputed(admin, practice, monkeypatch):
    at = _signed_at(practice, 30)
    _events(practice, 4)
    hashed = []
    real = chain.row_hash

    def spy(values):
        hashed.append(values[2])
        return real(values)

    monkeypatch.setattr(chain, "row_hash", spy)
    body = _get(admin)
    assert body["ok"] is True and body["verified_from_seq"] == at and body["latest_checkpoint_ok"] is True
    assert body["events"] == at + 4  # still the chain's length
    # The checkpoint's own event (checked to still recompute to its hash), then the new ones;
    # nothing before it.
    assert sorted(set(hashed)) == list(range(at, at + 5))
    # ...and the verification signed the new head.
    latest = checkpoints.latest(practice.pk)
    assert latest is not None and latest.seq == at + 4


def test_an_event_altered_after_the_checkpoint_is_found(admin, practice):
    at = _signed_at(practice, 5)
    _events(practice, 3)
    chain.seal(practice.pk)
    _tamper(practice, at + 2)
    body = _get(admin)
    assert body == {
        "ok": False,
        "events": at + 2,
        "first_broken": at + 2,
        "verified_from_seq": at,
        "latest_checkpoint_ok": True,
    }
    latest = checkpoints.latest(practice.pk)
    assert latest is not None and latest.seq == at  # nothing signed over a break


def test_a_cut_tail_after_the_checkpoint_is_found(admin, practice):
    at = _signed_at(practice, 4)
    _events(practice, 3)
    chain.seal(practice.pk)
    _raw("DELETE FROM audit_auditevent WHERE practice_id = %s AND seq > %s", [practice.pk, at + 1])
    body = _get(admin)
    assert body["ok"] is False and body["first_broken"] == at + 2 and body["verified_from_seq"] == at


def test_an_alteration_before_the_checkpoint_is_found_by_the_full_run_and_then_reported(admin, practice):
    at = _signed_at(practice, 8)
    _tamper(practice, 3)
    # The checkpoint still holds (its event keeps its hash): the quick check cannot see it...
    assert _get(admin)["ok"] is True
    # ...the full re-verification does, and stores what it found.
    result, run = checkpoints.verify_full(practice.pk)
    assert not result.ok and result.first_broken == 3
    run.refresh_from_db()
    assert (run.status, run.first_broken, run.from_seq, run.to_seq) == ("broken", 3, 1, 3)
    assert run.finished_at is not None and run.duration_ms is not None
    # From then on every verification reports that break, from wherever it starts.
    body = _get(admin)
    assert body["ok"] is False and body["first_broken"] == 3 and body["verified_from_seq"] == at


def test_an_altered_checkpoint_event_is_no_starting_point(admin, practice):
    at = _signed_at(practice, 6)
    _tamper(practice, at)  # the checkpoint's own event, its hash column left as it was
    body = _get(admin)
    assert body["latest_checkpoint_ok"] is False and body["verified_from_seq"] == 0
    assert body["ok"] is False and body["first_broken"] == at


def test_a_rewrite_that_recomputed_every_hash_falls_back_to_an_earlier_checkpoint(admin, practice, client):
    first = _signed_at(practice, 3)
    second = _signed_at(practice, 4)
    _rewrite(practice, seq=first + 2)  # after the first checkpoint, before the second
    result = checkpoints.verify_from_checkpoint(practice.pk)
    assert result.ok  # the rewrite is consistent on its own...
    assert result.verified_from == first and result.latest_checkpoint_seq == second
    assert "no longer has the hash" in result.checkpoint_problem  # ...but not with the signed checkpoint
    latest = checkpoints.latest(practice.pk)
    assert latest is not None and latest.seq == second  # and it is never signed
    assert _get(admin)["latest_checkpoint_ok"] is False
    client.force_login(admin)
    html = client.get(reverse("audit:verify")).content.decode()
    assert f"The latest signed checkpoint (position {second}) no longer holds" in html
    assert f"started from an earlier checkpoint that still holds, at position {first}" in html


def test_a_checkpoint_row_not_signed_with_the_portals_key_is_no_starting_point(admin, practice):
    _signed_at(practice, 3)
    _events(practice, 2)
    chain.seal(practice.pk)
    _tamper(practice, 5)
    head = AuditEvent.objects.get(practice=practice, seq=5)
    # Someone with database access writes a checkpoint of the tampered head: they have no key.
    forged = Checkpoint.objects.create(
        practice=practice,
        seq=5,
        hash=head.hash,
        signed_at=head.at,
        signature="A" * 86 + "==",
        public_key=checkpoints.public_key_b64(),
    )
    result = checkpoints.verify_from_checkpoint(practice.pk, sign=False)
    assert (
        result.latest_checkpoint_seq == forged.seq and "signature is not valid" in result.checkpoint_problem
    )
    assert result.verified_from == 3 and not result.ok and result.first_broken == 5


@pytest.mark.parametrize("reset_head", [True, False])
def test_an_emptied_chain_is_never_verified_from_its_checkpoint(admin, practice, reset_head):
    at = _signed_at(practice, 5)
    if reset_head:
        _empty(practice)
    else:
        _raw("DELETE FROM audit_auditevent WHERE practice_id = %s", [practice.pk])
    body = _get(admin)
    assert body["latest_checkpoint_ok"] is False and body["verified_from_seq"] == 0
    if not reset_head:
        assert body["ok"] is False and body["first_broken"] == 1
    # Against the checkpoint it fails either way.
    cp = checkpoints.as_dict(Checkpoint.objects.get(practice=practice, seq=at))
    v = api_for(admin).post("/api/v1/audit/verify", {"checkpoint": cp}, format="json").json()
    assert v["checkpoint_ok"] is False


def test_an_earlier_uploaded_checkpoint_is_checked_at_its_position(admin, practice):
    api = api_for(admin)
    old = api.get("/api/v1/audit/checkpoint").json()  # the empty chain, position 0
    _events(practice, 3)
    mid = api.get("/api/v1/audit/checkpoint").json()
    _events(practice, 3)
    api.get("/api/v1/audit/checkpoint")
    for cp in (old, mid):
        body = api.post("/api/v1/audit/verify", {"checkpoint": cp}, format="json").json()
        assert body["checkpoint_ok"] is True and body["verified_from_seq"] == 6, body
    _raw("DELETE FROM audit_auditevent WHERE practice_id = %s AND seq = %s", [practice.pk, mid["seq"]])
    body = api.post("/api/v1/audit/verify", {"checkpoint": mid}, format="json").json()
    assert body["checkpoint_ok"] is False


# --- The full re-verification --------------------------------------------------------------


def test_the_button_queues_a_full_run_through_the_outbox_and_the_page_shows_it(
    admin, practice, client, django_capture_on_commit_callbacks
):
    _events(practice, 4)
    client.force_login(admin)
    page = client.get(reverse("audit:verify")).content.decode()
    assert "No full re-verification has run yet." in page and reverse("audit:verify_full") in page
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(reverse("audit:verify_full"))
    assert r.status_code == 302 and r["Location"] == reverse("audit:verify")
    run = VerificationRun.objects.get(practice=practice)
    item = OutboxItem.objects.get(task=checkpoints.FULL_TASK)
    assert item.payload == {"run_id": run.pk} and item.done_at is not None  # run after commit (eager here)
    assert (
        AuditEvent.objects.filter(practice=practice, action="audit.full_verification_requested").count() == 1
    )
    assert (run.trigger, run.requested_by_id, run.status, run.from_seq) == ("request", admin.pk, "ok", 1)
    assert run.events is not None
    assert run.to_seq == run.events >= 4
    html = client.get(reverse("audit:verify")).content.decode()
    assert "The whole chain verified" in html and f"positions 1 to {run.to_seq}" in html
    assert "took" in html and admin.full_name in html


def test_a_second_request_while_one_is_queued_queues_nothing(admin, practice, client):
    client.force_login(admin)
    client.post(reverse("audit:verify_full"))  # on_commit never runs under the db fixture: stays queued
    client.post(reverse("audit:verify_full"))
    assert VerificationRun.objects.filter(practice=practice).count() == 1
    assert OutboxItem.objects.filter(task=checkpoints.FULL_TASK).count() == 1
    html = client.get(reverse("audit:verify")).content.decode()
    assert "is queued or running" in html and "Re-verify the whole chain now" not in html


def test_the_outbox_handler_runs_a_queued_run_once(admin, practice):
    from portal import outbox

    _events(practice, 2)
    run, _ = checkpoints.full_verification_request(admin=admin)
    item = OutboxItem.objects.get(task=checkpoints.FULL_TASK)
    assert outbox.run(item.pk) is True
    run.refresh_from_db()
    finished = run.finished_at
    assert run.status == "ok" and finished is not None
    from audit.notifications import run_full_verification

    run_full_verification(item)  # a duplicate delivery leaves the finished run alone
    run.refresh_from_db()
    assert run.finished_at == finished


def test_the_nightly_task_verifies_every_practice_in_full(practice, other_practice, settings):
    _events(practice, 3)
    _events(other_practice, 2)
    chain.seal(practice.pk)
    _tamper(practice, 2)
    assert verify_audit_chains_full() == {practice.pk: False, other_practice.pk: True}
    runs = {r.practice_id: r for r in VerificationRun.objects.all()}
    assert runs[practice.pk].first_broken == 2 and runs[other_practice.pk].status == "ok"
    assert {r.trigger for r in runs.values()} == {"schedule"}
    entry = settings.CELERY_BEAT_SCHEDULE["verify-audit-chains-full"]
    assert entry["task"] == verify_audit_chains_full.name


def test_the_command_is_a_full_run_by_default_and_quick_on_request(practice):
    _signed_at(practice, 6)
    _tamper(practice, 2)
    out, err = io.StringIO(), io.StringIO()
    call_command("verify_audit_log", "--from-checkpoint", stdout=out, stderr=err)
    assert "from the checkpoint at seq 6" in out.getvalue()
    with pytest.raises(SystemExit):
        call_command("verify_audit_log", stdout=io.StringIO(), stderr=err)
    assert "seq 2" in err.getvalue()
    run = VerificationRun.objects.get(practice=practice)
    assert (run.trigger, run.status, run.first_broken) == ("command", "broken", 2)


def test_a_verification_with_nothing_new_takes_no_lock_and_opens_no_transaction(practice):
    """The steady state of the verify page between two beats: nothing unsealed, the head at the
    latest checkpoint. Seal is one index read; nothing is signed; no row is locked."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    at = _signed_at(practice, 12)
    with CaptureQueriesContext(connection) as ctx:
        assert chain.seal(practice.pk) == 0
    assert len(ctx.captured_queries) == 1
    with CaptureQueriesContext(connection) as ctx:
        result = checkpoints.verify_from_checkpoint(practice.pk)
    assert (
        result.ok
        and result.verified_from == at
        and Checkpoint.objects.filter(practice_id=practice.pk).count() == 1
    )
    statements = [q["sql"].upper() for q in ctx.captured_queries]
    assert not [
        s
        for s in statements
        if " FOR UPDATE" in s or " FOR NO KEY UPDATE" in s or "SAVEPOINT" in s or s.startswith("INSERT")
    ], statements
    # ... and an event after it is sealed and signed as before.
    _events(practice, 1)
    assert checkpoints.verify_from_checkpoint(practice.pk).ok
    latest = checkpoints.latest(practice.pk)
    assert latest is not None and latest.seq == at + 1
