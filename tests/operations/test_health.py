"""/healthz says the process is up without touching anything; /readyz says whether this instance can serve
pages and queue work (database, task queue, search), and names what is not ready. The database outage test
(test_database_outage.py) stops a real PostgreSQL under both."""

import pytest
from django.test import override_settings

from base import memo

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("remembered", [False, True])
def test_healthz_answers_without_a_single_query(client, django_assert_num_queries, remembered):
    memo.forget_all()
    with override_settings(SITE_MEMO=remembered), django_assert_num_queries(0):
        response = client.get("/healthz", HTTP_ACCEPT_LANGUAGE="cy")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    assert not response.cookies


def test_readyz_lists_each_service_it_checked(client):
    response = client.get("/readyz", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    checks = " ".join(response.json())
    for name in ("Database", "Storage", "TaskQueue", "SearchBackend"):
        assert name in checks, checks
    assert "max-age=0" in response["Cache-Control"]


@override_settings(
    WAGTAILSEARCH_BACKENDS={
        "default": {
            "BACKEND": "modelsearch.backends.elasticsearch9",
            "URLS": ["http://127.0.0.1:9"],  # the discard port: nothing listens there
            "INDEX": "readiness-test",
            "TIMEOUT": 1,
        }
    }
)
def test_readyz_fails_when_search_cannot_be_reached(client):
    response = client.get("/readyz", HTTP_ACCEPT="application/json")
    assert response.status_code == 500  # django-health-check's answer when a check fails
    failing = {name for name, message in response.json().items() if message != "OK"}
    assert any("SearchBackend" in name for name in failing), response.json()
    assert not any("Database" in name for name in failing), response.json()
