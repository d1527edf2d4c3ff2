"""The chosen filters above the results: each a link that removes only itself, the count, and "Clear all filters"."""

import html as html_lib
import re

import pytest
from django.http import QueryDict
from django.utils import translation
from wagtail.models import Locale

from datauses.filters import ActiveFilter, DataUseFilterSet
from datauses.models import DataUsePage, LawfulBasis, Status
from tests.factories import (
    BRISTOL,
    LEEDS,
    DataCategoryFactory,
    DataUsePageFactory,
    LocaleFactory,
    OrganisationFactory,
    RegisterPageFactory,
    ServiceAreaFactory,
    SharingPartnerFactory,
    add_category,
    add_home_page,
    add_sharing,
    fresh,
    translate,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def world(module_transaction, django_db_blocker):
    """Three entries in two councils' registers, and the Bristol register in Welsh: made once for the module."""
    with django_db_blocker.unblock():
        locale = LocaleFactory()
        welsh = Locale.objects.create(language_code="cy")
        home = add_home_page(locale)
        combined = RegisterPageFactory(parent=home, slug="register", title="All councils' register")
        bristol = OrganisationFactory(**BRISTOL, locale=locale)
        bristol_register = RegisterPageFactory(parent=home, slug="bristol", organisation=bristol)
        leeds_register = RegisterPageFactory(
            parent=home, slug="leeds", organisation=OrganisationFactory(**LEEDS, locale=locale)
        )
        housing = ServiceAreaFactory(name="Housing", slug="housing", locale=locale)
        health = DataCategoryFactory(name="Health", slug="health", locale=locale)
        repairs = DataUsePageFactory(
            parent=bristol_register,
            title="Housing repairs chatbot",
            summary="We book repairs.",
            service_area=housing,
            status=Status.IN_USE,
            lawful_basis=LawfulBasis.CONTRACT,
            uses_algorithm=True,
        )
        add_category(repairs, health)
        admissions = DataUsePageFactory(
            parent=bristol_register,
            title="School admissions",
            status=Status.PILOT,
            lawful_basis=LawfulBasis.PUBLIC_TASK,
        )
        add_sharing(admissions, SharingPartnerFactory(name="Avon and Somerset Police", slug="police", locale=locale))
        DataUsePageFactory(parent=leeds_register, title="Air quality sensors", status=Status.RETIRED)
        translate(housing, welsh, name="Tai")
        translate(bristol, welsh, name="Cyngor Dinas Bryste", short_name="Bryste")
        translate(home, welsh, title="Cofrestr Defnyddio Data")
        welsh_register = translate(bristol_register, welsh, title="Cofrestr Bryste")
        translate(repairs, welsh, title="Atgyweirio tai", summary="Rydym yn trefnu atgyweiriadau.")
    return {"combined": combined, "bristol": bristol_register, "welsh": welsh_register}


@pytest.fixture
def bristol_register(world):
    return fresh(world["bristol"])


@pytest.fixture
def combined_register(world):
    return fresh(world["combined"])


@pytest.fixture
def welsh_register(world):
    return fresh(world["welsh"])


def removal_links(html):
    """{visible text of each chosen filter: the address its link goes to}."""
    links = re.findall(
        r'<a class="govuk-link app-active-filters__link" href="([^"]*)">'
        r'<span class="govuk-visually-hidden">([^<]*)</span>([^<]*)<span[^>]*>×</span></a>',
        html,
    )
    return {html_lib.unescape(text): html_lib.unescape(href) for href, _hidden, text in links}


def clear_all_link(html, name="Clear all filters"):
    match = re.search(rf'<a class="govuk-link" href="([^"]*)">{re.escape(name)}</a>', html)
    return html_lib.unescape(match.group(1)) if match else None


def summary_text(html):
    match = re.search(r'<span class="govuk-details__summary-text">(.*?)</span>', html, re.DOTALL)
    return " ".join(match.group(1).split())


def test_without_filters_there_is_nothing_to_remove_and_the_summary_has_no_count(client, bristol_register):
    html = client.get(bristol_register.url + "?q=&sort=title").content.decode()
    assert 'id="active-filters"' not in html
    assert removal_links(html) == {}
    assert summary_text(html) == "Search and filter"
    assert "Showing 1 to 2 of 2 entries" in html


def test_each_chosen_filter_links_to_the_list_without_only_that_filter(client, bristol_register):
    query = "?q=school+housing&status=in_use&status=pilot&lawful_basis=contract&sharing=yes&sort=updated&page=2"
    html = client.get(bristol_register.url + query).content.decode()
    # Searching words and sort order stay; the page number goes, as the list changes.
    assert removal_links(html) == {
        "Lawful basis: Contract": "/bristol/?q=school+housing&status=in_use&status=pilot&sharing=yes&sort=updated",
        "Status: In use": "/bristol/?q=school+housing&status=pilot&lawful_basis=contract&sharing=yes&sort=updated",
        "Status: Pilot": "/bristol/?q=school+housing&status=in_use&lawful_basis=contract&sharing=yes&sort=updated",
        "Shares data outside the council: Yes": (
            "/bristol/?q=school+housing&status=in_use&status=pilot&lawful_basis=contract&sort=updated"
        ),
    }
    assert clear_all_link(html) == "/bristol/?q=school+housing&sort=updated"
    assert summary_text(html) == "Search and filter (4 filters applied)"
    assert '<span class="govuk-visually-hidden">Remove filter </span>Status: Pilot' in html


def test_the_count_and_the_chosen_filters_come_before_the_results(client, bristol_register):
    html = client.get(bristol_register.url + "?status=pilot").content.decode()
    assert summary_text(html) == "Search and filter (1 filter applied)"
    count = html.index('id="result-count"')
    chosen = html.index('id="active-filters"')
    cards = html.index('class="app-card-list"')
    assert count < chosen < cards
    assert "Showing 1 to 1 of 1 entry" in html
    assert removal_links(html) == {"Status: Pilot": "/bristol/"}
    assert clear_all_link(html) == "/bristol/"


def test_following_a_removal_link_widens_the_list_and_keeps_the_other_filters(client, bristol_register):
    html = client.get(bristol_register.url + "?status=in_use&status=pilot&automated=yes").content.decode()
    assert "Showing 1 to 1 of 1 entry" in html
    widened = client.get(removal_links(html)["Uses automated decisions or AI: Yes"])
    assert [entry.title for entry in widened.context["search"].entries] == [
        "Housing repairs chatbot",
        "School admissions",
    ]
    assert set(removal_links(widened.content.decode())) == {"Status: In use", "Status: Pilot"}


def test_an_option_given_twice_is_listed_once_and_its_link_removes_both(client, bristol_register):
    html = client.get(bristol_register.url + "?status=pilot&status=pilot&status=in_use").content.decode()
    assert removal_links(html) == {
        "Status: Pilot": "/bristol/?status=in_use",
        "Status: In use": "/bristol/?status=pilot&status=pilot",
    }
    assert summary_text(html) == "Search and filter (2 filters applied)"


def test_unrecognised_options_are_not_listed_and_clear_all_removes_them(client, bristol_register):
    html = client.get(bristol_register.url + "?status=deleted&sharing=yes&q=cctv").content.decode()
    assert "Some filters in the web address were not recognised" in html
    assert removal_links(html) == {"Shares data outside the council: Yes": "/bristol/?status=deleted&q=cctv"}
    assert clear_all_link(html) == "/bristol/?q=cctv"


def test_the_combined_register_lists_councils_service_areas_and_kinds_of_data(client, combined_register):
    html = client.get(
        combined_register.url + "?council=leeds&council=bristol&service_area=housing&data=health"
    ).content.decode()
    assert removal_links(html) == {
        "Council: Bristol": "/register/?council=leeds&service_area=housing&data=health",
        "Council: Leeds": "/register/?council=bristol&service_area=housing&data=health",
        "Service area: Housing": "/register/?council=leeds&council=bristol&data=health",
        "Kind of data: Health": "/register/?council=leeds&council=bristol&service_area=housing",
    }
    assert clear_all_link(html) == "/register/"


def test_the_search_page_links_back_to_itself_keeping_the_words(client, world):
    html = client.get("/search/?q=repairs&status=in_use&automated=yes").content.decode()
    assert removal_links(html) == {
        "Status: In use": "/search/?q=repairs&automated=yes",
        "Uses automated decisions or AI: Yes": "/search/?q=repairs&status=in_use",
    }
    assert clear_all_link(html) == "/search/?q=repairs"
    assert summary_text(html) == "Search and filter (2 filters applied)"


def test_the_welsh_register_names_its_filters_in_welsh(client, welsh_register):
    assert welsh_register.url == "/cy/bristol/"
    html = client.get(welsh_register.url + "?service_area=housing&status=in_use").content.decode()
    assert "Wedi'i hidlo yn ôl" in html or "Wedi&#x27;i hidlo yn ôl" in html
    links = removal_links(html)
    assert links["Maes gwasanaeth: Tai"] == "/cy/bristol/?status=in_use"
    assert links["Statws: Yn cael ei ddefnyddio"] == "/cy/bristol/?service_area=housing"
    assert len(links) == 2


def test_the_filterset_gives_named_tuples_and_works_with_a_plain_dict(world):
    base = DataUsePage.objects.live()
    with translation.override("en-gb"):
        chosen = DataUseFilterSet({"status": ["pilot"], "sharing": "no", "page": "3"}, queryset=base).active_filters()
        assert chosen == [
            ActiveFilter("Status", "Pilot", "?sharing=no"),
            ActiveFilter("Shares data outside the council", "No", "?status=pilot"),
        ]
        assert (chosen[0].group, chosen[0].label, chosen[0].remove_query) == ("Status", "Pilot", "?sharing=no")
    assert DataUseFilterSet(None, queryset=base).active_filters() == []
    filterset = DataUseFilterSet(QueryDict("q=a+b&council=leeds&page=2&sort=title"), queryset=base)
    assert filterset.clear_filters_query == "?q=a+b&sort=title"
