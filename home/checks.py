"""Deployment checks (manage.py check --deploy): staff sign-in keeps its protections in production."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def staff_sign_in_is_protected(app_configs, **kwargs):
    warnings = []
    if not settings.STAFF_TWO_FACTOR:
        warnings.append(
            Warning(
                "Two-factor sign-in for staff is off.",
                hint="Unset STAFF_TWO_FACTOR, or set it to true, so a stolen password alone cannot open the admin.",
                id="home.W001",
            )
        )
    if not getattr(settings, "AXES_ENABLED", True):
        warnings.append(
            Warning(
                "The lock-out after repeated wrong passwords (django-axes) is off.",
                hint="Remove AXES_ENABLED = False, so passwords cannot be guessed at /admin/login/.",
                id="home.W002",
            )
        )
    return warnings
