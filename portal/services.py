"""Accounts and practices: the verbs that change them."""

from __future__ import annotations

import zoneinfo
from functools import lru_cache

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction

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
        admin_email, admin_password, full_name=admin_name or "Practice admin",
        practice=practice, is_practice_admin=True,
    )
    record(practice_id=practice.pk, action="practice.created", actor=admin, obj=practice)
    record(practice_id=practice.pk, action="account.created", actor=admin, obj=admin, data={"role": "admin"})
    return admin


@transaction.atomic
def therapist_create(*, admin: User, email: str, full_name: str, password: str, timezone: str,
                     also_admin: bool = False) -> User:
    """A practice admin adds a therapist to their own practice."""
    if not full_name.strip():
        raise AccountInvalid("Enter the therapist's full name.", field="full_name")
    check_timezone(timezone)
    check_email_free(email)
    probe = User(email=email, full_name=full_name)
    check_password(password, probe)
    therapist = User.objects.create_user(
        email, password, full_name=full_name.strip(), practice_id=admin.practice_id,
        is_therapist=True, is_practice_admin=also_admin, timezone=timezone,
    )
    record(practice_id=admin.practice_id, action="account.created", actor=admin, obj=therapist,
           therapist_id=therapist.pk, data={"role": "therapist"})
    return therapist
