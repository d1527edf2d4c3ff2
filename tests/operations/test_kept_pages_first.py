"""Production's ASGI application sends kept pages before Django's handler runs (base.page_cache.KeptPagesFirst):
requests go through portal.asgi.application as gunicorn's worker sends them. A kept page comes back the same,
headers and all, without a query; whatever may not be kept still reaches Django."""

import asyncio
import threading

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from portal.asgi import application
from tests.factories import DataUsePageFactory

# Django's handler runs the views in a thread of its own, with its own database connection.
pytestmark = pytest.mark.django_db(transaction=True)

KEPT = override_settings(PAGE_CACHE_SECONDS=300)


def asgi_get(path, query="", **headers):
    """(status, headers as a dict of lower-case names, the list of header names, body, the number of queries in
    the thread that ran the application) from the application."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": [(b"host", b"testserver")]
        + [(name.replace("_", "-").lower().encode(), value.encode()) for name, value in headers.items()],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
    sent = []
    received = []

    async def receive():
        if not received:
            received.append(True)
            return {"type": "http.request", "body": b"", "more_body": False}
        await asyncio.sleep(3600)  # the client stays connected until the answer is sent
        return {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    # In a thread of its own: a browser test earlier in this process may leave an event loop running in this one.
    # Queries are counted in that thread, where the kept page is sent (Django's views run in threads of their own).
    counted = {}

    def run():
        with CaptureQueriesContext(connection) as queries:
            asyncio.run(application(scope, receive, send))
        counted["queries"] = len(queries)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    start = sent[0]
    names = [name.decode().lower() for name, _value in start["headers"]]
    found = {name.decode().lower(): value.decode() for name, value in start["headers"]}
    body = b"".join(message.get("body", b"") for message in sent[1:])
    return start["status"], found, names, body, counted["queries"]


@pytest.fixture
def entry(bristol_register, bristol):
    entry = DataUsePageFactory(
        parent=bristol_register, title="Cameras in parks", summary="We record the park gates.", organisation=bristol
    )
    asgi_get(entry.url)  # the first visit makes the site's settings, which starts a new generation of kept pages
    return entry


@KEPT
def test_a_kept_page_is_sent_before_django_the_same_and_without_a_query(entry):
    status, first, _names, body, _queries = asgi_get(entry.url, accept_encoding="gzip")
    assert status == 200 and first["x-page-cache"] == "miss"
    status, again, names, kept_body, queries = asgi_get(entry.url, accept_encoding="gzip")
    assert queries == 0
    assert status == 200 and again["x-page-cache"] == "hit"
    assert kept_body == body and again["content-encoding"] == "gzip"
    # The security headers it was first sent with, one length, and no cookie.
    for name in ("content-security-policy", "permissions-policy", "x-content-type-options", "cache-control"):
        assert again[name] == first[name], name
    assert names.count("content-length") == 1 and int(again["content-length"]) == len(kept_body)
    assert "set-cookie" not in names


@KEPT
def test_signed_in_staff_and_visitors_with_a_language_cookie_still_reach_django(entry):
    asgi_get(entry.url)
    assert asgi_get(entry.url)[1]["x-page-cache"] == "hit"
    for cookie in ("sessionid=abc", "language=cy"):
        assert asgi_get(entry.url, cookie=cookie)[1]["x-page-cache"] == "skip", cookie


@KEPT
def test_publishing_forgets_the_kept_page_at_once(entry):
    asgi_get(entry.url)
    assert asgi_get(entry.url)[1]["x-page-cache"] == "hit"
    entry.summary = "We no longer record the park gates."
    entry.save_revision().publish()
    _status, headers, _names, body, _queries = asgi_get(entry.url)
    assert headers["x-page-cache"] == "miss"
    assert "We no longer record the park gates." in body.decode()


@KEPT
def test_a_browser_preferring_welsh_never_gets_an_english_browsers_page(home_page, entry):
    # Kept apart by the language the browser prefers (an English address may redirect to the Welsh page).
    asgi_get("/", accept_language="cy")
    assert asgi_get("/", accept_language="cy")[1]["x-page-cache"] == "hit"
    status, english, _names, _body, _queries = asgi_get("/", accept_language="en-GB")
    assert english["x-page-cache"] == "miss" and status == 200


@KEPT
def test_requests_django_would_refuse_are_left_to_django(entry):
    asgi_get(entry.url)
    status = asgi_get(entry.url, host="evil.example.com")[0]
    assert status == 400
    # Static files are whitenoise's, never looked up here.
    status, headers, *_rest = asgi_get("/static/no-such-file.css")
    assert status == 404 and "x-page-cache" not in headers


@override_settings(PAGE_CACHE_SECONDS=0)
def test_with_the_page_cache_off_every_page_is_django_s(entry):
    asgi_get(entry.url)
    status, headers, _names, body, _queries = asgi_get(entry.url)
    assert status == 200 and "x-page-cache" not in headers and b"Cameras in parks" in body
