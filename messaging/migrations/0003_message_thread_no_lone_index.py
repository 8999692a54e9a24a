"""Drop the lone index on messaging_message.thread_id: the (thread, created_at) index serves
every lookup by thread, and each send maintained both. Only the index goes: the foreign key
constraint is left as it is (AlterField would drop and re-validate it on a large table)."""

import django.db.models.deletion
from django.db import migrations, models

INDEX = "messaging_message_thread_id_f689027f"


class Migration(migrations.Migration):

    dependencies = [
        ('messaging', '0002_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='message',
                    name='thread',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT,
                                            related_name='messages', to='messaging.thread'),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    sql=f'DROP INDEX IF EXISTS "{INDEX}"',
                    reverse_sql=f'CREATE INDEX IF NOT EXISTS "{INDEX}" ON "messaging_message" ("thread_id")',
                ),
            ],
        ),
    ]
