"""Re-encrypt every health-data column with the newest key of PORTAL_ENCRYPTION_KEYS."""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from portal.crypto import EncryptedTextField, rotate


class Command(BaseCommand):
    help = "Rotate encrypted columns to the first key in PORTAL_ENCRYPTION_KEYS (run after adding a new key)."

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=1000)

    def handle(self, *args, **opts):
        total = 0
        for model in apps.get_models():
            fields = [f for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
            if not fields:
                continue
            table = model._meta.db_table
            for field in fields:
                col = field.column
                # Raw values (the tokens), so nothing is decrypted into Python objects twice.
                last = 0
                while True:
                    rows = list(
                        model._default_manager.filter(pk__gt=last)
                        .exclude(**{f"{field.name}": ""})
                        .order_by("pk")
                        .values_list("pk", flat=True)[: opts["batch"]]
                    )
                    if not rows:
                        break
                    with transaction.atomic():
                        from django.db import connection

                        with connection.cursor() as cur:
                            cur.execute(
                                # identifiers from model meta, values bound
                                f"SELECT {model._meta.pk.column}, {col} FROM {table} WHERE "  # noqa: S608 # nosec B608
                                f"{model._meta.pk.column} IN ({','.join(['%s'] * len(rows))})",
                                rows,
                            )
                            for pk, token in cur.fetchall():
                                if token:
                                    cur.execute(
                                        # identifiers from model meta, values bound
                                        f"UPDATE {table} SET {col} = %s WHERE {model._meta.pk.column} = %s",  # noqa: S608 # nosec B608
                                        [rotate(token), pk],
                                    )
                                    total += 1
                    last = rows[-1]
            self.stdout.write(f"{model._meta.label}: rotated")
        self.stdout.write(self.style.SUCCESS(f"Re-encrypted {total} values with the newest key."))
