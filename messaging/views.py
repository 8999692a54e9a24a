"""The browser door onto messaging: thread pages, dashboards and the poll endpoint.

Thin callers of messaging.services and messaging.selectors: the policy decides there,
for this door and the API alike. Scoping starts from the caller (`thread_for` answers
404 for a thread that is not theirs); therapist-only actions answer 403 to anyone else
before any lookup, as the API checks role before scope.
"""

from __future__ import annotations

import base64
import hashlib
import json
import dataclasses
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from policies.models import Consent
from policies.engine import DEFAULT_CRISIS_RESOURCES
from policies.reader import read
from policies.selectors import current_version, latest_consent
from policies.text import describe_window
from portal.errors import DomainError
from portal.ids import parse_id

from . import selectors, services
from .slots import open_call_slots
from .forms import CallBookForm, CareEndForm, ComposeForm, ContactLogForm
from .models import CallBooking, CrisisAlert, Message, Thread
from .wording import (CATEGORY_NEEDED, PREVIEW_TEXT, call_status_label, category_label, channel_label, compose_words,
                      crisis_pause_text, crisis_watch_text, describe_message, local_time,
                      reading_notes, viewer_zone, zone_note, consent_status_label, channels_text, fingerprint,
                      outcome_label)

# The thread page and the poll show the same window of a thread: its latest messages.
MAX_SHOWN = 200
MAX_NOTICES = 100


# --- who may do what ---------------------------------------------------------------------

def _therapist_only(request: HttpRequest) -> None:
    user = request.user
    if not (user.is_therapist and not user.is_client):
        raise PermissionDenied


def _client_only(request: HttpRequest) -> None:
    if not request.user.is_client:
        raise PermissionDenied


def _own_thread_as_therapist(request: HttpRequest, pk: int) -> Thread:
    """Role first (403), then scope (404): the order the API keeps too."""
    _therapist_only(request)
    return selectors.thread_for(request.user, pk)


def _form_error(form, exc: DomainError) -> None:
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)


# --- what the policy allows now -------------------------------------------------------------

@dataclass
class CategoryNow:
    name: str
    label: str
    open_now: bool
    channels: list[str]
    next_opening: str
    outside_hours: str
    response_hours: int | None
    max_minutes: int | None
    max_per_week: int | None
    next_opening_at: datetime | None = None


@dataclass
class PolicyNow:
    """The governing policy, as the compose form shows it."""

    version: Any  # PolicyVersion | None
    governs: bool  # False: no consent governs now; shown for information only
    tz: Any
    tz_name: str
    crisis_resources: str
    categories: list[CategoryNow]
    call_windows: list[str]
    call_max_minutes: int | None
    call_channels: list[str]
    response_hours: int | None

    @property
    def emergency(self) -> CategoryNow | None:
        return next((c for c in self.categories if c.name == "emergency"), None)


def _policy_now(thread: Thread, at: datetime, view_tz=None) -> PolicyNow:
    """selectors.compose_summary, shaped for the templates: words and local times (in the
    viewer's zone `view_tz`; the windows themselves are the policy's wall clock)."""
    summary = selectors.compose_summary(thread, at)
    version = summary.get("version")
    rules = version.rules if version is not None else {}
    tz = summary.get("tz") or ZoneInfo(thread.therapist.timezone or "UTC")
    shown_tz = view_tz or tz
    # A channel is open only if the policy lists it and the client agreed to it when signing.
    agreed = set(summary.get("consent_channels") or [])
    categories = []
    for name, info in (summary.get("categories") or {}).items():
        nxt = info.get("next_opening")
        categories.append(CategoryNow(
            name=name, label=category_label(name), open_now=bool(info.get("open_now")),
            channels=[channel_label(c) for c in info.get("channels") or [] if not agreed or c in agreed],
            next_opening=local_time(nxt, shown_tz, named=False) if nxt else "", outside_hours=info.get("outside_hours") or "",
            response_hours=info.get("response_hours"), max_minutes=info.get("max_minutes"),
            max_per_week=info.get("max_per_week"), next_opening_at=nxt,
        ))
    order = ["emergency", "administrative", "check_in", "scheduled_call"]
    categories.sort(key=lambda c: order.index(c.name) if c.name in order else len(order))
    call_rule = (rules.get("categories") or {}).get("scheduled_call") or {}
    call_allowed = bool(call_rule.get("allowed"))
    return PolicyNow(
        version=version, governs=bool(summary.get("governs")), tz=tz, tz_name=getattr(tz, "key", str(tz)),
        crisis_resources=(summary.get("crisis_resources") or DEFAULT_CRISIS_RESOURCES).strip(),
        categories=categories,
        call_windows=[describe_window(w) for w in call_rule.get("windows") or []] if call_allowed else [],
        call_max_minutes=call_rule.get("max_minutes") if call_allowed else None,
        call_channels=list(call_rule.get("channels") or []) if call_allowed else [],
        response_hours=next((c.response_hours for c in categories if c.response_hours), None),
    )


# --- the client's state: one banner, one next step ---------------------------------------------

@dataclass
class ClientState:
    """Where a client stands, in one place: the home page and the thread say the same."""

    key: str  # no_policy, none, active, grace, superseded, revoked, care_ended
    level: str  # Bootstrap alert level
    headline: str
    detail: str
    next_label: str
    next_url: str
    compose_note: str  # what happens to a message written now
    governs: bool  # a consent governs: the "allowed now" table, booking and held messages apply


def client_state(*, client, thread: Thread | None, consent, current, now: datetime, tz) -> ClientState:
    thread_url = reverse("messaging:thread", args=[thread.pk]) if thread is not None else ""
    sign_url = reverse("consent:sign")
    crisis_only = ("Only crisis messages get through now: they reach your therapist at once. Anything else "
                   "you write is not delivered.")
    if thread is not None and thread.care_ended:
        return ClientState(
            "care_ended", "secondary", "Your therapist has ended care.",
            f"Care ended {local_time(thread.care_ended_at, tz, named=False)}. You can still read your messages and "
            "your therapist's closing note; new messages are not accepted.",
            "Read your messages", thread_url, crisis_only, False)
    state = "none" if consent is None else consent.snapshot_state(now)
    if state in ("none", "revoked") and (current() if callable(current) else current) is None:
        return ClientState("no_policy", "info", "Your therapist has not published a contact policy yet.",
                           "There is nothing to sign yet; you will get a notice when there is.", "", "",
                           crisis_only, False)
    if state == "none":
        return ClientState("none", "warning", "You have not signed your therapist's contact policy yet.",
                           "It says when and how you can reach your therapist. Until you sign it, messages "
                           "cannot be exchanged.", "Read and sign the contact policy", sign_url, crisis_only, False)
    signed = local_time(consent.signed_at, tz, named=False)
    if state == "revoked":
        return ClientState("revoked", "warning", "You withdrew your consent.",
                           f"Withdrawn {local_time(consent.revoked_at, tz, named=False)}. Messaging is paused: held "
                           "messages were cancelled and booked calls declined. You can sign again at any time.",
                           "Read and sign the contact policy again", sign_url, crisis_only, False)
    if state == "grace":
        return ClientState("grace", "info", "Your therapist updated the contact policy.",
                           f"Your consent to version {consent.policy_version.version} still applies until "
                           f"{local_time(consent.grace_until, tz, named=False)}. After that, messaging pauses "
                           "until you sign the new version.", "Review the changes and sign", sign_url,
                           "Your message follows the version you signed; the box below says what will happen.", True)
    if state == "superseded":
        return ClientState("superseded", "warning", "Your therapist updated the contact policy.",
                           f"Your consent to version {consent.policy_version.version} no longer applies, so "
                           "messaging is paused until you sign the new version.", "Review the changes and sign",
                           sign_url, crisis_only, False)
    return ClientState("active", "success", "Your consent is active.",
                       f"You signed it on {signed}.", "Open your messages",
                       thread_url, "The box below says what will happen to your message before you send it.", True)


# --- one message as a person reads it -------------------------------------------------------

@dataclass
class MessageView:
    message: Message
    mine: bool
    who: str
    kind_label: str
    when: str
    status_text: str
    detail: list[str]
    crisis_resources: str
    can_cancel: bool
    css: str
    state: str  # what the poll compares: a change redraws this message
    iso: str
    reading: tuple[str, ...] = ()  # the therapist's markers: what a client's message reads as
    crisis: bool = False


def _message_view(m: Message, *, viewer, thread: Thread, tz) -> MessageView:
    mine = m.sender_id == viewer.pk
    if m.kind == Message.Kind.AUTO_REPLY or m.sender_role == "system":
        who = "Automatic reply"
    elif mine:
        who = "You"
    else:
        who = thread.therapist.full_name if m.sender_role == "therapist" else thread.client.full_name
    kind_label = {
        Message.Kind.MESSAGE: category_label(m.category) if m.category else "",
        Message.Kind.CALL: "Call request",
        Message.Kind.CONTACT: "Contact logged off the portal",
        Message.Kind.AUTO_REPLY: "",
        Message.Kind.CARE_NOTE: "Care note",
    }.get(m.kind, "")
    detail: list[str] = []
    if m.kind in (Message.Kind.MESSAGE, Message.Kind.CONTACT) and m.channel and m.channel != "portal":
        detail.append(f"By {channel_label(m.channel).lower()}.")
    if m.kind == Message.Kind.CONTACT and m.occurred_at:
        detail.append(f"Happened {local_time(m.occurred_at, tz, named=False)}"
                      + (f", {m.minutes} minutes." if m.minutes else "."))
    call = getattr(m, "call", None) if m.kind == Message.Kind.CALL else None
    if call is not None:
        detail.append(f"{local_time(call.start, tz, named=False)}, {call.minutes} minutes by "
                      f"{channel_label(call.channel).lower()} ({call_status_label(call.status)}).")
    status_text = ""
    if m.kind not in (Message.Kind.AUTO_REPLY, Message.Kind.CARE_NOTE):
        words = describe_message(m, tz=tz)
        if mine or m.status in ("delivered_with_exception", "escalated"):
            status_text = words.headline
            if mine and m.status in ("blocked", "cancelled"):
                detail.extend(words.reasons)
        if call is not None and m.status == "delivered":
            status_text = ""  # the booking's own status, in `detail`, says where it stands
        if m.status == "escalated" and not mine:
            status_text = "Escalated to you at once."
        elif m.status == "delivered_with_exception" and not mine:
            status_text = "Sent as a boundary exception (an override by your therapist)."
    state = f"{m.status}:{call.status if call is not None else ''}"
    notes: tuple[str, ...] = ()
    crisis = False
    if (viewer.pk == thread.therapist_id and m.sender_role == "client" and m.kind == Message.Kind.MESSAGE
            and m.body):
        # Recomputed from the body (the reader is pure), not stored: the crisis kind is health
        # data, and only the therapist's page shows it.
        reading = read(m.body)
        notes = reading_notes(reading, sent_as=m.category, reasons=m.reasons or ())
        crisis = reading.crisis
    css = {"held": "border-warning", "blocked": "border-danger", "cancelled": "border-secondary",
           "escalated": "border-danger", "delivered_with_exception": "border-warning"}.get(m.status, "")
    return MessageView(
        message=m, mine=mine, who=who, kind_label=kind_label,
        when=local_time(m.delivered_at or m.created_at, tz, named=False), status_text=status_text, detail=detail,
        crisis_resources=(m.crisis_resources or "").strip() if (mine or m.status == "escalated") else "",
        can_cancel=mine and m.status == Message.Status.HELD, css=css, state=state,
        iso=(m.delivered_at or m.created_at).replace(microsecond=0).isoformat(), reading=notes, crisis=crisis,
    )


def _window(thread: Thread, viewer) -> list[tuple[int, str, str | None]]:
    """(id, status, call status) of the latest messages the viewer may see, oldest first.
    Cheap on purpose: no bodies are read (or decrypted) to learn whether anything changed."""
    newest = (selectors.visible_messages(thread, viewer).exclude(status=Message.Status.BLOCKED)
              .order_by("-created_at", "-id").values_list("id", "status", "call__status")[:MAX_SHOWN])
    return list(reversed(newest))


MAX_ATTEMPTS = 20


def _attempts(thread: Thread, viewer, tz) -> list[dict]:
    """The viewer's own refused attempts, newest first: kept in a list of their own, not in
    the conversation (the other side never sees them)."""
    rows = (thread.messages.filter(sender=viewer, status=Message.Status.BLOCKED)
            .order_by("-created_at", "-id")[:MAX_ATTEMPTS])
    out = []
    for m in rows:
        words = describe_message(m, tz=tz)
        out.append({"message": m, "when": local_time(m.created_at, tz, named=False), "reasons": words.reasons,
                    "what": {"call": "Call request", "contact": "Logged contact"}.get(
                        m.kind, category_label(m.category) if m.category else "Message")})
    return out


def _messages_in(thread: Thread, viewer, window) -> list[Message]:
    ids = [row[0] for row in window]
    return list(selectors.visible_messages(thread, viewer).filter(pk__in=ids).select_related("call"))


def _version_of(window) -> str:
    """A short fingerprint of what the viewer sees: the poll answers only when it changes."""
    text = ";".join(f"{mid}:{status}:{call_status or ''}" for mid, status, call_status in window)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


# --- the thread page ------------------------------------------------------------------------

def _render_thread(request: HttpRequest, thread: Thread, *, policy: PolicyNow | None = None,
                   compose: ComposeForm | None = None, call_form: CallBookForm | None = None,
                   log_form: ContactLogForm | None = None, care_form: CareEndForm | None = None,
                   outcome=None, open_panel: str = "", status: int = 200) -> HttpResponse:
    viewer = request.user
    now = timezone.now()
    is_therapist = thread.therapist_id == viewer.pk
    tz = viewer_zone(viewer)
    policy = policy or _policy_now(thread, now, tz)
    window = _window(thread, viewer)
    shown = _messages_in(thread, viewer, window)
    items = [_message_view(m, viewer=viewer, thread=thread, tz=tz) for m in shown]
    attempts = _attempts(thread, viewer, tz)

    # Post/redirect/get: a send redirects here with ?sent=<id>; its outcome is read back from
    # the stored contact. A refused message's text goes back into the box to be changed.
    sent_id = parse_id(request.GET.get("sent")) if outcome is None and request.method == "GET" else None
    if sent_id is not None:
        sent = next((i.message for i in items if i.message.pk == sent_id and i.mine), None) or next(
            (a["message"] for a in attempts if a["message"].pk == sent_id), None)
        if sent is not None:
            outcome = describe_message(sent, tz=tz)
            if is_therapist and sent.kind == Message.Kind.CALL and sent.status != Message.Status.BLOCKED:
                outcome = dataclasses.replace(outcome, headline="Call booked. Confirm it below once the time "
                                                                "suits you both; your client is told either way.")
            if sent.status == Message.Status.BLOCKED:
                if sent.kind == Message.Kind.MESSAGE and compose is None:
                    compose = ComposeForm(is_therapist=is_therapist, tz=policy.tz,
                                          initial={"body": sent.body, "category": sent.category,
                                                   "channel": sent.channel})
                open_panel = open_panel or {"call": "call", "contact": "log"}.get(sent.kind, "")

    kwargs = {"is_therapist": is_therapist, "tz": policy.tz}
    compose = compose or ComposeForm(**kwargs)
    slots = None
    state = None
    if not is_therapist:
        state = client_state(client=viewer, thread=thread, consent=thread.consent,
                             current=lambda: current_version(thread.therapist_id), now=now, tz=tz)
        slots = open_call_slots(version=policy.version, therapist_id=thread.therapist_id,
                                minutes=policy.call_max_minutes or 15, at=now) if policy.governs else []
    call_form = call_form or CallBookForm(max_minutes=policy.call_max_minutes, channels=policy.call_channels,
                                          slots=slots, viewer_tz=tz, **kwargs)
    if is_therapist:
        log_form = log_form or ContactLogForm(**kwargs)
        care_form = care_form or CareEndForm(
            initial={"note": "Referrals:\n\n" + policy.crisis_resources}, **kwargs)
    calls = list(thread.calls.filter(Q(status__in=CallBooking.ACTIVE_STATUSES, end__gte=now)).order_by("start"))
    selectors.mark_read(thread, viewer)
    other = thread.client if is_therapist else thread.therapist
    context = {
        "thread": thread, "other": other, "is_therapist": is_therapist, "policy": policy, "state": state,
        # The state's next step, unless it is this very page ("Read your messages").
        "state_next_elsewhere": state is not None and state.next_url != request.path,
        "items": items, "attempts": attempts, "truncated": len(window) >= MAX_SHOWN,
        "version": _version_of(window), "zone_note": zone_note(tz),
        "compose": compose, "call_form": call_form, "log_form": log_form, "care_form": care_form,
        "slots_offered": slots is not None, "has_slots": bool(slots),
        "outcome": outcome, "open_panel": open_panel, **_compose_context(thread, policy, now, viewer),
        "calls": [{"call": c, "when": local_time(c.start, tz, named=False), "channel": channel_label(c.channel).lower(),
                   "status": call_status_label(c.status)} for c in calls],
    }
    return render(request, "messaging/thread.html", context, status=status)


def _compose_context(thread: Thread, policy: PolicyNow, now: datetime, viewer) -> dict:
    """What the compose box needs to say, while the sender types, what sending would do:
    the preview endpoint, the server's clock (the page words "it is 23:10 on Saturday" in
    the policy's zone), the words from messaging.wording, and the crisis panel's honest
    words on when the therapist will read it."""
    windowed = [c for c in policy.categories if c.name not in ("emergency", "scheduled_call")]
    open_now = any(c.open_now for c in windowed)
    openings = [c for c in windowed if not c.open_now and c.next_opening]
    rules = policy.version.rules if policy.version is not None else {}
    next_opening = _earliest_opening(openings, policy.tz)
    words = compose_words(response_hours={c.name: c.response_hours for c in policy.categories},
                          tz_name=policy.tz_name, for_therapist=thread.therapist_id == viewer.pk)
    return {
        "preview_url": reverse("api-preview", args=[thread.pk]),
        "server_now": now.isoformat(),
        # Base64, so that the page's text holds only what it shows: a reason's words in the
        # HTML mean that reason was shown (the tests and a reader's search rely on that).
        "compose_words": base64.b64encode(json.dumps(words, separators=(",", ":")).encode()).decode(),
        "crisis_watch": crisis_watch_text(open_now=open_now, next_opening=next_opening),
        "crisis_watch_sent": crisis_watch_text(open_now=open_now, next_opening=next_opening, sent=True),
        "crisis_pause": crisis_pause_text(rules.get("pause_after_crisis")),
        "words": PREVIEW_TEXT,
    }


def _earliest_opening(categories: list[CategoryNow], tz) -> str:
    """The first time any of the therapist's windows opens again, in words."""
    times = [c.next_opening_at for c in categories if c.next_opening_at is not None]
    return local_time(min(times), tz) if times else ""


@login_required
def index(request: HttpRequest) -> HttpResponse:
    return redirect("home")


@never_cache
@login_required
@require_GET
def thread(request: HttpRequest, pk: int) -> HttpResponse:
    thread = selectors.thread_for(request.user, pk)
    services.thread_viewed(thread=thread, viewer=request.user)
    return _render_thread(request, thread)


def _after_send(thread: Thread, result) -> HttpResponse:
    """Post/redirect/get: the thread page shows the outcome of the stored contact."""
    url = reverse("messaging:thread", args=[thread.pk])
    return redirect(f"{url}?sent={result.message.pk}#outcome")


@login_required
@require_POST
def send(request: HttpRequest, pk: int) -> HttpResponse:
    thread = selectors.thread_for(request.user, pk)
    policy = _policy_now(thread, timezone.now(), viewer_zone(request.user))
    is_therapist = thread.therapist_id == request.user.pk
    form = ComposeForm(request.POST, is_therapist=is_therapist, tz=policy.tz)
    if form.is_valid():
        data = form.cleaned_data
        try:
            # No category: the service decides under what the body reads as.
            result = services.message_send(sender=request.user, thread=thread, category=data["category"],
                                           channel=form.channel_value(), body=data["body"],
                                           override_reason=form.override_reason() if is_therapist else None)
        except DomainError as exc:
            if exc.field == "category" and data["category"] is None:
                # Sent without a category and the text says nothing the portal can read.
                form.add_error("category", CATEGORY_NEEDED)
            else:
                _form_error(form, exc)
        else:
            # A refused message redirects too: the page reads it back and puts its text in the box.
            return _after_send(thread, result)
    return _render_thread(request, thread, policy=policy, compose=form, status=400)


@login_required
@require_POST
def cancel(request: HttpRequest, pk: int, mid: int) -> HttpResponse:
    thread = selectors.thread_for(request.user, pk)
    # Only the sender can cancel: anybody else's message is not found.
    message = get_object_or_404(Message, pk=mid, thread=thread, sender=request.user)
    try:
        services.message_cancel(sender=request.user, message=message)
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
    selectors.mark_read(thread, request.user)
    return JsonResponse({"unread": _unread_total(request.user)})


# --- calls ------------------------------------------------------------------------------------

@login_required
@require_POST
def call_book(request: HttpRequest, pk: int) -> HttpResponse:
    thread = selectors.thread_for(request.user, pk)
    policy = _policy_now(thread, timezone.now(), viewer_zone(request.user))
    is_therapist = thread.therapist_id == request.user.pk
    # A client picks one of the open slots (the same list the page offered); a therapist may
    # type any time (and override).
    slots = None if is_therapist else open_call_slots(
        version=policy.version, therapist_id=thread.therapist_id, minutes=policy.call_max_minutes or 15)
    form = CallBookForm(request.POST, is_therapist=is_therapist, tz=policy.tz, max_minutes=policy.call_max_minutes,
                        channels=policy.call_channels, slots=slots, viewer_tz=viewer_zone(request.user))
    if form.is_valid():
        data = form.cleaned_data
        try:
            result = services.call_request(sender=request.user, thread=thread, start=data["start"],
                                           minutes=data["minutes"], channel=data["channel"],
                                           override_reason=form.override_reason() if is_therapist else None)
        except DomainError as exc:
            _form_error(form, exc)
        else:
            return _after_send(thread, result)
    return _render_thread(request, thread, policy=policy, call_form=form, open_panel="call", status=400)


def _call_action(request: HttpRequest, pk: int, call_pk: int, action, done: str) -> HttpResponse:
    thread = _own_thread_as_therapist(request, pk)
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
    return _call_action(request, pk, call_pk, services.call_confirm, "Call confirmed. Your client has been told.")


@login_required
@require_POST
def call_decline(request: HttpRequest, pk: int, call_pk: int) -> HttpResponse:
    return _call_action(request, pk, call_pk, services.call_decline, "Call declined. Your client has been told.")


# --- therapist actions on a thread -----------------------------------------------------------

@login_required
@require_POST
def contact_log(request: HttpRequest, pk: int) -> HttpResponse:
    thread = _own_thread_as_therapist(request, pk)
    policy = _policy_now(thread, timezone.now(), viewer_zone(request.user))
    form = ContactLogForm(request.POST, is_therapist=True, tz=policy.tz)
    if form.is_valid():
        data = form.cleaned_data
        try:
            result = services.contact_log(therapist=request.user, thread=thread, category=data["category"],
                                          channel=data["channel"], at=data["at"], note=data["note"],
                                          minutes=data["minutes"], override_reason=form.override_reason())
        except DomainError as exc:
            _form_error(form, exc)
        else:
            # The attempt is recorded for audit and listed with the attempts; the page says why.
            return _after_send(thread, result)
    return _render_thread(request, thread, policy=policy, log_form=form, open_panel="log", status=400)


@login_required
@require_POST
def care_end(request: HttpRequest, pk: int) -> HttpResponse:
    thread = _own_thread_as_therapist(request, pk)
    policy = _policy_now(thread, timezone.now(), viewer_zone(request.user))
    form = CareEndForm(request.POST, is_therapist=True, tz=policy.tz)
    if form.is_valid():
        try:
            services.care_end(therapist=request.user, thread=thread, note=form.cleaned_data["note"])
        except DomainError as exc:
            _form_error(form, exc)
        else:
            flash.success(request, "Care ended. Your client can read your closing note; "
                                   "new contact on this thread is refused until you reopen it.")
            return redirect("messaging:thread", pk=thread.pk)
    return _render_thread(request, thread, policy=policy, care_form=form, open_panel="care", status=400)


@login_required
@require_POST
def care_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    thread = _own_thread_as_therapist(request, pk)
    try:
        services.care_reopen(therapist=request.user, thread=thread)
    except DomainError as exc:
        flash.error(request, exc.message)
    else:
        flash.success(request, "Care reopened: contact follows the policy again.")
    return redirect("messaging:thread", pk=thread.pk)


@login_required
@require_POST
def alert_ack(request: HttpRequest, alert_pk: int) -> HttpResponse:
    _therapist_only(request)
    alert = get_object_or_404(CrisisAlert, pk=alert_pk, therapist=request.user)
    try:
        services.crisis_alert_acknowledge(therapist=request.user, alert=alert)
    except DomainError as exc:
        flash.error(request, exc.message)
    else:
        flash.success(request, f"Crisis alert for {alert.thread.client.full_name} acknowledged.")
    return redirect("messaging:therapist_home")


# --- dashboards -------------------------------------------------------------------------------

def _unread_total(user) -> int:
    return int(selectors.unread_count(user))


def _unread_by_thread(user, threads: list[Thread]) -> dict[int, int]:
    """Unread messages per thread, counted as selectors.unread_count counts them."""
    if not threads:
        return {}
    rows = (Message.objects.filter(selectors.unread_filter(user), thread__in=[t.pk for t in threads])
            .values("thread_id").annotate(n=Count("id")))
    return {row["thread_id"]: row["n"] for row in rows}


def _alert_context(therapist) -> dict:
    alerts = list(CrisisAlert.objects.filter(therapist=therapist, acknowledged_at__isnull=True)
                  .select_related("thread__client").order_by("raised_at"))
    tz = ZoneInfo(therapist.timezone or "UTC")
    items = [{"alert": a, "when": local_time(a.raised_at, tz, named=False)} for a in alerts]
    return {"alerts": items,
            "alerts_version": hashlib.sha256(",".join(str(a.pk) for a in alerts).encode()).hexdigest()[:16]}


_CONSENT_WORDS = {
    "active": "Consent active",
    "grace": "Re-consent needed (the earlier consent still applies for now)",
    "superseded": "Re-consent needed (messaging is paused)",
    "revoked": "Consent withdrawn",
    "none": "Not signed yet",
}


def _consent_state(consent, at) -> str:
    return "none" if consent is None else consent.snapshot_state(at)


@never_cache
@login_required
@require_GET
def therapist_home(request: HttpRequest) -> HttpResponse:
    _therapist_only(request)
    user = request.user
    now = timezone.now()
    tz = ZoneInfo(user.timezone or "UTC")
    threads = list(selectors.threads_for(user))
    unread = _unread_by_thread(user, threads)
    latest: dict[int, Consent] = {}
    for consent in Consent.objects.filter(client_id__in=[t.client_id for t in threads]).order_by(
            "client_id", "-signed_at", "-id"):
        latest.setdefault(consent.client_id, consent)
    rows = []
    for t in threads:
        consent = latest.get(t.client_id)
        state = _consent_state(consent, now)
        rows.append({"thread": t, "client": t.client, "unread": unread.get(t.pk, 0),
                     "consent_state": state, "consent_text": _CONSENT_WORDS.get(state, state),
                     "care_ended": t.care_ended})
    held = [{"message": m, "client": m.thread.client, "until": local_time(m.deliver_at, tz, named=False),
             "category": category_label(m.category)}
            for m in Message.objects.filter(thread__therapist=user, sender=user, status=Message.Status.HELD)
            .select_related("thread__client").order_by("deliver_at")]
    to_confirm = [{"call": c, "client": c.thread.client, "when": local_time(c.start, tz, named=False)}
                  for c in CallBooking.objects.filter(therapist=user, status=CallBooking.Status.BOOKED, end__gte=now)
                  .select_related("thread__client").order_by("start")]
    # Every unread notice, so the list agrees with the navigation's badge (capped for safety).
    notices = list(user.notifications.filter(read_at__isnull=True).order_by("-created_at")[:MAX_NOTICES])
    context = {
        "rows": rows, "held": held, "to_confirm": to_confirm, "tz_name": tz.key, "zone_note": zone_note(tz),
        "notices": [{"notice": n, "when": local_time(n.created_at, tz, named=False)} for n in notices],
        "unread_total": sum(unread.values()),
        **_alert_context(user),
    }
    return render(request, "messaging/therapist_home.html", context)


@never_cache
@login_required
@require_GET
def client_home(request: HttpRequest) -> HttpResponse:
    _client_only(request)
    user = request.user
    now = timezone.now()
    thread = Thread.objects.filter(client=user).select_related("therapist").first()
    consent = latest_consent(user.pk)
    current = current_version(user.therapist_id)
    tz = viewer_zone(user)
    state = client_state(client=user, thread=thread, consent=consent, current=current, now=now, tz=tz)
    calls = []
    if thread is not None:
        calls = [{"call": c, "when": local_time(c.start, tz, named=False), "status": call_status_label(c.status),
                  "channel": channel_label(c.channel)}
                 for c in thread.calls.filter(status__in=CallBooking.ACTIVE_STATUSES, end__gte=now).order_by("start")]
    held = list(Message.objects.filter(thread__client=user, sender=user, status=Message.Status.HELD)
                .order_by("deliver_at")) if thread is not None else []
    unread = _unread_by_thread(user, [thread] if thread else [])
    notices = [{"notice": n, "when": local_time(n.created_at, tz, named=False)}
               for n in user.notifications.filter(read_at__isnull=True).order_by("-created_at")[:MAX_NOTICES]]
    context = {
        "thread": thread, "therapist": user.therapist, "consent": consent, "state": state,
        "calls": calls, "unread": unread.get(thread.pk, 0) if thread else 0, "notices": notices,
        "held": [{"message": m, "until": local_time(m.deliver_at, tz, named=False),
                  "category": category_label(m.category)} for m in held],
        "zone_note": zone_note(tz), "export_url": "/api/v1/me/export",
        "thread_url": reverse("messaging:thread", args=[thread.pk]) if thread is not None else "",
    }
    return render(request, "messaging/client_home.html", context)


def _from_iso(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


@never_cache
@login_required
@require_GET
def client_record_page(request: HttpRequest) -> HttpResponse:
    """The client's record as a page to read, print or save as PDF: the same record the
    JSON export gives (policies.export.client_record, audited the same way), in words and
    in the client's own time zone."""
    from policies.export import client_record

    _client_only(request)
    tz = viewer_zone(request.user)
    data = client_record(request.user)
    when = lambda v: local_time(_from_iso(v), tz, named=False)  # noqa: E731
    consents = [{**c, "status_text": consent_status_label(c["status"]), "signed": when(c["signed_at"]),
                 "revoked": when(c["revoked_at"]), "channels_text": channels_text(c["channels"]),
                 "fingerprint": fingerprint(c["content_sha256"])} for c in data["consents"]]
    messages = [{**m, "when": when(m["created_at"]), "who": "You" if m["sender"] == "client" else (
                     request.user.therapist.full_name if m["sender"] == "therapist" else "Automatic reply"),
                 "category_text": category_label(m["category"]) if m["category"] else "",
                 "channel_text": channel_label(m["channel"]) if m["channel"] else "",
                 "status_text": outcome_label(m["status"])} for m in data["messages"]]
    calls = [{**c, "when": when(c["start"]), "channel_text": channel_label(c["channel"]),
              "status_text": call_status_label(c["status"])} for c in data["calls"]]
    return render(request, "messaging/record.html", {
        "person": data["client"], "consents": consents, "messages": messages, "calls": calls,
        "zone_note": zone_note(tz), "printed": local_time(timezone.now(), tz, named=False)})


# --- polling ------------------------------------------------------------------------------------

def _partial(request: HttpRequest, template: str, context: dict) -> str:
    """A fragment for the poll answer. Rendered without the request so that no context
    processor runs (one query each, per fragment); the forms in it get the CSRF token."""
    return render_to_string(template, {**context, "csrf_token": get_token(request)})


POLL_WINDOW_SECONDS = 3600  # how long the poll remembers what it sent at a version (ids and states only)


def _poll_key(viewer, thread_id: int, version: str) -> str:
    # Per viewer and thread: what one person was sent is never another's answer.
    return f"poll:{viewer.pk}:{thread_id}:{version}"


def _remember_window(viewer, thread_id: int, version: str, window) -> None:
    """What the page holds at `version` (ids and states: no body, nothing of health), so a
    later poll from it sends only the messages that are new or changed."""
    from django.core.cache import cache

    try:
        cache.set(_poll_key(viewer, thread_id, version), [[mid, f"{st}:{cs or ''}"] for mid, st, cs in window],
                  POLL_WINDOW_SECONDS)
    except Exception:  # noqa: BLE001, S110 - the cache (Redis) is down: later polls send the whole window
        pass


def _window_at(viewer, thread_id: int, version: str | None) -> dict[int, str] | None:
    from django.core.cache import cache

    if not version:
        return None
    try:
        rows = cache.get(_poll_key(viewer, thread_id, version))
    except Exception:  # noqa: BLE001 - the cache (Redis) is down: send the whole window, as without a version
        return None
    return None if rows is None else {mid: state for mid, state in rows}


def _poll_thread(user, thread_id: int) -> Thread:
    """The caller's thread, or 404 (scoped as selectors.thread_for); only its ids: the answer
    that nothing changed needs nothing else."""
    from django.http import Http404

    thread = selectors.threads_for(user).select_related(None).only("id", "therapist_id", "client_id").filter(
        pk=thread_id).first()
    if thread is None:
        raise Http404("No such thread.")
    return thread


def _poll_unread(user, thread_id: int | None) -> dict[str, Any]:
    """Unread counts as the pages show them (selectors.unread_count and per thread), in one
    statement: the total is the sum over the caller's threads."""
    rows = (Message.objects.filter(selectors.unread_filter(user),
                                   thread__in=selectors.threads_for(user).select_related(None).values("pk"))
            .values("thread_id").annotate(n=Count("id")).order_by())
    per_thread = {row["thread_id"]: row["n"] for row in rows}
    shown = per_thread if thread_id is None else {k: v for k, v in per_thread.items() if k == thread_id}
    return {"total": sum(per_thread.values()),
            "threads": {str(k): v for k, v in shown.items()}}


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
        return JsonResponse({"detail": "Your session has ended. Reload the page to log in again."}, status=401)
    data: dict[str, Any] = {}
    thread_id = None
    raw_thread = request.GET.get("thread")
    if raw_thread:
        thread_id = parse_id(raw_thread)
        if thread_id is None:
            return JsonResponse({"thread": ["Must be a thread id."]}, status=400)
        thread = _poll_thread(user, thread_id)
        window = _window(thread, user)
        version = _version_of(window)
        data["version"] = version
        given = request.GET.get("version")
        if given != version:
            before = _window_at(user, thread.pk, given)
            _remember_window(user, thread.pk, version, window)
            if before is not None:
                changed = [mid for mid, st, cs in window if before.get(mid) != f"{st}:{cs or ''}"]
                data["ids"] = [mid for mid, _st, _cs in window]
            else:
                changed = [mid for mid, _st, _cs in window]
            thread = selectors.thread_for(user, thread.pk)  # names for the messages drawn
            tz = viewer_zone(user)
            shown = _messages_in(thread, user, [(mid, None, None) for mid in changed]) if changed else []
            data["messages"] = [
                {"id": item.message.pk, "status": item.message.status, "state": item.state,
                 "html": _partial(request, "messaging/_message.html", {"item": item, "thread": thread})}
                for item in (_message_view(m, viewer=user, thread=thread, tz=tz) for m in shown)
            ]
    data["unread"] = _poll_unread(user, thread_id)
    if user.is_therapist and not user.is_client and request.GET.get("alerts"):
        ctx = _alert_context(user)
        data["alerts_version"] = ctx["alerts_version"]
        if request.GET.get("alerts_version") != ctx["alerts_version"]:
            data["alerts_html"] = _partial(request, "messaging/_crisis_banner.html", ctx)
    return JsonResponse(data)
