"""Outbox handlers for accounts: the invitation e-mails."""

from __future__ import annotations

from .models import OutboxItem
from .onboarding import INVITATION_EMAIL, THERAPIST_INVITATION_EMAIL, invitation_email_send
from .outbox import handler


@handler(INVITATION_EMAIL)
def invitation_email(item: OutboxItem) -> None:
    invitation_email_send(item=item)


@handler(THERAPIST_INVITATION_EMAIL)
def therapist_invitation_email(item: OutboxItem) -> None:
    invitation_email_send(item=item)
