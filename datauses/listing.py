"""The register's listing: one path for the register pages and the search page.

A query runs once through the search backend (database or Elasticsearch) over the entries the visitor
may see. Everything else is done by the database on the matching primary keys: the register's filters,
the facet counts (for each filter, how many results each option would leave), sorting and the cards. So
the filters and counts are the same on every backend, and the page uses a fixed number of SQL queries
whatever the number of results.
"""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from itertools import chain

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import BooleanField, Count, ExpressionWrapper, Max
from django.utils import translation
from wagtail.models import Locale, Site

from base import memo
from base.languages import for_reader
from search.highlight import extract, highlight
from search.ranking import SearchUnavailable, ranked_pks
from search.spelling import indexed_texts, spelling_suggestion, vocabulary
from search.text import clean_query, content_words, stemmer

from .filters import AUTOMATED, SORT_ORDER, DataUseFilterSet
from .models.entries import DataUseCategory, DataUsePage

FACETS = ("council", "service_area", "data", "lawful_basis", "status", "automated", "sharing")


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


def run(request, base, register=None, locale=None, page_size=None, memo_key=None):
    """Search and filter ``base`` (live, public entries in one language) as the request asks.

    With ``memo_key`` (what ``base`` is, such as the register's id) the results, counts and cards are
    remembered until anything is published (base.memo); the filters' form is built for each request."""
    page_size = page_size or settings.REGISTER_PAGE_SIZE
    query, terms = clean_query(request.GET.get("q"))
    if locale is not None:
        locale_id = locale.pk
    elif register is not None:
        locale_id = register.locale_id
    else:
        locale_id = Locale.get_active().pk
    filterset = DataUseFilterSet(request.GET, queryset=base, register=register, locale_id=locale_id, request=request)
    outcome = RegisterSearch(query=query, terms=terms, filterset=filterset)
    filterset.form.is_valid()
    chosen = {
        name: value
        for name, value in filterset.form.cleaned_data.items()
        if name in filterset.filters and name != "sort" and value not in (None, "", [])
    }
    sort = filterset.form.cleaned_data.get("sort") or ""

    def find():
        return _find(request, base, filterset, chosen, sort, terms, locale_id, page_size, memo_key)

    if memo_key is None:
        found = find()
    else:
        choices = tuple(sorted((name, _wanted_key(value)) for name, value in chosen.items()))
        page = request.GET.get("page") or ""
        key = ("listing", *memo_key, locale_id, query, choices, sort, page, page_size)
        found = memo.remember(request, key, find, keep=lambda found: not found["unavailable"])
    outcome.paginator = Paginator(_OnePage(found["count"], found["entries"]), page_size)
    outcome.page_obj = outcome.paginator.page(found["number"])
    outcome.entries = found["entries"]
    outcome.facets = found["facets"]
    outcome.suggestion = found["suggestion"]
    outcome.unavailable = found["unavailable"]
    outcome.matched_any_word = found["matched_any_word"]
    return outcome


class _OnePage(Sequence):
    """The results as the paginator sees them: their number, and the cards of the one page shown."""

    def __init__(self, count, entries):
        self.total, self.entries = count, entries

    def __len__(self):
        return self.total

    def __getitem__(self, index):
        return self.entries if isinstance(index, slice) else self.entries[index]


def _wanted_key(value):
    return value if isinstance(value, str) else tuple(sorted(str(v) for v in value))


def _find(request, base, filterset, chosen, sort, terms, locale_id, page_size, memo_key=None):
    """The results of one search: how many, the page's cards, the facet counts and any spelling suggestion."""
    found = {"unavailable": False, "matched_any_word": False, "suggestion": ""}
    hits = None
    words = content_words(terms)
    wanted = {name: _wanted(value) for name, value in chosen.items() if name in FACETS}
    names = [name for name in FACETS if name in filterset.filters]
    # With the memo, the filter values of every entry in ``base`` are kept in the process (facts()), so a
    # search's matches are filtered and counted here, without a query over them.
    table = None
    if words and memo_key is not None and memo.available(request):
        table = memo.shared(request, ("facts", *memo_key, locale_id), lambda: facts(base))
    if words:
        searchable = DataUsePage.objects.live().filter(locale_id=locale_id)
        try:
            hits = ranked_pks(searchable, base, words, allowed=table)
            if not hits and len(words) > 1:
                hits = ranked_pks(searchable, base, words, operator="or", allowed=table)
                found["matched_any_word"] = bool(hits)
        except SearchUnavailable:
            found["unavailable"] = True

    if table is not None and hits is not None:
        matched = [table[pk] for pk in hits]
        found["facets"] = facet_counts(names, matched, wanted)
        ordered = [pk for pk, fact in zip(hits, matched, strict=True) if _keeps(fact, wanted)]
        narrowed = None
    else:
        narrowed = base if hits is None else base.filter(pk__in=hits)
        found["facets"] = facet_counts(names, facts(narrowed).values(), wanted)
        ordered = None
    if hits is not None and not sort:
        if ordered is None:
            kept = set(_apply(filterset, narrowed, chosen).order_by().values_list("pk", flat=True))
            ordered = [pk for pk in hits if pk in kept]
        paginator = Paginator(ordered, page_size)
        page_obj = paginator.get_page(request.GET.get("page"))
        shown = _cards(request, base, list(page_obj.object_list), locale_id)
    else:
        results = base.filter(pk__in=ordered) if ordered is not None else _apply(filterset, narrowed, chosen)
        results = results.order_by(*SORT_ORDER[sort or "title"])
        paginator = Paginator(results, page_size)
        page_obj = paginator.get_page(request.GET.get("page"))
        shown = _made_cards(list(page_obj.object_list), request)
    found.update(count=paginator.count, number=page_obj.number)

    cards = [card for card, _texts in shown]
    if hits is not None:
        stem = stemmer()
        cards = [
            replace(card, search_title=highlight(card.title, words, stem), search_extract=extract(texts, words, stem))
            for card, texts in shown
        ]
        if table is not None:

            def finds(new):
                allowed = {pk for pk, fact in table.items() if _keeps(fact, wanted)}
                return _finds(searchable, None, new, allowed)

        else:
            candidates = _apply(filterset, base, chosen)

            def finds(new):
                return _finds(searchable, candidates, new)

        found["suggestion"] = spelling_suggestion(
            terms, register_vocabulary(locale_id, stem, request), stem, finds=finds
        )
    found["entries"] = cards
    return found


# Cards kept for each language and site, at most this many each (a card and its texts are a few kilobytes).
MAX_KEPT_CARDS = 2000


def _cards(request, base, pks, locale_id):
    """(card, texts searched for an extract) of each entry, in order. With the memo, each entry's card is kept
    in the process once made (until anything is published), so a search with new words reads only the entries
    not shown before."""
    store = memo.kept(request, ("cards", locale_id, site_pk(request), translation.get_language()), MAX_KEPT_CARDS)
    found = {}
    if store is not None:
        found = {pk: card for pk in pks if (card := store.get(pk)) is not None}
    missing = [pk for pk in pks if pk not in found]
    if missing:
        entries = base.in_bulk(missing)
        made = dict(zip(entries, _made_cards(list(entries.values()), request), strict=True))
        found.update(made)
        if store is not None:
            store.update(made)
    return [found[pk] for pk in pks if pk in found]


def site_pk(request):
    """The site the request is for: links are relative on their own site and absolute on another, so what
    holds links is remembered for each site."""
    site = Site.find_for_request(request)
    return site.pk if site else None


def _made_cards(entries, request):
    # Each card links where a reader of this language should go (an English-only council's page in English).
    for_reader(entries, request)
    return [(Card.of(entry), (entry.summary, entry.purpose, entry.benefits, entry.data_sources)) for entry in entries]


@dataclass
class Card:
    """What a register or search result shows of an entry (includes/entry_card.html): a few kilobytes less
    to remember and copy than the page itself."""

    pk: int
    title: str
    link_url: str
    text_lang: str
    reference: str
    organisation: dict
    service_area: dict
    status: str
    summary: str
    uses_automation: bool
    shares_data: bool
    is_review_overdue: bool
    search_title: str = ""
    search_extract: str = ""

    @classmethod
    def of(cls, entry):
        return cls(
            pk=entry.pk,
            title=entry.title,
            link_url=entry.link_url or entry.url or "",
            text_lang=entry.text_lang,
            reference=entry.reference,
            organisation={"short_name": entry.organisation.short_name if entry.organisation else ""},
            service_area={"name": entry.service_area.name if entry.service_area else ""},
            status=str(entry.get_status_display()),
            summary=entry.summary,
            uses_automation=bool(entry.uses_automation),
            shares_data=bool(getattr(entry, "shares_data", False)),
            is_review_overdue=bool(entry.is_review_overdue),
        )

    def get_status_display(self):
        return self.status


def _apply(filterset, queryset, chosen, leave_out=None):
    for name, value in chosen.items():
        if name != leave_out:
            queryset = filterset.filters[name].filter(queryset, value)
    return queryset


def facts(entries):
    """Each entry's filter values, by primary key: a tuple in the order of FACETS, with the kinds of data as a
    frozenset and the rest as single values. Two queries whatever the number of entries."""
    rows = entries.order_by().annotate(is_automated=ExpressionWrapper(AUTOMATED, output_field=BooleanField()))
    rows = rows.values_list(
        "pk", "organisation__slug", "service_area__slug", "lawful_basis", "status", "is_automated", "shares_data"
    )
    kinds = {}
    links = DataUseCategory.objects.filter(page__in=entries.order_by().values("pk"))
    for page_id, slug in links.order_by().values_list("page_id", "category__slug").distinct():
        kinds.setdefault(page_id, set()).add(slug)
    same = {}  # one frozenset for each combination of kinds, shared by the entries that have it
    table = {}
    for pk, council, area, basis, status, automated, shares in rows:
        data = frozenset(kinds.get(pk, ()))
        data = same.setdefault(data, data)
        table[pk] = (council, area, data, basis, status, "yes" if automated else "no", "yes" if shares else "no")
    return table


_POSITION = {name: position for position, name in enumerate(FACETS)}


def _values(fact, name):
    value = fact[_POSITION[name]]
    return value if name == "data" else (value,)


def _keeps(fact, wanted):
    """Whether an entry with these filter values is in the results for the chosen options."""
    return all(not options.isdisjoint(_values(fact, name)) for name, options in wanted.items())


def facet_counts(names, matched, wanted):
    """For each filter, how many results each option would leave with the other filters kept.

    ``matched`` is the filter values (facts()) of every entry the search found, before the filters;
    ``wanted`` the options chosen for each filter. Options within one filter are alternatives (ticking two
    widens the list), so each filter's counts ignore that filter's own choice.
    """
    kept = matched  # in the results: each filter's options count them
    left_out = {name: [] for name in names}  # left out by this filter only: its other options count them
    if wanted:
        kept = []
        for fact in matched:
            missed = [name for name, options in wanted.items() if options.isdisjoint(_values(fact, name))]
            if not missed:
                kept.append(fact)
            elif len(missed) == 1:
                left_out[missed[0]].append(fact)
            # left out by two filters: no single filter's options would bring it back
    facets = {}
    for name in names:
        position = _POSITION[name]
        if name == "data":
            counted = Counter(chain.from_iterable(fact[position] for fact in chain(kept, left_out[name])))
        else:
            counted = Counter(fact[position] for fact in chain(kept, left_out[name]))
        facets[name] = dict(counted)
    for name in ("automated", "sharing"):
        if name in facets:
            facets[name] = {"yes": facets[name].get("yes", 0), "no": facets[name].get("no", 0)}
    return facets


def _wanted(value):
    return {value} if isinstance(value, str) else set(value)


def register_vocabulary(locale_id, stem, request=None):
    """Every word the search index holds for the live, public entries in one language, for "Did you mean".

    Cached until an entry in that language is published, changed or unpublished; with the request, also kept
    in the process until anything is published (base.memo), so it is not read from the cache each time.
    """
    key = ("vocabulary", locale_id, stem is None)
    return memo.shared(request, key, lambda: _register_vocabulary(locale_id, stem))


def _register_vocabulary(locale_id, stem):
    entries = DataUsePage.objects.live().public().filter(locale_id=locale_id)
    version = entries.aggregate(n=Count("pk"), latest=Max("last_published_at"))
    latest = version["latest"].timestamp() if version["latest"] else 0
    key = f"search-vocabulary-v2-{locale_id}-{version['n']}-{latest}"
    return vocabulary(key, lambda: indexed_texts(entries), stem)


def _finds(searchable, candidates, terms, allowed=None):
    """Whether searching for these words, as run() does, would find any of the candidates (the entries the
    visitor may see, with their filters; or their primary keys, ``allowed``): a spelling suggestion must
    never lead to no results."""
    words = content_words(terms)
    try:
        hits = ranked_pks(searchable, candidates, words, allowed=allowed)
        if not hits and len(words) > 1:
            hits = ranked_pks(searchable, candidates, words, operator="or", allowed=allowed)
    except SearchUnavailable:
        return False
    if allowed is not None:
        return bool(hits)
    return bool(hits) and candidates.filter(pk__in=hits).exists()
