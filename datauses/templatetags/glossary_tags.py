"""The glossary on an entry page (datauses/glossary.py): `{% page_glossary page as glossary %}` once, then
`{% explained glossary page.purpose lang %}` for each text, and the list of terms used at the end."""

from django import template

from ..glossary import EntryGlossary

register = template.Library()


@register.simple_tag(takes_context=True)
def page_glossary(context, page):
    """The glossary terms of the page's language (one query at most), ready to mark their first use."""
    return EntryGlossary.for_page(page, context.get("request"))


@register.simple_tag
def explained(glossary, text, lang=""):
    """The text as paragraphs (as the `paragraphs` filter), with the first use of each glossary term linked to
    its explanation. Without a glossary it is the same as the `paragraphs` filter."""
    return (glossary or EntryGlossary([])).paragraphs(text, lang)
