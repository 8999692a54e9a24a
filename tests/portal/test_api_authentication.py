"""API tokens are knox's: a request with a token is that user; a wrong, expired, revoked or
malformed token is DRF's 401 with the `WWW-Authenticate: Token` challenge; the lookup is one
statement."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from tests.conftest import api_for

pytestmark = pytest.mark.django_db


def test_a_request_with_a_token_is_that_user(consented_client, thread):
    r = api_for(consented_client).get("/api/v1/threads")
    assert r.status_code == 200 and [t["client_id"] for t in r.json()] == [consented_client.pk]


def test_an_unknown_token_is_401_with_the_challenge():
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION="Token " + "f" * 64)
    r = c.get("/api/v1/threads")
    assert r.status_code == 401 and r.json()["detail"] == "Invalid token."
    assert r["WWW-Authenticate"] == "Token"


def test_no_credentials_is_401_with_the_challenge():
    r = APIClient().get("/api/v1/threads")
    assert r.status_code == 401 and r["WWW-Authenticate"] == "Token"


@pytest.mark.parametrize("header", ["Token zz\u00e9\u00e9", "Token \u00ff" * 1, "Token", "Token a b"])
def test_a_malformed_token_is_401_not_500(header):
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=header)
    r = c.get("/api/v1/threads")
    assert r.status_code == 401 and r["WWW-Authenticate"] == "Token"


def test_an_inactive_users_token_is_401(therapist):
    c = api_for(therapist)
    therapist.is_active = False
    therapist.save(update_fields=["is_active"])
    r = c.get("/api/v1/threads")
    assert r.status_code == 401 and r.json()["detail"] == "User inactive or deleted."


def test_a_deleted_token_no_longer_works(therapist):
    c = api_for(therapist)
    assert c.get("/api/v1/threads").status_code == 200
    AuthToken.objects.filter(user=therapist).delete()
    assert c.get("/api/v1/threads").status_code == 401


def test_an_expired_token_is_401_and_is_deleted(therapist):
    c = api_for(therapist)
    assert c.get("/api/v1/threads").status_code == 200
    AuthToken.objects.filter(user=therapist).update(expiry=timezone.now() - timedelta(seconds=1))
    r = c.get("/api/v1/threads")
    assert r.status_code == 401 and r.json()["detail"] == "Invalid token."
    assert not AuthToken.objects.filter(user=therapist).exists()


def test_the_token_is_stored_hashed(therapist):
    c = api_for(therapist)
    key = c._credentials["HTTP_AUTHORIZATION"].split()[1]  # type: ignore[attr-defined]  # the key api_for set
    (row,) = AuthToken.objects.filter(user=therapist).values("digest", "token_key")
    assert key not in row["digest"] and len(row["digest"]) == 128
    assert row["token_key"] == key[:15]


def test_the_lookup_is_one_statement(therapist):
    c = api_for(therapist)
    c.get("/api/v1/threads")  # warm up the connection
    from portal.api.authentication import TokenAuthentication

    key = c._credentials["HTTP_AUTHORIZATION"].split()[1].encode()  # type: ignore[attr-defined]  # the key api_for set
    with CaptureQueriesContext(connection) as ctx:
        user, token = TokenAuthentication().authenticate_credentials(key)
    assert user.pk == therapist.pk and token.user_id == therapist.pk
    assert len(ctx.captured_queries) == 1
