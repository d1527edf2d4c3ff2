"""The glossary on an entry page: the first use of each glossary term in the entry's text links to its explanation
under "Words we use on this page" at the end of the entry, which lists only the terms the entry uses.

Works without JavaScript: a link to an anchor, and back. The text stays plain text, escaped as the `paragraphs`
filter (datauses/templatetags/register_tags.py) escapes it."""

import re
from dataclasses import dataclass

from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from wagtail.models import Locale, Page

from base import memo

from .models import GlossaryTerm


def _key(written):
    """How a form is looked up whatever its case and spacing: "Personal  Data" is "personal data"."""
    return " ".join(written.split()).casefold()


@dataclass
class UsedTerm:
    """A term the page uses, with the ids that link its first use and its explanation both ways."""

    term: GlossaryTerm
    anchor: str  # the explanation's id, which the first use links to

    @property
    def use_anchor(self):
        return f"{self.anchor}-use"

    @property
    def explanation_id(self):
        return f"{self.anchor}-explanation"


class EntryGlossary:
    """The glossary terms of one page's language, marking each term's first use as the page's text is rendered.

    The template renders the text in reading order, so the first use marked is the first a reader meets, and a
    part the template leaves out (a field shown only in some cases) never holds the link."""

    def __init__(self, terms):
        self.terms = list(terms)
        self.by_form = {}
        for term in self.terms:
            for form in term.forms:
                self.by_form.setdefault(_key(form), term)
        # Longest first, so that "personal data" is found before "data" where both could start.
        forms = sorted(self.by_form, key=len, reverse=True)
        alternatives = "|".join(r"\s+".join(re.escape(part) for part in form.split()) for form in forms)
        # Whole words only: not "data" inside "metadata" or "data-driven".
        self.pattern = re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.IGNORECASE) if forms else None
        self.used = []  # UsedTerm, in the order of first use
        self._used_terms = set()
        self._anchors = set()

    @classmethod
    def for_page(cls, page, request=None):
        """The terms in the language of the page's text, in one query (none while base.memo remembers them): an
        untranslated copy (an alias) shows its original's text, so it uses the original's terms. A preview's
        unsaved page may have no locale yet."""
        if getattr(page, "alias_of_id", None):
            key = ("glossary", "original", page.alias_of_id)
            terms = GlossaryTerm.objects.filter(locale__in=Page.objects.filter(pk=page.alias_of_id).values("locale"))
        elif getattr(page, "locale_id", None):
            key = ("glossary", page.locale_id)
            terms = GlossaryTerm.objects.filter(locale_id=page.locale_id)
        else:
            key = ("glossary", None)
            terms = GlossaryTerm.objects.filter(locale=Locale.get_default())
        return cls(memo.remember(request, key, lambda: list(terms)))

    def _anchor_for(self, term):
        base = f"glossary-{slugify(term.term, allow_unicode=True) or term.pk}"
        anchor, n = base, 1
        while anchor in self._anchors:
            n += 1
            anchor = f"{base}-{n}"
        self._anchors.add(anchor)
        return anchor

    def _first_use(self, term, written):
        used = UsedTerm(term=term, anchor=self._anchor_for(term))
        self.used.append(used)
        self._used_terms.add(term.pk)
        return format_html(
            '<a href="#{}" id="{}" class="govuk-link app-glossary-term" aria-describedby="{}">{}</a>',
            used.anchor,
            used.use_anchor,
            used.explanation_id,
            " ".join(written.split()),
        )

    def _mark(self, paragraph):
        """One paragraph as HTML: escaped, line breaks as <br>, the first use of each term a link."""
        pieces, start = [], 0
        for match in self.pattern.finditer(paragraph) if self.pattern else ():
            term = self.by_form.get(_key(match.group(0)))
            if term is None or term.pk in self._used_terms:
                continue  # a later use stays plain text
            pieces.append(escape(paragraph[start : match.start()]).replace("\n", "<br>"))
            pieces.append(self._first_use(term, match.group(0)))
            start = match.end()
        pieces.append(escape(paragraph[start:]).replace("\n", "<br>"))
        return mark_safe("".join(pieces))  # noqa: S308 (every piece is escaped or built with format_html)

    def paragraphs(self, text, lang=""):
        """As the `paragraphs` filter: blank lines between paragraphs become GOV.UK body paragraphs, marked with
        ``lang`` when the text is in another language than the page. Here the first use of each term is linked."""
        blocks = [b.strip() for b in (text or "").replace("\r\n", "\n").split("\n\n") if b.strip()]
        template = f'<p class="govuk-body" lang="{escape(lang)}">{{}}</p>' if lang else '<p class="govuk-body">{}</p>'
        return format_html_join("\n", template, ((self._mark(block),) for block in blocks))
