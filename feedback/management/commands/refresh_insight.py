"""Works out the figures of the public "What residents told us" pages again (feedback.insight)."""

from django.core.management.base import BaseCommand

from feedback.insight import refresh


class Command(BaseCommand):
    help = (
        "Work out the figures of the 'What residents told us' pages and their downloads again from the sentiment "
        "tallies. The worker does this when feedback arrives (at most every 10 minutes); run it every 15 minutes "
        "as well, so that figures changed in other ways (an entry published or withdrawn, feedback hidden as "
        "spam) follow soon after. Safe to run at any time."
    )

    def handle(self, *args, **options):
        figures = refresh()
        shown = sum(1 for cell in figures["cells"].values() if "withheld" not in cell)
        withheld = len(figures["cells"]) - shown
        self.stdout.write(self.style.SUCCESS(f"Worked out {shown} figures ({withheld} withheld as too small)."))
