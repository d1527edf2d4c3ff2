"""Checks the links on live register entries and records what it finds (run weekly from cron; see README)."""

from django.core.management.base import BaseCommand, CommandError

from datauses.link_checks import check_links
from datauses.models import DataUsePage, Organisation


def counted(number, one, many):
    return f"{number} {one if number == 1 else many}"


class Command(BaseCommand):
    help = (
        "Check every link on the live register entries (or one council's) and record the broken ones, which "
        "editors see on the entry's Review tab and on the Coverage report. Each address is asked for once."
    )

    def add_arguments(self, parser):
        parser.add_argument("--council", default="", help="Only this council's entries, by its slug, like 'bristol'.")
        parser.add_argument(
            "--timeout", type=float, default=5, help="Seconds to wait for each website before calling the link broken."
        )
        parser.add_argument(
            "--include-private-addresses",
            action="store_true",
            help="Also ask for addresses on private networks and this machine (only for a test server).",
        )

    def handle(self, *args, council, timeout, include_private_addresses, **options):
        if timeout <= 0:
            raise CommandError("The timeout must be more than 0 seconds.")
        entries = DataUsePage.objects.live()
        if council:
            if not Organisation.objects.filter(slug=council).exists():
                raise CommandError(f"There is no council with the slug '{council}'. Nothing was checked.")
            entries = entries.filter(organisation__slug=council)
        summary = check_links(entries, timeout=timeout, allow_private=include_private_addresses)
        self.stdout.write(
            f"Checked {counted(summary.links, 'link', 'links')} "
            f"({counted(summary.addresses, 'different address', 'different addresses')}) "
            f"on {counted(summary.entries, 'live entry', 'live entries')}: {len(summary.broken)} broken."
        )
        for check in summary.broken:
            entry = check.entry
            self.stdout.write(f"  {entry.reference or entry.pk} {entry.title}: {check.url} - {check.error}")
