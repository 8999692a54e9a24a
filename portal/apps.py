from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Accounts and practices"

    def ready(self) -> None:
        from . import audit_signals, security  # noqa: F401  (connects the receivers)
