"""Signed checkpoints: the sealer's cadence, and rewrites by someone with full database access that
a checkpoint shows.
"""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from django.utils import timezone

from audit import checkpoints
from audit.chain import seal
from audit.models import ChainHead, Checkpoint
from audit.tasks import seal_audit_chains
from tests.audit.checkpoint_helpers import (
    _cut_head,
    _empty,
    _events,
    _file_lines,
    _rewrite,
)
from tests.audit.test_chain import _raw
from tests.conftest import api_for

# Every test writes the sealer's file into its own folder (tests/audit/conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("checkpoint_dir")]


# --- The sealer ------------------------------------------------------------------------


def test_the_beat_task_signs_at_most_every_five_minutes_while_there_are_new_events(
    practice, other_practice, checkpoint_dir, monkeypatch
):
    now = timezone.now()
    monkeypatch.setattr(checkpoints.timezone, "now", lambda: now)
    seal_audit_chains()
    assert not Checkpoint.objects.exists()  # no events anywhere: nothing to sign
    _events(practice, 2)
    seal_audit_chains()
    assert list(Checkpoint.objects.values_list("practice_id", "seq")) == [(practice.pk, 2)]
    _events(practice, 1)
    now += timedelta(minutes=4, seconds=59)
    seal_audit_chains()
    assert Checkpoint.objects.count() == 1  # sealed, but the last checkpoint is recent
    assert ChainHead.objects.get(practice=practice).seq == 3
    now += timedelta(seconds=1)
    seal_audit_chains()
    assert list(Checkpoint.objects.order_by("seq").values_list("seq", flat=True)) == [2, 3]
    now += timedelta(hours=1)
    seal_audit_chains()
    assert Checkpoint.objects.count() == 2  # no new events: no new checkpoint
    assert [line["seq"] for line in _file_lines(checkpoint_dir)] == [2, 3]
    assert timedelta(minutes=10) >= checkpoints.CHECKPOINT_EVERY


def test_the_beat_task_goes_on_when_the_checkpoint_file_cannot_be_written(
    practice, other_practice, settings, tmp_path, caplog
):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    settings.PORTAL_AUDIT_CHECKPOINT_DIR = blocker / "checkpoints"  # a folder below a file
    _events(practice, 1)
    _events(other_practice, 1)
    with caplog.at_level(logging.ERROR, logger="audit.checkpoints"):
        assert seal_audit_chains() == 2
    assert not Checkpoint.objects.exists()  # the rows rolled back with the failed file write
    assert caplog.text.count("not written") == 2


def test_the_endpoint_answers_409_when_no_checkpoint_can_be_written(admin, practice, settings, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    settings.PORTAL_AUDIT_CHECKPOINT_DIR = blocker / "checkpoints"
    _events(practice, 1)
    r = api_for(admin).get("/api/v1/audit/checkpoint")
    assert r.status_code == 409 and "cannot be written" in r.json()["detail"]
    assert api_for(admin).get("/api/v1/audit/verify").json()["ok"] is True  # verification still answers


def test_the_sealer_never_signs_over_a_rewrite(admin, practice, caplog):
    api = api_for(admin)
    _events(practice, 4)
    cp = api.get("/api/v1/audit/checkpoint").json()
    _rewrite(practice, seq=2)
    _events(practice, 1)
    with caplog.at_level(logging.ERROR, logger="audit.checkpoints"):
        assert checkpoints.sign_if_due(practice.pk) is None
    assert "not signed" in caplog.text and "position 4" in caplog.text
    assert api.get("/api/v1/audit/checkpoint").json() == cp  # the last good one stays the latest


# --- Rewrites by someone with full database access (also run on PostgreSQL) ------------


REWRITES = {
    "alter and recompute": (
        lambda p: _rewrite(p, seq=3),
        "The event at position 5 no longer has the checkpoint's hash: the history up to it was rewritten",
    ),
    "empty and reset the head": (
        _empty,
        "The chain now ends at position 0, before the checkpoint's position 5",
    ),
    "delete the head": (
        lambda p: _cut_head(p, 2),
        "The chain now ends at position 3, before the checkpoint's position 5",
    ),
}


@pytest.mark.parametrize("name", sorted(REWRITES))
def test_a_rewrite_that_verifies_on_its_own_fails_against_an_earlier_checkpoint(admin, practice, name):
    rewrite, message = REWRITES[name]
    api = api_for(admin)
    _events(practice, 5)
    cp = api.get("/api/v1/audit/checkpoint").json()
    rewrite(practice)
    alone = api.get("/api/v1/audit/verify").json()
    if name != "delete the head":
        assert alone["ok"] is True  # the rewrite is invisible to the chain alone...
    body = api.post("/api/v1/audit/verify", {"checkpoint": cp}, format="json").json()
    assert body["checkpoint_ok"] is False and message in body["checkpoint_detail"]  # ...not to the checkpoint


def test_a_deleted_head_alone_breaks_the_chain(admin, practice):
    _events(practice, 3)
    seal(practice.pk)
    _raw("DELETE FROM audit_chainhead WHERE practice_id = %s", [practice.pk])
    from audit.chain import verify

    result = verify(practice.pk, seal_first=False)
    assert not result.ok and "head is missing" in result.detail
