"""Spelling suggestions: "Did you mean …?" from the words the search index holds.

It knows nothing of the register: the caller gives it the objects whose words count (indexed_texts), a cache key
that changes when they do (vocabulary), and a way to tell whether a corrected query would find anything
(spelling_suggestion), so a suggestion is never a dead end."""

import difflib
import re
from collections import Counter

from django.core.cache import cache
from django.core.exceptions import FieldDoesNotExist
from wagtail.search import index

from .text import stem_words

WORD = re.compile(r"\w+")
# The most frequent words kept for each vocabulary: enough for every word of a large register, small enough
# to cache and to compare a misspelt word with quickly.
MAX_WORDS = 20_000
CACHE_SECONDS = 60 * 60 * 24
# Corrected queries tried, at most, before giving up: each try is a search.
MAX_TRIES = 3


def _search_paths(model, fields, prefix=""):
    """(lookup path, model field) of every text field the search index reads, following RelatedFields."""
    for field in fields:
        if isinstance(field, index.RelatedFields):
            related = field.get_field(model).related_model
            yield from _search_paths(related, field.fields, f"{prefix}{field.field_name}__")
        elif isinstance(field, index.SearchField):
            try:
                model_field = field.get_field(model)
            except FieldDoesNotExist:
                continue  # a method or property: nothing the database can give
            if not model_field.is_relation:
                yield prefix + field.field_name, model_field


def indexed_texts(queryset):
    """Every text the search index holds for the objects in ``queryset``: the model's SearchFields and those of
    its RelatedFields, as the index reads them (rich text without its tags, a StreamField's searchable text).

    Read with values_list, one query for the object's own fields and one for each relation, without building
    the objects."""
    groups = {}
    for path, model_field in _search_paths(queryset.model, queryset.model.get_search_fields()):
        relation = path.split("__", 1)[0] if "__" in path else ""
        groups.setdefault(relation, {})[path] = model_field
    for fields in groups.values():
        for row in queryset.order_by().values_list(*fields).iterator(chunk_size=500):
            for value, model_field in zip(row, fields.values(), strict=True):
                if value is None or value == "":
                    continue
                if hasattr(model_field, "get_searchable_content"):
                    yield from (str(text) for text in model_field.get_searchable_content(value) if text)
                else:
                    yield str(value)


def count_words(texts, limit=None):
    """The words in some texts (more than two letters, not numbers) and how often each is used: the ``limit``
    (MAX_WORDS unless given) most frequent, the more frequent first, then alphabetically when they tie."""
    limit = MAX_WORDS if limit is None else limit
    counts = Counter()
    for text in texts:
        counts.update(word for word in WORD.findall(text.lower()) if len(word) > 2 and not word.isdigit())
    kept = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:limit]
    return dict(kept)


def vocabulary(key, texts, stem, limit=None):
    """The words used in some texts, how often, and their stems; at most ``limit`` of them, the most used.

    ``texts`` is a function giving the texts; it is called only when ``key`` is not in the cache, so the
    caller puts in the key whatever changes the texts (for example the time of the latest publication).
    """
    known = cache.get(key)
    if known is None:
        words = count_words(texts(), limit)
        known = {"words": words, "stems": set(stem_words(list(words), stem))}
        cache.set(key, known, CACHE_SECONDS)
    return known


def _is_known(word, known, stem):
    return word in known["words"] or len(word) < 3 or word.isdigit() or stem_words([word], stem)[0] in known["stems"]


def _options(word, known):
    """The known words close to an unknown one, best first: the closest, then the one used most."""
    words = known["words"]
    close = difflib.get_close_matches(word, words.keys(), n=MAX_TRIES, cutoff=0.75)
    closeness = {near: difflib.SequenceMatcher(None, word, near).ratio() for near in close}
    return sorted(close, key=lambda near: (closeness[near], words[near]), reverse=True)


def spelling_suggestion(terms, known, stem, finds=None):
    """'Did you mean …?': the query with unknown words replaced by the closest ``known`` ones, or ''.

    ``finds``, if given, is called with a corrected query's words and says whether searching for them would find
    anything where the person is searching; a correction that would find nothing is never offered. The closest
    words are tried first, then the next closest, at most MAX_TRIES searches in all."""
    lowered = [term.lower() for term in terms]
    options = [[] if _is_known(word, known, stem) else _options(word, known) for word in lowered]
    if not any(options):
        return ""
    for attempt in range(min(MAX_TRIES, max(len(choices) for choices in options))):
        corrected = [
            choices[min(attempt, len(choices) - 1)] if choices else word
            for word, choices in zip(lowered, options, strict=True)
        ]
        if finds is None or finds(corrected):
            return " ".join(corrected)
    return ""
