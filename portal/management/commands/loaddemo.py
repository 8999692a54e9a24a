"""A demo practice to explore the portal with. Idempotent: a second run changes nothing."""

from __future__ import annotations

import copy
from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from portal.models import Practice, User

DEMO_PRACTICE = "Riverside Demo Practice"
DEMO_PASSWORD = "Demo-portal-2026!"
LOGINS = [
    ("practice admin", "admin@demo.test"),
    ("therapist", "therapist@demo.test"),
    ("client (consented)", "client@demo.test"),
    ("client (not yet signed)", "newclient@demo.test"),
]

DEMO_RULES = {
    "timezone": "America/New_York",
    "crisis_resources": "If you are in danger call 911, or call or text 988 (Suicide & Crisis Lifeline).",
    "after_hours_reply": "I read messages on weekdays 9-17 and reply within one business day.",
    "reconsent_grace_days": 14,
    "categories": {
        "emergency": {"allowed": True, "channels": ["portal", "phone"], "outside_hours": "deliver"},
        "administrative": {"allowed": True, "channels": ["portal", "email"],
                           "windows": [{"days": ["mon", "tue", "wed", "thu", "fri"], "start": "09:00", "end": "17:00"}],
                           "outside_hours": "hold", "response_hours": 24},
        "check_in": {"allowed": True, "channels": ["portal"],
                     "windows": [{"days": ["tue", "thu"], "start": "12:00", "end": "13:00"}],
                     "outside_hours": "block", "max_per_week": 2},
        "scheduled_call": {"allowed": True, "channels": ["phone", "video"], "max_minutes": 15,
                           "windows": [{"days": ["mon", "wed"], "start": "10:00", "end": "12:00"}]},
        "personal": {"allowed": False},
    },
    "pause_after_crisis": {"hours": 24, "categories": ["check_in", "scheduled_call"]},
}


class Command(BaseCommand):
    help = "Load the demo practice (admin, therapist with a published policy, two clients) and print its logins."

    def handle(self, *args, **opts):
        if Practice.objects.filter(name=DEMO_PRACTICE).exists():
            self.stdout.write("The demo practice is already there; nothing changed.")
        else:
            self._load()
            self.stdout.write(self.style.SUCCESS("Loaded the demo practice."))
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD}) at {settings.PORTAL_BASE_URL}/")
        for role, email in LOGINS:
            self.stdout.write(f"  {role:<26} {email}")

    @transaction.atomic
    def _load(self) -> None:
        from messaging.services import message_send
        from policies.services import consent_sign, policy_draft_save, policy_publish
        from portal.onboarding import invitation_accept, invitation_create
        from portal.services import practice_create

        admin = practice_create(name=DEMO_PRACTICE, admin_email="admin@demo.test", admin_password=DEMO_PASSWORD,
                                admin_name="Morgan Admin")
        therapist = User.objects.create_user("therapist@demo.test", DEMO_PASSWORD, full_name="Dr Jordan Rivera",
                                             practice=admin.practice, is_therapist=True, timezone="America/New_York")
        draft = policy_draft_save(therapist=therapist, rules=copy.deepcopy(DEMO_RULES))
        version = policy_publish(version=draft, actor=therapist)

        _, token = invitation_create(therapist=therapist, email="client@demo.test", full_name="Sam Client")
        client, thread, _ = invitation_accept(token=token, password=DEMO_PASSWORD)
        consent_sign(client=client, policy_version_id=version.pk, content_sha256=version.content_sha256,
                     signature="Sam Client", channels=["portal", "phone", "email"], acknowledged=True,
                     ip_address="127.0.0.1", user_agent="loaddemo")
        _, token = invitation_create(therapist=therapist, email="newclient@demo.test", full_name="Robin New")
        invitation_accept(token=token, password=DEMO_PASSWORD)
        invitation_create(therapist=therapist, email="invited@demo.test", full_name="Alex Invited")

        # A little history: a message in hours and one outside (some exceptions for the admin to review).
        now = timezone.now()
        message_send(sender=client, thread=thread, category="emergency", channel="portal",
                     body="I had a very hard night, please call me when you can.", now=now - timedelta(days=2))
        message_send(sender=client, thread=thread, category="personal", channel="portal",
                     body="Would you like to get coffee sometime?", now=now - timedelta(days=1))
        message_send(sender=therapist, thread=thread, category="administrative", channel="portal",
                     body="Your receipt for last month is ready in the office.", now=now - timedelta(hours=20),
                     override_reason="Client asked for the receipt urgently for insurance.")
