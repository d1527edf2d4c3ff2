"""Content-Security-Policy and Permissions-Policy on every response, and templates that need no inline allowance."""

import re
from pathlib import Path

import pytest

from tests.factories import DataUsePageFactory

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def policy(response):
    """The Content-Security-Policy header as {directive: [sources]}."""
    directives = (part.split() for part in response["Content-Security-Policy"].split(";") if part.strip())
    return {name: sources for name, *sources in directives}


@pytest.fixture
def entry(bristol_register):
    return DataUsePageFactory(parent=bristol_register, title="Housing repairs chatbot")


@pytest.fixture
def public_responses(client, home_page, bristol_register, entry):
    return [
        client.get(url)
        for url in (
            "/",
            bristol_register.url,
            entry.url,
            "/search/?q=repairs",
            "/no-such-page/",
            "/brand-colour/0b3d5c.css",
        )
    ]


def test_public_pages_allow_only_their_own_files_and_nothing_inline(public_responses):
    for response in public_responses:
        directives = policy(response)
        assert directives == {
            "default-src": ["'self'"],
            "script-src": ["'self'"],
            "style-src": ["'self'"],
            "img-src": ["'self'"],
            "font-src": ["'self'"],
            "connect-src": ["'self'"],
            "object-src": ["'none'"],
            "base-uri": ["'self'"],
            "form-action": ["'self'"],
            "frame-ancestors": ["'none'"],
        }, response.request["PATH_INFO"]
        assert "unsafe" not in response["Content-Security-Policy"]


def test_the_admin_allows_inline_scripts_and_style_elements_but_nothing_else_more(client, admin_user, home_page):
    client.force_login(admin_user)
    for url in ("/admin/login/", "/admin/"):
        directives = policy(client.get(url))
        assert directives["script-src"] == ["'self'", "'unsafe-inline'"]
        assert directives["style-src-elem"] == ["'self'", "'unsafe-inline'"]
        assert directives["style-src"] == ["'self'"]
        assert directives["frame-ancestors"] == ["'none'"]
        assert directives["object-src"] == ["'none'"]
        assert "'unsafe-eval'" not in str(directives)


def test_only_the_admins_previews_may_be_framed_and_only_by_the_admin(client, admin_user, entry):
    client.force_login(admin_user)
    preview = client.get(f"/admin/pages/{entry.pk}/edit/preview/?in_preview_panel=true")
    assert preview.status_code == 200
    assert preview["X-Frame-Options"] == "SAMEORIGIN"
    assert policy(preview)["frame-ancestors"] == ["'self'"]
    assert policy(client.get(f"/admin/pages/{entry.pk}/edit/"))["frame-ancestors"] == ["'none'"]


def test_permissions_policy_denies_the_browser_features_the_register_never_uses(client, home_page):
    header = client.get("/")["Permissions-Policy"]
    features = dict(part.strip().split("=") for part in header.split(","))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb", "browsing-topics", "fullscreen"):
        assert features[feature] == "()", feature
    assert client.get("/admin/login/")["Permissions-Policy"] == header


def test_the_brand_colour_comes_as_a_stylesheet_that_caches_for_a_year(client):
    response = client.get("/brand-colour/1D4F91.css")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/css; charset=utf-8"
    assert response.content == b":root{--app-brand-colour:#1d4f91}\n"
    assert "max-age=31536000" in response["Cache-Control"] and "immutable" in response["Cache-Control"]
    assert not response.cookies
    for bad in ("/brand-colour/red.css", "/brand-colour/1d4f9.css", "/brand-colour/1d4f91;x.css"):
        assert client.get(bad).status_code == 404, bad
    assert client.post("/brand-colour/1d4f91.css").status_code == 405


def test_a_council_page_links_its_brand_colour_and_no_inline_style(client, bristol_register, entry):
    html = client.get(entry.url).content.decode()
    assert (
        f'<link rel="stylesheet" href="/brand-colour/{bristol_register.organisation.brand_colour[1:].lower()}.css">'
        in html
    )
    assert "<style" not in html and " style=" not in html


INLINE = [
    (re.compile(r"<style\b", re.I), "a <style> element"),
    (re.compile(r"\sstyle\s*=", re.I), "a style attribute"),
    (re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I), "an inline script"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "an on... event attribute"),
    (re.compile(r"javascript:", re.I), "a javascript: address"),
]


def test_no_template_of_ours_needs_inline_script_or_style():
    found = [
        f"{path.relative_to(ROOT)}: {what}"
        for folder in ("templates", "home/templates")
        for path in sorted((ROOT / folder).rglob("*.html"))
        for pattern, what in INLINE
        if pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert found == []
