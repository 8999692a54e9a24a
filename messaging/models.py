"""Threads, the contacts on them (messages, calls, logged contacts) and crisis alerts.

Every row here is written by messaging.services: no other code creates a message.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from portal.crypto import EncryptedTextField


class Thread(models.Model):
    """The one conversation between a client and their therapist."""

    practice = models.ForeignKey("portal.Practice", on_delete=models.PROTECT, related_name="+")
    therapist = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="therapist_threads"
    )
    client = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="thread")
    # The client's latest consent, read and locked with the thread on every send.
    consent = models.ForeignKey(
        "consent.Consent", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    care_ended_at = models.DateTimeField(null=True, blank=True)
    care_end_note = EncryptedTextField(blank=True)
    last_crisis_at = models.DateTimeField(null=True, blank=True)
    last_auto_reply_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["therapist", "-created_at"])]

    def __str__(self) -> str:
        return f"thread {self.pk} ({'care ended' if self.care_ended else 'open'})"

    @property
    def care_ended(self) -> bool:
        return self.care_ended_at is not None


class Message(models.Model):
    """One contact and its decision: a portal message, a call request, a logged contact,
    an auto-reply or a care note. Blocked attempts are kept (visible to the sender only)."""

    class Kind(models.TextChoices):
        MESSAGE = "message"
        CALL = "call"
        CONTACT = "contact"
        AUTO_REPLY = "auto_reply"
        CARE_NOTE = "care_note"

    class Status(models.TextChoices):
        DELIVERED = "delivered"
        HELD = "held"
        DELIVERED_WITH_EXCEPTION = "delivered_with_exception"
        ESCALATED = "escalated"
        BLOCKED = "blocked"
        CANCELLED = "cancelled"

    COUNTED_STATUSES = ("delivered", "held", "delivered_with_exception")
    VISIBLE_TO_RECIPIENT = ("delivered", "delivered_with_exception", "escalated")

    # No index of its own: the (thread, created_at) index below serves every lookup by thread.
    thread = models.ForeignKey(Thread, on_delete=models.PROTECT, related_name="messages", db_index=False)
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sender_role = models.CharField(max_length=10)  # client | therapist | system
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.MESSAGE)
    category = models.CharField(max_length=20, blank=True)
    channel = models.CharField(max_length=20, blank=True)
    body = EncryptedTextField(blank=True)
    override_reason = EncryptedTextField(blank=True)
    status = models.CharField(max_length=26, choices=Status.choices)
    reasons = models.JSONField(default=list)
    crisis_resources = models.TextField(blank=True)
    auto_reply = models.TextField(blank=True)
    policy_version = models.ForeignKey(
        "policies.PolicyVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    occurred_at = models.DateTimeField(null=True, blank=True)  # a logged contact's `at`
    minutes = models.PositiveIntegerField(null=True, blank=True)
    deliver_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["thread", "created_at"]),
            # the rate limit: a client's messages in one category in the last 168 h
            models.Index(fields=["thread", "sender_role", "category", "created_at"]),
            models.Index(
                fields=["deliver_at"], name="message_held_due_idx", condition=models.Q(status="held")
            ),
            # Unread counts (the poll, both dashboards) and mark_read: the few unread rows of a
            # thread, without scanning its read history (selectors.unread_filter).
            models.Index(
                fields=["thread"],
                name="message_unread_idx",
                condition=models.Q(
                    read_at__isnull=True, status__in=("delivered", "delivered_with_exception", "escalated")
                ),
            ),
            # The thread page's refused attempts (selectors.refused_attempts): the viewer's few
            # blocked messages of a thread, newest first. Without it a 20,000-message thread's
            # page read every message of the thread and of the sender (44 ms in EXPLAIN ANALYZE).
            models.Index(
                fields=["thread", "sender", "-created_at"],
                name="message_refused_idx",
                condition=models.Q(status="blocked"),
            ),
        ]

    def __str__(self) -> str:
        return f"message {self.pk} ({self.kind}, {self.status})"


class CallBooking(models.Model):
    class Status(models.TextChoices):
        BOOKED = "booked"
        CONFIRMED = "confirmed"
        DECLINED = "declined"
        CANCELLED = "cancelled"

    ACTIVE_STATUSES = ("booked", "confirmed")

    thread = models.ForeignKey(Thread, on_delete=models.PROTECT, related_name="calls")
    therapist = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    message = models.OneToOneField(Message, on_delete=models.PROTECT, related_name="call")
    start = models.DateTimeField()
    end = models.DateTimeField()
    minutes = models.PositiveIntegerField()
    channel = models.CharField(max_length=20)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.BOOKED)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["start"]
        indexes = [models.Index(fields=["therapist", "start"])]

    def __str__(self) -> str:
        return f"call booking {self.pk} ({self.status})"


class CrisisAlert(models.Model):
    """Raised by an escalated message; goes to the admin too if unacknowledged in time."""

    thread = models.ForeignKey(Thread, on_delete=models.PROTECT, related_name="crisis_alerts")
    message = models.OneToOneField(Message, on_delete=models.PROTECT, related_name="crisis_alert")
    therapist = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField()  # when it goes to the practice admin if still unacknowledged
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    escalated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["due_at"],
                name="crisis_alert_due_idx",
                condition=models.Q(acknowledged_at__isnull=True, escalated_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        if self.acknowledged_at is not None:
            state = "acknowledged"
        elif self.escalated_at is not None:
            state = "escalated"
        else:
            state = "open"
        return f"crisis alert {self.pk} ({state})"
