"""With Redis gone the site carries on: every public page is served, feedback is accepted and kept, and the rate
limit falls back to each process's own count. When Redis returns it is used again, with no restart."""

import pytest
import redis
from django.core.cache import caches
from django.test import override_settings

from feedback.models import FeedbackSubmission
from tests.factories import started_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def cache_on_own_redis(own_redis):
    caches_setting = {
        "default": {
            "BACKEND": "base.cache.ForgivingRedisCache",
            "LOCATION": own_redis.url,
            "KEY_PREFIX": "outage-test",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
            "RETRY_AFTER": 0,  # try Redis again at once, so the test sees it come back without waiting
        },
        "local": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "outage-test"},
    }
    with override_settings(CACHES=caches_setting):
        caches["local"].clear()  # local-memory caches of one name share their contents across tests
        yield own_redis


@pytest.fixture
def public_urls(world, home_page, combined_register):
    entry = world["entries"]["cameras"]
    return [
        "/",
        combined_register.url,
        entry.get_parent().url,
        entry.url,
        "/search/?q=cameras",
        "/search/suggest/?q=cam",
        f"/feedback/{entry.pk}/",
        f"/feedback/{entry.pk}/thanks/",
        "/no-such-page/",
    ]


def send_feedback(client, entry, comment):
    answers = {"started": started_token(entry), "comfort": "not_sure", "comment": comment}
    return client.post(f"/feedback/{entry.pk}/", answers, REMOTE_ADDR="192.0.2.44")


def test_every_public_page_and_the_feedback_form_work_while_redis_is_down(
    client, world, public_urls, cache_on_own_redis
):
    expected = {url: client.get(url).status_code for url in public_urls}
    assert cache_on_own_redis.keys(), "pages should use the cache while Redis is up"
    assert sorted(set(expected.values())) == [200, 404]

    cache_on_own_redis.stop()

    assert {url: client.get(url).status_code for url in public_urls} == expected
    entry = world["entries"]["cameras"]
    response = send_feedback(client, entry, "Sent while Redis was down")
    assert response.status_code == 302
    assert FeedbackSubmission.objects.filter(comment="Sent while Redis was down").exists()


@override_settings(FEEDBACK_RATE_LIMIT=2)
def test_while_redis_is_down_the_rate_limit_still_holds_in_each_process(client, world, cache_on_own_redis):
    cache_on_own_redis.stop()
    entry = world["entries"]["cameras"]
    statuses = [send_feedback(client, entry, f"Post {n}").status_code for n in range(3)]
    assert statuses == [302, 302, 429]
    assert FeedbackSubmission.objects.filter(comment__startswith="Post ").count() == 2


def test_when_redis_returns_the_cache_is_used_again_without_a_restart(client, world, public_urls, cache_on_own_redis):
    cache_on_own_redis.stop()
    assert client.get(public_urls[0]).status_code == 200

    cache_on_own_redis.start()
    assert client.get(public_urls[0]).status_code == 200
    assert cache_on_own_redis.keys(), "the cache should be written to Redis again"


@override_settings(PAGE_CACHE_SECONDS=300)
def test_with_the_page_cache_on_pages_are_kept_in_redis_and_still_served_while_it_is_down(
    client, world, public_urls, cache_on_own_redis
):
    entry_url = world["entries"]["cameras"].url
    assert client.get(entry_url)["X-Page-Cache"] == "miss"
    assert client.get(entry_url)["X-Page-Cache"] == "hit"

    cache_on_own_redis.stop()

    response = client.get(entry_url)
    assert response.status_code == 200 and response["X-Page-Cache"] == "miss"
    assert "Cameras" in response.content.decode()


@override_settings(PAGE_CACHE_SECONDS=300)
def test_a_kept_page_is_sent_after_one_round_trip_to_redis(client, world, cache_on_own_redis):
    entry_url = world["entries"]["cameras"].url
    client.get(entry_url)
    assert client.get(entry_url)["X-Page-Cache"] == "hit"
    server = redis.Redis(port=cache_on_own_redis.port)
    before = server.info("stats")["total_commands_processed"]
    assert client.get(entry_url)["X-Page-Cache"] == "hit"
    # The INFO call itself counts as one: the page took a single command (MGET of generation and page).
    assert server.info("stats")["total_commands_processed"] - before == 2
    assert server.info("commandstats")["cmdstat_mget"]["calls"] >= 2
