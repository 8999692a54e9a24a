from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from .errors import DomainError
from .forms import TherapistCreateForm
from .models import User
from . import services, two_factor


def home(request):
    """Send each role to its own dashboard."""
    if not request.user.is_authenticated:
        return redirect("login")
    user = request.user
    if user.is_client:
        return redirect("messaging:client_home")
    if user.is_therapist:
        return redirect("messaging:therapist_home")
    if user.is_practice_admin:
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


admin_required = role_required(lambda u: u.is_practice_admin and u.practice_id)
therapist_required = role_required(lambda u: u.is_therapist and u.practice_id)
client_required = role_required(lambda u: u.is_client)


@admin_required
def therapists(request):
    """The practice admin lists and adds therapist accounts."""
    form = TherapistCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            t = services.therapist_create(admin=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, f"{t.full_name} can now log in as a therapist.")
            return redirect("practice:therapists")
    people = User.objects.filter(practice_id=request.user.practice_id, is_therapist=True).order_by("full_name")
    return render(request, "portal/therapists.html", {"form": form, "therapists": people})


@admin_required
@require_POST
def practice_security(request):
    """The practice admin requires (or stops requiring) two-factor login for staff."""
    practice = request.user.practice
    required = request.POST.get("require_two_factor") == "on"
    try:
        services.practice_two_factor_set(practice=practice, admin=request.user, required=required,
                                         admin_enrolled=two_factor.is_enrolled(request.user)
                                         and request.user.is_verified())
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Two-factor login is now " + ("required" if required else "optional")
                         + " for therapists and admins.")
    return redirect("practice:therapists")
