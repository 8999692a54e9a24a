"""The audit pages' words: exception kinds, their groups, and audit actions.

One place for the admin's pages (list, detail, events, charts, CSV), so a code is never
shown raw in one place and worded differently in another. Unknown codes fall back to words.
The exception kinds' own short labels are `policies.vocabulary`'s."""

from __future__ import annotations

# The charts group kinds so an auditor sees boundary crossings apart from consent changes and
# crises: a client withdrawing consent is not a boundary crossed.
EXCEPTION_KIND_GROUPS = {
    "boundary": ("Boundary crossings", ("blocked", "override", "after_hours", "emergency_mismatch")),
    "crisis": ("Crisis escalations", ("crisis",)),
    "consent": ("Consent changes", ("consent_revoked",)),
}

AUDIT_ACTION_LABELS = {
    "account.created": "Account created",
    "audit.break_glass_read": "Message read under break-glass",
    "audit.exceptions_exported": "Exceptions exported (CSV)",
    "audit.events_exported": "Audit events exported (CSV)",
    "audit.full_verification_requested": "Full re-verification of the audit chain requested",
    "auth.locked_out": "Login locked out",
    "auth.login": "Logged in",
    "auth.login_failed": "Login failed",
    "auth.logout": "Logged out",
    "auth.logout_everywhere": "Logged out everywhere",
    "auth.password_changed": "Password changed",
    "auth.password_reset_completed": "Password reset completed",
    "auth.password_reset_requested": "Password reset requested",
    "auth.recovery_code_used": "Recovery code used",
    "auth.token_issued": "API token issued",
    "auth.token_revoked": "API token revoked",
    "auth.two_factor_disabled": "Two-factor login switched off",
    "auth.two_factor_enrolled": "Two-factor login set up",
    "call.confirmed": "Call confirmed",
    "call.declined": "Call declined",
    "care.ended": "Care ended",
    "care.reopened": "Care reopened",
    "consent.revoked": "Consent withdrawn",
    "consent.signed": "Consent signed",
    "consent.superseded": "Consent superseded by a new policy version",
    "contact.cancelled": "Held message cancelled",
    "contact.decided": "Contact decided",
    "contact.exception": "Second boundary exception of a contact",
    "contact.released": "Held message released",
    "crisis.acknowledged": "Crisis alert acknowledged",
    "crisis.escalated_to_admin": "Crisis alert passed to the practice admin",
    "exception.reviewed": "Exception reviewed",
    "export.client_record": "Client downloaded their record",
    "invitation.accepted": "Client invitation accepted",
    "invitation.cancelled": "Client invitation cancelled",
    "invitation.created": "Client invited",
    "invitation.resent": "Client invitation sent again",
    "policy.draft_created": "Policy draft created",
    "policy.draft_replaced": "Policy draft replaced",
    "policy.published": "Policy version published",
    "practice.created": "Practice created",
    "practice.two_factor_required": "Practice two-factor requirement changed",
    "therapist_invitation.accepted": "Therapist invitation accepted",
    "therapist_invitation.created": "Therapist invited",
    "therapist_invitation.cancelled": "Therapist invitation cancelled",
    "therapist_invitation.resent": "Therapist invitation sent again",
    "thread.viewed": "Thread opened",
}


def audit_action_label(code: str) -> str:
    return AUDIT_ACTION_LABELS.get(code, code.replace(".", ": ").replace("_", " ").capitalize())
