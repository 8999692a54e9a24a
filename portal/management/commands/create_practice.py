import os

from django.core.management.base import BaseCommand, CommandError

from portal.errors import DomainError
from portal.services import check_password, practice_create


class Command(BaseCommand):
    help = "Create a practice and its first admin (password from PORTAL_ADMIN_PASSWORD)."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True)
        parser.add_argument("--admin-email", required=True)
        parser.add_argument("--admin-name", default="Practice admin")

    def handle(self, *args, **opts):
        password = os.environ.get("PORTAL_ADMIN_PASSWORD", "")
        if not password:
            raise CommandError("Set PORTAL_ADMIN_PASSWORD to the new admin's password.")
        try:
            check_password(password)
            admin = practice_create(
                name=opts["name"],
                admin_email=opts["admin_email"],
                admin_password=password,
                admin_name=opts["admin_name"],
            )
        except DomainError as exc:
            raise CommandError(f"{exc.field or 'error'}: {exc.message}") from exc
        practice = admin.practice
        if practice is None:  # practice_create makes the admin in the practice it makes
            raise CommandError("the new admin has no practice")
        self.stdout.write(
            self.style.SUCCESS(
                f"Created practice {practice.name!r} (id {admin.practice_id}) with admin {admin.email}"
            )
        )
