from django.core.management.base import BaseCommand

from messaging.tasks import release_held_messages


class Command(BaseCommand):
    help = "Run, once and synchronously, the beat task that releases held messages whose time has come."

    def handle(self, *args, **opts):
        count = release_held_messages.apply(throw=True).get()
        self.stdout.write(f"Released {count} held message(s).")
