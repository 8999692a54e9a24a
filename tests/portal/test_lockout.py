"""Lockout that is not a denial of service: five wrong passwords from one address lock that
address out of that account, not the account for everyone. Behind the load balancer the client's
address is read from X-Forwarded-For with PORTAL_TRUSTED_PROXIES trusted proxies, for axes and
for the IP a consent records; with none configured the header is never read. A locked-out API
login answers 429 with a JSON body."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from rest_framework.test import APIClient

from consent.models import Consent
from policies.selectors import current_version
from portal.security import client_ip
from tests.conftest import api_for
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

WRONG = "wrong-password-1"


def fail_logins(user, n, **meta):
    for _ in range(n):
        Client(**meta).post(reverse("login"), {"username": user.email, "password": WRONG})


def login(user, **meta):
    return Client(**meta).post(reverse("login"), {"username": user.email, "password": PASSWORD})


def test_the_locked_address_is_refused_and_the_owner_elsewhere_gets_in(therapist, settings):
    fail_logins(therapist, settings.AXES_FAILURE_LIMIT, REMOTE_ADDR="198.51.100.66")
    locked = login(therapist, REMOTE_ADDR="198.51.100.66")
    assert locked.status_code == 429 and "Too many failed logins" in locked.content.decode()
    assert login(therapist, REMOTE_ADDR="203.0.113.10").status_code == 302  # the owner, from home


def test_the_api_answers_429_json_while_locked_out(therapist, settings):
    api = APIClient(REMOTE_ADDR="198.51.100.66")
    body = {"email": therapist.email, "password": WRONG}
    answers = [
        api.post("/api/v1/auth/token", body, format="json").status_code
        for _ in range(settings.AXES_FAILURE_LIMIT - 1)
    ]
    assert answers == [400] * (settings.AXES_FAILURE_LIMIT - 1)
    api.post("/api/v1/auth/token", body, format="json")
    r = api.post("/api/v1/auth/token", {**body, "password": PASSWORD}, format="json")
    assert r.status_code == 429 and r["Content-Type"] == "application/json"
    assert "Too many failed logins" in r.json()["detail"] and int(r["Retry-After"]) > 0
    elsewhere = APIClient(REMOTE_ADDR="203.0.113.10").post(
        "/api/v1/auth/token", {"email": therapist.email, "password": PASSWORD}, format="json"
    )
    assert elsewhere.status_code == 200


def test_without_trusted_proxies_x_forwarded_for_is_ignored(therapist, settings):
    assert settings.PORTAL_TRUSTED_PROXIES == 0
    # An attacker who rotates the header is still one address, and is locked out.
    for n in range(settings.AXES_FAILURE_LIMIT):
        Client(REMOTE_ADDR="198.51.100.66", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}").post(
            reverse("login"), {"username": therapist.email, "password": WRONG}
        )
    assert login(therapist, REMOTE_ADDR="198.51.100.66", HTTP_X_FORWARDED_FOR="10.0.0.200").status_code == 429


def test_behind_one_trusted_proxy_the_forwarded_client_is_locked_not_the_balancer(therapist, settings):
    settings.PORTAL_TRUSTED_PROXIES = 1
    lb = {"REMOTE_ADDR": "10.0.0.2"}
    fail_logins(therapist, settings.AXES_FAILURE_LIMIT, HTTP_X_FORWARDED_FOR="198.51.100.66", **lb)
    assert login(therapist, HTTP_X_FORWARDED_FOR="198.51.100.66", **lb).status_code == 429
    # A value the attacker put in front of the balancer's own entry changes nothing.
    assert login(therapist, HTTP_X_FORWARDED_FOR="203.0.113.10, 198.51.100.66", **lb).status_code == 429
    # Everyone else behind the same balancer still gets in.
    assert login(therapist, HTTP_X_FORWARDED_FOR="203.0.113.10", **lb).status_code == 302


@pytest.mark.parametrize(
    "proxies,forwarded,expected",
    [
        (0, "203.0.113.5", "192.0.2.1"),
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "6.6.6.6, 203.0.113.5", "203.0.113.5"),
        (2, "6.6.6.6, 203.0.113.5, 10.0.0.3", "203.0.113.5"),
        (2, "203.0.113.5", "192.0.2.1"),  # fewer entries than proxies: only the connection is known
        (1, "not-an-address", "192.0.2.1"),
        (1, "", "192.0.2.1"),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_client_ip(settings, proxies, forwarded, expected):
    settings.PORTAL_TRUSTED_PROXIES = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def _sign_through_api(client, **meta):
    version = current_version(client.therapist_id)
    assert version is not None
    return api_for(client).post(
        "/api/v1/consents",
        {
            "policy_version_id": version.pk,
            "content_sha256": version.content_sha256,
            "signature": client.full_name,
            "channels": ["portal"],
            "acknowledged": True,
        },
        format="json",
        **meta,
    )


@pytest.fixture
def unsigned_client(therapist, published_policy):
    from tests.conftest import onboard_client

    client, _ = onboard_client(therapist)
    return client


def test_a_consent_records_the_forwarded_client_behind_a_trusted_proxy(unsigned_client, settings):
    settings.PORTAL_TRUSTED_PROXIES = 1
    r = _sign_through_api(
        unsigned_client, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.5"
    )
    assert r.status_code == 201
    assert Consent.objects.get(pk=r.json()["id"]).ip_address == "203.0.113.5"


def test_a_consent_never_records_a_header_the_client_set_when_no_proxy_is_configured(unsigned_client):
    r = _sign_through_api(unsigned_client, REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="6.6.6.6")
    assert r.status_code == 201
    assert Consent.objects.get(pk=r.json()["id"]).ip_address == "198.51.100.7"
