"""Passwords people forget, and passwords people change: Django's own views, with the portal's
templates and forms, a throttle on requests, audit events, and every login ended afterwards."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy

from . import services
from .forms import ChangePasswordForm, NewPasswordForm, ResetRequestForm
from .security import client_ip, within_limit

HOUR = 3600


class PasswordResetView(auth_views.PasswordResetView):
    """The same answer whether or not the address has an account. Requests are limited per
    address and per client IP (whether or not the address exists, so the limit tells nothing)."""

    form_class = ResetRequestForm
    template_name = "registration/password_reset_form.html"
    success_url = reverse_lazy("password_reset_done")

    def form_valid(self, form):
        email = form.cleaned_data["email"].strip().lower()
        ip = client_ip(self.request) or "unknown"
        if not within_limit("reset-ip", ip, limit=settings.PORTAL_PASSWORD_RESET_PER_IP, seconds=HOUR):
            form.add_error(None, "Too many password reset requests from your address. Try again in an hour.")
            return self.render_to_response(self.get_context_data(form=form), status=429)
        if not within_limit(
            "reset-address", email, limit=settings.PORTAL_PASSWORD_RESET_PER_ADDRESS, seconds=HOUR
        ):
            form.add_error(
                "email", "Too many password reset requests for this address. Try again in an hour."
            )
            return self.render_to_response(self.get_context_data(form=form), status=429)
        for user in form.get_users(email):
            services.password_reset_requested(user=user)
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """The link works once (Django's token is made from the password hash, which the reset
    changes) and for PASSWORD_RESET_TIMEOUT seconds (an hour)."""

    form_class = NewPasswordForm
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")
    post_reset_login = False

    def form_valid(self, form):
        response = super().form_valid(form)
        services.password_reset_completed(user=form.user)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = ChangePasswordForm
    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("password_change_done")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.password_changed(user=form.user)
        return response


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "registration/password_change_done.html"
