"""Onboarding and consent through the API: every status code of the contract."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from audit.models import BoundaryException
from consent.models import Consent
from portal.models import Invitation
from tests.conftest import GOOD_RULES, api_for, onboard_client, publish_policy, sign_consent

pytestmark = pytest.mark.django_db


def invite(therapist, email="robin@example.test", name="Robin Example"):
    return api_for(therapist).post("/api/v1/invitations", {"email": email, "full_name": name}, format="json")


def test_invitation_is_201_stored_hashed_and_mailed_without_clinical_content(
    therapist, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        r = invite(therapist)
    assert r.status_code == 201 and set(r.json()) == {"id", "token", "expires_at"}
    inv = Invitation.objects.get()
    assert r.json()["token"] not in inv.token_hash and len(inv.token_hash) == 64
    assert inv.expires_at - timezone.now() > timedelta(days=6, hours=23)
    (msg,) = mail.outbox
    text = (str(msg.subject) + str(msg.body)).lower()
    assert r.json()["token"] in msg.body
    for word in ("therap", "counsel", "policy", "consent", therapist.full_name.lower()):
        assert word not in text


def test_invitation_roles(client_user, admin, therapist):
    assert api_for().post("/api/v1/invitations", {}, format="json").status_code == 401
    assert (
        api_for(client_user)
        .post("/api/v1/invitations", {"email": "a@b.test", "full_name": "A"}, format="json")
        .status_code
        == 403
    )
    assert (
        api_for(admin)
        .post("/api/v1/invitations", {"email": "a@b.test", "full_name": "A"}, format="json")
        .status_code
        == 403
    )
    bad = api_for(therapist).post(
        "/api/v1/invitations", {"email": "not-an-email", "full_name": "A"}, format="json"
    )
    assert bad.status_code == 400 and "email" in bad.json()


def test_accept_creates_client_and_thread_once(therapist):
    token = invite(therapist).json()["token"]
    r = api_for().post(
        f"/api/v1/invitations/{token}/accept", {"password": "Strong-pass-7781!"}, format="json"
    )
    assert r.status_code == 201 and set(r.json()) == {"client_id", "thread_id", "token"}
    again = api_for().post(
        f"/api/v1/invitations/{token}/accept", {"password": "Strong-pass-7781!"}, format="json"
    )
    assert again.status_code == 410
    assert (
        api_for().post("/api/v1/invitations/nope/accept", {"password": "x"}, format="json").status_code == 404
    )


def test_accept_refuses_a_weak_password_and_an_expired_link(therapist):
    token = invite(therapist).json()["token"]
    weak = api_for().post(f"/api/v1/invitations/{token}/accept", {"password": "123"}, format="json")
    assert weak.status_code == 400 and "password" in weak.json()
    Invitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert (
        api_for()
        .post(f"/api/v1/invitations/{token}/accept", {"password": "Strong-pass-7781!"}, format="json")
        .status_code
        == 410
    )


@pytest.fixture
def fresh_client(therapist, published_policy):
    client, _ = onboard_client(therapist, full_name="Robin Example")
    return client


def consent_body(version, **kw):
    body = {
        "policy_version_id": version.pk,
        "content_sha256": version.content_sha256,
        "signature": "robin example ",
        "channels": ["portal", "email"],
        "acknowledged": True,
    }
    body.update(kw)
    return body


def test_sign_records_everything_and_answers_201(fresh_client, published_policy):
    r = api_for(fresh_client).post(
        "/api/v1/consents",
        consent_body(published_policy),
        format="json",
        HTTP_USER_AGENT="Browser/1.0",
        REMOTE_ADDR="10.1.2.3",
    )
    assert r.status_code == 201 and r.json()["status"] == "active"
    c = Consent.objects.get(pk=r.json()["id"])
    assert (c.policy_version_id, c.content_sha256, c.signed_name, c.ip_address, c.user_agent, c.channels) == (
        published_policy.pk,
        published_policy.content_sha256,
        "robin example",
        "10.1.2.3",
        "Browser/1.0",
        ["portal", "email"],
    )


@pytest.mark.parametrize(
    "change,field",
    [
        ({"signature": "Someone Else"}, "signature"),
        ({"acknowledged": False}, "acknowledged"),
        ({"channels": ["pigeon"]}, "channels"),
        ({"channels": ["sms"]}, "channels"),
        ({"channels": []}, "channels"),
    ],
)
def test_sign_400_names_the_field_and_stores_nothing(fresh_client, published_policy, change, field):
    r = api_for(fresh_client).post(
        "/api/v1/consents", consent_body(published_policy, **change), format="json"
    )
    assert r.status_code == 400 and field in r.json()
    assert not Consent.objects.exists()


def test_sign_409_when_the_policy_changed_while_reading(fresh_client, published_policy, therapist):
    stale = consent_body(published_policy)
    publish_policy(therapist, dict(GOOD_RULES, after_hours_reply="Changed."))
    assert api_for(fresh_client).post("/api/v1/consents", stale, format="json").status_code == 409
    wrong_hash = consent_body(published_policy, content_sha256="0" * 64)
    assert api_for(fresh_client).post("/api/v1/consents", wrong_hash, format="json").status_code == 409


def test_sign_roles(therapist, published_policy):
    assert (
        api_for(therapist).post("/api/v1/consents", consent_body(published_policy), format="json").status_code
        == 403
    )


def test_revoke_records_an_exception_and_notifies_the_therapist(
    fresh_client, therapist, django_capture_on_commit_callbacks
):
    consent = sign_consent(fresh_client)
    before = {f: getattr(consent, f) for f in Consent.FROZEN_FIELDS}
    assert (
        api_for(fresh_client)
        .post(f"/api/v1/consents/{consent.pk}/revoke", {"reason": " "}, format="json")
        .status_code
        == 400
    )
    with django_capture_on_commit_callbacks(execute=True):
        r = api_for(fresh_client).post(
            f"/api/v1/consents/{consent.pk}/revoke", {"reason": "moving away"}, format="json"
        )
    assert r.status_code == 200 and r.json() == {"id": consent.pk, "status": "revoked"}
    consent.refresh_from_db()
    assert {f: getattr(consent, f) for f in Consent.FROZEN_FIELDS} == before
    assert BoundaryException.objects.filter(kind="consent_revoked", client=fresh_client).count() == 1
    assert therapist.notifications.filter(kind="consent").exists()
    assert "moving away" not in "".join(str(m.body) + str(m.subject) for m in mail.outbox)
    assert (
        api_for(fresh_client)
        .post(f"/api/v1/consents/{consent.pk}/revoke", {"reason": "again"}, format="json")
        .status_code
        == 409
    )


def test_revoke_someone_elses_consent_is_404(fresh_client, therapist):
    consent = sign_consent(fresh_client)
    other, _ = onboard_client(therapist, email="other@example.test", full_name="Other Person")
    assert (
        api_for(other)
        .post(f"/api/v1/consents/{consent.pk}/revoke", {"reason": "x"}, format="json")
        .status_code
        == 404
    )


def test_fhir_consent_validates_with_the_r4b_model_and_goes_inactive(
    fresh_client, therapist, admin, other_admin, other_therapist
):
    from fhir.resources.R4B.consent import Consent as FhirConsent

    from consent.services import consent_revoke

    consent = sign_consent(fresh_client)
    for who in (fresh_client, therapist, admin):
        r = api_for(who).get(f"/api/v1/consents/{consent.pk}/fhir")
        assert r.status_code == 200
        FhirConsent.model_validate(r.json())
        assert r.json()["status"] == "active"
    for who in (other_admin, other_therapist):
        assert api_for(who).get(f"/api/v1/consents/{consent.pk}/fhir").status_code == 404
    consent_revoke(consent=consent, client=fresh_client, reason="done")
    r = api_for(fresh_client).get(f"/api/v1/consents/{consent.pk}/fhir")
    FhirConsent.model_validate(r.json())
    assert r.json()["status"] == "inactive"


def test_publishing_supersedes_asks_to_review_and_grace_governs(
    fresh_client, therapist, django_capture_on_commit_callbacks
):
    consent = sign_consent(fresh_client)
    with django_capture_on_commit_callbacks(execute=True):
        v2 = publish_policy(
            therapist, dict(GOOD_RULES, after_hours_reply="New reply.", reconsent_grace_days=7)
        )
    consent.refresh_from_db()
    assert consent.status == "superseded"
    assert consent.grace_until - v2.published_at == timedelta(days=7)
    assert fresh_client.notifications.filter(kind="consent").exists()
    threads = api_for(fresh_client).get("/api/v1/threads").json()
    assert threads[0]["governing_version_id"] == consent.policy_version_id
    # A third version makes the first consent two versions behind: it stops governing.
    publish_policy(therapist, dict(GOOD_RULES, after_hours_reply="Third."))
    assert api_for(fresh_client).get("/api/v1/threads").json()[0]["governing_version_id"] is None


def test_export_gives_the_clients_own_record(fresh_client):
    sign_consent(fresh_client)
    r = api_for(fresh_client).get("/api/v1/me/export")
    assert r.status_code == 200
    body = r.json()
    assert body["client"]["id"] == fresh_client.pk and len(body["consents"]) == 1
    assert set(body) == {"client", "consents", "messages", "calls"}
