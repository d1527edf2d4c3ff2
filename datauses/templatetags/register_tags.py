"""Presentation helpers for register entries."""

import functools
import json
from typing import NamedTuple
from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import ngettext

from base.languages import html_lang

register = template.Library()

# As Django's json_script: nothing in the data can close the <script> element or start markup.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def paragraphs(text, lang=""):
    """Plain text with blank lines between paragraphs, as GOV.UK body paragraphs.

    ``lang`` marks the paragraphs as being in another language than the page (an untranslated entry).
    """
    blocks = [b.strip() for b in (text or "").replace("\r\n", "\n").split("\n\n") if b.strip()]
    template = f'<p class="govuk-body" lang="{escape(lang)}">{{}}</p>' if lang else '<p class="govuk-body">{}</p>'
    # Each paragraph is escaped before its line breaks become <br>.
    lines = ((mark_safe(escape(b).replace("\n", "<br>")),) for b in blocks)  # noqa: S308
    return format_html_join("\n", template, lines)


class Option(NamedTuple):
    """One checkbox or radio button of a choice field (components/checkboxes.html and radios.html)."""

    id: str
    value: str
    label: str
    checked: bool
    count: str  # the facet count as shown after the label, or ""


# One govukCheckboxes or govukRadios item, as components/checkboxes.html and radios.html lay it out.
CHOICE_ITEM = (
    '\n        <div class="govuk-{kind}__item">'
    '\n          <input class="govuk-{kind}__input" id="{id}" name="{name}" type="{type}" value="{value}"{checked}>'
    '\n          <label class="govuk-label govuk-{kind}__label" for="{id}">{label}{count}</label>'
    "\n        </div>\n      "
)
CHOICE_KINDS = {"checkbox": "checkboxes", "radio": "radios"}


@register.simple_tag
def choice_items(field, counts=None, input_type="checkbox"):
    """The checkboxes or radio buttons of a bound choice field, each with its facet count when ``counts``
    (facet counts by value) are given: ``{% choice_items field counts "radio" %}``.

    Written here rather than looped over in the template: a search page has about a hundred filter options,
    and a template loop over them was a third of the time it took to build the page."""
    kind, name = CHOICE_KINDS[input_type], field.html_name
    return mark_safe(  # noqa: S308 (every value is escaped by format_html)
        "".join(
            format_html(
                CHOICE_ITEM,
                kind=kind,
                type=input_type,
                name=name,
                id=option.id,
                value=option.value,
                checked=mark_safe(" checked") if option.checked else "",
                label=option.label,
                count=option.count,
            )
            for option in choice_options(field, counts)
        )
    )


def choice_options(field, counts=None):
    """Each option of a bound choice field: its id, value, label, whether it is chosen and, when ``counts``
    (facet counts by value) are given, its count.

    The same ids and choices as Django's own iteration over the field's widget (``{% for choice in field %}``),
    which builds and deep-copies a widget for every option: on a register page with its filters, a fifth of
    the time it takes to build the page.
    """
    widget = field.field.widget
    chosen = widget.format_value(field.value())
    multiple = widget.allow_multiple_selected
    found = []
    has_chosen = False
    for index, (value, label) in enumerate(field.field.choices):
        value = "" if value is None else str(value)
        checked = (multiple or not has_chosen) and value in chosen
        has_chosen = has_chosen or checked
        count = facet_count(counts.get(value, 0)) if counts else ""
        found.append(Option(f"{field.auto_id}_{index}", value, label, checked, count))
    return found


def facet_count(n):
    """How many entries a filter option would leave, with the words a screen reader needs."""
    return _facet_count(n, translation.get_language())


@functools.lru_cache(maxsize=4096)
def _facet_count(n, language):
    # The same few numbers come again and again, and looking up "entries" in the catalogues goes through
    # several fallbacks each time.
    return format_html(
        ' <span class="app-facet-count">({}<span class="govuk-visually-hidden"> {}</span>)</span>',
        n,
        ngettext("entry", "entries", n),
    )


@register.simple_tag(takes_context=True)
def register_downloads(context):
    """Addresses of the entries listed, as filtered, in CSV and JSON (datauses/open_data.py): on a council's
    register, that council's entries."""
    request, page = context["request"], context.get("page")
    params = request.GET.copy()
    params.pop("page", None)
    organisation = getattr(page, "organisation", None)
    if organisation is not None:
        params.setlist("council", [organisation.slug])
    query = params.urlencode()
    links = {
        file_format: reverse("open_data_download", args=[file_format]) + (f"?{query}" if query else "")
        for file_format in ("csv", "json")
    }
    # Email alerts for the same council, service area and kind of data (one of each: the first chosen).
    alert = urlencode(
        {name: params.getlist(name)[0] for name in ("council", "service_area", "data") if params.getlist(name)}
    )
    links["alerts"] = reverse("feedback:alerts") + (f"?{alert}" if alert else "")
    return links


@register.simple_tag(takes_context=True)
def entry_structured_data(context, entry):
    """schema.org JSON-LD for an entry page: a GovernmentService provided by the council, so search engines
    can tell what the service is and who runs it. A data block, never run as a script (so the
    Content-Security-Policy needs no exception for it)."""
    request = context["request"]
    data = {
        "@context": "https://schema.org",
        "@type": "GovernmentService",
        "name": entry.title,
        "description": entry.summary,
        "url": request.build_absolute_uri(entry.get_url(request)),
        "serviceType": str(entry.service_area),
        "provider": {"@type": "GovernmentOrganization", "name": entry.organisation.name},
        "inLanguage": html_lang(translation.get_language()),
        "identifier": entry.reference,
    }
    if entry.last_published_at:
        data["dateModified"] = entry.last_published_at.date().isoformat()
    text = json.dumps(data, ensure_ascii=False).translate(JSON_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308 (escaped)
