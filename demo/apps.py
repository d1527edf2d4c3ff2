from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo register (three councils, their entries, users and feedback) and its loader. Top of the layers."""

    name = "demo"
    verbose_name = "Demo content"
