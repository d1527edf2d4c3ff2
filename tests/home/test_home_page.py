"""The home page, content pages, branding, navigation and the not-found page."""

from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from home.models import BrandingSettings, ContentPage
from tests.factories import ContentPageFactory, DataUsePageFactory

pytestmark = pytest.mark.django_db


def test_home_page_leads_to_the_combined_register_and_each_council(
    client, combined_register, bristol_register, leeds_register
):
    DataUsePageFactory(parent=bristol_register)
    DataUsePageFactory(parent=leeds_register)
    DataUsePageFactory(parent=leeds_register, live=False)
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "See all 2 entries" in html
    assert f'href="{combined_register.url}"' in html
    assert "Bristol City Council" in html and f'href="{bristol_register.url}"' in html
    assert "Leeds City Council" in html and f'href="{leeds_register.url}"' in html
    navigation = html.split('id="navigation"')[1].split("</ul>")[0]
    assert ">All councils</a>" in navigation and ">Bristol</a>" in navigation and ">Leeds</a>" in navigation


def test_council_pages_carry_the_councils_brand_and_the_home_page_the_partnerships(client, home_page, leeds_register):
    branding = BrandingSettings.for_site(home_page.get_site())
    branding.brand_colour = "#0b3d5c"
    branding.service_name = "West Data Register"
    branding.save()
    home = client.get("/").content.decode()
    assert '<link rel="stylesheet" href="/brand-colour/0b3d5c.css">' in home
    assert "West Data Register" in home
    leeds = client.get(leeds_register.url).content.decode()
    assert '<link rel="stylesheet" href="/brand-colour/00573f.css">' in leeds
    assert "Leeds City Council" in leeds
    assert client.get("/brand-colour/00573f.css").content == b":root{--app-brand-colour:#00573f}\n"


def test_pages_never_show_the_gov_uk_crown_or_font(client, home_page):
    html = client.get("/").content.decode()
    assert "govuk-header__logotype" not in html
    assert "GOV.UK" not in html
    css = Path(finders.find("css/main.css")).read_text(encoding="utf-8")
    assert "GDS Transport" not in css
    assert "govuk-header__logotype" not in html


def test_content_page_renders_and_is_linked_in_the_footer(client, home_page):
    page = ContentPageFactory(
        parent=home_page, slug="accessibility-statement", body=[("paragraph", "<p>We test every page.</p>")]
    )
    html = client.get(page.url).content.decode()
    assert "We test every page." in html
    footer = client.get("/").content.decode().split('class="govuk-footer"')[1]
    assert f'href="{page.url}"' in footer


def test_unknown_address_gives_a_helpful_not_found_page(client, home_page):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html


def test_before_there_is_any_site_an_unknown_address_is_still_a_not_found_page(client):
    from wagtail.models import Site

    Site.objects.all().delete()  # a new install before its first page is set up
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert "Data Use Register" in response.content.decode()  # the service's default name, as no site names it


def test_admin_can_create_a_content_page(admin_client, home_page):
    from django.urls import reverse

    url = reverse("wagtailadmin_pages:add", args=("home", "contentpage", home_page.pk))
    data = nested_form_data(
        {
            "title": "Cookies",
            "slug": "cookies",
            "intro": "",
            "body": streamfield([("paragraph", rich_text("<p>None.</p>"))]),
            "action-publish": "action-publish",
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302
    assert ContentPage.objects.get(slug="cookies").live


def test_home_page_uses_a_fixed_number_of_queries(client, home_page, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import OrganisationFactory, RegisterPageFactory

    RegisterPageFactory(parent=home_page, slug="register", title="All councils")
    client.get("/")
    with CaptureQueriesContext(connection) as small:
        client.get("/")
    for n in range(6):
        council = OrganisationFactory(locale=home_page.locale)
        register = RegisterPageFactory(parent=home_page, slug=f"council-{n}", organisation=council)
        DataUsePageFactory(parent=register)
    with CaptureQueriesContext(connection) as large:
        html = client.get("/").content.decode()
    assert html.count("app-council-list") == 1 and "See all 6 entries" in html
    assert len(large.captured_queries) == len(small.captured_queries)
    # 15, plus the page's other language versions (switcher, hreflang).
    with django_assert_max_num_queries(16):
        client.get("/")
