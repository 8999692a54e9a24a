"""The practice admin's side: dashboard with charts, boundary exceptions, review, CSV, break-glass."""

from __future__ import annotations

import json
from datetime import datetime, time, timedelta
from functools import wraps
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.db import connection
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from policies.vocabulary import exception_kind_label
from policies.wording import reason_text
from portal.errors import DomainError
from portal.notify import notices_seen
from portal.views import admin_required, therapist_required

from . import charts, checkpoints, export, selectors, services
from .forms import BreakGlassForm, ChartPeriodForm, CheckpointUploadForm, ExceptionFilterForm, ReviewForm
from .models import BoundaryException, BreakGlassRead
from .selectors import exceptions_for, thread_exceptions

PAGE = 50


def admin_zone(user) -> ZoneInfo:
    """The zone the admin's pages speak in: their profile's (UTC when unset or unknown)."""
    try:
        return ZoneInfo(user.timezone or "UTC")
    except (ValueError, KeyError):
        return ZoneInfo("UTC")


def in_admin_zone(view):
    """Render every time on the page in the admin's zone (the page names it once: tz_name)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        tz = admin_zone(request.user)
        request.admin_tz = tz
        with timezone.override(tz):
            return view(request, *args, **kwargs)

    return wrapped


def day_range(d: dict, tz) -> dict:
    """Whole days in the admin's zone: `until` is inclusive, so the bound is the next midnight."""
    return {
        "since": datetime.combine(d["since"], time(0), tzinfo=tz) if d.get("since") else None,
        "until": datetime.combine(d["until"] + timedelta(days=1), time(0), tzinfo=tz)
        if d.get("until")
        else None,
    }


def _filters(request) -> tuple[ExceptionFilterForm, dict]:
    # People are typed and resolved (audit.forms.PersonField): no list of the practice here.
    form = ExceptionFilterForm(request.GET or None, practice_id=request.user.practice_id)
    if not form.is_valid():
        return form, {}
    d = form.cleaned_data
    return form, {
        "kind": d.get("kind") or None,
        "therapist": d.get("therapist"),
        "client": d.get("client"),
        **day_range(d, admin_zone(request.user)),
        "reviewed": {"yes": True, "no": False}.get(d.get("reviewed") or ""),
    }


def page_queries(request, rows: list, more: bool) -> tuple[str, str]:
    """Keyset paging links of a filtered list: the query string of the next (older) page, ""
    when there is none, and the filters alone (the newest page, and what the CSV exports)."""
    filters = request.GET.copy()
    filters.pop("before", None)
    next_query = ""
    if more:
        older = filters.copy()
        older["before"] = rows[-1].pk
        next_query = older.urlencode()
    return next_query, filters.urlencode()


@admin_required
@in_admin_zone
def dashboard(request):
    pid = request.user.practice_id
    period = ChartPeriodForm(request.GET or None)
    status = 200
    if period.is_bound and not period.is_valid():
        weeks, status = 12, 400
    else:
        weeks = (period.cleaned_data.get("weeks") if period.is_bound else None) or 12
    s = charts.summary(pid, weeks=weeks, tz=request.admin_tz)
    return render(
        request,
        "audit/dashboard.html",
        {
            "period": period,
            "summary": s,
            "weeks": weeks,
            "tz_name": request.admin_tz.key,
            "weeks_svg": charts.weeks_svg(s),
            "therapists_svg": charts.therapists_svg(s),
            "kind_order": [(k, exception_kind_label(k)) for k in charts.KIND_ORDER],
            **dict(zip(("week_rows", "therapist_rows"), charts.table_rows(s), strict=True)),
            "legend": charts.legend(),
            "unreviewed": s.unreviewed,
        },
        status=status,
    )


@admin_required
@in_admin_zone
def exceptions(request):
    form, filters = _filters(request)
    if request.GET and not form.is_valid():
        return render(
            request,
            "audit/exceptions.html",
            {"form": form, "rows": [], "tz_name": request.admin_tz.key},
            status=400,
        )
    before = form.cleaned_data.get("before") if form.is_bound and form.is_valid() else None
    rows = list(
        exceptions_for(request.user.practice_id, before=before, **filters)
        .select_related("therapist", "client")
        .only("id", "kind", "at", "reasons", "reviewed", "therapist__full_name", "client__full_name")[
            : PAGE + 1
        ]
    )
    more = len(rows) > PAGE
    rows = rows[:PAGE]
    next_query, filters_query = page_queries(request, rows, more)
    # One reverse() for the page, not one a row (50 of them were a tenth of the page's time).
    for e, label in _with_urls([(e, exception_kind_label(e.kind)) for e in rows]):
        e.kind_label = label
    return render(
        request,
        "audit/exceptions.html",
        {
            "form": form,
            "rows": rows,
            "next_query": next_query,
            "export_query": filters_query,
            "tz_name": request.admin_tz.key,
        },
    )


def _with_urls(pairs: list) -> list:
    """Each exception's page link, from one reverse() (not one a row in the template)."""
    link = reverse("audit:exception", args=[0]).rsplit("0/", 1)[0]
    for o, _label in pairs:
        o.url = f"{link}{o.pk}/"
    return pairs


def _own_exception(request, pk: int) -> BoundaryException:
    exc = selectors.exception_of(request.user.practice_id, pk)
    if exc is None:
        raise Http404
    return exc


def _detail(
    request,
    exc: BoundaryException,
    *,
    status: int = 200,
    review_form=None,
    glass_form=None,
    read: BreakGlassRead | None = None,
):
    """The exception page; its audit trail lists every break-glass read with its reason."""
    reads = selectors.break_glass_reads(exc)
    return render(
        request,
        "audit/exception_detail.html",
        {
            "exc": exc,
            "review_form": review_form or ReviewForm(),
            "tz_name": admin_zone(request.user).key,
            "kind_label": exception_kind_label(exc.kind),
            **selectors.exception_decision(exc),
            "reasons": [(code, reason_text(code)) for code in exc.reasons or ()],
            "others": _with_urls([(o, exception_kind_label(o.kind)) for o in thread_exceptions(exc)]),
            "glass_form": glass_form
            if glass_form is not None
            else (BreakGlassForm() if read is None else None),
            "reads": reads,
            "read": read,
            "body": read.message.body if read is not None else None,
            "override_reason": read.message.override_reason if read is not None else "",
        },
        status=status,
    )


@admin_required
@require_GET
@in_admin_zone
def exception_detail(request, pk: int):
    return _detail(request, _own_exception(request, pk))


@admin_required
@require_POST
@in_admin_zone
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
@in_admin_zone
def break_glass(request, pk: int):
    """Read a message body: a stated reason, kept encrypted with its audit event, and the
    therapist is told (their notice links to the reason)."""
    exc = _own_exception(request, pk)
    form = BreakGlassForm(request.POST)
    if form.is_valid():
        try:
            read = services.message_break_glass_read(
                admin=request.user, exception_id=exc.pk, reason=form.cleaned_data["reason"]
            )
        except DomainError as e:
            form.add_error("reason" if e.field == "reason" else None, e.message)
        else:
            return _detail(request, exc, read=read)
    return _detail(request, exc, status=400, glass_form=form)


@therapist_required
@require_GET
def break_glass_notice(request, pk: int):
    """The therapist's side of a break-glass read: who read which message, when, and why."""
    read = selectors.break_glass_read_for(request.user, pk)
    if read is None:
        raise Http404
    notices_seen(user=request.user, url=request.path)
    tz = ZoneInfo(request.user.timezone or "UTC")
    return render(
        request,
        "audit/break_glass_notice.html",
        {
            "read": read,
            "at": read.at.astimezone(tz),
            "sent_at": read.message.created_at.astimezone(tz),
            "tz_name": tz.key,
            "thread": read.message.thread,
        },
    )


@admin_required
@require_GET
def export_csv(request):
    """The filtered exceptions as CSV, streamed row by row (flat memory at any size), with
    names, what was contacted how, the review (who, when, note); never a body. Times in UTC
    and in the admin's zone (named in the header)."""
    form, filters = _filters(request)
    if request.GET and not form.is_valid():
        return HttpResponse(
            "; ".join(f"{k}: {' '.join(str(e) for e in v)}" for k, v in form.errors.items()),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    pid = request.user.practice_id
    tz = admin_zone(request.user)
    # The names only where Python writes the rows (elsewhere than PostgreSQL, which joins them).
    names = (
        {p.pk: p.full_name for p in selectors.practice_people(pid)[0]}
        if connection.vendor != "postgresql"
        else {}
    )
    services.audit_export_recorded(admin=request.user, what="exceptions", filters=filters)
    # Streamed from the database (audit.export: PostgreSQL formats the rows).
    return export.csv_response(
        export.csv_lines(exceptions_for(pid, **filters), tz=tz, names=names), "boundary-exceptions.csv"
    )


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
    if result is None:
        # From the latest signed checkpoint that holds (audit.checkpoints); signs the head after.
        result, latest, full_run = checkpoints.verified_from_checkpoint(pid)
    else:
        latest, full_run = checkpoints.latest(pid), checkpoints.latest_full_run(pid)
    status = 400 if request.method == "POST" and check is None else 200
    return render(
        request,
        "audit/verify.html",
        {
            "result": result,
            "latest": latest,
            "check": check,
            "uploaded": uploaded,
            "form": form,
            "full_run": full_run,
            "queued_run": selectors.queued_verification(pid),
        },
        status=status,
    )


@admin_required
@require_POST
def verify_full_request(request):
    """The verify page's button: a full re-verification of the chain, queued for the worker."""
    _run, new = checkpoints.full_verification_request(admin=request.user)
    if new:
        messages.success(
            request,
            "A full re-verification of the chain is queued; its result will show here when it has run.",
        )
    else:
        messages.info(
            request, "A full re-verification is already queued; its result will show here when it has run."
        )
    return redirect("audit:verify")


def _current_or_none(practice_id: int):
    try:
        return checkpoints.current(practice_id)
    except checkpoints.NothingSigned:
        return None


@admin_required
@require_GET
def checkpoint_download(request):
    """The latest signed checkpoint as a file, exactly as GET /api/v1/audit/checkpoint answers it."""
    cp = _current_or_none(request.user.practice_id)
    if cp is None:
        return HttpResponse(
            "The audit chain does not verify, so no checkpoint was signed.\n",
            status=409,
            content_type="text/plain; charset=utf-8",
        )
    resp = HttpResponse(
        json.dumps(checkpoints.as_dict(cp), indent=2, sort_keys=True) + "\n", content_type="application/json"
    )
    resp["Content-Disposition"] = f'attachment; filename="audit-checkpoint-{cp.practice_id}-{cp.seq}.json"'
    return resp
