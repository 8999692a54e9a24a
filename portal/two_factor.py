"""Two-factor login (django-otp): TOTP devices and one-time recovery codes."""

from __future__ import annotations

import secrets

from django.db import transaction
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.chain import record
from portal.security import revoke_api_tokens

RECOVERY_CODES = 10


def is_enrolled(user) -> bool:
    return any(True for _ in devices_for_user(user, confirmed=True))


def session_passes(user) -> bool:
    """Whether a signed-in browser session may be used: it has passed its second factor, or the
    account needs none (not enrolled, and no practice requirement it has yet to meet). Read from
    the database, not from the session: the API door has no code page to send anyone to."""
    is_verified = getattr(user, "is_verified", None)
    if is_verified is not None and is_verified():
        return True
    return not (user.needs_two_factor or is_enrolled(user))


def verify(user, token: str):
    """The device that accepted the token (TOTP or a recovery code, used once), or None."""
    token = (token or "").strip().replace(" ", "")
    for device in devices_for_user(user, confirmed=True):
        if device.verify_token(token):
            if isinstance(device, StaticDevice) and user.practice_id:
                record(practice_id=user.practice_id, action="auth.recovery_code_used", actor=user, obj=user)
            return device
    return None


def pending_totp(user) -> TOTPDevice:
    """The unconfirmed authenticator being enrolled (made on first call)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


def qr_svg(device: TOTPDevice) -> str:
    import qrcode
    import qrcode.image.svg

    img = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return img.to_string(encoding="unicode")


@transaction.atomic
def confirm(user, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the authenticator with a code from it; returns the new recovery codes."""
    if not device.verify_token((token or "").strip().replace(" ", "")):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = regenerate_recovery_codes(user)
    # Tokens issued on the password alone must not outlive the enrolment.
    revoke_api_tokens(user)
    if user.practice_id:
        record(practice_id=user.practice_id, action="auth.two_factor_enrolled", actor=user, obj=user)
    return codes


@transaction.atomic
def regenerate_recovery_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    codes = [secrets.token_hex(5) for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


@transaction.atomic
def disable(user) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    if user.practice_id:
        record(practice_id=user.practice_id, action="auth.two_factor_disabled", actor=user, obj=user)
