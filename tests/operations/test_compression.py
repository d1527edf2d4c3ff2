"""Pages travel compressed: HTML is gzipped for browsers that ask, and a whole entry page (HTML, stylesheet
and scripts) stays under 100 KB compressed."""

import gzip
import re

import pytest
from django.contrib.staticfiles import finders

from tests.factories import DataUsePageFactory

pytestmark = pytest.mark.django_db

PAGE_WEIGHT_LIMIT = 100 * 1024


@pytest.fixture
def entry(bristol_register):
    return DataUsePageFactory(parent=bristol_register, title="Housing repairs", summary="We book repairs.")


def test_pages_are_gzipped_for_browsers_that_ask(client, entry):
    response = client.get(entry.url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    html = gzip.decompress(response.content).decode()
    assert "Housing repairs" in html
    assert len(response.content) < len(html.encode()) / 3


def test_pages_are_plain_for_clients_that_do_not_ask(client, entry):
    response = client.get(entry.url)
    assert not response.has_header("Content-Encoding")
    assert "Housing repairs" in response.content.decode()


def test_an_entry_page_with_its_stylesheet_and_scripts_weighs_under_100_kb_compressed(client, entry):
    response = client.get(entry.url, HTTP_ACCEPT_ENCODING="gzip")
    html = gzip.decompress(response.content).decode()
    total = len(response.content)
    assets = re.findall(r'(?:src|href)="/static/([^"?]+\.(?:css|js))"', html)
    assert any(name.endswith(".css") for name in assets) and any(name.endswith(".js") for name in assets)
    for name in assets:
        with open(finders.find(name), "rb") as asset:
            total += len(gzip.compress(asset.read(), compresslevel=9))
    assert total < PAGE_WEIGHT_LIMIT, f"{total} bytes"
