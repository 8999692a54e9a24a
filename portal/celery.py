"""The Celery app. Tasks take ids, re-fetch, and are safe to run twice."""

import os

from celery import Celery
from celery.signals import task_postrun, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.base")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_prerun.connect
@task_postrun.connect
def _close_old_connections(**_kwargs) -> None:
    # A worker keeps a dead connection after PostgreSQL restarts unless it is
    # checked around every task.
    if app.conf.task_always_eager:
        return
    from django.db import close_old_connections

    close_old_connections()
