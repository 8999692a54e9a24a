"""The practice admin's side: dashboard with charts, boundary exceptions, review, CSV, break-glass."""

from __future__ import annotations

import csv
from datetime import datetime, time, timedelta

from django.contrib import messages
from django.db import transaction
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from portal.api.fields import utc_iso
from portal.errors import DomainError
from portal.models import User
from portal.notify import notify
from portal.views import admin_required

from . import charts, services
from .chain import record, verify
from .forms import BreakGlassForm, ExceptionFilterForm, ReviewForm
from .models import BoundaryException
from .selectors import exceptions_for

PAGE = 50


def _people(practice_id: int):
    people = User.objects.filter(practice_id=practice_id).order_by("full_name")
    return people.filter(is_therapist=True), people.filter(therapist__isnull=False)


def _filters(request) -> tuple[ExceptionFilterForm, dict]:
    therapists, clients = _people(request.user.practice_id)
    form = ExceptionFilterForm(request.GET or None, therapists=therapists, clients=clients)
    if not form.is_valid():
        return form, {}
    d = form.cleaned_data
    tz = timezone.get_current_timezone()
    return form, {
        "kind": d.get("kind") or None, "therapist": d.get("therapist"), "client": d.get("client"),
        "since": datetime.combine(d["since"], time(0), tzinfo=tz) if d.get("since") else None,
        "until": datetime.combine(d["until"] + timedelta(days=1), time(0), tzinfo=tz) if d.get("until") else None,
        "reviewed": {"yes": True, "no": False}.get(d.get("reviewed") or ""),
    }


@admin_required
def dashboard(request):
    pid = request.user.practice_id
    return render(request, "audit/dashboard.html", {
        "weeks_svg": charts.stacked_weeks_svg(charts.per_week_by_kind(pid)),
        "therapists_svg": charts.therapists_svg(charts.per_therapist(pid)),
        "unreviewed": BoundaryException.objects.filter(practice_id=pid, reviewed=False).count(),
    })


@admin_required
def exceptions(request):
    form, filters = _filters(request)
    if request.GET and not form.is_valid():
        return render(request, "audit/exceptions.html", {"form": form, "rows": []}, status=400)
    before = form.cleaned_data.get("before") if form.is_bound and form.is_valid() else None
    rows = list(exceptions_for(request.user.practice_id, before=before, **filters)
                .select_related("therapist", "client")[:PAGE + 1])
    more = len(rows) > PAGE
    rows = rows[:PAGE]
    next_query = ""
    if more:
        query = request.GET.copy()
        query["before"] = rows[-1].pk
        next_query = query.urlencode()
    export = request.GET.copy()
    export.pop("before", None)
    return render(request, "audit/exceptions.html", {
        "form": form, "rows": rows, "next_query": next_query, "export_query": export.urlencode()})


def _own_exception(request, pk: int) -> BoundaryException:
    exc = (BoundaryException.objects.select_related("therapist", "client", "event", "reviewed_by")
           .filter(pk=pk, practice_id=request.user.practice_id).first())
    if exc is None:
        raise Http404
    return exc


@admin_required
def exception_detail(request, pk: int):
    exc = _own_exception(request, pk)
    return render(request, "audit/exception_detail.html", {
        "exc": exc, "review_form": ReviewForm(), "glass_form": BreakGlassForm(), "body": None})


@admin_required
@require_POST
def review(request, pk: int):
    exc = _own_exception(request, pk)
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.exception_review(admin=request.user, exception_id=exc.pk, note=form.cleaned_data["note"])
        except DomainError as e:
            form.add_error("note", e.message)
        else:
            messages.success(request, "Marked as reviewed.")
            return redirect("audit:exception", pk)
    return render(request, "audit/exception_detail.html", {
        "exc": exc, "review_form": form, "glass_form": BreakGlassForm(), "body": None}, status=400)


@admin_required
@require_POST
def break_glass(request, pk: int):
    """Read a message body: a stated reason, an audit event, and the therapist is told."""
    exc = _own_exception(request, pk)
    form = BreakGlassForm(request.POST)
    if not form.is_valid() or exc.message_id is None:
        if exc.message_id is None:
            form.add_error(None, "This exception has no message to read.")
        return render(request, "audit/exception_detail.html", {
            "exc": exc, "review_form": ReviewForm(), "glass_form": form, "body": None}, status=400)
    from messaging.models import Message

    with transaction.atomic():
        message = Message.objects.get(pk=exc.message_id, thread__practice_id=request.user.practice_id)
        record(practice_id=request.user.practice_id, action="audit.break_glass_read", actor=request.user,
               therapist_id=exc.therapist_id, client_id=exc.client_id, obj=message,
               data={"exception_id": exc.pk})
        notify(user=exc.therapist, kind="break_glass", email=False, url="",
               text=f"A practice admin ({request.user.full_name}) read a message on one of your threads, with a recorded reason.")
    return render(request, "audit/exception_detail.html", {
        "exc": exc, "review_form": ReviewForm(), "glass_form": None, "body": message.body})


class _Echo:
    def write(self, value):
        return value


@admin_required
def export_csv(request):
    """The filtered exceptions as CSV, streamed row by row (flat memory at any size)."""
    form, filters = _filters(request)
    pid = request.user.practice_id
    record(practice_id=pid, action="audit.exceptions_exported", actor=request.user,
           data={k: str(v) for k, v in filters.items() if v is not None})
    qs = exceptions_for(pid, **filters).values_list("id", "kind", "at", "therapist_id", "client_id", "reasons",
                                                    "reviewed")
    writer = csv.writer(_Echo())

    def rows():
        yield writer.writerow(["id", "kind", "at", "therapist_id", "client_id", "reasons", "reviewed"])
        for pk, kind, at, t, c, reasons, reviewed in qs.iterator(chunk_size=2000):
            yield writer.writerow([pk, kind, utc_iso(at), t, c or "",
                                   " ".join(reasons or []), "yes" if reviewed else "no"])

    resp = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    resp["Content-Disposition"] = 'attachment; filename="boundary-exceptions.csv"'
    return resp


@admin_required
def verify_view(request):
    result = verify(request.user.practice_id)
    return render(request, "audit/verify.html", {"result": result})
