"""The policy editor's forms taken as one: built from a policy's rules (GET) or from what
was posted, read back as rules, and the validator's messages put back on the fields they
name (policies.rules.validate_rules judges the rules; the forms only shape input)."""

from __future__ import annotations

from datetime import date

from portal.errors import PolicyInvalid
from portal.services import known_timezones

from .forms import EDITABLE, AwayFormSet, CategoryForm, GeneralForm, PauseForm, WindowFormSet
from .selectors import current_version, draft_version
from .vocabulary import CATEGORY_LABELS

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


def starting_rules(therapist) -> dict:
    """The current draft, else the published version, else defaults in the therapist's zone."""
    version = draft_version(therapist.pk) or current_version(therapist.pk)
    if version is not None:
        return version.rules
    rules = dict(DEFAULT_RULES)
    if therapist.timezone in known_timezones():
        rules["timezone"] = therapist.timezone
    return rules


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
