"""What every messaging view shares: who may do what, form errors, post/redirect/get.

Scoping starts from the caller (`thread_for` answers 404 for a thread that is not theirs);
therapist-only actions answer 403 to anyone else before any lookup, as the API checks role
before scope."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse

from portal import roles
from portal.errors import DomainError
from portal.localtime import viewer_zone
from portal.models import User

from .. import presenters, selectors
from ..models import Message, Thread


def signed_in(request: HttpRequest) -> User:
    """The user of a @login_required view (an anonymous one never gets this far)."""
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user


def therapist_only(request: HttpRequest) -> User:
    if not roles.is_thread_therapist(request.user):
        raise PermissionDenied
    return signed_in(request)


def client_only(request: HttpRequest) -> User:
    if not roles.is_client(request.user):
        raise PermissionDenied
    return signed_in(request)


def own_thread_as_therapist(request: HttpRequest, pk: int) -> Thread:
    """Role first (403), then scope (404): the order the API keeps too."""
    therapist_only(request)
    return selectors.thread_for(request.user, pk)


def form_error(form, exc: DomainError) -> None:
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)


def after_send(thread: Thread, result) -> HttpResponse:
    """Post/redirect/get: the thread page shows the outcome of the stored contact."""
    url = reverse("messaging:thread", args=[thread.pk])
    return redirect(f"{url}?sent={result.message.pk}#outcome")


def fragment(request: HttpRequest, template: str, context: dict) -> str:
    """A fragment for a script's JSON answer (the poll, earlier messages). Rendered without
    the request so that no context processor runs (one query each, per fragment); the forms
    in it get the CSRF token."""
    return render_to_string(template, {**context, "csrf_token": get_token(request)})


def message_fragments(request: HttpRequest, thread: Thread, messages: list[Message]) -> list[dict]:
    """Messages as the thread page's script inserts them: id, state (what the poll compares)
    and the list item's HTML."""
    viewer = request.user
    tz = viewer_zone(viewer)
    return [
        {
            "id": item.message.pk,
            "status": item.message.status,
            "state": item.state,
            "html": fragment(request, "messaging/_message.html", {"item": item, "thread": thread}),
        }
        for item in (presenters.message_view(m, viewer=viewer, thread=thread, tz=tz) for m in messages)
    ]
