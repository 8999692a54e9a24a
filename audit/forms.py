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
