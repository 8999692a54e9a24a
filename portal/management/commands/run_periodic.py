"""The embedded default's stand-in for Celery beat: runs every beat task in-process, on a timer."""

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from portal.celery import app


class Command(BaseCommand):
    help = "Run the tasks of CELERY_BEAT_SCHEDULE in this process every --every seconds (or --once)."

    def add_arguments(self, parser):
        parser.add_argument("--every", type=float, default=30.0)
        parser.add_argument("--once", action="store_true")

    def handle(self, *args, **opts):
        app.loader.import_default_modules()
        while True:
            schedule: dict[str, dict[str, Any]] = settings.CELERY_BEAT_SCHEDULE
            for entry in schedule.values():
                task = app.tasks[entry["task"]]
                try:
                    task.apply(throw=True)
                except Exception as exc:  # noqa: BLE001 - keep the timer alive, say what failed
                    self.stderr.write(f"{entry['task']} failed: {exc.__class__.__name__}")
            if opts["once"]:
                return
            time.sleep(opts["every"])
