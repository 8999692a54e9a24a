from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "messaging"

    def ready(self) -> None:
        # The simulator reads a client's history as the send does; policies does not import
        # messaging, so messaging hands it the reader.
        from policies.simulate import register_history_reader

        from .selectors import simulator_history

        register_history_reader(simulator_history)

        # A revocation withdraws what was waiting on the consent, and the revoke page counts
        # it first; consent does not import messaging, so messaging receives and registers.
        from consent.selectors import register_withdrawal_reader

        from . import receivers

        register_withdrawal_reader(receivers.pending_at_withdrawal)
