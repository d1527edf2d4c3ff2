from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = "Home"

    def ready(self):
        # checks registers the deployment checks; signals connects the receivers.
        from . import checks, signals  # noqa: F401
