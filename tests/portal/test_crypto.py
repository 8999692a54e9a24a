import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from consent.models import Consent
from portal import crypto
from tests.conftest import onboard_client, publish_policy, sign_consent


def _raw(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cur:
        cur.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608 - the test's own names
        return cur.fetchone()[0]


def test_round_trip_keeps_any_unicode():
    text = "Zoë 🌧️ — « ça va » 日本語 \u0000?"[:-2]
    assert crypto.decrypt(crypto.encrypt(text)) == text


@pytest.mark.django_db
def test_revocation_reason_is_encrypted_at_rest(therapist):
    from consent.services import consent_revoke

    publish_policy(therapist)
    client, _ = onboard_client(therapist)
    consent = sign_consent(client)
    consent_revoke(consent=consent, client=client, reason="I am moving to another city")
    raw = _raw("policies_consent", "revocation_reason", consent.pk)
    assert "moving" not in raw and raw.startswith("gAAAA")
    assert Consent.objects.get(pk=consent.pk).revocation_reason == "I am moving to another city"


@pytest.mark.django_db
def test_rotation_re_encrypts_with_the_new_key(therapist, settings):
    from consent.services import consent_revoke

    publish_policy(therapist)
    client, _ = onboard_client(therapist)
    consent = consent_revoke(consent=sign_consent(client), client=client, reason="private reason")
    old_key = settings.PORTAL_ENCRYPTION_KEYS[0]
    new_key = Fernet.generate_key().decode()
    settings.PORTAL_ENCRYPTION_KEYS = [new_key, old_key]
    crypto._fernet.cache_clear()
    try:
        call_command("rotate_encryption_keys", verbosity=0)
        settings.PORTAL_ENCRYPTION_KEYS = [new_key]  # the old key is gone: still readable
        crypto._fernet.cache_clear()
        assert Consent.objects.get(pk=consent.pk).revocation_reason == "private reason"
    finally:
        settings.PORTAL_ENCRYPTION_KEYS = [old_key]
        crypto._fernet.cache_clear()
