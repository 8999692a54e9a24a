from crispy_forms.helper import FormHelper
from django import forms

from .models import BoundaryException


class ExceptionFilterForm(forms.Form):
    kind = forms.ChoiceField(required=False, choices=[("", "Any kind")] + list(BoundaryException.Kind.choices))
    therapist = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)
    client = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)
    since = forms.DateField(required=False, label="From", widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(required=False, label="Until (inclusive)", widget=forms.DateInput(attrs={"type": "date"}))
    reviewed = forms.ChoiceField(required=False, label="Review state",
                                 choices=[("", "Any"), ("no", "Not reviewed"), ("yes", "Reviewed")])
    before = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, therapists=(), clients=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["therapist"].choices = [("", "Any therapist")] + [(t.pk, t.full_name) for t in therapists]
        self.fields["client"].choices = [("", "Any client")] + [(c.pk, c.full_name) for c in clients]
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

    MAX_BYTES = 5 * 1024 * 1024

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
            raise forms.ValidationError("The file is too large for a checkpoint file (at most 5 MB).")
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
