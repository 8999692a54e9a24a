"""What a consent's change tells the rest of the portal, without consent importing it.

Consent sits below messaging: messaging enforces consent on every contact and imports it,
never the other way round (tests/consent/test_imports.py). What messaging must do when a
consent changes it hears here, as consent hears a publication from policies.signals."""

from __future__ import annotations

from django.dispatch import Signal

# Sent by consent_revoke inside its transaction, with `consent` (now revoked, its audit event
# written) and `client`, once the client's thread and then the consent are locked: a receiver
# withdraws what was waiting on it (messaging.receivers: held messages cancelled, upcoming
# calls declined), locking its rows after those two (portal.locks's order). A receiver that
# raises rolls the revocation back.
consent_revoked = Signal()
