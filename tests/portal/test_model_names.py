"""The accounts' models name themselves (admin, shell, logs) by id and state, never by the
person's e-mail address or a notice's text."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from portal.models import Invitation, Notification, OutboxItem, TherapistInvitation


@pytest.mark.django_db
def test_invitations_notices_and_outbox_rows_are_named_by_id_and_state(therapist, admin):
    later = timezone.now() + timedelta(days=3)
    invitation = Invitation.objects.create(
        practice=therapist.practice,
        therapist=therapist,
        email="casey.private@example.test",
        full_name="Casey Private",
        token_hash=Invitation.new_token()[1],
        expires_at=later,
    )
    colleague = TherapistInvitation.objects.create(
        practice=admin.practice,
        invited_by=admin,
        email="new.colleague@example.test",
        full_name="New Colleague",
        timezone="Europe/Paris",
        token_hash=Invitation.new_token()[1],
        expires_at=later,
    )
    notice = Notification.objects.create(user=therapist, kind="message", text="A secret line")
    item = OutboxItem.objects.create(task="messaging.notify", payload={"message_id": 1})

    assert str(invitation) == f"client invitation {invitation.pk} (pending)"
    assert str(colleague) == f"therapist invitation {colleague.pk} (pending)"
    assert str(notice) == f"message notice {notice.pk}"
    assert str(item) == f"outbox {item.pk} messaging.notify"
    names = " ".join(map(str, (invitation, colleague, notice, item)))
    for private in ("casey.private", "Casey Private", "new.colleague", "New Colleague", "secret"):
        assert private not in names
