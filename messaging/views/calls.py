"""Calls on a thread: booking (a client from the open slots), confirming and declining."""

from __future__ import annotations

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from portal.errors import DomainError
from portal.localtime import viewer_zone

from ..forms import CallBookForm
from ..models import CallBooking
from ..policy_now import policy_now, selectors
from ..services import calls
from ..slots import open_call_slots
from .common import after_send, form_error, own_thread_as_therapist, signed_in
from .threads import render_thread


@login_required
@require_POST
def call_book(request: HttpRequest, pk: int) -> HttpResponse:
    thread = selectors.thread_for(request.user, pk)
    policy = policy_now(thread, timezone.now(), viewer_zone(request.user))
    is_therapist = thread.therapist_id == request.user.pk
    # A client picks one of the open slots (the same list the page offered); a therapist may
    # type any time (and override).
    slots = (
        None
        if is_therapist
        else open_call_slots(
            version=policy.version, therapist_id=thread.therapist_id, minutes=policy.call_max_minutes or 15
        )
    )
    form = CallBookForm(
        request.POST,
        is_therapist=is_therapist,
        tz=viewer_zone(request.user),
        max_minutes=policy.call_max_minutes,
        channels=policy.call_channels,
        slots=slots,
        viewer_tz=viewer_zone(request.user),
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            result = calls.call_request(
                sender=signed_in(request),
                thread=thread,
                start=data["start"],
                minutes=data["minutes"],
                channel=data["channel"],
                override_reason=form.cleaned_override_reason() if is_therapist else None,
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            return after_send(thread, result)
    return render_thread(request, thread, policy=policy, call_form=form, open_panel="call", status=400)


def _call_action(request: HttpRequest, pk: int, call_pk: int, action, done: str) -> HttpResponse:
    thread = own_thread_as_therapist(request, pk)
    call = get_object_or_404(CallBooking, pk=call_pk, thread=thread)
    try:
        action(therapist=request.user, call=call)
    except DomainError as exc:
        flash.error(request, exc.message)
    else:
        flash.success(request, done)
    return redirect("messaging:thread", pk=thread.pk)


@login_required
@require_POST
def call_confirm(request: HttpRequest, pk: int, call_pk: int) -> HttpResponse:
    return _call_action(
        request, pk, call_pk, calls.call_confirm, "Call confirmed. Your client has been told."
    )


@login_required
@require_POST
def call_decline(request: HttpRequest, pk: int, call_pk: int) -> HttpResponse:
    return _call_action(request, pk, call_pk, calls.call_decline, "Call declined. Your client has been told.")
