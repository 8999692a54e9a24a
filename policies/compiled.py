"""The compiled policy (policies.engine): a version's rules compiled once (`compile_rules`)
into the tables the decision and the hours read without parsing: each category's windows as
minute-of-week intervals on the local wall clock, the away periods, the crisis pause."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from zoneinfo import ZoneInfo

from .vocabulary import DAYS

DEFAULT_CRISIS_RESOURCES = "If you are in danger call 911, or call or text 988."
_WEEK_MINUTES = 7 * 24 * 60


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
