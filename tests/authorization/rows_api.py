"""The authorization matrix's rows for the REST API (`api-*`): tests/test_authorization_matrix.py."""

# Reviewed by hand: 302 = sent to log in; 401 = no token; 403 = the role may not;
# 404 = not theirs; 405 = not this method; 400 = allowed in, empty body refused;
# 409 = allowed, but the state forbids it (nothing to publish or reopen).
API_ROWS: dict[tuple[str, str], str] = {
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
}
