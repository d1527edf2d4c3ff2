"""What every page repeats (the site, the page an address leads to, menus, branding, glossary, an entry's parts)
is remembered in the process between requests (base/memo.py), with the page cache off: pages need a handful of
queries, and still never show anything stale: every change the page cache forgets pages for shows at once."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from feedback.models import OwnerAnswer
from tests.factories import DataUsePageFactory, RegisterPageFactory
from tests.operations.test_page_cache import publish
from tests.operations.test_page_cache import site as site  # the same small register, as a fixture

pytestmark = pytest.mark.django_db

REMEMBERED = override_settings(SITE_MEMO=True, PAGE_CACHE_SECONDS=0)


def text(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def without_tokens(html):
    """The page without what differs on every request (the forms' signed start times)."""
    return re.sub(r'name="started" value="[^"]*"', "", html)


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return len(captured)


@REMEMBERED
@pytest.mark.parametrize("page", ["entry", "bristol", "home"])
def test_a_page_seen_again_is_the_same_page_from_a_handful_of_queries(client, site, page):
    url = site[page].url
    first = text(client, url)
    remembered = queries(client, url)
    assert without_tokens(text(client, url)) == without_tokens(first)
    with override_settings(SITE_MEMO=False):
        assert without_tokens(text(client, url)) == without_tokens(first)
        worked_out = queries(client, url)
    # What is left: Wagtail's view restriction check (two queries) on every page, and on a register Wagtail's
    # .public() reads the view restrictions when the list of entries is set up.
    assert (remembered, worked_out) == {"entry": (2, 30), "bristol": (3, 22), "home": (2, 16)}[page]


@REMEMBERED
def test_a_published_change_shows_at_once_on_the_entry_its_register_and_the_menu(
    client, site, django_capture_on_commit_callbacks
):
    entry, register = site["entry"], site["bristol"]
    for url in (entry.url, register.url, "/"):
        text(client, url)
    publish(entry, django_capture_on_commit_callbacks, title="Cameras at park gates")
    assert "Cameras at park gates" in text(client, entry.url)
    assert "Cameras at park gates" in text(client, register.url)

    new_register = RegisterPageFactory(parent=site["home"], title="Cardiff", slug="cardiff", show_in_menus=False)
    publish(new_register, django_capture_on_commit_callbacks, show_in_menus=True)
    assert 'href="/cardiff/"' in text(client, entry.url)


@REMEMBERED
def test_an_unpublished_entry_is_gone_at_once(client, site, django_capture_on_commit_callbacks):
    entry = site["entry"]
    text(client, entry.url)
    with django_capture_on_commit_callbacks(execute=True):
        entry.unpublish()
    assert client.get(entry.url).status_code == 404


@REMEMBERED
def test_a_council_renamed_shows_at_once(client, site, django_capture_on_commit_callbacks):
    text(client, site["entry"].url)
    council = site["bristol"].organisation
    with django_capture_on_commit_callbacks(execute=True):
        council.name = "Bristol City Council (renamed)"
        council.save()
    assert "Bristol City Council (renamed)" in text(client, site["entry"].url)


@REMEMBERED
@pytest.mark.parametrize("kept_seconds", [0, 300])
def test_a_page_made_private_is_private_at_once(client, site, django_capture_on_commit_callbacks, kept_seconds):
    register = site["bristol"]
    with override_settings(PAGE_CACHE_SECONDS=kept_seconds):
        assert "Cameras in parks" in text(client, site["entry"].url)
        assert 'href="/bristol/"' in text(client, "/")
        with django_capture_on_commit_callbacks(execute=True):
            PageViewRestriction.objects.create(page=register, restriction_type=PageViewRestriction.LOGIN)
        hidden = client.get(site["entry"].url)
        assert hidden.status_code == 302 and "/login/" in hidden["Location"]
        assert 'href="/bristol/"' not in text(client, "/")


@REMEMBERED
def test_each_page_marks_its_own_council_in_the_menu(client, site, leeds):
    bristol_page = text(client, site["entry"].url)
    leeds_page = text(client, site["leeds"].url)
    again = text(client, site["entry"].url)
    for html, council in ((bristol_page, "/bristol/"), (leeds_page, "/leeds/"), (again, "/bristol/")):
        current = re.findall(r'href="([^"]*)" aria-current="page"|--active">\s*<a [^>]*href="([^"]*)"', html)
        assert {link for pair in current for link in pair if link} == {council}


@REMEMBERED
def test_a_published_answer_shows_at_once(client, site, django_capture_on_commit_callbacks):
    entry = site["entry"]
    text(client, entry.url)
    answer = OwnerAnswer.objects.create(entry=entry, you_said="Why cameras?", we_did="We moved two.", live=False)
    with django_capture_on_commit_callbacks(execute=True):
        answer.save_revision().publish()
    assert "We moved two." in text(client, entry.url)


@override_settings(
    SITE_MEMO=True,
    PAGE_CACHE_SECONDS=0,
    CACHES={
        "default": {"BACKEND": "base.cache.ForgivingRedisCache", "LOCATION": "redis://127.0.0.1:1/0"},
        "local": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "local"},
    },
)
def test_without_redis_nothing_is_remembered_and_changes_still_show(client, site, django_capture_on_commit_callbacks):
    entry = site["entry"]
    queries(client, entry.url)
    again = queries(client, entry.url)
    with override_settings(SITE_MEMO=False):
        assert again == queries(client, entry.url)  # worked out each time: no generation to check against
    publish(entry, django_capture_on_commit_callbacks, title="Cameras at park gates")
    assert "Cameras at park gates" in text(client, entry.url)


@REMEMBERED
def test_a_change_made_straight_in_the_database_shows_after_clear_page_cache(client, site):
    council = site["bristol"].organisation
    assert "Bristol City Council" in text(client, site["entry"].url)
    type(council).objects.filter(pk=council.pk).update(name="City of Bristol")  # no signal: not noticed
    assert "City of Bristol" not in text(client, site["entry"].url)
    out = StringIO()
    call_command("clear_page_cache", stdout=out)
    assert "afresh" in out.getvalue()
    assert "City of Bristol" in text(client, site["entry"].url)


@override_settings(SITE_MEMO=True, PAGE_CACHE_SECONDS=0, REGISTER_PAGE_SIZE=1)
def test_each_filter_search_and_page_is_remembered_apart(client, site, bristol_register):
    bins = DataUsePageFactory(parent=bristol_register, title="Bin collection rounds", summary="Which streets.")
    cameras_area, bins_area = site["entry"].service_area.slug, bins.service_area.slug
    for _round in range(2):  # the second time, everything comes from the memo
        assert "Cameras in parks" in text(client, f"/bristol/?service_area={cameras_area}")
        assert "Bin collection rounds" not in text(client, f"/bristol/?service_area={cameras_area}")
        assert "Bin collection rounds" in text(client, f"/bristol/?service_area={bins_area}")
        first, second = text(client, "/bristol/?page=1"), text(client, "/bristol/?page=2")
        assert ("Bin collection rounds" in first) != ("Bin collection rounds" in second)
        # Search results mark the words searched for: <mark>Cameras</mark> in parks.
        assert "in parks" in text(client, "/search/?q=cameras")
        assert "in parks" not in text(client, "/search/?q=bins")


@REMEMBERED
def test_a_new_entry_is_found_at_once_in_its_register_and_search(
    client, site, bristol_register, django_capture_on_commit_callbacks
):
    assert "collection rounds" not in text(client, "/search/?q=bins")
    assert "Bin collection rounds" not in text(client, "/bristol/")
    bins = DataUsePageFactory(parent=bristol_register, title="Bin collection rounds", live=False)
    publish(bins, django_capture_on_commit_callbacks)
    assert "collection rounds" in text(client, "/search/?q=bins")
    assert "Bin collection rounds" in text(client, "/bristol/")
