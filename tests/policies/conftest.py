"""Fixtures the policy page tests share."""

from __future__ import annotations

import pytest


@pytest.fixture
def tclient(client, therapist):
    client.force_login(therapist)
    return client
