"""The practice admin's side: dashboard with charts, boundary exceptions, review, CSV, break-glass."""

from __future__ import annotations

import csv
import json
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from portal.api.fields import utc_iso
from portal.errors import DomainError
from portal.models import User
from portal.notify import notices_seen
from portal.views import admin_required, therapist_required

from . import charts, checkpoints, services
from .chain import record, verify
from .forms import BreakGlassForm, CheckpointUploadForm, ExceptionFilterForm, ReviewForm
from .models import BoundaryException, BreakGlassRead
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


def _detail(request, exc: BoundaryException, *, status: int = 200, review_form=None, glass_form=None,
            read: BreakGlassRead | None = None):
    """The exception page; its audit trail lists every break-glass read with its reason."""
    reads = list(exc.break_glass_reads.select_related("admin", "event").order_by("at", "pk"))
    return render(request, "audit/exception_detail.html", {
        "exc": exc, "review_form": review_form or ReviewForm(),
        "glass_form": glass_form if glass_form is not None else (BreakGlassForm() if read is None else None),
        "reads": reads, "read": read, "body": read.message.body if read is not None else None,
        "override_reason": read.message.override_reason if read is not None else "",
    }, status=status)


@admin_required
def exception_detail(request, pk: int):
    return _detail(request, _own_exception(request, pk))


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
    return _detail(request, exc, status=400, review_form=form)


@admin_required
@require_POST
def break_glass(request, pk: int):
    """Read a message body: a stated reason, kept encrypted with its audit event, and the
    therapist is told (their notice links to the reason)."""
    exc = _own_exception(request, pk)
    form = BreakGlassForm(request.POST)
    if form.is_valid():
        try:
            read = services.message_break_glass_read(admin=request.user, exception_id=exc.pk,
                                                     reason=form.cleaned_data["reason"])
        except DomainError as e:
            form.add_error("reason" if e.field == "reason" else None, e.message)
        else:
            return _detail(request, exc, read=read)
    return _detail(request, exc, status=400, glass_form=form)


@therapist_required
@require_GET
def break_glass_notice(request, pk: int):
    """The therapist's side of a break-glass read: who read which message, when, and why."""
    read = (BreakGlassRead.objects.select_related("admin", "message__thread__client")
            .filter(pk=pk, therapist=request.user).first())
    if read is None:
        raise Http404
    notices_seen(user=request.user, url=request.path)
    tz = ZoneInfo(request.user.timezone or "UTC")
    return render(request, "audit/break_glass_notice.html", {
        "read": read, "at": read.at.astimezone(tz), "sent_at": read.message.created_at.astimezone(tz),
        "tz_name": tz.key, "thread": read.message.thread})


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
    """The chain checked end to end, the latest signed checkpoint to download, and a check
    against an uploaded one (an earlier download, or the sealer's JSON-lines file)."""
    pid = request.user.practice_id
    check = None
    if request.method == "POST":
        form = CheckpointUploadForm(request.POST, request.FILES, practice_id=pid)
        if form.is_valid():
            result, check = checkpoints.check(pid, form.cleaned_data["checkpoint"])
            uploaded = form.cleaned_data["checkpoint"]
            form = CheckpointUploadForm(practice_id=pid)
        else:
            uploaded = None
            result = None
    else:
        form, uploaded, result = CheckpointUploadForm(practice_id=pid), None, None
    latest = checkpoints.current(pid)
    if result is None:
        result = verify(pid, seal_first=False)
    status = 400 if request.method == "POST" and check is None else 200
    return render(request, "audit/verify.html", {
        "result": result, "latest": latest, "check": check, "uploaded": uploaded, "form": form,
    }, status=status)


@admin_required
@require_GET
def checkpoint_download(request):
    """The latest signed checkpoint as a file, exactly as GET /api/v1/audit/checkpoint answers it."""
    cp = checkpoints.current(request.user.practice_id)
    resp = HttpResponse(json.dumps(checkpoints.as_dict(cp), indent=2, sort_keys=True) + "\n",
                        content_type="application/json")
    resp["Content-Disposition"] = f'attachment; filename="audit-checkpoint-{cp.practice_id}-{cp.seq}.json"'
    return resp
