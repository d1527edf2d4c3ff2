"""What a page tells search engines and link previews about itself: its description, canonical address and
Open Graph tags (base.html's head)."""

from django import template
from django.utils import translation
from django.utils.text import Truncator
from wagtail.models import Page

from datauses.models import DataUsePage

register = template.Library()

# Search engines show about this many characters of a description.
DESCRIPTION_LENGTH = 200


@register.simple_tag(takes_context=True)
def page_meta(context):
    """A dict with ``description`` (the page's search description, else its summary or introduction),
    ``canonical`` (its full address, without a query string), ``og_type``, ``og_locale`` and
    ``og_alternate_locales`` (the other languages it is published in). Empty for a view that is no page."""
    page, request = context.get("page"), context.get("request")
    if not isinstance(page, Page) or request is None:
        return {}
    text = page.search_description or getattr(page, "summary", "") or getattr(page, "intro", "") or ""
    alternates = context.get("languages", {}).get("alternates", [])
    current = og_locale(translation.get_language())
    return {
        "description": Truncator(" ".join(text.split())).chars(DESCRIPTION_LENGTH),
        "canonical": request.build_absolute_uri(request.path),
        "og_type": "article" if isinstance(page, DataUsePage) else "website",
        "og_locale": current,
        "og_alternate_locales": [
            code
            for code in (og_locale(hreflang) for hreflang, _url in alternates if hreflang != "x-default")
            if code != current
        ],
    }


def og_locale(code):
    """Open Graph wants language_TERRITORY: "en-gb" is en_GB, and Welsh (no territory in its code) cy_GB."""
    name = translation.to_locale(code or "en-gb")
    return name if "_" in name else f"{name}_GB"
