"""The decision engine: one pure function that applies a compiled policy to one contact.

It imports nothing from Django or the ORM and reads no clock: the caller passes the
time, the consent state and the history it needs. Rules are compiled once per
policy version (`compile_rules`) into tables that `decide` reads without parsing.

Windows are wall-clock times in the policy's zone. Membership is decided on the
local wall clock of the instant (so a repeated fall-back hour is inside both
times, and a start inside a spring-forward gap opens at the end of the gap);
instants built from wall times go through `_to_utc`, which clamps a nonexistent
time to the end of its gap. All arithmetic is done in UTC.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from .reader import NOTHING, Reading, read
from .vocabulary import CONSENT_BLOCK_REASONS, DAYS, NEVER_ALLOWED_CATEGORIES, NEVER_ALLOWED_CHANNELS
from .vocabulary import OUTCOME_EXCEPTION_KINDS as EXCEPTION_KINDS

UTC = UTC
DEFAULT_CRISIS_RESOURCES = "If you are in danger call 911, or call or text 988."
RATE_WINDOW = timedelta(hours=168)
_WEEK_MINUTES = 7 * 24 * 60


# --- inputs and output ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Contact:
    at: datetime
    sender: str  # "client" | "therapist"
    category: str | None  # None: decided under what the body reads as (see category_for)
    channel: str
    body: str = ""
    override_reason: str | None = None
    kind: str = "message"  # "message" | "call" | "contact"
    minutes: int | None = None
    release: bool = False
    # The body's reading, when the caller already has it (it is `read(body)`; see reading_of).
    reading: Reading | None = None


@dataclass(frozen=True, slots=True)
class ConsentSnapshot:
    state: str  # "active" | "grace" | "none" | "revoked" | "superseded"
    channels: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class History:
    care_ended: bool = False
    sent_in_category_last_week: int = 0
    last_crisis_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Decision:
    outcome: str
    reasons: tuple[str, ...] = ()
    deliver_at: datetime | None = None
    crisis_resources: str | None = None
    auto_reply: str | None = None
    # What the body read as (all false and null for a call or a logged contact).
    reading: Reading = NOTHING
    # The category it was decided under: the one given, else the reading's; `emergency` for
    # a crisis escalated without one, `personal` for personal content blocked without one.
    category: str | None = None

    @property
    def exception_kind(self) -> str | None:
        """The decision's main boundary exception (the one its audit event carries)."""
        kind = EXCEPTION_KINDS.get(self.outcome)
        if kind:
            return kind
        if self.outcome == "delivered" and "outside_hours" in self.reasons:
            return "after_hours"
        if "emergency_mismatch" in self.reasons:
            return "emergency_mismatch"
        return None

    @property
    def exception_kinds(self) -> tuple[str, ...]:
        """Every boundary exception the decision records: an `emergency_mismatch` beside any other."""
        kind = self.exception_kind
        if kind is None:
            return ()
        if kind != "emergency_mismatch" and "emergency_mismatch" in self.reasons:
            return (kind, "emergency_mismatch")
        return (kind,)

    def as_dict(self, *, for_client: bool = False) -> dict:
        """The decision answer; a client's never carries the crisis kind (health data)."""
        out: dict = {
            "outcome": self.outcome,
            "reasons": list(self.reasons),
            "deliver_at": _iso(self.deliver_at) if self.deliver_at else None,
        }
        if self.crisis_resources:
            out["crisis_resources"] = self.crisis_resources
        if self.auto_reply:
            out["auto_reply"] = self.auto_reply
        out["reading"] = self.reading.as_dict(for_client=for_client)
        return out


def _iso(at: datetime) -> str:
    at = at.astimezone(UTC)
    return at.strftime("%Y-%m-%dT%H:%M:%S") + (f".{at.microsecond:06d}" if at.microsecond else "") + "Z"


# --- the compiled policy ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Window:
    days: tuple[int, ...]  # weekday numbers (0 = Monday) on which the window starts
    start: int  # minutes after local midnight
    end: int  # minutes after local midnight; < start means it ends the next day


@dataclass(frozen=True, slots=True)
class CategoryRule:
    name: str
    allowed: bool
    channels: frozenset[str]
    windows: tuple[Window, ...]
    # Minute-of-week intervals [a, b) in local wall-clock time (overnight windows split).
    week_intervals: tuple[tuple[int, int], ...]
    outside_hours: str
    max_per_week: int | None
    response_hours: int | None
    max_minutes: int | None

    @property
    def always_open(self) -> bool:
        return not self.windows


@dataclass(frozen=True, slots=True)
class Away:
    start: date
    end: date
    reply: str


@dataclass(frozen=True, slots=True)
class CompiledPolicy:
    tz: ZoneInfo
    crisis_resources: str
    after_hours_reply: str
    categories: dict[str, CategoryRule]
    away: tuple[Away, ...]
    pause_hours: int | None
    pause_categories: frozenset[str] = field(default_factory=frozenset)
    # (category, local day) -> the window occurrences starting that day, as UTC instants.
    # Filled lazily; the rules never change, so entries never go stale.
    _day_cache: dict = field(default_factory=dict, compare=False, repr=False)

    def away_on(self, day: date) -> Away | None:
        for a in self.away:
            if a.start <= day <= a.end:
                return a
        return None


def _minutes(hhmm: str) -> int:
    h, m = hhmm.split(":")
    return int(h) * 60 + int(m)


def compile_rules(rules: dict) -> CompiledPolicy:
    """Compile normalised rules (policies.rules.validate_rules) into the engine's tables."""
    cats: dict[str, CategoryRule] = {}
    for name, raw in rules.get("categories", {}).items():
        windows = tuple(
            Window(tuple(DAYS.index(d) for d in w["days"]), _minutes(w["start"]), _minutes(w["end"]))
            for w in raw.get("windows", []) or []
        )
        intervals: list[tuple[int, int]] = []
        for w in windows:
            for d in w.days:
                a = d * 1440 + w.start
                b = d * 1440 + w.end if w.end > w.start else (d + 1) * 1440 + w.end
                if b <= _WEEK_MINUTES:
                    intervals.append((a, b))
                else:  # Sunday night into Monday morning wraps around the week
                    intervals.append((a, _WEEK_MINUTES))
                    intervals.append((0, b - _WEEK_MINUTES))
        cats[name] = CategoryRule(
            name=name,
            allowed=bool(raw.get("allowed")),
            channels=frozenset(raw.get("channels", [])),
            windows=windows,
            week_intervals=tuple(sorted(intervals)),
            outside_hours=raw.get("outside_hours", "hold"),
            max_per_week=raw.get("max_per_week"),
            response_hours=raw.get("response_hours"),
            max_minutes=raw.get("max_minutes"),
        )
    pause = rules.get("pause_after_crisis") or {}
    return CompiledPolicy(
        tz=ZoneInfo(rules["timezone"]),
        crisis_resources=rules.get("crisis_resources", "").strip() or DEFAULT_CRISIS_RESOURCES,
        after_hours_reply=(rules.get("after_hours_reply") or "").strip(),
        categories=cats,
        away=tuple(
            Away(date.fromisoformat(a["start"]), date.fromisoformat(a["end"]), a.get("reply", ""))
            for a in rules.get("away", []) or []
        ),
        pause_hours=pause.get("hours"),
        pause_categories=frozenset(pause.get("categories", [])),
    )


# --- time -------------------------------------------------------------------------------


def _to_utc(wall: datetime, tz: ZoneInfo, fold: int = 0) -> datetime:
    """The instant of a local wall-clock time; a time in a spring-forward gap becomes the
    end of the gap (zoneinfo alone would move it forward by the gap's length)."""
    local = wall.replace(tzinfo=tz, fold=fold)
    instant = local.astimezone(UTC)
    if instant.astimezone(tz).replace(tzinfo=None) == wall.replace(tzinfo=None):
        return instant
    # In a gap: the transition lies between the two readings of the wall time.
    lo = wall.replace(tzinfo=tz, fold=1).astimezone(UTC)
    hi = wall.replace(tzinfo=tz, fold=0).astimezone(UTC)
    if lo > hi:
        lo, hi = hi, lo
    off_lo = lo.astimezone(tz).utcoffset()
    while (hi - lo) > timedelta(seconds=1):
        mid = lo + (hi - lo) / 2
        if mid.astimezone(tz).utcoffset() == off_lo:
            lo = mid
        else:
            hi = mid
    return hi.replace(microsecond=0) if hi.microsecond else hi


def _in_week(rule: CategoryRule, local: datetime) -> bool:
    if not rule.windows:
        return True
    m = local.weekday() * 1440 + local.hour * 60 + local.minute
    for a, b in rule.week_intervals:
        if a <= m < b:
            return True
        if a > m:
            return False
    return False


def _open_local(policy: CompiledPolicy, rule: CategoryRule, local: datetime) -> bool:
    if rule.name != "emergency" and policy.away and policy.away_on(local.date()) is not None:
        return False
    return _in_week(rule, local)


def is_open(policy: CompiledPolicy, category: str, at: datetime) -> bool:
    rule = policy.categories.get(category)
    if rule is None or not rule.allowed:
        return False
    return _open_local(policy, rule, at.astimezone(policy.tz))


def _day_occurrences(policy: CompiledPolicy, rule: CategoryRule, day: date) -> tuple:
    key = (rule.name, day)
    hit = policy._day_cache.get(key)
    if hit is not None:
        return hit
    tz = policy.tz
    wd = day.weekday()
    out = []
    for w in rule.windows:
        if wd not in w.days:
            continue
        start_wall = datetime.combine(day, time(w.start // 60, w.start % 60))
        end_day = day if w.end > w.start else day + timedelta(days=1)
        end_wall = datetime.combine(end_day, time(w.end // 60, w.end % 60))
        out.append((_to_utc(start_wall, tz), _to_utc(start_wall, tz, fold=1), _to_utc(end_wall, tz, fold=1)))
    result = tuple(sorted(out))
    if len(policy._day_cache) > 20_000:
        policy._day_cache.clear()
    policy._day_cache[key] = result
    return result


def _occurrences(policy: CompiledPolicy, rule: CategoryRule, first: date, days: int):
    """(opening, opening of a repeated hour, closing) instants of every window that starts
    on the given local days."""
    for offset in range(days):
        yield from _day_occurrences(policy, rule, first + timedelta(days=offset))


def _away_end(policy: CompiledPolicy, away: Away) -> datetime:
    """The instant an away period ends (midnight after its last day), computed once."""
    key = ("away-end", away.end)
    hit = policy._day_cache.get(key)
    if hit is None:
        hit = policy._day_cache[key] = _to_utc(
            datetime.combine(away.end + timedelta(days=1), time(0, 0)), policy.tz
        )
    return hit


def next_opening(policy: CompiledPolicy, category: str, at: datetime) -> datetime | None:
    """The earliest instant >= `at` at which the category is open (away periods included)."""
    rule = policy.categories.get(category)
    if rule is None or not rule.allowed:
        return None
    at = at.astimezone(UTC)
    tz = policy.tz
    if _open_local(policy, rule, at.astimezone(tz)):
        return at
    local_day = at.astimezone(tz).date()
    candidates: list[datetime] = []
    # The end of an away period is an opening when a window is open at that moment.
    if rule.name != "emergency":
        for a in policy.away:
            end = _away_end(policy, a)
            if end > at and _open_local(policy, rule, end.astimezone(tz)):
                candidates.append(end)
    horizon = 9
    if rule.name != "emergency" and policy.away:
        last_away = max(a.end for a in policy.away)
        horizon = max(horizon, (last_away - local_day).days + 9)
    if rule.windows:
        for open0, open1, _close in _occurrences(policy, rule, local_day - timedelta(days=1), horizon + 1):
            # open1 differs from open0 only when the opening hour repeats (the autumn change).
            for opening in (open0,) if open1 == open0 else (open0, open1):
                if opening > at and _open_local(policy, rule, opening.astimezone(tz)):
                    candidates.append(opening)
            if candidates and min(candidates) < open0 - timedelta(days=1):
                break
    return min(candidates) if candidates else None


def _call_fits(policy: CompiledPolicy, rule: CategoryRule, start: datetime, minutes: int) -> bool:
    start = start.astimezone(UTC)
    end = start + timedelta(minutes=minutes)
    tz = policy.tz
    if policy.away and (
        policy.away_on(start.astimezone(tz).date()) or policy.away_on(end.astimezone(tz).date())
    ):
        return False
    if not rule.windows:
        return True
    first = start.astimezone(tz).date() - timedelta(days=1)
    for open0, _open1, close in _occurrences(policy, rule, first, 2):
        if open0 <= start and end <= close:
            return True
    return False


def open_summary(policy: CompiledPolicy, at: datetime) -> dict[str, dict]:
    """For the compose form: each allowed category, open now or when it next opens."""
    out = {}
    for name, rule in policy.categories.items():
        if not rule.allowed:
            continue
        now_open = is_open(policy, name, at)
        out[name] = {
            "open_now": now_open,
            "channels": sorted(rule.channels),
            "next_opening": None if now_open else next_opening(policy, name, at),
            "outside_hours": rule.outside_hours,
            "response_hours": rule.response_hours,
            "max_minutes": rule.max_minutes,
            "max_per_week": rule.max_per_week,
        }
    return out


def week_grid(policy: CompiledPolicy, week_start: date) -> list[dict]:
    """For each local day of the week starting at `week_start` and each hour: the
    categories open at any minute of that hour (checked on the hour and half hour
    boundaries of every window, on the local wall clock)."""
    days = []
    for offset in range(7):
        day = week_start + timedelta(days=offset)
        hours = []
        for hour in range(24):
            open_cats = []
            for name, rule in policy.categories.items():
                if not rule.allowed:
                    continue
                if any(
                    _open_local(policy, rule, datetime.combine(day, time(hour, minute)))
                    for minute in _probe_minutes(rule)
                ):
                    open_cats.append(name)
            hours.append(open_cats)
        days.append({"date": day, "hours": hours})
    return days


def _probe_minutes(rule: CategoryRule) -> tuple[int, ...]:
    if not rule.windows:
        return (0,)
    marks = {0}
    for w in rule.windows:
        marks.add(w.start % 60)
        marks.add(max(w.end % 60 - 1, 0) if w.end % 60 else 59)
    return tuple(sorted(marks))


# --- the decision -------------------------------------------------------------------------


def reading_of(contact: Contact) -> Reading:
    """The reading a contact is decided on: its body's, read here unless the caller already
    read it. A call request or a logged contact's note carries no message body to read."""
    if contact.kind != "message":
        return NOTHING
    return contact.reading if contact.reading is not None else read(contact.body)


def category_for(category: str | None, reading: Reading) -> str | None:
    """The category a contact is decided under: the one given, else the one its body reads as.
    None when neither names one; the decision can still be made then only for a client's
    crisis language or personal content (see needs_category)."""
    return category or reading.category


def needs_category(category: str | None, sender: str, reading: Reading) -> bool:
    """True when a send cannot be decided without the sender saying what it is about: no
    category given, none read, and the text is neither a client's crisis nor personal."""
    return (
        category_for(category, reading) is None
        and not reading.personal
        and not (sender == "client" and reading.crisis)
    )


def _blocked(reasons: tuple[str, ...], resources: str | None, auto_reply: str | None = None) -> tuple:
    return ("blocked", reasons, None, resources, auto_reply)


def decide(
    policy: CompiledPolicy | None, contact: Contact, consent: ConsentSnapshot, history: History
) -> Decision:
    reading = reading_of(contact)
    is_client = contact.sender == "client"
    category = category_for(contact.category, reading)
    outcome, reasons, deliver_at, resources, auto_reply = _rules(
        policy, contact, category, reading, consent, history
    )
    if category is None:  # only a crisis or personal content is decided without one
        category = "emergency" if outcome == "escalated" else "personal"
    # A client's emergency that reads as another category (and is not crisis language) is
    # still an emergency, never second-guessed: the mismatch is only noted, for the pattern.
    if (
        is_client
        and contact.category == "emergency"
        and not contact.release
        and outcome != "blocked"
        and outcome != "escalated"
        and reading.category is not None
        and reading.category != "emergency"
    ):
        reasons = reasons + ("emergency_mismatch",)
    return Decision(outcome, reasons, deliver_at, resources, auto_reply, reading, category)


def _rules(
    policy: CompiledPolicy | None,
    contact: Contact,
    category: str | None,
    reading: Reading,
    consent: ConsentSnapshot,
    history: History,
) -> tuple:
    """The rules in the contract's order of precedence: (outcome, reasons, deliver_at,
    crisis_resources, auto_reply)."""
    at = contact.at.astimezone(UTC)
    is_client = contact.sender == "client"
    resources = policy.crisis_resources if policy is not None else DEFAULT_CRISIS_RESOURCES
    emergency_resources = resources if category == "emergency" else None

    # 1. Crisis language from a client escalates, whatever else is true (a held message
    # too, when it is read again at release: it is never cancelled).
    if is_client and reading.crisis:
        return ("escalated", ("crisis_detected",), None, resources, None)

    # 2. Never allowed, for both sides, override or not: by its label, or by what it says.
    if reading.personal:
        return _blocked(("never_allowed", "personal_content"), emergency_resources)
    if category in NEVER_ALLOWED_CATEGORIES or contact.channel in NEVER_ALLOWED_CHANNELS:
        return _blocked(("never_allowed",), emergency_resources)
    if category is None:
        raise ValueError(
            "A contact that is neither crisis nor personal needs a category (see needs_category)."
        )

    override = (not is_client) and bool(contact.override_reason and contact.override_reason.strip())
    passed: list[str] = []

    # 3. Care and consent.
    gate: list[str] = []
    if history.care_ended:
        gate.append("care_ended")
    consent_ok = consent.state in ("active", "grace")
    if not consent_ok:
        gate.append(CONSENT_BLOCK_REASONS.get(consent.state, "consent_superseded"))
    consent_overridden = False
    if gate:
        if override and category == "emergency":
            passed.extend(gate)
            consent_overridden = not consent_ok
        else:
            return _blocked(tuple(gate), emergency_resources)

    if policy is None:
        return _blocked(("category_not_allowed",), emergency_resources)

    # 4. Category and channel (and a call's length).
    rule = policy.categories.get(category)
    if rule is None or not rule.allowed:
        if override:
            passed.append("category_not_allowed")
            return (
                "delivered_with_exception",
                tuple(passed) + ("override",),
                None,
                emergency_resources,
                None,
            )
        return _blocked(("category_not_allowed",), emergency_resources)
    rule4: list[str] = []
    if contact.channel not in rule.channels or (
        not consent_overridden and contact.channel not in consent.channels
    ):
        rule4.append("channel_not_allowed")
    minutes = contact.minutes
    if (
        minutes is not None
        and rule.max_minutes is not None
        and minutes > rule.max_minutes
        and contact.kind != "message"
    ):
        rule4.append("too_long")
    if rule4:
        if not override:
            return _blocked(tuple(rule4), emergency_resources)
        passed.extend(rule4)

    if contact.release:
        # A held message's hours have come and its rate-limit count was already taken.
        return ("delivered", (), None, emergency_resources, None)

    # 5. Clients only: the crisis pause, then the rate limit.
    if is_client:
        if (
            policy.pause_hours
            and category in policy.pause_categories
            and history.last_crisis_at is not None
            and at < history.last_crisis_at.astimezone(UTC) + timedelta(hours=policy.pause_hours)
        ):
            return _blocked(("paused_after_crisis",), resources)
        if (
            category != "emergency"
            and rule.max_per_week is not None
            and history.sent_in_category_last_week >= rule.max_per_week
        ):
            return _blocked(("rate_limited",), emergency_resources)

    # 6. Hours, away periods included.
    local = at.astimezone(policy.tz)
    away = policy.away_on(local.date()) if (policy.away and category != "emergency") else None
    auto_reply = None
    if is_client:
        auto_reply = (away.reply.strip() or policy.after_hours_reply) if away else policy.after_hours_reply
    auto_reply = auto_reply or None
    if contact.kind == "call":
        inside = _call_fits(policy, rule, at, minutes or 0)
        mode = "block"
    else:
        inside = _open_local(policy, rule, local)
        mode = rule.outside_hours
    if not inside:
        if override:
            passed.append("outside_hours")
        elif mode == "deliver":
            return ("delivered", tuple(passed) + ("outside_hours",), None, emergency_resources, auto_reply)
        elif mode == "hold":
            return (
                "held",
                ("outside_hours",),
                next_opening(policy, category, at),
                emergency_resources,
                auto_reply,
            )
        else:
            return _blocked(("outside_hours",), emergency_resources, auto_reply if away else None)

    # 7. A therapist's override passes whatever of rules 3-6 it had to.
    if override and passed:
        return ("delivered_with_exception", tuple(passed) + ("override",), None, emergency_resources, None)
    return ("delivered", (), None, emergency_resources, None)
