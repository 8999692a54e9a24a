"""Consent in the browser: sections acknowledged on the server, receipt, revoke, clients page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from consent.models import Consent
from policies.text import parse_sections
from tests.conftest import GOOD_RULES, onboard_client, publish_policy, sign_consent

pytestmark = pytest.mark.django_db


@pytest.fixture
def signer(client, therapist, published_policy):
    person, _ = onboard_client(therapist, full_name="Robin Example")
    client.force_login(person)
    return person


def sign_data(version, *, skip_section=None, **kw):
    data = {
        "policy_version_id": version.pk,
        "content_sha256": version.content_sha256,
        "channels": ["portal"],
        "signature": "Robin Example",
        "acknowledged": "on",
    }
    for i, _ in enumerate(parse_sections(version.text)):
        if i != skip_section:
            data[f"section_{i}"] = "on"
    data.update(kw)
    for c in data["channels"]:
        data.setdefault(f"understood_{c}", "on")
    return data


def test_every_section_must_be_acknowledged_on_the_server(client, signer, published_policy):
    page = client.get(reverse("consent:sign"))
    assert page.status_code == 200 and "If you are in danger" in page.content.decode()
    r = client.post(reverse("consent:sign"), sign_data(published_policy, skip_section=1))
    assert r.status_code == 400 and "section_1" in r.context["form"].errors
    assert not Consent.objects.exists()


def test_signing_shows_the_receipt(client, signer, published_policy):
    r = client.post(reverse("consent:sign"), sign_data(published_policy))
    consent = Consent.objects.get()
    assert r.status_code == 302 and r.url == reverse("consent:receipt", args=[consent.pk])
    receipt = client.get(r.url).content.decode()
    assert published_policy.content_sha256 in receipt and "Robin Example" in receipt


def test_name_mismatch_is_shown_on_the_signature_field(client, signer, published_policy):
    r = client.post(reverse("consent:sign"), sign_data(published_policy, signature="Someone Else"))
    assert r.status_code == 400 and "signature" in r.context["form"].errors


def test_a_stale_version_gets_a_clear_message_and_the_new_text(client, signer, published_policy, therapist):
    stale = sign_data(published_policy)
    publish_policy(therapist, dict(GOOD_RULES, after_hours_reply="Brand new reply."))
    r = client.post(reverse("consent:sign"), stale, follow=True)
    html = r.content.decode()
    assert "changed while you were reading" in html and "Brand new reply." in html
    assert not Consent.objects.exists()


def test_reconsent_shows_what_changed(client, signer, therapist):
    sign_consent(signer, channels=("portal",))
    publish_policy(therapist, dict(GOOD_RULES, after_hours_reply="Brand new reply."))
    page = client.get(reverse("consent:sign"))
    assert page.context["changes"] and "Brand new reply." in page.content.decode()


def test_revoke_in_the_browser(client, signer):
    consent = sign_consent(signer, channels=("portal",))
    client.post(reverse("consent:revoke", args=[consent.pk]), {"reason": "Moving on"})
    consent.refresh_from_db()
    assert consent.status == "revoked" and consent.revocation_reason == "Moving on"


def test_receipt_of_someone_else_is_404(client, signer, therapist):
    other, _ = onboard_client(therapist, email="x@example.test", full_name="X Person")
    consent = sign_consent(other, channels=("portal",))
    assert client.get(reverse("consent:receipt", args=[consent.pk])).status_code == 404


def test_clients_page_shows_states_and_invites(
    client, therapist, published_policy, django_capture_on_commit_callbacks
):
    person, _ = onboard_client(therapist, full_name="Robin Example")
    sign_consent(person, channels=("portal",))
    client.force_login(therapist)
    page = client.get(reverse("consent:clients"))
    assert page.status_code == 200
    assert [r["state"] for r in page.context["rows"]] == ["active"]
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(reverse("consent:clients"), {"full_name": "New Person", "email": "new@example.test"})
    assert r.status_code == 302
    from django.core import mail

    assert any("new@example.test" in m.to for m in mail.outbox)


def test_clients_page_is_for_therapists(client, signer):
    assert client.get(reverse("consent:clients")).status_code == 403


def test_each_channel_chosen_must_be_understood_on_the_server(client, signer, published_policy):
    page = client.get(reverse("consent:sign")).content.decode()
    assert "E-mail is not encrypted end to end" in page and 'name="understood_email"' in page
    data = sign_data(published_policy, channels=["portal", "email"])
    del data["understood_email"]
    r = client.post(reverse("consent:sign"), data)
    assert r.status_code == 400 and "understood_email" in r.context["form"].errors
    assert not Consent.objects.exists()
    # A channel not chosen needs no acknowledgement.
    r = client.post(reverse("consent:sign"), sign_data(published_policy, channels=["portal"]))
    assert r.status_code == 302 and Consent.objects.get().channels == ["portal"]


def test_a_version_published_before_the_channel_section_keeps_its_text_and_hash(client, signer, therapist):
    """Only new versions carry the channel section: a published text is frozen as it was."""
    from policies.models import PolicyVersion
    from policies.selectors import current_version
    from policies.text import sha256

    version = current_version(therapist.pk)
    assert version is not None
    assert "## Each way of contact" in version.text
    old_text = (
        version.text.split("## Each way of contact")[0]
        + "## What never"
        + version.text.split("## What never")[1]
    )
    # As a version published before this section existed was stored (frozen rows can only be written this way).
    PolicyVersion.objects.filter(pk=version.pk).update(text=old_text, content_sha256=sha256(old_text))
    version.refresh_from_db()
    page = client.get(reverse("consent:sign"))
    assert "Each way of contact" not in page.content.decode()
    r = client.post(reverse("consent:sign"), sign_data(version))
    assert r.status_code == 302
    consent = Consent.objects.get()
    assert consent.content_sha256 == sha256(old_text)
    version.refresh_from_db()
    assert version.text == old_text
    # The next version carries it.
    new = publish_policy(therapist, dict(GOOD_RULES, after_hours_reply="Back soon."))
    assert "## Each way of contact" in new.text
