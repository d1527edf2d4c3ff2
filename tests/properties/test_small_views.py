"""Property tests for the small public views that take part of their address from the visitor: the language
switcher (/language/<code>/?next=...) and the brand-colour stylesheet (/brand-colour/<colour>.css)."""

from urllib.parse import quote, urlencode, urljoin, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.properties.strategies import few, hostile_text

pytestmark = pytest.mark.django_db

codes = st.sampled_from(["en-gb", "cy", "en", "CY", "xx", "ur", "..", ".", "cy%00", "en-gb\n"]) | st.text(max_size=12)
next_urls = hostile_text | st.sampled_from(
    [
        "/cy/register/",
        "//evil.example/",
        "/\\evil.example",
        "\\\\evil.example",
        "https://evil.example/",
        "http:evil.example",
        "javascript:alert(1)",
        " //evil.example",
        "\x00//evil.example",
        "/%2F%2Fevil.example/",
        "/\r\nSet-Cookie: language=xx",
        "/register/?q=<script>xq7()</script>",
        "/" + "a" * 5000,
    ]
)


def test_switcher_answers_anything_and_never_leaves_the_site(client, site):
    @few(40)
    @given(code=codes, next_url=next_urls)
    def switch(code, next_url):
        path = f"/language/{quote(code, safe='')}/"
        response = client.get(f"{path}?{urlencode({'next': next_url})}")
        assert response.status_code in (302, 404), response.status_code
        if response.status_code == 302:
            location = response["Location"]
            # Where a browser goes: the address resolved against the switcher's own, as browsers do.
            target = urlsplit(urljoin(f"http://testserver{path}", location.strip()))
            assert target.scheme == "http" and target.netloc == "testserver", location
            assert "\n" not in location and "\r" not in location

    switch()


def test_switcher_sends_a_relative_next_to_the_home_page(client, site):
    response = client.get("/language/en-gb/", {"next": "0"})
    assert response["Location"] == "/"


def test_brand_colour_stylesheet_takes_six_hex_digits_and_nothing_else(client):
    @few(30)
    @given(colour=st.from_regex(r"\A[0-9a-fA-F]{6}\Z") | hostile_text)
    def fetch(colour):
        response = client.get(f"/brand-colour/{quote(colour, safe='')}.css")
        assert response.status_code < 500
        if response.status_code == 200:
            assert response["Content-Type"].startswith("text/css")
            assert response.content.decode() == f":root{{--app-brand-colour:#{colour.lower()}}}\n"

    fetch()
