"""Presentation helpers for register entries."""

from django import template
from django.utils.html import escape, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()


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


@register.filter
def count_for(counts, value):
    """The facet count for one filter option, or None when there are no counts to show."""
    if counts is None:
        return None
    return counts.get(value, 0)
