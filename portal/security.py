"""Browser sessions: an idle timeout that background polling does not reset, and "log out
everywhere" (a generation number on the user that every session must match); API tokens
(knox: stored hashed, expiring, revoked together); the client's address behind the load
balancer; the answer to a locked-out login."""

from __future__ import annotations

import hashlib
import ipaddress
import time
from datetime import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from knox.models import AuthToken

from audit.chain import record

POLL_HEADER = "HTTP_X_PORTAL_POLL"
LAST_SEEN = "portal_last_activity"
GENERATION = "portal_session_generation"
ACTIVITY_STEP = 60  # seconds: how stale the activity stamp may get before a request rewrites it


def client_ip(request) -> str | None:
    """The client's address. Behind `PORTAL_TRUSTED_PROXIES` proxies (the load balancer the
    README prescribes appends the address it saw to X-Forwarded-For), it is the entry that
    many places from the right; the entries to its left are whatever the client sent and are
    never read. With no proxy configured the header is ignored: anyone can set it."""
    remote = request.META.get("REMOTE_ADDR") or None
    count = settings.PORTAL_TRUSTED_PROXIES
    if count <= 0:
        return remote
    forwarded = [
        part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
    ]
    if len(forwarded) < count:
        return remote  # it did not come through every proxy: only the connection is known
    candidate = forwarded[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def lockout_response(request, original_response=None, credentials=None) -> HttpResponse:
    """django-axes' answer while an address is locked out of an account: 429, JSON for the API."""
    minutes = int(settings.AXES_COOLOFF_TIME * 60)
    detail = f"Too many failed logins from your address. Try again in {minutes} minutes."
    resp: HttpResponse
    if request.path.startswith("/api/"):
        resp = JsonResponse({"detail": detail}, status=429)
    else:
        resp = render(request, "registration/locked_out.html", {"minutes": minutes}, status=429)
    resp["Retry-After"] = str(minutes * 60)
    return resp


def issue_api_token(user) -> tuple[str, datetime]:
    """A new API token (knox stores only its hash) and its expiry. The user's expired tokens
    are swept here, at login, rather than on every request."""
    AuthToken.objects.filter(user=user, expiry__lt=timezone.now()).delete()
    instance, key = AuthToken.objects.create(user=user)
    return key, instance.expiry


def revoke_api_tokens(user) -> int:
    """Every API token of the account stops working at once."""
    deleted, _ = AuthToken.objects.filter(user=user).delete()
    return deleted


def within_limit(name: str, key: str, *, limit: int, seconds: int) -> bool:
    """Counts one more attempt for `key` in a fixed window of `seconds` (in the shared cache:
    Redis in production, so every app server counts together); False once over `limit`.
    Keys are hashed: an address never sits in the cache in clear."""
    from django.core.cache import cache

    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()
    cache_key = f"portal:limit:{name}:{digest}"
    cache.add(cache_key, 0, timeout=seconds)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=seconds)
        count = 1
    return count <= limit


@receiver(user_logged_in)
def _stamp_session(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[GENERATION] = user.session_generation
        request.session[LAST_SEEN] = int(time.time())


class SessionGuardMiddleware:
    """Ends a browser session that has been idle too long or that "log out everywhere" ended.
    Requests marked `X-Portal-Poll: 1` are not activity: they never extend the session."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        if user is not None and user.is_authenticated and session is not None and session.session_key:
            now = int(time.time())
            idle = settings.SESSION_COOKIE_AGE
            stale = session.get(GENERATION, user.session_generation) != user.session_generation
            expired = now - session.get(LAST_SEEN, now) > idle
            if stale or expired:
                logout(request)
                if request.path.startswith("/api/") or request.META.get(POLL_HEADER) == "1":
                    return JsonResponse(
                        {"detail": "Your session has ended. Please log in again."}, status=401
                    )
                messages.info(
                    request,
                    "You were logged out after a period of inactivity."
                    if expired
                    else "You were logged out on every device.",
                )
                return redirect(f"{reverse('login')}?next={request.path}")
            if request.META.get(POLL_HEADER) != "1" and now - session.get(LAST_SEEN, 0) >= ACTIVITY_STEP:
                # Activity: the session (and its row's expiry) is extended. Written at most once
                # a step, not on every page (a save is three statements): the idle time is
                # counted from the last write, so it ends at most ACTIVITY_STEP seconds early.
                session[LAST_SEEN] = now
        return self.get_response(request)


@login_required
@require_POST
def logout_everywhere(request):
    user = request.user
    user.session_generation += 1
    user.save(update_fields=["session_generation"])
    revoke_api_tokens(user)
    if user.practice_id:
        record(practice_id=user.practice_id, action="auth.logout_everywhere", actor=user, obj=user)
    logout(request)
    messages.success(request, "You are logged out on every device, and your API tokens are revoked.")
    return redirect("login")
