"""The client's record as a page to read, print or save as PDF."""

from __future__ import annotations

from datetime import datetime
from typing import cast

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from consent.wording import consent_status_label
from policies.vocabulary import category_label, channel_label, outcome_label
from portal.localtime import local_time, viewer_zone, zone_note
from portal.models import User

from ..export import client_record
from ..wording import call_status_label, channels_text, fingerprint
from .common import client_only


def _from_iso(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


@never_cache
@login_required
@require_GET
def client_record_page(request: HttpRequest) -> HttpResponse:
    """The same record the JSON export gives (messaging.export.client_record, audited the
    same way), in words and in the client's own time zone."""
    client = client_only(request)
    tz = viewer_zone(client)
    data = client_record(client)
    when = lambda v: local_time(_from_iso(v), tz, named=False)  # noqa: E731
    consents = [
        {
            **c,
            "status_text": consent_status_label(c["status"]),
            "signed": when(c["signed_at"]),
            "revoked": when(c["revoked_at"]),
            "channels_text": channels_text(c["channels"]),
            "fingerprint": fingerprint(c["content_sha256"]),
        }
        for c in data["consents"]
    ]
    messages = [
        {
            **m,
            "when": when(m["created_at"]),
            "who": "You"
            if m["sender"] == "client"
            # a client always has a therapist
            else (
                cast(User, client.therapist).full_name if m["sender"] == "therapist" else "Automatic reply"
            ),
            "category_text": category_label(m["category"]) if m["category"] else "",
            "channel_text": channel_label(m["channel"]) if m["channel"] else "",
            "status_text": outcome_label(m["status"]),
        }
        for m in data["messages"]
    ]
    calls = [
        {
            **c,
            "when": when(c["start"]),
            "channel_text": channel_label(c["channel"]),
            "status_text": call_status_label(c["status"]),
        }
        for c in data["calls"]
    ]
    return render(
        request,
        "messaging/record.html",
        {
            "person": data["client"],
            "consents": consents,
            "messages": messages,
            "calls": calls,
            "zone_note": zone_note(tz),
            "printed": local_time(timezone.now(), tz, named=False),
        },
    )
