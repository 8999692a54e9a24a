"""The activity stamp of the idle time-out is rewritten at most once a minute (issue 15): a
page opened seconds after the last one leaves the session as it is (a save is three
statements), and one opened a minute later extends it (tests/portal/test_sessions.py holds the
time-out itself)."""

from __future__ import annotations

import time

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.security import ACTIVITY_STEP, LAST_SEEN
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def logged_in(user) -> Client:
    c = Client()
    assert c.post(reverse("login"), {"username": user.email, "password": PASSWORD}).status_code == 302
    # The first page after log-in stores the two-factor state (rechecked every 5 minutes).
    assert c.get(reverse("consent:clients")).status_code == 200
    return c


def stamp(c: Client, seconds_ago: int) -> int:
    session = c.session
    session[LAST_SEEN] = int(time.time()) - seconds_ago
    session.save()
    return session[LAST_SEEN]


def session_writes(ctx: CaptureQueriesContext) -> list[str]:
    return [
        q["sql"]
        for q in ctx.captured_queries
        if "django_session" in q["sql"] and q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT"))
    ]


def expiry(c: Client):
    return Session.objects.get(session_key=c.session.session_key).expire_date


def test_a_page_soon_after_the_last_leaves_the_session_unwritten(therapist):
    c = logged_in(therapist)
    before = stamp(c, ACTIVITY_STEP - 5)
    expires = expiry(c)
    with CaptureQueriesContext(connection) as ctx:
        assert c.get(reverse("consent:clients")).status_code == 200
    assert session_writes(ctx) == []
    assert c.session[LAST_SEEN] == before
    assert expiry(c) == expires


def test_a_page_a_minute_later_extends_the_session(therapist):
    c = logged_in(therapist)
    before = stamp(c, ACTIVITY_STEP)
    expires = expiry(c)
    with CaptureQueriesContext(connection) as ctx:
        assert c.get(reverse("consent:clients")).status_code == 200
    assert len(session_writes(ctx)) == 1
    assert c.session[LAST_SEEN] >= before + ACTIVITY_STEP - 1
    assert expiry(c) > expires  # the row's expiry moves with the stamp
