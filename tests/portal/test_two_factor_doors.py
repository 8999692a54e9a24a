"""Two-factor login holds on every door. A session that has signed in with the password only
(second factor pending), or a therapist or admin whose practice requires two-factor login and
who has not enrolled, gets nothing: the API answers 401 exactly as without credentials, the
pages send them to the code (or the enrolment) page, and no token is issued."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken
from rest_framework.test import APIClient

from audit.models import AuditEvent
from portal import services, two_factor
from portal.errors import DomainError
from tests.conftest import api_for
from tests.factories import PASSWORD
from tests.portal.test_two_factor import code_for, enrolled

pytestmark = pytest.mark.django_db


def password_only(user) -> APIClient:
    """A browser session that gave the right password and no code, used against the API."""
    c = APIClient(enforce_csrf_checks=True)
    r = c.post(
        reverse("login"), {"username": user.email, "password": PASSWORD, "csrfmiddlewaretoken": csrf_of(c)}
    )
    assert r.status_code == 302
    return c


def csrf_of(c) -> str:
    c.get(reverse("login"))  # any page sets the cookie
    return c.cookies["csrftoken"].value


def assert_like_no_credentials(r, anon):
    assert r.status_code == anon.status_code == 401
    assert r.json() == anon.json()
    assert r["WWW-Authenticate"] == anon["WWW-Authenticate"] == "Token"


def test_a_password_only_session_reads_and_sends_nothing_through_the_api(thread, therapist):
    enrolled(therapist)
    c = password_only(therapist)
    anon = APIClient()
    url = f"/api/v1/threads/{thread.pk}/messages"
    assert_like_no_credentials(c.get(url), anon.get(url))
    assert_like_no_credentials(c.get("/api/v1/threads"), anon.get("/api/v1/threads"))
    body = {"category": "administrative", "channel": "portal", "body": "hello"}
    sent = c.post(url, body, format="json", HTTP_X_CSRFTOKEN=csrf_of(c))
    assert_like_no_credentials(sent, anon.post(url, body, format="json"))
    assert not thread.messages.filter(sender=therapist).exists()
    # The HTML door sends it to the code page, as before.
    page = c.get(reverse("consent:clients"))
    assert page.status_code == 302 and page["Location"].startswith(reverse("two_factor_verify"))


def test_after_the_code_the_same_session_works_in_the_api(thread, therapist):
    enrolled(therapist)
    c = password_only(therapist)
    device = TOTPDevice.objects.get(user=therapist)
    c.post(reverse("two_factor_verify"), {"code": code_for(device)}, HTTP_X_CSRFTOKEN=csrf_of(c))
    assert c.get(f"/api/v1/threads/{thread.pk}/messages").status_code == 200


def test_an_enrolled_clients_password_only_session_gets_nothing(thread, consented_client):
    enrolled(consented_client)
    c = password_only(consented_client)
    assert c.get("/api/v1/threads").status_code == 401
    page = c.get(reverse("messaging:client_home"))
    assert page.status_code == 302 and page["Location"].startswith(reverse("two_factor_verify"))


def test_a_session_of_an_account_that_needs_no_second_factor_still_works(thread, consented_client):
    c = password_only(consented_client)
    assert c.get("/api/v1/threads").status_code == 200


def test_a_password_only_session_cannot_enrol_another_authenticator(therapist):
    enrolled(therapist)
    c = password_only(therapist)
    r = c.get(reverse("two_factor_enrol"))
    assert r.status_code == 302 and r["Location"].startswith(reverse("two_factor_verify"))
    r = c.post(reverse("two_factor_enrol"), {"code": "123456"}, HTTP_X_CSRFTOKEN=csrf_of(c))
    assert r.status_code == 302 and r["Location"].startswith(reverse("two_factor_verify"))
    assert TOTPDevice.objects.filter(user=therapist).count() == 1  # no second, unconfirmed device


def test_a_password_only_session_cannot_log_out_everywhere(therapist):
    enrolled(therapist)
    owner = api_for(therapist)  # the owner's API token (issued before the attempt)
    c = password_only(therapist)
    r = c.post(reverse("logout_everywhere"), HTTP_X_CSRFTOKEN=csrf_of(c))
    assert r.status_code == 302 and r["Location"].startswith(reverse("two_factor_verify"))
    therapist.refresh_from_db()
    assert therapist.session_generation == 0
    assert owner.get("/api/v1/threads").status_code == 200
    assert c.post(reverse("logout"), HTTP_X_CSRFTOKEN=csrf_of(c)).status_code == 302  # it may log itself out


@pytest.fixture
def requiring(practice):
    practice.require_two_factor = True
    practice.save(update_fields=["require_two_factor"])
    return practice


def test_practice_requires_it_unenrolled_staff_get_no_token(requiring, therapist, admin):
    for user in (therapist, admin):
        r = APIClient().post("/api/v1/auth/token", {"email": user.email, "password": PASSWORD}, format="json")
        assert r.status_code == 400
        message = " ".join(r.json()["non_field_errors"])
        assert "requires two-factor" in message and "browser" in message
    assert not AuthToken.objects.filter(user__in=[therapist, admin]).exists()


def test_practice_requires_it_unenrolled_staff_session_api_is_401(requiring, thread, therapist, admin):
    for user in (therapist, admin):
        c = password_only(user)
        assert c.get("/api/v1/threads").status_code == 401
        assert c.get("/api/v1/audit/exceptions").status_code == 401


def test_practice_requires_it_clients_are_not_asked(requiring, thread, consented_client):
    r = APIClient().post(
        "/api/v1/auth/token", {"email": consented_client.email, "password": PASSWORD}, format="json"
    )
    assert r.status_code == 200
    assert password_only(consented_client).get("/api/v1/threads").status_code == 200


def test_practice_requires_it_once_enrolled_a_token_with_otp(requiring, therapist):
    enrolled(therapist)
    device = TOTPDevice.objects.get(user=therapist)
    r = APIClient().post(
        "/api/v1/auth/token",
        {"email": therapist.email, "password": PASSWORD, "otp": code_for(device)},
        format="json",
    )
    assert r.status_code == 200 and r.json()["token"]


def test_enrolling_revokes_every_token(therapist):
    first, second = api_for(therapist), api_for(therapist)
    enrolled(therapist)
    assert first.get("/api/v1/threads").status_code == 401
    assert second.get("/api/v1/threads").status_code == 401
    assert not AuthToken.objects.filter(user=therapist).exists()


def _verified_admin_client(admin) -> Client:
    enrolled(admin)
    c = Client()
    c.post(reverse("login"), {"username": admin.email, "password": PASSWORD})
    c.post(reverse("two_factor_verify"), {"code": code_for(TOTPDevice.objects.get(user=admin))})
    return c


def test_an_unenrolled_admin_cannot_switch_the_requirement_off(requiring, admin):
    c = Client()
    c.force_login(admin)
    r = c.post(reverse("practice:security"), {})
    assert r.status_code == 302
    requiring.refresh_from_db()
    assert requiring.require_two_factor
    assert not AuditEvent.objects.filter(action="practice.two_factor_optional").exists()
    # The service refuses too, whatever door asks.
    with pytest.raises(DomainError, match="Set up two-factor login for your own account"):
        services.practice_two_factor_set(
            practice=requiring, admin=admin, required=False, admin_enrolled=False
        )
    requiring.refresh_from_db()
    assert requiring.require_two_factor


def test_an_enrolled_admin_can_switch_it_off(requiring, admin):
    c = _verified_admin_client(admin)
    c.post(reverse("practice:security"), {})
    requiring.refresh_from_db()
    assert not requiring.require_two_factor
    assert AuditEvent.objects.filter(action="practice.two_factor_optional").exists()


def test_an_unenrolled_admin_can_still_switch_it_on(practice, admin):
    c = Client()
    c.force_login(admin)
    c.post(reverse("practice:security"), {"require_two_factor": "on"})
    practice.refresh_from_db()
    assert practice.require_two_factor


def test_session_passes_reads_the_database(therapist):
    assert two_factor.session_passes(therapist)
    enrolled(therapist)
    assert not two_factor.session_passes(therapist)


def test_requiring_it_revokes_the_tokens_of_staff_who_have_not_enrolled(
    practice, admin, therapist, colleague, consented_client
):
    enrolled(colleague)
    tokens = {u: api_for(u) for u in (admin, therapist, colleague, consented_client)}
    services.practice_two_factor_set(practice=practice, admin=admin, required=True, admin_enrolled=False)
    answers = {
        u: c.get("/api/v1/threads" if u != admin else "/api/v1/audit/exceptions").status_code
        for u, c in tokens.items()
    }
    assert answers == {admin: 401, therapist: 401, colleague: 200, consented_client: 200}
