"""API tokens moved from DRF's authtoken (keys stored in plain text, no expiry) to knox
(hashed, expiring). The old keys are dropped with their table: they simply stop working and
clients log in again. The authtoken app's migration records go too, so that installing it
again would create its table afresh."""

from django.db import migrations


def drop_plain_tokens(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if "authtoken_token" in connection.introspection.table_names(cursor):
            cursor.execute("DROP TABLE authtoken_token")
        if "django_migrations" in connection.introspection.table_names(cursor):
            cursor.execute("DELETE FROM django_migrations WHERE app = %s", ["authtoken"])


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_initial")]

    operations = [migrations.RunPython(drop_plain_tokens, migrations.RunPython.noop, elidable=True)]
