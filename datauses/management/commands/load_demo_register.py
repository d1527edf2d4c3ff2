"""Creates the demo register (three councils and their entries). Safe to run more than once."""

import logging
from contextlib import contextmanager

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from datauses.demo.loader import DemoLoader

DEMO_USERNAME = "admin"
DEMO_EDITOR_USERNAME = "bristol-editor"
DEMO_OWNER_USERNAME = "bristol-owner"
DEMO_PASSWORD = "register-demo-2026"  # noqa: S105 - printed on purpose, refused outside DEBUG


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
            user, _ = get_user_model().objects.get_or_create(
                username=DEMO_USERNAME,
                defaults={"email": "admin@example.org", "is_staff": True, "is_superuser": True},
            )
            if not user.check_password(DEMO_PASSWORD):
                user.set_password(DEMO_PASSWORD)
                user.save()
            # A comms officer who can only edit Bristol's register, to show how council permissions work.
            editor, _ = get_user_model().objects.get_or_create(
                username=DEMO_EDITOR_USERNAME, defaults={"email": "bristol.editor@example.org", "is_staff": False}
            )
            editor.groups.add(*Group.objects.filter(name="Bristol editors"))
            if not editor.check_password(DEMO_PASSWORD):
                editor.set_password(DEMO_PASSWORD)
                editor.save()
            # A service owner in Bristol's Early Help team, who sees only their team's feedback.
            owner, _ = get_user_model().objects.get_or_create(
                username=DEMO_OWNER_USERNAME, defaults={"email": "earlyhelp.owner@example.org"}
            )
            owner.groups.add(*Group.objects.filter(name="Bristol: Early Help Data Team"))
            if not owner.check_password(DEMO_PASSWORD):
                owner.set_password(DEMO_PASSWORD)
                owner.save()
            self.stdout.write(
                self.style.SUCCESS(
                    f"Sign in at http://127.0.0.1:8000/admin/ with password '{DEMO_PASSWORD}' as '{DEMO_USERNAME}' "
                    f"(everything), '{DEMO_EDITOR_USERNAME}' (a comms officer: Bristol's register only) or "
                    f"'{DEMO_OWNER_USERNAME}' (a service owner: Early Help's feedback only)."
                )
            )


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
