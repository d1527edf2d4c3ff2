"""The page cache: anonymous visitors get kept pages without a database query, and never a stale one:
publishing, unpublishing, moving or translating an entry (or changing what every page shows) forgets them at
once. Signed-in staff and visitors with a chosen language are neither served from it nor written to it."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO

import pytest
from django.core.management import call_command
from django.http import HttpResponse
from django.test import override_settings
from wagtail.models import Locale

from base.page_cache import PageCacheMiddleware
from datauses.councils import add_council
from tests.factories import DataUsePageFactory, RegisterPageFactory

pytestmark = pytest.mark.django_db

KEPT = override_settings(PAGE_CACHE_SECONDS=300)


@pytest.fixture
def site(home_page, bristol, bristol_register, leeds_register):
    entry = DataUsePageFactory(
        parent=bristol_register, title="Cameras in parks", summary="We record the park gates.", organisation=bristol
    )
    return {"home": home_page, "bristol": bristol_register, "leeds": leeds_register, "entry": entry}


def get(client, url, **headers):
    return client.get(url, HTTP_ACCEPT_ENCODING="identity", **headers)


def in_welsh(page, captured):
    """The page's Welsh copy, published."""
    welsh, _ = Locale.objects.get_or_create(language_code="cy")
    copy = page.copy_for_translation(welsh)
    with captured(execute=True):
        copy.save_revision().publish()
    return copy


def publish(page, captured, **changes):
    for name, value in changes.items():
        setattr(page, name, value)
    with captured(execute=True):
        page.save_revision().publish()


@KEPT
def test_an_anonymous_page_is_kept_and_sent_again_without_a_query(client, site, django_assert_num_queries):
    first = get(client, site["entry"].url)
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        again = get(client, site["entry"].url)
    assert again["X-Page-Cache"] == "hit"
    assert again.content == first.content
    assert "Cameras in parks" in again.content.decode()
    # A CDN may keep it as long as we do; a browser asks again each time.
    assert set(again["Cache-Control"].split(", ")) == {"public", "max-age=0", "s-maxage=300"}
    # A kept page is sent with the security headers it was first sent with.
    for header in ("Content-Security-Policy", "Permissions-Policy", "X-Content-Type-Options", "Referrer-Policy"):
        assert again[header] == first[header], header
    assert again["X-Content-Type-Options"] == "nosniff" and "default-src 'self'" in again["Content-Security-Policy"]


@KEPT
def test_a_page_with_a_content_security_policy_nonce_is_never_kept(rf):
    def view_with_an_inline_script(request):
        request._csp_nonce = "made-for-this-answer-only"
        return HttpResponse("<script nonce='made-for-this-answer-only'></script>")

    middleware = PageCacheMiddleware(view_with_an_inline_script)
    assert middleware(rf.get("/a-page/"))["X-Page-Cache"] == "skip"
    assert middleware(rf.get("/a-page/"))["X-Page-Cache"] == "skip"


@KEPT
def test_compressed_and_plain_copies_are_kept_apart(client, site):
    get(client, site["entry"].url)
    zipped = client.get(site["entry"].url, HTTP_ACCEPT_ENCODING="gzip")
    assert zipped["X-Page-Cache"] == "miss" and zipped["Content-Encoding"] == "gzip"
    assert client.get(site["entry"].url, HTTP_ACCEPT_ENCODING="gzip")["Content-Encoding"] == "gzip"
    plain = get(client, site["entry"].url)
    assert plain["X-Page-Cache"] == "hit" and not plain.has_header("Content-Encoding")


@KEPT
def test_publishing_a_change_shows_at_once_on_the_entry_its_register_and_home(
    client, site, django_capture_on_commit_callbacks
):
    entry, register = site["entry"], site["bristol"]
    for url in (entry.url, register.url, "/"):
        get(client, url)
        assert get(client, url)["X-Page-Cache"] == "hit"

    publish(entry, django_capture_on_commit_callbacks, title="Cameras at park gates")

    for url in (entry.url, register.url):
        response = get(client, url)
        assert response["X-Page-Cache"] == "miss"
        assert "Cameras at park gates" in response.content.decode()
        assert "Cameras in parks" not in response.content.decode()


@KEPT
def test_an_unpublished_entry_is_gone_at_once(client, site, django_capture_on_commit_callbacks):
    entry, register = site["entry"], site["bristol"]
    get(client, entry.url), get(client, register.url)

    with django_capture_on_commit_callbacks(execute=True):
        entry.unpublish()

    assert get(client, entry.url).status_code == 404
    assert "Cameras in parks" not in get(client, register.url).content.decode()


@KEPT
def test_a_moved_entry_leaves_its_old_address_and_register(client, site, django_capture_on_commit_callbacks):
    entry, bristol, leeds = site["entry"], site["bristol"], site["leeds"]
    old_url = entry.url
    for url in (old_url, bristol.url, leeds.url):
        get(client, url)

    with django_capture_on_commit_callbacks(execute=True):
        entry.move(leeds, pos="last-child")
    entry.refresh_from_db()

    moved = get(client, old_url)
    assert moved.status_code == 301 and moved["Location"] == entry.url  # Wagtail's redirect, not the kept page
    assert "Cameras in parks" not in get(client, bristol.url).content.decode()
    assert "Cameras in parks" in get(client, leeds.url).content.decode()
    assert get(client, entry.url).status_code == 200


@KEPT
def test_a_published_translation_shows_at_once_on_the_welsh_register(client, site, django_capture_on_commit_callbacks):
    in_welsh(site["home"], django_capture_on_commit_callbacks)
    in_welsh(site["bristol"], django_capture_on_commit_callbacks)
    before = get(client, "/cy/bristol/")
    assert before.status_code == 200 and "Camerâu yn y parciau" not in before.content.decode()
    assert get(client, "/cy/bristol/")["X-Page-Cache"] == "hit"

    welsh_entry = site["entry"].copy_for_translation(Locale.objects.get(language_code="cy"))
    publish(welsh_entry, django_capture_on_commit_callbacks, title="Camerâu yn y parciau")

    assert "Camerâu yn y parciau" in get(client, "/cy/bristol/").content.decode()
    assert "Camerâu yn y parciau" in get(client, "/cy" + site["entry"].url).content.decode()


@KEPT
def test_a_change_to_a_council_shows_at_once(client, site, django_capture_on_commit_callbacks):
    get(client, site["entry"].url)
    council = site["bristol"].organisation
    with django_capture_on_commit_callbacks(execute=True):
        council.name = "Bristol City Council (renamed)"
        council.save()
    assert "Bristol City Council (renamed)" in get(client, site["entry"].url).content.decode()


@KEPT
def test_a_signed_in_editor_is_never_served_from_or_written_to_the_cache(client, site, django_user_model):
    entry = site["entry"]
    anonymous = get(client, entry.url)
    assert anonymous["X-Page-Cache"] == "miss"
    council = add_council("bristol", "Bristol City Council")  # the council's groups, for the entry's register
    editor = django_user_model.objects.create_user("bristol-editor", password="x")
    editor.groups.add(council.groups["editor"])

    client.force_login(editor)
    seen_by_editor = get(client, entry.url)
    assert seen_by_editor["X-Page-Cache"] == "skip"
    assert "private" in seen_by_editor["Cache-Control"] and "no-cache" in seen_by_editor["Cache-Control"]
    assert "wagtail-userbar" in seen_by_editor.content.decode()  # the editor's own page, not the kept one

    client.logout()
    client.cookies.clear()
    for_the_public = get(client, entry.url)
    assert for_the_public["X-Page-Cache"] == "hit"
    assert "wagtail-userbar" not in for_the_public.content.decode()


@KEPT
def test_a_page_answered_for_a_chosen_language_is_never_kept(client, site, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en-gb"
    chosen = get(client, "/")
    assert chosen["X-Page-Cache"] == "skip" and "private" in chosen["Cache-Control"]

    client.cookies.clear()
    assert get(client, "/")["X-Page-Cache"] == "miss", "the chosen-language answer must not have been kept"


@KEPT
def test_english_addresses_are_kept_apart_by_the_browsers_language(client, site, django_capture_on_commit_callbacks):
    in_welsh(site["home"], django_capture_on_commit_callbacks)

    english = get(client, "/", HTTP_ACCEPT_LANGUAGE="en-GB,en")
    assert english.status_code == 200
    prefers_welsh = get(client, "/", HTTP_ACCEPT_LANGUAGE="cy")
    assert prefers_welsh.status_code == 302 and prefers_welsh["Location"] == "/cy/"
    again = get(client, "/", HTTP_ACCEPT_LANGUAGE="en-GB,en")
    assert again.status_code == 200 and again["X-Page-Cache"] == "hit"
    assert get(client, "/", HTTP_ACCEPT_LANGUAGE="cy").status_code == 302


@KEPT
def test_searches_forms_and_missing_pages_are_never_kept(client, site):
    entry = site["entry"]
    for url in ("/search/?q=cameras", f"/feedback/{entry.pk}/", "/no-such-page/"):
        get(client, url)
        assert get(client, url)["X-Page-Cache"] == "skip", url


@override_settings(PAGE_CACHE_SECONDS=0)
def test_with_the_cache_off_nothing_is_kept_or_marked_shareable(client, site):
    get(client, site["entry"].url)
    again = get(client, site["entry"].url)
    assert not again.has_header("X-Page-Cache")
    assert "s-maxage" not in again.get("Cache-Control", "")


# ---- a CDN in front of the site: told which addresses to forget ---------------------------------------


class PurgeRecorder(BaseHTTPRequestHandler):
    received = None

    def do_PURGE(self):
        self.received.append(self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def cdn():
    received = []
    handler = type("Handler", (PurgeRecorder,), {"received": received})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    location = f"http://127.0.0.1:{server.server_address[1]}"
    with override_settings(
        WAGTAILFRONTENDCACHE={
            "proxy": {"BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend", "LOCATION": location}
        }
    ):
        yield received
    server.shutdown()
    server.server_close()


@KEPT
def test_publishing_tells_the_cdn_to_forget_the_entry_its_registers_and_the_lists(
    site, cdn, django_capture_on_commit_callbacks
):
    combined = RegisterPageFactory(parent=site["home"], slug="register", title="All councils' register")
    cdn.clear()
    publish(site["entry"], django_capture_on_commit_callbacks, title="Cameras at park gates")

    entry_path = site["entry"].url
    for path in (entry_path, "/bristol/", "/", combined.url, "/recently-changed/", "/recently-changed/bristol/"):
        assert path in cdn, f"{path} was not purged: {sorted(set(cdn))}"
    assert "/leeds/" not in cdn


@KEPT
def test_unpublishing_tells_the_cdn_too(site, cdn, django_capture_on_commit_callbacks):
    cdn.clear()
    with django_capture_on_commit_callbacks(execute=True):
        site["entry"].unpublish()
    assert site["entry"].url in cdn or f"/bristol/{site['entry'].slug}/" in cdn
    assert "/bristol/" in cdn


@KEPT
def test_the_clear_page_cache_command_forgets_every_kept_page(client, site):
    get(client, site["entry"].url)
    call_command("clear_page_cache", stdout=StringIO())
    assert get(client, site["entry"].url)["X-Page-Cache"] == "miss"
