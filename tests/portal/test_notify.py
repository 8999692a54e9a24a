"""Notices: one per outbox row; e-mails for messages are coalesced, crisis e-mails never are;
neither ever holds clinical content."""

from __future__ import annotations

from typing import cast

import pytest
from django.core import mail
from django.urls import URLPattern, URLResolver

from messaging.services.send import message_send
from portal.models import Notification

pytestmark = pytest.mark.django_db


def test_many_messages_one_email_until_read(
    consented_client, thread, therapist, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(3):
            message_send(
                sender=consented_client,
                thread=thread,
                category="emergency",
                channel="portal",
                body=f"Please call me about the forms {i}",
            )
    assert Notification.objects.filter(user=therapist, kind="message").count() == 3
    to_therapist = [m for m in mail.outbox if therapist.email in m.to]
    assert len(to_therapist) == 1
    first = Notification.objects.first()
    assert first is not None
    Notification.objects.filter(user=therapist).update(read_at=first.created_at)
    with django_capture_on_commit_callbacks(execute=True):
        message_send(
            sender=consented_client, thread=thread, category="emergency", channel="portal", body="again"
        )
    assert len([m for m in mail.outbox if therapist.email in m.to]) == 2


def test_crisis_emails_are_never_coalesced_and_hold_nothing_clinical(
    consented_client, thread, therapist, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(2):
            message_send(
                sender=consented_client,
                thread=thread,
                category="check_in",
                channel="portal",
                body="I want to kill myself tonight",
            )
    crisis_mails = [m for m in mail.outbox if therapist.email in m.to]
    assert len(crisis_mails) == 2
    for m in crisis_mails:
        text = (str(m.subject) + str(m.body) + str(m.from_email)).lower()
        assert "kill" not in text and "therap" not in text and "crisis" not in text


def test_viewing_the_thread_reads_its_notices_so_the_next_message_emails_again(
    consented_client, thread, therapist, django_capture_on_commit_callbacks
):
    from django.test import Client

    with django_capture_on_commit_callbacks(execute=True):
        for i in range(2):
            message_send(
                sender=consented_client,
                thread=thread,
                category="emergency",
                channel="portal",
                body=f"Please call me {i}",
            )
    assert therapist.notifications.filter(read_at__isnull=True).count() == 2
    web = Client()
    web.force_login(therapist)
    assert web.get(f"/messages/threads/{thread.pk}/").status_code == 200
    assert therapist.notifications.filter(read_at__isnull=True).count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        message_send(
            sender=consented_client, thread=thread, category="emergency", channel="portal", body="again"
        )
    assert len([m for m in mail.outbox if therapist.email in m.to]) == 2


def test_the_consent_pages_read_their_notices(consented_client, therapist):
    from django.test import Client

    from portal.models import Notification

    Notification.objects.create(
        user=therapist, kind="consent", text="A client withdrew consent.", url="/consent/clients/"
    )
    Notification.objects.create(
        user=consented_client, kind="consent", text="An updated document to review.", url="/consent/"
    )
    for user, page in ((therapist, "/consent/clients/"), (consented_client, "/consent/")):
        web = Client()
        web.force_login(user)
        assert web.get(page).status_code == 200
        assert not user.notifications.filter(read_at__isnull=True).exists()


# --- notice links follow urls.py: built with reverse(), matched by URL name and arguments --


def _moved_pages():
    """portal.urls with the messaging and consent pages moved to other paths."""
    from django.urls import include, path

    from portal import urls

    moved = {
        "messages/": path("conversations/", include("messaging.urls")),
        "consent/": path("agreement/", include("consent.urls")),
    }
    patterns = cast("list[URLPattern | URLResolver]", urls.urlpatterns)
    return [moved.get(str(p.pattern), p) for p in patterns]


urlpatterns = _moved_pages()  # ROOT_URLCONF="tests.portal.test_notify" in the tests below
MOVED = "tests.portal.test_notify"


def test_a_message_notice_follows_a_moved_page_and_clears_there(
    consented_client, thread, therapist, django_capture_on_commit_callbacks
):
    from django.test import Client, override_settings

    with override_settings(ROOT_URLCONF=MOVED):
        with django_capture_on_commit_callbacks(execute=True):
            message_send(
                sender=consented_client,
                thread=thread,
                category="emergency",
                channel="portal",
                body="Please call me",
            )
        notice = therapist.notifications.get(kind="message")
        assert notice.url == f"/conversations/threads/{thread.pk}/"
        web = Client()
        web.force_login(therapist)
        assert web.get(notice.url).status_code == 200
        assert not therapist.notifications.filter(read_at__isnull=True).exists()


def test_a_consent_notice_follows_a_moved_page_and_clears_there(
    consented_client, therapist, django_capture_on_commit_callbacks
):
    from django.test import Client, override_settings

    from tests.conftest import publish_policy

    with override_settings(ROOT_URLCONF=MOVED):
        with django_capture_on_commit_callbacks(execute=True):
            publish_policy(therapist)  # a new version: the client is asked to review it
        notice = consented_client.notifications.get(kind="consent")
        assert notice.url == "/agreement/"
        web = Client()
        web.force_login(consented_client)
        assert web.get(notice.url).status_code == 200
        assert not consented_client.notifications.filter(read_at__isnull=True).exists()
