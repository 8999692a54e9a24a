"""Benchmark 1: the decision engine in process, over a realistic mix of contacts, and the
reader inside it on its own (a mix of message lengths, and one message at the size limit)."""

from __future__ import annotations

import copy
import gc
import random
import statistics
import time
from datetime import UTC, datetime, timedelta

# A realistic mix of what clients write, 20 to 800 characters, in the five languages the
# reader knows; a few are crisis language, most are everyday messages.
BODIES = [
    "Can I get a receipt for last month's sessions? My insurer is asking for it.",
    "Running ten minutes late tomorrow, sorry!",
    "Quick check-in: the breathing exercise helped this week.",
    "I can't do this anymore, I want to end my life.",
    "This deadline is killing me but I'm fine, just busy.",
    "Could we move Thursday's call to 11?",
    "I took all my pills an hour ago",
    "Thanks for the worksheet. " * 8,
    "add me on insta!",
    "Hola, ¿puedo cambiar la cita del jueves? Tengo un problema en el trabajo y no llego. Gracias.",
    "me muero de risa con lo que me contaste, pero bueno, todo bien por aquí",
    "Bonjour, pourriez-vous m'envoyer la facture de novembre pour ma mutuelle ? Merci beaucoup.",
    "je n'en peux plus, j'ai envie d'en finir",
    "Oi! Vou me atrasar uns dez minutos hoje, desculpa.",
    "Hallo, ich wollte nur kurz berichten: die Atemübung hat geholfen, die Woche war besser.",
    (
        "Hi, I wanted to ask about the superbill for October; my insurance says they need the CPT code "
        "and the diagnosis code on it. Also, could we move next week's session to Wednesday afternoon if "
        "there's a slot? Work has been a lot lately and my manager keeps adding projects, so mornings are "
        "hard. I've been doing the journaling most nights and it does help me notice when I spiral. "
        "Oh, and my new address is 220 Oak St, apartment 4B, in case you need it for the invoices. "
        "Thanks so much, and sorry for the long message! See you soon, have a nice weekend."
    ),
    (
        "Rough week. My sister visited and we argued about mom again, and I didn't sleep much. "
        "Honestly some nights I wish I could just go to sleep and not wake up. I'm not going to do "
        "anything, I just wanted you to know before Tuesday."
    ),
]
_CRISIS_TAIL = " I don't want to be alive anymore."
LONG_MESSAGE = ((BODIES[15] + " ") * 12)[: 5000 - len(_CRISIS_TAIL)] + _CRISIS_TAIL  # at the size limit


def _percentiles(samples: list[int]) -> tuple[float, float]:
    samples.sort()
    return (round(statistics.median(samples) / 1000, 2), round(samples[int(len(samples) * 0.99)] / 1000, 2))


def run_reader(n: int = 50_000) -> dict:
    """The reader alone: a realistic mix of lengths, and one message at the 5,000-character limit."""
    from policies.reader import read
    from portal.startup import load_and_freeze

    load_and_freeze()  # as a web worker starts (portal/wsgi.py)

    rnd = random.Random(11)
    texts = [rnd.choice(BODIES) for _ in range(n)]
    for text in texts[:2000]:  # warm up
        read(text)
    clock = time.perf_counter_ns
    samples = []
    for text in texts:
        t0 = clock()
        read(text)
        samples.append(clock() - t0)
    median, p99 = _percentiles(samples)
    long_samples = []
    for _ in range(300):
        t0 = clock()
        read(LONG_MESSAGE)
        long_samples.append(clock() - t0)
    return {
        "reader_median_us": median,
        "reader_p99_us": p99,
        "reader_5000_chars_us": round(statistics.median(long_samples) / 1000, 1),
        "reader_texts": n,
    }


RULES = {
    "timezone": "America/New_York",
    "crisis_resources": "If you are in danger call 911, or call or text 988.",
    "after_hours_reply": "I reply on weekdays 9-17.",
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
            "windows": [
                {"days": ["fri"], "start": "22:00", "end": "02:00"},
                {"days": ["sun"], "start": "02:30", "end": "04:00"},
            ],
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
    "away": [{"start": "2026-12-24", "end": "2027-01-01", "reply": "Away until January 2."}],
    "pause_after_crisis": {"hours": 24, "categories": ["check_in", "scheduled_call"]},
}


def run(n: int = 50_000) -> dict:
    from policies.compiled import compile_rules
    from policies.engine import decide
    from policies.engine_types import ConsentSnapshot, Contact, History
    from policies.rules import validate_rules
    from portal.startup import load_and_freeze

    policy = compile_rules(validate_rules(copy.deepcopy(RULES)))
    load_and_freeze()  # as a web worker starts (portal/wsgi.py)
    rnd = random.Random(7)
    base = datetime(2026, 3, 1, tzinfo=UTC)  # spans the March DST change
    cats = ["emergency", "administrative", "check_in", "scheduled_call", "personal"]
    channels = ["portal", "phone", "email", "video", "sms"]
    consent = ConsentSnapshot("active", frozenset({"portal", "phone", "email", "video"}))
    contacts = []
    for _ in range(n):
        cat = rnd.choice(cats)
        kind = "call" if cat == "scheduled_call" else "message"
        contacts.append(
            (
                Contact(
                    at=base + timedelta(minutes=rnd.randrange(0, 60 * 24 * 300)),
                    sender=rnd.choice(["client", "client", "therapist"]),
                    category=cat,
                    channel=rnd.choice(channels),
                    body=rnd.choice(BODIES),
                    kind=kind,
                    minutes=rnd.choice([10, 15, 30]) if kind == "call" else None,
                ),
                History(sent_in_category_last_week=rnd.randrange(0, 3)),
            )
        )
    for c, h in contacts[:2000]:  # warm up
        decide(policy, c, consent, h)
    samples = []
    clock = time.perf_counter_ns
    for c, h in contacts:
        t0 = clock()
        decide(policy, c, consent, h)
        samples.append(clock() - t0)
    median, p99 = _percentiles(samples)
    reader = run_reader()
    gc.unfreeze()  # the benchmarks after this one start as they would have
    return {"engine_median_us": median, "engine_p99_us": p99, "engine_decisions": n, **reader}
