"""What search engines and link previews read: robots.txt, sitemap.xml in both languages with hreflang
alternates, and each page's description, canonical address and Open Graph tags. One module: the demo loads once."""

import re
import xml.etree.ElementTree as ET
from html import unescape

import pytest
from wagtail.models import Locale, PageViewRestriction, Site

from datauses.models import DataUsePage, RegisterPage

pytestmark = pytest.mark.django_db

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


def sitemap(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)  # noqa: S314 (our own sitemap)
    return {
        url.findtext("s:loc", namespaces=NS): {
            "lastmod": url.findtext("s:lastmod", namespaces=NS),
            "alternates": {
                link.get("hreflang"): link.get("href")
                for link in url.findall("x:link", NS)
                if link.get("rel") == "alternate"
            },
        }
        for url in root.findall("s:url", NS)
    }


def meta(html):
    """<meta name|property> contents and the canonical link of a page."""
    found = {
        name: unescape(content)
        for name, content in re.findall(r'<meta (?:name|property)="([^"]+)" content="([^"]*)"', html)
    }
    canonical = re.search(r'<link rel="canonical" href="([^"]+)"', html)
    found["canonical"] = canonical.group(1) if canonical else None
    found["og:locale:alternate"] = re.findall(r'<meta property="og:locale:alternate" content="([^"]+)"', html)
    return found


def test_robots_txt_keeps_crawlers_out_of_the_admin_and_searches_and_names_the_sitemap(client, demo):
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    for path in ("/admin/", "/search/", "/cy/search/", "/feedback/"):
        assert f"Disallow: {path}" in lines
    assert "Disallow: /" not in lines  # the register itself is open to them
    assert lines[-1] == "Sitemap: http://testserver/sitemap.xml"


def test_the_sitemap_lists_every_public_page_in_each_language_it_is_published_in(client, demo):
    urls = sitemap(client)
    english = Locale.get_default()
    welsh = Locale.objects.get(language_code="cy")
    entries = DataUsePage.objects.live().filter(locale=english).select_related("organisation")
    assert entries.count() > 30
    for entry in entries:
        location = entry.full_url  # on the site's own address
        assert location in urls, entry.title
        assert urls[location]["lastmod"] == entry.last_published_at.strftime("%Y-%m-%d")
        copy = entry.get_translation(welsh)
        welsh_location = copy.full_url
        if entry.organisation.slug == "cardiff":
            # Translated: both languages listed, each naming the other and the English as the default.
            assert welsh_location in urls, copy.title
            expected = {"en-GB": location, "cy": welsh_location, "x-default": location}
            assert urls[location]["alternates"] == expected
            assert urls[welsh_location]["alternates"] == expected
        else:
            # An untranslated copy repeats the English at another address: left out.
            assert welsh_location not in urls
            assert urls[location]["alternates"] == {}
    for register in RegisterPage.objects.live().filter(locale=english):
        assert register.full_url in urls
    home = Site.objects.get(is_default_site=True).root_page
    assert home.full_url in urls and home.get_translation(welsh).full_url in urls


def test_the_sitemap_leaves_out_drafts_and_private_pages(client, demo):
    entry, other = DataUsePage.objects.live().filter(locale=Locale.get_default()).order_by("pk")[:2]
    entry.unpublish()
    PageViewRestriction.objects.create(page=other, restriction_type=PageViewRestriction.LOGIN)
    urls = sitemap(client)
    assert entry.full_url not in urls
    assert other.full_url not in urls
    assert len(urls) > 40


def test_an_entry_describes_itself_with_its_summary_when_it_has_no_search_description(client, demo):
    entry = DataUsePage.objects.live().filter(locale=Locale.get_default(), search_description="").first()
    html = client.get(entry.url).content.decode()
    tags = meta(html)
    assert tags["description"] == " ".join(entry.summary.split())
    assert tags["og:description"] == tags["description"]
    assert tags["og:title"] == entry.title
    assert tags["og:type"] == "article"
    assert tags["og:url"] == tags["canonical"] == f"http://testserver{entry.url}"
    assert tags["og:locale"] == "en_GB"
    assert tags["og:site_name"]

    entry.search_description = "Cameras that read number plates, and what we keep."
    entry.save_revision().publish()
    assert meta(client.get(entry.url).content.decode())["description"] == entry.search_description


def test_a_welsh_page_names_its_language_and_its_english_version_for_link_previews(client, demo):
    welsh = Locale.objects.get(language_code="cy")
    entry = DataUsePage.objects.live().filter(locale=welsh, alias_of__isnull=True).first()
    tags = meta(client.get(entry.url, {"utm_source": "newsletter"}).content.decode())
    assert tags["og:locale"] == "cy_GB" and tags["og:locale:alternate"] == ["en_GB"]
    assert tags["canonical"] == f"http://testserver{entry.url}"  # without the query string
    register = RegisterPage.objects.live().filter(locale=Locale.get_default()).first()
    tags = meta(client.get(register.url).content.decode())
    assert tags["og:type"] == "website" and tags["description"] == " ".join(register.intro.split())[:200]
