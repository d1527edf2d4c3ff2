"""Feedback counts as open data: only councils that choose it, only counts (never text), and nothing for an
entry with fewer than 10 responses."""

import csv
import io
import json

import pytest

from feedback import tallies
from tests.factories import DataUsePageFactory, FeedbackSubmissionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def planted(bristol_register, leeds_register, bristol, leeds):
    bristol.publish_feedback_counts = True
    bristol.save()
    ten = DataUsePageFactory(parent=bristol_register, organisation=bristol, title="Cameras in parks")
    nine = DataUsePageFactory(parent=bristol_register, organisation=bristol, title="School meals")
    private = DataUsePageFactory(parent=leeds_register, organisation=leeds, title="Leeds bins")
    for comfort in ["very_comfortable"] * 4 + ["not_sure"] * 5:
        FeedbackSubmissionFactory(entry=ten, comfort=comfort, comment="I am Jo Bloggs of 1 High Street")
    FeedbackSubmissionFactory(entry=ten, comfort="very_uncomfortable", conditions=["opt_out", "oversight"])
    for _ in range(9):
        FeedbackSubmissionFactory(entry=nine, comfort="fairly_uncomfortable", conditions=["opt_out"])
    for _ in range(12):
        FeedbackSubmissionFactory(entry=private, comfort="very_comfortable")
    tallies.recount_everything()
    return {"ten": ten, "nine": nine, "private": private}


def test_counts_are_published_from_10_responses_and_nothing_below(client, planted):
    response = client.get("/open-data/feedback.json")
    assert response.status_code == 200 and response["Content-Type"] == "application/json; charset=utf-8"
    data = json.loads(response.content)
    assert data["fewest_responses_shown"] == 10 and data["licence"]["name"] == "Open Government Licence v3.0"
    rows = {row["title"]: row for row in data["entries"]}
    assert set(rows) == {"Cameras in parks", "School meals"}  # Leeds has not chosen to publish
    ten = rows["Cameras in parks"]
    assert ten["responses"] == 10
    assert (ten["very_comfortable"], ten["not_sure"], ten["very_uncomfortable"], ten["fairly_comfortable"]) == (
        4,
        5,
        1,
        0,
    )
    assert ten["would_be_more_comfortable_with_opt_out"] == 1
    assert ten["would_be_more_comfortable_with_oversight"] == 1
    nine = rows["School meals"]
    assert nine["reference"] == planted["nine"].reference
    assert all(nine[name] is None for name in nine if name not in ("reference", "title", "council", "council_code"))


def test_the_csv_has_the_same_figures_and_no_text_anyone_wrote(client, planted):
    response = client.get("/open-data/feedback.csv")
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode()
    assert "Jo Bloggs" not in text and "High Street" not in text
    rows = {row["title"]: row for row in csv.DictReader(io.StringIO(text[1:]))}
    assert rows["Cameras in parks"]["responses"] == "10" and rows["Cameras in parks"]["not_sure"] == "5"
    assert rows["School meals"]["responses"] == "" and rows["School meals"]["fairly_uncomfortable"] == ""


def test_one_more_response_publishes_the_counts_and_a_council_can_stop(client, planted, bristol):
    FeedbackSubmissionFactory(entry=planted["nine"], comfort="fairly_uncomfortable")
    tallies.recount_everything()
    rows = {row["title"]: row for row in json.loads(client.get("/open-data/feedback.json").content)["entries"]}
    assert rows["School meals"]["responses"] == 10 and rows["School meals"]["fairly_uncomfortable"] == 10

    bristol.publish_feedback_counts = False
    bristol.save()
    assert json.loads(client.get("/open-data/feedback.json").content)["entries"] == []


def test_the_open_data_page_says_who_publishes_feedback_counts(client, planted):
    html = client.get("/open-data/").content.decode()
    assert "/open-data/feedback.csv" in html and "fewer than 10 responses" in html
    assert "Published by: Bristol City Council" in html
