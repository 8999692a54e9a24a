from celery import shared_task

from .services import alerts, release, reminders


@shared_task(name="messaging.tasks.release_held_messages")
def release_held_messages() -> int:
    return release.release_held_messages()


@shared_task(name="messaging.tasks.sweep_crisis_alerts")
def sweep_crisis_alerts() -> int:
    return alerts.sweep_crisis_alerts()


@shared_task(name="messaging.tasks.send_call_reminders")
def send_call_reminders() -> int:
    return reminders.send_call_reminders()
