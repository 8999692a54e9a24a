"""The hours of a compiled policy (policies.engine): whether a category is open at an instant,
when it next opens, whether a call fits one window, and the summaries the pages show.

Windows are wall-clock times in the policy's zone. Membership is decided on the local wall
clock of the instant (so a repeated fall-back hour is inside both times, and a start inside a
spring-forward gap opens at the end of the gap); instants built from wall times go through
`_to_utc`, which clamps a nonexistent time to the end of its gap. All arithmetic is in UTC.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from .compiled import Away, CategoryRule, CompiledPolicy


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


def window_occurrences(policy: CompiledPolicy, rule: CategoryRule, first: date, days: int):
    """(opening, opening of a repeated hour, closing) instants, in UTC, of every window of the
    category's rule that starts on the `days` local days from `first`, in order.
    `next_opening` and `call_fits` walk the windows with it; `messaging.slots` lays out the
    call slots inside them."""
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
        for open0, open1, _close in window_occurrences(
            policy, rule, local_day - timedelta(days=1), horizon + 1
        ):
            # open1 differs from open0 only when the opening hour repeats (the autumn change).
            for opening in (open0,) if open1 == open0 else (open0, open1):
                if opening > at and _open_local(policy, rule, opening.astimezone(tz)):
                    candidates.append(opening)
            if candidates and min(candidates) < open0 - timedelta(days=1):
                break
    return min(candidates) if candidates else None


def call_fits(policy: CompiledPolicy, rule: CategoryRule, start: datetime, minutes: int) -> bool:
    """Whether a call of `minutes` from `start` lies wholly inside one window of the rule, on
    no away day (a rule without windows is open all week). The engine decides a call request
    with it; `messaging.slots` offers only the slots it accepts."""
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
    for open0, _open1, close in window_occurrences(policy, rule, first, 2):
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
