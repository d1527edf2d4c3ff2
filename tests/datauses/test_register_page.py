"""The register: cards, every filter and their combinations, sorting, paging and bad query strings."""

import datetime

import pytest
from django.test import override_settings

from datauses.models import DecisionMaking, LawfulBasis, Status
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
)

pytestmark = pytest.mark.django_db


def titles(response):
    return [entry.title for entry in response.context["search"].entries]


@pytest.fixture(scope="module")
def world(module_transaction, django_db_blocker):
    """Four entries across two councils, each different in every filterable way: made once for the module."""
    with django_db_blocker.unblock():
        locale = LocaleFactory()
        home = add_home_page(locale)
        combined = RegisterPageFactory(parent=home, slug="register", title="All councils' register")
        bristol_register = RegisterPageFactory(
            parent=home, slug="bristol", organisation=OrganisationFactory(**BRISTOL, locale=locale)
        )
        leeds_register = RegisterPageFactory(
            parent=home, slug="leeds", organisation=OrganisationFactory(**LEEDS, locale=locale)
        )
        housing = ServiceAreaFactory(name="Housing", slug="housing", locale=locale)
        schools = ServiceAreaFactory(name="Education and schools", slug="education-and-schools", locale=locale)
        health = DataCategoryFactory(name="Health", slug="health", is_special_category=True, locale=locale)
        address = DataCategoryFactory(name="Address", slug="address", locale=locale)
        police = SharingPartnerFactory(name="Avon and Somerset Police", slug="police", locale=locale)
        repairs = DataUsePageFactory(
            parent=bristol_register,
            title="Housing repairs chatbot",
            service_area=housing,
            status=Status.IN_USE,
            lawful_basis=LawfulBasis.CONTRACT,
            uses_algorithm=True,
        )
        add_category(repairs, address)
        admissions = DataUsePageFactory(
            parent=bristol_register,
            title="School admissions",
            service_area=schools,
            status=Status.IN_USE,
            lawful_basis=LawfulBasis.PUBLIC_TASK,
            decision_making=DecisionMaking.AUTOMATED,
        )
        add_category(admissions, address)
        add_sharing(admissions, police)
        care = DataUsePageFactory(
            parent=leeds_register,
            title="Adult social care risk scores",
            service_area=housing,
            status=Status.PILOT,
            lawful_basis=LawfulBasis.PUBLIC_TASK,
        )
        add_category(care, health)
        add_sharing(care, police)
        DataUsePageFactory(
            parent=leeds_register,
            title="Air quality sensors",
            service_area=schools,
            status=Status.RETIRED,
            lawful_basis=LawfulBasis.LEGAL_OBLIGATION,
        )
    return {"register": combined, "bristol_register": bristol_register, "police": police, "address": address}


@pytest.fixture
def register(world):
    return fresh(world["register"])


@pytest.fixture
def bristol_register(world):
    return fresh(world["bristol_register"])


@pytest.fixture
def police(world):
    return fresh(world["police"])


@pytest.fixture
def address(world):
    return fresh(world["address"])


def test_combined_register_lists_every_council_in_title_order(client, register):
    response = client.get(register.url)
    assert response.status_code == 200
    assert titles(response) == [
        "Adult social care risk scores",
        "Air quality sensors",
        "Housing repairs chatbot",
        "School admissions",
    ]
    assert "Showing 1 to 4 of 4 entries" in response.content.decode()


def test_council_register_lists_only_that_councils_entries(client, register, bristol_register):
    response = client.get(bristol_register.url)
    assert titles(response) == ["Housing repairs chatbot", "School admissions"]
    # A council's own register has no council filter: it would only ever have one choice.
    assert 'name="council"' not in response.content.decode()


def test_card_shows_summary_service_area_reference_and_tags(client, register):
    html = client.get(register.url).content.decode()
    assert "A one-sentence summary." in html
    assert "Education and schools" in html
    assert "BRS-0001" in html
    assert html.count('govuk-tag--purple">Uses automated decisions') == 2
    assert html.count('govuk-tag--blue">Shares data with other organisations') == 2


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("council=bristol", ["Housing repairs chatbot", "School admissions"]),
        ("council=leeds", ["Adult social care risk scores", "Air quality sensors"]),
        ("council=bristol&council=leeds", None),
        ("service_area=housing", ["Adult social care risk scores", "Housing repairs chatbot"]),
        ("data=health", ["Adult social care risk scores"]),
        ("data=address", ["Housing repairs chatbot", "School admissions"]),
        ("data=address&data=health", ["Adult social care risk scores", "Housing repairs chatbot", "School admissions"]),
        ("lawful_basis=contract", ["Housing repairs chatbot"]),
        ("lawful_basis=public_task", ["Adult social care risk scores", "School admissions"]),
        ("status=pilot", ["Adult social care risk scores"]),
        ("status=retired&status=pilot", ["Adult social care risk scores", "Air quality sensors"]),
        ("automated=yes", ["Housing repairs chatbot", "School admissions"]),
        ("automated=no", ["Adult social care risk scores", "Air quality sensors"]),
        ("sharing=yes", ["Adult social care risk scores", "School admissions"]),
        ("sharing=no", ["Air quality sensors", "Housing repairs chatbot"]),
    ],
)
def test_each_filter_keeps_only_matching_entries(client, register, query, expected):
    response = client.get(f"{register.url}?{query}")
    assert response.status_code == 200
    if expected is None:
        expected = [
            "Adult social care risk scores",
            "Air quality sensors",
            "Housing repairs chatbot",
            "School admissions",
        ]
    assert titles(response) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("council=bristol&automated=yes&sharing=yes", ["School admissions"]),
        ("council=leeds&service_area=housing&data=health", ["Adult social care risk scores"]),
        ("service_area=housing&sharing=no", ["Housing repairs chatbot"]),
        ("lawful_basis=public_task&status=in_use&data=address", ["School admissions"]),
        ("council=leeds&automated=yes", []),
        (
            "service_area=education-and-schools&lawful_basis=legal_obligation&status=retired&sharing=no&automated=no",
            ["Air quality sensors"],
        ),
    ],
)
def test_filters_combine_so_every_condition_must_hold(client, register, query, expected):
    response = client.get(f"{register.url}?{query}")
    assert titles(response) == expected


def test_no_match_says_so_and_offers_a_way_back(client, register):
    html = client.get(f"{register.url}?council=leeds&automated=yes").content.decode()
    assert "No entries match your filters." in html
    assert "look through every entry in the register" in html


def test_chosen_filters_stay_ticked_and_are_listed(client, register):
    html = client.get(f"{register.url}?council=leeds&sharing=yes").content.decode()
    assert 'name="council" type="checkbox" value="leeds" checked>' in html
    assert 'name="council" type="checkbox" value="bristol">' in html
    assert 'name="sharing" type="radio" value="yes" checked>' in html
    assert 'name="automated" type="radio" value="" checked>' in html
    assert "Filtered by" in html
    assert "Council: Leeds" in html
    assert "Shares data outside the council: Yes" in html


def test_sort_by_recently_updated_puts_latest_published_first(client, register):
    from datauses.models import DataUsePage

    start = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    for days, title in enumerate(["School admissions", "Air quality sensors", "Housing repairs chatbot"]):
        DataUsePage.objects.filter(title=title).update(last_published_at=start + datetime.timedelta(days=days))
    response = client.get(f"{register.url}?sort=updated")
    # Never published (no date) goes last.
    assert titles(response) == [
        "Housing repairs chatbot",
        "Air quality sensors",
        "School admissions",
        "Adult social care risk scores",
    ]
    response = client.get(f"{register.url}?sort=title")
    assert titles(response)[0] == "Adult social care risk scores"


@override_settings(REGISTER_PAGE_SIZE=2)
def test_pages_through_the_register_keeping_filters_in_links(client, register):
    first = client.get(register.url)
    assert titles(first) == ["Adult social care risk scores", "Air quality sensors"]
    html = first.content.decode()
    assert "Showing 1 to 2 of 4 entries" in html
    assert "page=2" in html
    second = client.get(f"{register.url}?page=2")
    assert titles(second) == ["Housing repairs chatbot", "School admissions"]
    filtered = client.get(f"{register.url}?sort=title&service_area=housing&service_area=education-and-schools")
    assert "service_area=housing&amp;service_area=education-and-schools" in filtered.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        "page=9999",
        "page=abc",
        "page=-1",
        "page=0",
        "page=1.5",
        "council=nowhere",
        "service_area=%00",
        "status=deleted",
        "lawful_basis=" + "x" * 5000,
        "automated=maybe",
        "sharing=" + "%F0%9F%98%80" * 50,
        "sort=-id",
        "data=address&data=" + "a" * 10000,
        "council[]=bristol",
        "page=" + "9" * 400,
    ],
)
def test_bad_query_strings_give_a_normal_page(client, register, query):
    response = client.get(f"{register.url}?{query}")
    assert response.status_code == 200
    assert len(titles(response)) >= 1


def test_unrecognised_filter_values_are_ignored_with_a_message(client, register):
    response = client.get(f"{register.url}?council=atlantis&status=pilot")
    html = response.content.decode()
    assert "were not recognised" in html
    assert titles(response) == ["Adult social care risk scores"]


def test_page_beyond_the_end_shows_the_last_page(client, register):
    with override_settings(REGISTER_PAGE_SIZE=3):
        response = client.get(f"{register.url}?page=9999")
    assert titles(response) == ["School admissions"]


def test_unpublished_and_private_entries_are_never_listed(client, register, bristol_register):
    from wagtail.models import PageViewRestriction

    draft = DataUsePageFactory(parent=bristol_register, title="Secret draft", live=False)
    hidden = DataUsePageFactory(parent=bristol_register, title="Staff only")
    PageViewRestriction.objects.create(page=hidden, restriction_type=PageViewRestriction.LOGIN)
    for url in (register.url, bristol_register.url, f"{register.url}?council=bristol&sort=updated"):
        html = client.get(url).content.decode()
        assert "Secret draft" not in html
        assert "Staff only" not in html
    assert client.get(draft.url or "/bristol/secret-draft/").status_code == 404


def _grow(register_page, partner, category, count):
    for n in range(count):
        page = DataUsePageFactory(parent=register_page, title=f"Extra entry {n}", uses_algorithm=n % 2 == 0)
        add_sharing(page, partner)
        add_sharing(page, SharingPartnerFactory(locale=page.locale))
        add_category(page, category)


@pytest.mark.parametrize("query", ["", "?council=bristol&data=address&sharing=yes&automated=yes&sort=updated"])
def test_register_uses_a_fixed_number_of_queries(
    client, register, bristol_register, police, address, django_assert_max_num_queries, query
):
    client.get(register.url + query)  # warm Wagtail's site cache
    with override_settings(REGISTER_PAGE_SIZE=50):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as small:
            client.get(register.url + query)
        _grow(bristol_register, police, address, 15)
        with CaptureQueriesContext(connection) as large:
            response = client.get(register.url + query)
    assert len(titles(response)) > 4
    assert len(large.captured_queries) == len(small.captured_queries)
    # Page, site and menu (8), filter choices (3), count and cards (2), facet counts (2), template (6).
    with django_assert_max_num_queries(22):
        client.get(register.url + query)
