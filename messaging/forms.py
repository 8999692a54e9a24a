"""The thread page's forms. They only shape input: the policy decides in messaging.services.

Times typed into a form are the viewer's wall clock (their profile's zone, named beside the
field, as every time on the page is) and become UTC instants here; a wall time that does not exist (clocks going forward) is
refused, a repeated one (clocks going back) is its first occurrence.
"""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from typing import cast
from zoneinfo import ZoneInfo

from crispy_forms.helper import FormHelper
from django import forms
from django.conf import settings
from django.core.validators import MaxLengthValidator

from policies.vocabulary import (
    CALL_CHANNELS,
    CATEGORIES,
    CHANNELS,
    NEVER_ALLOWED_CATEGORIES,
    NEVER_ALLOWED_CHANNELS,
    category_label,
    channel_label,
)

OVERRIDE_HELP = (
    "An override is recorded as a boundary exception and reviewed by your practice. "
    "Leave it empty to let the policy decide."
)

# What one composes as a message: calls are booked with the call form. `personal` stays
# offered (labelled as never allowed) so that whoever tries it is told plainly why; the
# message goes through the portal, so social media is not offered as its channel.
COMPOSE_CATEGORIES = tuple(c for c in CATEGORIES if c != "scheduled_call")
COMPOSE_CHANNELS = tuple(c for c in CHANNELS if c not in NEVER_ALLOWED_CHANNELS)
LOCAL_INPUT_FORMATS = ("%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S")


def _choices(names, label) -> list[tuple[str, str]]:
    # What can never be allowed says so in its label: choosing it is refused with the reason.
    never = NEVER_ALLOWED_CATEGORIES | NEVER_ALLOWED_CHANNELS
    return [(n, f"{label(n)} (never allowed)" if n in never else label(n)) for n in names]


def _helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False  # the template owns <form>, its action and its button
    helper.disable_csrf = True
    return helper


def wall_to_utc(naive: datetime, tz: tzinfo) -> datetime:
    """A wall-clock time in `tz` as a UTC instant; raises ValidationError inside a gap."""
    local = naive.replace(tzinfo=tz, fold=0)
    instant = local.astimezone(UTC)
    if instant.astimezone(tz).replace(tzinfo=None) != naive.replace(tzinfo=None):
        raise forms.ValidationError(
            "That time does not exist in %(zone)s (the clocks go forward then). Choose another time.",
            code="nonexistent",
            params={"zone": getattr(tz, "key", str(tz))},
        )
    return instant


class LocalDateTimeField(forms.DateTimeField):
    """A datetime-local input read in the policy's zone (set `tz` before validation)."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    def __init__(self, *, tz: tzinfo | None = None, **kwargs):
        kwargs.setdefault("input_formats", LOCAL_INPUT_FORMATS)
        super().__init__(**kwargs)
        self.tz = tz or ZoneInfo("UTC")

    def prepare_value(self, value):
        if isinstance(value, datetime) and value.tzinfo is not None:
            return value.astimezone(self.tz).replace(tzinfo=None)
        return value

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            naive = value.replace(tzinfo=None) if value.tzinfo is None else None
            if naive is None:
                return value
        else:
            naive = None
            text = str(value).strip()
            for fmt in self.input_formats:
                try:
                    naive = datetime.strptime(text, fmt)
                    break
                except ValueError:
                    continue
            if naive is None:
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return wall_to_utc(naive, self.tz)


class SlotField(forms.ChoiceField):
    """One of the offered slots, cleaned into a UTC instant like LocalDateTimeField."""

    widget = forms.RadioSelect

    def __init__(self, *, tz: tzinfo, **kwargs):
        super().__init__(**kwargs)
        self.tz = tz

    def clean(self, value):
        value = super().clean(value)
        return wall_to_utc(datetime.strptime(value, "%Y-%m-%dT%H:%M"), self.tz)


def _override_field() -> forms.CharField:
    return forms.CharField(
        label="Override reason (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=OVERRIDE_HELP,
    )


class _ThreadForm(forms.Form):
    """Base: knows who is writing (a therapist gets the override field) and the viewer's zone."""

    def __init__(self, *args, is_therapist: bool = False, tz: tzinfo | None = None, **kwargs):
        kwargs["prefix"] = kwargs.pop("prefix", None) or self.default_prefix
        super().__init__(*args, **kwargs)
        self.is_therapist = is_therapist
        self.tz = tz or ZoneInfo("UTC")
        for field in self.fields.values():
            if isinstance(field, LocalDateTimeField):
                field.tz = self.tz
                field.help_text = f"In {getattr(self.tz, 'key', self.tz)} time, your time zone."
        if "override_reason" in self.fields and not is_therapist:
            del self.fields["override_reason"]
        limit = settings.PORTAL_MESSAGE_MAX_CHARS  # read per form, not frozen at import
        for name in self.limited_fields:
            field = cast(forms.CharField, self.fields[name])  # limited_fields name CharFields
            field.max_length = limit
            field.validators = [v for v in field.validators if not isinstance(v, MaxLengthValidator)]
            field.validators.append(MaxLengthValidator(limit))
            field.widget.attrs["maxlength"] = str(limit)
        self.helper = _helper()

    default_prefix: str | None = None
    limited_fields: tuple[str, ...] = ()  # text fields of at most PORTAL_MESSAGE_MAX_CHARS

    def cleaned_override_reason(self) -> str | None:
        value = (self.cleaned_data.get("override_reason") or "").strip()
        return value or None


READ_IT = "Let the portal read it"


class ComposeForm(_ThreadForm):
    """One message box: the text, and optionally what it is about. Without a category the
    portal decides under what the text reads as (and asks, with a field error on `category`,
    when it cannot tell). A client's message goes through the portal; other channels belong
    to calls and logged contacts, so only a therapist's form offers a channel."""

    default_prefix = None  # the compose form keeps plain names: category, channel, body

    limited_fields = ("body",)
    body = forms.CharField(
        label="Message", widget=forms.Textarea(attrs={"rows": 4, "aria-describedby": "compose-preview-text"})
    )
    category = forms.ChoiceField(
        label="What is this about?",
        required=False,
        initial="",
        choices=[("", READ_IT), *_choices(COMPOSE_CATEGORIES, category_label)],
        help_text="The portal reads your message and decides by what it says; choose here if it reads it wrongly.",
    )
    channel = forms.ChoiceField(
        label="Channel", choices=_choices(COMPOSE_CHANNELS, channel_label), initial="portal", required=False
    )
    override_reason = _override_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_therapist:
            del self.fields["channel"]

    def clean_category(self) -> str | None:
        return self.cleaned_data.get("category") or None

    def clean_channel(self) -> str:
        return self.cleaned_data.get("channel") or "portal"

    def channel_value(self) -> str:
        return self.cleaned_data.get("channel") or "portal"


class CallBookForm(_ThreadForm):
    default_prefix = "call"

    start = LocalDateTimeField(label="Start")
    minutes = forms.IntegerField(label="Length in minutes", min_value=1, max_value=240, initial=15)
    channel = forms.ChoiceField(
        label="Channel", choices=_choices(CALL_CHANNELS, channel_label), initial="phone"
    )
    override_reason = _override_field()

    def __init__(
        self, *args, max_minutes: int | None = None, channels=None, slots=None, viewer_tz=None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        if slots is not None:
            # The client picks one of the policy's open slots; the value is the viewer's wall
            # clock (as the free field takes it), and so is the label.
            from portal.localtime import local_time

            field = self.fields["start"]
            choices = [
                (
                    s.start.astimezone(self.tz).strftime("%Y-%m-%dT%H:%M"),
                    local_time(s.start, viewer_tz or self.tz, named=False),
                )
                for s in slots
            ]
            self.fields["start"] = SlotField(
                choices=choices,
                label="Choose a time",
                tz=self.tz,
                error_messages={
                    "invalid_choice": "That time is not open any more. Choose one of the times listed."
                },
                help_text="The next open times in your therapist's call hours.",
            )
            del field
        if max_minutes:
            self.fields["minutes"].help_text = f"The policy allows calls of at most {max_minutes} minutes."
            self.fields["minutes"].initial = min(15, max_minutes)
        if channels:
            offered = [c for c in channels if c not in NEVER_ALLOWED_CHANNELS]
            if offered:
                channel = cast(forms.ChoiceField, self.fields["channel"])  # declared a ChoiceField above
                channel.choices = _choices(offered, channel_label)
                channel.initial = offered[0]


class ContactLogForm(_ThreadForm):
    """A contact that happened off the portal, decided as if made at `at`."""

    default_prefix = "log"

    # What happened is recorded as it happened: every category and channel is offered.
    category = forms.ChoiceField(
        label="Category", choices=_choices(CATEGORIES, category_label), initial="emergency"
    )
    channel = forms.ChoiceField(label="Channel", choices=_choices(CHANNELS, channel_label), initial="phone")
    at = LocalDateTimeField(label="When it happened")
    minutes = forms.IntegerField(label="Minutes (for calls)", min_value=1, max_value=600, required=False)
    limited_fields = ("note",)
    note = forms.CharField(label="Note", widget=forms.Textarea(attrs={"rows": 3}))
    override_reason = _override_field()


class CareEndForm(_ThreadForm):
    default_prefix = "care"
    limited_fields = ("note",)

    note = forms.CharField(
        label="Closing note to your client",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Include referrals and the crisis resources: your client sees this note in the thread.",
    )
