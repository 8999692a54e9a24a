"""The thread page: the conversation, the compose box, calls and the therapist's tools."""

from __future__ import annotations

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from policies.selectors import current_version
from portal.errors import DomainError
from portal.ids import parse_id
from portal.localtime import viewer_zone, zone_note

from .. import presenters
from ..forms import CallBookForm, CareEndForm, ComposeForm, ContactLogForm
from ..models import Message, Thread
from ..policy_now import PolicyNow, policy_now, selectors
from ..services import reading, send
from ..slots import open_call_slots
from .common import message_fragments, signed_in


def render_thread(
    request: HttpRequest,
    thread: Thread,
    *,
    policy: PolicyNow | None = None,
    compose: ComposeForm | None = None,
    call_form: CallBookForm | None = None,
    log_form: ContactLogForm | None = None,
    care_form: CareEndForm | None = None,
    outcome=None,
    open_panel: str = "",
    status: int = 200,
    before: int | None = None,
) -> HttpResponse:
    """The thread page: the latest messages (the window the poll keeps up to date), or with
    `before` (a message id: "Show earlier messages" without the script) the ones before it,
    read only: nothing is marked read and nothing polls."""
    viewer = request.user
    now = timezone.now()
    is_therapist = thread.therapist_id == viewer.pk
    tz = viewer_zone(viewer)
    policy = policy or policy_now(thread, now, tz)
    window = None
    if before is None:
        window, has_earlier = selectors.latest_window(thread, viewer)
        shown = selectors.messages_in(thread, viewer, [row[0] for row in window])
    else:
        shown, has_earlier = selectors.earlier(thread, viewer, before)
    items = [presenters.message_view(m, viewer=viewer, thread=thread, tz=tz) for m in shown]
    attempts = presenters.attempts(thread, viewer, tz)

    # Post/redirect/get: a send redirects here with ?sent=<id>; its outcome is read back from
    # the stored contact. A refused message's text goes back into the box to be changed.
    sent_id = parse_id(request.GET.get("sent")) if outcome is None and request.method == "GET" else None
    if sent_id is not None:
        sent = next((i.message for i in items if i.message.pk == sent_id and i.mine), None) or next(
            (a["message"] for a in attempts if a["message"].pk == sent_id), None
        )
        if sent is not None:
            outcome = presenters.sent_outcome(sent, tz=tz, is_therapist=is_therapist)
            if sent.status == Message.Status.BLOCKED:
                if sent.kind == Message.Kind.MESSAGE and compose is None:
                    compose = ComposeForm(
                        is_therapist=is_therapist,
                        tz=tz,
                        initial={"body": sent.body, "category": sent.category, "channel": sent.channel},
                    )
                open_panel = open_panel or {"call": "call", "contact": "log"}.get(sent.kind, "")

    compose = compose or ComposeForm(is_therapist=is_therapist, tz=tz)
    slots = None
    state = None
    if not is_therapist:
        state = presenters.client_state(
            client=viewer,
            thread=thread,
            consent=thread.consent,
            current=lambda: current_version(thread.therapist_id),
            now=now,
            tz=tz,
        )
        slots = (
            open_call_slots(
                version=policy.version,
                therapist_id=thread.therapist_id,
                minutes=policy.call_max_minutes or 15,
                at=now,
            )
            if policy.governs
            else []
        )
    call_form = call_form or CallBookForm(
        max_minutes=policy.call_max_minutes,
        channels=policy.call_channels,
        slots=slots,
        viewer_tz=tz,
        is_therapist=is_therapist,
        tz=tz,
    )
    if is_therapist:
        log_form = log_form or ContactLogForm(is_therapist=True, tz=tz)
        care_form = care_form or CareEndForm(
            initial={"note": "Referrals:\n\n" + policy.crisis_resources}, is_therapist=True, tz=tz
        )
    calls = list(selectors.upcoming_calls(thread, now))
    if window is not None:
        reading.mark_read(thread, viewer)
    other = thread.client if is_therapist else thread.therapist
    context = {
        "thread": thread,
        "other": other,
        "is_therapist": is_therapist,
        "policy": policy,
        "state": state,
        # The state's next step, unless it is this very page ("Read your messages").
        "state_next_elsewhere": state is not None and state.next_url != request.path,
        "items": items,
        "attempts": attempts,
        "has_earlier": has_earlier,
        "paging_back": before is not None,
        "version": presenters.version_of(window) if window is not None else "",
        "zone_note": zone_note(tz),
        "compose": compose,
        "call_form": call_form,
        "log_form": log_form,
        "care_form": care_form,
        "slots_offered": slots is not None,
        "has_slots": bool(slots),
        "outcome": outcome,
        "open_panel": open_panel,
        **presenters.compose_context(thread, policy, now, viewer),
        "calls": presenters.calls_shown(calls, tz),
    }
    return render(request, "messaging/thread.html", context, status=status)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    return redirect("home")


@never_cache
@vary_on_headers("Accept")
@login_required
@require_GET
def thread(request: HttpRequest, pk: int) -> HttpResponse:
    """The thread page; with `?before=<message id>` the messages before that one ("Show
    earlier messages"): a page of them, or for the page's script (Accept: application/json)
    the messages alone, as the poll sends them."""
    thread = selectors.thread_for(request.user, pk)
    before = None
    if "before" in request.GET:
        before = parse_id(request.GET["before"])
        if before is None:
            raise Http404("No such message.")
    viewer = signed_in(request)
    if (
        before is not None
        and request.get_preferred_type(["text/html", "application/json"]) == "application/json"
    ):
        shown, more = selectors.earlier(thread, viewer, before)
        reading.thread_viewed(thread=thread, viewer=viewer)  # a view of the thread, read only
        return JsonResponse({"messages": message_fragments(request, thread, shown), "more": more})
    reading.thread_viewed(thread=thread, viewer=viewer)
    return render_thread(request, thread, before=before)


@login_required
@require_POST
def cancel(request: HttpRequest, pk: int, mid: int) -> HttpResponse:
    thread = selectors.thread_for(request.user, pk)
    # Only the sender can cancel: anybody else's message is not found.
    message = get_object_or_404(Message, pk=mid, thread=thread, sender=request.user)
    try:
        send.message_cancel(sender=signed_in(request), message=message)
    except DomainError as exc:
        flash.error(request, exc.message)
    else:
        flash.success(request, "Your held message was cancelled; it will not be delivered.")
    return redirect("messaging:thread", pk=thread.pk)


@login_required
@require_POST
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    """The thread page's script marks what it showed as read while the page has focus."""
    thread = selectors.thread_for(request.user, pk)
    reading.mark_read(thread, request.user)
    return JsonResponse({"unread": int(selectors.unread_count(request.user))})
