"""The verify page: the latest signed checkpoint with a download, and verification against
an uploaded one, with clear errors for files that are not checkpoints."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit import checkpoints
from audit.chain import record
from audit.models import ChainHead, Checkpoint
from tests.audit.checkpoint_helpers import _rewrite

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def checkpoint_dir(settings, tmp_path):
    settings.PORTAL_AUDIT_CHECKPOINT_DIR = tmp_path / "checkpoints"
    return settings.PORTAL_AUDIT_CHECKPOINT_DIR


def _events(practice, n=3):
    for i in range(n):
        record(practice_id=practice.pk, action="test.event", data={"i": i})


def _upload(aclient, content: bytes, name="checkpoint.json"):
    return aclient.post(reverse("audit:verify"), {"checkpoint": SimpleUploadedFile(name, content)})


def test_the_page_shows_the_latest_checkpoint_and_offers_it_for_download(aclient, practice):
    _events(practice, 4)
    page = aclient.get(reverse("audit:verify"))
    html = page.content.decode()
    cp = Checkpoint.objects.get(practice=practice)
    head = ChainHead.objects.get(practice=practice)  # 4 events, and the admin's login if it is audited
    assert page.status_code == 200 and (cp.seq, cp.hash) == (head.seq, head.head_hash) and cp.seq >= 4
    assert cp.hash in html and cp.public_key in html
    assert 'enctype="multipart/form-data"' in html and reverse("audit:checkpoint_download") in html
    download = aclient.get(reverse("audit:checkpoint_download"))
    assert (
        download["Content-Disposition"]
        == f'attachment; filename="audit-checkpoint-{practice.pk}-{cp.seq}.json"'
    )
    assert json.loads(download.content) == checkpoints.as_dict(cp)


def test_uploading_the_downloaded_checkpoint_verifies(aclient, practice):
    _events(practice, 3)
    saved = aclient.get(reverse("audit:checkpoint_download")).content
    _events(practice, 2)
    page = _upload(aclient, saved)
    html = page.content.decode()
    assert page.status_code == 200 and page.context["check"].ok
    assert "The uploaded checkpoint holds." in html and f"reaches position {json.loads(saved)['seq']}" in html


def test_uploading_the_sealers_jsonl_file_verifies(aclient, practice, other_practice, checkpoint_dir):
    _events(practice, 2)
    checkpoints.sign_if_due(practice.pk)
    _events(other_practice, 1)
    checkpoints.sign_if_due(other_practice.pk)
    _events(practice, 1)
    checkpoints.sign_if_due(practice.pk)
    page = _upload(aclient, (checkpoint_dir / checkpoints.FILE_NAME).read_bytes(), "checkpoints.jsonl")
    newest = Checkpoint.objects.filter(practice=practice).order_by("-seq").first()
    assert newest is not None
    assert page.status_code == 200 and page.context["check"].ok and page.context["uploaded"].seq == newest.seq


def test_a_rewritten_chain_fails_against_the_uploaded_checkpoint(aclient, practice):
    _events(practice, 4)
    saved = aclient.get(reverse("audit:checkpoint_download")).content
    _rewrite(practice, seq=2)
    page = _upload(aclient, saved)
    html = page.content.decode()
    assert page.status_code == 200 and not page.context["check"].ok
    assert "The uploaded checkpoint fails." in html and "the history up to it was rewritten" in html


@pytest.mark.parametrize(
    "content,message",
    [
        (b"", "The submitted file is empty."),
        (b"\xff\xfe\x00garbage", "The file is not text"),
        (b"{not json", "The file is not a checkpoint: line 1 is not JSON."),
        (b'{"practice_id": 1, "seq": 1}', "hash: This field is required."),
        (
            b'{"practice_id": 1, "seq": 1, "hash": "zz", "signed_at": "x", "signature": "!!", "public_key": "a"}',
            "must be 64 lowercase hex digits",
        ),
    ],
)
def test_a_file_that_is_not_a_checkpoint_is_refused_clearly(aclient, practice, content, message):
    _events(practice, 1)
    page = _upload(aclient, content)
    assert page.status_code == 400 and message in page.content.decode()
    assert page.context["check"] is None


def test_no_file_is_refused(aclient):
    page = aclient.post(reverse("audit:verify"), {})
    assert page.status_code == 400 and "This field is required." in page.content.decode()


def test_another_practices_checkpoint_is_refused(aclient, other_practice):
    _events(other_practice, 1)
    other = checkpoints.current(other_practice.pk)
    page = _upload(aclient, json.dumps(checkpoints.as_dict(other)).encode())
    assert page.status_code == 400 and "no checkpoint of this practice" in page.content.decode()


def test_an_oversized_file_is_refused(aclient, practice, monkeypatch):
    from audit.forms import CheckpointUploadForm

    monkeypatch.setattr(CheckpointUploadForm, "MAX_BYTES", 10)
    page = _upload(aclient, b" " * 11)
    assert page.status_code == 400 and "larger than 20 MB" in page.content.decode()
