"""The authorization matrix, generated from the URL configuration.

Every URL pattern of the project (Django's own admin aside) must have a row in MATRIX with
the answer each persona gets: anonymous, the client, a client of another practice, the
therapist, a therapist of another practice, the practice admin, and the admin of another
practice. A new URL with no row fails `test_every_url_has_a_row`: there is no default row.

Objects all belong to the first practice: the client's thread, consent, a held message, a
booked call, a crisis alert, an invitation, the therapist's policy version, a boundary
exception. So "other" personas see 404 for objects (ids leak nothing) and 403 for roles.

STATE_MATRIX has two more columns for every URL: states of the first practice's therapist,
made a practice admin too (so that without two-factor login every therapist and admin URL would
let them in), signed in to a browser session with the password only: `pending`, enrolled in two-factor login and the code not
yet given; `unenrolled`, the practice requires two-factor login and they have not enrolled. The
API is called with that session (no token can be had in these states). Their answers name where
a redirect goes: `2fa` is 302 to the code page, `enrol` 302 to the enrolment page."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import cast

import pytest
from django.http import HttpResponseBase
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from portal.models import Practice, User
from tests.conftest import api_for, onboard_client, publish_policy, sign_consent
from tests.factories import AdminFactory, PracticeFactory, TherapistFactory

PERSONAS = ("anon", "client", "other_client", "therapist", "other_therapist", "admin", "other_admin")
STATES = ("pending", "unenrolled")


def row(spec: str, columns=PERSONAS) -> dict[str, str]:
    """'anon=302 client=200 ...' -> {persona: answer}."""
    out = dict(part.split("=") for part in spec.split())
    assert set(out) == set(columns), spec
    return out


# Reviewed by hand: 302 = sent to log in; 401 = no token; 403 = the role may not;
# 404 = not theirs; 405 = not this method; 400 = allowed in, empty body refused;
# 409 = allowed, but the state forbids it (nothing to publish or reopen).
MATRIX: dict[tuple[str, str], str] = {
    (
        "api-audit-exceptions",
        "GET",
    ): "anon=401 client=403 other_client=403 therapist=403 other_therapist=403 admin=200 other_admin=200",
    (
        "api-audit-exceptions",
        "POST",
    ): "anon=401 client=403 other_client=403 therapist=403 other_therapist=403 admin=405 other_admin=405",
    (
        "api-audit-review",
        "GET",
    ): "anon=401 client=403 other_client=403 therapist=403 other_therapist=403 admin=405 other_admin=405",
    (
        "api-audit-review",
        "POST",
    ): "anon=401 client=403 other_client=403 therapist=403 other_therapist=403 admin=400 other_admin=404",
    (
        "api-audit-verify",
        "GET",
    ): "anon=401 client=403 other_client=403 therapist=403 other_therapist=403 admin=200 other_admin=200",
    (
        "api-audit-verify",
        "POST",
    ): "anon=401 client=403 other_client=403 therapist=403 other_therapist=403 admin=400 other_admin=400",
    (
        "api-audit-checkpoint",
        "GET",
    ): "anon=401 client=403 other_client=403 therapist=403 other_therapist=403 admin=200 other_admin=200",
    (
        "api-audit-checkpoint",
        "POST",
    ): "anon=401 client=403 other_client=403 therapist=403 other_therapist=403 admin=405 other_admin=405",
    (
        "api-calls",
        "GET",
    ): "anon=401 client=405 other_client=405 therapist=405 other_therapist=405 admin=403 other_admin=403",
    (
        "api-calls",
        "POST",
    ): "anon=401 client=400 other_client=404 therapist=400 other_therapist=404 admin=403 other_admin=403",
    (
        "api-consent-fhir",
        "GET",
    ): "anon=401 client=200 other_client=404 therapist=200 other_therapist=404 admin=200 other_admin=404",
    (
        "api-consent-fhir",
        "POST",
    ): "anon=401 client=405 other_client=405 therapist=405 other_therapist=405 admin=405 other_admin=405",
    (
        "api-consent-revoke",
        "GET",
    ): "anon=401 client=405 other_client=405 therapist=403 other_therapist=403 admin=403 other_admin=403",
    (
        "api-consent-revoke",
        "POST",
    ): "anon=401 client=400 other_client=404 therapist=403 other_therapist=403 admin=403 other_admin=403",
    (
        "api-consents",
        "GET",
    ): "anon=401 client=405 other_client=405 therapist=403 other_therapist=403 admin=403 other_admin=403",
    (
        "api-consents",
        "POST",
    ): "anon=401 client=400 other_client=400 therapist=403 other_therapist=403 admin=403 other_admin=403",
    (
        "api-contacts",
        "GET",
    ): "anon=401 client=403 other_client=403 therapist=405 other_therapist=405 admin=403 other_admin=403",
    (
        "api-contacts",
        "POST",
    ): "anon=401 client=403 other_client=403 therapist=400 other_therapist=404 admin=403 other_admin=403",
    (
        "api-end-care",
        "GET",
    ): "anon=401 client=403 other_client=403 therapist=405 other_therapist=405 admin=403 other_admin=403",
    (
        "api-end-care",
        "POST",
    ): "anon=401 client=403 other_client=403 therapist=400 other_therapist=404 admin=403 other_admin=403",
    (
        "api-invitation-accept",
        "GET",
    ): "anon=405 client=405 other_client=405 therapist=405 other_therapist=405 admin=405 other_admin=405",
    (
        "api-invitation-accept",
        "POST",
    ): "anon=400 client=400 other_client=400 therapist=400 other_therapist=400 admin=400 other_admin=400",
    (
        "api-invitations",
        "GET",
    ): "anon=401 client=403 other_client=403 therapist=405 other_therapist=405 admin=403 other_admin=403",
    (
        "api-invitations",
        "POST",
    ): "anon=401 client=403 other_client=403 therapist=400 other_therapist=400 admin=403 other_admin=403",
    (
        "api-me-export",
        "GET",
    ): "anon=401 client=200 other_client=200 therapist=403 other_therapist=403 admin=403 other_admin=403",
    (
        "api-me-export",
        "POST",
    ): "anon=401 client=405 other_client=405 therapist=403 other_therapist=403 admin=403 other_admin=403",
    (
        "api-message-cancel",
        "GET",
    ): "anon=401 client=405 other_client=405 therapist=405 other_therapist=405 admin=403 other_admin=403",
    (
        "api-message-cancel",
        "POST",
    ): "anon=401 client=200 other_client=404 therapist=404 other_therapist=404 admin=403 other_admin=403",
    (
        "api-messages",
        "GET",
    ): "anon=401 client=200 other_client=404 therapist=200 other_therapist=404 admin=403 other_admin=403",
    (
        "api-messages",
        "POST",
    ): "anon=401 client=400 other_client=404 therapist=400 other_therapist=404 admin=403 other_admin=403",
    (
        "api-policies",
        "GET",
    ): "anon=401 client=403 other_client=403 therapist=405 other_therapist=405 admin=403 other_admin=403",
    (
        "api-policies",
        "POST",
    ): "anon=401 client=403 other_client=403 therapist=400 other_therapist=400 admin=403 other_admin=403",
    (
        "api-policy",
        "GET",
    ): "anon=401 client=403 other_client=403 therapist=200 other_therapist=404 admin=403 other_admin=403",
    (
        "api-policy",
        "POST",
    ): "anon=401 client=403 other_client=403 therapist=405 other_therapist=405 admin=403 other_admin=403",
    (
        "api-policy-current",
        "GET",
    ): "anon=401 client=200 other_client=200 therapist=200 other_therapist=200 admin=403 other_admin=403",
    (
        "api-policy-current",
        "POST",
    ): "anon=401 client=405 other_client=405 therapist=405 other_therapist=405 admin=403 other_admin=403",
    (
        "api-policy-evaluate",
        "GET",
    ): "anon=401 client=403 other_client=403 therapist=405 other_therapist=405 admin=403 other_admin=403",
    (
        "api-policy-evaluate",
        "POST",
    ): "anon=401 client=403 other_client=403 therapist=400 other_therapist=404 admin=403 other_admin=403",
    (
        "api-policy-publish",
        "GET",
    ): "anon=401 client=403 other_client=403 therapist=405 other_therapist=405 admin=403 other_admin=403",
    (
        "api-policy-publish",
        "POST",
    ): "anon=401 client=403 other_client=403 therapist=409 other_therapist=404 admin=403 other_admin=403",
    (
        "api-preview",
        "GET",
    ): "anon=401 client=405 other_client=405 therapist=405 other_therapist=405 admin=403 other_admin=403",
    (
        "api-preview",
        "POST",
    ): "anon=401 client=400 other_client=404 therapist=400 other_therapist=404 admin=403 other_admin=403",
    (
        "api-reopen",
        "GET",
    ): "anon=401 client=403 other_client=403 therapist=405 other_therapist=405 admin=403 other_admin=403",
    (
        "api-reopen",
        "POST",
    ): "anon=401 client=403 other_client=403 therapist=409 other_therapist=404 admin=403 other_admin=403",
    (
        "api-docs",
        "GET",
    ): "anon=200 client=200 other_client=200 therapist=200 other_therapist=200 admin=200 other_admin=200",
    (
        "api-docs",
        "POST",
    ): "anon=405 client=405 other_client=405 therapist=405 other_therapist=405 admin=405 other_admin=405",
    (
        "api-schema",
        "GET",
    ): "anon=200 client=200 other_client=200 therapist=200 other_therapist=200 admin=200 other_admin=200",
    (
        "api-schema",
        "POST",
    ): "anon=405 client=405 other_client=405 therapist=405 other_therapist=405 admin=405 other_admin=405",
    (
        "api-therapists",
        "GET",
    ): "anon=401 client=403 other_client=403 therapist=403 other_therapist=403 admin=405 other_admin=405",
    (
        "api-therapists",
        "POST",
    ): "anon=401 client=403 other_client=403 therapist=403 other_therapist=403 admin=400 other_admin=400",
    (
        "api-threads",
        "GET",
    ): "anon=401 client=200 other_client=200 therapist=200 other_therapist=200 admin=403 other_admin=403",
    (
        "api-threads",
        "POST",
    ): "anon=401 client=405 other_client=405 therapist=405 other_therapist=405 admin=403 other_admin=403",
    (
        "api-token",
        "GET",
    ): "anon=405 client=405 other_client=405 therapist=405 other_therapist=405 admin=405 other_admin=405",
    (
        "api-token",
        "POST",
    ): "anon=400 client=400 other_client=400 therapist=400 other_therapist=400 admin=400 other_admin=400",
    (
        "audit:break_glass",
        "GET",
    ): "anon=302 client=403 other_client=403 therapist=403 other_therapist=403 admin=405 other_admin=405",
    (
        "audit:break_glass",
        "POST",
    ): "anon=302 client=403 other_client=403 therapist=403 other_therapist=403 admin=400 other_admin=404",
    (
        "audit:dashboard",
        "GET",
    ): "anon=302 client=403 other_client=403 therapist=403 other_therapist=403 admin=200 other_admin=200",
    (
        "audit:dashboard",
        "POST",
    ): "anon=302 client=403 other_client=403 therapist=403 other_therapist=403 admin=200 other_admin=200",
    (
        "audit:exception",
        "GET",
    ): "anon=302 client=403 other_client=403 therapist=403 other_therapist=403 admin=200 other_admin=404",
    (
        "audit:exception",
        "POST",
    ): "anon=302 client=403 other_client=403 therapist=403 other_therapist=403 admin=405 other_admin=405",
    (
        "audit:exceptions",
        "GET",
    ): "anon=302 client=403 other_client=403 therapist=403 other_therapist=403 admin=200 other_admin=200",
    (
        "audit:exceptions",
        "POST",
    ): "anon=302 client=403 other_client=403 therapist=403 other_therapist=403 admin=200 other_admin=200",
    (
        "audit:export",
        "GET",
    ): "anon=302 client=403 other_client=403 therapist=403 other_therapist=403 admin=200 other_admin=200",
    (
        "audit:export",
        "POST",
    ): "anon=302 client=403 other_client=403 therapist=403 other_therapist=403 admin=405 other_admin=405",
    (
        "audit:events",
        "GET",
    ): "anon=302 client=403 other_client=403 therapist=403 other_therapist=403 admin=200 other_admin=200",
    (
        "audit:events",
        "POST",
    ): "anon=302 client=403 other_client=403 therapist=403 other_therapist=403 admin=405 other_admin=405",
    (
        "audit:events_export",
        "GET",
    ): "anon=302 client=403 other_client=403 therapist=403 other_therapist=403 admin=200 other_admin=200",
    (
        "audit:events_export",
        "POST",
    ): "anon=302 client=403 other_client=403 therapist=403 other_therapist=403 admin=405 other_admin=405",
    (
        "audit:review",
        "GET",
    ): "anon=302 client=403 other_client=403 therapist=403 other_therapist=403 admin=405 other_admin=405",
    (
        "audit:review",
        "POST",
    ): "anon=302 client=403 other_client=403 therapist=403 other_therapist=403 admin=400 other_admin=404",
    (
        "audit:verify",
        "GET",
    ): "anon=302 client=403 other_client=403 therapist=403 other_therapist=403 admin=200 other_admin=200",
    (
        "audit:verify",
        "POST",
    ): "anon=302 client=403 other_client=403 therapist=403 other_therapist=403 admin=400 other_admin=400",
    (
        "audit:checkpoint_download",
        "GET",
    ): "anon=302 client=403 other_client=403 therapist=403 other_therapist=403 admin=200 other_admin=200",
    (
        "audit:checkpoint_download",
        "POST",
    ): "anon=302 client=403 other_client=403 therapist=403 other_therapist=403 admin=405 other_admin=405",
    # Queues a full re-verification of the admin's own practice, then back to the verify page.
    (
        "audit:verify_full",
        "GET",
    ): "anon=302 client=403 other_client=403 therapist=403 other_therapist=403 admin=405 other_admin=405",
    (
        "audit:verify_full",
        "POST",
    ): "anon=302 client=403 other_client=403 therapist=403 other_therapist=403 admin=302 other_admin=302",
    # The therapist's page about a break-glass read of their client's message.
    (
        "audit:break_glass_notice",
        "GET",
    ): "anon=302 client=403 other_client=403 therapist=200 other_therapist=404 admin=403 other_admin=403",
    (
        "audit:break_glass_notice",
        "POST",
    ): "anon=302 client=403 other_client=403 therapist=405 other_therapist=405 admin=403 other_admin=403",
    (
        "consent:clients",
        "GET",
    ): "anon=302 client=403 other_client=403 therapist=200 other_therapist=200 admin=403 other_admin=403",
    (
        "consent:clients",
        "POST",
    ): "anon=302 client=403 other_client=403 therapist=200 other_therapist=200 admin=403 other_admin=403",
    (
        "consent:invitation_cancel",
        "GET",
    ): "anon=302 client=403 other_client=403 therapist=405 other_therapist=405 admin=403 other_admin=403",
    (
        "consent:invitation_cancel",
        "POST",
    ): "anon=302 client=403 other_client=403 therapist=302 other_therapist=404 admin=403 other_admin=403",
    (
        "consent:invitation_resend",
        "GET",
    ): "anon=302 client=403 other_client=403 therapist=405 other_therapist=405 admin=403 other_admin=403",
    (
        "consent:invitation_resend",
        "POST",
    ): "anon=302 client=403 other_client=403 therapist=302 other_therapist=404 admin=403 other_admin=403",
    (
        "consent:receipt",
        "GET",
    ): "anon=302 client=200 other_client=404 therapist=200 other_therapist=404 admin=404 other_admin=404",
    (
        "consent:receipt",
        "POST",
    ): "anon=302 client=200 other_client=404 therapist=200 other_therapist=404 admin=404 other_admin=404",
    (
        "consent:revoke",
        "GET",
    ): "anon=302 client=200 other_client=404 therapist=403 other_therapist=403 admin=403 other_admin=403",
    (
        "consent:revoke",
        "POST",
    ): "anon=302 client=302 other_client=404 therapist=403 other_therapist=403 admin=403 other_admin=403",
    (
        "consent:sign",
        "GET",
    ): "anon=302 client=200 other_client=200 therapist=403 other_therapist=403 admin=403 other_admin=403",
    (
        "consent:sign",
        "POST",
    ): "anon=302 client=400 other_client=400 therapist=403 other_therapist=403 admin=403 other_admin=403",
    (
        "home",
        "GET",
    ): "anon=302 client=302 other_client=302 therapist=302 other_therapist=302 admin=302 other_admin=302",
    (
        "home",
        "POST",
    ): "anon=302 client=302 other_client=302 therapist=302 other_therapist=302 admin=302 other_admin=302",
    (
        "invitation_accept",
        "GET",
    ): "anon=200 client=200 other_client=200 therapist=200 other_therapist=200 admin=200 other_admin=200",
    (
        "invitation_accept",
        "POST",
    ): "anon=200 client=200 other_client=200 therapist=200 other_therapist=200 admin=200 other_admin=200",
    (
        "login",
        "GET",
    ): "anon=200 client=302 other_client=302 therapist=302 other_therapist=302 admin=302 other_admin=302",
    (
        "login",
        "POST",
    ): "anon=200 client=302 other_client=302 therapist=302 other_therapist=302 admin=302 other_admin=302",
    (
        "logout_everywhere",
        "GET",
    ): "anon=302 client=405 other_client=405 therapist=405 other_therapist=405 admin=405 other_admin=405",
    (
        "logout_everywhere",
        "POST",
    ): "anon=302 client=302 other_client=302 therapist=302 other_therapist=302 admin=302 other_admin=302",
    (
        "two_factor_enrol",
        "GET",
    ): "anon=302 client=200 other_client=200 therapist=200 other_therapist=200 admin=200 other_admin=200",
    (
        "two_factor_enrol",
        "POST",
    ): "anon=302 client=200 other_client=200 therapist=200 other_therapist=200 admin=200 other_admin=200",
    (
        "two_factor_verify",
        "GET",
    ): "anon=302 client=200 other_client=200 therapist=200 other_therapist=200 admin=200 other_admin=200",
    (
        "two_factor_verify",
        "POST",
    ): "anon=302 client=200 other_client=200 therapist=200 other_therapist=200 admin=200 other_admin=200",
    (
        "two_factor_disable",
        "GET",
    ): "anon=302 client=405 other_client=405 therapist=405 other_therapist=405 admin=405 other_admin=405",
    (
        "two_factor_disable",
        "POST",
    ): "anon=302 client=302 other_client=302 therapist=302 other_therapist=302 admin=302 other_admin=302",
    (
        "practice:security",
        "GET",
    ): "anon=302 client=403 other_client=403 therapist=403 other_therapist=403 admin=405 other_admin=405",
    (
        "practice:security",
        "POST",
    ): "anon=302 client=403 other_client=403 therapist=403 other_therapist=403 admin=302 other_admin=302",
    (
        "logout",
        "GET",
    ): "anon=405 client=405 other_client=405 therapist=405 other_therapist=405 admin=405 other_admin=405",
    (
        "logout",
        "POST",
    ): "anon=302 client=302 other_client=302 therapist=302 other_therapist=302 admin=302 other_admin=302",
    (
        "messaging:alert_ack",
        "GET",
    ): "anon=302 client=405 other_client=405 therapist=405 other_therapist=405 admin=405 other_admin=405",
    (
        "messaging:alert_ack",
        "POST",
    ): "anon=302 client=403 other_client=403 therapist=302 other_therapist=404 admin=403 other_admin=403",
    (
        "messaging:call_book",
        "GET",
    ): "anon=302 client=405 other_client=405 therapist=405 other_therapist=405 admin=405 other_admin=405",
    (
        "messaging:call_book",
        "POST",
    ): "anon=302 client=400 other_client=404 therapist=400 other_therapist=404 admin=404 other_admin=404",
    (
        "messaging:call_confirm",
        "GET",
    ): "anon=302 client=405 other_client=405 therapist=405 other_therapist=405 admin=405 other_admin=405",
    (
        "messaging:call_confirm",
        "POST",
    ): "anon=302 client=403 other_client=403 therapist=302 other_therapist=404 admin=403 other_admin=403",
    (
        "messaging:call_decline",
        "GET",
    ): "anon=302 client=405 other_client=405 therapist=405 other_therapist=405 admin=405 other_admin=405",
    (
        "messaging:call_decline",
        "POST",
    ): "anon=302 client=403 other_client=403 therapist=302 other_therapist=404 admin=403 other_admin=403",
    (
        "messaging:cancel",
        "GET",
    ): "anon=302 client=405 other_client=405 therapist=405 other_therapist=405 admin=405 other_admin=405",
    (
        "messaging:cancel",
        "POST",
    ): "anon=302 client=302 other_client=404 therapist=404 other_therapist=404 admin=404 other_admin=404",
    (
        "messaging:care_end",
        "GET",
    ): "anon=302 client=405 other_client=405 therapist=405 other_therapist=405 admin=405 other_admin=405",
    (
        "messaging:care_end",
        "POST",
    ): "anon=302 client=403 other_client=403 therapist=400 other_therapist=404 admin=403 other_admin=403",
    (
        "messaging:care_reopen",
        "GET",
    ): "anon=302 client=405 other_client=405 therapist=405 other_therapist=405 admin=405 other_admin=405",
    (
        "messaging:care_reopen",
        "POST",
    ): "anon=302 client=403 other_client=403 therapist=302 other_therapist=404 admin=403 other_admin=403",
    (
        "messaging:client_home",
        "GET",
    ): "anon=302 client=200 other_client=200 therapist=403 other_therapist=403 admin=403 other_admin=403",
    (
        "messaging:client_home",
        "POST",
    ): "anon=302 client=405 other_client=405 therapist=405 other_therapist=405 admin=405 other_admin=405",
    (
        "messaging:record",
        "GET",
    ): "anon=302 client=200 other_client=200 therapist=403 other_therapist=403 admin=403 other_admin=403",
    (
        "messaging:record",
        "POST",
    ): "anon=302 client=405 other_client=405 therapist=405 other_therapist=405 admin=405 other_admin=405",
    (
        "messaging:contact_log",
        "GET",
    ): "anon=302 client=405 other_client=405 therapist=405 other_therapist=405 admin=405 other_admin=405",
    (
        "messaging:contact_log",
        "POST",
    ): "anon=302 client=403 other_client=403 therapist=400 other_therapist=404 admin=403 other_admin=403",
    (
        "messaging:index",
        "GET",
    ): "anon=302 client=302 other_client=302 therapist=302 other_therapist=302 admin=302 other_admin=302",
    (
        "messaging:index",
        "POST",
    ): "anon=302 client=302 other_client=302 therapist=302 other_therapist=302 admin=302 other_admin=302",
    (
        "messaging:mark_read",
        "GET",
    ): "anon=302 client=405 other_client=405 therapist=405 other_therapist=405 admin=405 other_admin=405",
    (
        "messaging:mark_read",
        "POST",
    ): "anon=302 client=200 other_client=404 therapist=200 other_therapist=404 admin=404 other_admin=404",
    (
        "messaging:poll",
        "GET",
    ): "anon=401 client=200 other_client=200 therapist=200 other_therapist=200 admin=200 other_admin=200",
    (
        "messaging:poll",
        "POST",
    ): "anon=405 client=405 other_client=405 therapist=405 other_therapist=405 admin=405 other_admin=405",
    (
        "messaging:send",
        "GET",
    ): "anon=302 client=405 other_client=405 therapist=405 other_therapist=405 admin=405 other_admin=405",
    (
        "messaging:send",
        "POST",
    ): "anon=302 client=400 other_client=404 therapist=400 other_therapist=404 admin=404 other_admin=404",
    (
        "messaging:therapist_home",
        "GET",
    ): "anon=302 client=403 other_client=403 therapist=200 other_therapist=200 admin=403 other_admin=403",
    (
        "messaging:therapist_home",
        "POST",
    ): "anon=302 client=405 other_client=405 therapist=405 other_therapist=405 admin=405 other_admin=405",
    (
        "messaging:thread",
        "GET",
    ): "anon=302 client=200 other_client=404 therapist=200 other_therapist=404 admin=404 other_admin=404",
    (
        "messaging:thread",
        "POST",
    ): "anon=302 client=405 other_client=405 therapist=405 other_therapist=405 admin=405 other_admin=405",
    (
        "policies:diff",
        "GET",
    ): "anon=302 client=403 other_client=403 therapist=200 other_therapist=200 admin=403 other_admin=403",
    (
        "policies:diff",
        "POST",
    ): "anon=302 client=403 other_client=403 therapist=200 other_therapist=200 admin=403 other_admin=403",
    (
        "policies:editor",
        "GET",
    ): "anon=302 client=403 other_client=403 therapist=200 other_therapist=200 admin=403 other_admin=403",
    (
        "policies:editor",
        "POST",
    ): "anon=302 client=403 other_client=403 therapist=400 other_therapist=400 admin=403 other_admin=403",
    (
        "policies:history",
        "GET",
    ): "anon=302 client=403 other_client=403 therapist=200 other_therapist=200 admin=403 other_admin=403",
    (
        "policies:history",
        "POST",
    ): "anon=302 client=403 other_client=403 therapist=200 other_therapist=200 admin=403 other_admin=403",
    (
        "policies:preview",
        "GET",
    ): "anon=302 client=403 other_client=403 therapist=200 other_therapist=200 admin=403 other_admin=403",
    (
        "policies:preview",
        "POST",
    ): "anon=302 client=403 other_client=403 therapist=200 other_therapist=200 admin=403 other_admin=403",
    (
        "policies:publish",
        "GET",
    ): "anon=302 client=403 other_client=403 therapist=405 other_therapist=405 admin=403 other_admin=403",
    (
        "policies:publish",
        "POST",
    ): "anon=302 client=403 other_client=403 therapist=302 other_therapist=302 admin=403 other_admin=403",
    (
        "policies:simulator",
        "GET",
    ): "anon=302 client=403 other_client=403 therapist=200 other_therapist=200 admin=403 other_admin=403",
    (
        "policies:simulator",
        "POST",
    ): "anon=302 client=403 other_client=403 therapist=400 other_therapist=400 admin=403 other_admin=403",
    (
        "practice:dashboard",
        "GET",
    ): "anon=302 client=403 other_client=403 therapist=403 other_therapist=403 admin=200 other_admin=200",
    (
        "practice:dashboard",
        "POST",
    ): "anon=302 client=403 other_client=403 therapist=403 other_therapist=403 admin=200 other_admin=200",
    (
        "practice:therapists",
        "GET",
    ): "anon=302 client=403 other_client=403 therapist=403 other_therapist=403 admin=200 other_admin=200",
    (
        "practice:therapists",
        "POST",
    ): "anon=302 client=403 other_client=403 therapist=403 other_therapist=403 admin=400 other_admin=400",
    (
        "practice:therapist_invitation_resend",
        "GET",
    ): "anon=302 client=403 other_client=403 therapist=403 other_therapist=403 admin=405 other_admin=405",
    (
        "practice:therapist_invitation_resend",
        "POST",
    ): "anon=302 client=403 other_client=403 therapist=403 other_therapist=403 admin=302 other_admin=404",
    (
        "therapist_invitation_accept",
        "GET",
    ): "anon=200 client=200 other_client=200 therapist=200 other_therapist=200 admin=200 other_admin=200",
    (
        "therapist_invitation_accept",
        "POST",
    ): "anon=400 client=400 other_client=400 therapist=400 other_therapist=400 admin=400 other_admin=400",
    # Token logout: only a token may call it (405 for GET once the token is known).
    # Password pages: the reset is open to anyone; the link is the client's. Holding it, anyone is
    # sent on to its form (302); the client's own login since the e-mail (last_login) voids it (200,
    # "no longer works"), as Django's token is made from last_login and the password hash.
    (
        "api-logout",
        "GET",
    ): "anon=401 client=405 other_client=405 therapist=405 other_therapist=405 admin=405 other_admin=405",
    (
        "api-logout",
        "POST",
    ): "anon=401 client=204 other_client=204 therapist=204 other_therapist=204 admin=204 other_admin=204",
    (
        "password_change",
        "GET",
    ): "anon=302 client=200 other_client=200 therapist=200 other_therapist=200 admin=200 other_admin=200",
    (
        "password_change",
        "POST",
    ): "anon=302 client=200 other_client=200 therapist=200 other_therapist=200 admin=200 other_admin=200",
    (
        "password_change_done",
        "GET",
    ): "anon=302 client=200 other_client=200 therapist=200 other_therapist=200 admin=200 other_admin=200",
    (
        "password_change_done",
        "POST",
    ): "anon=302 client=405 other_client=405 therapist=405 other_therapist=405 admin=405 other_admin=405",
    (
        "password_reset",
        "GET",
    ): "anon=200 client=200 other_client=200 therapist=200 other_therapist=200 admin=200 other_admin=200",
    (
        "password_reset",
        "POST",
    ): "anon=200 client=200 other_client=200 therapist=200 other_therapist=200 admin=200 other_admin=200",
    (
        "password_reset_done",
        "GET",
    ): "anon=200 client=200 other_client=200 therapist=200 other_therapist=200 admin=200 other_admin=200",
    (
        "password_reset_done",
        "POST",
    ): "anon=405 client=405 other_client=405 therapist=405 other_therapist=405 admin=405 other_admin=405",
    (
        "password_reset_confirm",
        "GET",
    ): "anon=302 client=200 other_client=302 therapist=302 other_therapist=302 admin=302 other_admin=302",
    (
        "password_reset_confirm",
        "POST",
    ): "anon=302 client=200 other_client=302 therapist=302 other_therapist=302 admin=302 other_admin=302",
    (
        "password_reset_complete",
        "GET",
    ): "anon=200 client=200 other_client=200 therapist=200 other_therapist=200 admin=200 other_admin=200",
    (
        "password_reset_complete",
        "POST",
    ): "anon=405 client=405 other_client=405 therapist=405 other_therapist=405 admin=405 other_admin=405",
}


# The therapist (also an admin) signed in with the password only. Reviewed by hand: every page
# but the code step, the enrolment (only where the practice requires it) and logging out of
# this one session sends them to the code or enrolment page; every API endpoint that needs a
# caller answers 401, as without credentials; the doors anyone may use (token, schema, docs,
# invitation accept) answer as they answer anyone. "Log out everywhere" is not open to them.
STATE_MATRIX: dict[tuple[str, str], str] = {
    ("api-audit-checkpoint", "GET"): "pending=401 unenrolled=401",
    ("api-audit-checkpoint", "POST"): "pending=401 unenrolled=401",
    ("api-audit-exceptions", "GET"): "pending=401 unenrolled=401",
    ("api-audit-exceptions", "POST"): "pending=401 unenrolled=401",
    ("api-audit-review", "GET"): "pending=401 unenrolled=401",
    ("api-audit-review", "POST"): "pending=401 unenrolled=401",
    ("api-audit-verify", "GET"): "pending=401 unenrolled=401",
    ("api-audit-verify", "POST"): "pending=401 unenrolled=401",
    ("api-calls", "GET"): "pending=401 unenrolled=401",
    ("api-calls", "POST"): "pending=401 unenrolled=401",
    ("api-consent-fhir", "GET"): "pending=401 unenrolled=401",
    ("api-consent-fhir", "POST"): "pending=401 unenrolled=401",
    ("api-consent-revoke", "GET"): "pending=401 unenrolled=401",
    ("api-consent-revoke", "POST"): "pending=401 unenrolled=401",
    ("api-consents", "GET"): "pending=401 unenrolled=401",
    ("api-consents", "POST"): "pending=401 unenrolled=401",
    ("api-contacts", "GET"): "pending=401 unenrolled=401",
    ("api-contacts", "POST"): "pending=401 unenrolled=401",
    ("api-docs", "GET"): "pending=200 unenrolled=200",
    ("api-docs", "POST"): "pending=405 unenrolled=405",
    ("api-end-care", "GET"): "pending=401 unenrolled=401",
    ("api-end-care", "POST"): "pending=401 unenrolled=401",
    ("api-invitation-accept", "GET"): "pending=405 unenrolled=405",
    ("api-invitation-accept", "POST"): "pending=400 unenrolled=400",
    ("api-invitations", "GET"): "pending=401 unenrolled=401",
    ("api-invitations", "POST"): "pending=401 unenrolled=401",
    ("api-logout", "GET"): "pending=401 unenrolled=401",
    ("api-logout", "POST"): "pending=401 unenrolled=401",
    ("api-me-export", "GET"): "pending=401 unenrolled=401",
    ("api-me-export", "POST"): "pending=401 unenrolled=401",
    ("api-message-cancel", "GET"): "pending=401 unenrolled=401",
    ("api-message-cancel", "POST"): "pending=401 unenrolled=401",
    ("api-messages", "GET"): "pending=401 unenrolled=401",
    ("api-messages", "POST"): "pending=401 unenrolled=401",
    ("api-policies", "GET"): "pending=401 unenrolled=401",
    ("api-policies", "POST"): "pending=401 unenrolled=401",
    ("api-policy", "GET"): "pending=401 unenrolled=401",
    ("api-policy", "POST"): "pending=401 unenrolled=401",
    ("api-policy-current", "GET"): "pending=401 unenrolled=401",
    ("api-policy-current", "POST"): "pending=401 unenrolled=401",
    ("api-policy-evaluate", "GET"): "pending=401 unenrolled=401",
    ("api-policy-evaluate", "POST"): "pending=401 unenrolled=401",
    ("api-policy-publish", "GET"): "pending=401 unenrolled=401",
    ("api-policy-publish", "POST"): "pending=401 unenrolled=401",
    ("api-preview", "GET"): "pending=401 unenrolled=401",
    ("api-preview", "POST"): "pending=401 unenrolled=401",
    ("api-reopen", "GET"): "pending=401 unenrolled=401",
    ("api-reopen", "POST"): "pending=401 unenrolled=401",
    ("api-schema", "GET"): "pending=200 unenrolled=200",
    ("api-schema", "POST"): "pending=405 unenrolled=405",
    ("api-therapists", "GET"): "pending=401 unenrolled=401",
    ("api-therapists", "POST"): "pending=401 unenrolled=401",
    ("api-threads", "GET"): "pending=401 unenrolled=401",
    ("api-threads", "POST"): "pending=401 unenrolled=401",
    ("api-token", "GET"): "pending=405 unenrolled=405",
    ("api-token", "POST"): "pending=400 unenrolled=400",
    ("audit:break_glass", "GET"): "pending=2fa unenrolled=enrol",
    ("audit:break_glass", "POST"): "pending=2fa unenrolled=enrol",
    ("audit:break_glass_notice", "GET"): "pending=2fa unenrolled=enrol",
    ("audit:break_glass_notice", "POST"): "pending=2fa unenrolled=enrol",
    ("audit:checkpoint_download", "GET"): "pending=2fa unenrolled=enrol",
    ("audit:checkpoint_download", "POST"): "pending=2fa unenrolled=enrol",
    ("audit:verify_full", "GET"): "pending=2fa unenrolled=enrol",
    ("audit:verify_full", "POST"): "pending=2fa unenrolled=enrol",
    ("audit:dashboard", "GET"): "pending=2fa unenrolled=enrol",
    ("audit:dashboard", "POST"): "pending=2fa unenrolled=enrol",
    ("audit:events", "GET"): "pending=2fa unenrolled=enrol",
    ("audit:events", "POST"): "pending=2fa unenrolled=enrol",
    ("audit:events_export", "GET"): "pending=2fa unenrolled=enrol",
    ("audit:events_export", "POST"): "pending=2fa unenrolled=enrol",
    ("audit:exception", "GET"): "pending=2fa unenrolled=enrol",
    ("audit:exception", "POST"): "pending=2fa unenrolled=enrol",
    ("audit:exceptions", "GET"): "pending=2fa unenrolled=enrol",
    ("audit:exceptions", "POST"): "pending=2fa unenrolled=enrol",
    ("audit:export", "GET"): "pending=2fa unenrolled=enrol",
    ("audit:export", "POST"): "pending=2fa unenrolled=enrol",
    ("audit:review", "GET"): "pending=2fa unenrolled=enrol",
    ("audit:review", "POST"): "pending=2fa unenrolled=enrol",
    ("audit:verify", "GET"): "pending=2fa unenrolled=enrol",
    ("audit:verify", "POST"): "pending=2fa unenrolled=enrol",
    ("consent:clients", "GET"): "pending=2fa unenrolled=enrol",
    ("consent:clients", "POST"): "pending=2fa unenrolled=enrol",
    ("consent:invitation_cancel", "GET"): "pending=2fa unenrolled=enrol",
    ("consent:invitation_cancel", "POST"): "pending=2fa unenrolled=enrol",
    ("consent:invitation_resend", "GET"): "pending=2fa unenrolled=enrol",
    ("consent:invitation_resend", "POST"): "pending=2fa unenrolled=enrol",
    ("consent:receipt", "GET"): "pending=2fa unenrolled=enrol",
    ("consent:receipt", "POST"): "pending=2fa unenrolled=enrol",
    ("consent:revoke", "GET"): "pending=2fa unenrolled=enrol",
    ("consent:revoke", "POST"): "pending=2fa unenrolled=enrol",
    ("consent:sign", "GET"): "pending=2fa unenrolled=enrol",
    ("consent:sign", "POST"): "pending=2fa unenrolled=enrol",
    ("home", "GET"): "pending=2fa unenrolled=enrol",
    ("home", "POST"): "pending=2fa unenrolled=enrol",
    ("invitation_accept", "GET"): "pending=2fa unenrolled=enrol",
    ("invitation_accept", "POST"): "pending=2fa unenrolled=enrol",
    ("login", "GET"): "pending=2fa unenrolled=enrol",
    ("login", "POST"): "pending=2fa unenrolled=enrol",
    ("logout", "GET"): "pending=405 unenrolled=405",
    ("logout", "POST"): "pending=302 unenrolled=302",
    ("logout_everywhere", "GET"): "pending=2fa unenrolled=enrol",
    ("logout_everywhere", "POST"): "pending=2fa unenrolled=enrol",
    ("messaging:alert_ack", "GET"): "pending=2fa unenrolled=enrol",
    ("messaging:alert_ack", "POST"): "pending=2fa unenrolled=enrol",
    ("messaging:call_book", "GET"): "pending=2fa unenrolled=enrol",
    ("messaging:call_book", "POST"): "pending=2fa unenrolled=enrol",
    ("messaging:call_confirm", "GET"): "pending=2fa unenrolled=enrol",
    ("messaging:call_confirm", "POST"): "pending=2fa unenrolled=enrol",
    ("messaging:call_decline", "GET"): "pending=2fa unenrolled=enrol",
    ("messaging:call_decline", "POST"): "pending=2fa unenrolled=enrol",
    ("messaging:cancel", "GET"): "pending=2fa unenrolled=enrol",
    ("messaging:cancel", "POST"): "pending=2fa unenrolled=enrol",
    ("messaging:care_end", "GET"): "pending=2fa unenrolled=enrol",
    ("messaging:care_end", "POST"): "pending=2fa unenrolled=enrol",
    ("messaging:care_reopen", "GET"): "pending=2fa unenrolled=enrol",
    ("messaging:care_reopen", "POST"): "pending=2fa unenrolled=enrol",
    ("messaging:client_home", "GET"): "pending=2fa unenrolled=enrol",
    ("messaging:client_home", "POST"): "pending=2fa unenrolled=enrol",
    ("messaging:contact_log", "GET"): "pending=2fa unenrolled=enrol",
    ("messaging:contact_log", "POST"): "pending=2fa unenrolled=enrol",
    ("messaging:index", "GET"): "pending=2fa unenrolled=enrol",
    ("messaging:index", "POST"): "pending=2fa unenrolled=enrol",
    ("messaging:mark_read", "GET"): "pending=2fa unenrolled=enrol",
    ("messaging:mark_read", "POST"): "pending=2fa unenrolled=enrol",
    ("messaging:poll", "GET"): "pending=2fa unenrolled=enrol",
    ("messaging:poll", "POST"): "pending=2fa unenrolled=enrol",
    ("messaging:record", "GET"): "pending=2fa unenrolled=enrol",
    ("messaging:record", "POST"): "pending=2fa unenrolled=enrol",
    ("messaging:send", "GET"): "pending=2fa unenrolled=enrol",
    ("messaging:send", "POST"): "pending=2fa unenrolled=enrol",
    ("messaging:therapist_home", "GET"): "pending=2fa unenrolled=enrol",
    ("messaging:therapist_home", "POST"): "pending=2fa unenrolled=enrol",
    ("messaging:thread", "GET"): "pending=2fa unenrolled=enrol",
    ("messaging:thread", "POST"): "pending=2fa unenrolled=enrol",
    ("password_change", "GET"): "pending=2fa unenrolled=enrol",
    ("password_change", "POST"): "pending=2fa unenrolled=enrol",
    ("password_change_done", "GET"): "pending=2fa unenrolled=enrol",
    ("password_change_done", "POST"): "pending=2fa unenrolled=enrol",
    ("password_reset", "GET"): "pending=2fa unenrolled=enrol",
    ("password_reset", "POST"): "pending=2fa unenrolled=enrol",
    ("password_reset_complete", "GET"): "pending=2fa unenrolled=enrol",
    ("password_reset_complete", "POST"): "pending=2fa unenrolled=enrol",
    ("password_reset_confirm", "GET"): "pending=2fa unenrolled=enrol",
    ("password_reset_confirm", "POST"): "pending=2fa unenrolled=enrol",
    ("password_reset_done", "GET"): "pending=2fa unenrolled=enrol",
    ("password_reset_done", "POST"): "pending=2fa unenrolled=enrol",
    ("policies:diff", "GET"): "pending=2fa unenrolled=enrol",
    ("policies:diff", "POST"): "pending=2fa unenrolled=enrol",
    ("policies:editor", "GET"): "pending=2fa unenrolled=enrol",
    ("policies:editor", "POST"): "pending=2fa unenrolled=enrol",
    ("policies:history", "GET"): "pending=2fa unenrolled=enrol",
    ("policies:history", "POST"): "pending=2fa unenrolled=enrol",
    ("policies:preview", "GET"): "pending=2fa unenrolled=enrol",
    ("policies:preview", "POST"): "pending=2fa unenrolled=enrol",
    ("policies:publish", "GET"): "pending=2fa unenrolled=enrol",
    ("policies:publish", "POST"): "pending=2fa unenrolled=enrol",
    ("policies:simulator", "GET"): "pending=2fa unenrolled=enrol",
    ("policies:simulator", "POST"): "pending=2fa unenrolled=enrol",
    ("practice:dashboard", "GET"): "pending=2fa unenrolled=enrol",
    ("practice:dashboard", "POST"): "pending=2fa unenrolled=enrol",
    ("practice:security", "GET"): "pending=2fa unenrolled=enrol",
    ("practice:security", "POST"): "pending=2fa unenrolled=enrol",
    ("practice:therapists", "GET"): "pending=2fa unenrolled=enrol",
    ("practice:therapists", "POST"): "pending=2fa unenrolled=enrol",
    ("practice:therapist_invitation_resend", "GET"): "pending=2fa unenrolled=enrol",
    ("practice:therapist_invitation_resend", "POST"): "pending=2fa unenrolled=enrol",
    ("therapist_invitation_accept", "GET"): "pending=2fa unenrolled=enrol",
    ("therapist_invitation_accept", "POST"): "pending=2fa unenrolled=enrol",
    ("two_factor_disable", "GET"): "pending=405 unenrolled=405",
    ("two_factor_disable", "POST"): "pending=enrol unenrolled=enrol",
    ("two_factor_enrol", "GET"): "pending=2fa unenrolled=200",
    ("two_factor_enrol", "POST"): "pending=2fa unenrolled=200",
    ("two_factor_verify", "GET"): "pending=200 unenrolled=200",
    ("two_factor_verify", "POST"): "pending=200 unenrolled=200",
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


def test_every_url_has_a_row():
    missing = [(n, m) for n in ALL_NAMES for m in ("GET", "POST") if (n, m) not in MATRIX]
    assert not missing, f"URLs with no row in the authorization matrix: {missing}"
    stale = [key for key in MATRIX if key[0] not in ALL_NAMES]
    assert not stale, f"rows for URLs that no longer exist: {stale}"


def test_every_url_has_a_row_for_the_two_factor_states():
    missing = [(n, m) for n in ALL_NAMES for m in ("GET", "POST") if (n, m) not in STATE_MATRIX]
    assert not missing, f"URLs with no row in STATE_MATRIX: {missing}"
    stale = [key for key in STATE_MATRIX if key[0] not in ALL_NAMES]
    assert not stale, f"STATE_MATRIX rows for URLs that no longer exist: {stale}"


@pytest.mark.parametrize("name,method", sorted(STATE_MATRIX))
@pytest.mark.django_db
def test_answers_in_the_two_factor_states(name, method):
    from django.db import transaction

    world = World()
    expected = row(STATE_MATRIX[(name, method)], STATES)
    got = {}
    for persona in STATES:
        with transaction.atomic():
            got[persona] = answer(world, name, method, persona)
            transaction.set_rollback(True)
    assert got == expected


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
