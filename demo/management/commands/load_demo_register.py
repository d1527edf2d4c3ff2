"""Creates the demo register (three councils and their entries). Safe to run more than once."""

import logging
from contextlib import contextmanager

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from demo.loader import DemoLoader

DEMO_USERNAME = "admin"
DEMO_EDITOR_USERNAME = "bristol-editor"
DEMO_OWNER_USERNAME = "bristol-owner"
DEMO_DPO_USERNAME = "bristol-dpo"
DEMO_PASSWORD = "register-demo-2026"  # noqa: S105 - printed on purpose, refused outside DEBUG
# One person in each of Bristol's roles (the groups come from datauses/roles.py through the loader).
DEMO_STAFF = [
    (DEMO_EDITOR_USERNAME, "bristol.editor@example.org", "Bristol editors"),
    (DEMO_OWNER_USERNAME, "earlyhelp.owner@example.org", "Bristol: Early Help Data Team"),
    (DEMO_DPO_USERNAME, "dpo.bristol@example.org", "Bristol data protection officers"),
]


class Command(BaseCommand):
    help = "Load the demo register: three councils, their taxonomies and at least 12 entries each."

    def add_arguments(self, parser):
        parser.add_argument(
            "--demo-login",
            action="store_true",
            help="Also create an admin user with a published password. Refused unless DEBUG is on.",
        )

    def handle(self, *args, demo_login=False, **options):
        if demo_login and not settings.DEBUG:
            raise CommandError("--demo-login creates a user with a published password, so it only runs with DEBUG on.")
        with _quiet("wagtail", unless=options["verbosity"] > 1):
            created = DemoLoader(stdout=self.stdout).run()
        self.stdout.write(self.style.SUCCESS(f"Demo register ready ({created} new objects)."))
        if demo_login:
            _demo_user(DEMO_USERNAME, email="admin@example.org", is_staff=True, is_superuser=True)
            for username, email, group in DEMO_STAFF:
                _demo_user(username, email=email).groups.add(*Group.objects.filter(name=group))
            self.stdout.write(
                self.style.SUCCESS(
                    f"Sign in at {settings.WAGTAILADMIN_BASE_URL.rstrip('/')}/admin/ "
                    f"with password '{DEMO_PASSWORD}' as '{DEMO_USERNAME}' "
                    f"(everything), '{DEMO_EDITOR_USERNAME}' (a comms officer: Bristol's register only), "
                    f"'{DEMO_OWNER_USERNAME}' (a service owner: Early Help's feedback only) or "
                    f"'{DEMO_DPO_USERNAME}' (Bristol's data protection officer: signs entries off)."
                )
            )


def _demo_user(username, **defaults):
    person, _ = get_user_model().objects.get_or_create(username=username, defaults=defaults)
    if not person.check_password(DEMO_PASSWORD):
        person.set_password(DEMO_PASSWORD)
        person.save()
    return person


@contextmanager
def _quiet(name, unless=False):
    """Hide a logger's info lines (Wagtail logs every page it creates, edits and publishes: hundreds here)."""
    logger = logging.getLogger(name)
    level = logger.level
    if not unless:
        logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)
