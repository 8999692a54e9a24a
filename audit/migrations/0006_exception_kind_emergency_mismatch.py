"""Boundary exceptions of kind `emergency_mismatch`: a client's emergency whose text reads as
another category (contract: "Reading a message"). Choices only: no schema change."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [("audit", "0005_forward_only_head")]

    operations = [
        migrations.AlterField(
            model_name="boundaryexception",
            name="kind",
            field=models.CharField(choices=[("blocked", "Blocked"), ("override", "Override"),
                                            ("after_hours", "After Hours"), ("crisis", "Crisis"),
                                            ("consent_revoked", "Consent Revoked"),
                                            ("emergency_mismatch", "Emergency Mismatch")], max_length=20),
        ),
    ]
