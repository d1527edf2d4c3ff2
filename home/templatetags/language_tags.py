"""The language switcher, hreflang alternates and the untranslated-page note (see base/languages.py)."""

from django import template
from django.conf import settings
from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from wagtail.models import Page

from base import memo
from base.languages import html_lang, is_partly_translated, language_name, versions
from home.models import DEFAULT_SERVICE_NAME, BrandingSettings

register = template.Library()


@register.simple_tag(takes_context=True)
def page_languages(context):
    """What base.html needs about languages: every version of this page, and whether this one is translated.

    Returns a dict with ``versions`` (for the switcher: the other languages, each linking to this page in that
    language), ``alternates`` (for <link hreflang>: only real translations, plus x-default), and
    ``untranslated_from`` (the language code of the original when this page is an untranslated copy).
    """
    request = context.get("request")
    page = context.get("page")
    url_name = context.get("language_url_name")
    current = translation.get_language()
    if isinstance(page, Page) and page.pk and not getattr(request, "is_preview", False):
        site = getattr(request, "_wagtail_site", None)
        key = ("languages", page.pk, current, url_name, getattr(site, "pk", None))
        return memo.remember(request, key, lambda: _page_languages(request, page, url_name, current))
    return _page_languages(request, page, url_name, current)


def _page_languages(request, page, url_name, current):
    found = versions(request, page if isinstance(page, Page) else None, url_name)
    this = next((version for version in found if version.code == current), None)
    untranslated_from = None
    if this is not None and not this.translated and isinstance(page, Page):
        untranslated_from = page.alias_of.locale.language_code
    partly_translated = untranslated_from is None and current != settings.LANGUAGE_CODE and is_partly_translated(page)
    alternates = [(html_lang(version.code), version.url) for version in found if version.translated]
    default = next((version for version in found if version.code == settings.LANGUAGE_CODE), None)
    if default is not None and len(alternates) > 1:
        alternates.append(("x-default", default.url))
    if len(alternates) < 2:
        alternates = []  # a page in one language has no alternates
    return {
        "versions": [version for version in found if version.code != current],
        "alternates": alternates,
        "untranslated_from": untranslated_from,
        "untranslated_from_name": language_name(untranslated_from) if untranslated_from else "",
        "untranslated_from_lang": html_lang(untranslated_from) if untranslated_from else "",
        "partly_translated": partly_translated,
        "default_language_name": language_name(settings.LANGUAGE_CODE),
    }


@register.filter
def lang_attr(code):
    """A language code as HTML wants it in lang and hreflang: "en-gb" becomes "en-GB"."""
    return html_lang(code)


@register.simple_tag(takes_context=True)
def branding_names(context):
    """The service and partnership names in the page's language, with ``*_lang`` set where they are not in it."""
    request = context.get("request")
    try:
        branding = BrandingSettings.for_request(request) if request is not None else None
    except BrandingSettings.DoesNotExist:
        branding = None  # no site yet (a new install before its first page): the service's default name
    current = translation.get_language() or settings.LANGUAGE_CODE
    names = {}
    for key, field in (("service", "service_name"), ("partnership", "partnership_name")):
        if branding is None:
            text, language = (DEFAULT_SERVICE_NAME if key == "service" else ""), settings.LANGUAGE_CODE
        else:
            text, language = branding.name_in(field, current)
        names[key] = text
        names[f"{key}_lang"] = html_lang(language) if language != current else ""
    names["partnership_html"] = (
        format_html('<span lang="{}">{}</span>', names["partnership_lang"], names["partnership"])
        if names["partnership_lang"]
        else names["partnership"]
    )
    return names


# Intl.PluralRules categories govuk-frontend's JavaScript picks from, with a number in each for our catalogue's
# plural forms (Welsh has zero, one, two, few, many and other; English only one and other).
PLURAL_SAMPLES = {"zero": 0, "one": 1, "two": 2, "few": 3, "many": 6, "other": 4}


@register.simple_tag
def character_count_messages():
    """govuk-frontend's character count messages in the page's language, as its data-i18n.* attributes.

    Its JavaScript only knows English; without these a Welsh form said "You have 1200 characters remaining".
    Each message is our catalogue's, with the count left as govuk-frontend's %{count} placeholder.
    """
    count = "%{count}"
    messages = {}
    for category, n in PLURAL_SAMPLES.items():
        messages[f"characters-under-limit.{category}"] = ngettext(
            "You have %(count)s character remaining", "You have %(count)s characters remaining", n
        ) % {"count": count}
        messages[f"characters-over-limit.{category}"] = ngettext(
            "You have %(count)s character too many", "You have %(count)s characters too many", n
        ) % {"count": count}
        messages[f"textarea-description.{category}"] = ngettext(
            "You can enter up to %(count)s character", "You can enter up to %(count)s characters", n
        ) % {"count": count}
    messages["characters-at-limit"] = gettext("You have 0 characters remaining")
    return format_html_join(" ", 'data-i18n.{}="{}"', sorted(messages.items()))
