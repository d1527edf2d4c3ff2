from django.apps import AppConfig


class BaseConfig(AppConfig):
    """Shared building blocks (blocks, validators, languages, redaction). Imports no other app of ours."""

    name = "base"
    verbose_name = "Shared building blocks"
