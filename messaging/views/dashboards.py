"""The therapist's and the client's home pages."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from consent.selectors import latest_consent
from policies.selectors import current_version
from policies.vocabulary import channel_label
from portal.localtime import local_time, viewer_zone, zone_note

from .. import presenters, selectors
from ..models import Thread
from ..wording import call_status_label
from .common import client_only, therapist_only


@never_cache
@login_required
@require_GET
def therapist_home(request: HttpRequest) -> HttpResponse:
    user = therapist_only(request)
    now = timezone.now()
    tz = ZoneInfo(user.timezone or "UTC")
    threads = list(selectors.threads_for(user))
    unread = selectors.unread_by_thread(user, threads)
    latest = selectors.latest_consents(t.client_id for t in threads)
    rows = []
    for t in threads:
        state = presenters.consent_state(latest.get(t.client_id), now)
        rows.append(
            {
                "thread": t,
                "client": t.client,
                "unread": unread.get(t.pk, 0),
                "consent_state": state,
                "consent_text": presenters.CONSENT_WORDS.get(state, state),
                "care_ended": t.care_ended,
            }
        )
    to_confirm = [
        {"call": c, "client": c.thread.client, "when": local_time(c.start, tz, named=False)}
        for c in selectors.calls_to_confirm(user, now)
    ]
    context = {
        "rows": rows,
        "held": presenters.held_shown(selectors.therapist_held(user), tz, with_client=True),
        "to_confirm": to_confirm,
        "tz_name": tz.key,
        "zone_note": zone_note(tz),
        "notices": presenters.notices_shown(selectors.unread_notices(user), tz),
        "unread_total": sum(unread.values()),
        **presenters.alert_context(user),
    }
    return render(request, "messaging/therapist_home.html", context)


@never_cache
@login_required
@require_GET
def client_home(request: HttpRequest) -> HttpResponse:
    user = client_only(request)
    now = timezone.now()
    thread = Thread.objects.filter(client=user).select_related("therapist").first()
    consent = latest_consent(user.pk)
    current = current_version(user.therapist_id)
    tz = viewer_zone(user)
    state = presenters.client_state(
        client=user, thread=thread, consent=consent, current=current, now=now, tz=tz
    )
    calls = []
    if thread is not None:
        calls = [
            {
                "call": c,
                "when": local_time(c.start, tz, named=False),
                "status": call_status_label(c.status),
                "channel": channel_label(c.channel),
            }
            for c in selectors.upcoming_calls(thread, now)
        ]
    held = selectors.client_held(user) if thread is not None else []
    unread = selectors.unread_by_thread(user, [thread] if thread else [])
    context = {
        "thread": thread,
        "therapist": user.therapist,
        "consent": consent,
        "state": state,
        "calls": calls,
        "unread": unread.get(thread.pk, 0) if thread else 0,
        "notices": presenters.notices_shown(selectors.unread_notices(user), tz),
        "held": presenters.held_shown(held, tz, with_client=False),
        "zone_note": zone_note(tz),
        "export_url": "/api/v1/me/export",
        "thread_url": reverse("messaging:thread", args=[thread.pk]) if thread is not None else "",
    }
    return render(request, "messaging/client_home.html", context)
