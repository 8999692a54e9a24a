"""Two-factor pages: enrol an authenticator (recovery codes shown once), the login code
step, disabling; and the middleware that asks for the code, or for enrolment where the
practice requires it."""

from __future__ import annotations

import time

from crispy_forms.helper import FormHelper
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from . import two_factor

# Reachable before the second factor: the code step (and, where the practice requires it, the
# enrolment), logging out of this session, static files. The API is not exempt from the rule,
# only from the redirect: its session authentication refuses such a session (401).
# "Log out everywhere" is not exempt: a password alone must not end the owner's sessions.
EXEMPT_PREFIXES = ("/accounts/2fa/", "/static/", "/api/")
EXEMPT_PATHS = frozenset({"/accounts/logout/"})
STATE_KEY = "portal_two_factor_state"
CHECK_EVERY = 300  # seconds: a practice's new requirement reaches open sessions within 5 minutes


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code from your authenticator app (or a recovery code)",
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class TwoFactorMiddleware:
    """An enrolled account's session is not usable until its code is given; in a practice that
    requires two-factor login, a therapist or admin must enrol first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not user.is_verified()
            and not request.path.startswith(EXEMPT_PREFIXES)
            and request.path not in EXEMPT_PATHS
        ):
            enrolled, required = self._state(request, user)
            if enrolled:
                return redirect(f"{reverse('two_factor_verify')}?next={request.path}")
            if required:
                messages.info(
                    request, "Your practice requires two-factor login: set up your authenticator app."
                )
                return redirect("two_factor_enrol")
        return self.get_response(request)

    @staticmethod
    def _state(request, user) -> tuple[bool, bool]:
        """(enrolled, required), read from the database at most every CHECK_EVERY seconds per
        session: polls every 15 s must stay cheap. A verified session skips this entirely."""
        cached = request.session.get(STATE_KEY)
        now = int(time.time())
        polling = request.META.get("HTTP_X_PORTAL_POLL") == "1"
        # A poll never writes the session (it must not keep it alive): it uses what the page
        # that started it found, and the next page view refreshes it.
        if cached and (polling or now - cached[2] < CHECK_EVERY):
            return bool(cached[0]), bool(cached[1])
        state = (two_factor.is_enrolled(user), user.needs_two_factor)
        if not polling:
            request.session[STATE_KEY] = [state[0], state[1], now]
        return state


@login_required
def enrol(request):
    if not request.user.is_verified() and two_factor.is_enrolled(request.user):
        # A password alone must not add an authenticator to an enrolled account.
        return redirect(f"{reverse('two_factor_verify')}?next={reverse('two_factor_enrol')}")
    device = two_factor.pending_totp(request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = two_factor.confirm(request.user, device, form.cleaned_data["code"])
        if codes is None:
            form.add_error("code", "That code is not valid. Check the time on your phone and try again.")
        else:
            otp_login(request, device)
            return render(request, "portal/two_factor_codes.html", {"codes": codes})
    return render(
        request,
        "portal/two_factor_enrol.html",
        {"form": form, "qr": two_factor.qr_svg(device), "enrolled": two_factor.is_enrolled(request.user)},
    )


@login_required
def verify_code(request):
    form = CodeForm(request.POST or None)
    nxt = request.GET.get("next") or reverse("home")
    if not url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        nxt = reverse("home")
    if request.method == "POST" and form.is_valid():
        device = two_factor.verify(request.user, form.cleaned_data["code"])
        if device is None:
            form.add_error("code", "That code is not valid.")
        else:
            otp_login(request, device)
            return redirect(nxt)
    return render(request, "portal/two_factor_verify.html", {"form": form})


@login_required
@require_POST
def disable(request):
    form = CodeForm(request.POST)
    if form.is_valid() and two_factor.verify(request.user, form.cleaned_data["code"]):
        if request.user.needs_two_factor:
            messages.error(request, "Your practice requires two-factor login; it cannot be turned off.")
        else:
            two_factor.disable(request.user)
            messages.success(request, "Two-factor login is off.")
    else:
        messages.error(request, "Give a current code to turn two-factor login off.")
    return redirect("two_factor_enrol")
