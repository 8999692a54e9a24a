"""What publishing a version tells the rest of the portal, without policies importing it.

Publishing asks every client with an active consent to review the new version (CONTRACT
"Consent"): that half is the consent app's (consent.receivers), and policies imports
neither consent nor messaging (tests/policies/test_imports.py). Both signals are sent
inside policy_publish's transaction; a receiver that raises rolls the publication back."""

from __future__ import annotations

from django.dispatch import Signal

# Sent with `therapist_id` and `at` once the therapist and their threads are locked and
# before the version is: a receiver locks the rows it will change (portal.locks's order).
version_publishing = Signal()

# Sent with `version` (now published), `actor` and `at`. A receiver may return a dict of
# facts for the "policy.published" audit event (e.g. how many consents it superseded).
version_published = Signal()
