"""Counts every piece of feedback again into the sentiment tallies the owners' views read (feedback.tallies)."""

from django.core.management.base import BaseCommand

from feedback.tallies import catch_up, recount_everything


class Command(BaseCommand):
    help = (
        "Count every response again into the sentiment tallies, a batch of entries at a time, so they match the "
        "responses after any change made outside the admin (SQL run by hand, an import). Safe to run at any "
        "time and more than once; run it nightly."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--new-only",
            action="store_true",
            help="Only add the responses not yet counted (what the worker does after each response).",
        )

    def handle(self, *args, **options):
        if options["new_only"]:
            self.stdout.write(self.style.SUCCESS(f"Counted {catch_up(wait=True)} new responses."))
            return
        entries = recount_everything()
        self.stdout.write(self.style.SUCCESS(f"Counted the responses on {entries} entries again."))
