"""What the large practice is made of (bench.large_practice): its size, its policy, the
lines its people write and how its decisions fall. Every module of the seed reads these."""

from __future__ import annotations

import os
import sys

THERAPISTS = 50
CLIENTS_PER_THERAPIST = 40  # 2,000 clients
CLIENTS_THROUGH_SERVICES = 2  # per therapist: 100 invitations accepted and consents signed
PENDING_INVITATIONS = 2  # per therapist
# BENCH_PAGES_SCALE (default 1) shrinks the volume for a quick try; the seed table records
# it, so a shrunk practice is never reused by a full run.
SCALE = float(os.environ.get("BENCH_PAGES_SCALE", "1"))
MESSAGES = int(1_000_000 * SCALE)
BIG_THREAD = int(20_000 * SCALE)
EXCEPTIONS = int(195_000 * SCALE)
SAMPLE_SENDS = 300
# Each body line is encrypted this many times (distinct Fernet tokens, as the field writes them)
# and messages draw from those: encrypting a million bodies one by one was a third of the
# seed's CPU on this shared machine, and reading a token costs the same either way.
TOKENS_PER_LINE = 64
DAYS = 365
PASSWORD = "Harbour-lantern-2026!"
COPY_CHUNK = 100_000

CRISIS_RESOURCES = "If you are in danger call 911, or call or text 988."
AFTER_HOURS_REPLY = "I read messages on weekdays 9-17 and reply within one business day."
RULES = {
    "timezone": "America/New_York",
    "crisis_resources": CRISIS_RESOURCES,
    "after_hours_reply": AFTER_HOURS_REPLY,
    "reconsent_grace_days": 14,
    "categories": {
        "emergency": {"allowed": True, "channels": ["portal", "phone"], "outside_hours": "deliver"},
        "administrative": {
            "allowed": True,
            "channels": ["portal", "email"],
            "windows": [{"days": ["mon", "tue", "wed", "thu", "fri"], "start": "09:00", "end": "17:00"}],
            "outside_hours": "deliver",
            "response_hours": 24,
        },
        "check_in": {
            "allowed": True,
            "channels": ["portal"],
            "windows": [{"days": ["mon", "tue", "wed", "thu", "fri"], "start": "08:00", "end": "20:00"}],
            "outside_hours": "block",
            "max_per_week": 50,
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

ZONES = ["America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles"]

CLIENT_LINES = [
    "I had a better week, the breathing exercise helped on Tuesday.",
    "Can we move Thursday's session to the afternoon? Work changed my shift.",
    "Quick check-in: sleeping a bit better, still waking up around 4.",
    "I got the invoice, is it covered by my insurance this month?",
    "The argument with my sister happened again and I used the script we practised.",
    "Just wanted to say the journaling is going okay, three entries so far.",
    "I am running ten minutes late for our call, sorry.",
    "Could you send me the worksheet about thought records again?",
    "Work has been stressful but I walked every evening like we planned.",
    "I noticed the panic starting at the store and I managed to stay.",
    "My new medication makes me tired in the mornings, should I mention it to my doctor?",
    "Thank you for last session, I have been thinking about what you said.",
]
THERAPIST_LINES = [
    "Thanks for letting me know. Let's talk about it on Thursday.",
    "I moved our session to 15:00 on Thursday; see you then.",
    "Good to hear the walks are helping. Keep the log going this week.",
    "The worksheet is attached in the portal resources; page two is the one we used.",
    "Yes, please mention it to your doctor; we can look at the sleep plan together.",
    "Billing says this month is covered; the receipt is in your account.",
    "Well done staying in the store. Note what you said to yourself.",
]
CRISIS_LINES = [
    "I don't want to be here anymore, I keep thinking about ending my life.",
    "Tonight I feel like hurting myself again.",
]

# status, reasons, exception kind, share of all messages (exceptions add up to 19.5%)
OUTCOMES = [
    ("delivered", [], None, 0.805),
    ("delivered", ["outside_hours"], "after_hours", 0.08),
    ("blocked", ["outside_hours"], "blocked", 0.045),
    ("blocked", ["rate_limited"], "blocked", 0.015),
    ("delivered_with_exception", ["override", "outside_hours"], "override", 0.03),
    ("escalated", ["crisis_detected"], "crisis", 0.01),
    ("delivered", ["emergency_mismatch"], "emergency_mismatch", 0.015),
]


def _log(text: str) -> None:
    print(f"[pages seed] {text}", file=sys.stderr, flush=True)
