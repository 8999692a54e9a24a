from celery import shared_task

from . import services


@shared_task(name="messaging.tasks.release_held_messages")
def release_held_messages() -> int:
    return services.release_held_messages()


@shared_task(name="messaging.tasks.sweep_crisis_alerts")
def sweep_crisis_alerts() -> int:
    return services.sweep_crisis_alerts()


@shared_task(name="messaging.tasks.send_call_reminders")
def send_call_reminders() -> int:
    return services.send_call_reminders()
