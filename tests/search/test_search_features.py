"""Searching the register: ranking, forgiving matching, facets, suggestions, promotions, the log and failure."""

import hashlib
import io
import json

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.db import connection
from django.test import override_settings
from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.models import Locale, PageViewRestriction
from wagtail.search.index import insert_or_update_object

from datauses.models import DataUsePage
from search.models import SearchWithoutResults
from tests.factories import (
    DataCategoryFactory,
    DataUsePageFactory,
    ServiceAreaFactory,
    SharingPartnerFactory,
    add_category,
    add_risk,
    add_sharing,
    translate,
    urdu_added,
)

pytestmark = pytest.mark.django_db


def found(response):
    return [entry.title for entry in response.context["search"].entries]


def reindex(page):
    """Child rows (kinds of data, partners) are indexed when an editor publishes; factories skip that step."""
    insert_or_update_object(page)


@pytest.fixture
def transport(locale):
    return ServiceAreaFactory(name="Transport and parking", slug="transport", locale=locale)


@pytest.fixture
def safety(locale):
    return ServiceAreaFactory(name="Community safety", slug="safety", locale=locale)


@pytest.fixture
def cameras(bristol_register, leeds_register, transport, safety, locale):
    """Three camera entries in two councils, one sharing data and using automated decisions."""
    images = DataCategoryFactory(name="Images and video", slug="images", locale=locale)
    plates = DataCategoryFactory(name="Vehicle details", slug="vehicles", locale=locale)
    police = SharingPartnerFactory(name="Avon and Somerset Police", locale=locale)
    cctv = DataUsePageFactory(
        parent=bristol_register,
        title="CCTV cameras in the city centre",
        summary="We watch busy streets to keep people safe.",
        service_area=safety,
    )
    add_category(cctv, images)
    add_sharing(cctv, police)
    reindex(cctv)
    bus_lanes = DataUsePageFactory(
        parent=bristol_register,
        title="Bus lane enforcement",
        summary="A camera reads number plates of cars in bus lanes.",
        service_area=transport,
        uses_algorithm=True,
    )
    add_category(bus_lanes, plates)
    reindex(bus_lanes)
    leeds_cctv = DataUsePageFactory(
        parent=leeds_register,
        title="CCTV in Leeds",
        summary="Public space cameras.",
        service_area=safety,
    )
    add_category(leeds_cctv, images)
    reindex(leeds_cctv)
    DataUsePageFactory(parent=bristol_register, title="Library memberships", summary="Borrowing books.")
    return {"cctv": cctv, "bus_lanes": bus_lanes, "leeds_cctv": leeds_cctv}


# Ranking and forgiving matches


def test_a_title_match_outranks_a_body_match(client, bristol_register):
    DataUsePageFactory(
        parent=bristol_register,
        title="Recording calls to the contact centre",
        summary="Calls are recorded.",
        purpose="Recordings help us train staff. Recordings about parking fines are kept longer.",
    )
    DataUsePageFactory(parent=bristol_register, title="Parking permits", summary="Permits for residents.")
    DataUsePageFactory(
        parent=bristol_register,
        title="Clean air zone",
        summary="Charging older vehicles, and parking nearby.",
    )
    response = client.get("/search/", {"q": "parking"})
    assert found(response) == ["Parking permits", "Clean air zone", "Recording calls to the contact centre"]


def test_plurals_and_other_word_forms_match(client, cameras):
    assert "Bus lane enforcement" in found(client.get("/search/", {"q": "cameras"}))
    assert "CCTV cameras in the city centre" in found(client.get("/search/", {"q": "camera"}))
    assert "CCTV cameras in the city centre" in found(client.get("/search/", {"q": "watching"}))


def test_small_words_and_words_in_different_parts_of_an_entry_still_match_every_word(client, cameras):
    # "the" and "of" are too common to search for; "cctv" is in the title and "police" in a sharing partner.
    response = client.get("/search/", {"q": "the cameras of the city"})
    assert "CCTV cameras in the city centre" in found(response)
    assert not response.context["search"].matched_any_word
    response = client.get("/search/", {"q": "cctv police"})
    assert found(response) == ["CCTV cameras in the city centre"]
    assert not response.context["search"].matched_any_word


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("somerset police", "CCTV cameras in the city centre"),  # a sharing partner
        ("vehicle", "Bus lane enforcement"),  # a kind of data
        ("burglary", "Library memberships"),  # a risk
        ("Bristol", "Library memberships"),  # the council
        ("community safety", "CCTV in Leeds"),  # the service area
    ],
)
def test_words_anywhere_in_an_entry_are_found(client, cameras, bristol_register, query, title):
    library = bristol_register.get_children().get(title="Library memberships").specific
    add_risk(library, risk="Someone could learn when a home is empty, which could help a burglary.")
    reindex(library)
    assert title in found(client.get("/search/", {"q": query}))


def test_matching_words_are_highlighted_in_a_short_extract(client, cameras, bristol_register):
    DataUsePageFactory(
        parent=bristol_register,
        title="Noise complaints",
        summary="<b>Loud</b> music & parties.",
        purpose="We record noise. " + "Other words here. " * 30 + "A camera is never used for noise.",
    )
    html = client.get("/search/", {"q": "cameras"}).content.decode()
    assert "A <mark>camera</mark> reads number plates" in html
    # The extract is taken from the words around the match, with a mark where text was left out.
    assert "words here. A <mark>camera</mark> is never used for noise.</p>" in html
    assert '<p class="govuk-body">… ' in html and "We record noise." not in html
    html = client.get("/search/", {"q": "loud"}).content.decode()
    assert "&lt;b&gt;<mark>Loud</mark>&lt;/b&gt; music &amp; parties." in html


# Facets and filters with a query


def test_each_filter_option_shows_how_many_results_it_would_leave(client, cameras, combined_register):
    search = client.get("/search/", {"q": "cameras"}).context["search"]
    assert search.count == 3
    assert search.facets["council"] == {"bristol": 2, "leeds": 1}
    assert search.facets["service_area"] == {"safety": 2, "transport": 1}
    assert search.facets["data"] == {"images": 2, "vehicles": 1}
    assert search.facets["automated"] == {"yes": 1, "no": 2}
    assert search.facets["sharing"] == {"yes": 1, "no": 2}
    assert search.facets["status"] == {"in_use": 3}
    assert search.facets["lawful_basis"] == {"public_task": 3}


def test_counts_are_shown_beside_each_option_without_javascript(client, cameras):
    html = client.get("/search/", {"q": "cameras"}).content.decode()
    assert (
        'for="id_council_0">Bristol <span class="app-facet-count">(2<span class="govuk-visually-hidden"> entries'
        in html
    )
    assert '(1<span class="govuk-visually-hidden"> entry</span>)' in html


def test_a_filter_and_a_query_combine_and_other_options_keep_their_counts(client, cameras):
    response = client.get("/search/", {"q": "cameras", "council": "leeds"})
    assert found(response) == ["CCTV in Leeds"]
    facets = response.context["search"].facets
    # Ticking another council would add its entries, so the council counts ignore the council filter...
    assert facets["council"] == {"bristol": 2, "leeds": 1}
    # ...and every other filter counts within Leeds.
    assert facets["service_area"] == {"safety": 1}
    assert facets["sharing"] == {"yes": 0, "no": 1}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "cameras", "service_area": "transport"}, ["Bus lane enforcement"]),
        ({"q": "cameras", "data": "images"}, ["CCTV cameras in the city centre", "CCTV in Leeds"]),
        ({"q": "cameras", "automated": "yes"}, ["Bus lane enforcement"]),
        ({"q": "cameras", "sharing": "yes"}, ["CCTV cameras in the city centre"]),
        ({"q": "cameras", "sharing": "no", "council": "bristol"}, ["Bus lane enforcement"]),
        ({"q": "cctv", "sort": "title"}, ["CCTV cameras in the city centre", "CCTV in Leeds"]),
        ({"q": "library", "data": "images"}, []),
    ],
)
def test_query_and_filter_combinations(client, cameras, params, expected):
    assert sorted(found(client.get("/search/", params))) == sorted(expected)


def test_a_council_register_searches_its_own_entries_only(client, cameras, bristol_register):
    response = client.get(bristol_register.url, {"q": "cctv"})
    assert found(response) == ["CCTV cameras in the city centre"]
    assert "council" not in response.context["search"].facets
    assert 'value="cctv"' in response.content.decode()


# Suggestions, zero results and hostile queries


def test_a_misspelt_query_offers_a_suggestion_that_finds_entries(client, cameras):
    response = client.get("/search/", {"q": "camras"})
    html = response.content.decode()
    assert response.context["search"].suggestion == "cameras"
    assert 'Did you mean <a class="govuk-link" href="?q=cameras">cameras</a>?' in html
    assert len(found(client.get("/search/", {"q": "cameras"}))) == 3


def test_a_correct_query_offers_no_suggestion(client, cameras):
    assert client.get("/search/", {"q": "cameras city"}).context["search"].suggestion == ""


def test_no_results_gives_next_steps_not_a_dead_end(client, cameras):
    response = client.get("/search/", {"q": "xylophone"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "No entries match ‘xylophone’." in html
    assert "What you can do next" in html
    assert "look through every entry in the register" in html


HOSTILE = [
    "",
    "   ",
    "x" * 10_000,
    "word " * 500,
    "'; DROP TABLE wagtailcore_page; --",
    '"unbalanced',
    "camera*",
    "NEAR(camera police)",
    "title:cctv",
    "cameras AND OR NOT",
    "-cameras",
    "^ $ ( ) { } [ ] ~ ! : \\",
    "%_%",
    "\u202ecameras",
    "\U0001f4f7 cameras",
    "كاميرات",
    "cameras\x00",
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_give_a_normal_page(client, cameras, bristol_register, query):
    for url in ("/search/", bristol_register.url):
        response = client.get(url, {"q": query, "page": "abc", "council": "<script>"})
        assert response.status_code == 200
        assert "<script>" not in response.content.decode().split("</header>", 1)[1].split("<footer", 1)[0]
    assert client.get("/search/suggest/", {"q": query}).status_code == 200


def test_search_syntax_is_treated_as_plain_words(client, cameras):
    assert found(client.get("/search/", {"q": 'camera* "bus lane"'})) == ["Bus lane enforcement"]


def test_when_no_entry_has_every_word_entries_with_some_are_shown(client, cameras):
    response = client.get("/search/", {"q": "library xylophone"})
    assert found(response) == ["Library memberships"]
    assert "No entry has all of your words" in response.content.decode()
    assert "No entry has all" not in client.get("/search/", {"q": "library"}).content.decode()


# What must never be found


@pytest.fixture
def welsh_cameras(cameras, bristol_register, home_page):
    """The city-centre cameras entry translated into Welsh, with the to bach in its title."""
    welsh = Locale.objects.create(language_code="cy")
    home_page.copy_for_translation(welsh).save_revision().publish()
    bristol_register.copy_for_translation(welsh).save_revision().publish()
    translated = cameras["cctv"].copy_for_translation(welsh)
    translated.title = "Camerâu teledu cylch cyfyng yng nghanol y ddinas"
    translated.summary = "Rydym yn gwylio strydoedd y ddinas i gadw pobl yn ddiogel."
    translated.save_revision().publish()
    return translated


def test_drafts_private_entries_and_other_languages_are_never_found(client, cameras, bristol_register, welsh_cameras):
    DataUsePageFactory(parent=bristol_register, title="Cameras draft", live=False)
    private = DataUsePageFactory(parent=bristol_register, title="Cameras private")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    titles = found(client.get("/search/", {"q": "cameras"}))
    assert "Cameras draft" not in titles and "Cameras private" not in titles
    assert "Camerâu teledu cylch cyfyng yng nghanol y ddinas" not in titles
    suggestions = [r["title"] for r in client.get("/search/suggest/", {"q": "camera"}).json()["results"]]
    assert "Cameras draft" not in suggestions and "Cameras private" not in suggestions

    # On the Welsh site, the Welsh entry is found, and only Welsh entries are.
    welsh_titles = found(client.get("/cy/search/", {"q": "camerâu"}))
    assert welsh_titles == ["Camerâu teledu cylch cyfyng yng nghanol y ddinas"]


def test_welsh_words_are_found_with_or_without_accents(client, welsh_cameras):
    """Many keyboards make the to bach (â, ŵ, ŷ) hard to type, so people leave it out, or add one the page lacks."""
    for query in ("camerau", "Camerâu", "CAMERAU", "strŷdoedd"):
        response = client.get("/cy/search/", {"q": query})
        assert found(response) == ["Camerâu teledu cylch cyfyng yng nghanol y ddinas"], query
        assert response.context["search"].suggestion == "", query
    assert "<mark>Camerâu</mark>" in client.get("/cy/search/", {"q": "camerau"}).content.decode()
    for typed in ("camerau tele", "CAMERÂU", "ddinas"):
        suggestions = client.get("/cy/search/suggest/", {"q": typed}).json()["results"]
        assert [result["title"] for result in suggestions] == ["Camerâu teledu cylch cyfyng yng nghanol y ddinas"]


def test_a_welsh_word_spelt_like_an_english_stop_word_does_not_hide_the_results(client, welsh_cameras):
    """Welsh queries keep every word, but the index drops English stop words: "a" (Welsh for "and") is one. A
    search for "camerâu a strydoedd" finds what "camerâu strydoedd" finds, not nothing."""
    for query in ("camerâu a strydoedd", "camerâu strydoedd"):
        search = client.get("/cy/search/", {"q": query}).context["search"]
        assert [entry.title for entry in search.entries] == [welsh_cameras.title]
        assert not search.matched_any_word  # every word that counts was found, not just some


def test_other_scripts_are_searched_and_suggested_as_typed(client, bristol_register, home_page, combined_register):
    """Accents are ignored in Latin letters only: an Urdu word keeps its marks (آ is not ا)."""
    with urdu_added() as urdu:
        entry = DataUsePageFactory(parent=bristol_register, title="Online repairs")
        translate(home_page, urdu, title="ڈیٹا کے استعمال کا رجسٹر")
        translate(combined_register, urdu, title="تمام کونسلوں کا رجسٹر")
        translate(bristol_register, urdu, title="برسٹل کا رجسٹر")
        translate(entry, urdu, title="آن لائن مرمت", summary="ہم مرمت کا وقت طے کرتے ہیں۔")

        assert found(client.get("/ur/search/", {"q": "مرمت"})) == ["آن لائن مرمت"]
        suggestions = client.get("/ur/search/suggest/", {"q": "آن"}).json()["results"]
        assert [result["title"] for result in suggestions] == ["آن لائن مرمت"]


# Suggestions as you type


def test_title_suggestions_are_json_with_links(client, cameras):
    response = client.get("/search/suggest/", {"q": "cctv"})
    assert response["Content-Type"] == "application/json"
    results = json.loads(response.content)["results"]
    assert {r["title"] for r in results} == {"CCTV cameras in the city centre", "CCTV in Leeds"}
    assert {r["url"] for r in results} == {cameras["cctv"].url, cameras["leeds_cctv"].url}
    assert {r["council"] for r in results} == {"Bristol", "Leeds"}
    assert client.get("/search/suggest/", {"q": "c"}).json() == {"results": []}


# Promotions and the log


def test_promoted_entries_come_first_for_their_query(client, cameras):
    library = cameras["cctv"].get_parent().get_children().get(title="Library memberships")
    SearchPromotion.objects.create(
        query=Query.get("cameras"), page=library, description="Our guide to cameras", sort_order=0
    )
    html = client.get("/search/", {"q": "Cameras"}).content.decode()
    recommended = html.split('id="promoted-heading"', 1)[1].split("</section>", 1)[0]
    assert "Library memberships" in recommended and "Our guide to cameras" in recommended
    assert "Recommended" not in client.get("/search/", {"q": "cctv"}).content.decode()


def test_unpublished_promotions_are_not_shown(client, cameras):
    library = cameras["cctv"].get_parent().get_children().get(title="Library memberships")
    SearchPromotion.objects.create(query=Query.get("cameras"), page=library, sort_order=0)
    library.unpublish()
    assert "Recommended" not in client.get("/search/", {"q": "cameras"}).content.decode()


def test_searches_are_counted_without_personal_details(client, cameras):
    client.get("/search/", {"q": "CCTV  Cameras!"})
    client.get("/search/", {"q": "cctv cameras"})
    client.get("/search/", {"q": "cctv cameras", "page": "2"})  # the same search, another page
    client.get("/search/", {"q": "xylophone"})
    client.get("/search/", {"q": "jo.bloggs@example.com cameras"})
    client.get("/search/", {"q": "BS1 5TR"})
    assert Query.objects.get(query_string="cctv cameras").hits == 2
    assert Query.objects.get(query_string="xylophone").hits == 1
    assert not Query.objects.filter(query_string__contains="example").exists()
    assert not Query.objects.filter(query_string__contains="bs1").exists()
    empty = SearchWithoutResults.objects.get()
    assert (empty.query_string, empty.language, empty.hits) == ("xylophone", "en-gb", 1)


def test_admins_see_frequent_searches_and_those_that_found_nothing(client, cameras):
    for query in ("cctv", "cctv", "xylophone"):
        client.get("/search/", {"q": query})
    admin = User.objects.create_superuser("admin", "admin@example.com", "pw")
    client.force_login(admin)
    html = client.get("/admin/searches/").content.decode()
    empty = html.split('id="found-nothing"', 1)[1].split("</table>", 1)[0]
    frequent = html.split('id="most-frequent"', 1)[1].split("</table>", 1)[0]
    assert "xylophone" in empty and "cctv" not in empty
    assert frequent.index("cctv") < frequent.index("xylophone")
    assert client.get("/admin/searchpicks/").status_code == 200


def test_only_people_who_manage_promotions_see_the_searches(client):
    editor = User.objects.create_user("editor", password="pw")
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    refused = client.get("/admin/searches/")
    assert refused.status_code == 302 and refused.url == "/admin/"
    promoters = Group.objects.create(name="Promoters")
    promoters.permissions.add(Permission.objects.get(codename="add_searchpromotion"))
    editor.groups.add(promoters)
    assert client.get("/admin/searches/").status_code == 200


# When the search service is down

UNREACHABLE = {
    "default": {
        "BACKEND": "wagtail.search.backends.elasticsearch9",
        "URLS": ["http://127.0.0.1:9"],  # the discard port: nothing listens, so connections are refused
        "INDEX": "register-test",
        "TIMEOUT": 1,
        "OPTIONS": {"max_retries": 0},
    }
}


def test_when_search_is_down_the_search_page_says_so_and_the_register_still_lists(client, cameras, bristol_register):
    with override_settings(WAGTAILSEARCH_BACKENDS=UNREACHABLE):
        response = client.get("/search/", {"q": "cameras"})
        assert response.status_code == 503
        assert response["Retry-After"]
        assert "Search is not working at the moment" in response.content.decode()

        register = client.get(bristol_register.url, {"q": "cameras"})
        assert register.status_code == 200
        assert "Searching by words is not working at the moment" in register.content.decode()
        assert len(found(register)) == 3  # every Bristol entry, not narrowed by the words

        assert len(found(client.get(bristol_register.url))) == 3

        # Editors can still publish: the index update fails quietly and is logged.
        entry = cameras["cctv"]
        entry.title = "CCTV cameras in Bristol city centre"
        entry.save_revision().publish()
    assert client.get(entry.url).status_code == 200


def test_backends_without_ranked_queries_give_the_same_results(client, cameras):
    """Elasticsearch and the plain database fallback go through the general path: keys in, ranked hits out."""
    fallback = {"default": {"BACKEND": "wagtail.search.backends.database.fallback"}}
    with override_settings(WAGTAILSEARCH_BACKENDS=fallback):
        response = client.get("/search/", {"q": "cctv", "council": "bristol"})
    assert found(response) == ["CCTV cameras in the city centre"]
    assert response.context["search"].facets["council"] == {"bristol": 1, "leeds": 1}


def test_old_searches_are_forgotten_but_promoted_queries_stay(cameras):
    import datetime

    from django.core.management import call_command
    from django.utils import timezone
    from wagtail.contrib.search_promotions.models import QueryDailyHits

    today = timezone.localdate()
    old = today - datetime.timedelta(days=91)
    Query.get("old words").add_hit(date=old)
    Query.get("recent words").add_hit(date=today)
    promoted = Query.get("promoted words")
    promoted.add_hit(date=old)
    SearchPromotion.objects.create(query=promoted, page=cameras["cctv"], sort_order=0)
    SearchWithoutResults.add_hit("old nothing", "en-gb", date=old)
    SearchWithoutResults.add_hit("recent nothing", "en-gb", date=today)

    out = io.StringIO()
    call_command("delete_old_searches", stdout=out)
    call_command("delete_old_searches", stdout=out)  # running it twice is safe
    assert "Deleted 2 days of search counts and 1 of searches that found nothing." in out.getvalue()

    assert set(Query.objects.values_list("query_string", flat=True)) == {"recent words", "promoted words"}
    assert QueryDailyHits.objects.count() == 1
    assert list(SearchWithoutResults.objects.values_list("query_string", flat=True)) == ["recent nothing"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TOAST storage is PostgreSQL's")
def test_on_postgresql_an_entry_body_vector_is_kept_in_its_row(bristol_register, bristol):
    # A long entry: its body vector is several kilobytes, which PostgreSQL would otherwise store apart from
    # the row and read back through another index on every search (search/migrations/0004).
    words = [hashlib.sha256(str(n).encode()).hexdigest()[:12] for n in range(300)]
    DataUsePageFactory(parent=bristol_register, organisation=bristol, title="Long entry", purpose=" ".join(words))
    with connection.cursor() as cursor:
        cursor.execute("SELECT max(pg_column_size(body)) FROM wagtailsearch_indexentry")
        assert cursor.fetchone()[0] > 2048  # more than PostgreSQL keeps in a row by default
        cursor.execute(
            "SELECT attstorage FROM pg_attribute WHERE attrelid = 'wagtailsearch_indexentry'::regclass "
            "AND attname = 'body'"
        )
        assert cursor.fetchone() == ("m",)  # in the row, compressed if that helps, out of it only as a last resort
    assert [entry.title for entry in DataUsePage.objects.live().search(words[-1])] == ["Long entry"]
