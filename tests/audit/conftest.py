"""The admin's browser session and one boundary exception, shared by the audit page tests."""

from __future__ import annotations

import pytest

from audit.models import BoundaryException
from messaging.services.send import message_send


@pytest.fixture
def aclient(client, admin):
    client.force_login(admin)
    return client


@pytest.fixture
def blocked(thread, consented_client):
    """A client's blocked social invitation: one boundary exception of kind `blocked`."""
    result = message_send(
        sender=consented_client,
        thread=thread,
        category="personal",
        channel="portal",
        body="Coffee on Sunday?",
    )
    return BoundaryException.objects.get(message_id=result.message.pk)


@pytest.fixture
def checkpoint_dir(settings, tmp_path):
    """The sealer's checkpoint file in the test's own folder (test_checkpoints*.py use it for
    every test; test_verify_incremental.py and test_verify_page.py have their own)."""
    settings.PORTAL_AUDIT_CHECKPOINT_DIR = tmp_path / "checkpoints"
    return settings.PORTAL_AUDIT_CHECKPOINT_DIR
