"""Fixtures the messaging page tests share."""

from __future__ import annotations

import pytest
from django.utils import timezone


@pytest.fixture
def web(client):
    """Django's test client (the persona fixture `client_user` is the portal's client)."""
    return client


@pytest.fixture
def at_time(monkeypatch):
    """Pins django.utils.timezone.now, where the send path takes `now` from: at_time(when)."""

    def pin(when):
        monkeypatch.setattr(timezone, "now", lambda: when)

    return pin
