"""The invitation page: the client sets a password, gets their account and thread."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from django import forms
from django.contrib.auth import login
from django.http import HttpResponse
from django.shortcuts import redirect, render

from .errors import DomainError, Gone, NotFound
from .onboarding import check_invitation_usable, invitation_accept, invitation_by_token


class SetPasswordForm(forms.Form):
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 10 characters, not a common password.",
    )
    password2 = forms.CharField(
        label="Repeat the password", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self):
        data = super().clean() or {}
        if data.get("password") and data.get("password") != data.get("password2"):
            self.add_error("password2", "The two passwords differ.")
        return data


def accept(request, token: str) -> HttpResponse:
    try:
        inv = invitation_by_token(token)
        check_invitation_usable(inv)
    except (NotFound, Gone) as exc:
        return render(
            request, "portal/invitation_invalid.html", {"message": exc.message}, status=exc.http_status
        )
    form = SetPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            client, _thread, _key = invitation_accept(token=token, password=form.cleaned_data["password"])
        except DomainError as exc:
            form.add_error("password" if exc.field == "password" else None, exc.message)
        else:
            login(request, client, backend="django.contrib.auth.backends.ModelBackend")
            return redirect("home")
    return render(request, "portal/invitation_accept.html", {"form": form, "invitation": inv})


def accept_therapist(request, token: str) -> HttpResponse:
    """A therapist invited by their practice admin chooses their password; the link works once."""
    from .onboarding import (
        check_therapist_invitation_usable,
        therapist_invitation_accept,
        therapist_invitation_by_token,
    )

    try:
        inv = therapist_invitation_by_token(token)
        check_therapist_invitation_usable(inv)
    except (NotFound, Gone) as exc:
        return render(
            request, "portal/invitation_invalid.html", {"message": exc.message}, status=exc.http_status
        )
    form = SetPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            therapist = therapist_invitation_accept(token=token, password=form.cleaned_data["password"])
        except DomainError as exc:
            form.add_error("password" if exc.field == "password" else None, exc.message)
        else:
            login(request, therapist, backend="django.contrib.auth.backends.ModelBackend")
            return redirect("home")
    return render(
        request,
        "portal/therapist_invitation_accept.html",
        {"form": form, "invitation": inv},
        status=400 if request.method == "POST" else 200,
    )
