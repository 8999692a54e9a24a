from __future__ import annotations

from typing import Any, cast

from crispy_forms.helper import FormHelper
from django import forms

from policies.text import CHANNEL_RISKS, channel_risk
from policies.vocabulary import CHANNEL_LABELS


class ConsentForm(forms.Form):
    """Every section acknowledged, channels chosen, full name typed, the whole acknowledged.
    The section boxes are checked here, on the server: JavaScript is not trusted with it."""

    policy_version_id = forms.IntegerField(widget=forms.HiddenInput)
    content_sha256 = forms.CharField(widget=forms.HiddenInput)
    channels = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple, label="I agree to be contacted on these channels"
    )
    signature = forms.CharField(label="Type your full name to sign", max_length=200)
    acknowledged = forms.BooleanField(
        label="I have read and understood this contact policy, and I agree to it."
    )

    def __init__(self, *args, sections: list[tuple[str, str]], channels: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.sections = sections
        for i, (title, _body) in enumerate(sections):
            self.fields[f"section_{i}"] = forms.BooleanField(label=f"I have read \u201c{title}\u201d")
        cast(forms.MultipleChoiceField, self.fields["channels"]).choices = [
            (c, CHANNEL_LABELS[c]) for c in channels
        ]
        # Informed consent to each channel: a box per channel, required for each one chosen
        # (checked in clean(), on the server).
        self.channel_codes = [c for c in channels if c in CHANNEL_RISKS]
        for c in self.channel_codes:
            self.fields[f"understood_{c}"] = forms.BooleanField(
                required=False,
                label=f"I understand what {CHANNEL_LABELS[c].lower()} is for and what it risks",
            )
        self.helper = FormHelper()
        self.helper.form_tag = False

    def section_fields(self):
        return [(title, body, self[f"section_{i}"]) for i, (title, body) in enumerate(self.sections)]

    def channel_fields(self):
        return [(c, CHANNEL_LABELS[c], channel_risk(c), self[f"understood_{c}"]) for c in self.channel_codes]

    def clean(self):
        data = cast(dict[str, Any], super().clean())  # Form.clean() returns cleaned_data
        for c in data.get("channels") or ():
            if c in self.channel_codes and not data.get(f"understood_{c}"):
                self.add_error(
                    f"understood_{c}",
                    f"Confirm that you understand what {CHANNEL_LABELS[c].lower()} "
                    "risks, or leave it unticked above.",
                )
        return data


class RevokeForm(forms.Form):
    """The confirm step's one field. The reason is optional for the person (the confirm step
    is what matters to them); the service still records one, so a blank is recorded as such."""

    NO_REASON = "No reason given."

    reason = forms.CharField(
        label="Why are you withdrawing consent? (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_reason(self) -> str:
        return (self.cleaned_data.get("reason") or "").strip() or self.NO_REASON

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class InviteForm(forms.Form):
    full_name = forms.CharField(max_length=200, label="Client's full name")
    email = forms.EmailField(label="Client's e-mail")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
