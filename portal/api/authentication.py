"""API authentication: knox tokens (stored hashed, expiring) and browser sessions that have
passed their second factor.

TokenAuthentication is knox's. Two changes, both to what a request costs or how a bad header
answers, not to what a token is:
- knox deletes the user's other expired tokens on every request (a query for all of them,
  and deletes, on the hot path). Expired tokens are refused here all the same; the sweep of
  a user's other expired tokens happens when they log in again (portal.security.issue_api_token).
- a token that is not UTF-8 answers 401 "Invalid token." instead of a 500.
Its answers stay DRF's: 401 with `WWW-Authenticate: Token` (the header prefix), "Invalid
token." or "User inactive or deleted.".

SessionAuthentication is DRF's, except that a session which has not passed its second factor
(an account enrolled in two-factor login, or a therapist or admin whose practice requires it
and who has not enrolled) is no credential at all: the API answers it 401, exactly as a
request without credentials, before CSRF is looked at.
"""

from __future__ import annotations

import binascii
from hmac import compare_digest

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.authentication import SessionScheme
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from knox import auth as knox_auth
from knox.crypto import hash_token
from knox.models import get_token_model
from knox.settings import CONSTANTS
from knox.signals import token_expired
from rest_framework import authentication, exceptions

from portal import two_factor


class TokenAuthentication(knox_auth.TokenAuthentication):
    def authenticate_credentials(self, token: bytes):
        msg = _("Invalid token.")
        try:
            key = token.decode("utf-8")
            digest = hash_token(key)
        except (UnicodeDecodeError, TypeError, binascii.Error):
            raise exceptions.AuthenticationFailed(msg) from None
        now = timezone.now()
        for auth_token in (
            get_token_model()
            .objects.filter(token_key=key[: CONSTANTS.TOKEN_KEY_LENGTH])
            .select_related("user")
        ):
            if not compare_digest(digest, auth_token.digest):
                continue
            if auth_token.expiry is not None and auth_token.expiry < now:
                username = auth_token.user.get_username()
                auth_token.delete()
                token_expired.send(sender=self.__class__, username=username, source="auth_token")
                break
            return self.validate_user(auth_token)
        raise exceptions.AuthenticationFailed(msg)


class SessionAuthentication(authentication.SessionAuthentication):
    def authenticate(self, request):
        user = getattr(request._request, "user", None)
        if not user or not user.is_active:
            return None
        if not two_factor.session_passes(user):
            return None  # second factor pending: no credentials, 401
        self.enforce_csrf(request)
        return (user, None)


# The schema names both, as it named DRF's classes before (so /api/v1/schema stays complete).
class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "portal.api.authentication.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(header_name="Authorization", token_prefix="Token")  # noqa: S106 - a scheme name


class SessionCookieScheme(SessionScheme):
    target_class = "portal.api.authentication.SessionAuthentication"
