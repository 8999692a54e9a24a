"""The therapist's policy pages: editor, preview and publish, history and differences, simulator.

Thin doors onto policies.services (the only writers) and the pure engine: the forms shape
input, policies.rules.validate_rules judges it, and its dotted field paths are put back
on the fields they name.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from portal.errors import DomainError, PolicyInvalid
from portal.localtime import local_time, viewer_zone, zone_note
from portal.services import known_timezones
from portal.views import therapist_required

from . import services
from .diff import rules_changes, text_diff
from .engine import week_grid
from .forms import (
    EDITABLE,
    AwayFormSet,
    CategoryForm,
    DiffForm,
    GeneralForm,
    PauseForm,
    SimulatorForm,
    WindowFormSet,
)
from .models import PolicyVersion
from .selectors import compiled_policy, current_version, draft_version
from .simulate import simulate
from .text import parse_sections, policy_text, reply_warnings, sha256, suggested_after_hours_reply
from .vocabulary import (
    CATEGORY_LABELS,
    CATEGORY_MARKS,
    CATEGORY_SHORT_LABELS,
    EDITOR_ORDER,
    PERSONAL_WHY,
    SOCIAL_WHY,
    category_label,
    outcome_label,
)
from .wording import reading_lines, reason_text

DEFAULT_RULES = {
    "timezone": "America/New_York",
    "crisis_resources": "If you are in danger call 911, or call or text 988.",
    "after_hours_reply": "",
    "reconsent_grace_days": 14,
    "categories": {
        "emergency": {"allowed": True, "channels": ["portal", "phone"], "outside_hours": "deliver"},
        "personal": {"allowed": False},
    },
}


def _starting_rules(therapist) -> dict:
    """The current draft, else the published version, else defaults in the therapist's zone."""
    version = draft_version(therapist.pk) or current_version(therapist.pk)
    if version is not None:
        return version.rules
    rules = dict(DEFAULT_RULES)
    if therapist.timezone in known_timezones():
        rules["timezone"] = therapist.timezone
    return rules


def _text_of(v: PolicyVersion) -> str:
    """A frozen version's own text; a draft's would-be text (what publishing would freeze)."""
    return v.text if v.is_frozen else policy_text(v.rules, therapist_name=v.therapist.full_name)


def _own_versions(user) -> list[PolicyVersion]:
    return list(PolicyVersion.objects.filter(therapist=user).select_related("therapist").order_by("-version"))


class EditorForms:
    """All the editor's forms, built from rules (GET) or from the posted data."""

    def __init__(self, rules: dict, data=None):
        cats = rules.get("categories", {})
        pause = rules.get("pause_after_crisis") or {}
        self.general = GeneralForm(
            data,
            prefix="g",
            initial={
                "timezone": rules.get("timezone"),
                "crisis_resources": rules.get("crisis_resources", ""),
                "after_hours_reply": rules.get("after_hours_reply", ""),
                "reconsent_grace_days": rules.get("reconsent_grace_days", 14),
            },
        )
        self.categories = {}
        self.windows = {}
        for name in EDITABLE:
            c = cats.get(name, {})
            self.categories[name] = CategoryForm(
                data,
                prefix=f"c-{name}",
                category=name,
                initial={
                    "allowed": bool(c.get("allowed")) or name == "emergency",
                    "channels": c.get("channels", []),
                    "outside_hours": c.get("outside_hours", "hold"),
                    "max_per_week": c.get("max_per_week"),
                    "response_hours": c.get("response_hours"),
                    "max_minutes": c.get("max_minutes"),
                },
            )
            self.windows[name] = WindowFormSet(data, prefix=f"w-{name}", initial=c.get("windows", []))
        self.away = AwayFormSet(
            data,
            prefix="away",
            initial=[
                {
                    "start": date.fromisoformat(a["start"]),
                    "end": date.fromisoformat(a["end"]),
                    "reply": a.get("reply", ""),
                }
                for a in rules.get("away", [])
            ],
        )
        self.pause = PauseForm(
            data,
            prefix="pause",
            initial={
                "enabled": bool(pause),
                "hours": pause.get("hours", 24),
                "categories": pause.get("categories", []),
            },
        )
        self.page_errors: list[str] = []
        self._window_rows: dict[str, list[int]] = {}
        self._away_rows: list[int] = []

    def all_forms(self):
        yield self.general
        yield self.pause
        for name in EDITABLE:
            yield self.categories[name]
            yield self.windows[name]
        yield self.away

    def is_valid(self) -> bool:
        return all(f.is_valid() for f in self.all_forms())

    def rules(self) -> dict:
        g = self.general.cleaned_data
        categories: dict = {}
        for name in EDITABLE:
            c = self.categories[name].cleaned_data
            allowed = True if name == "emergency" else bool(c.get("allowed"))
            if not allowed:
                categories[name] = {"allowed": False}
                continue
            rows, windows = [], []
            for i, form in enumerate(self.windows[name].forms):
                rule = form.as_rule()
                if rule is not None:
                    rows.append(i)
                    windows.append(rule)
            self._window_rows[name] = rows
            cat = {"allowed": True, "channels": c.get("channels") or [], "windows": windows}
            if "outside_hours" in c:
                cat["outside_hours"] = c.get("outside_hours") or "hold"
            for key in ("max_per_week", "response_hours", "max_minutes"):
                if c.get(key) is not None:
                    cat[key] = c[key]
            categories[name] = cat
        categories["personal"] = {"allowed": False}
        away = []
        for i, form in enumerate(self.away.forms):
            rule = form.as_rule()
            if rule is not None:
                self._away_rows.append(i)
                away.append(rule)
        rules = {
            "timezone": g.get("timezone"),
            "crisis_resources": g.get("crisis_resources") or "",
            "after_hours_reply": g.get("after_hours_reply") or "",
            "reconsent_grace_days": g.get("reconsent_grace_days")
            if g.get("reconsent_grace_days") is not None
            else 14,
            "categories": categories,
            "away": away,
        }
        p = self.pause.cleaned_data
        if p.get("enabled"):
            rules["pause_after_crisis"] = {"hours": p.get("hours"), "categories": p.get("categories") or []}
        return rules

    def show_errors(self, exc: PolicyInvalid) -> None:
        """Put each of the validator's messages on the field it names."""
        for path, msgs in exc.errors.items():
            for msg in msgs:
                if not self._place(path.split("."), msg):
                    self.page_errors.append(f"{path}: {msg}")

    def _place(self, parts: list[str], msg: str) -> bool:
        head = parts[0]
        if head in self.general.fields and len(parts) == 1:
            self.general.add_error(head, msg)
            return True
        if head == "pause_after_crisis":
            field = parts[1] if len(parts) > 1 and parts[1] in self.pause.fields else None
            self.pause.add_error(field, msg)
            return True
        if head == "away" and len(parts) >= 2 and parts[1].isdigit() and int(parts[1]) < len(self._away_rows):
            form = self.away.forms[self._away_rows[int(parts[1])]]
            form.add_error(parts[2] if len(parts) > 2 and parts[2] in form.fields else None, msg)
            return True
        if head == "categories" and len(parts) >= 2 and parts[1] in self.categories:
            name = parts[1]
            if len(parts) >= 4 and parts[2] == "windows" and parts[3].isdigit():
                rows = self._window_rows.get(name, [])
                if int(parts[3]) < len(rows):
                    form = self.windows[name].forms[rows[int(parts[3])]]
                    form.add_error(parts[4] if len(parts) > 4 and parts[4] in form.fields else None, msg)
                    return True
            form = self.categories[name]
            form.add_error(parts[2] if len(parts) > 2 and parts[2] in form.fields else None, msg)
            return True
        return False

    def sections(self):
        return [
            {"name": n, "label": CATEGORY_LABELS[n], "form": self.categories[n], "windows": self.windows[n]}
            for n in EDITABLE
        ]


@therapist_required
def editor(request):
    """Edit the draft (editing a published policy starts a new draft)."""
    rules = _starting_rules(request.user)
    forms = EditorForms(rules, request.POST or None)
    if request.method == "POST" and forms.is_valid():
        try:
            draft = services.policy_draft_save(therapist=request.user, rules=forms.rules())
        except PolicyInvalid as exc:
            forms.show_errors(exc)
        else:
            if "publish" in request.POST:
                return _publish_draft(request, draft)
            messages.success(request, f"Draft v{draft.version} saved. Check the preview, then publish.")
            return redirect("policies:editor" if "stay" in request.POST else "policies:preview")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "policies/editor.html",
        {
            "forms": forms,
            "draft": draft_version(request.user.pk),
            "current": current_version(request.user.pk),
            "personal_why": PERSONAL_WHY,
            "social_why": SOCIAL_WHY,
            "new_policy": _is_new(request.user),
            "suggested_reply": suggested_after_hours_reply(rules),
        },
        status=status,
    )


def _is_new(therapist) -> bool:
    return not PolicyVersion.objects.filter(therapist=therapist).exists()


def _publish_draft(request, draft: PolicyVersion):
    """Publish from the editor or the preview: a reply naming hours the windows contradict is
    published only once the therapist has seen the warning and said so (on the preview)."""
    warnings = reply_warnings(draft.rules)
    if warnings and not request.POST.get("reply_checked"):
        for w in warnings:
            messages.warning(request, w)
        messages.warning(
            request,
            f"Draft v{draft.version} is saved but not published yet: check the after-hours "
            "reply, then publish again.",
        )
        return redirect("policies:preview")
    try:
        v = services.policy_publish(version=draft, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("policies:preview")
    messages.success(
        request,
        f"Version {v.version} is published. "
        "Clients who consented to an earlier version are asked to review it.",
    )
    return redirect("policies:history")


@therapist_required
def preview(request):
    """Exactly what a client will read and sign, and what changed since the published version."""
    draft = draft_version(request.user.pk)
    current = current_version(request.user.pk)
    version = draft or current
    if version is None:
        messages.info(request, "Write your policy first; its preview appears here.")
        return redirect("policies:editor")
    version.therapist = request.user
    text = _text_of(version)
    changes = rules_changes(current.rules, draft.rules) if draft is not None and current is not None else None
    return render(
        request,
        "policies/preview.html",
        {
            "version": version,
            "is_draft": draft is not None,
            "current": current,
            "text": text,
            "sections": parse_sections(text),
            "sha": version.content_sha256 if version.is_frozen else sha256(text),
            "changes": changes,
            "reply_warnings": reply_warnings(version.rules),
            "suggested_reply": suggested_after_hours_reply(version.rules),
        },
    )


@therapist_required
@require_POST
def publish(request):
    draft = draft_version(request.user.pk)
    if draft is None:
        messages.error(request, "There is no draft to publish.")
        return redirect("policies:editor")
    return _publish_draft(request, draft)


@therapist_required
def history(request):
    """Every version, newest first, each with a link to what changed from the one before."""
    versions = _own_versions(request.user)
    tz = viewer_zone(request.user)
    rows = []
    for i, v in enumerate(versions):
        previous = versions[i + 1] if i + 1 < len(versions) else None
        rows.append(
            {
                "v": v,
                "previous": previous,
                "published": local_time(v.published_at, tz, named=False) if v.published_at else "",
            }
        )
    form = DiffForm(
        versions=versions,
        initial={
            "a": versions[1].pk if len(versions) > 1 else None,
            "b": versions[0].pk if versions else None,
        },
    )
    return render(
        request,
        "policies/history.html",
        {"rows": rows, "versions": versions, "form": form, "zone_note": zone_note(tz)},
    )


@therapist_required
def diff(request):
    """The difference between any two of the therapist's versions: text lines and rule changes."""
    versions = _own_versions(request.user)
    form = DiffForm(request.GET or None, versions=versions)
    context: dict = {"form": form, "lines": None, "changes": None}
    if form.is_valid():
        by_id = {v.pk: v for v in versions}
        a, b = by_id[form.cleaned_data["a"]], by_id[form.cleaned_data["b"]]
        context.update(
            a=a, b=b, lines=text_diff(_text_of(a), _text_of(b)), changes=rules_changes(a.rules, b.rules)
        )
    status = 400 if request.GET and not form.is_valid() else 200
    return render(request, "policies/diff.html", context, status=status)


def _week(policy, first_day: date) -> dict:
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


def _simulator_store(request, inputs: dict, result: dict) -> str:
    """Post/redirect/get: the result (and what was typed, to fill the form again) stays in
    the server-side session under a random id; the URL carries only that id. The typed
    message and override reason are kept encrypted (portal.crypto), as health data is."""
    import secrets

    from portal.crypto import encrypt

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


def _simulator_load(request, rid: str | None) -> tuple[dict, dict] | tuple[None, None]:
    """The inputs and the result stored under `rid` for this user, or (None, None)."""
    from types import SimpleNamespace

    from portal.crypto import decrypt

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


@therapist_required
def simulator(request):
    """Decide a made-up contact against a version; nothing is sent or stored but the
    answer, in the therapist's own session. The form POSTs (the typed message never goes
    into a URL: history, logs) and redirects to a GET that shows the answer
    (?result=<id>), so a reload shows it again and submits nothing."""
    versions = _own_versions(request.user)
    if not versions:
        messages.info(request, "Write a policy first; then try it here.")
        return redirect("policies:editor")
    first = versions[0]
    today = timezone.now().astimezone(ZoneInfo(first.rules["timezone"]))
    week_of = today.date()
    initial = {
        "version": first.pk,
        "sender": "client",
        "category": "administrative",
        "channel": "portal",
        "date": week_of,
        "time": today.strftime("%H:00"),
    }
    posted = request.POST if request.method == "POST" else None
    result = None
    if posted is None:
        inputs, result = _simulator_load(request, request.GET.get("result"))
        if inputs is not None and any(v.pk == inputs["version"] for v in versions):
            week_of = date.fromisoformat(inputs["date"])
            initial = {**inputs, "date": week_of}
        else:
            result = None
    form = SimulatorForm(posted, versions=versions, initial=initial)
    version = next((v for v in versions if v.pk == initial["version"]), first)
    if posted is not None and form.is_valid():
        d = form.cleaned_data
        version = next(v for v in versions if v.pk == d["version"])
        tz = ZoneInfo(version.rules["timezone"])
        at = datetime.combine(d["date"], d["time"]).replace(tzinfo=tz)
        decision = simulate(
            version=version,
            at=at,
            sender=d["sender"],
            category=d["category"],
            channel=d["channel"],
            body=d["body"],
            override_reason=d["override_reason"],
        )
        stored = {
            "outcome": decision.outcome,
            "reasons": list(decision.reasons),
            "deliver_at": decision.deliver_at.isoformat() if decision.deliver_at else None,
            "tz": version.rules["timezone"],
            "crisis_resources": decision.crisis_resources or "",
            "auto_reply": decision.auto_reply or "",
            # The reading the decision was made on, and the category it was decided under.
            "reading": list(reading_lines(decision.reading)),
            "decided_under": category_label(decision.category) if decision.category else "",
        }
        inputs = {
            "version": version.pk,
            "date": d["date"].isoformat(),
            "time": d["time"].strftime("%H:%M"),
            "sender": d["sender"],
            "category": d["category"],
            "channel": d["channel"],
            "body": d["body"],
            "override_reason": d["override_reason"],
        }
        rid = _simulator_store(request, inputs, stored)
        return redirect(f"{reverse('policies:simulator')}?result={rid}#outcome-heading")
    status = 400 if posted is not None and not form.is_valid() else 200
    return render(
        request,
        "policies/simulator.html",
        {
            "form": form,
            "result": result,
            "version": version,
            "week": _week(compiled_policy(version), week_of),
        },
        status=status,
    )
