"""The read-only JSON API: entries with the register's filters, search and stable paging, councils and terms, in
both languages, described by an OpenAPI document that every answer keeps to (checked by Schemathesis with
generated requests). Only published content; never feedback or anything personal. One module: the demo loads once."""

import json

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from wagtail.models import Locale

from datauses.models import DataUsePage
from feedback.models import FeedbackSubmission

pytestmark = pytest.mark.django_db


def get(client, url, expect=200, **params):
    response = client.get(url, params)
    assert response.status_code == expect, (url, response.content[:300])
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    return json.loads(response.content)


def published():
    return DataUsePage.objects.live().public().filter(locale=Locale.get_default())


def test_entries_come_a_page_at_a_time_in_a_stable_order(client, demo):
    first = get(client, "/api/v1/entries/", page_size=10)
    assert first["count"] == published().count() and first["pages"] == -(-first["count"] // 10)
    assert len(first["results"]) == 10 and first["previous"] is None
    assert first["next"] == "http://testserver/api/v1/entries/?page_size=10&page=2"
    second = get(client, "/api/v1/entries/", page_size=10, page=2)
    seen = [entry["reference"] for page in (first, second) for entry in page["results"]]
    assert len(set(seen)) == 20  # no entry twice across pages
    assert get(client, "/api/v1/entries/", page_size=10)["results"] == first["results"]  # the same again
    everything = get(client, "/api/v1/entries/", page_size=200)["results"]
    assert sorted(entry["reference"] for entry in everything) == sorted(published().values_list("reference", flat=True))


def test_entries_filter_and_search_like_the_register(client, demo):
    leeds = get(client, "/api/v1/entries/", council="leeds", status="in_use", page_size=200)
    expected = published().filter(organisation__slug="leeds", status="in_use")
    assert sorted(e["reference"] for e in leeds["results"]) == sorted(expected.values_list("reference", flat=True))
    found = get(client, "/api/v1/entries/", q="cameras")
    assert 0 < found["count"] < published().count()
    shared = get(client, "/api/v1/entries/", sharing="yes", page_size=200)["results"]
    assert shared and all(entry["shared_with"] for entry in shared)
    two = get(client, "/api/v1/entries/", council=["leeds", "bristol"], page_size=200)["results"]
    assert {entry["council_code"] for entry in two} == {"leeds", "bristol"}


def test_bad_requests_get_a_clear_json_answer_and_the_right_status(client, demo):
    assert "status" in get(client, "/api/v1/entries/", 400, status="nonsense")["details"]
    assert get(client, "/api/v1/entries/", 400, page_size="lots")["details"] == {
        "page_size": "page_size must be a whole number."
    }
    assert get(client, "/api/v1/entries/", 400, page_size=500)["error"] == "page_size must be from 1 to 200."
    assert get(client, "/api/v1/entries/", 400, colour="blue")["details"] == {"colour": "Not a parameter of this list."}
    assert get(client, "/api/v1/entries/", 404, page=999)["error"].startswith("There are only")
    assert get(client, "/api/v1/entries/NOPE-0000/", 404)["error"] == "No published entry has that reference."
    assert client.post("/api/v1/entries/").status_code == 405


def test_one_entry_in_full_and_never_anything_personal(client, demo):
    entry = published().filter(risks__isnull=False).distinct().first()
    FeedbackSubmission.objects.create(
        entry=entry, organisation=entry.organisation, comfort="not_sure", comment="Written by Jo Bloggs"
    )
    data = get(client, f"/api/v1/entries/{entry.reference}/")
    assert data["title"] == entry.title and data["risks"]
    text = json.dumps(data) + json.dumps(get(client, "/api/v1/entries/", page_size=200))
    assert "Jo Bloggs" not in text
    assert "owner_team" not in data and "@" not in text.replace("http", "")  # no team to contact, no address


def test_councils_and_terms_in_both_languages(client, demo):
    councils = get(client, "/api/v1/councils/")["results"]
    assert [council["code"] for council in councils] == ["bristol", "cardiff", "leeds"]
    assert all(council["register"] and council["entries"] > 0 for council in councils)
    welsh = get(client, "/cy/api/v1/councils/")
    assert welsh["language"] == "cy" and "Cyngor Caerdydd" in {council["name"] for council in welsh["results"]}
    terms = get(client, "/cy/api/v1/taxonomies/")
    assert {"code": "in_use", "name": "Yn cael ei ddefnyddio"} in terms["statuses"] or terms["statuses"]
    assert any(kind["special_category"] for kind in get(client, "/api/v1/taxonomies/")["kinds_of_data"])
    welsh_entries = get(client, "/cy/api/v1/entries/", council="cardiff")["results"]
    assert welsh_entries and {entry["language"] for entry in welsh_entries} == {"cy"}


def test_the_openapi_description_is_served_and_names_every_operation(client, demo):
    document = get(client, "/api/v1/openapi.json")
    assert document["openapi"] == "3.1.0"
    assert set(document["paths"]) == {"/entries/", "/entries/{reference}/", "/councils/", "/taxonomies/"}
    assert document["servers"] == [{"url": "http://testserver/api/v1"}]
    assert document["info"]["license"]["name"] == "Open Government Licence v3.0"


def test_every_answer_keeps_to_the_openapi_description(demo):
    # Schemathesis makes requests from the description (valid and invalid values of every parameter) and
    # checks each answer: never a server error, a status and body the description allows, bad input refused.
    # As Django's test client does: the test's database connection stays open between requests.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        api = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
        operations = [result.ok() for result in api.get_all_operations()]
        assert len(operations) == 4
        for operation in operations:

            @given(case=operation.as_strategy())
            @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
            def keeps_to_it(case):
                case.call_and_validate(headers={"Accept-Encoding": "identity"})

            keeps_to_it()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
