"""Site navigation and branding, worked out once per page from the page tree."""

from django import template
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from wagtail.models import Site

from base import memo
from base.languages import for_reader
from base.validators import HEX_COLOUR
from datauses.models import RegisterPage
from home.models import ContentPage

# The partnership's colour when none is set, as BrandingSettings.brand_colour defaults to.
DEFAULT_BRAND_COLOUR = "#0b3d5c"

register = template.Library()


@register.simple_tag(takes_context=True)
def site_menu(context):
    """Header and footer links, and which council (if any) brands this page.

    Header links are the registers under the home page marked 'show in menus'; footer links are
    the content pages (accessibility, privacy) marked the same way.
    """
    request = context.get("request")
    page = context.get("page")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return {"home": None, "header": [], "footer": [], "council": None, "council_home": None}
    key = ("menu", site.pk, translation.get_language())
    menu = memo.remember(request, key, lambda: _menu_links(site, request))
    for register in menu["header"]:
        register.is_active = bool(page is not None and getattr(page, "path", "").startswith(register.path))
    council = getattr(page, "organisation", None)
    if council is not None:
        menu["council"] = council
        # The council's register is the active header link, so no extra query is needed to find it.
        menu["council_home"] = next((p for p in menu["header"] if p.is_active), None) or page.get_parent()
    elif context.get("council") is not None:
        # A view about one council that is not one of its pages (its "You said, we did" page, say).
        menu["council"] = context["council"]
        menu["council_home"] = context.get("council_home")
        for register in menu["header"]:
            register.is_active = register.pk == getattr(menu["council_home"], "pk", None)
    return menu


def _menu_links(site, request):
    """The links every page of the site in this language shows (remembered: base.memo)."""
    home = site.root_page.localized
    registers = list(
        RegisterPage.objects.child_of(home)
        .live()
        .public()
        .in_menu()
        .select_related("organisation", "locale", "alias_of__locale")
        .order_by("path")
    )
    # A council that does not offer this language is linked in English (base.languages.for_reader).
    for_reader(registers, request)
    for register in registers:
        # Menus use the council's short name; the combined register says "All councils".
        register.menu_label = register.organisation.short_name if register.organisation else _("All councils")
    footer = list(ContentPage.objects.child_of(home).live().public().in_menu().order_by("path"))
    return {"home": home, "header": registers, "footer": footer, "council": None, "council_home": None}


@register.simple_tag
def brand_colour_stylesheet(*colours):
    """The address of the stylesheet carrying the first valid colour given (see home.views.brand_colour_css).

    The Content-Security-Policy refuses inline styles, so the colour travels in a stylesheet's address. Colours
    are checked when saved (base.validators); one that somehow is not six hex digits falls back to the next.
    """
    for colour in colours:
        if colour and HEX_COLOUR.match(colour):
            return reverse("brand_colour_css", args=[colour[1:].lower()])
    return reverse("brand_colour_css", args=[DEFAULT_BRAND_COLOUR[1:]])
