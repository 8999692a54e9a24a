"""The authorization matrix, generated from the URL configuration.

Every URL pattern of the project (Django's own admin aside) must have a row in MATRIX with
the answer each persona gets: anonymous, the client, a client of another practice, the
therapist, a therapist of another practice, the practice admin, and the admin of another
practice. A new URL with no row fails `test_every_url_has_a_row`: there is no default row.

Objects all belong to the first practice: the client's thread, consent, a held message, a
booked call, a crisis alert, an invitation, the therapist's policy version, a boundary
exception. So "other" personas see 404 for objects (ids leak nothing) and 403 for roles."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone as dt_timezone

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import api_for, onboard_client, publish_policy, sign_consent
from tests.factories import AdminFactory, ClientFactory, PracticeFactory, TherapistFactory

PERSONAS = ("anon", "client", "other_client", "therapist", "other_therapist", "admin", "other_admin")


def row(spec: str) -> dict[str, int]:
    """'anon=302 client=200 ...' -> {persona: status}."""
    out = {who: int(code) for who, code in (part.split("=") for part in spec.split())}
    assert set(out) == set(PERSONAS), spec
    return out


# Reviewed by hand: 302 = sent to log in; 401 = no token; 403 = the role may not;
# 404 = not theirs; 405 = not this method; 400 = allowed in, empty body refused;
# 409 = allowed, but the state forbids it (nothing to publish or reopen).
MATRIX: dict[tuple[str, str], str] = {
    ("api-audit-exceptions", "GET"): "anon=401 client=403 other_client=403 therapist=403 other_therapist=403 admin=200 other_admin=200",
    ("api-audit-exceptions", "POST"): "anon=401 client=403 other_client=403 therapist=403 other_therapist=403 admin=405 other_admin=405",
    ("api-audit-review", "GET"): "anon=401 client=403 other_client=403 therapist=403 other_therapist=403 admin=405 other_admin=405",
    ("api-audit-review", "POST"): "anon=401 client=403 other_client=403 therapist=403 other_therapist=403 admin=400 other_admin=404",
    ("api-audit-verify", "GET"): "anon=401 client=403 other_client=403 therapist=403 other_therapist=403 admin=200 other_admin=200",
    ("api-audit-verify", "POST"): "anon=401 client=403 other_client=403 therapist=403 other_therapist=403 admin=405 other_admin=405",
    ("api-calls", "GET"): "anon=401 client=405 other_client=405 therapist=405 other_therapist=405 admin=403 other_admin=403",
    ("api-calls", "POST"): "anon=401 client=400 other_client=404 therapist=400 other_therapist=404 admin=403 other_admin=403",
    ("api-consent-fhir", "GET"): "anon=401 client=200 other_client=404 therapist=200 other_therapist=404 admin=200 other_admin=404",
    ("api-consent-fhir", "POST"): "anon=401 client=405 other_client=405 therapist=405 other_therapist=405 admin=405 other_admin=405",
    ("api-consent-revoke", "GET"): "anon=401 client=405 other_client=405 therapist=403 other_therapist=403 admin=403 other_admin=403",
    ("api-consent-revoke", "POST"): "anon=401 client=400 other_client=404 therapist=403 other_therapist=403 admin=403 other_admin=403",
    ("api-consents", "GET"): "anon=401 client=405 other_client=405 therapist=403 other_therapist=403 admin=403 other_admin=403",
    ("api-consents", "POST"): "anon=401 client=400 other_client=400 therapist=403 other_therapist=403 admin=403 other_admin=403",
    ("api-contacts", "GET"): "anon=401 client=403 other_client=403 therapist=405 other_therapist=405 admin=403 other_admin=403",
    ("api-contacts", "POST"): "anon=401 client=403 other_client=403 therapist=400 other_therapist=404 admin=403 other_admin=403",
    ("api-end-care", "GET"): "anon=401 client=403 other_client=403 therapist=405 other_therapist=405 admin=403 other_admin=403",
    ("api-end-care", "POST"): "anon=401 client=403 other_client=403 therapist=400 other_therapist=404 admin=403 other_admin=403",
    ("api-invitation-accept", "GET"): "anon=405 client=405 other_client=405 therapist=405 other_therapist=405 admin=405 other_admin=405",
    ("api-invitation-accept", "POST"): "anon=400 client=400 other_client=400 therapist=400 other_therapist=400 admin=400 other_admin=400",
    ("api-invitations", "GET"): "anon=401 client=403 other_client=403 therapist=405 other_therapist=405 admin=403 other_admin=403",
    ("api-invitations", "POST"): "anon=401 client=403 other_client=403 therapist=400 other_therapist=400 admin=403 other_admin=403",
    ("api-me-export", "GET"): "anon=401 client=200 other_client=200 therapist=403 other_therapist=403 admin=403 other_admin=403",
    ("api-me-export", "POST"): "anon=401 client=405 other_client=405 therapist=403 other_therapist=403 admin=403 other_admin=403",
    ("api-message-cancel", "GET"): "anon=401 client=405 other_client=405 therapist=405 other_therapist=405 admin=403 other_admin=403",
    ("api-message-cancel", "POST"): "anon=401 client=200 other_client=404 therapist=404 other_therapist=404 admin=403 other_admin=403",
    ("api-messages", "GET"): "anon=401 client=200 other_client=404 therapist=200 other_therapist=404 admin=403 other_admin=403",
    ("api-messages", "POST"): "anon=401 client=400 other_client=404 therapist=400 other_therapist=404 admin=403 other_admin=403",
    ("api-policies", "GET"): "anon=401 client=403 other_client=403 therapist=405 other_therapist=405 admin=403 other_admin=403",
    ("api-policies", "POST"): "anon=401 client=403 other_client=403 therapist=400 other_therapist=400 admin=403 other_admin=403",
    ("api-policy", "GET"): "anon=401 client=403 other_client=403 therapist=200 other_therapist=404 admin=403 other_admin=403",
    ("api-policy", "POST"): "anon=401 client=403 other_client=403 therapist=405 other_therapist=405 admin=403 other_admin=403",
    ("api-policy-current", "GET"): "anon=401 client=200 other_client=200 therapist=200 other_therapist=200 admin=403 other_admin=403",
    ("api-policy-current", "POST"): "anon=401 client=405 other_client=405 therapist=405 other_therapist=405 admin=403 other_admin=403",
    ("api-policy-evaluate", "GET"): "anon=401 client=403 other_client=403 therapist=405 other_therapist=405 admin=403 other_admin=403",
    ("api-policy-evaluate", "POST"): "anon=401 client=403 other_client=403 therapist=400 other_therapist=404 admin=403 other_admin=403",
    ("api-policy-publish", "GET"): "anon=401 client=403 other_client=403 therapist=405 other_therapist=405 admin=403 other_admin=403",
    ("api-policy-publish", "POST"): "anon=401 client=403 other_client=403 therapist=409 other_therapist=404 admin=403 other_admin=403",
    ("api-preview", "GET"): "anon=401 client=405 other_client=405 therapist=405 other_therapist=405 admin=403 other_admin=403",
    ("api-preview", "POST"): "anon=401 client=400 other_client=404 therapist=400 other_therapist=404 admin=403 other_admin=403",
    ("api-reopen", "GET"): "anon=401 client=403 other_client=403 therapist=405 other_therapist=405 admin=403 other_admin=403",
    ("api-reopen", "POST"): "anon=401 client=403 other_client=403 therapist=409 other_therapist=404 admin=403 other_admin=403",
    ("api-docs", "GET"): "anon=200 client=200 other_client=200 therapist=200 other_therapist=200 admin=200 other_admin=200",
    ("api-docs", "POST"): "anon=405 client=405 other_client=405 therapist=405 other_therapist=405 admin=405 other_admin=405",
    ("api-schema", "GET"): "anon=200 client=200 other_client=200 therapist=200 other_therapist=200 admin=200 other_admin=200",
    ("api-schema", "POST"): "anon=405 client=405 other_client=405 therapist=405 other_therapist=405 admin=405 other_admin=405",
    ("api-therapists", "GET"): "anon=401 client=403 other_client=403 therapist=403 other_therapist=403 admin=405 other_admin=405",
    ("api-therapists", "POST"): "anon=401 client=403 other_client=403 therapist=403 other_therapist=403 admin=400 other_admin=400",
    ("api-threads", "GET"): "anon=401 client=200 other_client=200 therapist=200 other_therapist=200 admin=403 other_admin=403",
    ("api-threads", "POST"): "anon=401 client=405 other_client=405 therapist=405 other_therapist=405 admin=403 other_admin=403",
    ("api-token", "GET"): "anon=405 client=405 other_client=405 therapist=405 other_therapist=405 admin=405 other_admin=405",
    ("api-token", "POST"): "anon=400 client=400 other_client=400 therapist=400 other_therapist=400 admin=400 other_admin=400",
    ("audit:break_glass", "GET"): "anon=302 client=403 other_client=403 therapist=403 other_therapist=403 admin=405 other_admin=405",
    ("audit:break_glass", "POST"): "anon=302 client=403 other_client=403 therapist=403 other_therapist=403 admin=400 other_admin=404",
    ("audit:dashboard", "GET"): "anon=302 client=403 other_client=403 therapist=403 other_therapist=403 admin=200 other_admin=200",
    ("audit:dashboard", "POST"): "anon=302 client=403 other_client=403 therapist=403 other_therapist=403 admin=200 other_admin=200",
    ("audit:exception", "GET"): "anon=302 client=403 other_client=403 therapist=403 other_therapist=403 admin=200 other_admin=404",
    ("audit:exception", "POST"): "anon=302 client=403 other_client=403 therapist=403 other_therapist=403 admin=200 other_admin=404",
    ("audit:exceptions", "GET"): "anon=302 client=403 other_client=403 therapist=403 other_therapist=403 admin=200 other_admin=200",
    ("audit:exceptions", "POST"): "anon=302 client=403 other_client=403 therapist=403 other_therapist=403 admin=200 other_admin=200",
    ("audit:export", "GET"): "anon=302 client=403 other_client=403 therapist=403 other_therapist=403 admin=200 other_admin=200",
    ("audit:export", "POST"): "anon=302 client=403 other_client=403 therapist=403 other_therapist=403 admin=200 other_admin=200",
    ("audit:review", "GET"): "anon=302 client=403 other_client=403 therapist=403 other_therapist=403 admin=405 other_admin=405",
    ("audit:review", "POST"): "anon=302 client=403 other_client=403 therapist=403 other_therapist=403 admin=400 other_admin=404",
    ("audit:verify", "GET"): "anon=302 client=403 other_client=403 therapist=403 other_therapist=403 admin=200 other_admin=200",
    ("audit:verify", "POST"): "anon=302 client=403 other_client=403 therapist=403 other_therapist=403 admin=200 other_admin=200",
    ("consent:clients", "GET"): "anon=302 client=403 other_client=403 therapist=200 other_therapist=200 admin=403 other_admin=403",
    ("consent:clients", "POST"): "anon=302 client=403 other_client=403 therapist=200 other_therapist=200 admin=403 other_admin=403",
    ("consent:invitation_cancel", "GET"): "anon=302 client=403 other_client=403 therapist=405 other_therapist=405 admin=403 other_admin=403",
    ("consent:invitation_cancel", "POST"): "anon=302 client=403 other_client=403 therapist=302 other_therapist=404 admin=403 other_admin=403",
    ("consent:invitation_resend", "GET"): "anon=302 client=403 other_client=403 therapist=405 other_therapist=405 admin=403 other_admin=403",
    ("consent:invitation_resend", "POST"): "anon=302 client=403 other_client=403 therapist=302 other_therapist=404 admin=403 other_admin=403",
    ("consent:receipt", "GET"): "anon=302 client=200 other_client=404 therapist=200 other_therapist=404 admin=404 other_admin=404",
    ("consent:receipt", "POST"): "anon=302 client=200 other_client=404 therapist=200 other_therapist=404 admin=404 other_admin=404",
    ("consent:revoke", "GET"): "anon=302 client=405 other_client=405 therapist=403 other_therapist=403 admin=403 other_admin=403",
    ("consent:revoke", "POST"): "anon=302 client=302 other_client=404 therapist=403 other_therapist=403 admin=403 other_admin=403",
    ("consent:sign", "GET"): "anon=302 client=200 other_client=200 therapist=403 other_therapist=403 admin=403 other_admin=403",
    ("consent:sign", "POST"): "anon=302 client=400 other_client=400 therapist=403 other_therapist=403 admin=403 other_admin=403",
    ("home", "GET"): "anon=302 client=302 other_client=302 therapist=302 other_therapist=302 admin=302 other_admin=302",
    ("home", "POST"): "anon=302 client=302 other_client=302 therapist=302 other_therapist=302 admin=302 other_admin=302",
    ("invitation_accept", "GET"): "anon=200 client=200 other_client=200 therapist=200 other_therapist=200 admin=200 other_admin=200",
    ("invitation_accept", "POST"): "anon=200 client=200 other_client=200 therapist=200 other_therapist=200 admin=200 other_admin=200",
    ("login", "GET"): "anon=200 client=302 other_client=302 therapist=302 other_therapist=302 admin=302 other_admin=302",
    ("login", "POST"): "anon=200 client=302 other_client=302 therapist=302 other_therapist=302 admin=302 other_admin=302",
    ("logout_everywhere", "GET"): "anon=302 client=405 other_client=405 therapist=405 other_therapist=405 admin=405 other_admin=405",
    ("logout_everywhere", "POST"): "anon=302 client=302 other_client=302 therapist=302 other_therapist=302 admin=302 other_admin=302",
    ("two_factor_enrol", "GET"): "anon=302 client=200 other_client=200 therapist=200 other_therapist=200 admin=200 other_admin=200",
    ("two_factor_enrol", "POST"): "anon=302 client=200 other_client=200 therapist=200 other_therapist=200 admin=200 other_admin=200",
    ("two_factor_verify", "GET"): "anon=302 client=200 other_client=200 therapist=200 other_therapist=200 admin=200 other_admin=200",
    ("two_factor_verify", "POST"): "anon=302 client=200 other_client=200 therapist=200 other_therapist=200 admin=200 other_admin=200",
    ("two_factor_disable", "GET"): "anon=302 client=405 other_client=405 therapist=405 other_therapist=405 admin=405 other_admin=405",
    ("two_factor_disable", "POST"): "anon=302 client=302 other_client=302 therapist=302 other_therapist=302 admin=302 other_admin=302",
    ("practice:security", "GET"): "anon=302 client=403 other_client=403 therapist=403 other_therapist=403 admin=405 other_admin=405",
    ("practice:security", "POST"): "anon=302 client=403 other_client=403 therapist=403 other_therapist=403 admin=302 other_admin=302",
    ("logout", "GET"): "anon=405 client=405 other_client=405 therapist=405 other_therapist=405 admin=405 other_admin=405",
    ("logout", "POST"): "anon=302 client=302 other_client=302 therapist=302 other_therapist=302 admin=302 other_admin=302",
    ("messaging:alert_ack", "GET"): "anon=302 client=405 other_client=405 therapist=405 other_therapist=405 admin=405 other_admin=405",
    ("messaging:alert_ack", "POST"): "anon=302 client=403 other_client=403 therapist=302 other_therapist=404 admin=403 other_admin=403",
    ("messaging:call_book", "GET"): "anon=302 client=405 other_client=405 therapist=405 other_therapist=405 admin=405 other_admin=405",
    ("messaging:call_book", "POST"): "anon=302 client=400 other_client=404 therapist=400 other_therapist=404 admin=404 other_admin=404",
    ("messaging:call_confirm", "GET"): "anon=302 client=405 other_client=405 therapist=405 other_therapist=405 admin=405 other_admin=405",
    ("messaging:call_confirm", "POST"): "anon=302 client=403 other_client=403 therapist=302 other_therapist=404 admin=403 other_admin=403",
    ("messaging:call_decline", "GET"): "anon=302 client=405 other_client=405 therapist=405 other_therapist=405 admin=405 other_admin=405",
    ("messaging:call_decline", "POST"): "anon=302 client=403 other_client=403 therapist=302 other_therapist=404 admin=403 other_admin=403",
    ("messaging:cancel", "GET"): "anon=302 client=405 other_client=405 therapist=405 other_therapist=405 admin=405 other_admin=405",
    ("messaging:cancel", "POST"): "anon=302 client=302 other_client=404 therapist=404 other_therapist=404 admin=404 other_admin=404",
    ("messaging:care_end", "GET"): "anon=302 client=405 other_client=405 therapist=405 other_therapist=405 admin=405 other_admin=405",
    ("messaging:care_end", "POST"): "anon=302 client=403 other_client=403 therapist=400 other_therapist=404 admin=403 other_admin=403",
    ("messaging:care_reopen", "GET"): "anon=302 client=405 other_client=405 therapist=405 other_therapist=405 admin=405 other_admin=405",
    ("messaging:care_reopen", "POST"): "anon=302 client=403 other_client=403 therapist=302 other_therapist=404 admin=403 other_admin=403",
    ("messaging:client_home", "GET"): "anon=302 client=200 other_client=200 therapist=403 other_therapist=403 admin=403 other_admin=403",
    ("messaging:client_home", "POST"): "anon=302 client=405 other_client=405 therapist=405 other_therapist=405 admin=405 other_admin=405",
    ("messaging:contact_log", "GET"): "anon=302 client=405 other_client=405 therapist=405 other_therapist=405 admin=405 other_admin=405",
    ("messaging:contact_log", "POST"): "anon=302 client=403 other_client=403 therapist=400 other_therapist=404 admin=403 other_admin=403",
    ("messaging:index", "GET"): "anon=302 client=302 other_client=302 therapist=302 other_therapist=302 admin=302 other_admin=302",
    ("messaging:index", "POST"): "anon=302 client=302 other_client=302 therapist=302 other_therapist=302 admin=302 other_admin=302",
    ("messaging:mark_read", "GET"): "anon=302 client=405 other_client=405 therapist=405 other_therapist=405 admin=405 other_admin=405",
    ("messaging:mark_read", "POST"): "anon=302 client=200 other_client=404 therapist=200 other_therapist=404 admin=404 other_admin=404",
    ("messaging:poll", "GET"): "anon=401 client=200 other_client=200 therapist=200 other_therapist=200 admin=200 other_admin=200",
    ("messaging:poll", "POST"): "anon=405 client=405 other_client=405 therapist=405 other_therapist=405 admin=405 other_admin=405",
    ("messaging:send", "GET"): "anon=302 client=405 other_client=405 therapist=405 other_therapist=405 admin=405 other_admin=405",
    ("messaging:send", "POST"): "anon=302 client=400 other_client=404 therapist=400 other_therapist=404 admin=404 other_admin=404",
    ("messaging:therapist_home", "GET"): "anon=302 client=403 other_client=403 therapist=200 other_therapist=200 admin=403 other_admin=403",
    ("messaging:therapist_home", "POST"): "anon=302 client=405 other_client=405 therapist=405 other_therapist=405 admin=405 other_admin=405",
    ("messaging:thread", "GET"): "anon=302 client=200 other_client=404 therapist=200 other_therapist=404 admin=404 other_admin=404",
    ("messaging:thread", "POST"): "anon=302 client=405 other_client=405 therapist=405 other_therapist=405 admin=405 other_admin=405",
    ("policies:diff", "GET"): "anon=302 client=403 other_client=403 therapist=200 other_therapist=200 admin=403 other_admin=403",
    ("policies:diff", "POST"): "anon=302 client=403 other_client=403 therapist=200 other_therapist=200 admin=403 other_admin=403",
    ("policies:editor", "GET"): "anon=302 client=403 other_client=403 therapist=200 other_therapist=200 admin=403 other_admin=403",
    ("policies:editor", "POST"): "anon=302 client=403 other_client=403 therapist=400 other_therapist=400 admin=403 other_admin=403",
    ("policies:history", "GET"): "anon=302 client=403 other_client=403 therapist=200 other_therapist=200 admin=403 other_admin=403",
    ("policies:history", "POST"): "anon=302 client=403 other_client=403 therapist=200 other_therapist=200 admin=403 other_admin=403",
    ("policies:preview", "GET"): "anon=302 client=403 other_client=403 therapist=200 other_therapist=200 admin=403 other_admin=403",
    ("policies:preview", "POST"): "anon=302 client=403 other_client=403 therapist=200 other_therapist=200 admin=403 other_admin=403",
    ("policies:publish", "GET"): "anon=302 client=403 other_client=403 therapist=405 other_therapist=405 admin=403 other_admin=403",
    ("policies:publish", "POST"): "anon=302 client=403 other_client=403 therapist=302 other_therapist=302 admin=403 other_admin=403",
    ("policies:simulator", "GET"): "anon=302 client=403 other_client=403 therapist=200 other_therapist=200 admin=403 other_admin=403",
    ("policies:simulator", "POST"): "anon=302 client=403 other_client=403 therapist=200 other_therapist=200 admin=403 other_admin=403",
    ("practice:dashboard", "GET"): "anon=302 client=403 other_client=403 therapist=403 other_therapist=403 admin=200 other_admin=200",
    ("practice:dashboard", "POST"): "anon=302 client=403 other_client=403 therapist=403 other_therapist=403 admin=200 other_admin=200",
    ("practice:therapists", "GET"): "anon=302 client=403 other_client=403 therapist=403 other_therapist=403 admin=200 other_admin=200",
    ("practice:therapists", "POST"): "anon=302 client=403 other_client=403 therapist=403 other_therapist=403 admin=200 other_admin=200",
}


def _walk(resolver, ns=None):
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            if "django-admin" in str(p.pattern):
                continue
            yield from _walk(p, p.namespace or ns)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{ns}:{p.name}" if ns else p.name


ALL_NAMES = sorted(set(_walk(get_resolver())))


class World:
    """Everything the URLs point at, owned by the first practice."""

    def __init__(self):
        from audit.models import BoundaryException
        from messaging.models import CrisisAlert, Message
        from messaging.services import call_request, message_send
        from portal.onboarding import invitation_create

        self.therapist = TherapistFactory(email="t@alpha.test")
        practice = self.therapist.practice
        self.admin = AdminFactory(practice=practice, email="a@alpha.test")
        other_practice = PracticeFactory()
        self.other_therapist = TherapistFactory(practice=other_practice, email="t@beta.test")
        self.other_admin = AdminFactory(practice=other_practice, email="a@beta.test")
        self.version = publish_policy(self.therapist)
        publish_policy(self.other_therapist)
        self.client, self.thread = onboard_client(self.therapist, email="c@alpha.test")
        self.consent = sign_consent(self.client)
        self.other_client, _ = onboard_client(self.other_therapist, email="c@beta.test", full_name="Other Client")
        sign_consent(self.other_client)
        sat_23 = datetime(2026, 11, 29, 4, 0, tzinfo=dt_timezone.utc)
        self.held = message_send(sender=self.client, thread=self.thread, category="administrative", channel="portal",
                                 body="held", now=sat_23).message
        message_send(sender=self.client, thread=self.thread, category="check_in", channel="portal",
                     body="I want to kill myself", now=sat_23)
        self.alert = CrisisAlert.objects.get()
        self.call = call_request(sender=self.client, thread=self.thread, channel="phone", minutes=15,
                                 start=datetime(2030, 12, 2, 15, 30, tzinfo=dt_timezone.utc),
                                 now=datetime(2030, 11, 30, 15, 0, tzinfo=dt_timezone.utc)).call
        self.exception = BoundaryException.objects.filter(practice=practice).first()
        self.invitation, self.token = invitation_create(therapist=self.therapist, email="new@alpha.test",
                                                        full_name="New Person")

    def user(self, persona):
        return None if persona == "anon" else getattr(self, persona)

    def args(self, name):
        pk = {"consent": self.consent.pk, "invitation": self.invitation.pk, "thread": self.thread.pk,
              "policy": self.version.pk, "exception": self.exception.pk}
        table = {
            "invitation_accept": [self.token], "api-invitation-accept": [self.token],
            "consent:receipt": [pk["consent"]], "consent:revoke": [pk["consent"]],
            "consent:invitation_resend": [pk["invitation"]], "consent:invitation_cancel": [pk["invitation"]],
            "messaging:alert_ack": [self.alert.pk],
            "messaging:cancel": [pk["thread"], self.held.pk], "api-message-cancel": [pk["thread"], self.held.pk],
            "messaging:call_confirm": [pk["thread"], self.call.pk], "messaging:call_decline": [pk["thread"], self.call.pk],
            "audit:exception": [pk["exception"]], "audit:review": [pk["exception"]], "audit:break_glass": [pk["exception"]],
            "api-audit-review": [pk["exception"]], "api-consent-revoke": [pk["consent"]], "api-consent-fhir": [pk["consent"]],
            "api-policy": [pk["policy"]], "api-policy-publish": [pk["policy"]], "api-policy-evaluate": [pk["policy"]],
        }
        if name in table:
            return table[name]
        if name.startswith("messaging:") and name not in ("messaging:index", "messaging:therapist_home",
                                                           "messaging:client_home", "messaging:poll"):
            return [pk["thread"]]
        if name in ("api-messages", "api-preview", "api-calls", "api-contacts", "api-end-care", "api-reopen"):
            return [pk["thread"]]
        return []


def answer(world: World, name: str, method: str, persona: str) -> int:
    url = reverse(name, args=world.args(name))
    user = world.user(persona)
    if name.startswith("api-"):
        client = api_for(user)
        if method == "GET":
            return client.get(url).status_code
        return client.post(url, {}, format="json").status_code
    web = Client()
    if user is not None:
        web.force_login(user)
    return (web.get(url) if method == "GET" else web.post(url, {})).status_code


def test_every_url_has_a_row():
    missing = [(n, m) for n in ALL_NAMES for m in ("GET", "POST") if (n, m) not in MATRIX]
    assert not missing, f"URLs with no row in the authorization matrix: {missing}"
    stale = [key for key in MATRIX if key[0] not in ALL_NAMES]
    assert not stale, f"rows for URLs that no longer exist: {stale}"


@pytest.mark.parametrize("name,method", sorted(MATRIX))
@pytest.mark.django_db
def test_answers_match_the_matrix(name, method):
    from django.db import transaction

    world = World()
    expected = row(MATRIX[(name, method)])
    got = {}
    for persona in PERSONAS:
        with transaction.atomic():
            got[persona] = answer(world, name, method, persona)
            transaction.set_rollback(True)  # each persona meets the same world
    assert got == expected
