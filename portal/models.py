"""Accounts and practices: the people, the practice they belong to, invitations and the outbox."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.timezone import now as tz_now


class Practice(models.Model):
    name = models.CharField(max_length=200)
    require_two_factor = models.BooleanField(
        default=False, help_text="Therapists and admins must use two-factor login."
    )
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra) -> User:
        if not email:
            raise ValueError("email is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra) -> User:
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """One login. Roles: practice admin and/or therapist, or client of one therapist."""

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=200)
    practice = models.ForeignKey(
        Practice, null=True, blank=True, on_delete=models.PROTECT, related_name="members"
    )
    is_practice_admin = models.BooleanField(default=False)
    is_therapist = models.BooleanField(default=False)
    # Set for clients only: the therapist the client belongs to.
    therapist = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="clients"
    )
    timezone = models.CharField(max_length=64, default="UTC")
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=tz_now)
    # Bumped by "log out everywhere": sessions carrying an older value are ended.
    session_generation = models.PositiveIntegerField(default=0)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def is_client(self) -> bool:
        return self.therapist_id is not None

    @property
    def role(self) -> str:
        if self.is_client:
            return "client"
        if self.is_therapist:
            return "therapist"
        if self.is_practice_admin:
            return "admin"
        return "none"

    @property
    def needs_two_factor(self) -> bool:
        return (self.is_therapist or self.is_practice_admin) and bool(
            self.practice and self.practice.require_two_factor
        )


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def invitation_status(inv: Invitation | TherapistInvitation) -> str:
    """A client's or a therapist's invitation: accepted, cancelled, expired or pending."""
    if inv.accepted_at:
        return "accepted"
    if inv.cancelled_at:
        return "cancelled"
    if inv.expires_at <= timezone.now():
        return "expired"
    return "pending"


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def for_therapist(self, therapist: User) -> InvitationQuerySet:
        return self.filter(therapist=therapist)


class Invitation(models.Model):
    """A link that lets one client create their account. Only the token's hash is stored."""

    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="invitations")
    therapist = models.ForeignKey(User, on_delete=models.PROTECT, related_name="invitations_sent")
    email = models.EmailField()
    full_name = models.CharField(max_length=200)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    client = models.OneToOneField(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="invitation"
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["therapist", "-created_at"])]

    def __str__(self) -> str:
        return f"client invitation {self.pk} ({self.status})"

    @staticmethod
    def new_token() -> tuple[str, str]:
        token = secrets.token_urlsafe(32)
        return token, hash_token(token)

    @staticmethod
    def default_expiry():
        return timezone.now() + timedelta(days=settings.PORTAL_INVITATION_DAYS)

    @property
    def status(self) -> str:
        return invitation_status(self)


class TherapistInvitation(models.Model):
    """A link that lets one therapist create their own account (they choose the password);
    sent by a practice admin. Only the token's hash is stored; it works once and expires."""

    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="+")
    invited_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    email = models.EmailField()
    full_name = models.CharField(max_length=200)
    timezone = models.CharField(max_length=64)
    also_admin = models.BooleanField(default=False)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=tz_now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    therapist = models.OneToOneField(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="therapist_invitation"
    )

    class Meta:
        indexes = [models.Index(fields=["practice", "-created_at"], name="therapist_inv_practice")]

    def __str__(self) -> str:
        return f"therapist invitation {self.pk} ({self.status})"

    @property
    def status(self) -> str:
        return invitation_status(self)


class Notification(models.Model):
    """A dashboard notice. Its text never holds clinical content."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=40)
    text = models.CharField(max_length=300)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    # The outbox row that made it: a task run twice makes one notification.
    outbox_item = models.ForeignKey(
        "OutboxItem", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["user", "read_at", "-created_at"])]
        constraints = [
            models.UniqueConstraint(fields=["user", "outbox_item"], name="one_notification_per_outbox_item")
        ]

    def __str__(self) -> str:
        return f"{self.kind} notice {self.pk}"


class OutboxItem(models.Model):
    """Work to hand to Celery, written in the same transaction as the change it follows.

    The relay publishes pending rows (`dispatched_at`), the task marks them done
    (`done_at`) in its own transaction. Rows dispatched but not done after a while
    are published again: the broker may have lost them. Tasks are idempotent by id.
    """

    task = models.CharField(max_length=100)
    payload = models.JSONField(default=dict)  # ids only, never health data
    created_at = models.DateTimeField(default=timezone.now)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    dispatch_count = models.PositiveIntegerField(default=0)
    done_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=200, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["id"], name="outbox_pending_idx", condition=models.Q(done_at__isnull=True))
        ]

    def __str__(self) -> str:
        return f"outbox {self.pk} {self.task}"
