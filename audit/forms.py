from typing import cast

from crispy_forms.helper import FormHelper
from django import forms

from policies.vocabulary import exception_kind_label

from .models import BoundaryException
from .wording import AUDIT_ACTION_LABELS


class PersonField(forms.CharField):
    """One of the practice's people, chosen by typing: a name (or part of it), an e-mail, or the
    id a link carries. Resolved server-side by the form, within the admin's practice and the
    field's role, to an id; none or several matches is a field error that says which. (A select
    of everyone was 100 KB of options for a practice of 2,000 clients.)"""

    def __init__(self, *, role: str, what: str, **kwargs):
        self.role, self.what = role, what
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 200)
        kwargs.setdefault("help_text", "Name or e-mail; leave empty for anyone.")
        super().__init__(**kwargs)
        self.widget.attrs.update({"placeholder": f"Any {what}", "autocomplete": "off", "spellcheck": "false"})


# Shown when a search matches several people: enough to tell them apart, few enough to read.
SHOW_MATCHES = 5


def resolve_person(practice_id: int, role: str, what: str, text: str) -> int:
    """The one person of `role` in the practice that `text` names (an id, an e-mail, an exact
    name, or a unique part of a name or e-mail); raises ValidationError naming the problem.
    One query, at most SHOW_MATCHES + 1 rows, whatever the practice's size."""
    from django.db.models import Case, IntegerField, Q, Value, When

    from portal.models import User

    qs = User.objects.filter(practice_id=practice_id)
    if role == "therapist":
        qs = qs.filter(is_therapist=True)
    elif role == "client":
        qs = qs.filter(therapist__isnull=False)
    if text.isdigit():
        if not qs.filter(pk=int(text)).exists():
            raise forms.ValidationError(f"There is no {what} {text} here: type a name or an e-mail.")
        return int(text)
    rows = list(
        qs.filter(Q(full_name__icontains=text) | Q(email__icontains=text))
        .annotate(
            exact=Case(
                When(Q(email__iexact=text) | Q(full_name__iexact=text), then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("exact", "full_name", "pk")
        .values_list("pk", "full_name", "email", "exact")[: SHOW_MATCHES + 1]
    )
    exact = [r for r in rows if r[3] == 0]
    if len(exact) == 1:
        return exact[0][0]
    if len(rows) == 1:
        return rows[0][0]
    if not rows:
        raise forms.ValidationError(
            f"No {what} here matches \u201c{text}\u201d: check the spelling, or type "
            "part of their name or e-mail."
        )
    several = exact or rows
    shown = ", ".join(f"{name} ({email})" for _pk, name, email, _x in several[:SHOW_MATCHES])
    more = " and more" if len(several) > SHOW_MATCHES else ""
    raise forms.ValidationError(
        f"Several {what}s match \u201c{text}\u201d: {shown}{more}. Type more of the name, or their e-mail."
    )


def _unknown(what: str) -> dict:
    return {
        "invalid_choice": f"There is no {what} %(value)s here: choose one from the list.",
        "invalid": f"There is no such {what} here: choose one from the list.",
    }


class _RangeFilterForm(forms.Form):
    """Dates are whole days in the admin's zone; an impossible range says why."""

    since = forms.DateField(
        required=False,
        label="From",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter the start as a date (YYYY-MM-DD)."},
    )
    until = forms.DateField(
        required=False,
        label="Until (inclusive)",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter the end as a date (YYYY-MM-DD)."},
    )
    before = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def clean(self):
        super().clean()
        data = self.cleaned_data  # what Form.clean returns
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error(
                "until",
                f"The end ({until:%d %b %Y}) is before the start ({since:%d %b %Y}): "
                "nothing can match. Swap them or pick a later end.",
            )
        return data

    def _setup(self, practice_id: int | None):
        self.practice_id = practice_id
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def _clean_person(self, name: str):
        field = cast(PersonField, self.fields[name])  # called for the form's PersonFields only
        text = (self.cleaned_data.get(name) or "").strip()
        if not text:
            return None
        if self.practice_id is None:
            raise forms.ValidationError(f"There is no such {field.what} here.")
        return resolve_person(self.practice_id, field.role, field.what, text)

    def clean_therapist(self):
        return self._clean_person("therapist")

    def clean_client(self):
        return self._clean_person("client")


class ExceptionFilterForm(_RangeFilterForm):
    kind = forms.ChoiceField(
        required=False,
        error_messages=_unknown("kind of exception"),
        choices=[("", "Any kind")] + [(k, exception_kind_label(k)) for k in BoundaryException.Kind.values],
    )
    therapist = PersonField(role="therapist", what="therapist")
    client = PersonField(role="client", what="client")
    reviewed = forms.ChoiceField(
        required=False,
        label="Review state",
        error_messages=_unknown("review state"),
        choices=[("", "Any"), ("no", "Not reviewed"), ("yes", "Reviewed")],
    )
    field_order = ["kind", "therapist", "client", "since", "until", "reviewed", "before"]

    def __init__(self, *args, practice_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup(practice_id)


class EventFilterForm(_RangeFilterForm):
    actor = PersonField(role="person", what="person", label="Done by")
    therapist = PersonField(role="therapist", what="therapist")
    client = PersonField(role="client", what="client")
    action = forms.ChoiceField(
        required=False,
        label="What happened",
        error_messages=_unknown("action"),
        choices=[("", "Anything")] + sorted(AUDIT_ACTION_LABELS.items(), key=lambda kv: kv[1]),
    )
    field_order = ["actor", "therapist", "client", "action", "since", "until", "before"]

    def __init__(self, *args, practice_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup(practice_id)

    def clean_actor(self):
        return self._clean_person("actor")


class ChartPeriodForm(forms.Form):
    WEEKS = (4, 12, 26, 52)
    weeks = forms.TypedChoiceField(
        coerce=int,
        required=False,
        empty_value=12,  # type: ignore[arg-type]  # django-stubs: any value is allowed (Django uses it as is)
        label="Period",
        choices=[(w, f"Last {w} weeks") for w in WEEKS],
        error_messages={"invalid_choice": "Choose a period of 4, 12, 26 or 52 weeks."},
    )

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
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Why do you need to read this message? (recorded, and the therapist is told)",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class CheckpointUploadForm(forms.Form):
    """A checkpoint file to verify the chain against: as downloaded (one JSON object), or the
    sealer's JSON-lines file (its last line for this practice counts)."""

    # The sealer's file grows by a line (~250 bytes) per practice per signing: months of it.
    MAX_BYTES = 20 * 1024 * 1024

    checkpoint = forms.FileField(
        label="Checkpoint file (.json as downloaded, or the .jsonl file)",
        widget=forms.ClearableFileInput(attrs={"accept": ".json,.jsonl,application/json"}),
    )

    def __init__(self, *args, practice_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.practice_id = practice_id
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_checkpoint(self):
        from .checkpoints import CheckpointMalformed, claims_from_text

        upload = self.cleaned_data["checkpoint"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(
                "The file is larger than 20 MB: upload a downloaded checkpoint, or the "
                "last lines of the checkpoints file."
            )
        try:
            text = upload.read().decode("utf-8")
        except UnicodeDecodeError:
            raise forms.ValidationError(
                "The file is not text: upload the .json file you downloaded."
            ) from None
        try:
            claims = claims_from_text(text)
        except CheckpointMalformed as exc:
            raise forms.ValidationError(f"The file is not a checkpoint: {exc}.") from None
        mine = [c for c in claims if c.practice_id == self.practice_id]
        if not mine:
            raise forms.ValidationError("The file holds no checkpoint of this practice.")
        return mine[0]
