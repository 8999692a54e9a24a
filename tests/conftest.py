"""Personas: a practice with its admin, a therapist and a client, and the same in another
practice. Policies, consents and threads are made through the services, as users make them."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from rest_framework.test import APIClient

from tests.factories import PASSWORD, AdminFactory, ClientFactory, PracticeFactory, TherapistFactory

# The raw JSON object the editor and the API send (validate_rules's input; the project types
# rules as a plain dict): nested values of mixed kinds, which tests copy and change freely.
GOOD_RULES: dict[str, Any] = {
    "timezone": "America/New_York",
    "crisis_resources": "If you are in danger call 911, or call or text 988.",
    "after_hours_reply": "I read messages on weekdays 9-17 and reply within one business day.",
    "reconsent_grace_days": 14,
    "categories": {
        "emergency": {"allowed": True, "channels": ["portal", "phone"], "outside_hours": "deliver"},
        "administrative": {
            "allowed": True,
            "channels": ["portal", "email"],
            "windows": [{"days": ["mon", "tue", "wed", "thu", "fri"], "start": "09:00", "end": "17:00"}],
            "outside_hours": "hold",
            "response_hours": 24,
        },
        "check_in": {
            "allowed": True,
            "channels": ["portal"],
            "windows": [{"days": ["tue", "thu"], "start": "12:00", "end": "13:00"}],
            "outside_hours": "block",
            "max_per_week": 2,
        },
        "scheduled_call": {
            "allowed": True,
            "channels": ["phone", "video"],
            "max_minutes": 15,
            "windows": [{"days": ["mon", "wed"], "start": "10:00", "end": "12:00"}],
        },
        "personal": {"allowed": False},
    },
    "pause_after_crisis": {"hours": 24, "categories": ["check_in", "scheduled_call"]},
}


@pytest.fixture
def rules():
    return copy.deepcopy(GOOD_RULES)


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def practice(db):
    return PracticeFactory(name="Alpha Practice")


@pytest.fixture
def admin(practice):
    return AdminFactory(practice=practice, email="admin@alpha.test", full_name="Alex Admin")


@pytest.fixture
def therapist(practice):
    return TherapistFactory(practice=practice, email="therapist@alpha.test", full_name="Dr Taylor Reed")


@pytest.fixture
def client_user(therapist):
    return ClientFactory(therapist=therapist, email="client@alpha.test", full_name="Casey Client")


@pytest.fixture
def other_practice(db):
    return PracticeFactory(name="Beta Practice")


@pytest.fixture
def other_admin(other_practice):
    return AdminFactory(practice=other_practice, email="admin@beta.test")


@pytest.fixture
def other_therapist(other_practice):
    return TherapistFactory(practice=other_practice, email="therapist@beta.test", full_name="Dr Other")


@pytest.fixture
def colleague(practice):
    """Another therapist in the same practice."""
    return TherapistFactory(practice=practice, email="colleague@alpha.test", full_name="Dr Colleague")


@pytest.fixture
def other_client(colleague):
    """A client of another therapist in the same practice."""
    return ClientFactory(therapist=colleague, email="otherclient@alpha.test", full_name="Olive Other")


def api_for(user=None) -> APIClient:
    c = APIClient()
    if user is not None:
        from portal.security import issue_api_token

        key, _ = issue_api_token(user)
        c.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return c


@pytest.fixture
def api():
    return api_for


# --- Policies, invitations and consents, made through the services ---------------------


def publish_policy(therapist, rules=None):
    from policies.services import policy_draft_save, policy_publish

    draft = policy_draft_save(therapist=therapist, rules=copy.deepcopy(rules or GOOD_RULES))
    return policy_publish(version=draft, actor=therapist)


def onboard_client(therapist, *, email="casey@example.test", full_name="Casey Client", password=PASSWORD):
    """Invite and accept: returns (client, thread)."""
    from portal.onboarding import invitation_accept, invitation_create

    _, token = invitation_create(therapist=therapist, email=email, full_name=full_name)
    client, thread, _ = invitation_accept(token=token, password=password)
    return client, thread


def sign_consent(client, channels=("portal", "phone", "email")):
    from consent.services import consent_sign
    from policies.selectors import current_version

    version = current_version(client.therapist_id)
    assert version is not None, "publish_policy first"
    return consent_sign(
        client=client,
        policy_version_id=version.pk,
        content_sha256=version.content_sha256,
        signature=client.full_name,
        channels=list(channels),
        acknowledged=True,
        ip_address="127.0.0.1",
        user_agent="pytest",
    )


@pytest.fixture
def published_policy(therapist):
    return publish_policy(therapist)


@pytest.fixture
def consented_client(therapist, published_policy):
    """A client of `therapist` with an active consent to the published policy; returns the client."""
    client, _ = onboard_client(therapist)
    sign_consent(client)
    client.refresh_from_db()
    return client


@pytest.fixture
def thread(consented_client):
    return consented_client.thread


def next_weekday(weekday: int, hour: int):
    """The weekday at that New York hour, a week or more from now, as a UTC instant."""
    from datetime import UTC, datetime, timedelta
    from zoneinfo import ZoneInfo

    ny = ZoneInfo("America/New_York")
    day = datetime.now(ny).date() + timedelta(days=7)
    day += timedelta(days=(weekday - day.weekday()) % 7)
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=ny).astimezone(UTC)


@pytest.fixture
def pending(consented_client, thread):
    """A held message and a booked call waiting on the client's consent: (message, call)."""
    from datetime import timedelta

    from messaging.services.calls import call_request
    from messaging.services.send import message_send

    saturday_23, monday_10 = next_weekday(5, 23), next_weekday(0, 10)
    held = message_send(
        sender=consented_client,
        thread=thread.pk,
        category="administrative",
        body="About the invoice",
        now=saturday_23,
    )
    call = call_request(
        sender=consented_client,
        thread=thread,
        start=monday_10 + timedelta(minutes=30),
        minutes=15,
        channel="phone",
        now=monday_10,
    )
    assert call.call is not None
    assert held.decision.outcome == "held" and call.call.status == "booked"
    return held.message, call.call


@pytest.fixture(autouse=True)
def _fresh_policy_cache():
    """Compiled policies are cached by version id, which never changes meaning in a real
    database; a test database reuses ids after a rollback, so each test starts empty."""
    from policies import selectors as policy_selectors

    policy_selectors._compiled.clear()
    yield
    policy_selectors._compiled.clear()
