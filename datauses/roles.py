"""The roles people have in a council, and the permissions that make each one.

Each council has one group per role ("Bristol editors", "Bristol translators", "Bristol data protection
officers") and one group per service owner team ("Bristol: Early Help Data Team"). A group's page
permissions sit on the council's register (and its copies in other languages), so they reach that
council's entries only. What a role may do with feedback follows from the same page permissions and the
team link (see feedback/permissions.py); nobody needs a model permission on feedback.

`python manage.py add_council` and the demo loader both build councils through datauses/councils.py,
which uses these definitions, so what the README promises is what the code grants.
"""

from dataclasses import dataclass, field

from django.contrib.auth.models import Group, Permission
from django.db.models import Q
from wagtail.models import GroupPagePermission, Locale

from base.languages import offered_languages

from .models import Organisation, RegisterPage, ServiceOwnerTeam

# Signing in to the admin at all.
ACCESS_ADMIN = ("wagtailadmin", "access_admin")
# Starting and syncing a translation with wagtail-localize.
SUBMIT_TRANSLATION = ("wagtail_localize", "submit_translation")

# Terms every council shares. Comms officers choose from them and may add a partner or a team.
TERM_MODELS = ("servicearea", "datacategory", "sharingpartner", "serviceownerteam", "organisation")
VIEW_TERMS = [("datauses", f"view_{model}") for model in TERM_MODELS]
# The glossary of data terms is shared too; each council keeps its own list of words to avoid.
GLOSSARY = [("datauses", f"{action}_glossaryterm") for action in ("view", "add", "change")]
WORDS_TO_AVOID = [("datauses", f"{action}_wordtoavoid") for action in ("view", "add", "change", "delete")]


@dataclass(frozen=True)
class Role:
    key: str
    name: str  # the group's name, with the council's short name put in
    description: str
    permissions: list = field(default_factory=list)  # (app label, codename)
    # Page permissions on the council's register and everything under it, in each language given.
    page_permissions: list = field(default_factory=list)
    # "all": the register in every language; "translations": only its copies in other languages.
    page_languages: str = "all"


EDITOR = Role(
    key="editor",
    name="{council} editors",
    description=(
        "Comms officers: write, edit and translate the council's entries and send them to the data protection "
        "officers for sign-off; read and answer the feedback on them."
    ),
    permissions=[
        ACCESS_ADMIN,
        SUBMIT_TRANSLATION,
        *VIEW_TERMS,
        ("datauses", "add_sharingpartner"),
        *GLOSSARY,
        *WORDS_TO_AVOID,
    ],
    # No publish_page: an entry goes live only when the council's data protection officer approves it.
    page_permissions=["add_page", "change_page"],
)

TRANSLATOR = Role(
    key="translator",
    name="{council} translators",
    description=("Translators: translate the council's pages into its other languages, and nothing else."),
    permissions=[ACCESS_ADMIN, SUBMIT_TRANSLATION, *VIEW_TERMS],
    page_permissions=["change_page"],
    page_languages="translations",
)

DATA_PROTECTION_OFFICER = Role(
    key="dpo",
    name="{council} data protection officers",
    description=(
        "Data protection officers: check and sign off the council's entries before they go live, and read the "
        "feedback on them."
    ),
    permissions=[ACCESS_ADMIN, *VIEW_TERMS, ("datauses", "view_glossaryterm"), ("datauses", "view_wordtoavoid")],
    page_permissions=["change_page", "publish_page"],
)

SERVICE_OWNER = Role(
    key="owner",
    name="{council}: {team}",
    description=("Service owners: see the feedback on their team's entries and answer it in public."),
    permissions=[ACCESS_ADMIN],
)

# The groups each council gets. Service owner groups are made per team (see team_group).
COUNCIL_ROLES = (EDITOR, TRANSLATOR, DATA_PROTECTION_OFFICER)

# Terms are shared by every council and Wagtail's snippet permissions cover every language at once, so
# translating them is one group for the whole install rather than part of a council's roles.
TERM_TRANSLATORS = Role(
    key="term-translator",
    name="Translators",
    description=("Translate the shared terms (service areas, kinds of data, partners, teams, councils)."),
    permissions=[
        ACCESS_ADMIN,
        SUBMIT_TRANSLATION,
        *VIEW_TERMS,
        *[("datauses", f"change_{model}") for model in TERM_MODELS],
        ("datauses", "view_glossaryterm"),
        ("datauses", "change_glossaryterm"),
    ],
)


def permissions(pairs):
    """The Permission rows for (app label, codename) pairs."""
    rule = Q(pk__in=[])
    for app_label, codename in pairs:
        rule |= Q(content_type__app_label=app_label, codename=codename)
    found = list(Permission.objects.filter(rule))
    if len(found) != len(set(pairs)):  # a renamed permission must not silently take a right away
        missing = set(pairs) - {(p.content_type.app_label, p.codename) for p in found}
        raise LookupError(f"Unknown permissions: {sorted(missing)}")
    return found


def ensure_group(role, **names):
    """The role's group (created if missing) with exactly the role's model permissions; and whether it is new."""
    group, created = Group.objects.get_or_create(name=role.name.format(**names))
    group.permissions.set(permissions(role.permissions))
    return group, created


def grant_pages(group, role, register):
    """Give the group the role's page permissions on the register in each language the role covers (and the
    council offers: the copies of its pages in other languages only redirect to the English)."""
    versions = register.get_translations(inclusive=True).filter(locale__language_code__in=offered_languages(register))
    if role.page_languages == "translations":
        versions = versions.exclude(locale_id=register.locale_id)
    page_permissions = Permission.objects.filter(
        content_type__app_label="wagtailcore", codename__in=role.page_permissions
    )
    for page in versions:
        for permission in page_permissions:
            GroupPagePermission.objects.get_or_create(group=group, page=page, permission=permission)
    # A right the role no longer has (editors publishing before sign-off existed) is taken away.
    GroupPagePermission.objects.filter(group=group, page__in=register.get_translations(inclusive=True)).exclude(
        permission__in=page_permissions, page__in=versions
    ).delete()


def team_group(team):
    """The service owner group of a team (and whether it is new), linked so its members see the team's feedback."""
    if team.group_id:
        return team.group, False
    group, created = ensure_group(SERVICE_OWNER, council=team.organisation.short_name, team=team.name)
    team.group = group
    team.save(update_fields=["group"])
    return group, created


def councils_user_edits(user):
    """Councils whose register the user's groups may edit: comms officers, data protection officers, council admins."""
    if not user.is_authenticated:
        return []
    paths = _granted_paths(user, codenames=["change_page"])
    # The English registers: translators may edit the Welsh copies, which does not make them comms officers.
    registers = RegisterPage.objects.filter(organisation__isnull=False, locale=Locale.get_default())
    return _councils_under(paths, registers)


def councils_user_writes_for(user):
    """Councils whose register the user's groups may add entries to: comms officers and council admins. Data
    protection officers may edit (sign off) but not add, so they are not among them."""
    if not user.is_authenticated:
        return []
    paths = _granted_paths(user, codenames=["add_page"])
    registers = RegisterPage.objects.filter(organisation__isnull=False, locale=Locale.get_default())
    return _councils_under(paths, registers)


def councils_of(user):
    """Councils the user works for in any role (their register in any language, or one of their teams), with
    each council's copies in other languages."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    paths = _granted_paths(user)
    found = set(_councils_under(paths, RegisterPage.objects.filter(organisation__isnull=False)))
    found.update(ServiceOwnerTeam.objects.filter(group__in=user.groups.all()).values_list("organisation_id", flat=True))
    keys = Organisation.objects.filter(pk__in=found).values("translation_key")
    return Organisation.objects.filter(translation_key__in=keys)


def works_across_councils(user):
    """The shared-terms translators look after every council's name and teams, as the README promises."""
    return user.is_authenticated and user.groups.filter(name=TERM_TRANSLATORS.name).exists()


def _granted_paths(user, codenames=None):
    granted = GroupPagePermission.objects.filter(group__in=user.groups.all())
    if codenames is not None:
        granted = granted.filter(permission__codename__in=codenames)
    return list(granted.values_list("page__path", flat=True))


def _councils_under(paths, registers):
    if not paths:
        return []
    # A permission on a register, or on any page above it (the home page), covers that council.
    found = registers.values_list("path", "organisation_id")
    return sorted({org for path, org in found if any(path.startswith(p) for p in paths)})
