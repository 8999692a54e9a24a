"""Inviting a client and the client accepting: the account and their thread are made here."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from audit.chain import record

from .crypto import decrypt, encrypt
from .errors import Conflict, Gone, NotFound
from .locks import lock_rows
from .models import Invitation, OutboxItem, Practice, TherapistInvitation, User, hash_token
from .notify import send_email
from .outbox import enqueue
from .security import issue_api_token
from .services import AccountInvalid, check_password

log = logging.getLogger(__name__)


def _practice(user: User) -> Practice:
    """The practice of the therapist or admin who invites: each has one (only a platform
    superuser has none, and no door lets one invite)."""
    if user.practice is None:
        raise AccountInvalid("This account belongs to no practice.")
    return user.practice


def _practice_id(user: User) -> int:
    """`_practice(user).pk` without reading the practice's row."""
    if user.practice_id is None:
        raise AccountInvalid("This account belongs to no practice.")
    return user.practice_id


def invitation_link(token: str) -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + reverse("invitation_accept", args=[token])


# The invitation e-mails go through the outbox, written in the invitation's transaction: the
# worker sends them (`portal.notifications`), and an SMTP failure leaves the row pending for
# the relay to retry. The link's token is never stored in the clear nor given to Celery: the
# outbox row holds it encrypted with the portal's keys (`portal.crypto`, as health data) until
# the e-mail has gone, then only the invitation's id (`invitation_email_send`).
INVITATION_EMAIL = "invitation.email"
THERAPIST_INVITATION_EMAIL = "therapist_invitation.email"


def _enqueue_invitation_email(task: str, inv: Invitation | TherapistInvitation, token: str) -> None:
    enqueue(task, invitation_id=inv.pk, sealed_token=encrypt(token))


def invitation_email_send(*, item: OutboxItem) -> bool:
    """Send the e-mail of one invitation's outbox row (its handler in `portal.notifications`);
    returns whether it was sent. Only a link: no clinical content, and the subject and sender
    reveal no therapy. Nothing is sent for an invitation accepted, cancelled or expired since,
    or whose link a resend has replaced (the resend's own row sends the new one). The sealed
    token is then wiped from the row, in the transaction that marks it done."""
    model = TherapistInvitation if item.task == THERAPIST_INVITATION_EMAIL else Invitation
    inv_id = item.payload["invitation_id"]
    sealed = item.payload.get("sealed_token")
    try:
        token = decrypt(sealed) if sealed else None
    except ValueError:  # sealed with a key retired since: no retry can send it; the therapist resends
        log.error("invitation e-mail of outbox row %s not sent: its link cannot be unsealed", item.pk)
        token = None
    inv = model.objects.filter(pk=inv_id).first()
    sent = bool(inv is not None and token and inv.token_hash == hash_token(token) and inv.status == "pending")
    if sent and isinstance(inv, TherapistInvitation):
        send_email(
            to=inv.email,
            template="therapist_invitation",
            context={
                "link": therapist_invitation_link(token or ""),
                "practice": inv.practice.name,
                "days": settings.PORTAL_INVITATION_DAYS,
            },
        )
    elif sent and inv is not None:
        send_email(to=inv.email, template="invitation", context={"link": invitation_link(token or "")})
    item.payload = {"invitation_id": inv_id}
    item.save(update_fields=["payload"])
    return sent


@transaction.atomic
def invitation_create(*, therapist: User, email: str, full_name: str) -> tuple[Invitation, str]:
    """Returns the invitation and its one-time token (only its hash is stored).

    The e-mail goes through the outbox, written in this transaction (the token sealed in
    its row, never a task argument): a failing SMTP server is retried by the relay.
    """
    email = (email or "").strip().lower()
    if not (full_name or "").strip():
        raise AccountInvalid("Enter the client's full name.", field="full_name")
    if User.objects.filter(email__iexact=email).exists():
        raise AccountInvalid("Someone already has an account with this e-mail.", field="email")
    practice_id = _practice_id(therapist)
    token, token_hash = Invitation.new_token()
    inv = Invitation.objects.create(
        practice_id=practice_id,
        therapist=therapist,
        email=email,
        full_name=full_name.strip(),
        token_hash=token_hash,
        expires_at=Invitation.default_expiry(),
    )
    record(
        practice_id=practice_id,
        action="invitation.created",
        actor=therapist,
        therapist_id=therapist.pk,
        obj=inv,
    )
    _enqueue_invitation_email(INVITATION_EMAIL, inv, token)
    return inv, token


@transaction.atomic
def invitation_resend(*, invitation: Invitation, therapist: User) -> str:
    """A new link (the old one stops working) and a new 7-day expiry."""
    inv = lock_rows(Invitation.objects.all()).get(pk=invitation.pk, therapist=therapist)
    if inv.accepted_at or inv.cancelled_at:
        raise Conflict("This invitation was already accepted or cancelled.")
    token, inv.token_hash = Invitation.new_token()
    inv.expires_at = Invitation.default_expiry()
    inv.save(update_fields=["token_hash", "expires_at"])
    record(
        practice_id=inv.practice_id,
        action="invitation.resent",
        actor=therapist,
        therapist_id=therapist.pk,
        obj=inv,
    )
    _enqueue_invitation_email(INVITATION_EMAIL, inv, token)
    return token


@transaction.atomic
def invitation_cancel(*, invitation: Invitation, therapist: User) -> Invitation:
    inv = lock_rows(Invitation.objects.all()).get(pk=invitation.pk, therapist=therapist)
    if inv.accepted_at:
        raise Conflict("This invitation was already accepted.")
    if not inv.cancelled_at:
        inv.cancelled_at = timezone.now()
        inv.save(update_fields=["cancelled_at"])
        record(
            practice_id=inv.practice_id,
            action="invitation.cancelled",
            actor=therapist,
            therapist_id=therapist.pk,
            obj=inv,
        )
    return inv


def invitation_by_token(token: str) -> Invitation:
    inv = Invitation.objects.select_related("therapist").filter(token_hash=hash_token(token or "")).first()
    if inv is None:
        raise NotFound("This invitation link is not valid.")
    return inv


def check_invitation_usable(inv: Invitation) -> None:
    if inv.status != "pending":
        raise Gone("This invitation link was already used or has expired. Ask your therapist for a new one.")


@transaction.atomic
def invitation_accept(*, token: str, password: str):
    """Create the client account tied to the therapist, and their thread. Works once."""
    from messaging.models import Thread

    inv = invitation_by_token(token)
    # The invitation only: a lock with select_related would take the therapist's row too,
    # after the invitation's, against the order of portal.locks.
    inv = lock_rows(Invitation.objects.select_related("therapist").filter(pk=inv.pk)).get()
    check_invitation_usable(inv)
    probe = User(email=inv.email, full_name=inv.full_name)
    check_password(password, probe)
    if User.objects.filter(email__iexact=inv.email).exists():
        raise Conflict("An account with this e-mail already exists.")
    therapist = inv.therapist
    client = User.objects.create_user(
        inv.email,
        password,
        full_name=inv.full_name,
        practice_id=therapist.practice_id,
        therapist=therapist,
        timezone=therapist.timezone,
    )
    practice_id = _practice_id(therapist)
    thread = Thread.objects.create(practice_id=practice_id, therapist=therapist, client=client)
    inv.accepted_at, inv.client = timezone.now(), client
    inv.save(update_fields=["accepted_at", "client"])
    record(
        practice_id=practice_id,
        action="invitation.accepted",
        actor=client,
        therapist_id=therapist.pk,
        client_id=client.pk,
        obj=inv,
    )
    api_key, _ = issue_api_token(client)
    return client, thread, api_key


# --- Therapists, invited by a practice admin -----------------------------------------------------
# The same shape as a client's invitation: a one-time link by e-mail (only its hash stored), the
# therapist chooses their own password; the admin never types or sees it.


def therapist_invitation_link(token: str) -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + reverse("therapist_invitation_accept", args=[token])


def _check_no_pending_invitation(practice_id: int, email: str) -> None:
    pending = TherapistInvitation.objects.filter(
        email__iexact=email,
        accepted_at__isnull=True,
        cancelled_at__isnull=True,
        expires_at__gt=timezone.now(),
    )
    if pending.exists():
        raise AccountInvalid(
            "This e-mail already has an invitation waiting: send it again from the list instead.",
            field="email",
        )


@transaction.atomic
def therapist_invitation_create(
    *, admin: User, email: str, full_name: str, timezone: str, also_admin: bool = False
) -> tuple[TherapistInvitation, str]:
    """A practice admin invites a therapist by e-mail. Returns the invitation and its one-time
    token (only the hash is stored; the token goes into the e-mail after commit, never a task)."""
    from .services import check_email_free, check_timezone

    email = (email or "").strip().lower()
    full_name = (full_name or "").strip()
    if not full_name:
        raise AccountInvalid("Enter the therapist's full name.", field="full_name")
    check_timezone(timezone)
    check_email_free(email)
    practice = _practice(admin)
    _check_no_pending_invitation(practice.pk, email)
    token, token_hash = Invitation.new_token()
    inv = TherapistInvitation.objects.create(
        practice_id=practice.pk,
        invited_by=admin,
        email=email,
        full_name=full_name,
        timezone=timezone,
        also_admin=also_admin,
        token_hash=token_hash,
        expires_at=Invitation.default_expiry(),
    )
    record(
        practice_id=practice.pk,
        action="therapist_invitation.created",
        actor=admin,
        obj=inv,
        data={"also_admin": also_admin},
    )
    _enqueue_invitation_email(THERAPIST_INVITATION_EMAIL, inv, token)
    return inv, token


@transaction.atomic
def therapist_invitation_resend(*, invitation_id: int, admin: User) -> str:
    """A new link (the old one stops working) and a new expiry."""
    inv = lock_rows(
        TherapistInvitation.objects.filter(pk=invitation_id, practice_id=_practice_id(admin))
    ).first()
    if inv is None:
        raise NotFound("No such invitation.")
    if inv.accepted_at or inv.cancelled_at:
        raise Conflict("This invitation was already accepted or cancelled.")
    token, inv.token_hash = Invitation.new_token()
    inv.expires_at = Invitation.default_expiry()
    inv.save(update_fields=["token_hash", "expires_at"])
    record(practice_id=inv.practice_id, action="therapist_invitation.resent", actor=admin, obj=inv)
    _enqueue_invitation_email(THERAPIST_INVITATION_EMAIL, inv, token)
    return token


def therapist_invitation_by_token(token: str) -> TherapistInvitation:
    inv = (
        TherapistInvitation.objects.select_related("practice")
        .filter(token_hash=hash_token(token or ""))
        .first()
    )
    if inv is None:
        raise NotFound("This invitation link is not valid.")
    return inv


def check_therapist_invitation_usable(inv: TherapistInvitation) -> None:
    if inv.status != "pending":
        raise Gone(
            "This invitation link was already used or has expired. Ask your practice admin for a new one."
        )


@transaction.atomic
def therapist_invitation_accept(*, token: str, password: str) -> User:
    """Create the therapist's account in the inviting practice, with the password they chose. Works once."""
    inv = therapist_invitation_by_token(token)
    inv = lock_rows(TherapistInvitation.objects.filter(pk=inv.pk)).get()
    check_therapist_invitation_usable(inv)
    check_password(password, User(email=inv.email, full_name=inv.full_name))
    if User.objects.filter(email__iexact=inv.email).exists():
        raise Conflict("An account with this e-mail already exists.")
    therapist = User.objects.create_user(
        inv.email,
        password,
        full_name=inv.full_name,
        practice_id=inv.practice_id,
        is_therapist=True,
        is_practice_admin=inv.also_admin,
        timezone=inv.timezone,
    )
    inv.accepted_at, inv.therapist = timezone.now(), therapist
    inv.save(update_fields=["accepted_at", "therapist"])
    record(
        practice_id=inv.practice_id,
        action="account.created",
        actor=therapist,
        obj=therapist,
        therapist_id=therapist.pk,
        data={"role": "therapist", "invited": True},
    )
    record(
        practice_id=inv.practice_id,
        action="therapist_invitation.accepted",
        actor=therapist,
        obj=inv,
        therapist_id=therapist.pk,
    )
    return therapist


__all__ = [
    "invitation_create",
    "invitation_accept",
    "invitation_resend",
    "invitation_cancel",
    "therapist_invitation_create",
    "therapist_invitation_accept",
    "therapist_invitation_resend",
]
