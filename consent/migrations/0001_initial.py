"""Consent moves here from policies (issue 14): state only.

The table keeps its name (`policies_consent`, Meta.db_table) and its indexes keep theirs, so
nothing in the database changes and no row is copied: on an existing database this
migration, messaging 0005 (Thread.consent re-pointed) and policies 0003 (the model leaves
policies' state) only move the model in Django's state; on a fresh one policies 0001/0002
create the table as before. The content type is renamed along with it, so permissions and
admin history follow the model."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import portal.crypto


def rename_content_type(apps, schema_editor, old="policies", new="consent"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    if not ContentType.objects.using(db).filter(app_label=new, model="consent").exists():
        ContentType.objects.using(db).filter(app_label=old, model="consent").update(app_label=new)


def rename_content_type_back(apps, schema_editor):
    rename_content_type(apps, schema_editor, old="consent", new="policies")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("policies", "0002_initial"),
        ("portal", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Consent",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("content_sha256", models.CharField(max_length=64)),
                        ("signed_name", models.CharField(max_length=200)),
                        ("channels", models.JSONField(default=list)),
                        ("signed_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("ip_address", models.GenericIPAddressField(blank=True, null=True)),
                        ("user_agent", models.TextField(blank=True)),
                        ("status", models.CharField(choices=[("active", "Active"), ("revoked", "Revoked"), ("superseded", "Superseded")], default="active", max_length=12)),
                        ("revoked_at", models.DateTimeField(blank=True, null=True)),
                        ("revocation_reason", portal.crypto.EncryptedTextField(blank=True)),
                        ("superseded_at", models.DateTimeField(blank=True, null=True)),
                        ("grace_until", models.DateTimeField(blank=True, null=True)),
                        ("client", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="consents", to=settings.AUTH_USER_MODEL)),
                        ("policy_version", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="consents", to="policies.policyversion")),
                        ("practice", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to="portal.practice")),
                        ("therapist", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "db_table": "policies_consent",
                        "ordering": ["-signed_at", "-id"],
                        "indexes": [
                            models.Index(fields=["client", "-signed_at"], name="policies_co_client__19a369_idx"),
                            models.Index(fields=["therapist", "status"], name="policies_co_therapi_6f1641_idx"),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(rename_content_type, rename_content_type_back, elidable=True),
    ]
