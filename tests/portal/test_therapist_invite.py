"""Admins invite therapists by e-mail, as therapists invite clients: a link that works once
and expires, the therapist chooses their own password; the API's POST /therapists stays."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from portal.models import TherapistInvitation, User
from portal.onboarding import therapist_invitation_create
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def aclient(client, admin):
    client.force_login(admin)
    return client


def _invite(aclient, django_capture_on_commit_callbacks, **extra):
    data = {
        "full_name": "Dr Jordan Lee",
        "email": "Jordan.Lee@alpha.test",
        "timezone": "Europe/Berlin",
        **extra,
    }
    with django_capture_on_commit_callbacks(execute=True):
        return aclient.post(reverse("practice:therapists"), data)


def _link(message) -> str:
    found = re.search(r"https?://\S+/invite/therapist/[\w-]+/", message.body)
    assert found, message.body
    return found.group(0)


def test_the_page_invites_by_email_and_asks_no_password(aclient):
    html = aclient.get(reverse("practice:therapists")).content.decode()
    assert "Send invitation" in html and 'type="password"' not in html


def test_an_invitation_sends_a_one_time_link_without_the_password(
    aclient, admin, django_capture_on_commit_callbacks
):
    resp = _invite(aclient, django_capture_on_commit_callbacks)
    assert resp.status_code == 302
    inv = TherapistInvitation.objects.get()
    assert (
        inv.email == "jordan.lee@alpha.test"
        and inv.practice_id == admin.practice_id
        and inv.status == "pending"
    )
    assert not User.objects.filter(email="jordan.lee@alpha.test").exists()
    [message] = mail.outbox
    assert message.to == ["jordan.lee@alpha.test"] and "Alpha Practice" in message.body
    link = _link(message)
    assert link.rsplit("/", 2)[-2] not in inv.token_hash  # only the hash is kept
    assert AuditEvent.objects.filter(action="therapist_invitation.created", actor=admin).exists()
    page = aclient.get(reverse("practice:therapists")).content.decode()
    assert "Dr Jordan Lee" in page and "Link valid until" in page


def test_the_therapist_sets_their_own_password_once(
    client, aclient, admin, django_capture_on_commit_callbacks
):
    _invite(aclient, django_capture_on_commit_callbacks, also_admin="on")
    path = "/" + _link(mail.outbox[0]).split("/", 3)[3]
    client.logout()
    page = client.get(path)
    assert page.status_code == 200 and "Welcome, Dr Jordan Lee" in page.content.decode()
    resp = client.post(path, {"password": PASSWORD, "password2": PASSWORD})
    assert resp.status_code == 302
    t = User.objects.get(email="jordan.lee@alpha.test")
    assert t.is_therapist and t.is_practice_admin and t.practice_id == admin.practice_id
    assert t.timezone == "Europe/Berlin" and t.check_password(PASSWORD)
    assert TherapistInvitation.objects.get().therapist_id == t.pk
    assert AuditEvent.objects.filter(action="therapist_invitation.accepted", therapist_id=t.pk).exists()
    client.logout()
    again = client.post(path, {"password": PASSWORD, "password2": PASSWORD})
    assert again.status_code == 410 and User.objects.filter(email="jordan.lee@alpha.test").count() == 1


def test_an_expired_or_unknown_link_does_not_work(client, admin):
    inv, token = therapist_invitation_create(
        admin=admin, email="late@alpha.test", full_name="Dr Late", timezone="UTC"
    )
    TherapistInvitation.objects.filter(pk=inv.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    resp = client.post(
        reverse("therapist_invitation_accept", args=[token]), {"password": PASSWORD, "password2": PASSWORD}
    )
    assert resp.status_code == 410 and not User.objects.filter(email="late@alpha.test").exists()
    assert client.get(reverse("therapist_invitation_accept", args=["nope"])).status_code == 404


def test_a_weak_password_is_a_form_error_and_the_link_still_works(client, admin):
    _inv, token = therapist_invitation_create(
        admin=admin, email="weak@alpha.test", full_name="Dr Weak", timezone="UTC"
    )
    resp = client.post(
        reverse("therapist_invitation_accept", args=[token]),
        {"password": "password", "password2": "password"},
    )
    assert resp.status_code == 400 and resp.context["form"].errors["password"]
    assert not User.objects.filter(email="weak@alpha.test").exists()
    assert client.get(reverse("therapist_invitation_accept", args=[token])).status_code == 200


@pytest.mark.parametrize(
    "data, field",
    [
        ({"email": "therapist@alpha.test"}, "email"),  # already has an account
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"full_name": " "}, "full_name"),
        ({"email": "not-an-email"}, "email"),
    ],
)
def test_bad_input_is_a_form_error_and_sends_nothing(
    aclient, therapist, data, field, django_capture_on_commit_callbacks
):
    resp = _invite(aclient, django_capture_on_commit_callbacks, **data)
    assert resp.status_code == 400 and field in resp.context["form"].errors
    assert not TherapistInvitation.objects.exists() and mail.outbox == []


def test_a_second_invitation_to_a_waiting_address_is_refused_and_resend_issues_a_new_link(
    aclient, django_capture_on_commit_callbacks
):
    _invite(aclient, django_capture_on_commit_callbacks)
    again = _invite(aclient, django_capture_on_commit_callbacks)
    assert again.status_code == 400 and "already has an invitation waiting" in again.content.decode()
    inv = TherapistInvitation.objects.get()
    old = _link(mail.outbox[0])
    with django_capture_on_commit_callbacks(execute=True):
        aclient.post(reverse("practice:therapist_invitation_resend", args=[inv.pk]))
    new = _link(mail.outbox[-1])
    assert new != old
    assert aclient.get("/" + old.split("/", 3)[3]).status_code == 404


def test_another_practices_invitation_cannot_be_resent(client, other_admin, admin):
    inv, _ = therapist_invitation_create(admin=admin, email="x@alpha.test", full_name="Dr X", timezone="UTC")
    client.force_login(other_admin)
    assert client.post(reverse("practice:therapist_invitation_resend", args=[inv.pk])).status_code == 404
    page = client.get(reverse("practice:therapists")).content.decode()
    assert "x@alpha.test" not in page


def test_the_api_still_creates_a_therapist_with_a_password(api, admin):
    resp = api(admin).post(
        "/api/v1/therapists",
        {"email": "api@alpha.test", "full_name": "Dr Api", "password": PASSWORD, "timezone": "UTC"},
        format="json",
    )
    assert resp.status_code == 201 and set(resp.json()) == {"id", "email", "full_name"}
    assert User.objects.get(email="api@alpha.test").check_password(PASSWORD)
