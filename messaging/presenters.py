"""Presenters: the data of messaging shaped for its templates (words, local times, one
banner per state). Read only: the queries they need are in messaging.selectors, the
decisions in policies and messaging.services; nothing here writes."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.urls import reverse

from policies.reader import read
from policies.vocabulary import category_label, channel_label
from policies.wording import reading_notes
from portal.localtime import local_time, viewer_zone, zone_name

from . import selectors
from .models import Message, Thread
from .policy_now import CategoryNow, PolicyNow
from .wording import (
    PREVIEW_TEXT,
    call_status_label,
    compose_words,
    crisis_pause_text,
    crisis_watch_text,
    describe_message,
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
    crisis_only = (
        "Only crisis messages get through now: they reach your therapist at once. Anything else "
        "you write is not delivered."
    )
    if thread is not None and thread.care_ended:
        return ClientState(
            "care_ended",
            "secondary",
            "Your therapist has ended care.",
            f"Care ended {local_time(thread.care_ended_at, tz, named=False)}. You can still read your messages and "
            "your therapist's closing note; new messages are not accepted.",
            "Read your messages",
            thread_url,
            crisis_only,
            False,
        )
    state = "none" if consent is None else consent.snapshot_state(now)
    if state in ("none", "revoked") and (current() if callable(current) else current) is None:
        return ClientState(
            "no_policy",
            "info",
            "Your therapist has not published a contact policy yet.",
            "There is nothing to sign yet; you will get a notice when there is.",
            "",
            "",
            crisis_only,
            False,
        )
    if state == "none":
        return ClientState(
            "none",
            "warning",
            "You have not signed your therapist's contact policy yet.",
            "It says when and how you can reach your therapist. Until you sign it, messages "
            "cannot be exchanged.",
            "Read and sign the contact policy",
            sign_url,
            crisis_only,
            False,
        )
    signed = local_time(consent.signed_at, tz, named=False)
    if state == "revoked":
        return ClientState(
            "revoked",
            "warning",
            "You withdrew your consent.",
            f"Withdrawn {local_time(consent.revoked_at, tz, named=False)}. Messaging is paused: held "
            "messages were cancelled and booked calls declined. You can sign again at any time.",
            "Read and sign the contact policy again",
            sign_url,
            crisis_only,
            False,
        )
    if state == "grace":
        return ClientState(
            "grace",
            "info",
            "Your therapist updated the contact policy.",
            f"Your consent to version {consent.policy_version.version} still applies until "
            f"{local_time(consent.grace_until, tz, named=False)}. After that, messaging pauses "
            "until you sign the new version.",
            "Review the changes and sign",
            sign_url,
            "Your message follows the version you signed; the box below says what will happen.",
            True,
        )
    if state == "superseded":
        return ClientState(
            "superseded",
            "warning",
            "Your therapist updated the contact policy.",
            f"Your consent to version {consent.policy_version.version} no longer applies, so "
            "messaging is paused until you sign the new version.",
            "Review the changes and sign",
            sign_url,
            crisis_only,
            False,
        )
    return ClientState(
        "active",
        "success",
        "Your consent is active.",
        f"You signed it on {signed}.",
        "Open your messages",
        thread_url,
        "The box below says what will happen to your message before you send it.",
        True,
    )


CONSENT_WORDS = {
    "active": "Consent active",
    "grace": "Re-consent needed (the earlier consent still applies for now)",
    "superseded": "Re-consent needed (messaging is paused)",
    "revoked": "Consent withdrawn",
    "none": "Not signed yet",
}


def consent_state(consent, at) -> str:
    return "none" if consent is None else consent.snapshot_state(at)


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


def message_view(m: Message, *, viewer, thread: Thread, tz) -> MessageView:
    mine = m.sender_id == viewer.pk
    if m.kind == Message.Kind.AUTO_REPLY or m.sender_role == "system":
        who = "Automatic reply"
    elif mine:
        who = "You"
    else:
        who = thread.therapist.full_name if m.sender_role == "therapist" else thread.client.full_name
    kind_labels: dict[str, str] = {
        Message.Kind.MESSAGE: category_label(m.category) if m.category else "",
        Message.Kind.CALL: "Call request",
        Message.Kind.CONTACT: "Contact logged off the portal",
        Message.Kind.AUTO_REPLY: "",
        Message.Kind.CARE_NOTE: "Care note",
    }
    kind_label = kind_labels.get(m.kind, "")
    detail: list[str] = []
    if m.kind in (Message.Kind.MESSAGE, Message.Kind.CONTACT) and m.channel and m.channel != "portal":
        detail.append(f"By {channel_label(m.channel).lower()}.")
    if m.kind == Message.Kind.CONTACT and m.occurred_at:
        detail.append(
            f"Happened {local_time(m.occurred_at, tz, named=False)}"
            + (f", {m.minutes} minutes." if m.minutes else ".")
        )
    call = getattr(m, "call", None) if m.kind == Message.Kind.CALL else None
    if call is not None:
        detail.append(
            f"{local_time(call.start, tz, named=False)}, {call.minutes} minutes by "
            f"{channel_label(call.channel).lower()} ({call_status_label(call.status)})."
        )
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
    if (
        viewer.pk == thread.therapist_id
        and m.sender_role == "client"
        and m.kind == Message.Kind.MESSAGE
        and m.body
    ):
        # Recomputed from the body (the reader is pure), not stored: the crisis kind is health
        # data, and only the therapist's page shows it.
        reading = read(m.body)
        notes = reading_notes(reading, sent_as=m.category, reasons=m.reasons or ())
        crisis = reading.crisis
    css = {
        "held": "border-warning",
        "blocked": "border-danger",
        "cancelled": "border-secondary",
        "escalated": "border-danger",
        "delivered_with_exception": "border-warning",
    }.get(m.status, "")
    return MessageView(
        message=m,
        mine=mine,
        who=who,
        kind_label=kind_label,
        when=local_time(m.delivered_at or m.created_at, tz, named=False),
        status_text=status_text,
        detail=detail,
        crisis_resources=(m.crisis_resources or "").strip() if (mine or m.status == "escalated") else "",
        can_cancel=mine and m.status == Message.Status.HELD,
        css=css,
        state=state,
        iso=(m.delivered_at or m.created_at).replace(microsecond=0).isoformat(),
        reading=notes,
        crisis=crisis,
    )


def attempts(thread: Thread, viewer, tz) -> list[dict]:
    """The viewer's own refused attempts, newest first: kept in a list of their own, not in
    the conversation (the other side never sees them)."""
    out = []
    for m in selectors.refused_attempts(thread, viewer):
        words = describe_message(m, tz=tz)
        out.append(
            {
                "message": m,
                "when": local_time(m.created_at, tz, named=False),
                "reasons": words.reasons,
                "what": {"call": "Call request", "contact": "Logged contact"}.get(
                    m.kind, category_label(m.category) if m.category else "Message"
                ),
            }
        )
    return out


def version_of(window) -> str:
    """A short fingerprint of what the viewer sees: the poll answers only when it changes."""
    text = ";".join(f"{mid}:{status}:{call_status or ''}" for mid, status, call_status in window)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def sent_outcome(sent: Message, *, tz, is_therapist: bool):
    """The outcome of a contact just sent (post/redirect/get), as the thread page words it."""
    outcome = describe_message(sent, tz=tz)
    if is_therapist and sent.kind == Message.Kind.CALL and sent.status != Message.Status.BLOCKED:
        outcome = dataclasses.replace(
            outcome,
            headline="Call booked. Confirm it below once the time "
            "suits you both; your client is told either way.",
        )
    return outcome


def calls_shown(calls, tz) -> list[dict]:
    return [
        {
            "call": c,
            "when": local_time(c.start, tz, named=False),
            "channel": channel_label(c.channel).lower(),
            "status": call_status_label(c.status),
        }
        for c in calls
    ]


# --- the compose box -------------------------------------------------------------------------


def compose_context(thread: Thread, policy: PolicyNow, now: datetime, viewer) -> dict:
    """What the compose box needs to say, while the sender types, what sending would do:
    the preview endpoint, the server's clock (the page words "it is 23:10 on Saturday" in
    the viewer's zone), the words from messaging.wording, and the crisis panel's honest
    words on when the therapist will read it."""
    windowed = [c for c in policy.categories if c.name not in ("emergency", "scheduled_call")]
    open_now = any(c.open_now for c in windowed)
    openings = [c for c in windowed if not c.open_now and c.next_opening]
    rules = policy.version.rules if policy.version is not None else {}
    # The viewer's zone (their profile), as every time on the page: the crisis panel's next
    # opening and the script's "it is 23:10 on Saturday ... delivered on Monday at 09:00".
    view_tz = viewer_zone(viewer)
    next_opening = earliest_opening(openings, view_tz)
    words = compose_words(
        response_hours={c.name: c.response_hours for c in policy.categories},
        tz_name=zone_name(view_tz),
        for_therapist=thread.therapist_id == viewer.pk,
    )
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


def earliest_opening(categories: list[CategoryNow], tz) -> str:
    """The first time any of the therapist's windows opens again, in words."""
    times = [c.next_opening_at for c in categories if c.next_opening_at is not None]
    return local_time(min(times), tz) if times else ""


# --- dashboards ----------------------------------------------------------------------------------


def alert_context(therapist) -> dict:
    alerts = selectors.open_alerts(therapist)
    tz = ZoneInfo(therapist.timezone or "UTC")
    items = [{"alert": a, "when": local_time(a.raised_at, tz, named=False)} for a in alerts]
    return {
        "alerts": items,
        "alerts_version": hashlib.sha256(",".join(str(a.pk) for a in alerts).encode()).hexdigest()[:16],
    }


def notices_shown(notices, tz) -> list[dict]:
    return [{"notice": n, "when": local_time(n.created_at, tz, named=False)} for n in notices]


def held_shown(held, tz, *, with_client: bool) -> list[dict]:
    return [
        {
            "message": m,
            **({"client": m.thread.client} if with_client else {}),
            "until": local_time(m.deliver_at, tz, named=False),
            "category": category_label(m.category),
        }
        for m in held
    ]
