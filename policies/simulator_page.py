"""The simulator page's presenters: the week of a policy as table rows, and the results
kept in the therapist's session (post/redirect/get) for the page to show again."""

from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from portal.crypto import decrypt, encrypt

from .hours import week_grid
from .vocabulary import CATEGORY_LABELS, CATEGORY_MARKS, CATEGORY_SHORT_LABELS, EDITOR_ORDER, outcome_label
from .wording import reason_text


def week_table(policy, first_day: date) -> dict:
    """engine.week_grid as table rows: one per hour, one cell per day, open categories marked."""
    week_start = first_day - timedelta(days=first_day.weekday())
    grid = week_grid(policy, week_start)
    shown = [c for c in EDITOR_ORDER if c in policy.categories and policy.categories[c].allowed]
    # Emergency contact open around the clock would paint every hour: it is said once instead.
    banded = [c for c in shown if not (c == "emergency" and not policy.categories[c].windows)]
    rows = []
    for hour in range(24):
        cells = []
        for d, day in enumerate(grid):
            names = [c for c in shown if c in day["hours"][hour]]
            # A coloured band per open category; its label where the band starts (the hour
            # before was closed for it), so a column reads "Administrative 09:00" then a bar.
            bands = [
                {
                    "name": c,
                    "label": CATEGORY_SHORT_LABELS[c],
                    "starts": hour == 0 or c not in grid[d]["hours"][hour - 1],
                }
                for c in names
                if c in banded
            ]
            cells.append(
                {
                    "marks": " ".join(CATEGORY_MARKS[c] for c in names),
                    "bands": bands,
                    "title": ", ".join(CATEGORY_LABELS[c] for c in names) or "Closed",
                    "beyond_emergency": any(c != "emergency" for c in names),
                }
            )
        rows.append({"hour": hour, "cells": cells})
    legend = [(c, CATEGORY_LABELS[c]) for c in banded]
    return {
        "start": week_start,
        "days": [d["date"] for d in grid],
        "rows": rows,
        "legend": legend,
        "emergency_always": "emergency" in shown and "emergency" not in banded,
    }


SIMULATOR_SESSION_KEY = "policy_simulator_results"
SIMULATOR_KEPT = 5  # the latest results a therapist can go back to


def store_result(request, inputs: dict, result: dict) -> str:
    """Post/redirect/get: the result (and what was typed, to fill the form again) stays in
    the server-side session under a random id; the URL carries only that id. The typed
    message and override reason are kept encrypted (portal.crypto), as health data is."""
    rid = secrets.token_urlsafe(9)
    kept = dict(request.session.get(SIMULATOR_SESSION_KEY) or {})
    kept[rid] = {
        "user": request.user.pk,
        "result": result,
        "inputs": {
            **inputs,
            "body": encrypt(inputs["body"] or ""),
            "override_reason": encrypt(inputs["override_reason"] or ""),
        },
    }
    request.session[SIMULATOR_SESSION_KEY] = dict(list(kept.items())[-SIMULATOR_KEPT:])
    return rid


def load_result(request, rid: str | None) -> tuple[dict, dict] | tuple[None, None]:
    """The inputs and the result stored under `rid` for this user, or (None, None)."""
    entry = (request.session.get(SIMULATOR_SESSION_KEY) or {}).get(rid or "")
    if not entry or entry.get("user") != request.user.pk:
        return None, None
    inputs = {
        **entry["inputs"],
        "body": decrypt(entry["inputs"]["body"]),
        "override_reason": decrypt(entry["inputs"]["override_reason"]),
    }
    r = entry["result"]
    tz = ZoneInfo(r["tz"])
    deliver_at = datetime.fromisoformat(r["deliver_at"]) if r["deliver_at"] else None
    decision = SimpleNamespace(
        outcome=r["outcome"],
        reasons=tuple(r["reasons"]),
        deliver_at=deliver_at,
        crisis_resources=r["crisis_resources"],
        auto_reply=r["auto_reply"],
    )
    result = {
        "decision": decision,
        "outcome": outcome_label(r["outcome"]),
        "reasons": [(code, reason_text(code)) for code in r["reasons"]],
        "deliver_at": deliver_at.astimezone(tz) if deliver_at else None,
        "tz": tz,
        "reading": r["reading"],
        "decided_under": r["decided_under"],
    }
    if result["deliver_at"] is not None:
        # Formatted here, in the policy's zone: the template filter would show UTC.
        result["deliver_at_text"] = result["deliver_at"].strftime("%A %-d %B %Y, %H:%M")
    return inputs, result
