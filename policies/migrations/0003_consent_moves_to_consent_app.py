"""Consent leaves policies' state for the consent app (consent 0001): state only, the
table `policies_consent` stays, now the consent app's (Meta.db_table)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("policies", "0002_initial"),
        ("consent", "0001_initial"),
        ("messaging", "0005_thread_consent_in_consent_app"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Consent")],
            database_operations=[],
        ),
    ]
