"""Consent in the browser: the client signs, keeps a receipt, revokes; the therapist invites
and sees each client's consent state."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from policies.diff import text_diff
from policies.selectors import allowed_channels, current_version
from policies.text import parse_sections
from portal import onboarding, roles
from portal.errors import DomainError
from portal.localtime import local_time, viewer_zone, zone_note
from portal.models import Invitation
from portal.notify import notices_seen
from portal.security import client_ip
from portal.views import client_required, therapist_required

from . import services
from .forms import ConsentForm, InviteForm, RevokeForm
from .models import Consent
from .selectors import clients_with_consent, latest_consent, pending_at_withdrawal, visible_consent
from .wording import consent_status_label


@client_required
def sign(request):
    """Read the current policy section by section, acknowledge each, choose channels, sign."""
    notices_seen(user=request.user, view_name="consent:sign")
    version = current_version(request.user.therapist_id)
    if version is None:
        return render(request, "consent/none.html")
    previous = latest_consent(request.user.pk)
    changes = None
    if previous is not None and previous.policy_version_id != version.pk:
        changes = text_diff(previous.policy_version.text, version.text)
    sections = parse_sections(version.text)
    form = ConsentForm(
        request.POST or None,
        sections=sections,
        channels=allowed_channels(version.rules),
        initial={"policy_version_id": version.pk, "content_sha256": version.content_sha256},
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            d = form.cleaned_data
            try:
                consent = services.consent_sign(
                    client=request.user,
                    policy_version_id=d["policy_version_id"],
                    content_sha256=d["content_sha256"],
                    signature=d["signature"],
                    channels=d["channels"],
                    acknowledged=d["acknowledged"],
                    ip_address=client_ip(request),
                    user_agent=request.META.get("HTTP_USER_AGENT", ""),
                )
            except services.StaleVersion as exc:
                messages.warning(request, exc.message)
                return redirect("consent:sign")
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, "Thank you. Your consent is recorded; here is your receipt.")
                return redirect("consent:receipt", consent.pk)
    return render(
        request,
        "consent/sign.html",
        {"version": version, "form": form, "changes": changes, "previous": previous},
        status=status,
    )


def _visible_consent(user, pk: int) -> Consent:
    consent = visible_consent(user, pk)
    if consent is None:
        raise Http404
    return consent


@login_required
def receipt(request, pk: int):
    """A printable receipt: who, what version, its hash, when, which channels."""
    consent = _visible_consent(request.user, pk)
    tz = viewer_zone(request.user)
    return render(
        request,
        "consent/receipt.html",
        {
            "consent": consent,
            "is_client": roles.is_client(request.user),
            "zone_note": zone_note(tz),
            "sections": parse_sections(consent.policy_version.text),
            "signed_at": local_time(consent.signed_at, tz, named=False),
            "revoked_at": local_time(consent.revoked_at, tz, named=False) if consent.revoked_at else "",
        },
    )


@client_required
def revoke(request, pk: int):
    """Withdrawing consent, as a confirm step: GET says what will happen (held messages
    cancelled, booked calls declined, only crisis messages get through), POST does it."""
    consent = _visible_consent(request.user, pk)
    if consent.status == Consent.Status.REVOKED:
        messages.info(request, "This consent is already withdrawn.")
        return redirect("consent:receipt", pk)
    form = RevokeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_revoke(consent=consent, client=request.user, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("consent:receipt", pk)
        messages.success(
            request,
            "Your consent is withdrawn. Held messages were cancelled and booked calls "
            "declined. Crisis messages still reach your therapist. You can sign again at any time.",
        )
        return redirect("home")
    held, calls = pending_at_withdrawal(request.user, timezone.now())
    return render(
        request, "consent/revoke.html", {"consent": consent, "form": form, "held": held, "calls": calls}
    )


@therapist_required
def clients(request):
    """The therapist's clients at a glance (consent state and version) and their invitations."""
    notices_seen(user=request.user, view_name="consent:clients")
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            onboarding.invitation_create(therapist=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, f"Invitation sent to {form.cleaned_data['email']}.")
            return redirect("consent:clients")
    now = timezone.now()
    tz = viewer_zone(request.user)
    rows = []
    # Each client's thread (messaging's; consent names it through the client) with its consent.
    for client in clients_with_consent(request.user):
        t = client.thread
        c = t.consent
        state = "none" if c is None else c.status
        grace_until = c.grace_until if c is not None and c.governs_at(now) and state == "superseded" else None
        rows.append(
            {
                "thread": t,
                "client": client,
                "state": state,
                "state_text": consent_status_label(state) if state != "none" else "Not signed yet",
                "version": c.policy_version.version if c else None,
                "grace_until": grace_until,
                "grace_until_text": local_time(grace_until, tz, named=False) if grace_until else "",
                "needs_reconsent": state == "superseded",
            }
        )
    invitations = (
        Invitation.objects.for_therapist(request.user)
        .filter(accepted_at__isnull=True)
        .order_by("-created_at")
    )
    return render(
        request,
        "consent/clients.html",
        {
            "rows": rows,
            "invitations": invitations,
            "form": form,
            "current": current_version(request.user.pk),
            "zone_note": zone_note(tz),
        },
    )


def _own_invitation(request, pk: int) -> Invitation:
    inv = Invitation.objects.for_therapist(request.user).filter(pk=pk).first()
    if inv is None:
        raise Http404
    return inv


@therapist_required
@require_POST
def invitation_resend(request, pk: int):
    try:
        onboarding.invitation_resend(invitation=_own_invitation(request, pk), therapist=request.user)
        messages.success(request, "A new link was sent; the old one no longer works.")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("consent:clients")


@therapist_required
@require_POST
def invitation_cancel(request, pk: int):
    try:
        onboarding.invitation_cancel(invitation=_own_invitation(request, pk), therapist=request.user)
        messages.success(request, "Invitation cancelled.")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("consent:clients")
