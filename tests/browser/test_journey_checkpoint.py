"""Issue 17's last bullet: the admin downloads the latest signed checkpoint on the verify page,
verifies against it later, and gets a clear error for a file that is not a checkpoint;
desktop and 390 px, each step checked with axe-core."""

import json
import re
from pathlib import Path
from typing import cast

import pytest

from audit.chain import record
from portal.models import User
from tests.factories import AdminFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1280, 390])
def test_admin_downloads_and_verifies_a_checkpoint(journey, settings, tmp_path, width):
    settings.PORTAL_AUDIT_CHECKPOINT_DIR = tmp_path / "checkpoints"
    admin = cast(User, AdminFactory(email="admin@example.test", full_name="Morgan Admin"))
    assert admin.practice_id is not None
    for i in range(3):
        record(practice_id=admin.practice_id, action="test.event", data={"i": i})

    page = journey.page_for(admin)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(journey.base + "/audit/verify/")
    assert "The chain verifies" in page.get_by_test_id("chain-result").inner_text()
    latest = page.get_by_test_id("latest-checkpoint").inner_text()
    journey.check(page, f"verify page {width}")

    with page.expect_download() as info:
        page.get_by_role("link", name="Download this checkpoint").click()
    saved = info.value.path()
    checkpoint = json.loads(Path(saved).read_text())
    assert str(checkpoint["seq"]) in latest and checkpoint["hash"] in latest

    record(practice_id=admin.practice_id, action="test.later", data={})
    page.get_by_label(re.compile("Checkpoint file")).set_input_files(saved)
    page.get_by_role("button", name="Verify against this checkpoint").click()
    result = page.get_by_test_id("checkpoint-result")
    assert "The uploaded checkpoint holds." in result.inner_text()
    assert f"reaches position {checkpoint['seq']}" in result.inner_text()
    journey.check(page, f"verified against the download {width}")

    bad = tmp_path / "notes.txt"
    bad.write_text("these are not the checkpoints you are looking for")
    page.get_by_label(re.compile("Checkpoint file")).set_input_files(str(bad))
    page.get_by_role("button", name="Verify against this checkpoint").click()
    page.wait_for_selector("text=The file is not a checkpoint")
    assert page.get_by_test_id("checkpoint-result").count() == 0
    journey.check(page, f"refused file {width}")
