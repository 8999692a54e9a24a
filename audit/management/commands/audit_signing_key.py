from django.core.management.base import BaseCommand

from audit import checkpoints


class Command(BaseCommand):
    help = (
        "Print the public key that verifies the portal's audit checkpoints (from PORTAL_AUDIT_SIGNING_KEY), "
        "or with --new a fresh private key for PORTAL_AUDIT_SIGNING_KEY."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--new",
            action="store_true",
            help="print a new private key: standard base64 of 32 random bytes (keep it secret)",
        )

    def handle(self, *args, **opts):
        if opts["new"]:
            self.stdout.write(checkpoints.new_key_b64())
        else:
            self.stdout.write(checkpoints.public_key_b64())
