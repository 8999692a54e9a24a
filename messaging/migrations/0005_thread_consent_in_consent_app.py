"""Thread.consent points at consent.Consent, which moved from policies (consent 0001):
state only, the foreign key's table (`policies_consent`) is the same."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("consent", "0001_initial"),
        ("messaging", "0004_message_unread_idx"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="thread",
                    name="consent",
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="consent.consent"),
                ),
            ],
            database_operations=[],
        ),
    ]
