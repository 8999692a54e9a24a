from django.apps import AppConfig


class ConsentConfig(AppConfig):
    """A client's informed consent to one published contact policy version: signing,
    the receipt, revoking with its effects, re-consenting after a new version, and the
    grace period of a superseded one (CONTRACT "Consent")."""

    name = "consent"
    verbose_name = "Consent"

    def ready(self) -> None:
        # Publishing a version supersedes the consents to the one before (policies sends
        # the signals and does not import this app).
        from . import receivers  # noqa: F401
