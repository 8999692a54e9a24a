from crispy_forms.helper import FormHelper
from django import forms
from django.forms.utils import flatatt
from django.utils.html import escape
from django.utils.safestring import mark_safe

from messaging.wording import AUDIT_ACTION_LABELS, exception_kind_label

from .models import BoundaryException


class PeopleSelect(forms.Select):
    """A select of a practice's people rendered as one string: Django's per-option templates
    took a quarter of a second for 550 people (three such selects on the events page)."""

    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        chosen = set(self.format_value(value))
        options = "".join(
            f'<option value="{escape(v)}"{" selected" if str(v) in chosen else ""}>{escape(label)}</option>'
            for v, label in ((("" if v is None else str(v)), label) for v, label in self.choices))
        return mark_safe(f"<select{flatatt(final)}>{options}</select>")


def _unknown(what: str) -> dict:
    return {"invalid_choice": f"There is no {what} %(value)s here: choose one from the list.",
            "invalid": f"There is no such {what} here: choose one from the list."}


class _RangeFilterForm(forms.Form):
    """Dates are whole days in the admin's zone; an impossible range says why."""

    since = forms.DateField(required=False, label="From", widget=forms.DateInput(attrs={"type": "date"}),
                            error_messages={"invalid": "Enter the start as a date (YYYY-MM-DD)."})
    until = forms.DateField(required=False, label="Until (inclusive)", widget=forms.DateInput(attrs={"type": "date"}),
                            error_messages={"invalid": "Enter the end as a date (YYYY-MM-DD)."})
    before = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", f"The end ({until:%d %b %Y}) is before the start ({since:%d %b %Y}): "
                                    "nothing can match. Swap them or pick a later end.")
        return data

    def _setup(self, therapists, clients):
        for name in ("actor", "therapist", "client"):
            if name in self.fields:
                self.fields[name].widget = PeopleSelect()
        self.fields["therapist"].choices = [("", "Any therapist")] + [(t.pk, t.full_name) for t in therapists]
        self.fields["client"].choices = [("", "Any client")] + [(c.pk, c.full_name) for c in clients]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class ExceptionFilterForm(_RangeFilterForm):
    kind = forms.ChoiceField(required=False, error_messages=_unknown("kind of exception"),
                             choices=[("", "Any kind")] + [(k, exception_kind_label(k))
                                                           for k in BoundaryException.Kind.values])
    therapist = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, error_messages=_unknown("therapist"))
    client = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, error_messages=_unknown("client"))
    reviewed = forms.ChoiceField(required=False, label="Review state", error_messages=_unknown("review state"),
                                 choices=[("", "Any"), ("no", "Not reviewed"), ("yes", "Reviewed")])
    field_order = ["kind", "therapist", "client", "since", "until", "reviewed", "before"]

    def __init__(self, *args, therapists=(), clients=(), **kwargs):
        super().__init__(*args, **kwargs)
        self._setup(therapists, clients)


class EventFilterForm(_RangeFilterForm):
    actor = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, label="Done by",
                                   error_messages=_unknown("person"))
    therapist = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, error_messages=_unknown("therapist"))
    client = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, error_messages=_unknown("client"))
    action = forms.ChoiceField(required=False, label="What happened", error_messages=_unknown("action"),
                               choices=[("", "Anything")] + sorted(AUDIT_ACTION_LABELS.items(), key=lambda kv: kv[1]))
    field_order = ["actor", "therapist", "client", "action", "since", "until", "before"]

    def __init__(self, *args, people=(), therapists=(), clients=(), **kwargs):
        super().__init__(*args, **kwargs)
        self._setup(therapists, clients)
        self.fields["actor"].choices = [("", "Anyone")] + [(p.pk, p.full_name) for p in people]


class ChartPeriodForm(forms.Form):
    WEEKS = (4, 12, 26, 52)
    weeks = forms.TypedChoiceField(coerce=int, required=False, empty_value=12, label="Period",
                                   choices=[(w, f"Last {w} weeks") for w in WEEKS],
                                   error_messages={"invalid_choice": "Choose a period of 4, 12, 26 or 52 weeks."})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class ReviewForm(forms.Form):
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Review note")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class BreakGlassForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}),
                             label="Why do you need to read this message? (recorded, and the therapist is told)")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class CheckpointUploadForm(forms.Form):
    """A checkpoint file to verify the chain against: as downloaded (one JSON object), or the
    sealer's JSON-lines file (its last line for this practice counts)."""

    # The sealer's file grows by a line (~250 bytes) per practice per signing: months of it.
    MAX_BYTES = 20 * 1024 * 1024

    checkpoint = forms.FileField(label="Checkpoint file (.json as downloaded, or the .jsonl file)",
                                 widget=forms.ClearableFileInput(attrs={"accept": ".json,.jsonl,application/json"}))

    def __init__(self, *args, practice_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.practice_id = practice_id
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_checkpoint(self):
        from .checkpoints import CheckpointMalformed, claims_from_text

        upload = self.cleaned_data["checkpoint"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError("The file is larger than 20 MB: upload a downloaded checkpoint, or the "
                                        "last lines of the checkpoints file.")
        try:
            text = upload.read().decode("utf-8")
        except UnicodeDecodeError:
            raise forms.ValidationError("The file is not text: upload the .json file you downloaded.") from None
        try:
            claims = claims_from_text(text)
        except CheckpointMalformed as exc:
            raise forms.ValidationError(f"The file is not a checkpoint: {exc}.") from None
        mine = [c for c in claims if c.practice_id == self.practice_id]
        if not mine:
            raise forms.ValidationError("The file holds no checkpoint of this practice.")
        return mine[0]
