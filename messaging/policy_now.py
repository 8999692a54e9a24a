"""What the policy allows now, as the compose box and the thread page show it: each category's
channels and next opening, the call hours, the crisis resources, in the viewer's zone. Read
only (the query is messaging.selectors.compose_summary); the rest of the page's shaping is
messaging.presenters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from policies.compiled import DEFAULT_CRISIS_RESOURCES
from policies.text import describe_window
from policies.vocabulary import DAYS, EDITOR_ORDER, category_label, channel_label
from portal.localtime import local_time

from . import selectors
from .models import Thread


@dataclass
class CategoryNow:
    name: str
    label: str
    open_now: bool
    channels: list[str]
    next_opening: str
    outside_hours: str
    response_hours: int | None
    max_minutes: int | None
    max_per_week: int | None
    next_opening_at: datetime | None = None


@dataclass
class PolicyNow:
    """The governing policy, as the compose form shows it."""

    version: Any  # PolicyVersion | None
    governs: bool  # False: no consent governs now; shown for information only
    tz: Any
    tz_name: str
    crisis_resources: str
    categories: list[CategoryNow]
    call_windows: list[str]
    call_max_minutes: int | None
    call_channels: list[str]
    response_hours: int | None

    @property
    def emergency(self) -> CategoryNow | None:
        return next((c for c in self.categories if c.name == "emergency"), None)


def policy_now(thread: Thread, at: datetime, view_tz=None) -> PolicyNow:
    """selectors.compose_summary, shaped for the templates: words and local times (in the
    viewer's zone `view_tz`; the windows themselves are the policy's wall clock)."""
    summary = selectors.compose_summary(thread, at)
    version = summary.get("version")
    rules = version.rules if version is not None else {}
    tz = summary.get("tz") or ZoneInfo(thread.therapist.timezone or "UTC")
    shown_tz = view_tz or tz
    # A channel is open only if the policy lists it and the client agreed to it when signing.
    agreed = set(summary.get("consent_channels") or [])
    categories = []
    for name, info in (summary.get("categories") or {}).items():
        nxt = info.get("next_opening")
        categories.append(
            CategoryNow(
                name=name,
                label=category_label(name),
                open_now=bool(info.get("open_now")),
                channels=[channel_label(c) for c in info.get("channels") or [] if not agreed or c in agreed],
                next_opening=local_time(nxt, shown_tz, named=False) if nxt else "",
                outside_hours=info.get("outside_hours") or "",
                response_hours=info.get("response_hours"),
                max_minutes=info.get("max_minutes"),
                max_per_week=info.get("max_per_week"),
                next_opening_at=nxt,
            )
        )
    order = EDITOR_ORDER
    categories.sort(key=lambda c: order.index(c.name) if c.name in order else len(order))
    call_rule = (rules.get("categories") or {}).get("scheduled_call") or {}
    call_allowed = bool(call_rule.get("allowed"))
    return PolicyNow(
        version=version,
        governs=bool(summary.get("governs")),
        tz=tz,
        tz_name=getattr(tz, "key", str(tz)),
        crisis_resources=(summary.get("crisis_resources") or DEFAULT_CRISIS_RESOURCES).strip(),
        categories=categories,
        call_windows=[
            describe_window(window_in_zone(w, tz, shown_tz, at)) for w in call_rule.get("windows") or []
        ]
        if call_allowed
        else [],
        call_max_minutes=call_rule.get("max_minutes") if call_allowed else None,
        call_channels=list(call_rule.get("channels") or []) if call_allowed else [],
        response_hours=next((c.response_hours for c in categories if c.response_hours), None),
    )


_DAYS = DAYS


def window_in_zone(window: dict, policy_tz, view_tz, at: datetime) -> dict:
    """A policy window (its days and wall clock in the policy's zone) as the viewer's wall
    clock: the one time zone rule. The offset is the one of the window's next occurrence
    after `at` (a daylight-saving change in between may move it by an hour for a week)."""
    if getattr(policy_tz, "key", policy_tz) == getattr(view_tz, "key", view_tz) or not window.get("days"):
        return window
    today = at.astimezone(policy_tz).date()
    first = min(today + timedelta(days=(_DAYS.index(d) - today.weekday()) % 7) for d in window["days"])
    start_t = datetime.strptime(window["start"], "%H:%M").time()
    end_t = datetime.strptime(window["end"], "%H:%M").time()
    start = datetime.combine(first, start_t, tzinfo=policy_tz)
    end_day = first + timedelta(days=1) if window["end"] <= window["start"] else first
    end = datetime.combine(end_day, end_t, tzinfo=policy_tz)
    local_start, local_end = start.astimezone(view_tz), end.astimezone(view_tz)
    shift = (local_start.date() - first).days
    days = [_DAYS[(_DAYS.index(d) + shift) % 7] for d in window["days"]]
    return {
        **window,
        "days": sorted(days, key=_DAYS.index),
        "start": local_start.strftime("%H:%M"),
        "end": local_end.strftime("%H:%M"),
    }
