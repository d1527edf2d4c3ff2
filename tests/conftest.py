"""Fixtures every test can use: a page tree with a home page, registers and councils."""

import pytest
from django.core.cache import cache
from wagtail.models import Page, Site

from tests.factories import HomePageFactory, LocaleFactory, OrganisationFactory, RegisterPageFactory


@pytest.fixture(autouse=True)
def _clear_cache():
    # Wagtail caches site root paths; a rolled-back test must not leave them behind.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def locale(db):
    return LocaleFactory()


@pytest.fixture
def home_page(locale):
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", locale=locale))
    home = HomePageFactory(parent=root, slug="data-use-register", locale=locale)
    Site.objects.filter(is_default_site=True).delete()
    Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
    return home


@pytest.fixture
def bristol(locale):
    return OrganisationFactory(
        name="Bristol City Council", short_name="Bristol", slug="bristol", reference_prefix="BRS", locale=locale
    )


@pytest.fixture
def leeds(locale):
    return OrganisationFactory(
        name="Leeds City Council",
        short_name="Leeds",
        slug="leeds",
        reference_prefix="LDS",
        brand_colour="#00573f",
        locale=locale,
    )


@pytest.fixture
def combined_register(home_page):
    return RegisterPageFactory(parent=home_page, slug="register", title="All councils' register")


@pytest.fixture
def bristol_register(home_page, bristol):
    return RegisterPageFactory(parent=home_page, slug="bristol", organisation=bristol)


@pytest.fixture
def leeds_register(home_page, leeds):
    return RegisterPageFactory(parent=home_page, slug="leeds", organisation=leeds)
