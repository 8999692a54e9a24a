"""The authorization matrix's rows for the pages outside the apps' namespaces (home, log in and out,
two-factor login, invitations, passwords): tests/test_authorization_matrix.py."""

# Reviewed by hand: 302 = sent to log in; 401 = no token; 403 = the role may not;
# 404 = not theirs; 405 = not this method; 400 = allowed in, empty body refused;
# 409 = allowed, but the state forbids it (nothing to publish or reopen).
ACCOUNT_ROWS: dict[tuple[str, str], str] = {
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
        "logout",
        "GET",
    ): "anon=405 client=405 other_client=405 therapist=405 other_therapist=405 admin=405 other_admin=405",
    (
        "logout",
        "POST",
    ): "anon=302 client=302 other_client=302 therapist=302 other_therapist=302 admin=302 other_admin=302",
    (
        "therapist_invitation_accept",
        "GET",
    ): "anon=200 client=200 other_client=200 therapist=200 other_therapist=200 admin=200 other_admin=200",
    (
        "therapist_invitation_accept",
        "POST",
    ): "anon=400 client=400 other_client=400 therapist=400 other_therapist=400 admin=400 other_admin=400",
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
