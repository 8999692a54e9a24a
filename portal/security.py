"""Browser sessions: an idle timeout that background polling does not reset, and "log out
everywhere" (a generation number on the user that every session must match)."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST
from rest_framework.authtoken.models import Token

from audit.chain import record

POLL_HEADER = "HTTP_X_PORTAL_POLL"
LAST_SEEN = "portal_last_activity"
GENERATION = "portal_session_generation"


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
                    return JsonResponse({"detail": "Your session has ended. Please log in again."}, status=401)
                messages.info(request, "You were logged out after a period of inactivity." if expired
                              else "You were logged out on every device.")
                return redirect(f"{reverse('login')}?next={request.path}")
            if request.META.get(POLL_HEADER) != "1":
                session[LAST_SEEN] = now  # activity: the session (and its cookie) is extended
        return self.get_response(request)


@login_required
@require_POST
def logout_everywhere(request):
    user = request.user
    user.session_generation += 1
    user.save(update_fields=["session_generation"])
    Token.objects.filter(user=user).delete()
    if user.practice_id:
        record(practice_id=user.practice_id, action="auth.logout_everywhere", actor=user, obj=user)
    logout(request)
    messages.success(request, "You are logged out on every device, and your API tokens are revoked.")
    return redirect("login")
