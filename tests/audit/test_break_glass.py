"""Break-glass is what it says: the reason for reading a body is required, kept encrypted
with its audit event, shown to the therapist through their notice and to admins in the trail."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from audit.models import AuditEvent, BoundaryException, BreakGlassRead
from portal.crypto import decrypt

pytestmark = pytest.mark.django_db

REASON = "Complaint from the guardian, case 2026-114"


def _read(aclient, exc, reason=REASON):
    return aclient.post(reverse("audit:break_glass", args=[exc.pk]), {"reason": reason})


@pytest.mark.parametrize("reason", ["", "   \n  "])
def test_no_reason_no_read_and_nothing_recorded(aclient, blocked, therapist, reason):
    page = _read(aclient, blocked, reason)
    assert page.status_code == 400 and "Coffee on Sunday?" not in page.content.decode()
    assert not AuditEvent.objects.filter(action="audit.break_glass_read").exists()
    assert (
        not BreakGlassRead.objects.exists()
        and not therapist.notifications.filter(kind="break_glass").exists()
    )


def test_an_overlong_reason_is_refused(aclient, blocked):
    page = _read(aclient, blocked, "x" * 2001)
    assert page.status_code == 400 and "under 2000 characters" in page.content.decode()
    assert not BreakGlassRead.objects.exists()


def test_the_reason_is_stored_encrypted_with_its_event_and_not_in_its_data(aclient, blocked, admin):
    assert _read(aclient, blocked).status_code == 200
    read = BreakGlassRead.objects.get()
    event = read.event
    assert (event.action, event.actor_id, event.object_id) == (
        "audit.break_glass_read",
        admin.pk,
        blocked.message_id,
    )
    assert read.reason == REASON and read.exception_id == blocked.pk and read.at == event.at
    assert REASON not in event.data and "Complaint" not in event.data
    with connection.cursor() as cur:
        cur.execute("SELECT reason FROM audit_breakglassread WHERE event_id = %s", [event.pk])
        stored = cur.fetchone()[0]
    assert "Complaint" not in stored and decrypt(stored) == REASON


def test_the_therapist_notice_links_to_the_reason(aclient, blocked, therapist, admin, client):
    _read(aclient, blocked)
    notice = therapist.notifications.get(kind="break_glass")
    assert REASON not in notice.text and "Coffee" not in notice.text  # the notice text is not encrypted
    assert admin.full_name in notice.text
    read = BreakGlassRead.objects.get()
    assert notice.url == reverse("audit:break_glass_notice", args=[read.pk])
    client.force_login(therapist)
    page = client.get(notice.url)
    html = page.content.decode()
    assert page.status_code == 200 and REASON in html and admin.full_name in html
    assert "Coffee on Sunday?" not in html  # the therapist is told why, the body stays where it was
    notice.refresh_from_db()
    assert notice.read_at is not None  # seen


def test_the_notice_page_is_the_therapists_own(
    aclient, blocked, client, colleague, admin, other_therapist, consented_client
):
    _read(aclient, blocked)
    url = therapist_url = reverse("audit:break_glass_notice", args=[BreakGlassRead.objects.get().pk])
    for user, status in ((colleague, 404), (other_therapist, 404), (admin, 403), (consented_client, 403)):
        client.force_login(user)
        assert client.get(url).status_code == status, user
    client.logout()
    assert client.get(therapist_url).status_code == 302


def test_admins_see_every_read_and_its_reason_in_the_trail(aclient, blocked, admin):
    _read(aclient, blocked)
    _read(aclient, blocked, "Follow-up on the complaint")
    html = aclient.get(reverse("audit:exception", args=[blocked.pk])).content.decode()
    assert REASON in html and "Follow-up on the complaint" in html and admin.full_name in html
    assert "Coffee on Sunday?" not in html  # the trail shows reasons, never the body


def test_the_read_page_shows_the_body_and_the_reason_given(aclient, blocked):
    html = _read(aclient, blocked).content.decode()
    assert "Coffee on Sunday?" in html and REASON in html


def test_an_exception_without_a_message_cannot_be_read(aclient, practice, therapist):
    from audit.chain import record

    event = record(
        practice_id=practice.pk,
        action="consent.revoked",
        therapist_id=therapist.pk,
        exception_kind="consent_revoked",
    )
    exc = BoundaryException.objects.get(event=event)
    page = _read(aclient, exc)
    assert page.status_code == 400 and "no message to read" in page.content.decode()
    assert not BreakGlassRead.objects.exists()


def test_the_service_refuses_another_practices_exception(blocked, other_admin):
    from audit.services import message_break_glass_read
    from portal.errors import NotFound

    with pytest.raises(NotFound):
        message_break_glass_read(admin=other_admin, exception_id=blocked.pk, reason=REASON)
    assert not BreakGlassRead.objects.exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the append-only trigger is PostgreSQL's")
def test_postgresql_keeps_break_glass_reads(aclient, blocked):
    from django.db import DatabaseError, transaction

    _read(aclient, blocked)
    read = BreakGlassRead.objects.get()
    for sql in (
        "UPDATE audit_breakglassread SET admin_id = therapist_id WHERE event_id = %s",
        "DELETE FROM audit_breakglassread WHERE event_id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cur,
        ):
            cur.execute(sql, [read.pk])
    # Re-encrypting the reason (key rotation) stays possible.
    with connection.cursor() as cur:
        cur.execute("UPDATE audit_breakglassread SET reason = reason WHERE event_id = %s", [read.pk])


def test_key_rotation_re_encrypts_the_reason_and_the_chain_still_verifies(
    aclient, blocked, practice, settings
):
    """The reason lives beside the event, outside its hash: rotating the key leaves the chain whole
    (and on PostgreSQL the append-only trigger lets the reason, and only it, be rewritten)."""
    import io

    from cryptography.fernet import Fernet
    from django.core.management import call_command

    from audit.chain import verify
    from portal import crypto

    _read(aclient, blocked)
    old_key, new_key = settings.PORTAL_ENCRYPTION_KEYS[0], Fernet.generate_key().decode()
    settings.PORTAL_ENCRYPTION_KEYS = [new_key, old_key]
    crypto._fernet.cache_clear()
    try:
        call_command("rotate_encryption_keys", stdout=io.StringIO())
        settings.PORTAL_ENCRYPTION_KEYS = [new_key]  # the old key is gone: still readable
        crypto._fernet.cache_clear()
        assert BreakGlassRead.objects.get().reason == REASON
        assert verify(practice.pk).ok
    finally:
        settings.PORTAL_ENCRYPTION_KEYS = [old_key]
        crypto._fernet.cache_clear()
