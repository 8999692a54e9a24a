"""API tokens: the prepared lookup finds exactly the user DRF's queryset finds, and answers
as DRF does when the token is wrong or its user is inactive."""

from __future__ import annotations

import pytest
from django.db import connection
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from portal.api.authentication import token_user
from tests.conftest import api_for

pytestmark = pytest.mark.django_db


def test_the_lookup_gives_the_user_the_queryset_gives(therapist):
    token, _ = Token.objects.get_or_create(user=therapist)
    by_orm = Token.objects.select_related("user").get(key=token.key).user
    found = token_user(token.key)
    assert found.pk == therapist.pk and not found._state.adding
    assert model_to_dict(found) == model_to_dict(by_orm)
    assert (found.password, found.last_login, found.date_joined, found.session_generation) == (
        by_orm.password, by_orm.last_login, by_orm.date_joined, by_orm.session_generation)
    assert token_user("0" * 40) is None


def test_a_request_with_a_token_is_that_user(consented_client, thread):
    r = api_for(consented_client).get("/api/v1/threads")
    assert r.status_code == 200 and [t["client_id"] for t in r.json()] == [consented_client.pk]


def test_an_unknown_token_is_401_with_the_challenge():
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION="Token " + "f" * 40)
    r = c.get("/api/v1/threads")
    assert r.status_code == 401 and r.json()["detail"] == "Invalid token."
    assert r["WWW-Authenticate"] == "Token"


def test_an_inactive_users_token_is_401(therapist):
    c = api_for(therapist)
    therapist.is_active = False
    therapist.save(update_fields=["is_active"])
    r = c.get("/api/v1/threads")
    assert r.status_code == 401 and r.json()["detail"] == "User inactive or deleted."


def test_a_deleted_token_no_longer_works(therapist):
    c = api_for(therapist)
    assert c.get("/api/v1/threads").status_code == 200
    Token.objects.filter(user=therapist).delete()
    assert c.get("/api/v1/threads").status_code == 401


def test_the_lookup_is_one_statement(therapist):
    token, _ = Token.objects.get_or_create(user=therapist)
    token_user(token.key)  # the first time on a connection also prepares it (PostgreSQL)
    with CaptureQueriesContext(connection) as ctx:
        token_user(token.key)
    (sql,) = [q["sql"] for q in ctx.captured_queries]
    assert sql.startswith("EXECUTE portal_" if connection.vendor == "postgresql" else "SELECT")
