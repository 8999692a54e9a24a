from __future__ import annotations

from functools import wraps
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone as dj_timezone
from django.views.decorators.http import require_POST

from . import roles, services, two_factor
from .errors import DomainError, NotFound
from .forms import TherapistInviteForm
from .models import User


def home(request):
    """Send each role to its own dashboard."""
    if not request.user.is_authenticated:
        return redirect("login")
    user = request.user
    if roles.is_client(user):
        return redirect("messaging:client_home")
    if roles.is_therapist(user):
        return redirect("messaging:therapist_home")
    if roles.is_practice_admin(user):
        return redirect("practice:dashboard")
    raise PermissionDenied


def role_required(test):
    """Log in first (302 to the login page), then the role (403): the order the API keeps too."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not test(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


admin_required = role_required(roles.is_practice_admin)
therapist_required = role_required(roles.is_therapist)
client_required = role_required(roles.is_client)


@admin_required
def therapists(request):
    """The practice admin lists therapists and invites new ones by e-mail (a link that works
    once and expires; the therapist chooses their own password)."""
    from . import onboarding
    from .models import TherapistInvitation

    form = TherapistInviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            inv, _token = onboarding.therapist_invitation_create(admin=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(
                request,
                f"Invitation sent to {inv.email}. {inv.full_name} chooses a password "
                "from the link, which works once.",
            )
            return redirect("practice:therapists")
    people = User.objects.filter(practice_id=request.user.practice_id, is_therapist=True).order_by(
        "full_name"
    )
    invitations = list(
        TherapistInvitation.objects.filter(
            practice_id=request.user.practice_id, accepted_at__isnull=True, cancelled_at__isnull=True
        ).order_by("-created_at")[:100]
    )
    tz = _zone_of(request.user)
    with dj_timezone.override(tz):
        return render(
            request,
            "portal/therapists.html",
            {"form": form, "therapists": people, "invitations": invitations, "tz_name": tz.key},
            status=400 if request.method == "POST" else 200,
        )


def _zone_of(user) -> ZoneInfo:
    try:
        return ZoneInfo(user.timezone or "UTC")
    except (ValueError, KeyError):
        return ZoneInfo("UTC")


@admin_required
@require_POST
def therapist_invitation_resend(request, pk: int):
    from . import onboarding

    try:
        onboarding.therapist_invitation_resend(invitation_id=pk, admin=request.user)
    except NotFound:
        raise Http404 from None
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "A new link was sent; the old one no longer works.")
    return redirect("practice:therapists")


@admin_required
@require_POST
def practice_security(request):
    """The practice admin requires (or stops requiring) two-factor login for staff."""
    practice = request.user.practice
    required = request.POST.get("require_two_factor") == "on"
    try:
        services.practice_two_factor_set(
            practice=practice,
            admin=request.user,
            required=required,
            admin_enrolled=two_factor.is_enrolled(request.user) and request.user.is_verified(),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            "Two-factor login is now "
            + ("required" if required else "optional")
            + " for therapists and admins.",
        )
    return redirect("practice:therapists")
