"""Entries are translatable from the start: a Welsh copy lives under /cy/ with the same reference."""

import pytest
from wagtail.models import Locale

from tests.factories import DataUsePageFactory, add_category, add_risk

pytestmark = pytest.mark.django_db


def test_entry_copied_for_welsh_translation_is_served_under_cy(client, home_page, bristol_register, locale):
    from tests.factories import DataCategoryFactory

    welsh = Locale.objects.create(language_code="cy")
    entry = DataUsePageFactory(parent=bristol_register, title="Cameras in the Clean Air Zone")
    add_category(entry, DataCategoryFactory(locale=locale))
    add_risk(entry, risk="A risk in English.")
    home_page.copy_for_translation(welsh).save_revision().publish()
    bristol_register.copy_for_translation(welsh).save_revision().publish()
    welsh_entry = entry.copy_for_translation(welsh)
    welsh_entry.title = "Camerâu yn y Parth Aer Glân"
    welsh_entry.save_revision().publish()
    welsh_entry.refresh_from_db()

    assert welsh_entry.reference == entry.reference
    assert welsh_entry.risks.get().locale == welsh
    response = client.get("/cy/bristol/" + welsh_entry.slug + "/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Camerâu yn y Parth Aer Glân" in html
    assert '<html lang="cy"' in html
    english = client.get(entry.url).content.decode()
    assert "Cameras in the Clean Air Zone" in english and "Camerâu" not in english
    # The Welsh register lists the Welsh entry only.
    welsh_register = client.get("/cy/bristol/").content.decode()
    assert "Camerâu yn y Parth Aer Glân" in welsh_register
    assert "Cameras in the Clean Air Zone" not in welsh_register
