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
