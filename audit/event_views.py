"""The events browser: every audit event of the practice, filtered, keyset-paged, and as CSV.

Events carry no message body (their `data` is codes and ids only, by the house rule), and
this page joins nothing that holds one. The names on a page come from one query of the
people on it, and a person filter is typed and resolved (audit.forms.PersonField), so a page
is a few queries and a few KB whatever the practice's size.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from datetime import datetime

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from policies.vocabulary import category_label, channel_label, exception_kind_label, outcome_label
from portal.api.fields import utc_iso
from portal.views import admin_required

from . import services
from .export import _Echo, _local, csv_response
from .forms import EventFilterForm
from .selectors import events_for, names_of, practice_people
from .views import admin_zone, day_range, in_admin_zone, page_queries
from .wording import audit_action_label

PAGE = 50
# What the browser and its CSV read of an event (never more: `data` is the event's metadata,
# never a message body); the CSV unpacks the rows in this order.
EVENT_COLUMNS = (
    "id",
    "seq",
    "at",
    "actor_id",
    "actor_role",
    "action",
    "therapist_id",
    "client_id",
    "object_type",
    "object_id",
    "data",
    "hash",
)


def _event_filters(request) -> tuple[EventFilterForm, dict]:
    form = EventFilterForm(request.GET or None, practice_id=request.user.practice_id)
    if not form.is_valid():
        return form, {}
    d = form.cleaned_data
    return form, {
        "actor": d.get("actor"),
        "therapist": d.get("therapist"),
        "client": d.get("client"),
        "action": d.get("action") or None,
        **day_range(d, admin_zone(request.user)),
    }


def describe_data(raw: str) -> str:
    """An event's details in words: outcome, reasons, what and how; ids as they are. The data
    holds no health data by construction; unknown keys are shown as key: value."""
    try:
        data = json.loads(raw or "{}")
    except ValueError:
        return ""
    if not isinstance(data, dict):
        return ""
    words = []
    for key in sorted(data):
        value = data[key]
        if key == "outcome":
            words.append(f"Outcome: {outcome_label(str(value))}")
        elif key == "reasons" and isinstance(value, list):
            if value:
                words.append("Reasons: " + ", ".join(str(v).replace("_", " ") for v in value))
        elif key == "category" and value:
            words.append(f"Category: {category_label(str(value))}")
        elif key == "channel" and value:
            words.append(f"Channel: {channel_label(str(value))}")
        elif key == "kind" and value in (
            "blocked",
            "override",
            "after_hours",
            "crisis",
            "consent_revoked",
            "emergency_mismatch",
        ):
            words.append(f"Exception: {exception_kind_label(str(value))}")
        elif isinstance(value, list) and value:
            words.append(
                f"{key.replace('_', ' ').capitalize()}: " + ", ".join(str(v).replace("_", " ") for v in value)
            )
        elif value not in (None, "", [], {}):
            words.append(f"{key.replace('_', ' ').capitalize()}: {value}")
    return "; ".join(words)


@dataclass(frozen=True)
class EventRow:
    """One line of the events browser: what the page shows of an event, its people named."""

    pk: int
    at: datetime
    seq: int | None
    hash: str
    actor_role: str
    action_label: str
    actor_name: str
    therapist_name: str
    client_name: str
    details: str


@admin_required
@require_GET
@in_admin_zone
def events(request):
    pid = request.user.practice_id
    form, filters = _event_filters(request)
    tz_name = request.admin_tz.key
    if request.GET and not form.is_valid():
        return render(
            request, "audit/events.html", {"form": form, "rows": [], "tz_name": tz_name}, status=400
        )
    before = form.cleaned_data.get("before") if form.is_bound else None
    rows = list(events_for(pid, before=before, limit=PAGE + 1, **filters).only(*EVENT_COLUMNS)[: PAGE + 1])
    more = len(rows) > PAGE
    events = rows[:PAGE]
    # The names of the people on this page only (one query), never the whole practice's list.
    names = names_of(pid, (i for e in events for i in (e.actor_id, e.therapist_id, e.client_id)))
    lines = [
        EventRow(
            pk=e.pk,
            at=e.at,
            seq=e.seq,
            hash=e.hash,
            actor_role=e.actor_role,
            action_label=audit_action_label(e.action),
            actor_name=names.get(e.actor_id, "") if e.actor_id else "",
            therapist_name=names.get(e.therapist_id, "") if e.therapist_id else "",
            client_name=names.get(e.client_id, "") if e.client_id else "",
            details=describe_data(e.data),
        )
        for e in events
    ]
    next_query, filters_query = page_queries(request, lines, more)
    return render(
        request,
        "audit/events.html",
        {
            "form": form,
            "rows": lines,
            "next_query": next_query,
            "export_query": filters_query,
            "paged": before is not None,
            "first_query": filters_query,
            "tz_name": tz_name,
        },
    )


@admin_required
@require_GET
def events_export(request):
    """The filtered events as CSV, streamed (flat memory at any size), with names and the
    chain position and hash of each; the export is itself an audit event."""
    pid = request.user.practice_id
    form, filters = _event_filters(request)
    if request.GET and not form.is_valid():
        return HttpResponse(
            "; ".join(f"{k}: {' '.join(str(e) for e in v)}" for k, v in form.errors.items()),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    tz = admin_zone(request.user)
    names = {p.pk: p.full_name for p in practice_people(pid)[0]}
    services.audit_export_recorded(admin=request.user, what="events", filters=filters)
    qs = events_for(pid, **filters).values_list(*EVENT_COLUMNS)
    writer = csv.writer(_Echo())

    def rows():
        yield writer.writerow(
            [
                "id",
                "chain_position",
                "at",
                f"at_local ({tz.key})",
                "actor_id",
                "actor",
                "actor_role",
                "action",
                "action_label",
                "therapist_id",
                "therapist",
                "client_id",
                "client",
                "object_type",
                "object_id",
                "details",
                "data",
                "hash",
            ]
        )
        for pk, seq, at, actor, role, action, t, c, otype, oid, data, h in qs.iterator(chunk_size=2000):
            yield writer.writerow(
                [
                    pk,
                    seq or "",
                    utc_iso(at),
                    _local(at, tz),
                    actor or "",
                    names.get(actor, ""),
                    role,
                    action,
                    audit_action_label(action),
                    t or "",
                    names.get(t, "") if t else "",
                    c or "",
                    names.get(c, "") if c else "",
                    otype,
                    oid or "",
                    describe_data(data),
                    data,
                    h,
                ]
            )

    return csv_response(rows(), "audit-events.csv")
