"""The Celery app. Tasks take ids, re-fetch, and are safe to run twice."""

import os

from celery import Celery
from celery.signals import task_postrun, task_prerun, worker_init

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


@worker_init.connect
def load_the_reader(**_kwargs) -> None:
    """A worker releases held messages, and a release reads each one again: the reader's
    vocabulary is loaded once in the worker's main process, before its pool forks, and each
    forked child starts with it instead of loading its own copy inside its first release."""
    from portal.startup import load_and_freeze  # noqa: PLC0415 - only a worker loads the reader

    load_and_freeze()
