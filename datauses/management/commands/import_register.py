"""Imports register entries from a file, as drafts (datauses/register_import.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from datauses import register_import
from datauses.models import Organisation


class Command(BaseCommand):
    help = (
        "Import entries from a file: the register's own CSV or JSON download, an ATRS record (JSON, or the text "
        "of a GOV.UK record) or a Dutch algorithm register record (JSON). Every record is checked first; if "
        "anything is wrong nothing is imported and each problem is listed. Entries arrive as drafts; what the "
        "file does not state is listed on each draft as 'not stated in the source'. Importing the same file "
        "again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The file to import.")
        parser.add_argument(
            "--council",
            action="append",
            default=[],
            help="Only accept entries for this council (its code, like bristol). Repeat for several.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Check the file and report, import nothing.")

    def handle(self, *args, file, council, dry_run, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"There is no file at {path}.")
        councils = register_import.councils_for(None)
        if council:
            councils = [organisation for organisation in councils if organisation.slug in council]
            unknown = set(council) - {organisation.slug for organisation in councils}
            if unknown:
                known = ", ".join(sorted(Organisation.objects.values_list("slug", flat=True).distinct()))
                raise CommandError(f"No council has the code {', '.join(sorted(unknown))}. The codes are: {known}.")
        try:
            report, problems = register_import.run(path.read_bytes(), path.name, councils=councils, dry_run=dry_run)
        except register_import.ImportRefused as refused:
            raise CommandError(str(refused)) from None
        if problems:
            for problem in problems:
                self.stderr.write(str(problem))
            raise CommandError(f"Nothing was imported: {len(problems)} problem(s) in {path.name}.")
        if report is None:
            self.stdout.write(self.style.SUCCESS(f"{path.name} has no problems. Nothing was imported (--dry-run)."))
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {path.name} as drafts: {len(report.created)} new, {len(report.changed)} changed, "
                f"{len(report.unchanged)} unchanged."
            )
        )
        for page in report.created + report.changed:
            if page.not_stated:
                self.stdout.write(
                    f"  {page.reference} {page.title}: not stated in the source: {', '.join(page.not_stated)}"
                )
