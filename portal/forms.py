from __future__ import annotations

import zoneinfo

from crispy_forms.helper import FormHelper
from django import forms
from django.contrib.auth.forms import AuthenticationForm

from .services import known_timezones


class LoginForm(AuthenticationForm):
    username = forms.EmailField(label="E-mail", widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}))


class TherapistCreateForm(forms.Form):
    full_name = forms.CharField(max_length=200)
    email = forms.EmailField()
    timezone = forms.ChoiceField(choices=(), initial="America/New_York")
    password = forms.CharField(widget=forms.PasswordInput, help_text="At least 10 characters; not a common password.")
    also_admin = forms.BooleanField(required=False, label="Also a practice admin")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["timezone"].choices = [(z, z) for z in sorted(known_timezones())]
        self.helper = FormHelper()
        self.helper.form_tag = False
