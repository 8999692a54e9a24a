"""Idle sessions end after 30 minutes; background polls are not activity; "log out
everywhere" ends every session and revokes API tokens."""

from __future__ import annotations

import time

import pytest
from django.test import Client
from django.urls import reverse
from knox.models import AuthToken

from portal.security import LAST_SEEN
from tests.conftest import api_for
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def logged_in(user) -> Client:
    c = Client()
    assert c.post(reverse("login"), {"username": user.email, "password": PASSWORD}).status_code == 302
    return c


def age_session(c: Client, seconds: int) -> None:
    session = c.session
    session[LAST_SEEN] = int(time.time()) - seconds
    session.save()


def test_activity_keeps_the_session_and_idleness_ends_it(therapist, settings):
    c = logged_in(therapist)
    age_session(c, settings.SESSION_COOKIE_AGE - 60)
    assert c.get(reverse("consent:clients")).status_code == 200  # still within 30 minutes: refreshed
    assert c.session[LAST_SEEN] >= int(time.time()) - 5
    age_session(c, settings.SESSION_COOKIE_AGE + 1)
    r = c.get(reverse("consent:clients"))
    assert r.status_code == 302 and r["Location"].startswith(reverse("login"))
    assert c.get(reverse("consent:clients")).status_code == 302


def test_polling_is_not_activity(therapist, settings):
    c = logged_in(therapist)
    age_session(c, settings.SESSION_COOKIE_AGE - 60)
    before = c.session[LAST_SEEN]
    assert c.get(reverse("messaging:poll"), HTTP_X_PORTAL_POLL="1").status_code == 200
    assert c.session[LAST_SEEN] == before
    age_session(c, settings.SESSION_COOKIE_AGE + 1)
    r = c.get(reverse("messaging:poll"), HTTP_X_PORTAL_POLL="1")
    assert r.status_code == 401 and "log in" in r.json()["detail"]


def test_log_out_everywhere_ends_other_sessions_and_tokens(therapist):
    laptop, phone = logged_in(therapist), logged_in(therapist)
    token_a, token_b = api_for(therapist), api_for(therapist)
    assert phone.get(reverse("consent:clients")).status_code == 200
    assert token_a.get("/api/v1/threads").status_code == 200
    laptop.post(reverse("logout_everywhere"))
    assert phone.get(reverse("consent:clients")).status_code == 302
    assert not AuthToken.objects.filter(user=therapist).exists()
    assert token_a.get("/api/v1/threads").status_code == 401
    assert token_b.get("/api/v1/threads").status_code == 401
    therapist.refresh_from_db()
    assert therapist.session_generation == 1
