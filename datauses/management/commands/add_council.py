"""Creates a council in one step: organisation, register (and its Welsh copy), role groups and permissions."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from datauses.councils import add_council


class Command(BaseCommand):
    help = (
        "Add a council: its organisation, its register page (with copies in its other languages), the groups "
        "'<short name> editors', 'translators' and 'data protection officers' with their permissions, and a "
        "service owner group for each --team. Running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="Used in web addresses, like 'bristol'. Cannot be changed later.")
        parser.add_argument("--name", required=True, help="The council's full name, like 'Bristol City Council'.")
        parser.add_argument("--short-name", default="", help="Used in headings and group names, like 'Bristol'.")
        parser.add_argument(
            "--reference-prefix", default="", help="Two to five capital letters for entry references, like BRS."
        )
        parser.add_argument(
            "--language",
            action="append",
            default=[],
            dest="languages",
            help="A language the council's pages are offered in besides English, like cy. Repeat for more. "
            "Leave out to offer English only.",
        )
        parser.add_argument(
            "--team", action="append", default=[], dest="teams", help="A service owner team. Repeat for more."
        )

    def handle(self, *args, slug, name, short_name, reference_prefix, languages, teams, **options):
        unknown = [code for code in languages if code not in dict(settings.LANGUAGES)]
        if unknown:
            raise CommandError(f"This site does not offer {', '.join(unknown)} (see SITE_LANGUAGES).")
        try:
            council = add_council(
                slug,
                name,
                short_name=short_name,
                reference_prefix=reference_prefix,
                languages=languages,
                teams=teams,
            )
        except ValidationError as error:
            problems = "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in error.message_dict.items())
            raise CommandError(f"The council was not added. {problems}") from error
        except LookupError as error:
            raise CommandError(str(error)) from error
        organisation = council.organisation
        if council.created:
            self.stdout.write(self.style.SUCCESS(f"{organisation.name} is set up ({council.created} new objects)."))
        else:
            self.stdout.write(f"{organisation.name} was already set up; nothing changed.")
        self.stdout.write(f"Register: {council.register.url or council.register.url_path}")
        for group in [*council.groups.values(), *council.team_groups]:
            self.stdout.write(f"Group: {group.name}")
