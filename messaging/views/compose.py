"""The compose box's send (its live preview is the API's: messaging.api)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_POST

from portal.errors import DomainError
from portal.localtime import viewer_zone

from ..forms import ComposeForm
from ..policy_now import policy_now, selectors
from ..services import send as send_service
from ..wording import CATEGORY_NEEDED
from .common import after_send, form_error, signed_in
from .threads import render_thread


@login_required
@require_POST
def send(request: HttpRequest, pk: int) -> HttpResponse:
    thread = selectors.thread_for(request.user, pk)
    policy = policy_now(thread, timezone.now(), viewer_zone(request.user))
    is_therapist = thread.therapist_id == request.user.pk
    form = ComposeForm(request.POST, is_therapist=is_therapist, tz=viewer_zone(request.user))
    if form.is_valid():
        data = form.cleaned_data
        try:
            # No category: the service decides under what the body reads as.
            result = send_service.message_send(
                sender=signed_in(request),
                thread=thread,
                category=data["category"],
                channel=form.channel_value(),
                body=data["body"],
                override_reason=form.cleaned_override_reason() if is_therapist else None,
            )
        except DomainError as exc:
            if exc.field == "category" and data["category"] is None:
                # Sent without a category and the text says nothing the portal can read.
                form.add_error("category", CATEGORY_NEEDED)
            else:
                form_error(form, exc)
        else:
            # A refused message redirects too: the page reads it back and puts its text in the box.
            return after_send(thread, result)
    return render_thread(request, thread, policy=policy, compose=form, status=400)
