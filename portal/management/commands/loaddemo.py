"""A demo practice to explore the portal with. Idempotent: a second run changes nothing.

Two therapists and twenty clients with six months of history, made through the services as
users make it: messages in and out of hours (some held and released), boundary exceptions
and an admin's reviews of some, a crisis escalation and its acknowledgement, booked and
confirmed calls. Dr Avery Chen's hours are open around the clock, so something is open
whenever the demo is tried; Dr Jordan Rivera keeps office hours in New York.
"""

from __future__ import annotations

import copy
import random
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from portal.models import Practice, User

DEMO_PRACTICE = "Riverside Demo Practice"
DEMO_PASSWORD = "Demo-portal-2026!"  # noqa: S105 - the demo's logins, printed by make run
LOGINS = [
    ("practice admin", "admin@demo.test"),
    ("therapist", "therapist@demo.test"),
    ("client (consented)", "client@demo.test"),
    ("client (not yet signed)", "newclient@demo.test"),
    ("therapist, open all hours", "therapist2@demo.test"),
]
HISTORY_DAYS = 182

DEMO_RULES = {
    "timezone": "America/New_York",
    "crisis_resources": "If you are in danger call 911, or call or text 988 (Suicide & Crisis Lifeline).",
    "after_hours_reply": "I read messages on weekdays 9-17 and reply within one business day.",
    "reconsent_grace_days": 14,
    "categories": {
        "emergency": {"allowed": True, "channels": ["portal", "phone"], "outside_hours": "deliver"},
        "administrative": {
            "allowed": True,
            "channels": ["portal", "email"],
            "windows": [{"days": ["mon", "tue", "wed", "thu", "fri"], "start": "09:00", "end": "17:00"}],
            "outside_hours": "hold",
            "response_hours": 24,
        },
        "check_in": {
            "allowed": True,
            "channels": ["portal"],
            "windows": [{"days": ["tue", "thu"], "start": "12:00", "end": "13:00"}],
            "outside_hours": "block",
            "max_per_week": 2,
        },
        "scheduled_call": {
            "allowed": True,
            "channels": ["phone", "video"],
            "max_minutes": 15,
            "windows": [{"days": ["mon", "wed"], "start": "10:00", "end": "12:00"}],
        },
        "personal": {"allowed": False},
    },
    "pause_after_crisis": {"hours": 24, "categories": ["check_in", "scheduled_call"]},
}

# No windows: open at any hour, every day (calls too, up to 30 minutes).
OPEN_RULES = {
    "timezone": "America/Los_Angeles",
    "crisis_resources": "If you are in danger call 911, or call or text 988 (Suicide & Crisis Lifeline).",
    "after_hours_reply": "I read messages every day and reply within a day.",
    "reconsent_grace_days": 14,
    "categories": {
        "emergency": {"allowed": True, "channels": ["portal", "phone"], "outside_hours": "deliver"},
        "administrative": {"allowed": True, "channels": ["portal", "email"], "response_hours": 24},
        "check_in": {"allowed": True, "channels": ["portal"], "max_per_week": 5},
        "scheduled_call": {"allowed": True, "channels": ["phone", "video"], "max_minutes": 30},
        "personal": {"allowed": False},
    },
}

CLIENTS = {  # (full name, e-mail); the first of Dr Rivera's is the README's consented client
    "therapist@demo.test": [
        ("Sam Client", "client@demo.test"),
        ("Priya Natarajan", "priya@demo.test"),
        ("Luis Ortega", "luis@demo.test"),
        ("Hannah Becker", "hannah@demo.test"),
        ("Marcus Green", "marcus@demo.test"),
        ("Aiko Tanaka", "aiko@demo.test"),
        ("Chloe Martin", "chloe@demo.test"),
        ("Daniel Okafor", "daniel@demo.test"),
        ("Sofia Rossi", "sofia@demo.test"),
    ],
    "therapist2@demo.test": [
        ("Noah Williams", "noah@demo.test"),
        ("Fatima Haddad", "fatima@demo.test"),
        ("Ethan Park", "ethan@demo.test"),
        ("Grace Mensah", "grace@demo.test"),
        ("Lucas Silva", "lucas@demo.test"),
        ("Mia Kowalski", "mia@demo.test"),
        ("Olivia Brown", "olivia@demo.test"),
        ("Ravi Shah", "ravi@demo.test"),
        ("Zoe Dubois", "zoe@demo.test"),
        ("Jonas Weber", "jonas@demo.test"),
    ],
}

CLIENT_TEXTS = {
    "administrative": [
        "Could you send me the receipt for last month's sessions? My insurance needs it.",
        "hi, can we move thursday's session to next week? work got crazy",
        "My insurance changed on the first, I'll bring the new card next time.",
        "Is it ok if I pay the invoice next friday?",
        "I need a superbill for October and November please",
        "Can I cancel next Tuesday? I have a doctor's appointment.",
    ],
    "check_in": [
        "Quick update: I used the breathing exercise before my presentation and it helped.",
        "slept better this week, still anxious in the mornings though",
        "I tried the journaling you suggested. Three days so far.",
        "Had a rough weekend but I'm doing ok now.",
        "Went for a walk every day this week like we talked about",
    ],
    "emergency": [
        "I had a very hard night, please call me when you can.",
        "I'm having a panic attack and can't calm down, can you call me?",
        "My dad is in the hospital and I'm really struggling today.",
    ],
}
THERAPIST_TEXTS = [
    "Thanks for letting me know. We can talk about it on Thursday.",
    "Your receipt is ready in the portal's documents.",
    "That's a good step. Keep going with it this week.",
    "I've moved our session to Tuesday at 10:00.",
]
PERSONAL_TEXTS = [
    "Would you like to get coffee sometime?",
    "Can I add you on Instagram?",
]


class Command(BaseCommand):
    help = "Load the demo practice (an admin, two therapists, twenty clients, six months of history) and print its logins."

    def handle(self, *args, **opts):
        if Practice.objects.filter(name=DEMO_PRACTICE).exists():
            self.stdout.write("The demo practice is already there; nothing changed.")
        else:
            # The demo's invitation and notice e-mails stay in memory: `make run` prints logins, not mail.
            with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
                self._load(now=timezone.now())
            self.stdout.write(self.style.SUCCESS("Loaded the demo practice."))
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD}) at {settings.PORTAL_BASE_URL}/")
        for role, email in LOGINS:
            self.stdout.write(f"  {role:<26} {email}")
        self.stdout.write(
            '  (18 more clients, e.g. priya@demo.test and noah@demo.test: README, "Try this first")'
        )

    @transaction.atomic
    def _load(self, *, now: datetime) -> None:
        from audit.models import BoundaryException
        from audit.services import exception_review
        from consent.services import consent_sign
        from messaging.models import CrisisAlert
        from messaging.services.alerts import crisis_alert_acknowledge
        from messaging.services.release import release_held_messages
        from policies.services import policy_draft_save, policy_publish
        from portal.onboarding import invitation_accept, invitation_create
        from portal.services import practice_create

        rng = random.Random(2026)  # noqa: S311 - the demo's made-up history, the same every time
        admin = practice_create(
            name=DEMO_PRACTICE,
            admin_email="admin@demo.test",
            admin_password=DEMO_PASSWORD,
            admin_name="Morgan Admin",
        )
        therapists = {
            "therapist@demo.test": ("Dr Jordan Rivera", DEMO_RULES),
            "therapist2@demo.test": ("Dr Avery Chen", OPEN_RULES),
        }
        for email, (name, rules) in therapists.items():
            therapist = User.objects.create_user(
                email,
                DEMO_PASSWORD,
                full_name=name,
                practice=admin.practice,
                is_therapist=True,
                timezone=rules["timezone"],
            )
            draft = policy_draft_save(therapist=therapist, rules=copy.deepcopy(rules))
            version = policy_publish(version=draft, actor=therapist)
            for full_name, client_email in CLIENTS[email]:
                _, token = invitation_create(therapist=therapist, email=client_email, full_name=full_name)
                client, thread, _ = invitation_accept(token=token, password=DEMO_PASSWORD)
                consent_sign(
                    client=client,
                    policy_version_id=version.pk,
                    content_sha256=version.content_sha256,
                    signature=full_name,
                    channels=["portal", "phone", "email"],
                    acknowledged=True,
                    ip_address="127.0.0.1",
                    user_agent="loaddemo",
                )
                self._history(rng, therapist=therapist, client=client, thread=thread, now=now)
            if email == "therapist@demo.test":
                _, token = invitation_create(
                    therapist=therapist, email="newclient@demo.test", full_name="Robin New"
                )
                invitation_accept(token=token, password=DEMO_PASSWORD)
                invitation_create(therapist=therapist, email="invited@demo.test", full_name="Alex Invited")

        # Held messages whose hours have come are delivered, as beat would have done.
        release_held_messages(now=now)
        # Months ago, a crisis message was escalated and acknowledged; the admin reviewed most
        # of the older exceptions and left the last few weeks' for the demo.
        for alert in CrisisAlert.objects.filter(
            therapist__practice=admin.practice, acknowledged_at__isnull=True
        ):
            crisis_alert_acknowledge(therapist=alert.therapist, alert=alert)
        notes = [
            "Discussed with the therapist; within policy.",
            "Client reminded of the contact policy.",
            "Override reason is clear and appropriate.",
            "Seen; no action needed.",
        ]
        for exc in BoundaryException.objects.filter(practice=admin.practice, at__lt=now - timedelta(days=21)):
            if rng.random() < 0.8:
                exception_review(admin=admin, exception_id=exc.pk, note=rng.choice(notes))

    def _history(self, rng: random.Random, *, therapist: User, client: User, thread, now: datetime) -> None:
        from messaging.services.calls import SlotTaken, call_confirm, call_request
        from messaging.services.send import message_send

        def send(sender, body, category, at, **kw):
            return message_send(sender=sender, thread=thread, body=body, category=category, now=at, **kw)

        tz = ZoneInfo(therapist.timezone)
        day = HISTORY_DAYS
        while day > 1:
            # Most messages in the working day of the therapist's zone, some at any hour.
            local = (now - timedelta(days=day)).astimezone(tz)
            hour = rng.randint(9, 16) if rng.random() < 0.7 else rng.randint(0, 23)
            at = local.replace(hour=hour, minute=rng.randint(0, 59))
            roll = rng.random()
            if roll < 0.55:
                category = "administrative"
            elif roll < 0.88:
                category = "check_in"
            else:
                category = "emergency"
            send(client, rng.choice(CLIENT_TEXTS[category]), category, at)
            if rng.random() < 0.6:
                reply_at = at + timedelta(hours=rng.randint(1, 30))
                if reply_at < now:
                    reason = "Client asked for it before the weekend." if rng.random() < 0.15 else None
                    send(
                        therapist,
                        rng.choice(THERAPIST_TEXTS),
                        "administrative",
                        reply_at,
                        override_reason=reason,
                    )
            day -= rng.randint(4, 12)
        if rng.random() < 0.3:
            at = now - timedelta(days=rng.randint(3, 120), hours=rng.randint(0, 23))
            send(client, rng.choice(PERSONAL_TEXTS), "personal", at)
        if client.email == "client@demo.test":
            send(
                client,
                "I had a very hard night and I keep thinking about ending my life.",
                "check_in",
                now - timedelta(days=95),
            )
        # One call ahead, booked inside the policy's call hours; some are confirmed.
        start = self._next_call_slot(therapist, now, rng)
        if start is not None:
            try:
                result = call_request(
                    sender=client, thread=thread, start=start, minutes=15, channel="phone", now=now
                )
            except SlotTaken:  # another demo client booked that hour
                return
            if result.call is not None and rng.random() < 0.5:
                call_confirm(therapist=therapist, call=result.call)

    @staticmethod
    def _next_call_slot(therapist: User, now: datetime, rng: random.Random) -> datetime | None:
        from policies.hours import is_open
        from policies.selectors import compiled_policy, current_version

        version = current_version(therapist.pk)
        if version is None:  # the demo published every therapist's policy before
            raise CommandError(f"therapist {therapist.pk} has no published policy")
        policy = compiled_policy(version)
        start = (now + timedelta(days=rng.randint(1, 14))).replace(minute=0, second=0, microsecond=0)
        for _ in range(24 * 21):
            if is_open(policy, "scheduled_call", start) and is_open(
                policy, "scheduled_call", start + timedelta(minutes=14)
            ):
                return start
            start += timedelta(hours=1)
        return None
