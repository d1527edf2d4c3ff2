"""Spelling suggestions: "Did you mean …?" from the words the searched texts use."""

import difflib
import re

from django.core.cache import cache

from .text import stem_words

WORD = re.compile(r"\w+")


def vocabulary(key, texts, stem):
    """The words used in some texts (more than two letters, not numbers), how often, and their stems.

    ``texts`` is a function giving the texts; it is called only when ``key`` is not in the cache, so the
    caller puts in the key whatever changes the texts (for example the time of the latest publication).
    """
    known = cache.get(key)
    if known is None:
        words = {}
        for text in texts():
            for word in WORD.findall(text.lower()):
                if len(word) > 2 and not word.isdigit():
                    words[word] = words.get(word, 0) + 1
        known = {"words": words, "stems": set(stem_words(list(words), stem))}
        cache.set(key, known, 60 * 60 * 24)
    return known


def spelling_suggestion(terms, known, stem):
    """'Did you mean …?': the query with unknown words replaced by the closest ``known`` ones, or ''."""
    words = known["words"]
    changed, corrected = False, []
    for term in terms:
        lower = term.lower()
        if lower in words or len(lower) < 3 or lower.isdigit() or stem_words([lower], stem)[0] in known["stems"]:
            corrected.append(lower)
            continue
        close = difflib.get_close_matches(lower, words.keys(), n=3, cutoff=0.75)
        if close:
            # Of the close words, prefer the closest, then the one used most.
            best = max(close, key=lambda word: (difflib.SequenceMatcher(None, lower, word).ratio(), words[word]))
            corrected.append(best)
            changed = True
        else:
            corrected.append(lower)
    return " ".join(corrected) if changed else ""
