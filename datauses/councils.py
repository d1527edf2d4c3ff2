"""Setting up a council in one step: its organisation, its register (in each of its languages), the groups of
its roles and their page permissions. Running it again changes nothing; `python manage.py add_council`
and the demo loader both use it.
"""

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.http import Http404
from wagtail.models import Locale, Site

from base.languages import site_languages

from . import roles, sign_off
from .models import Organisation, RegisterPage, ServiceOwnerTeam


@dataclass
class Council:
    organisation: Organisation
    register: RegisterPage
    groups: dict = field(default_factory=dict)  # role key -> Group
    team_groups: list = field(default_factory=list)
    created: int = 0  # how many objects were new


def council_for(slug):
    """The council with this slug, in the language being read if it has that version; Http404 if none."""
    locale = Locale.get_active()
    found = list(Organisation.objects.filter(slug=slug).select_related("locale"))
    organisation = next((o for o in found if o.locale_id == locale.pk), found[0] if found else None)
    if organisation is None:
        raise Http404("No council has that address")
    return organisation


def live_register(organisation):
    """The council's live register in the language being read, or None."""
    return (
        RegisterPage.objects.live()
        .filter(organisation__translation_key=organisation.translation_key, locale=Locale.get_active())
        .first()
    )


def council_languages(organisation):
    """The council's languages besides the default: the ones it ticked."""
    chosen = organisation.languages or []
    return [code for code in site_languages() if code in chosen and code != settings.LANGUAGE_CODE]


def home_page():
    """The top of the default site's page tree, where registers go."""
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        raise LookupError("There is no default site yet: run the migrations, then set up the home page.")
    if not RegisterPage.can_exist_under(site.root_page):
        raise LookupError("The default site's root is not the register's home page: set that up first.")
    return site.root_page


def use_public_address(site=None):
    """Give the default site (or ``site``) the host and port of PUBLIC_BASE_URL, so that links to pages made
    outside a request (``page.full_url`` in the emails to residents) use the public address. Wagtail's own
    default is localhost. Without the setting the site is left as it is. Returns True if it changed."""
    address = getattr(settings, "PUBLIC_BASE_URL", "")
    if not address:
        return False
    parts = urlsplit(address)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path.strip("/"):
        raise ImproperlyConfigured(f"PUBLIC_BASE_URL should be like https://register.example.gov.uk, not {address}")
    # Wagtail writes https:// for port 443 and http:// for any other.
    port = parts.port or (443 if parts.scheme == "https" else 80)
    site = site or Site.objects.filter(is_default_site=True).first()
    if site is None or (site.hostname, site.port) == (parts.hostname, port):
        return False
    site.hostname, site.port = parts.hostname, port
    site.save(update_fields=["hostname", "port"])
    return True


@transaction.atomic
def set_up_council(organisation, parent=None, register_title="", register_intro="", teams=()):
    """Make sure the council has a published register, its copies in its languages, and its groups."""
    parent = parent or home_page()
    council = Council(organisation=organisation, register=None)
    register = RegisterPage.objects.child_of(parent).filter(organisation=organisation).first()
    if register is None:
        register = parent.add_child(
            instance=RegisterPage(
                title=register_title or f"{organisation.name} register",
                slug=organisation.slug,
                intro=register_intro,
                organisation=organisation,
                show_in_menus=True,
                locale=parent.locale,
            )
        )
        register.save_revision(log_action=False).publish(log_action=False)
        council.created += 1
    council.register = register
    for code in council_languages(organisation):
        locale, _created = Locale.objects.get_or_create(language_code=code)
        if not register.has_translation(locale):
            # Until someone translates it, the copy shows the English with a note (see base/languages.py).
            register.copy_for_translation(locale, copy_parents=True, alias=True)
            council.created += 1
    for role in roles.COUNCIL_ROLES:
        group, created = roles.ensure_group(role, council=organisation.short_name)
        council.created += created
        roles.grant_pages(group, role, register)
        council.groups[role.key] = group
    # Entries go live when the council's data protection officers approve them (editors cannot publish).
    sign_off.ensure_sign_off(organisation, register, council.groups[roles.DATA_PROTECTION_OFFICER.key])
    for name in teams:
        team, created = ServiceOwnerTeam.objects.get_or_create(
            organisation=organisation, name=name, locale=organisation.locale
        )
        council.created += created
    for team in ServiceOwnerTeam.objects.filter(organisation=organisation, locale=organisation.locale):
        group, created = roles.team_group(team)
        council.created += created
        council.team_groups.append(group)
    return council


@transaction.atomic
def add_council(slug, name, short_name="", reference_prefix="", languages=None, teams=(), parent=None, **fields):
    """Create a council (or finish setting one up) by its slug. Returns a Council."""
    locale = Locale.get_default()
    organisation = Organisation.objects.filter(slug=slug, locale=locale).first()
    created = organisation is None
    if created:
        organisation = Organisation(
            slug=slug,
            locale=locale,
            name=name,
            short_name=short_name or name,
            reference_prefix=(reference_prefix or slug[:3]).upper(),
            languages=list(languages or []),
            **fields,
        )
        organisation.full_clean()  # ValidationError says what to change; nothing is saved
        organisation.save()
    council = set_up_council(organisation, parent=parent, teams=teams)
    council.created += created
    use_public_address()
    return council
