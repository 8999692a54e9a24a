"""Benchmark 1: the decision engine in process, over a realistic mix of contacts."""

from __future__ import annotations

import copy
import random
import statistics
import time
from datetime import datetime, timedelta, timezone

BODIES = [
    "Can I get a receipt for last month's sessions? My insurer is asking for it.",
    "Running ten minutes late tomorrow, sorry!",
    "Quick check-in: the breathing exercise helped this week.",
    "I can't do this anymore, I want to end my life.",
    "This deadline is killing me but I'm fine, just busy.",
    "Could we move Thursday's call to 11?",
    "I took all my pills an hour ago",
    "Thanks for the worksheet. " * 8,
]
RULES = {
    "timezone": "America/New_York",
    "crisis_resources": "If you are in danger call 911, or call or text 988.",
    "after_hours_reply": "I reply on weekdays 9-17.",
    "categories": {
        "emergency": {"allowed": True, "channels": ["portal", "phone"], "outside_hours": "deliver"},
        "administrative": {"allowed": True, "channels": ["portal", "email"],
                           "windows": [{"days": ["mon", "tue", "wed", "thu", "fri"], "start": "09:00", "end": "17:00"}],
                           "outside_hours": "hold", "response_hours": 24},
        "check_in": {"allowed": True, "channels": ["portal"],
                     "windows": [{"days": ["fri"], "start": "22:00", "end": "02:00"},
                                 {"days": ["sun"], "start": "02:30", "end": "04:00"}],
                     "outside_hours": "block", "max_per_week": 2},
        "scheduled_call": {"allowed": True, "channels": ["phone", "video"], "max_minutes": 15,
                           "windows": [{"days": ["mon", "wed"], "start": "10:00", "end": "12:00"}]},
        "personal": {"allowed": False},
    },
    "away": [{"start": "2026-12-24", "end": "2027-01-01", "reply": "Away until January 2."}],
    "pause_after_crisis": {"hours": 24, "categories": ["check_in", "scheduled_call"]},
}


def run(n: int = 50_000) -> dict:
    from policies.engine import ConsentSnapshot, Contact, History, compile_rules, decide
    from policies.rules import validate_rules

    policy = compile_rules(validate_rules(copy.deepcopy(RULES)))
    rnd = random.Random(7)
    base = datetime(2026, 3, 1, tzinfo=timezone.utc)  # spans the March DST change
    cats = ["emergency", "administrative", "check_in", "scheduled_call", "personal"]
    channels = ["portal", "phone", "email", "video", "sms"]
    consent = ConsentSnapshot("active", frozenset({"portal", "phone", "email", "video"}))
    contacts = []
    for _ in range(n):
        cat = rnd.choice(cats)
        kind = "call" if cat == "scheduled_call" else "message"
        contacts.append((
            Contact(at=base + timedelta(minutes=rnd.randrange(0, 60 * 24 * 300)), sender=rnd.choice(["client", "client", "therapist"]),
                    category=cat, channel=rnd.choice(channels), body=rnd.choice(BODIES), kind=kind,
                    minutes=rnd.choice([10, 15, 30]) if kind == "call" else None),
            History(sent_in_category_last_week=rnd.randrange(0, 3)),
        ))
    for c, h in contacts[:2000]:  # warm up
        decide(policy, c, consent, h)
    samples = []
    clock = time.perf_counter_ns
    for c, h in contacts:
        t0 = clock()
        decide(policy, c, consent, h)
        samples.append(clock() - t0)
    samples.sort()
    return {
        "engine_median_us": round(statistics.median(samples) / 1000, 2),
        "engine_p99_us": round(samples[int(len(samples) * 0.99)] / 1000, 2),
        "engine_decisions": n,
    }
