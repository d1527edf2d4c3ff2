""" "Did you mean …?" knows every word the search index holds for the live, public entries in one language (not
only titles and summaries), keeps at most the most frequent words, is cached until an entry is published, and never
offers a correction that would find nothing where the person is searching. Run on the demo register."""

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale

from datauses.listing import register_vocabulary
from datauses.models import DataUsePage, RegisterPage
from search import spelling
from search.text import stemmer
from tests.factories import DataUsePageFactory

pytestmark = pytest.mark.django_db


def search(client, url, **params):
    return client.get(url, params).context["search"]


def english():
    return Locale.objects.get(language_code="en-gb")


def welsh():
    return Locale.objects.get(language_code="cy")


def register(language_code, slug):
    return RegisterPage.objects.get(locale__language_code=language_code, organisation__slug=slug)


def live_entries(locale):
    return DataUsePage.objects.live().public().filter(locale=locale)


@pytest.fixture
def builds(monkeypatch):
    """How many times a vocabulary was built (rather than read from the cache)."""
    calls = []
    count_words = spelling.count_words

    def counting(*args, **kwargs):
        calls.append(1)
        return count_words(*args, **kwargs)

    monkeypatch.setattr(spelling, "count_words", counting)
    return calls


# Every indexed field, not only titles and summaries


def test_a_word_only_in_the_body_of_entries_is_suggested(client, demo):
    entries = live_entries(english())
    # The demo's CCTV entries say "surveillance" in the law behind them (lawful_basis_detail), never in a title
    # or summary: the words the old vocabulary was made of.
    assert entries.filter(lawful_basis_detail__icontains="surveillance").exists()
    assert not entries.filter(title__icontains="surveil").exists()
    assert not entries.filter(summary__icontains="surveil").exists()

    result = search(client, "/search/", q="survailance")
    assert result.count == 0
    assert result.suggestion == "surveillance"
    html = client.get("/search/", {"q": "survailance"}).content.decode()
    assert 'Did you mean <a class="govuk-link" href="?q=surveillance">surveillance</a>?' in html
    assert search(client, "/search/", q="surveillance").count >= 1


def test_words_from_related_rows_are_known_too(client, demo):
    """Partners, kinds of data, risks and service areas are indexed with the entry (RelatedFields)."""
    entries = live_entries(english())
    assert entries.filter(sharing__partner__name="Avon and Somerset Police").exists()
    assert not entries.filter(Q(title__icontains="somerset") | Q(summary__icontains="somerset")).exists()
    assert "somerset" in register_vocabulary(english().pk, stemmer())["words"]
    assert search(client, "/search/", q="somersett").suggestion == "somerset"


def test_english_and_welsh_have_their_own_vocabularies(demo):
    english_words = register_vocabulary(english().pk, stemmer())["words"]
    welsh_words = register_vocabulary(welsh().pk, None)["words"]
    assert "teledu" in welsh_words and "teledu" not in english_words
    assert "cardiff" in english_words and "cardiff" not in welsh_words
    assert "caerdydd" in welsh_words and "caerdydd" not in english_words
    assert "pharcio" in welsh_words and "pharcio" not in english_words


def test_words_of_drafts_and_private_entries_are_never_suggested(client, demo):
    bristol = register("en-gb", "bristol")
    cctv = live_entries(english()).filter(lawful_basis_detail__icontains="surveillance").first()
    draft = DataUsePageFactory(
        parent=bristol, title="Draft", service_area=cctv.service_area, purpose="Quizzically quizzical.", live=False
    )
    assert not draft.live
    assert "quizzically" not in register_vocabulary(english().pk, stemmer())["words"]
    assert search(client, "/search/", q="quizzicaly").suggestion == ""


# Never a suggestion that finds nothing


def test_the_welsh_parcio_never_suggests_a_word_that_finds_nothing(client, demo):
    """Only the mutated "pharcio" (in "Trafnidiaeth a pharcio") is in the Welsh index, not "parcio"."""
    for url in ("/cy/search/", "/cy/cofrestr/", register("cy", "cardiff").url):
        result = search(client, url, q="parcio")
        assert result.count == 0
        if result.suggestion:
            assert search(client, url, q=result.suggestion).count >= 1, url


def test_a_suggestion_is_checked_with_the_filters_the_person_chose(client, demo):
    cardiff = register("cy", "cardiff").url
    parking = live_entries(welsh()).filter(service_area__name__icontains="pharcio").first()
    housing = live_entries(welsh()).exclude(service_area=parking.service_area).first()
    assert search(client, cardiff, q="parcio", service_area=parking.service_area.slug).suggestion == "pharcio"
    # "pharcio" is a Welsh word, but no entry about housing (or whatever else) has it: no suggestion.
    assert search(client, cardiff, q="pharcio", service_area=housing.service_area.slug).count == 0
    assert search(client, cardiff, q="parcio", service_area=housing.service_area.slug).suggestion == ""


def test_a_suggestion_is_checked_in_the_register_searched(client, demo):
    assert search(client, register("en-gb", "bristol").url, q="survailance").suggestion == "surveillance"
    # Leeds' entries never say "surveillance", though the English vocabulary has it.
    assert not live_entries(english()).filter(organisation__slug="leeds", lawful_basis_detail__icontains="surveil")
    assert search(client, register("en-gb", "leeds").url, q="survailance").suggestion == ""
    assert search(client, "/search/", q="survailance", council="leeds").suggestion == ""
    assert search(client, "/search/", q="survailance", council="bristol").suggestion == "surveillance"


def test_the_next_closest_word_is_tried_when_the_closest_finds_nothing():
    known = {"words": {"cameras": 5, "cameron": 9, "parking": 3}, "stems": set()}
    tried = []

    def finds(words):
        tried.append(words)
        return words == ["cameras", "parking"]

    assert spelling.spelling_suggestion(["cameros", "parkng"], known, None, finds=finds) == "cameras parking"
    assert tried == [["cameron", "parking"], ["cameras", "parking"]]  # as close: the one used most first
    assert spelling.spelling_suggestion(["cameros"], known, None, finds=lambda words: False) == ""


def test_at_most_a_few_corrections_are_searched_for():
    known = {"words": {f"cameras{letter}": 1 for letter in "abcdefgh"}, "stems": set()}
    tried = []
    assert spelling.spelling_suggestion(["camerasx"], known, None, finds=lambda words: tried.append(words)) == ""
    assert len(tried) == spelling.MAX_TRIES
    tried.clear()
    assert spelling.spelling_suggestion(["camerasa"], known, None, finds=lambda words: tried.append(words)) == ""
    assert tried == []  # a known word is not corrected, so nothing is searched for


# Bounded and cached


def test_the_vocabulary_keeps_only_the_most_frequent_words(demo, monkeypatch):
    texts = list(spelling.indexed_texts(live_entries(english())))
    everything = spelling.count_words(texts, limit=10**9)
    assert len(everything) > 100
    monkeypatch.setattr(spelling, "MAX_WORDS", 100)
    kept = register_vocabulary(english().pk, stemmer())["words"]
    assert len(kept) == 100
    assert kept == {word: everything[word] for word in kept}
    assert min(kept.values()) >= max(count for word, count in everything.items() if word not in kept)


def test_count_words_keeps_the_most_frequent_then_alphabetical():
    texts = ["bins bins bins cats cats dogs", "ants bees 2024 an"]
    assert spelling.count_words(texts, limit=3) == {"bins": 3, "cats": 2, "ants": 1}
    assert spelling.MAX_WORDS == 20_000


def test_the_vocabulary_is_cached_and_rebuilt_when_an_entry_is_published(client, demo, builds):
    assert search(client, "/search/", q="trampolenes").suggestion == ""
    assert len(builds) == 1
    assert search(client, "/search/", q="trampolenes").suggestion == ""
    assert len(builds) == 1  # from the cache

    cctv = live_entries(english()).filter(lawful_basis_detail__icontains="surveillance").first()
    entry = DataUsePageFactory(
        parent=register("en-gb", "bristol"),
        title="Checking play areas",
        service_area=cctv.service_area,
        purpose="We check the trampolines in our parks every week.",
        live=False,
    )
    entry.save_revision().publish()
    assert search(client, "/search/", q="trampolenes").suggestion == "trampolines"
    assert len(builds) == 2
    # The Welsh vocabulary is its own, and the new entry is not in Welsh.
    assert search(client, "/cy/search/", q="trampolenes").suggestion == ""
    assert "trampolines" not in register_vocabulary(welsh().pk, None)["words"]


def test_a_search_page_adds_no_queries_once_the_vocabulary_is_cached(client, demo, builds):
    with CaptureQueriesContext(connection) as first:
        client.get("/search/", {"q": "cameras"})
    with CaptureQueriesContext(connection) as second:
        client.get("/search/", {"q": "cameras"})
    with CaptureQueriesContext(connection) as third:
        client.get("/search/", {"q": "cameras"})
    assert len(builds) == 1
    assert len(second.captured_queries) < len(first.captured_queries)
    assert len(third.captured_queries) == len(second.captured_queries)
