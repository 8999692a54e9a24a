from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "messaging"

    def ready(self) -> None:
        # The simulator reads a client's history as the send does; policies does not import
        # messaging, so messaging hands it the reader.
        from policies.simulate import register_history_reader

        from .selectors import simulator_history

        register_history_reader(simulator_history)
