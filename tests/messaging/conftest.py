"""Fixtures the messaging page tests share."""

from __future__ import annotations

import pytest


@pytest.fixture
def web(client):
    """Django's test client (the persona fixture `client_user` is the portal's client)."""
    return client
