"""The therapist's actions on a thread and on crisis alerts: contacts logged off the portal,
ending and reopening care, acknowledging an alert."""

from __future__ import annotations

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from portal.errors import DomainError
from portal.localtime import viewer_zone

from ..forms import CareEndForm, ContactLogForm
from ..models import CrisisAlert
from ..policy_now import policy_now
from ..services import alerts, care, send
from .common import after_send, form_error, own_thread_as_therapist, signed_in, therapist_only
from .threads import render_thread


@login_required
@require_POST
def contact_log(request: HttpRequest, pk: int) -> HttpResponse:
    thread = own_thread_as_therapist(request, pk)
    policy = policy_now(thread, timezone.now(), viewer_zone(request.user))
    form = ContactLogForm(request.POST, is_therapist=True, tz=viewer_zone(request.user))
    if form.is_valid():
        data = form.cleaned_data
        try:
            result = send.contact_log(
                therapist=signed_in(request),
                thread=thread,
                category=data["category"],
                channel=data["channel"],
                at=data["at"],
                note=data["note"],
                minutes=data["minutes"],
                override_reason=form.cleaned_override_reason(),
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            # The attempt is recorded for audit and listed with the attempts; the page says why.
            return after_send(thread, result)
    return render_thread(request, thread, policy=policy, log_form=form, open_panel="log", status=400)


@login_required
@require_POST
def care_end(request: HttpRequest, pk: int) -> HttpResponse:
    thread = own_thread_as_therapist(request, pk)
    policy = policy_now(thread, timezone.now(), viewer_zone(request.user))
    form = CareEndForm(request.POST, is_therapist=True, tz=viewer_zone(request.user))
    if form.is_valid():
        try:
            care.care_end(therapist=signed_in(request), thread=thread, note=form.cleaned_data["note"])
        except DomainError as exc:
            form_error(form, exc)
        else:
            flash.success(
                request,
                "Care ended. Your client can read your closing note; "
                "new contact on this thread is refused until you reopen it.",
            )
            return redirect("messaging:thread", pk=thread.pk)
    return render_thread(request, thread, policy=policy, care_form=form, open_panel="care", status=400)


@login_required
@require_POST
def care_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    thread = own_thread_as_therapist(request, pk)
    try:
        care.care_reopen(therapist=signed_in(request), thread=thread)
    except DomainError as exc:
        flash.error(request, exc.message)
    else:
        flash.success(request, "Care reopened: contact follows the policy again.")
    return redirect("messaging:thread", pk=thread.pk)


@login_required
@require_POST
def alert_ack(request: HttpRequest, alert_pk: int) -> HttpResponse:
    therapist = therapist_only(request)
    alert = get_object_or_404(CrisisAlert, pk=alert_pk, therapist=therapist)
    try:
        alerts.crisis_alert_acknowledge(therapist=therapist, alert=alert)
    except DomainError as exc:
        flash.error(request, exc.message)
    else:
        flash.success(request, f"Crisis alert for {alert.thread.client.full_name} acknowledged.")
    return redirect("messaging:therapist_home")
