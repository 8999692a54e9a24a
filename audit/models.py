"""The append-only audit log (one hash chain per practice) and boundary exceptions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from portal.crypto import EncryptedTextField


class ChainHead(models.Model):
    """The last sealed event of a practice's chain; locked while sealing, so chains never fork."""

    practice = models.OneToOneField(
        "portal.Practice", primary_key=True, on_delete=models.PROTECT, related_name="+"
    )
    seq = models.BigIntegerField(default=0)
    head_hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"ChainHead practice={self.practice_id} seq={self.seq}"


class AuditEvent(models.Model):
    """One thing that happened. Written in the transaction of what it records.

    `seq`, `prev_hash` and `hash` are set once, by the sealer, which links events
    into the practice's chain in commit order. A database trigger (PostgreSQL)
    refuses every other UPDATE and every DELETE.
    """

    practice = models.ForeignKey(
        "portal.Practice", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    seq = models.BigIntegerField(null=True, blank=True)
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64, blank=True)
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
    )
    actor_role = models.CharField(max_length=10, blank=True)
    action = models.CharField(max_length=60)
    therapist_id = models.BigIntegerField(null=True, blank=True)
    client_id = models.BigIntegerField(null=True, blank=True)
    object_type = models.CharField(max_length=40, blank=True)
    object_id = models.BigIntegerField(null=True, blank=True)
    # Canonical JSON (sorted keys) of the details: reason codes, outcome, ids. Never a body.
    data = models.TextField(default="{}")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["practice", "seq"], name="audit_event_practice_seq")]
        indexes = [
            models.Index(
                fields=["practice", "id"], name="audit_unsealed_idx", condition=models.Q(seq__isnull=True)
            ),
            models.Index(fields=["practice", "action", "-id"]),
            # The events browser: keyset paging newest first under each of its filters.
            models.Index(fields=["practice", "-id"], name="audit_event_practice_id"),
            models.Index(fields=["practice", "actor", "-id"], name="audit_event_actor_id"),
            models.Index(fields=["practice", "therapist_id", "-id"], name="audit_event_therapist_id"),
            models.Index(fields=["practice", "client_id", "-id"], name="audit_event_client_id"),
            # The events browser's date range (audit.selectors.events_for with since/until:
            # `WHERE practice_id = %s AND at >= %s AND at < %s [AND id < %s] ORDER BY id DESC
            # LIMIT 51`): the ids of the range from the index alone, then 51 rows by key; by
            # (practice, -id) an old range walked every newer event first (0.8-2 s at 1M).
            models.Index(fields=["practice", "at"], include=["id"], name="audit_event_practice_at"),
        ]

    def __str__(self) -> str:
        return f"AuditEvent {self.pk} {self.action} seq={self.seq}"


class BoundaryException(models.Model):
    class Kind(models.TextChoices):
        BLOCKED = "blocked"
        OVERRIDE = "override"
        AFTER_HOURS = "after_hours"
        CRISIS = "crisis"
        CONSENT_REVOKED = "consent_revoked"
        # A client's emergency whose text reads as another category (still decided as an emergency).
        EMERGENCY_MISMATCH = "emergency_mismatch"

    practice = models.ForeignKey(
        "portal.Practice", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    event = models.OneToOneField(AuditEvent, on_delete=models.PROTECT, related_name="exception")
    therapist = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    client = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    message = models.ForeignKey(
        "messaging.Message",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    at = models.DateTimeField(default=timezone.now)
    reasons = models.JSONField(default=list)
    reviewed = models.BooleanField(default=False)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    review_note = EncryptedTextField(blank=True)

    class Meta:
        # Keyset paging (newest first by id) under every filter the admin page offers.
        indexes = [
            models.Index(fields=["practice", "-id"], name="exc_practice_id"),
            models.Index(fields=["practice", "kind", "-id"], name="exc_practice_kind_id"),
            models.Index(fields=["practice", "therapist", "-id"], name="exc_practice_therapist_id"),
            models.Index(fields=["practice", "client", "-id"], name="exc_practice_client_id"),
            models.Index(fields=["practice", "reviewed", "-id"], name="exc_practice_reviewed_id"),
            # The admin dashboard's charts (audit.charts.summary): exceptions of the period per
            # week by kind and reviewed, and per therapist by kind, `WHERE practice_id = %s AND
            # at >= %s GROUP BY ...`: an index-only scan of the period, no heap (it was a
            # bitmap heap scan of every row of the period). Serves `at` ranges as the plain
            # (practice, at) index did.
            models.Index(
                fields=["practice", "at"],
                include=["therapist", "kind", "reviewed", "id"],
                name="exc_practice_at_cover",
            ),
            # What is still to review: the dashboard's `count() WHERE practice_id = %s AND NOT
            # reviewed`, and the list filtered to "not reviewed", newest first (`... ORDER BY
            # id DESC LIMIT 51`), read only the unreviewed rows, a small share once reviews
            # keep up.
            models.Index(
                fields=["practice", "-id"], condition=models.Q(reviewed=False), name="exc_unreviewed_id"
            ),
            # The triage filter "this therapist, not reviewed" (`WHERE practice_id = %s AND
            # therapist_id = %s AND NOT reviewed ORDER BY id DESC`), without walking the
            # therapist's reviewed history.
            models.Index(
                fields=["practice", "therapist", "-id"],
                condition=models.Q(reviewed=False),
                name="exc_therapist_unreviewed_id",
            ),
        ]

    def __str__(self) -> str:
        return f"BoundaryException {self.pk} {self.kind} reviewed={self.reviewed}"


class BreakGlassRead(models.Model):
    """An admin's reading of a message body: its audit event, and the reason they gave.

    The reason is health data (it says why someone's message was read), so it lives here,
    encrypted, beside the event rather than in the event's hash-covered, plain `data`. The
    therapist's notice links to it; admins see it in the exception's audit trail.
    """

    event = models.OneToOneField(
        AuditEvent, on_delete=models.PROTECT, primary_key=True, related_name="break_glass"
    )
    practice = models.ForeignKey(
        "portal.Practice", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    exception = models.ForeignKey(
        BoundaryException, on_delete=models.PROTECT, related_name="break_glass_reads"
    )
    admin = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    therapist = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    message = models.ForeignKey(
        "messaging.Message", on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    at = models.DateTimeField(default=timezone.now)
    reason = EncryptedTextField()

    class Meta:
        indexes = [models.Index(fields=["therapist", "-at"], name="breakglass_therapist_at")]

    def __str__(self) -> str:
        return f"BreakGlassRead {self.pk} exception={self.exception_id}"


class Checkpoint(models.Model):
    """A signed statement of a practice's chain head: practice, seq, hash and time, signed with
    the Ed25519 key of PORTAL_AUDIT_SIGNING_KEY (never stored here). Also appended to a file
    outside the database (audit.checkpoints)."""

    practice = models.ForeignKey(
        "portal.Practice", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    seq = models.BigIntegerField()
    hash = models.CharField(max_length=64)
    signed_at = models.DateTimeField()
    signature = models.CharField(max_length=88)  # standard base64 of the 64-byte signature
    public_key = models.CharField(max_length=44)  # standard base64 of the 32-byte public key

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["practice", "seq"], name="audit_checkpoint_practice_seq")
        ]

    def __str__(self) -> str:
        return f"Checkpoint {self.pk} practice={self.practice_id} seq={self.seq}"


class VerificationRun(models.Model):
    """One full re-verification of a practice's chain (every hash and link from the first
    event): nightly from beat, or on demand from the verify page (through the outbox). The
    requests' own verifications start from the latest signed checkpoint; this run is what
    also finds an event altered before it (audit.tasks)."""

    class Status(models.TextChoices):
        QUEUED = "queued"
        OK = "ok"
        BROKEN = "broken"

    class Trigger(models.TextChoices):
        SCHEDULE = "schedule"
        REQUEST = "request"
        COMMAND = "command"

    practice = models.ForeignKey(
        "portal.Practice", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    trigger = models.CharField(max_length=10, choices=Trigger.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    requested_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    # The positions checked: from_seq (1, or 0 for an empty chain) to to_seq (the head, or
    # where it broke); `events` the chain's length as counted.
    from_seq = models.BigIntegerField(null=True, blank=True)
    to_seq = models.BigIntegerField(null=True, blank=True)
    events = models.BigIntegerField(null=True, blank=True)
    first_broken = models.BigIntegerField(null=True, blank=True)
    detail = models.CharField(max_length=300, blank=True)  # positions and causes only, never health data

    class Meta:
        # The verify page and each verification: the practice's latest finished run, and any queued.
        indexes = [models.Index(fields=["practice", "-id"], name="verifyrun_practice_id")]

    def __str__(self) -> str:
        return f"VerificationRun {self.pk} {self.trigger} {self.status}"
