"""The authorization matrix's world and its one request: everything the URLs point at, owned by
the first practice, and the answer a persona gets (tests/test_authorization_matrix.py)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import cast

from django.http import HttpResponseBase
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from portal.models import Practice, User
from tests.conftest import api_for, onboard_client, publish_policy, sign_consent
from tests.factories import AdminFactory, PracticeFactory, TherapistFactory

PERSONAS = ("anon", "client", "other_client", "therapist", "other_therapist", "admin", "other_admin")
STATES = ("pending", "unenrolled")


class World:
    """Everything the URLs point at, owned by the first practice."""

    def __init__(self):
        from audit.models import BoundaryException
        from messaging.models import CrisisAlert
        from messaging.services.calls import call_request
        from messaging.services.send import message_send
        from portal.onboarding import invitation_create

        # The factories make the model of their Meta (factory_boy ships no types).
        self.therapist = cast(User, TherapistFactory(email="t@alpha.test"))
        practice = self.therapist.practice
        self.admin = cast(User, AdminFactory(practice=practice, email="a@alpha.test"))
        other_practice = cast(Practice, PracticeFactory())
        self.other_therapist = cast(User, TherapistFactory(practice=other_practice, email="t@beta.test"))
        self.other_admin = cast(User, AdminFactory(practice=other_practice, email="a@beta.test"))
        self.version = publish_policy(self.therapist)
        publish_policy(self.other_therapist)
        self.client, self.thread = onboard_client(self.therapist, email="c@alpha.test")
        self.consent = sign_consent(self.client)
        self.other_client, _ = onboard_client(
            self.other_therapist, email="c@beta.test", full_name="Other Client"
        )
        sign_consent(self.other_client)
        sat_23 = datetime(2026, 11, 29, 4, 0, tzinfo=UTC)
        self.held = message_send(
            sender=self.client,
            thread=self.thread,
            category="administrative",
            channel="portal",
            body="held",
            now=sat_23,
        ).message
        message_send(
            sender=self.client,
            thread=self.thread,
            category="check_in",
            channel="portal",
            body="I want to kill myself",
            now=sat_23,
        )
        self.alert = CrisisAlert.objects.get()
        call = call_request(
            sender=self.client,
            thread=self.thread,
            channel="phone",
            minutes=15,
            start=datetime(2030, 12, 2, 15, 30, tzinfo=UTC),
            now=datetime(2030, 11, 30, 15, 0, tzinfo=UTC),
        ).call
        assert call is not None
        self.call = call
        exception = BoundaryException.objects.filter(practice=practice).first()
        assert exception is not None
        self.exception = exception
        from audit.services import message_break_glass_read

        readable = BoundaryException.objects.filter(practice=practice, message__isnull=False).first()
        assert readable is not None
        self.read = message_break_glass_read(
            admin=self.admin, exception_id=readable.pk, reason="Matrix check"
        )
        self.invitation, self.token = invitation_create(
            therapist=self.therapist, email="new@alpha.test", full_name="New Person"
        )
        from portal.onboarding import therapist_invitation_create

        self.t_invitation, self.t_token = therapist_invitation_create(
            admin=self.admin, email="newtherapist@alpha.test", full_name="New Therapist", timezone="UTC"
        )
        from django.contrib.auth.tokens import default_token_generator
        from django.utils.encoding import force_bytes
        from django.utils.http import urlsafe_base64_encode

        # The client's password-reset link, as the e-mail would carry it.
        self.reset = [
            urlsafe_base64_encode(force_bytes(self.client.pk)),
            default_token_generator.make_token(self.client),
        ]

    def user(self, persona):
        if persona in STATES:
            return self.therapist
        return None if persona == "anon" else getattr(self, persona)

    def enter_state(self, persona):
        """Inside the persona's rolled-back transaction: the therapist, also an admin, in `persona`'s state."""
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from portal.models import Practice, User

        User.objects.filter(pk=self.therapist.pk).update(is_practice_admin=True)
        if persona == "pending":
            TOTPDevice.objects.create(user=self.therapist, name="Authenticator app", confirmed=True)
        elif persona == "unenrolled":
            assert self.therapist.practice_id is not None
            Practice.objects.filter(pk=self.therapist.practice_id).update(require_two_factor=True)

    def args(self, name):
        pk = {
            "consent": self.consent.pk,
            "invitation": self.invitation.pk,
            "thread": self.thread.pk,
            "policy": self.version.pk,
            "exception": self.exception.pk,
        }
        table = {
            "invitation_accept": [self.token],
            "api-invitation-accept": [self.token],
            "therapist_invitation_accept": [self.t_token],
            "practice:therapist_invitation_resend": [self.t_invitation.pk],
            "password_reset_confirm": self.reset,
            "consent:receipt": [pk["consent"]],
            "consent:revoke": [pk["consent"]],
            "consent:invitation_resend": [pk["invitation"]],
            "consent:invitation_cancel": [pk["invitation"]],
            "messaging:alert_ack": [self.alert.pk],
            "messaging:cancel": [pk["thread"], self.held.pk],
            "api-message-cancel": [pk["thread"], self.held.pk],
            "messaging:call_confirm": [pk["thread"], self.call.pk],
            "messaging:call_decline": [pk["thread"], self.call.pk],
            "audit:exception": [pk["exception"]],
            "audit:review": [pk["exception"]],
            "audit:break_glass": [pk["exception"]],
            "audit:break_glass_notice": [self.read.pk],
            "api-audit-review": [pk["exception"]],
            "api-consent-revoke": [pk["consent"]],
            "api-consent-fhir": [pk["consent"]],
            "api-policy": [pk["policy"]],
            "api-policy-publish": [pk["policy"]],
            "api-policy-evaluate": [pk["policy"]],
        }
        if name in table:
            return table[name]
        if name.startswith("messaging:") and name not in (
            "messaging:index",
            "messaging:therapist_home",
            "messaging:client_home",
            "messaging:poll",
            "messaging:record",
        ):
            return [pk["thread"]]
        if name in ("api-messages", "api-preview", "api-calls", "api-contacts", "api-end-care", "api-reopen"):
            return [pk["thread"]]
        return []


def answer(world: World, name: str, method: str, persona: str) -> str:
    url = reverse(name, args=world.args(name))
    user = world.user(persona)
    if persona in STATES:
        world.enter_state(persona)
    r: HttpResponseBase
    if name.startswith("api-"):
        if persona in STATES:  # the browser session, password only, against the API
            client = APIClient()
            client.force_login(user)
        else:
            client = api_for(user)
        r = client.get(url) if method == "GET" else client.post(url, {}, format="json")
    else:
        web = Client()
        if user is not None:
            web.force_login(user)
        r = web.get(url) if method == "GET" else web.post(url, {})
    if persona in STATES and r.status_code == 302:
        location = r["Location"]  # what a redirect's .url reads
        if location.startswith(reverse("two_factor_verify")):
            return "2fa"
        if location == reverse("two_factor_enrol"):
            return "enrol"
    return str(r.status_code)
