"""The authorization matrix's rows for the apps' browser pages (`audit:`, `consent:`, `messaging:`,
`policies:`, `practice:`): tests/test_authorization_matrix.py."""

# Reviewed by hand: 302 = sent to log in; 401 = no token; 403 = the role may not;
# 404 = not theirs; 405 = not this method; 400 = allowed in, empty body refused;
# 409 = allowed, but the state forbids it (nothing to publish or reopen).
PAGE_ROWS: dict[tuple[str, str], str] = {
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
        "practice:security",
        "GET",
    ): "anon=302 client=403 other_client=403 therapist=403 other_therapist=403 admin=405 other_admin=405",
    (
        "practice:security",
        "POST",
    ): "anon=302 client=403 other_client=403 therapist=403 other_therapist=403 admin=302 other_admin=302",
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
}
