"""Logins, failed logins, lockouts and thread views are audit events; no password is recorded."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from tests.conftest import api_for
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_login_and_failed_login_are_recorded_without_the_password(client, therapist):
    client.post(reverse("login"), {"username": therapist.email, "password": "wrong-password-1"})
    client.post(reverse("login"), {"username": therapist.email, "password": PASSWORD})
    actions = list(
        AuditEvent.objects.filter(object_id=therapist.pk, action__startswith="auth.").values_list(
            "action", flat=True
        )
    )
    assert actions == ["auth.login_failed", "auth.login"]
    assert not AuditEvent.objects.filter(data__contains="wrong-password").exists()


def test_repeated_failures_lock_the_account_out_and_are_recorded(client, therapist, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": therapist.email, "password": "wrong-password-1"})
    locked = client.post(reverse("login"), {"username": therapist.email, "password": PASSWORD})
    assert locked.status_code == 429
    assert AuditEvent.objects.filter(action="auth.locked_out", object_id=therapist.pk).exists()
    r = api_for().post("/api/v1/auth/token", {"email": therapist.email, "password": PASSWORD}, format="json")
    assert r.status_code == 429 and "Too many failed logins" in r.json()["detail"]


def test_every_thread_view_is_recorded(thread, therapist, client):
    client.force_login(therapist)
    client.get(reverse("messaging:thread", args=[thread.pk]))
    api_for(therapist).get(f"/api/v1/threads/{thread.pk}/messages")
    assert (
        AuditEvent.objects.filter(action="thread.viewed", actor=therapist, object_id=thread.pk).count() == 2
    )
