"""What the simulator's tests share: New York wall times, and the evaluate endpoint's call."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.conftest import api_for


def local(y, mo, d, h, mi=0) -> datetime:
    """A New York wall time in November or December 2026 (EST, UTC-5), as a UTC instant."""
    return (
        datetime(y, mo, d, h + 5, mi, tzinfo=UTC)
        if h + 5 < 24
        else datetime(y, mo, d + 1, h + 5 - 24, mi, tzinfo=UTC)
    )


def evaluate(user, version, **body):
    payload = {"sender": "client", "category": "administrative", "channel": "portal", "body": "Hello"}
    payload.update(body)
    r = api_for(user).post(f"/api/v1/policies/{version.pk}/evaluate", payload, format="json")
    assert r.status_code == 200, r.content
    return r.json()
