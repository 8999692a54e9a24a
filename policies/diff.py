"""Differences between two policy versions: the client-facing texts line by line, and the
rules as a list of changes a therapist can read without knowing the JSON.

Both are pure functions of what they are given (no ORM, no clock), so the history page,
the preview and the tests all see the same answer.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import NamedTuple

from .text import describe_window
from .vocabulary import CATEGORIES, OUTSIDE_HOURS_LABELS, category_label, channel_label


class TextLine(NamedTuple):
    """One line of a text difference; unpacks as (kind, line) for the consent page."""

    kind: str  # "+" added, "-" removed, " " in both
    line: str


@dataclass(frozen=True)
class RuleChange:
    rule: str  # what changed, in words ("Brief check-in: weekly limit")
    before: str
    after: str


def text_diff(old: str, new: str) -> list[TextLine]:
    """Every line of both texts in order, each marked added, removed or unchanged."""
    out: list[TextLine] = []
    a, b = old.splitlines(), new.splitlines()
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out.extend(TextLine(" ", line) for line in a[i1:i2])
            continue
        # A replaced block reads best as all of the old lines, then all of the new ones.
        out.extend(TextLine("-", line) for line in a[i1:i2])
        out.extend(TextLine("+", line) for line in b[j1:j2])
    return out


def _channels(names: list[str]) -> str:
    return ", ".join(channel_label(c) for c in names) or "none"


def _windows(windows: list[dict] | None) -> str:
    return "; ".join(describe_window(w) for w in windows) if windows else "any time"


def _or(value, unit: str, empty: str) -> str:
    return f"{value} {unit}" if value is not None else empty


def _quoted(text: str | None) -> str:
    text = (text or "").strip()
    return f"\u201c{text}\u201d" if text else "(none)"


def _category_changes(name: str, old: dict | None, new: dict | None) -> list[RuleChange]:
    label = category_label(name)
    was_allowed, is_allowed = bool(old and old.get("allowed")), bool(new and new.get("allowed"))
    if was_allowed != is_allowed:
        return [
            RuleChange(
                label, "allowed" if was_allowed else "not allowed", "allowed" if is_allowed else "not allowed"
            )
        ]
    if not is_allowed:
        return []
    assert old is not None and new is not None  # noqa: S101 - narrowing for mypy: both allowed, so both are dicts
    changes = []

    def add(what: str, before: str, after: str) -> None:
        if before != after:
            changes.append(RuleChange(f"{label}: {what}", before, after))

    add("channels", _channels(old.get("channels", [])), _channels(new.get("channels", [])))
    add("hours", _windows(old.get("windows")), _windows(new.get("windows")))
    if name != "scheduled_call":
        add(
            "outside these hours",
            OUTSIDE_HOURS_LABELS.get(old.get("outside_hours", "hold"), ""),
            OUTSIDE_HOURS_LABELS.get(new.get("outside_hours", "hold"), ""),
        )
    add(
        "weekly limit",
        _or(old.get("max_per_week"), "per week", "no limit"),
        _or(new.get("max_per_week"), "per week", "no limit"),
    )
    add(
        "reply within",
        _or(old.get("response_hours"), "hours", "not stated"),
        _or(new.get("response_hours"), "hours", "not stated"),
    )
    add(
        "longest call",
        _or(old.get("max_minutes"), "minutes", "no limit"),
        _or(new.get("max_minutes"), "minutes", "no limit"),
    )
    return changes


def _away(period: dict) -> str:
    return f"{period['start']} to {period['end']}"


def _pause(pause: dict | None) -> str:
    if not pause:
        return "no pause"
    names = ", ".join(category_label(c) for c in pause.get("categories", []))
    return f"{pause.get('hours')} hours: {names}"


def rules_changes(old: dict, new: dict) -> list[RuleChange]:
    """What changed from the rules `old` to the rules `new`, in the editor's order."""
    changes: list[RuleChange] = []

    def add(rule: str, before: str, after: str) -> None:
        if before != after:
            changes.append(RuleChange(rule, before, after))

    add("Time zone", old.get("timezone", ""), new.get("timezone", ""))
    add("Crisis resources", _quoted(old.get("crisis_resources")), _quoted(new.get("crisis_resources")))
    add("After-hours reply", _quoted(old.get("after_hours_reply")), _quoted(new.get("after_hours_reply")))
    add(
        "Re-consent grace period",
        f"{old.get('reconsent_grace_days', 14)} days",
        f"{new.get('reconsent_grace_days', 14)} days",
    )
    old_cats, new_cats = old.get("categories", {}), new.get("categories", {})
    for name in CATEGORIES:
        changes.extend(_category_changes(name, old_cats.get(name), new_cats.get(name)))
    old_away = {_away(a): a.get("reply", "") for a in old.get("away") or []}
    new_away = {_away(a): a.get("reply", "") for a in new.get("away") or []}
    for period in sorted(set(old_away) | set(new_away)):
        if period not in new_away:
            add(f"Away {period}", _quoted(old_away[period]), "removed")
        elif period not in old_away:
            add(f"Away {period}", "not away", _quoted(new_away[period]))
        else:
            add(f"Away {period}: reply", _quoted(old_away[period]), _quoted(new_away[period]))
    add("Pause after a crisis", _pause(old.get("pause_after_crisis")), _pause(new.get("pause_after_crisis")))
    return changes
