"""Policy versions (draft -> published -> superseded); the consents clients sign to them are the
consent app's (consent.models)."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone

from portal.errors import Conflict


class IllegalTransition(Conflict):
    """That status change is not allowed."""


class PolicyVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft"
        PUBLISHED = "published"
        SUPERSEDED = "superseded"

    TRANSITIONS: ClassVar[dict[str, set[str]]] = {
        Status.DRAFT: {Status.PUBLISHED},
        Status.PUBLISHED: {Status.SUPERSEDED},
    }

    practice = models.ForeignKey("portal.Practice", on_delete=models.PROTECT, related_name="+")
    therapist = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="policy_versions"
    )
    version = models.PositiveIntegerField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    rules = models.JSONField()  # normalised by policies.rules.validate_rules
    text = models.TextField(blank=True)  # the canonical client-facing text, frozen on publish
    content_sha256 = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["therapist", "version"], name="policy_version_unique"),
            models.UniqueConstraint(
                fields=["therapist"], condition=models.Q(status="draft"), name="one_draft_per_therapist"
            ),
            models.UniqueConstraint(
                fields=["therapist"],
                condition=models.Q(status="published"),
                name="one_published_per_therapist",
            ),
        ]

    def __str__(self) -> str:
        return f"v{self.version} ({self.status})"

    def check_transition(self, to: str) -> None:
        if to not in self.TRANSITIONS.get(self.status, set()):
            raise IllegalTransition(f"A {self.status} version cannot become {to}.")

    @property
    def is_frozen(self) -> bool:
        return self.status != self.Status.DRAFT
