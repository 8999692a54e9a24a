"""Accounts and practices: the verbs that change them."""

from __future__ import annotations

import zoneinfo
from datetime import datetime
from functools import lru_cache
from typing import cast

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from knox.models import AuthToken

from audit.chain import record

from .errors import DomainError
from .models import Practice, User


class AccountInvalid(DomainError):
    """The account details are not valid."""


@lru_cache(maxsize=1)
def known_timezones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def check_timezone(name: str, *, field: str = "timezone") -> None:
    if name not in known_timezones():
        raise AccountInvalid(f"'{name}' is not a known IANA time zone (e.g. America/New_York).", field=field)


def check_email_free(email: str, *, field: str = "email") -> None:
    if User.objects.filter(email__iexact=email.strip()).exists():
        raise AccountInvalid("An account with this e-mail already exists.", field=field)


def check_password(password: str, user: User | None = None, *, field: str = "password") -> None:
    try:
        validate_password(password, user)
    except DjangoValidationError as exc:
        raise AccountInvalid(" ".join(exc.messages), field=field) from exc


@transaction.atomic
def practice_create(*, name: str, admin_email: str, admin_password: str, admin_name: str = "") -> User:
    if not name.strip():
        raise AccountInvalid("The practice needs a name.", field="name")
    check_email_free(admin_email)
    practice = Practice.objects.create(name=name.strip())
    admin = User.objects.create_user(
        admin_email,
        admin_password,
        full_name=admin_name or "Practice admin",
        practice=practice,
        is_practice_admin=True,
    )
    record(practice_id=practice.pk, action="practice.created", actor=admin, obj=practice)
    record(practice_id=practice.pk, action="account.created", actor=admin, obj=admin, data={"role": "admin"})
    return admin


@transaction.atomic
def therapist_create(
    *, admin: User, email: str, full_name: str, password: str, timezone: str, also_admin: bool = False
) -> User:
    """A practice admin adds a therapist to their own practice."""
    if not full_name.strip():
        raise AccountInvalid("Enter the therapist's full name.", field="full_name")
    check_timezone(timezone)
    check_email_free(email)
    probe = User(email=email, full_name=full_name)
    check_password(password, probe)
    practice_id = cast(int, admin.practice_id)  # a practice admin belongs to the practice
    therapist = User.objects.create_user(
        email,
        password,
        full_name=full_name.strip(),
        practice_id=practice_id,
        is_therapist=True,
        is_practice_admin=also_admin,
        timezone=timezone,
    )
    record(
        practice_id=practice_id,
        action="account.created",
        actor=admin,
        obj=therapist,
        therapist_id=therapist.pk,
        data={"role": "therapist"},
    )
    return therapist


class TwoFactorChangeRefused(DomainError):
    """An admin who has not enrolled cannot lift the practice's two-factor requirement."""


@transaction.atomic
def practice_two_factor_set(*, practice: Practice, admin: User, required: bool, admin_enrolled: bool) -> bool:
    """Require (or stop requiring) two-factor login for the practice's therapists and admins.
    Returns whether anything changed. Lifting the requirement takes an admin who is enrolled
    themselves: otherwise a stolen password could switch the protection off for everyone."""
    if practice.require_two_factor and not required and not admin_enrolled:
        raise TwoFactorChangeRefused(
            "Set up two-factor login for your own account before you make it optional for the practice.",
            field="require_two_factor",
        )
    if practice.require_two_factor == required:
        return False
    practice.require_two_factor = required
    practice.save(update_fields=["require_two_factor"])
    if required:
        _revoke_tokens_of_unenrolled_staff(practice)
    record(
        practice_id=practice.pk,
        action="practice.two_factor_required" if required else "practice.two_factor_optional",
        actor=admin,
        obj=practice,
    )
    return True


def _revoke_tokens_of_unenrolled_staff(practice: Practice) -> None:
    """Tokens issued on a password alone before the requirement stop working with it: staff
    log in again once they have enrolled (and then give their code)."""
    from django.db.models import Q

    from .security import revoke_api_tokens
    from .two_factor import is_enrolled

    staff = User.objects.filter(
        Q(is_therapist=True) | Q(is_practice_admin=True), practice=practice, therapist__isnull=True
    )
    for user in staff:
        if not is_enrolled(user):
            revoke_api_tokens(user)


def _end_every_login(user: User) -> None:
    from .security import revoke_api_tokens

    revoke_api_tokens(user)
    user.session_generation += 1
    user.save(update_fields=["session_generation"])


@transaction.atomic
def password_reset_requested(*, user: User) -> None:
    """Recorded for an account that exists; an unknown address has no chain (and no answer of its own)."""
    if user.practice_id:
        record(practice_id=user.practice_id, action="auth.password_reset_requested", obj=user)


@transaction.atomic
def password_reset_completed(*, user: User) -> None:
    """The new password is set (by Django's view): every session and API token of the account ends."""
    _end_every_login(user)
    if user.practice_id:
        record(practice_id=user.practice_id, action="auth.password_reset_completed", actor=user, obj=user)


@transaction.atomic
def password_changed(*, user: User) -> None:
    """Changed while logged in: every API token ends; other browser sessions end with the old
    password's session hash, and this one carries on (Django's update_session_auth_hash)."""
    from .security import revoke_api_tokens

    revoke_api_tokens(user)
    if user.practice_id:
        record(practice_id=user.practice_id, action="auth.password_changed", actor=user, obj=user)


@transaction.atomic
def api_token_issue(*, user: User) -> tuple[str, datetime]:
    """A login through the API (POST /api/v1/auth/token, the credentials already checked): a
    new token and its expiry, audited for an account of a practice."""
    from .security import issue_api_token

    key, expiry = issue_api_token(user)
    if user.practice_id:
        record(practice_id=user.practice_id, action="auth.token_issued", actor=user, obj=user)
    return key, expiry


@transaction.atomic
def api_token_revoke(*, token: AuthToken, user: User) -> None:
    """A logout through the API: the token that made the request stops working (the user's
    other tokens and sessions carry on), audited for an account of a practice."""
    token.delete()
    if user.practice_id:
        record(practice_id=user.practice_id, action="auth.token_revoked", actor=user, obj=user)
