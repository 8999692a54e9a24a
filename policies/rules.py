"""Validate and normalise a policy's rules (the JSON the editor and the API send).

`validate_rules` returns the normalised rules or raises PolicyInvalid with every
problem keyed by its dotted field path. It raises nothing else, whatever the input.
"""

from __future__ import annotations

import re
import zoneinfo
from datetime import date
from functools import lru_cache
from typing import Any, cast

from portal.errors import PolicyInvalid

from .vocabulary import (
    CATEGORIES,
    CHANNELS,
    DAYS,
    NEVER_ALLOWED_CATEGORIES,
    NEVER_ALLOWED_CHANNELS,
    OFFERED_CHANNELS,
    OUTSIDE_HOURS_MODES,
    PERSONAL_WHY,
    SOCIAL_WHY,
)

TOP_KEYS = {
    "timezone",
    "crisis_resources",
    "after_hours_reply",
    "reconsent_grace_days",
    "categories",
    "away",
    "pause_after_crisis",
}
CATEGORY_KEYS = {
    "allowed",
    "channels",
    "windows",
    "outside_hours",
    "max_per_week",
    "response_hours",
    "max_minutes",
}
_HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
MAX_TEXT = 2000
MAX_LIST = 50


@lru_cache(maxsize=1)
def _zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


class _Errors:
    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def add(self, path: str, message: str) -> None:
        self.errors.setdefault(path, []).append(message)


def _text(raw: dict, key: str, errs: _Errors, *, required: bool, default: str = "") -> str:
    value = raw.get(key, None if required else default)
    if value is None:
        errs.add(key, "This field is required.")
        return ""
    if not isinstance(value, str):
        errs.add(key, "Must be text.")
        return ""
    if len(value) > MAX_TEXT:
        errs.add(key, f"Keep this under {MAX_TEXT} characters.")
    if required and not value.strip():
        errs.add(key, "This field may not be blank.")
    return value.strip()


def _positive_int(value: Any, path: str, errs: _Errors, *, maximum: int = 10_000) -> int | None:
    if value is None:
        return None
    if not _is_int(value) or value < 1 or value > maximum:
        errs.add(path, f"Must be a whole number from 1 to {maximum}.")
        return None
    return value


def _windows(value: Any, path: str, errs: _Errors) -> list[dict]:
    if value is None:
        return []
    if not isinstance(value, list):
        errs.add(path, "Must be a list of windows.")
        return []
    if len(value) > MAX_LIST:
        errs.add(path, f"At most {MAX_LIST} windows.")
        return []
    out = []
    for i, w in enumerate(value):
        wp = f"{path}.{i}"
        if not isinstance(w, dict):
            errs.add(wp, "Each window needs days, start and end.")
            continue
        extra = set(w) - {"days", "start", "end"}
        if extra:
            errs.add(wp, f"Unknown field(s): {', '.join(sorted(map(str, extra)))}.")
        days = w.get("days")
        ok = True
        if not isinstance(days, list) or not days:
            errs.add(f"{wp}.days", "Choose at least one day.")
            ok = False
        elif any(not isinstance(d, str) or d not in DAYS for d in days):
            errs.add(f"{wp}.days", f"Days are {', '.join(DAYS)}.")
            ok = False
        times = {}
        for key in ("start", "end"):
            t = w.get(key)
            if not isinstance(t, str) or not _HHMM.match(t):
                errs.add(f"{wp}.{key}", "Use a 24-hour time such as 09:00.")
                ok = False
            else:
                times[key] = t
        if len(times) == 2 and times["start"] == times["end"]:
            errs.add(f"{wp}.end", "The window must end at a different time than it starts.")
            ok = False
        if ok:
            chosen = cast("list[str]", days)  # ok: days was checked to be a list of day names
            out.append(
                {"days": [d for d in DAYS if d in chosen], "start": times["start"], "end": times["end"]}
            )
    return out


def _channels(value: Any, path: str, errs: _Errors) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list):
        errs.add(path, "Must be a list of channels.")
        return []
    out: list[str] = []
    for ch in value:
        if ch in NEVER_ALLOWED_CHANNELS:
            errs.add(path, SOCIAL_WHY)
        elif not isinstance(ch, str) or ch not in CHANNELS:
            errs.add(path, f"Unknown channel {ch!r}: use {', '.join(OFFERED_CHANNELS)}.")
        elif ch not in out:
            out.append(ch)
    return [c for c in CHANNELS if c in out]


def _category(name: str, raw: Any, errs: _Errors) -> dict | None:
    path = f"categories.{name}"
    if not isinstance(raw, dict):
        errs.add(path, "Must be an object with at least 'allowed'.")
        return None
    extra = set(raw) - CATEGORY_KEYS
    if extra:
        errs.add(path, f"Unknown field(s): {', '.join(sorted(map(str, extra)))}.")
    allowed = raw.get("allowed")
    if not isinstance(allowed, bool):
        errs.add(f"{path}.allowed", "Must be true or false.")
        return None
    if name in NEVER_ALLOWED_CATEGORIES:
        if allowed:
            errs.add(f"{path}.allowed", PERSONAL_WHY)
        return {"allowed": False}
    if name == "emergency" and not allowed:
        errs.add(f"{path}.allowed", "Emergency contact must always be allowed.")
    channels = _channels(raw.get("channels"), f"{path}.channels", errs)
    if allowed and not channels and "channels" in raw:
        errs.add(f"{path}.channels", "Choose at least one channel for an allowed category.")
    mode = raw.get("outside_hours", "hold")
    if mode not in OUTSIDE_HOURS_MODES:
        errs.add(f"{path}.outside_hours", "Choose hold, deliver or block.")
        mode = "hold"
    out: dict[str, Any] = {
        "allowed": allowed,
        "channels": channels,
        "windows": _windows(raw.get("windows"), f"{path}.windows", errs),
        "outside_hours": mode,
    }
    max_per_week = _positive_int(raw.get("max_per_week"), f"{path}.max_per_week", errs, maximum=1000)
    if max_per_week is not None:
        if name == "emergency":
            errs.add(f"{path}.max_per_week", "Emergencies can never be rate limited.")
        else:
            out["max_per_week"] = max_per_week
    rh = _positive_int(raw.get("response_hours"), f"{path}.response_hours", errs, maximum=24 * 30)
    if rh is not None:
        out["response_hours"] = rh
    mm = _positive_int(raw.get("max_minutes"), f"{path}.max_minutes", errs, maximum=24 * 60)
    if mm is not None:
        out["max_minutes"] = mm
    return out


def _date(value: Any, path: str, errs: _Errors) -> date | None:
    if not isinstance(value, str):
        errs.add(path, "Use a date such as 2026-12-24.")
        return None
    try:
        if len(value) == 10:
            return date.fromisoformat(value)
    except ValueError:
        pass
    errs.add(path, "Use a date such as 2026-12-24.")
    return None


def _away(value: Any, errs: _Errors) -> list[dict]:
    if value is None:
        return []
    if not isinstance(value, list) or len(value) > MAX_LIST:
        errs.add("away", f"Must be a list of at most {MAX_LIST} periods.")
        return []
    out = []
    for i, a in enumerate(value):
        p = f"away.{i}"
        if not isinstance(a, dict):
            errs.add(p, "Each period needs start, end and reply.")
            continue
        extra = set(a) - {"start", "end", "reply"}
        if extra:
            errs.add(p, f"Unknown field(s): {', '.join(sorted(map(str, extra)))}.")
        start, end = _date(a.get("start"), f"{p}.start", errs), _date(a.get("end"), f"{p}.end", errs)
        reply = a.get("reply", "")
        if not isinstance(reply, str) or len(reply) > MAX_TEXT:
            errs.add(f"{p}.reply", "Must be text.")
            reply = ""
        if start and end:
            if end < start:
                errs.add(f"{p}.end", "The last day cannot be before the first.")
            else:
                out.append({"start": start.isoformat(), "end": end.isoformat(), "reply": reply.strip()})
    return out


def _pause(value: Any, errs: _Errors) -> dict | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        errs.add("pause_after_crisis", "Must be an object with hours and categories.")
        return None
    extra = set(value) - {"hours", "categories"}
    if extra:
        errs.add("pause_after_crisis", f"Unknown field(s): {', '.join(sorted(map(str, extra)))}.")
    hours = _positive_int(value.get("hours"), "pause_after_crisis.hours", errs, maximum=24 * 14)
    if value.get("hours") is None:
        errs.add("pause_after_crisis.hours", "This field is required.")
    cats = value.get("categories")
    out_cats: list[str] = []
    if not isinstance(cats, list) or not cats:
        errs.add("pause_after_crisis.categories", "Choose at least one category to pause.")
    else:
        for c in cats:
            if c == "emergency":
                errs.add("pause_after_crisis.categories", "Emergency contact can never be paused.")
            elif not isinstance(c, str) or c not in CATEGORIES:
                errs.add("pause_after_crisis.categories", f"Unknown category {c!r}.")
            elif c not in out_cats:
                out_cats.append(c)
    if hours is None or not out_cats:
        return None
    return {"hours": hours, "categories": [c for c in CATEGORIES if c in out_cats]}


def validate_rules(raw: object) -> dict:
    """The normalised rules, or PolicyInvalid naming every wrong field."""
    errs = _Errors()
    if not isinstance(raw, dict):
        raise PolicyInvalid({"rules": ["The rules must be a JSON object."]})
    extra = set(raw) - TOP_KEYS
    if extra:
        errs.add("rules", f"Unknown field(s): {', '.join(sorted(map(str, extra)))}.")
    tz = raw.get("timezone")
    if not isinstance(tz, str) or not tz:
        errs.add("timezone", "This field is required: an IANA time zone such as America/New_York.")
    elif tz not in _zones():
        errs.add("timezone", f"'{tz[:64]}' is not a known IANA time zone (for example America/New_York).")
    crisis = _text(raw, "crisis_resources", errs, required=True)
    after = _text(raw, "after_hours_reply", errs, required=False)
    grace = raw.get("reconsent_grace_days", 14)
    if not _is_int(grace) or not 0 <= grace <= 90:
        errs.add("reconsent_grace_days", "Must be a whole number of days from 0 to 90.")
        grace = 14
    cats_raw = raw.get("categories")
    categories: dict[str, dict] = {}
    if not isinstance(cats_raw, dict):
        errs.add(
            "categories", "This field is required: an object with at least an allowed emergency category."
        )
    else:
        for name, value in cats_raw.items():
            if name not in CATEGORIES:
                errs.add(f"categories.{name}", f"Unknown category: use {', '.join(CATEGORIES)}.")
                continue
            cat = _category(name, value, errs)
            if cat is not None:
                categories[name] = cat
        if "emergency" not in cats_raw:
            errs.add("categories.emergency", "Emergency contact must always be allowed.")
    away = _away(raw.get("away"), errs)
    pause = _pause(raw.get("pause_after_crisis"), errs)
    if errs.errors:
        raise PolicyInvalid(errs.errors)
    out: dict[str, Any] = {
        "timezone": tz,
        "crisis_resources": crisis,
        "after_hours_reply": after,
        "reconsent_grace_days": grace,
        "categories": {n: categories[n] for n in CATEGORIES if n in categories},
        "away": away,
    }
    if pause:
        out["pause_after_crisis"] = pause
    return out
