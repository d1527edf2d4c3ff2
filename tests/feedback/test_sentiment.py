"""Sentiment views: spread, net comfort score, trend by month, split by version, least comfortable first."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from tests.factories import FeedbackSubmissionFactory

pytestmark = pytest.mark.django_db


def give(entry, comfort, n=1, months_ago=0, revision=None):
    when = timezone.now() - datetime.timedelta(days=31 * months_ago)
    FeedbackSubmissionFactory.create_batch(n, entry=entry, comfort=comfort, revision=revision, created_at=when)


def test_overview_lists_entries_least_comfortable_first_with_scores(client, world):
    cameras, sensors = world["entries"]["cameras"], world["entries"]["sensors"]
    give(cameras, "very_uncomfortable", n=3)
    give(sensors, "very_comfortable", n=4)
    client.force_login(world["users"]["admin"])
    html = client.get("/admin/feedback/sentiment/").content.decode()
    table = html.split('id="least-comfortable"')[1]
    assert table.index("Cameras") < table.index("Chatbot") < table.index("Leeds sensors")
    # cameras: 1 not sure (from the fixture) + 3 very uncomfortable -> (0 - 3) / 4 = -75
    assert "<td>-75</td>" in table
    assert "Net comfort score: <strong>" in html


def test_trend_by_month_and_split_by_published_version(client, world):
    cameras = world["entries"]["cameras"]
    first = cameras.save_revision()
    first.publish()
    give(cameras, "very_uncomfortable", n=4, months_ago=2, revision=first)
    cameras.summary = "A clearer summary."
    second = cameras.save_revision()
    second.publish()
    give(cameras, "very_comfortable", n=4, months_ago=0, revision=second)
    client.force_login(world["users"]["owner"])
    html = client.get(f"/admin/feedback/sentiment/entry/{cameras.pk}/").content.decode()
    versions = html.split("By published version of the entry")[1]
    assert "<td>-100</td>" in versions and "<td>100</td>" in versions
    assert versions.index("<td>-100</td>") < versions.index("<td>100</td>")
    months = html.split("By month")[1].split("By published version")[0]
    assert months.count("<tr>") >= 3  # header and at least two months


@pytest.mark.parametrize(("role", "allowed"), [("admin", True), ("comms", False), ("owner", False), ("nobody", False)])
def test_leeds_entry_sentiment_is_refused_to_bristol_people(client, world, role, allowed):
    client.force_login(world["users"][role])
    response = client.get(f"/admin/feedback/sentiment/entry/{world['entries']['sensors'].pk}/")
    assert (response.status_code == 200) is allowed
    if not allowed:
        assert response.status_code in (302, 403)


def test_owner_sees_the_overview_of_their_own_entries_only(client, world):
    client.force_login(world["users"]["owner"])
    html = client.get("/admin/feedback/sentiment/").content.decode()
    assert "Cameras" in html and "Chatbot" not in html and "Leeds sensors" not in html
    assert client.get(f"/admin/feedback/sentiment/entry/{world['entries']['cameras'].pk}/").status_code == 200


def test_people_without_a_role_cannot_open_sentiment(client, world):
    client.force_login(world["users"]["nobody"])
    assert client.get("/admin/feedback/sentiment/").status_code in (302, 403)


def test_sentiment_pages_have_a_title_and_breadcrumbs_back_to_the_overview(client, world):
    cameras = world["entries"]["cameras"]
    client.force_login(world["users"]["owner"])
    overview = BeautifulSoup(client.get("/admin/feedback/sentiment/").content, "html.parser")
    assert overview.title.get_text(strip=True).startswith("Sentiment - ")
    crumbs = overview.select_one("nav[aria-label='Breadcrumb']")
    assert [li.get_text(strip=True) for li in crumbs.select("li")] == ["Home", "Feedback", "Sentiment"]
    assert crumbs.select_one("a[href='/admin/']") is not None

    page = BeautifulSoup(client.get(f"/admin/feedback/sentiment/entry/{cameras.pk}/").content, "html.parser")
    assert page.title.get_text(strip=True).startswith("Sentiment: Cameras - ")
    assert page.select_one("h1").get_text(strip=True) == "Sentiment: Cameras"
    crumbs = page.select_one("nav[aria-label='Breadcrumb']")
    assert [li.get_text(strip=True) for li in crumbs.select("li")] == ["Home", "Feedback", "Sentiment", "Cameras"]
    assert crumbs.select_one("a[href='/admin/feedback/sentiment/']").get_text(strip=True) == "Sentiment"
    assert page.select("[style]") == []  # the content security policy allows no inline styles
