"""Outbox handlers for consent: a new version to review, a revocation."""

from __future__ import annotations

from portal.models import OutboxItem
from portal.notify import notice_url, notify
from portal.outbox import handler

from .models import Consent


@handler("consent.review_requested")
def review_requested(item: OutboxItem) -> None:
    consent = Consent.objects.select_related("client").filter(pk=item.payload["consent_id"]).first()
    if consent is None:
        return
    notify(
        user=consent.client,
        kind="consent",
        url=notice_url("consent:sign"),
        item=item,
        text="There is an updated document to review and sign in your portal.",
    )


@handler("consent.revoked")
def revoked(item: OutboxItem) -> None:
    consent = (
        Consent.objects.select_related("therapist", "client").filter(pk=item.payload["consent_id"]).first()
    )
    if consent is None:
        return
    notify(
        user=consent.therapist,
        kind="consent",
        url=notice_url("consent:clients"),
        item=item,
        text=f"{consent.client.full_name} withdrew consent. Messaging is paused except for crisis messages.",
    )
