"""Searching and filtering the register: one path for the register pages and the search page.

A query runs once through the search backend (database or Elasticsearch) over the entries the visitor
may see. Everything else is done by the database on the matching primary keys: the register's filters,
the facet counts (for each filter, how many results each option would leave), sorting and the cards. So
the filters and counts are the same on every backend, and the page uses a fixed number of SQL queries
whatever the number of results.
"""

import difflib
import html
import logging
import re
import unicodedata
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count, Max, Q
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from wagtail.models import Locale

from datauses.filters import AUTOMATED, SORT_ORDER, DataUseFilterSet
from datauses.models import DataCategory, DataUseCategory, DataUsePage, ServiceArea, SharingPartner

logger = logging.getLogger(__name__)

MAX_QUERY_LENGTH = 200
MAX_TERMS = 12
EXTRACT_LENGTH = 220
FACETS = ("council", "service_area", "data", "lawful_basis", "status", "automated", "sharing")


class SearchUnavailable(Exception):
    """The search backend could not answer (for example, Elasticsearch is down)."""


def _backend_errors():
    errors = [OSError]
    try:
        from elastic_transport import TransportError
        from elasticsearch import ApiError

        errors += [TransportError, ApiError]
    except ImportError:  # pragma: no cover - the client is in requirements.txt
        pass
    try:
        from opensearchpy.exceptions import OpenSearchException

        errors.append(OpenSearchException)
    except ImportError:  # pragma: no cover
        pass
    return tuple(errors)


BACKEND_ERRORS = _backend_errors()


def clean_query(raw):
    """The query as typed (trimmed, for showing back) and its words (for searching).

    Search engines give quotes, brackets, colons and operators special meanings; people rarely mean them,
    so only the words are searched for.
    """
    query = " ".join((raw or "").split())[:MAX_QUERY_LENGTH]
    terms = re.findall(r"\w+", query)[:MAX_TERMS]
    return query, terms


# English words too common to search for: PostgreSQL's list (Snowball's), so that SQLite and
# Elasticsearch match as PostgreSQL does. "the cameras" searches for "cameras".
STOP_WORDS = frozenset(
    """i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her hers
    herself it its itself they them their theirs themselves what which who whom this that these those am is are
    was were be been being have has had having do does did doing a an the and but if or because as until while
    of at by for with about against between into through during before after above below to from up down in out
    on off over under again further then once here there when where why how all any both each few more most
    other some such no nor not only own same so than too very s t can will just don should now""".split()
)


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
    import snowballstemmer

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


def _stem(words, stem):
    words = [fold(word) for word in words]
    return stem.stemWords(words) if stem else words


# Database backends whose compiler can return ranked keys as a query (PostgreSQL, SQLite FTS5).
FULL_TEXT_DATABASE_BACKENDS = {
    "modelsearch.backends.database.postgres.postgres",
    "modelsearch.backends.database.sqlite.sqlite",
}


def ranked_pks(candidates, terms, locale_id, operator="and"):
    """Primary keys of the candidates matching the terms, best match first.

    Raises SearchUnavailable if the backend cannot be reached.
    """
    limit = settings.SEARCH_MAX_HITS
    from wagtail.search.backends import get_search_backend

    backend = get_search_backend()
    try:
        if any(cls.__module__ in FULL_TEXT_DATABASE_BACKENDS for cls in type(backend).__mro__):
            # The database backends give the ranked keys without building page objects. The search runs over
            # simple filters (live, language) and the candidates are kept in Python: a subquery of the
            # candidates makes the database rank every row again (seconds at 10,000 entries).
            allowed = set(candidates.values_list("pk", flat=True))
            results = DataUsePage.objects.live().filter(locale_id=locale_id).search(" ".join(terms), operator=operator)
            compiler = results.query_compiler
            ranked = None
            if type(backend).__module__ == "search.sqlite_backend":
                from .sqlite_backend import ranked_object_ids

                ranked = ranked_object_ids(compiler, None)
            elif connection.vendor == "postgresql":
                from .postgres_backend import ranked_object_ids

                ranked = ranked_object_ids(compiler, backend)
            if ranked is None:
                ranked = compiler.search(compiler.get_config(backend), 0, None).values_list("pk", flat=True)
            return [pk for pk in ranked if pk in allowed][:limit]
        # Elasticsearch and OpenSearch: filter by what the index holds (live, language); the database then
        # keeps only the candidates (public, in this register, the visitor's filters).
        in_index = DataUsePage.objects.live().filter(locale_id=locale_id).only("pk")
        results = in_index.search(" ".join(terms), operator=operator)
        return [hit.pk for hit in results[:limit]]
    except BACKEND_ERRORS as error:
        logger.warning("Search backend unavailable: %s", error)
        raise SearchUnavailable from error


@dataclass
class RegisterSearch:
    """The outcome of one visit to a register or the search page."""

    query: str = ""
    terms: list = field(default_factory=list)
    filterset: DataUseFilterSet | None = None
    paginator: Paginator | None = None
    page_obj: object = None
    entries: list = field(default_factory=list)
    facets: dict = field(default_factory=dict)
    suggestion: str = ""
    unavailable: bool = False
    # True when no entry had every word, so the results have some of them.
    matched_any_word: bool = False

    @property
    def count(self):
        return self.paginator.count if self.paginator else 0

    @property
    def page_range(self):
        return self.paginator.get_elided_page_range(self.page_obj.number, on_each_side=2, on_ends=1)


def run(request, base, register=None, locale=None, page_size=None):
    """Search and filter ``base`` (live, public entries in one language) as the request asks."""
    page_size = page_size or settings.REGISTER_PAGE_SIZE
    query, terms = clean_query(request.GET.get("q"))
    if locale is not None:
        locale_id = locale.pk
    else:
        locale_id = register.locale_id if register else Locale.get_active().pk
    filterset = DataUseFilterSet(request.GET, queryset=base, register=register, locale_id=locale_id)
    outcome = RegisterSearch(query=query, terms=terms, filterset=filterset)
    filterset.form.is_valid()
    chosen = {
        name: value
        for name, value in filterset.form.cleaned_data.items()
        if name in filterset.filters and name != "sort" and value not in (None, "", [])
    }

    hits = None
    words = content_words(terms)
    if words:
        try:
            hits = ranked_pks(base, words, locale_id)
            if not hits and len(words) > 1:
                hits = ranked_pks(base, words, locale_id, operator="or")
                outcome.matched_any_word = bool(hits)
        except SearchUnavailable:
            outcome.unavailable = True

    narrowed = base if hits is None else base.filter(pk__in=hits)
    results = _apply(filterset, narrowed, chosen)
    sort = filterset.form.cleaned_data.get("sort")
    if hits is not None and not sort:
        kept = set(results.order_by().values_list("pk", flat=True))
        ordered = [pk for pk in hits if pk in kept]
        outcome.paginator = Paginator(ordered, page_size)
        outcome.page_obj = outcome.paginator.get_page(request.GET.get("page"))
        cards = base.in_bulk(list(outcome.page_obj.object_list))
        outcome.entries = [cards[pk] for pk in outcome.page_obj.object_list if pk in cards]
    else:
        results = results.order_by(*SORT_ORDER[sort or "title"])
        outcome.paginator = Paginator(results, page_size)
        outcome.page_obj = outcome.paginator.get_page(request.GET.get("page"))
        outcome.entries = list(outcome.page_obj.object_list)

    outcome.facets = facet_counts(filterset, narrowed, chosen)
    if hits is not None:
        stem = stemmer()
        for entry in outcome.entries:
            entry.search_title = highlight(entry.title, words, stem)
            entry.search_extract = extract(entry, words, stem)
        outcome.suggestion = spelling_suggestion(terms, base.model, locale_id, stem)
    return outcome


def _apply(filterset, queryset, chosen, leave_out=None):
    for name, value in chosen.items():
        if name != leave_out:
            queryset = filterset.filters[name].filter(queryset, value)
    return queryset


def facet_counts(filterset, narrowed, chosen):
    """For each filter, how many results each option would leave with the other filters kept.

    Options within one filter are alternatives (ticking two widens the list), so each filter's counts
    ignore that filter's own choice.
    """
    counts = {}
    for name in FACETS:
        if name not in filterset.filters:
            continue
        queryset = _apply(filterset, narrowed, chosen, leave_out=name).order_by()
        if name == "council":
            counts[name] = _grouped(queryset, "organisation__slug")
        elif name == "service_area":
            counts[name] = _grouped(queryset, "service_area__slug")
        elif name in ("lawful_basis", "status"):
            counts[name] = _grouped(queryset, name)
        elif name == "data":
            links = DataUseCategory.objects.filter(page__in=queryset.values("pk"))
            rows = links.values("category__slug").annotate(n=Count("page", distinct=True)).order_by()
            counts[name] = {row["category__slug"]: row["n"] for row in rows}
        elif name == "automated":
            totals = queryset.aggregate(yes=Count("pk", filter=AUTOMATED), no=Count("pk", filter=~AUTOMATED))
            counts[name] = totals
        elif name == "sharing":
            totals = queryset.aggregate(yes=Count("pk", filter=Q(shares_data=True)), all=Count("pk"))
            counts[name] = {"yes": totals["yes"], "no": totals["all"] - totals["yes"]}
    return counts


def _grouped(queryset, field_name):
    rows = queryset.values(field_name).annotate(n=Count("pk")).order_by()
    return {row[field_name]: row["n"] for row in rows}


WORD = re.compile(r"\w+")


def highlight(text, terms, stem):
    """Escaped text with each word that matches a search term (by stem) wrapped in <mark>."""
    wanted = set(_stem(terms, stem))
    parts, last = [], 0
    for match in WORD.finditer(text):
        if _stem([match.group()], stem)[0] in wanted:
            parts.append(escape(text[last : match.start()]))
            parts.append(f"<mark>{escape(match.group())}</mark>")
            last = match.end()
    parts.append(escape(text[last:]))
    return mark_safe("".join(parts))  # noqa: S308 - every piece is escaped above


def extract(entry, terms, stem):
    """A short passage of the entry around the first matching words, with them highlighted."""
    wanted = set(_stem(terms, stem))
    for text in (entry.summary, entry.purpose, entry.benefits, entry.data_sources):
        text = html.unescape(" ".join((text or "").split()))
        for match in WORD.finditer(text):
            if _stem([match.group()], stem)[0] in wanted:
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
    return highlight(entry.summary, terms, stem)


def vocabulary(model, locale_id, stem):
    """Words used in the live entries (titles, summaries) and the register's terms, with their stems.

    For spelling suggestions. Cached until an entry is published, changed or unpublished.
    """
    entries = model.objects.live().public().filter(locale_id=locale_id)
    version = entries.aggregate(n=Count("pk"), latest=Max("last_published_at"))
    latest = version["latest"].timestamp() if version["latest"] else 0
    key = f"search-vocabulary-{locale_id}-{version['n']}-{latest}"
    known = cache.get(key)
    if known is None:
        words = {}
        texts = []
        for title, summary in entries.values_list("title", "summary").iterator():
            texts.append(title)
            texts.append(summary)
        for snippet in (ServiceArea, DataCategory, SharingPartner):
            texts.extend(snippet.objects.filter(locale_id=locale_id).values_list("name", flat=True))
        for text in texts:
            for word in WORD.findall(text.lower()):
                if len(word) > 2 and not word.isdigit():
                    words[word] = words.get(word, 0) + 1
        known = {"words": words, "stems": set(_stem(list(words), stem))}
        cache.set(key, known, 60 * 60 * 24)
    return known


def spelling_suggestion(terms, model, locale_id, stem):
    """'Did you mean …?': the query with unknown words replaced by the closest known ones, or ''."""
    known = vocabulary(model, locale_id, stem)
    words = known["words"]
    changed, corrected = False, []
    for term in terms:
        lower = term.lower()
        if lower in words or len(lower) < 3 or lower.isdigit() or _stem([lower], stem)[0] in known["stems"]:
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
