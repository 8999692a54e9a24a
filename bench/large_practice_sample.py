"""The large practice's realistic sample, through the services (bench.large_practice): the
practice, its therapists, their policies and published versions, invitations accepted and
consents signed, pending invitations, the other clients as those services leave them, and a few
hundred sends through the one send path."""

from __future__ import annotations

import contextlib
import copy
import random
from datetime import timedelta
from typing import cast

from .large_practice_data import (
    CLIENT_LINES,
    CLIENTS_PER_THERAPIST,
    CLIENTS_THROUGH_SERVICES,
    DAYS,
    PASSWORD,
    PENDING_INVITATIONS,
    RULES,
    SAMPLE_SENDS,
    THERAPIST_LINES,
    THERAPISTS,
    ZONES,
)


def _seed_sample() -> dict:
    from consent.services import consent_sign
    from policies.services import policy_draft_save, policy_publish
    from portal.models import User
    from portal.onboarding import invitation_accept, invitation_create
    from portal.services import practice_create, therapist_create

    admin = practice_create(
        name="Large group practice",
        admin_email="pages-admin@bench.test",
        admin_password=PASSWORD,
        admin_name="Pat Admin",
    )
    therapists: list[User] = []
    for i in range(THERAPISTS):
        therapists.append(
            therapist_create(
                admin=admin,
                email=f"t{i}@pages.bench",
                full_name=f"Dr Therapist {i:02d}",
                password=PASSWORD,
                timezone=ZONES[i % len(ZONES)],
            )
        )
    versions = {}
    for i, t in enumerate(therapists):
        rules = copy.deepcopy(RULES)
        rules["timezone"] = t.timezone
        # A few versions each for some, so the history page has a history.
        for n in range(1 + (i % 3)):
            categories = cast(dict[str, dict[str, object]], rules["categories"])  # RULES's shape, above
            categories["check_in"]["max_per_week"] = 50 + n
            v = policy_publish(version=policy_draft_save(therapist=t, rules=copy.deepcopy(rules)), actor=t)
        versions[t.pk] = v
    sample_clients = []
    for i, t in enumerate(therapists):
        for k in range(CLIENTS_THROUGH_SERVICES):
            n = i * CLIENTS_PER_THERAPIST + k
            name = f"Client {n:04d}"
            _, token = invitation_create(therapist=t, email=f"c{n}@pages.bench", full_name=name)
            client, _thread, _ = invitation_accept(token=token, password=PASSWORD)
            v = versions[t.pk]
            consent_sign(
                client=client,
                policy_version_id=v.pk,
                content_sha256=v.content_sha256,
                signature=name,
                channels=["portal", "phone", "email"],
                acknowledged=True,
                ip_address="10.0.0.1",
                user_agent="bench",
            )
            sample_clients.append(client.pk)
        for k in range(PENDING_INVITATIONS):
            invitation_create(therapist=t, email=f"pending{i}-{k}@pages.bench", full_name=f"Invited {i}-{k}")
    _bulk_clients(cast(int, admin.practice_id), therapists, versions)  # the practice's admin
    from messaging.models import Thread

    t0 = therapists[0]
    big = Thread.objects.get(client__email="c0@pages.bench")
    normal = Thread.objects.get(client__email="c1@pages.bench")
    return {
        "practice_id": admin.practice_id,
        "admin_id": admin.pk,
        "admin_email": admin.email,
        "therapist_id": t0.pk,
        "therapist_email": t0.email,
        "client_id": normal.client_id,
        "client_email": "c1@pages.bench",
        "big_thread_id": big.pk,
        "thread_id": normal.pk,
        "password": PASSWORD,
        "therapist_ids": [t.pk for t in therapists],
        "sample_client_ids": sample_clients,
    }


def _bulk_clients(practice_id: int, therapists, versions) -> None:
    """The other 1,800 clients, as invitation_accept and consent_sign leave them."""
    from django.utils import timezone

    from consent.models import Consent
    from messaging.models import Thread
    from portal.models import Invitation, User

    now = timezone.now()
    users, invitations = [], []
    for i, t in enumerate(therapists):
        for k in range(CLIENTS_THROUGH_SERVICES, CLIENTS_PER_THERAPIST):
            n = i * CLIENTS_PER_THERAPIST + k
            joined = now - timedelta(days=DAYS + 5, minutes=n)
            u = User(
                email=f"c{n}@pages.bench",
                full_name=f"Client {n:04d}",
                practice_id=practice_id,
                therapist=t,
                timezone=t.timezone,
                date_joined=joined,
                password="!bench-no-login",
            )
            users.append(u)
    User.objects.bulk_create(users, batch_size=1000)
    users = list(User.objects.filter(email__in=[u.email for u in users]).select_related("therapist"))
    for u in users:
        invitations.append(
            Invitation(
                practice_id=practice_id,
                therapist_id=cast(int, u.therapist_id),  # each created with its therapist above
                email=u.email,
                full_name=u.full_name,
                token_hash=Invitation.new_token()[1],
                created_at=u.date_joined - timedelta(days=1),
                expires_at=u.date_joined,
                accepted_at=u.date_joined,
                client=u,
            )
        )
    Invitation.objects.bulk_create(invitations, batch_size=1000)
    threads = Thread.objects.bulk_create(
        [
            Thread(
                practice_id=practice_id,
                therapist_id=cast(int, u.therapist_id),  # each created with its therapist above
                client=u,
                created_at=u.date_joined,
            )
            for u in users
        ],
        batch_size=1000,
    )
    consents = Consent.objects.bulk_create(
        [
            Consent(
                practice_id=practice_id,
                client=u,
                therapist_id=cast(int, u.therapist_id),  # each created with its therapist above
                policy_version=versions[u.therapist_id],
                content_sha256=versions[u.therapist_id].content_sha256,
                signed_name=u.full_name,
                channels=["portal", "phone", "email"],
                signed_at=versions[u.therapist_id].published_at or now,
                ip_address="10.0.0.2",
                user_agent="bench",
            )
            for u in users
        ],
        batch_size=1000,
    )
    for th, c in zip(threads, consents, strict=True):
        th.consent = c
    Thread.objects.bulk_update(threads, ["consent"], batch_size=1000)


def _sample_sends(meta: dict) -> None:
    """A few hundred sends through the one send path, now: whatever the policies decide."""
    from messaging.models import Thread
    from messaging.services.send import message_send
    from portal.errors import DomainError

    rnd = random.Random(16)
    threads = list(
        Thread.objects.filter(client_id__in=meta["sample_client_ids"]).select_related("client", "therapist")
    )
    for i in range(SAMPLE_SENDS):
        th = threads[i % len(threads)]
        as_client = rnd.random() < 0.6
        sender = th.client if as_client else th.therapist
        body = rnd.choice(CLIENT_LINES if as_client else THERAPIST_LINES)
        with contextlib.suppress(DomainError):
            message_send(
                sender=sender, thread=th, category=rnd.choice(["check_in", "administrative"]), body=body
            )
