"""Passwords people forget: Django's reset views with the portal's templates. The same answer
whether or not the address exists; a link that works once and for an hour; throttled per
address and per IP; audit events; every session and token ended; an e-mail that says
nothing about therapy. The login page links to it."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from knox.models import AuthToken

from audit.models import AuditEvent
from tests.conftest import api_for
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Fresh-horse-7719!"


@pytest.fixture(autouse=True)
def _clean_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def ask(c: Client, email: str, **extra):
    return c.post(reverse("password_reset"), {"email": email}, **extra)


def link_in(message) -> str:
    (url,) = re.findall(r"https?://\S+/accounts/reset/\S+/", message.body)
    return url


def path_of(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def test_the_login_page_links_to_the_reset():
    page = Client().get(reverse("login"))
    assert page.status_code == 200
    assert f'href="{reverse("password_reset")}"' in page.content.decode()


def test_the_answer_is_the_same_whether_or_not_the_address_exists(therapist):
    known, unknown = ask(Client(), therapist.email), ask(Client(), "nobody@nowhere.test")
    assert known.status_code == unknown.status_code == 302
    assert known.url == unknown.url == reverse("password_reset_done")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [therapist.email]
    done = Client().get(reverse("password_reset_done")).content.decode()
    assert "If that address belongs to an account" in done


def test_the_email_says_nothing_about_therapy(therapist, settings):
    settings.PORTAL_BASE_URL = "https://portal.example.org"
    settings.ALLOWED_HOSTS = ["testserver", "evil.example.com"]  # even a host let in by mistake
    ask(Client(), therapist.email, HTTP_HOST="evil.example.com")
    (msg,) = mail.outbox
    assert isinstance(msg, mail.EmailMultiAlternatives)  # the HTML part too
    html = msg.alternatives[0][0]
    assert isinstance(html, str)
    for text in (msg.subject, msg.body, html):
        lowered = text.lower()
        for word in (
            "therap",
            "counsel",
            "client",
            "session",
            "mental",
            "health",
            "clinic",
            therapist.practice.name.lower(),
            therapist.full_name.lower(),
        ):
            assert word not in lowered, (word, text)
    # The link is built from PORTAL_BASE_URL, never from the Host header the request sent.
    assert link_in(msg).startswith("https://portal.example.org/accounts/reset/")
    assert "evil.example.com" not in msg.body + html


def test_the_link_sets_a_new_password_once_and_ends_every_session_and_token(therapist):
    laptop = Client()
    laptop.force_login(therapist)
    assert laptop.get(reverse("consent:clients")).status_code == 200
    token = api_for(therapist)
    assert token.get("/api/v1/threads").status_code == 200

    ask(Client(), therapist.email)
    url = path_of(link_in(mail.outbox[0]))
    c = Client()
    form = c.get(url, follow=True)
    assert form.status_code == 200 and form.context["validlink"]
    set_url = form.redirect_chain[-1][0]
    done = c.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302 and done["Location"] == reverse("password_reset_complete")

    therapist.refresh_from_db()
    assert therapist.check_password(NEW_PASSWORD)
    assert laptop.get(reverse("consent:clients")).status_code == 302  # that session is over
    assert token.get("/api/v1/threads").status_code == 401
    assert not AuthToken.objects.filter(user=therapist).exists()
    actions = list(
        AuditEvent.objects.filter(object_id=therapist.pk, action__startswith="auth.password_reset")
        .order_by("seq", "id")  # an event not yet sealed has no seq: then by id
        .values_list("action", flat=True)
    )
    assert actions == ["auth.password_reset_requested", "auth.password_reset_completed"]

    again = Client().get(url, follow=True)  # the same link a second time
    assert again.status_code == 200 and not again.context["validlink"]
    assert "no longer works" in again.content.decode()


def test_a_weak_new_password_is_refused_and_nothing_changes(therapist):
    ask(Client(), therapist.email)
    c = Client()
    form = c.get(path_of(link_in(mail.outbox[0])), follow=True)
    r = c.post(form.redirect_chain[-1][0], {"new_password1": "password", "new_password2": "password"})
    assert r.status_code == 200 and r.context["form"].errors["new_password2"]
    therapist.refresh_from_db()
    assert therapist.check_password(PASSWORD)
    assert not AuditEvent.objects.filter(action="auth.password_reset_completed").exists()


def test_the_link_expires_after_an_hour(therapist, settings):
    from unittest import mock

    ask(Client(), therapist.email)
    url = path_of(link_in(mail.outbox[0]))
    from django.contrib.auth.tokens import default_token_generator

    later = default_token_generator._now() + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 1)
    with mock.patch.object(type(default_token_generator), "_now", return_value=later):
        r = Client().get(url, follow=True)
    assert not r.context["validlink"]
    assert settings.PASSWORD_RESET_TIMEOUT == 3600


def test_requests_are_throttled_per_address(therapist, settings):
    settings.PORTAL_PASSWORD_RESET_PER_ADDRESS = 2
    for n in range(2):
        assert ask(Client(REMOTE_ADDR=f"10.0.0.{n}"), therapist.email).status_code == 302
    r = ask(Client(REMOTE_ADDR="10.0.0.9"), therapist.email.upper())
    assert r.status_code == 429 and "Too many password reset requests for this address" in r.content.decode()
    assert len(mail.outbox) == 2
    # An unknown address is throttled the same way: the limit tells nothing about who exists.
    for n in range(2):
        ask(Client(REMOTE_ADDR=f"10.0.1.{n}"), "nobody@nowhere.test")
    assert ask(Client(REMOTE_ADDR="10.0.1.9"), "nobody@nowhere.test").status_code == 429


def test_requests_are_throttled_per_ip(therapist, colleague, settings):
    settings.PORTAL_PASSWORD_RESET_PER_IP = 3
    c = Client(REMOTE_ADDR="192.0.2.7")
    for n in range(3):
        assert ask(c, f"someone{n}@nowhere.test").status_code == 302
    r = ask(c, therapist.email)
    assert r.status_code == 429 and "from your address" in r.content.decode()
    assert mail.outbox == []
    assert ask(Client(REMOTE_ADDR="192.0.2.8"), colleague.email).status_code == 302  # another address
    assert len(mail.outbox) == 1


def test_the_ip_throttle_reads_the_forwarded_address_only_behind_trusted_proxies(settings):
    settings.PORTAL_PASSWORD_RESET_PER_IP = 1
    # No proxy configured: a client that rotates X-Forwarded-For is still one address.
    c = Client(REMOTE_ADDR="192.0.2.7")
    assert ask(c, "a@nowhere.test", HTTP_X_FORWARDED_FOR="203.0.113.1").status_code == 302
    assert ask(c, "b@nowhere.test", HTTP_X_FORWARDED_FOR="203.0.113.2").status_code == 429
    # Behind one proxy (the load balancer's address is REMOTE_ADDR), clients are told apart.
    settings.PORTAL_TRUSTED_PROXIES = 1
    lb = Client(REMOTE_ADDR="10.9.9.9")
    assert ask(lb, "c@nowhere.test", HTTP_X_FORWARDED_FOR="203.0.113.3").status_code == 302
    assert ask(lb, "d@nowhere.test", HTTP_X_FORWARDED_FOR="203.0.113.4").status_code == 302
    assert ask(lb, "e@nowhere.test", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.4").status_code == 429


def test_changing_the_password_revokes_every_token_and_other_sessions(therapist):
    me, other = Client(), Client()
    me.force_login(therapist)
    other.force_login(therapist)
    token = api_for(therapist)
    r = me.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert r.status_code == 302 and r["Location"] == reverse("password_change_done")
    assert me.get(reverse("consent:clients")).status_code == 200  # this session carries on
    assert other.get(reverse("consent:clients")).status_code == 302
    assert token.get("/api/v1/threads").status_code == 401
    assert AuditEvent.objects.filter(action="auth.password_changed", object_id=therapist.pk).exists()


def test_a_wrong_old_password_changes_nothing(therapist):
    me = Client()
    me.force_login(therapist)
    token = api_for(therapist)
    r = me.post(
        reverse("password_change"),
        {"old_password": "not-it-at-all", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert r.status_code == 200 and r.context["form"].errors["old_password"]
    assert token.get("/api/v1/threads").status_code == 200
    therapist.refresh_from_db()
    assert therapist.check_password(PASSWORD)
