"""Text handling shared by every search: the words of a query, stop words, stems and accents."""

import re
import unicodedata

import snowballstemmer
from django.utils.translation import get_language

from base.text import remove_unsafe_characters

MAX_QUERY_LENGTH = 200
MAX_TERMS = 12


def clean_query(raw):
    """The query as typed (trimmed, for showing back) and its words (for searching).

    Search engines give quotes, brackets, colons and operators special meanings; people rarely mean them,
    so only the words are searched for. Control and text-direction characters are dropped, so the query shown
    back reads as it was typed.
    """
    query = " ".join(remove_unsafe_characters(raw).split())[:MAX_QUERY_LENGTH]
    terms = re.findall(r"\w+", query)[:MAX_TERMS]
    return query, terms


# English words too common to search for: PostgreSQL's list (Snowball's), so that SQLite and
# Elasticsearch match as PostgreSQL does. "the cameras" searches for "cameras".
_STOP_WORDS_TEXT = """
    i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her hers
    herself it its itself they them their theirs themselves what which who whom this that these those am is are
    was were be been being have has had having do does did doing a an the and but if or because as until while
    of at by for with about against between into through during before after above below to from up down in out
    on off over under again further then once here there when where why how all any both each few more most
    other some such no nor not only own same so than too very s t can will just don should now"""
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())


def content_words(terms):
    """The words worth searching for: on English pages, without the stop words (unless that leaves none)."""
    if is_welsh():
        return terms
    words = [term for term in terms if term.lower() not in STOP_WORDS]
    return words or terms


def is_welsh():
    return (get_language() or "").startswith("cy")


def stemmer():
    """An English stemmer for highlighting and suggestions, or None on Welsh pages (no Welsh stemmer)."""
    if is_welsh():
        return None
    return snowballstemmer.stemmer("english")


def fold(word):
    """The word in lower case without accents, as the search index compares words: "Camerâu" -> "camerau"."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _accented_letters():
    """Each plain letter and the accented letters that read as it: {"a": "aàáâãäåā…AÀÁ…", "w": "wŵẁẃẅWŴ…"}."""
    letters = {}
    for code in [*range(0xC0, 0x250), *range(0x1E00, 0x1F00)]:
        char = chr(code)
        base = fold(char)
        if len(base) == 1 and base.isascii() and base.isalpha() and char.lower() != base:
            letters.setdefault(base, base + base.upper())
            letters[base] += char
    return letters


ACCENTED_LETTERS = _accented_letters()


def accent_insensitive_pattern(word):
    """A regular expression (for ``__iregex``) matching the word with or without accents.

    "camerau" and "camerâu" both give "c[aàáâ…]m[eèéê…]r[aàáâ…][uùúû…]". A word is letters, digits and
    underscores only, so nothing else needs escaping; the pattern reads the same to PostgreSQL and to Python.
    """
    parts = []
    for char in word.lower():
        plain = fold(char)
        # Only Latin letters are widened; other scripts (Urdu, Arabic) are matched as typed.
        parts.append(f"[{ACCENTED_LETTERS[plain]}]" if plain in ACCENTED_LETTERS else char)
    return "".join(parts)


# Each word as written -> its English stem, kept for the life of the process: highlighting a page of results
# meets the same few thousand words again and again. Only the results are shared; each caller stems with its
# own stemmer (a snowball stemmer is not safe to share between threads).
_ENGLISH_STEMS = {}
MAX_REMEMBERED_STEMS = 200_000


def stem_word(word, stem):
    """One word folded and stemmed (with None as the stemmer, on Welsh pages: folded only)."""
    if stem is None:
        return fold(word)
    found = _ENGLISH_STEMS.get(word)
    if found is None:
        found = stem.stemWord(fold(word))
        if len(_ENGLISH_STEMS) < MAX_REMEMBERED_STEMS:
            _ENGLISH_STEMS[word] = found
    return found


def stem_words(words, stem):
    """The words folded (lower case, no accents) and stemmed: what the index compares."""
    return [stem_word(word, stem) for word in words]
