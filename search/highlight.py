"""Highlighting: the words that match a search, marked in a title or a short passage."""

import html
import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

from .text import stem_word, stem_words

EXTRACT_LENGTH = 220

WORD = re.compile(r"\w+")


def highlight(text, terms, stem):
    """Escaped text with each word that matches a search term (by stem) wrapped in <mark>."""
    wanted = set(stem_words(terms, stem))
    parts, last = [], 0
    for match in WORD.finditer(text):
        if stem_word(match.group(), stem) in wanted:
            parts.append(escape(text[last : match.start()]))
            parts.append(f"<mark>{escape(match.group())}</mark>")
            last = match.end()
    parts.append(escape(text[last:]))
    return mark_safe("".join(parts))  # noqa: S308 - every piece is escaped above


def extract(texts, terms, stem):
    """A short passage around the first matching words in the texts (tried in order), highlighted.

    Without a match, the first text highlighted as it is.
    """
    wanted = set(stem_words(terms, stem))
    for text in texts:
        text = html.unescape(" ".join((text or "").split()))
        for match in WORD.finditer(text):
            if stem_word(match.group(), stem) in wanted:
                start = max(0, match.start() - EXTRACT_LENGTH // 3)
                if start:
                    start = text.find(" ", start) + 1 or start
                end = start + EXTRACT_LENGTH
                if end < len(text):
                    end = text.rfind(" ", start, end) if " " in text[start:end] else end
                passage = text[start:end]
                prefix = "… " if start else ""
                suffix = " …" if end < len(text) else ""
                return mark_safe(escape(prefix) + highlight(passage, terms, stem) + escape(suffix))  # noqa: S308
    return highlight(texts[0] if texts else "", terms, stem)
