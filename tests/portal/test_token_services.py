"""The API's login and logout are services (portal.services.api_token_issue and
api_token_revoke): the token written or deleted and its audit event in one transaction; the
API views only call them."""

from __future__ import annotations

import pytest
from knox.models import AuthToken
from rest_framework.test import APIClient

from audit.models import AuditEvent
from portal import services
from portal.security import issue_api_token
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_issuing_writes_the_token_and_its_event(therapist):
    key, expiry = services.api_token_issue(user=therapist)
    (token,) = AuthToken.objects.filter(user=therapist)
    assert token.token_key == key[: len(token.token_key)] and token.expiry == expiry
    assert AuditEvent.objects.filter(action="auth.token_issued", object_id=therapist.pk).count() == 1


def test_revoking_deletes_that_token_only_and_records_it(therapist):
    issue_api_token(therapist)
    issue_api_token(therapist)
    first, second = AuthToken.objects.filter(user=therapist).order_by("created")
    services.api_token_revoke(token=first, user=therapist)
    assert list(AuthToken.objects.filter(user=therapist)) == [second]
    assert AuditEvent.objects.filter(action="auth.token_revoked", object_id=therapist.pk).count() == 1


def test_a_revocation_whose_event_fails_keeps_the_token(therapist, monkeypatch):
    """One transaction: no token is gone without its audit event."""
    issue_api_token(therapist)
    token = AuthToken.objects.get(user=therapist)
    pk = token.pk

    def fail(**kwargs):
        raise RuntimeError("the audit write failed")

    monkeypatch.setattr(services, "record", fail)
    with pytest.raises(RuntimeError):
        services.api_token_revoke(token=token, user=therapist)
    assert AuthToken.objects.filter(pk=pk).exists()


def test_an_account_of_no_practice_has_no_chain_to_record_in(django_user_model):
    root = django_user_model.objects.create_superuser("root@platform.test", PASSWORD)
    key, _ = services.api_token_issue(user=root)
    services.api_token_revoke(token=AuthToken.objects.get(user=root), user=root)
    assert key and not AuthToken.objects.filter(user=root).exists()
    assert not AuditEvent.objects.filter(object_id=root.pk).exists()


def test_the_api_views_call_the_services(therapist, monkeypatch):
    seen: list[str] = []
    issue, revoke = services.api_token_issue, services.api_token_revoke

    def spy_issue(**kwargs):
        seen.append("issue")
        return issue(**kwargs)

    def spy_revoke(**kwargs):
        seen.append("revoke")
        return revoke(**kwargs)

    monkeypatch.setattr(services, "api_token_issue", spy_issue)
    monkeypatch.setattr(services, "api_token_revoke", spy_revoke)
    r = APIClient().post(
        "/api/v1/auth/token", {"email": therapist.email, "password": PASSWORD}, format="json"
    )
    assert r.status_code == 200
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Token {r.json()['token']}")
    assert c.post("/api/v1/auth/logout").status_code == 204
    assert seen == ["issue", "revoke"]
