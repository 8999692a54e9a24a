"""The token contract: POST /api/v1/auth/token answers 200 {"token","expiry"}, a new token at
every login, stored hashed, expiring PORTAL_TOKEN_HOURS after the login; earlier tokens keep
working until they expire or are revoked; POST /api/v1/auth/logout revokes the caller's
token (204, no body); the invitation accept answers a knox token too."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from audit.models import AuditEvent
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

ISO_Z = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?Z$")


def login(user, **extra):
    return APIClient().post(
        "/api/v1/auth/token", {"email": user.email, "password": PASSWORD, **extra}, format="json"
    )


def with_token(key: str) -> APIClient:
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return c


def test_a_login_answers_a_token_and_its_expiry(therapist, settings):
    before = timezone.now()
    r = login(therapist)
    assert r.status_code == 200 and set(r.json()) == {"token", "expiry"}
    expiry = r.json()["expiry"]
    assert ISO_Z.match(expiry), expiry
    at = datetime.fromisoformat(expiry.replace("Z", "+00:00"))
    hours = timedelta(hours=settings.PORTAL_TOKEN_HOURS)
    assert settings.PORTAL_TOKEN_HOURS == 10
    assert before + hours - timedelta(seconds=1) <= at <= timezone.now() + hours
    assert with_token(r.json()["token"]).get("/api/v1/threads").status_code == 200
    assert AuditEvent.objects.filter(action="auth.token_issued", object_id=therapist.pk).count() == 1


def test_every_login_gives_a_new_token_and_earlier_ones_keep_working(therapist):
    first, second = login(therapist).json()["token"], login(therapist).json()["token"]
    assert first != second
    assert AuthToken.objects.filter(user=therapist).count() == 2
    for key in (first, second):
        assert with_token(key).get("/api/v1/threads").status_code == 200
        assert not AuthToken.objects.filter(digest=key).exists()  # only the hash is kept
        assert not AuthToken.objects.filter(token_key=key).exists()


def test_the_token_hours_are_a_setting(therapist, settings):
    settings.REST_KNOX = {**settings.REST_KNOX, "TOKEN_TTL": timedelta(hours=2)}
    r = login(therapist)
    at = datetime.fromisoformat(r.json()["expiry"].replace("Z", "+00:00"))
    assert abs(at - (timezone.now() + timedelta(hours=2))) < timedelta(seconds=5)


def test_the_setting_is_read_from_the_environment_strictly(monkeypatch):
    import importlib

    from django.core.exceptions import ImproperlyConfigured

    import portal.settings.base as base

    monkeypatch.setenv("PORTAL_TOKEN_HOURS", "3")
    try:
        assert importlib.reload(base).REST_KNOX["TOKEN_TTL"] == timedelta(hours=3)
        for bad in ("0", "ten"):
            monkeypatch.setenv("PORTAL_TOKEN_HOURS", bad)
            with pytest.raises(ImproperlyConfigured, match="PORTAL_TOKEN_HOURS"):
                importlib.reload(base)
    finally:
        monkeypatch.delenv("PORTAL_TOKEN_HOURS")
        importlib.reload(base)


def test_an_expired_login_token_stops_working(therapist):
    key = login(therapist).json()["token"]
    AuthToken.objects.filter(user=therapist).update(expiry=timezone.now() - timedelta(minutes=1))
    assert with_token(key).get("/api/v1/threads").status_code == 401


def test_a_new_login_sweeps_the_users_expired_tokens(therapist):
    login(therapist)
    AuthToken.objects.filter(user=therapist).update(expiry=timezone.now() - timedelta(minutes=1))
    login(therapist)
    assert AuthToken.objects.filter(user=therapist).count() == 1


def test_bad_credentials_are_400_and_issue_nothing(therapist):
    r = APIClient().post(
        "/api/v1/auth/token", {"email": therapist.email, "password": "nope-nope-nope"}, format="json"
    )
    assert r.status_code == 400 and "non_field_errors" in r.json()
    assert not AuthToken.objects.exists()


@pytest.mark.parametrize(
    "body,field",
    [
        ({}, "email"),
        ({"email": "x@y.test"}, "password"),
        ({"email": "not-an-email", "password": "x"}, "email"),
        ([1, 2], "body"),
    ],
)
def test_malformed_login_bodies_are_400_with_the_field(body, field):
    r = APIClient().post("/api/v1/auth/token", body, format="json")
    assert r.status_code == 400 and field in r.json()


def test_logout_revokes_that_token_only(therapist):
    a, b = login(therapist).json()["token"], login(therapist).json()["token"]
    r = with_token(a).post("/api/v1/auth/logout")
    assert r.status_code == 204 and r.content == b""
    assert with_token(a).get("/api/v1/threads").status_code == 401
    assert with_token(b).get("/api/v1/threads").status_code == 200
    assert with_token(a).post("/api/v1/auth/logout").status_code == 401
    assert AuditEvent.objects.filter(action="auth.token_revoked", object_id=therapist.pk).count() == 1


def test_logout_needs_a_token(therapist):
    assert APIClient().post("/api/v1/auth/logout").status_code == 401
    session = APIClient()
    session.force_login(therapist)
    r = session.post("/api/v1/auth/logout")
    assert r.status_code == 401 and r["WWW-Authenticate"] == "Token"


def test_the_invitation_accept_answers_a_knox_token(therapist, published_policy):
    from portal.onboarding import invitation_create

    _, invite = invitation_create(therapist=therapist, email="new@example.test", full_name="New Client")
    r = APIClient().post(f"/api/v1/invitations/{invite}/accept", {"password": PASSWORD}, format="json")
    assert r.status_code == 201
    key = r.json()["token"]
    (token,) = AuthToken.objects.filter(user_id=r.json()["client_id"])
    assert token.token_key == key[:15] and token.expiry is not None
    assert with_token(key).get("/api/v1/threads").status_code == 200


def test_log_out_everywhere_revokes_every_token(therapist):
    keys = [login(therapist).json()["token"] for _ in range(2)]
    web = Client()
    web.force_login(therapist)
    web.post(reverse("logout_everywhere"))
    assert [with_token(k).get("/api/v1/threads").status_code for k in keys] == [401, 401]


def test_the_schema_documents_token_and_logout():
    paths = APIClient().get("/api/v1/schema?format=json").json()["paths"]
    token = paths["/api/v1/auth/token"]["post"]["responses"]
    assert {"200", "400", "429"} <= set(token)
    assert set(token["200"]["content"]["application/json"]["schema"]["$ref"].split("/")[-1:]) == {
        "TokenResponse"
    }
    assert "204" in paths["/api/v1/auth/logout"]["post"]["responses"]


def test_the_migration_drops_the_old_plain_tokens():
    import importlib

    from django.db import connection

    migration = importlib.import_module("portal.migrations.0002_drop_plain_api_tokens")
    with connection.cursor() as cur:
        cur.execute("CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, user_id integer)")
        cur.execute("INSERT INTO authtoken_token VALUES ('0123456789abcdef0123456789abcdef01234567', 1)")
        cur.execute(
            "INSERT INTO django_migrations (app, name, applied) VALUES ('authtoken', '0001_initial', %s)",
            [datetime.now(UTC)],
        )
    # What the migration's RunPython gets: the schema editor, for its connection.
    migration.drop_plain_tokens(None, SimpleNamespace(connection=connection))
    with connection.cursor() as cur:
        assert "authtoken_token" not in connection.introspection.table_names(cur)
        cur.execute("SELECT count(*) FROM django_migrations WHERE app = 'authtoken'")
        assert cur.fetchone()[0] == 0
    old = APIClient()
    old.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")
    assert old.get("/api/v1/threads").status_code == 401
