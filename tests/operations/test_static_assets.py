"""Stylesheets and scripts travel small: collectstatic (as production runs it) writes a Brotli and a gzip copy
beside each one, whitenoise sends the Brotli copy to browsers that ask for it, govuk-frontend's JavaScript
ships minified, and every kind of public page weighs under 100 KB gzipped with its stylesheets and scripts."""

import gzip
import re

import brotli
import pytest
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.test import Client, override_settings

from tests.conftest import ROOT
from tests.factories import DataUsePageFactory

PAGE_WEIGHT_LIMIT = 100 * 1024
SHIPPED = ["css/main.css", "js/govuk-frontend.js", "js/init.js", "js/js-enabled.js", "js/search-suggest.js"]


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    """Our front end (static_build/) collected into a folder of its own with the production storage, and
    whitenoise serving that folder to every Client made while the fixture lasts."""
    root = tmp_path_factory.mktemp("static")
    production_storage = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    # Only our own files: Wagtail's hundreds would make no difference to what is checked here.
    only_ours = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    with override_settings(STATIC_ROOT=root, STORAGES=production_storage, STATICFILES_FINDERS=only_ours):
        call_command("collectstatic", interactive=False, verbosity=0)
        yield root, {name: staticfiles_storage.stored_name(name) for name in SHIPPED}


@pytest.mark.parametrize("name", SHIPPED)
def test_collectstatic_writes_brotli_and_gzip_copies_of_each_stylesheet_and_script(collected, name):
    root, hashed = collected
    original = (root / hashed[name]).read_bytes()
    assert brotli.decompress((root / f"{hashed[name]}.br").read_bytes()) == original
    assert gzip.decompress((root / f"{hashed[name]}.gz").read_bytes()) == original


@pytest.mark.parametrize("name", ["css/main.css", "js/govuk-frontend.js"])
def test_whitenoise_sends_brotli_to_browsers_that_ask_and_gzip_to_those_that_only_take_gzip(collected, name):
    root, hashed = collected
    original = (root / hashed[name]).read_bytes()
    url = f"/static/{hashed[name]}"

    response = Client().get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "br"
    assert "Accept-Encoding" in response["Vary"]
    assert "immutable" in response["Cache-Control"]  # a hashed name never changes, so browsers keep it
    assert brotli.decompress(b"".join(response.streaming_content)) == original

    response = Client().get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    assert gzip.decompress(b"".join(response.streaming_content)) == original

    with override_settings(PAGE_CACHE_SECONDS=300):  # the page cache leaves static files as WhiteNoise sends them
        response = Client().get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert "immutable" in response["Cache-Control"] and "private" not in response["Cache-Control"]
    assert not response.has_header("X-Page-Cache")


def test_govuk_frontend_javascript_ships_minified():
    script = (ROOT / "static_build" / "js" / "govuk-frontend.js").read_text()
    assert len(script.encode()) < 60 * 1024, "govuk-frontend.js is not the minified build"
    assert "/**" not in script and len(script.splitlines()) < 5
    # What static_src/js/init.js starts, on the name it looks for.
    assert "window.GOVUKFrontend={" in script and "initAll:initAll" in script


@pytest.fixture
def site(home_page, bristol_register):
    for n in range(21):  # a full first page of the register, and a second
        DataUsePageFactory(parent=bristol_register, title=f"Housing repairs {n}", summary="We book repairs.")
    return {"home": home_page.url, "register": bristol_register.url, "search": "/search/?q=repairs"}


def gzipped_size(client, url):
    if url.startswith("/static/"):
        with open(finders.find(url.removeprefix("/static/")), "rb") as asset:
            return len(gzip.compress(asset.read(), compresslevel=9))
    response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200, url
    content = response.content
    return len(content if response.get("Content-Encoding") == "gzip" else gzip.compress(content, compresslevel=9))


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["home", "register", "search"])
def test_a_public_page_with_its_stylesheets_and_scripts_weighs_under_100_kb_gzipped(client, site, page):
    response = client.get(site[page], HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    html = gzip.decompress(response.content).decode()
    if page != "home":
        assert html.count('class="app-card"') == 20  # a full page of results
    assets = re.findall(r'<(?:script src|link rel="stylesheet" href)="(/[^"]+)"', html)
    assert any(url.endswith(".css") for url in assets) and any(url.endswith(".js") for url in assets)
    sizes = {url: gzipped_size(client, url) for url in assets}
    total = len(response.content) + sum(sizes.values())
    assert total < PAGE_WEIGHT_LIMIT, f"{total} bytes: the page {len(response.content)}, {sizes}"
