from __future__ import annotations

import logging
from typing import Any, cast

from crispy_forms.helper import FormHelper
from django import forms
from django.conf import settings
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)
from django.urls import reverse

from .notify import send_email
from .services import known_timezones

log = logging.getLogger(__name__)


def _no_form_tag(form: Any) -> None:
    """crispy reads the FormHelper a form carries (an attribute Django's forms do not declare)."""
    form.helper = FormHelper()
    form.helper.form_tag = False


class LoginForm(AuthenticationForm):
    username = forms.EmailField(
        label="E-mail", widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )


class ResetRequestForm(PasswordResetForm):
    """Django's reset request; the e-mail is the portal's own: a link on PORTAL_BASE_URL (never
    the request's Host header), a neutral subject, nothing about therapy."""

    email = forms.EmailField(
        label="E-mail",
        max_length=254,
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _no_form_tag(self)

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        link = settings.PORTAL_BASE_URL.rstrip("/") + reverse(
            "password_reset_confirm", kwargs={"uidb64": context["uid"], "token": context["token"]}
        )
        try:
            send_email(
                to=to_email,
                template="password_reset",
                context={"link": link, "minutes": settings.PASSWORD_RESET_TIMEOUT // 60},
            )
        except Exception as exc:  # noqa: BLE001 - the answer is the same; the user can ask again
            log.error("password reset e-mail not sent: %s", exc.__class__.__name__)


class NewPasswordForm(SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _no_form_tag(self)


class ChangePasswordForm(PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _no_form_tag(self)


class TherapistInviteForm(forms.Form):
    """The admin invites a therapist by e-mail; the therapist chooses their own password."""

    full_name = forms.CharField(max_length=200)
    email = forms.EmailField(label="E-mail")
    timezone = forms.ChoiceField(choices=(), initial="America/New_York", label="Time zone")
    also_admin = forms.BooleanField(required=False, label="Also a practice admin")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        zone = cast(forms.ChoiceField, self.fields["timezone"])  # declared above
        zone.choices = [(z, z) for z in sorted(known_timezones())]
        self.helper = FormHelper()
        self.helper.form_tag = False
