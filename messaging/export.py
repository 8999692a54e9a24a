"""A client's own record: consents with their receipts, messages, calls (GET /api/v1/me/export
and the record page). It spans consent and messaging, so it is the app's that builds on both."""

from __future__ import annotations

from audit.chain import record
from consent.models import Consent
from portal.api.fields import utc_iso

from .models import CallBooking
from .selectors import visible_messages


def client_record(client) -> dict:
    consents = [
        {
            "id": c.pk,
            "status": c.status,
            "policy_version_id": c.policy_version_id,
            "policy_version": c.policy_version.version,
            "content_sha256": c.content_sha256,
            "signed_name": c.signed_name,
            "signed_at": utc_iso(c.signed_at),
            "channels": c.channels,
            "ip_address": c.ip_address,
            "user_agent": c.user_agent,
            "revoked_at": utc_iso(c.revoked_at),
            "revocation_reason": c.revocation_reason,
            "superseded_at": utc_iso(c.superseded_at),
            "grace_until": utc_iso(c.grace_until),
            "policy_text": c.policy_version.text,
        }
        for c in Consent.objects.filter(client=client).select_related("policy_version").order_by("signed_at")
    ]
    thread = getattr(client, "thread", None)
    messages, calls = [], []
    if thread is not None:
        messages = [
            {
                "id": m.pk,
                "sender": m.sender_role,
                "kind": m.kind,
                "category": m.category,
                "channel": m.channel,
                "body": m.body,
                "status": m.status,
                "reasons": m.reasons,
                "created_at": utc_iso(m.created_at),
                "deliver_at": utc_iso(m.deliver_at),
            }
            for m in visible_messages(thread, client)
        ]
        calls = [
            {
                "id": c.pk,
                "start": utc_iso(c.start),
                "minutes": c.minutes,
                "channel": c.channel,
                "status": c.status,
            }
            for c in CallBooking.objects.filter(thread=thread).order_by("start")
        ]
    record(
        practice_id=client.practice_id,
        action="export.client_record",
        actor=client,
        therapist_id=client.therapist_id,
        client_id=client.pk,
        obj=client,
    )
    return {
        "client": {"id": client.pk, "email": client.email, "full_name": client.full_name},
        "consents": consents,
        "messages": messages,
        "calls": calls,
    }
