"""Guards that the types asked for: an account with no practice (a platform superuser) invites
nobody, and a page's notices are named by its URL name or its path, never by neither."""

from __future__ import annotations

import pytest

from portal.models import Invitation, TherapistInvitation, User
from portal.notify import notices_seen
from portal.onboarding import invitation_create, therapist_invitation_create
from portal.services import AccountInvalid


@pytest.mark.django_db
def test_an_account_of_no_practice_invites_nobody():
    root = User.objects.create_superuser("root@example.test", "Root-pass-4821!")
    assert root.practice_id is None
    with pytest.raises(AccountInvalid, match="no practice"):
        invitation_create(therapist=root, email="casey@example.test", full_name="Casey Client")
    with pytest.raises(AccountInvalid, match="no practice"):
        therapist_invitation_create(
            admin=root, email="new@example.test", full_name="New Therapist", timezone="Europe/Paris"
        )
    assert not Invitation.objects.exists()
    assert not TherapistInvitation.objects.exists()


@pytest.mark.django_db
def test_notices_seen_needs_a_view_name_or_a_url(therapist):
    with pytest.raises(TypeError, match="view_name"):
        notices_seen(user=therapist)
    assert notices_seen(user=therapist, url="/nowhere/") == 0
