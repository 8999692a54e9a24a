from django.core.management.base import BaseCommand

from audit.chain import verify
from portal.models import Practice


class Command(BaseCommand):
    help = "Check every practice's audit chain; exit 1 and name the first broken event if one was altered."

    def handle(self, *args, **opts):
        broken = 0
        for practice in Practice.objects.order_by("id"):
            result = verify(practice.pk)
            if result.ok:
                self.stdout.write(f"practice {practice.pk} ({practice.name}): OK, {result.events} events")
            else:
                broken += 1
                self.stderr.write(f"practice {practice.pk} ({practice.name}): BROKEN at event seq "
                                  f"{result.first_broken}: {result.detail}")
        if broken:
            raise SystemExit(1)
        self.stdout.write(self.style.SUCCESS("Every audit chain verifies."))
