"""The register's listing: one path for the register pages and the search page.

A query runs once through the search backend (database or Elasticsearch) over the entries the visitor
may see. Everything else is done by the database on the matching primary keys: the register's filters,
the facet counts (for each filter, how many results each option would leave), sorting and the cards. So
the filters and counts are the same on every backend, and the page uses a fixed number of SQL queries
whatever the number of results.
"""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import BooleanField, Count, ExpressionWrapper, Max
from wagtail.models import Locale

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
        return _find(request, base, filterset, chosen, sort, terms, locale_id, page_size)

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


def _find(request, base, filterset, chosen, sort, terms, locale_id, page_size):
    """The results of one search: how many, the page's cards, the facet counts and any spelling suggestion."""
    found = {"unavailable": False, "matched_any_word": False, "suggestion": ""}
    hits = None
    words = content_words(terms)
    if words:
        searchable = DataUsePage.objects.live().filter(locale_id=locale_id)
        try:
            hits = ranked_pks(searchable, base, words)
            if not hits and len(words) > 1:
                hits = ranked_pks(searchable, base, words, operator="or")
                found["matched_any_word"] = bool(hits)
        except SearchUnavailable:
            found["unavailable"] = True

    narrowed = base if hits is None else base.filter(pk__in=hits)
    results = _apply(filterset, narrowed, chosen)
    if hits is not None and not sort:
        kept = set(results.order_by().values_list("pk", flat=True))
        ordered = [pk for pk in hits if pk in kept]
        paginator = Paginator(ordered, page_size)
        page_obj = paginator.get_page(request.GET.get("page"))
        cards = base.in_bulk(list(page_obj.object_list))
        entries = [cards[pk] for pk in page_obj.object_list if pk in cards]
    else:
        results = results.order_by(*SORT_ORDER[sort or "title"])
        paginator = Paginator(results, page_size)
        page_obj = paginator.get_page(request.GET.get("page"))
        entries = list(page_obj.object_list)
    # Each card links where a reader of this language should go (an English-only council's page in English).
    for_reader(entries, request)
    found.update(count=paginator.count, number=page_obj.number)

    found["facets"] = facet_counts(filterset, narrowed, chosen)
    cards = [Card.of(entry) for entry in entries]
    if hits is not None:
        stem = stemmer()
        for card, entry in zip(cards, entries, strict=True):
            card.search_title = highlight(entry.title, words, stem)
            card.search_extract = extract(
                [entry.summary, entry.purpose, entry.benefits, entry.data_sources], words, stem
            )
        candidates = _apply(filterset, base, chosen)
        found["suggestion"] = spelling_suggestion(
            terms, register_vocabulary(locale_id, stem), stem, finds=lambda new: _finds(searchable, candidates, new)
        )
    found["entries"] = cards
    return found


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


def facet_counts(filterset, narrowed, chosen):
    """For each filter, how many results each option would leave with the other filters kept.

    Options within one filter are alternatives (ticking two widens the list), so each filter's counts
    ignore that filter's own choice. Two queries whatever the filters: the matching entries' filter values,
    and their kinds of data; the counting is done here, so no query is repeated once per filter.
    """
    names = [name for name in FACETS if name in filterset.filters]
    rows = narrowed.order_by().annotate(is_automated=ExpressionWrapper(AUTOMATED, output_field=BooleanField()))
    rows = rows.values_list(
        "pk", "organisation__slug", "service_area__slug", "lawful_basis", "status", "is_automated", "shares_data"
    )
    kinds = {}
    if "data" in names:
        links = DataUseCategory.objects.filter(page__in=narrowed.order_by().values("pk"))
        for page_id, slug in links.order_by().values_list("page_id", "category__slug").distinct():
            kinds.setdefault(page_id, set()).add(slug)
    wanted = {name: _wanted(name, value) for name, value in chosen.items() if name in names}
    counts = {name: Counter() for name in names}
    for pk, council, area, basis, status, automated, shares in rows:
        values = {
            "council": {council},
            "service_area": {area},
            "data": kinds.get(pk, set()),
            "lawful_basis": {basis},
            "status": {status},
            "automated": {"yes" if automated else "no"},
            "sharing": {"yes" if shares else "no"},
        }
        missed = [name for name, options in wanted.items() if not values[name] & options]
        if len(missed) > 1:
            continue  # left out by two filters: no single filter's options would bring it back
        for name in missed or names:
            counts[name].update(values[name])
    facets = {name: dict(counted) for name, counted in counts.items()}
    for name in ("automated", "sharing"):
        if name in facets:
            facets[name] = {"yes": facets[name].get("yes", 0), "no": facets[name].get("no", 0)}
    return facets


def _wanted(name, value):
    return {value} if isinstance(value, str) else set(value)


def register_vocabulary(locale_id, stem):
    """Every word the search index holds for the live, public entries in one language, for "Did you mean".

    Cached until an entry in that language is published, changed or unpublished.
    """
    entries = DataUsePage.objects.live().public().filter(locale_id=locale_id)
    version = entries.aggregate(n=Count("pk"), latest=Max("last_published_at"))
    latest = version["latest"].timestamp() if version["latest"] else 0
    key = f"search-vocabulary-v2-{locale_id}-{version['n']}-{latest}"
    return vocabulary(key, lambda: indexed_texts(entries), stem)


def _finds(searchable, candidates, terms):
    """Whether searching for these words, as run() does, would find any of the candidates (the entries the
    visitor may see, with their filters): a spelling suggestion must never lead to no results."""
    words = content_words(terms)
    try:
        hits = ranked_pks(searchable, candidates, words)
        if not hits and len(words) > 1:
            hits = ranked_pks(searchable, candidates, words, operator="or")
    except SearchUnavailable:
        return False
    return bool(hits) and candidates.filter(pk__in=hits).exists()
