"""Two-factor login: enrolment with recovery codes, the code step at login, the API's `otp`,
and a practice that requires it."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AuditEvent
from portal import two_factor
from tests.conftest import api_for
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def code_for(device: TOTPDevice) -> str:
    """The current code. The test clears django-otp's replay guard and failure throttle first:
    they are real (a code works once; failures slow the next try), but tests reuse a step."""
    TOTPDevice.objects.filter(pk=device.pk).update(
        last_t=-1, throttling_failure_count=0, throttling_failure_timestamp=None
    )
    device.refresh_from_db()
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def enrolled(user) -> list[str]:
    device = two_factor.pending_totp(user)
    codes = two_factor.confirm(user, device, code_for(device))
    assert codes is not None
    return codes


def test_enrolment_confirms_with_a_code_and_shows_ten_recovery_codes_once(client, therapist):
    client.force_login(therapist)
    page = client.get(reverse("two_factor_enrol"))
    assert page.status_code == 200 and "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=therapist, confirmed=False)
    assert client.post(reverse("two_factor_enrol"), {"code": "000000"}).status_code == 200
    assert not two_factor.is_enrolled(therapist)
    done = client.post(reverse("two_factor_enrol"), {"code": code_for(device)})
    assert len(done.context["codes"]) == 10 and two_factor.is_enrolled(therapist)
    assert AuditEvent.objects.filter(action="auth.two_factor_enrolled").exists()


def test_an_enrolled_account_is_asked_for_its_code_after_the_password(therapist):
    enrolled(therapist)
    c = Client()
    c.post(reverse("login"), {"username": therapist.email, "password": PASSWORD})
    r = c.get(reverse("consent:clients"))
    assert r.status_code == 302 and r["Location"].startswith(reverse("two_factor_verify"))
    assert c.post(reverse("two_factor_verify"), {"code": "123456"}).status_code == 200
    device = TOTPDevice.objects.get(user=therapist)
    c.post(reverse("two_factor_verify") + "?next=/consent/clients/", {"code": code_for(device)})
    assert c.get(reverse("consent:clients")).status_code == 200


def test_a_recovery_code_works_once(therapist):
    codes = enrolled(therapist)
    assert two_factor.verify(therapist, codes[0]) is not None
    assert two_factor.verify(therapist, codes[0]) is None
    assert AuditEvent.objects.filter(action="auth.recovery_code_used").count() == 1


def test_the_api_asks_enrolled_accounts_for_otp(therapist):
    api = api_for()
    body = {"email": therapist.email, "password": PASSWORD}
    assert api.post("/api/v1/auth/token", body, format="json").status_code == 200  # not enrolled yet: no otp
    enrolled(therapist)
    missing = api.post("/api/v1/auth/token", body, format="json")
    assert missing.status_code == 400 and "otp" in missing.json()
    wrong = api.post("/api/v1/auth/token", {**body, "otp": "000000"}, format="json")
    assert wrong.status_code == 400 and "otp" in wrong.json()
    device = TOTPDevice.objects.get(user=therapist)
    assert api.post("/api/v1/auth/token", {**body, "otp": code_for(device)}, format="json").status_code == 200


def test_a_practice_can_require_it(client, admin, therapist):
    client.force_login(admin)
    client.post(reverse("practice:security"), {"require_two_factor": "on"})
    therapist.practice.refresh_from_db()
    assert therapist.practice.require_two_factor
    t = Client()
    t.force_login(therapist)
    r = t.get(reverse("consent:clients"))
    assert r.status_code == 302 and r["Location"] == reverse("two_factor_enrol")
    assert AuditEvent.objects.filter(action="practice.two_factor_required").exists()
