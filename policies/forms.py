"""The policy pages' forms (crispy). They only shape input: the contract's rules are checked
once, by policies.rules.validate_rules, and its messages are put on these fields. The editor's
forms (EditorForm) are laid out by their crispy helper, each field written by a light
field template of crispy's (templates/policies/crispy/)."""

from __future__ import annotations

import difflib
import re
from datetime import date
from functools import cached_property, lru_cache
from typing import Any, cast

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.core.validators import MaxLengthValidator
from django.forms import BaseFormSet, BoundField, formset_factory

from portal.services import known_timezones

from .vocabulary import (
    CATEGORIES,
    CATEGORY_LABELS,
    CHANNEL_LABELS,
    CHANNELS,
    DAY_SHORT_NAMES,
    DAYS,
    EDITOR_ORDER,
    NEVER_ALLOWED_CHANNELS,
    OFFERED_CHANNELS,
    OUTSIDE_HOURS_LABELS,
    PAUSABLE_CATEGORIES,
    SENDER_LABELS,
    SENDERS,
    SOCIAL_WHY,
    VERSION_STATUS_LABELS,
)

# The categories the editor shows, in its order (personal is never allowed: not offered).
EDITABLE = EDITOR_ORDER
CHANNEL_CHOICES = [(c, CHANNEL_LABELS[c]) for c in OFFERED_CHANNELS]
DAY_CHOICES = [(d, DAY_SHORT_NAMES[d]) for d in DAYS]


def _helper(*layout, unmentioned: bool = False) -> FormHelper:
    """A crispy form that is a fragment of a page's <form>, laid out in rows."""
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    if layout:
        helper.layout = Layout(*layout)
        # A formset adds DELETE after __init__: render it after the laid-out fields.
        helper.render_unmentioned_fields = unmentioned
    return helper


def _row(*names: str, width: str = "col-sm") -> Row:
    return Row(*(Column(n, css_class=width) for n in names))


class _ErrorMarked(BoundField):
    """A field of the editor: its widget marked invalid (Bootstrap's is-invalid) when it has an
    error; Django adds aria-invalid and points aria-describedby at the help text and error."""

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        if self.errors:
            css = (widget or self.field.widget).attrs.get("class", "")
            attrs["class"] = f"{css} is-invalid".strip()
        return attrs


def _widget_class(widget: forms.Widget) -> str | None:
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return None  # its boxes are written by templates/policies/crispy/field.html
    if isinstance(widget, forms.CheckboxInput):
        return "form-check-input"
    return "form-select" if isinstance(widget, forms.Select) else "form-control"


class EditorForm(forms.Form):
    """A fragment of the editor's one <form>, rendered by `{% crispy %}` with its `helper`:
    `layout` is its rows, each one field or several side by side (`columns` their class); a
    name the form does not have is skipped, and fields a formset adds (DELETE) come after.
    Each field is written by FIELD_TEMPLATE, not bootstrap5/field.html: the editor has about
    a hundred fields, and the pack's field templates (four to a field, three to a box) were
    four fifths of the page's time."""

    # Crispy's templates for the editor (templates/policies/crispy/), in place of bootstrap5's.
    FORM_TEMPLATE = "policies/crispy/form.html"
    FIELD_TEMPLATE = "policies/crispy/field.html"
    ROW_TEMPLATE = "policies/crispy/row.html"
    COLUMN_TEMPLATE = "policies/crispy/column.html"

    bound_field_class = _ErrorMarked
    layout: tuple[tuple[str, ...], ...] = ()
    columns = "col-sm"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = _widget_class(field.widget)
            if css:
                field.widget.attrs.setdefault("class", css)

    @cached_property
    def helper(self) -> FormHelper:
        # Built when first rendered, so from the fields a subclass's __init__ kept.
        rows = [[n for n in row if n in self.fields] for row in self.layout]
        helper = _helper(
            *(row[0] if len(row) == 1 else self._row(row) for row in rows if row),
            unmentioned=True,
        )
        helper.template = self.FORM_TEMPLATE
        helper.field_template = self.FIELD_TEMPLATE
        helper.include_media = False  # the editor's forms have no media; its script is the page's
        return helper

    def _row(self, names: list[str]) -> Row:
        return Row(
            *(Column(n, css_class=self.columns, template=self.COLUMN_TEMPLATE) for n in names),
            template=self.ROW_TEMPLATE,
        )


class GeneralForm(EditorForm):
    # A searchable input, not a 600-option select: static/policies/editor.js fills its datalist
    # from the browser's own list of zones (and starts a new policy from the browser's zone).
    timezone = forms.CharField(
        label="Time zone",
        max_length=64,
        help_text="Type to search, for example New_York or London. Your hours below are in this time zone.",
        widget=forms.TextInput(attrs={"list": "tz-list", "autocomplete": "off", "spellcheck": "false"}),
    )
    crisis_resources = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="Shown with every emergency and crisis message (e.g. 911, 988).",
    )
    after_hours_reply = forms.CharField(
        label="After-hours reply",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="Sent to a client who writes outside your hours.",
    )
    reconsent_grace_days = forms.IntegerField(
        label="Re-consent grace period (days)", min_value=0, max_value=90, initial=14
    )

    layout = (("timezone",), ("crisis_resources",), ("after_hours_reply",), ("reconsent_grace_days",))

    def clean_timezone(self) -> str:
        value = (self.cleaned_data.get("timezone") or "").strip()
        if value not in known_timezones():
            # Without JavaScript the list is empty: the error names the zones meant, if any.
            close = zones_like(value)
            hint = (
                f"Did you mean {' or '.join(close)}?"
                if close
                else "Type part of a city's name and pick one from the list (for example America/New_York)."
            )
            raise forms.ValidationError(f"‘{value}’ is not a known time zone. {hint}", code="invalid_choice")
        return value


@lru_cache(maxsize=1)
def _zones_by_city() -> dict[str, tuple[str, ...]]:
    """Each known zone under its city's name, case folded (Europe/London under "london")."""
    by_city: dict[str, list[str]] = {}
    for zone in sorted(known_timezones()):
        if "/" in zone and not zone.startswith(("Etc/", "SystemV/")):
            by_city.setdefault(zone.rsplit("/", 1)[1].casefold(), []).append(zone)
    return {city: tuple(zones) for city, zones in by_city.items()}


def zones_like(typed: str, *, n: int = 3) -> list[str]:
    """The known zones a mistyped one most likely means, best first: its city typed with
    spaces or in another case ("new york" is America/New_York), else the closest spellings
    of the city ("Lisbn" is Europe/Lisbon)."""
    city = "_".join(typed.rsplit("/", 1)[-1].split()).casefold()
    by_city = _zones_by_city()
    if not city:
        return []
    if city in by_city:
        return list(by_city[city][:n])
    close = difflib.get_close_matches(city, by_city, n=n, cutoff=0.75)
    return [zone for c in close for zone in by_city[c]][:n]


class ChannelsField(forms.MultipleChoiceField):
    """Offers every channel but social media; a posted social_media is refused with why."""

    def validate(self, value):
        if value and NEVER_ALLOWED_CHANNELS & set(value):
            raise forms.ValidationError(SOCIAL_WHY, code="never_allowed")
        super().validate(value)


class CategoryForm(EditorForm):
    allowed = forms.BooleanField(required=False, label="Allowed")
    channels = ChannelsField(
        choices=CHANNEL_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Social media is never offered: it cannot keep confidentiality.",
    )
    outside_hours = forms.ChoiceField(
        label="Outside these hours",
        choices=list(OUTSIDE_HOURS_LABELS.items()),
        initial="hold",
        help_text="What happens to a message sent outside every window below, or while you are away.",
    )
    max_per_week = forms.IntegerField(
        label="Weekly limit",
        required=False,
        min_value=1,
        help_text="Most messages a client may send in any 7 days. Blank: no limit.",
    )
    response_hours = forms.IntegerField(label="Reply within (hours)", required=False, min_value=1)
    max_minutes = forms.IntegerField(label="Longest call (minutes)", required=False, min_value=1)

    def __init__(self, *args, category: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.category = category
        self.label = CATEGORY_LABELS[category]
        if category == "emergency":
            self.fields["allowed"].disabled = True
            self.fields["allowed"].help_text = "Emergency contact is always allowed."
            del self.fields["max_per_week"]
        if category != "scheduled_call":
            del self.fields["max_minutes"]
        else:
            del self.fields["outside_hours"]

    layout = (
        ("allowed",),
        ("channels",),
        ("outside_hours",),
        ("max_per_week", "response_hours", "max_minutes"),
    )


class WindowForm(EditorForm):
    days = forms.MultipleChoiceField(choices=DAY_CHOICES, widget=forms.CheckboxSelectMultiple, required=False)
    # The length check is a validator, not max_length: max_length would put maxlength on a
    # type=time input, which HTML does not allow.
    start = forms.CharField(
        required=False,
        validators=[MaxLengthValidator(8)],
        widget=forms.TimeInput(attrs={"type": "time"}),
        help_text="When the window opens (included).",
    )
    end = forms.CharField(
        required=False,
        validators=[MaxLengthValidator(8)],
        widget=forms.TimeInput(attrs={"type": "time"}),
        help_text="When it closes (not included). An end before the start runs past midnight.",
    )

    layout = (("days",), ("start", "end"))
    columns = "col-sm-6"

    @staticmethod
    def _hhmm(value: str) -> str:
        # Only shapes what a browser or a person types ("9:00", "09:00:00") into the
        # rules' HH:MM; whether it is a valid time is the validator's call.
        value = (value or "").strip()
        m = re.fullmatch(r"(\d{1,2}):(\d{2})(?::00)?", value)
        return f"{int(m.group(1)):02d}:{m.group(2)}" if m else value

    def clean_start(self) -> str:
        return self._hhmm(self.cleaned_data.get("start", ""))

    def clean_end(self) -> str:
        return self._hhmm(self.cleaned_data.get("end", ""))

    def as_rule(self) -> dict | None:
        d = self.cleaned_data
        if not d or d.get("DELETE") or not (d.get("days") or d.get("start") or d.get("end")):
            return None
        return {
            "days": d.get("days") or [],
            "start": (d.get("start") or "").strip(),
            "end": (d.get("end") or "").strip(),
        }


class AwayForm(EditorForm):
    start = forms.DateField(
        required=False, label="First day away", widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        required=False, label="Last day away", widget=forms.DateInput(attrs={"type": "date"})
    )
    reply = forms.CharField(
        required=False,
        max_length=500,
        label="Reply while away",
        help_text="Sent to a client who writes on these days, instead of the after-hours reply.",
    )

    layout = (("start", "end"), ("reply",))
    columns = "col-sm-6"

    def clean(self):
        d = cast(dict[str, Any], super().clean())  # Form.clean() returns cleaned_data
        # A half-filled period must not vanish: the rules validator drops a period whose
        # date is an empty string instead of naming it, so both days are asked for here.
        if not d.get("DELETE") and bool(d.get("start")) != bool(d.get("end")):
            missing = "end" if d.get("start") else "start"
            if missing not in self.errors:
                self.add_error(missing, "Give both the first and the last day away.")
        return d

    def as_rule(self) -> dict | None:
        d = self.cleaned_data
        if not d or d.get("DELETE") or not (d.get("start") or d.get("end")):
            return None
        iso = lambda v: v.isoformat() if isinstance(v, date) else ""  # noqa: E731
        return {
            "start": iso(d.get("start")),
            "end": iso(d.get("end")),
            "reply": (d.get("reply") or "").strip(),
        }


class PauseForm(EditorForm):
    enabled = forms.BooleanField(
        required=False,
        label="Pause some contact after a crisis (the DBT \u201c24-hour rule\u201d)",
        help_text="For a while after a client's crisis message, the categories "
        "you choose are blocked for that client and they see your crisis "
        "resources instead.",
    )
    hours = forms.IntegerField(
        required=False,
        min_value=1,
        initial=24,
        label="Pause for (hours)",
        help_text="Counted from the client's last message that was escalated as a crisis.",
    )
    categories = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Categories paused",
        help_text="Emergency contact is never paused.",
        choices=[(c, CATEGORY_LABELS[c]) for c in PAUSABLE_CATEGORIES],
    )

    layout = (("enabled",), ("hours",), ("categories",))


class _Rows(BaseFormSet):
    """Rows the therapist can remove (a window, an away period)."""

    remove_label = "Remove"

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = self.remove_label
            form.fields["DELETE"].widget.attrs["class"] = "form-check-input"


class _WindowRows(_Rows):
    remove_label = "Remove this window"


class _AwayRows(_Rows):
    remove_label = "Remove this period"


# A new (extra) row has nothing to remove: it is left empty instead.
WindowFormSet = formset_factory(
    WindowForm, formset=_WindowRows, extra=1, can_delete=True, can_delete_extra=False
)
AwayFormSet = formset_factory(AwayForm, formset=_AwayRows, extra=1, can_delete=True, can_delete_extra=False)


def _version_label(v) -> str:
    return f"v{v.version}: {VERSION_STATUS_LABELS.get(v.status, v.status).lower()}"


class SimulatorForm(forms.Form):
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(
        widget=forms.TimeInput(attrs={"type": "time"}), help_text="In the policy's time zone."
    )
    sender = forms.ChoiceField(choices=[(s, SENDER_LABELS[s]) for s in SENDERS])
    category = forms.ChoiceField(choices=[(c, CATEGORY_LABELS[c]) for c in CATEGORIES])
    channel = forms.ChoiceField(choices=[(c, CHANNEL_LABELS[c]) for c in CHANNELS])
    body = forms.CharField(label="Message", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    override_reason = forms.CharField(label="Override reason (therapist only)", required=False)
    version = forms.TypedChoiceField(coerce=int, label="Policy version")

    def __init__(self, *args, versions=(), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.TypedChoiceField, self.fields["version"]).choices = [
            (v.pk, _version_label(v)) for v in versions
        ]
        self.helper = _helper(
            _row("version", "date", "time"), _row("sender", "category", "channel"), "body", "override_reason"
        )


class DiffForm(forms.Form):
    a = forms.TypedChoiceField(coerce=int, label="From version")
    b = forms.TypedChoiceField(coerce=int, label="To version")

    def __init__(self, *args, versions=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(v.pk, _version_label(v)) for v in versions]
        cast(forms.TypedChoiceField, self.fields["a"]).choices = choices
        cast(forms.TypedChoiceField, self.fields["b"]).choices = choices
        self.helper = _helper(_row("a", "b"))
