"""The poll: what changed since the page was drawn. Reads only (the cache of what was sent
at a version holds ids and states: no body, nothing of health)."""

from __future__ import annotations

import contextlib
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from portal import roles
from portal.ids import parse_id

from .. import presenters, selectors
from .common import fragment, message_fragments

POLL_WINDOW_SECONDS = 3600  # how long the poll remembers what it sent at a version (ids and states only)


def _poll_key(viewer, thread_id: int, version: str) -> str:
    # Per viewer and thread: what one person was sent is never another's answer.
    return f"poll:{viewer.pk}:{thread_id}:{version}"


def _remember_window(viewer, thread_id: int, version: str, window) -> None:
    """What the page holds at `version` (ids and states), so a later poll from it sends only
    the messages that are new or changed."""
    # The cache (Redis) may be down: later polls then send the whole window.
    with contextlib.suppress(Exception):
        cache.set(
            _poll_key(viewer, thread_id, version),
            [[mid, f"{st}:{cs or ''}"] for mid, st, cs in window],
            POLL_WINDOW_SECONDS,
        )


def _window_at(viewer, thread_id: int, version: str | None) -> dict[int, str] | None:
    if not version:
        return None
    try:
        rows = cache.get(_poll_key(viewer, thread_id, version))
    except Exception:  # noqa: BLE001 - the cache (Redis) is down: send the whole window, as without a version
        return None
    return None if rows is None else dict(rows)


def _poll_unread(user, thread_id: int | None) -> dict[str, Any]:
    """Unread counts as the pages show them (selectors.unread_count and per thread), in one
    statement: the total is the sum over the caller's threads."""
    per_thread = selectors.unread_per_thread(user)
    shown = per_thread if thread_id is None else {k: v for k, v in per_thread.items() if k == thread_id}
    return {"total": sum(per_thread.values()), "threads": {str(k): v for k, v in shown.items()}}


def _thread_changes(request: HttpRequest, user, thread_id: int, given: str | None) -> dict[str, Any]:
    thread = selectors.thread_ids_for(user, thread_id)
    window = selectors.window(thread, user)
    version = presenters.version_of(window)
    data: dict[str, Any] = {"version": version}
    if given == version:
        return data
    before = _window_at(user, thread.pk, given)
    _remember_window(user, thread.pk, version, window)
    if before is not None:
        changed = [mid for mid, st, cs in window if before.get(mid) != f"{st}:{cs or ''}"]
        data["ids"] = [mid for mid, _st, _cs in window]
    else:
        changed = [mid for mid, _st, _cs in window]
    thread = selectors.thread_for(user, thread.pk)  # names for the messages drawn
    shown = selectors.messages_in(thread, user, changed) if changed else []
    data["messages"] = message_fragments(request, thread, shown)
    return data


@never_cache
@require_GET
def poll(request: HttpRequest) -> JsonResponse:
    """What changed since the page was drawn: new or changed messages of one thread, unread
    counts, open crisis alerts. Reads only: it marks nothing read and writes no session, so
    an idle page that polls does not keep anything alive (the script also sends
    X-Portal-Poll: 1 for the session middleware).

    With the version the page holds and nothing changed: three statements (the session, the
    user, then the thread and its window of ids and states), the unread counts in a fourth.
    When something changed and the poll remembers what it sent at that version, only the new
    and changed messages are sent, with `ids` (the window, oldest first) for the page to drop
    and order by; otherwise every message of the window, as the page was drawn."""
    user = request.user
    if not user.is_authenticated:
        return JsonResponse(
            {"detail": "Your session has ended. Reload the page to log in again."}, status=401
        )
    data: dict[str, Any] = {}
    thread_id = None
    raw_thread = request.GET.get("thread")
    if raw_thread:
        thread_id = parse_id(raw_thread)
        if thread_id is None:
            return JsonResponse({"thread": ["Must be a thread id."]}, status=400)
        data.update(_thread_changes(request, user, thread_id, request.GET.get("version")))
    data["unread"] = _poll_unread(user, thread_id)
    if roles.is_thread_therapist(user) and request.GET.get("alerts"):
        ctx = presenters.alert_context(user)
        data["alerts_version"] = ctx["alerts_version"]
        if request.GET.get("alerts_version") != ctx["alerts_version"]:
            data["alerts_html"] = fragment(request, "messaging/_crisis_banner.html", ctx)
    return JsonResponse(data)
