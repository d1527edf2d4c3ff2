"""A small English and Welsh register, made once per module, for the property tests of the public pages."""

import pytest
from django.conf import settings
from django.core.cache import caches
from wagtail.models import Locale

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


@pytest.fixture(scope="module")
def register_site(module_transaction, django_db_blocker):
    """Two councils' registers and the combined one, a few published entries, and the Welsh of some of it."""
    with django_db_blocker.unblock():
        locale = LocaleFactory()
        welsh = Locale.objects.create(language_code="cy")
        home = add_home_page(locale)
        combined = RegisterPageFactory(parent=home, slug="register", title="All councils' register")
        bristol = OrganisationFactory(**BRISTOL, locale=locale)
        leeds = OrganisationFactory(**LEEDS, locale=locale)
        bristol_register = RegisterPageFactory(parent=home, slug="bristol", organisation=bristol)
        leeds_register = RegisterPageFactory(parent=home, slug="leeds", organisation=leeds)
        housing = ServiceAreaFactory(name="Housing", slug="housing", locale=locale)
        health = DataCategoryFactory(name="Health", slug="health", locale=locale)
        police = SharingPartnerFactory(name="Police", slug="police", locale=locale)
        entries = []
        for parent, title in [
            (bristol_register, "Housing repairs"),
            (bristol_register, "Cameras that read number plates"),
            (leeds_register, "School admissions"),
        ]:
            entry = DataUsePageFactory(parent=parent, title=title, service_area=housing, uses_algorithm=True)
            add_category(entry, health)
            add_sharing(entry, police)
            entry.save_revision().publish()
            entries.append(entry)
        translate(housing, welsh, name="Tai")
        welsh_pages = {
            "home": translate(home, welsh, title="Cofrestr Defnyddio Data"),
            "register": translate(combined, welsh, title="Cofrestr pob cyngor"),
            "council": translate(bristol_register, welsh, title="Cofrestr Bryste"),
            "entry": translate(entries[0], welsh, title="Atgyweirio tai", summary="Rydym yn trefnu atgyweiriadau."),
        }
    return {
        "english": {"register": combined, "council": bristol_register, "entry": entries[0]},
        "welsh": welsh_pages,
        "entries": entries,
    }


@pytest.fixture
def site(register_site):
    """The pages as fresh copies, so no test sees another's unsaved changes."""
    return {
        language: {kind: fresh(page) for kind, page in pages.items()}
        for language, pages in register_site.items()
        if language != "entries"
    }


@pytest.fixture
def clear_cache():
    """Clears every cache: the rate limit counts every post, and hypothesis sends many."""

    def clear():
        for alias in settings.CACHES:
            caches[alias].clear()

    return clear
