"""The consents clients sign to published policy versions."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone

from policies.models import IllegalTransition
from portal.crypto import EncryptedTextField


class Consent(models.Model):
    """A client's informed consent to one exact published version.

    The signed fields never change after creation; only the status fields move.
    """

    class Status(models.TextChoices):
        ACTIVE = "active"
        REVOKED = "revoked"
        SUPERSEDED = "superseded"

    TRANSITIONS: ClassVar[dict[str, set[str]]] = {
        Status.ACTIVE: {Status.REVOKED, Status.SUPERSEDED},
        Status.SUPERSEDED: {Status.REVOKED},
    }
    FROZEN_FIELDS = (
        "client_id",
        "therapist_id",
        "policy_version_id",
        "content_sha256",
        "signed_name",
        "channels",
        "signed_at",
        "ip_address",
        "user_agent",
    )

    practice = models.ForeignKey("portal.Practice", on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="consents")
    therapist = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    policy_version = models.ForeignKey(
        "policies.PolicyVersion", on_delete=models.PROTECT, related_name="consents"
    )
    content_sha256 = models.CharField(max_length=64)
    signed_name = models.CharField(max_length=200)
    channels = models.JSONField(default=list)
    signed_at = models.DateTimeField(default=timezone.now)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.TextField(blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.ACTIVE)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revocation_reason = EncryptedTextField(blank=True)
    superseded_at = models.DateTimeField(null=True, blank=True)
    # While superseded: the instant its version stops governing (the grace period of
    # the version that replaced it, or that version's successor's publication).
    grace_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        # The table kept its name when the model moved here from policies (migration 0001).
        db_table = "policies_consent"
        ordering = ["-signed_at", "-id"]
        indexes = [
            models.Index(fields=["client", "-signed_at"]),
            models.Index(fields=["therapist", "status"]),
        ]

    def __str__(self) -> str:
        return f"consent {self.pk} ({self.status})"

    def check_transition(self, to: str) -> None:
        if to not in self.TRANSITIONS.get(self.status, set()):
            raise IllegalTransition(f"A {self.status} consent cannot become {to}.")

    def governs_at(self, at) -> bool:
        """Rule 3 of the contract, from this row alone (publish keeps grace_until true)."""
        if self.status == self.Status.ACTIVE:
            return True
        return (
            self.status == self.Status.SUPERSEDED and self.grace_until is not None and at < self.grace_until
        )

    def snapshot_state(self, at) -> str:
        if self.status == self.Status.ACTIVE:
            return "active"
        if self.status == self.Status.REVOKED:
            return "revoked"
        return "grace" if self.governs_at(at) else "superseded"
