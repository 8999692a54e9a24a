"""Logins, failed logins, logouts and lockouts are audit events. No password is ever recorded."""

from __future__ import annotations

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from audit.chain import record

from .models import User


def _practice_of(user) -> int | None:
    return getattr(user, "practice_id", None)


@receiver(user_logged_in)
def logged_in(sender, request, user, **kwargs) -> None:
    if _practice_of(user):
        record(practice_id=user.practice_id, action="auth.login", actor=user, obj=user)


@receiver(user_logged_out)
def logged_out(sender, request, user, **kwargs) -> None:
    if user is not None and _practice_of(user):
        record(practice_id=user.practice_id, action="auth.logout", actor=user, obj=user)


def _user_for(credentials: dict) -> User | None:
    email = credentials.get("username") or credentials.get("email") or ""
    return User.objects.filter(email__iexact=str(email)).first() if email else None


@receiver(user_login_failed)
def login_failed(sender, credentials, request=None, **kwargs) -> None:
    # An unknown e-mail belongs to no practice, so it has no chain to go in; axes still counts it.
    user = _user_for(credentials)
    if user is not None and user.practice_id:
        record(practice_id=user.practice_id, action="auth.login_failed", obj=user)


@receiver(user_locked_out)
def locked_out(sender, request, username=None, **kwargs) -> None:
    user = _user_for({"username": username})
    if user is not None and user.practice_id:
        record(practice_id=user.practice_id, action="auth.locked_out", obj=user)
