"""The glossary on an entry page (datauses/glossary.py): `{% page_glossary page as glossary %}` once, then
`{% explained glossary page.purpose lang %}` for each text, and the list of terms used at the end."""

from django import template

from ..glossary import EntryGlossary

register = template.Library()


@register.simple_tag
def page_glossary(page):
    """The glossary terms of the page's language (one query), ready to mark their first use."""
    return EntryGlossary.for_page(page)


@register.simple_tag
def explained(glossary, text, lang=""):
    """The text as paragraphs (as the `paragraphs` filter), with the first use of each glossary term linked to
    its explanation. Without a glossary it is the same as the `paragraphs` filter."""
    return (glossary or EntryGlossary([])).paragraphs(text, lang)
