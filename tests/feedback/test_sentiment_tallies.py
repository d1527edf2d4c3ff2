"""The sentiment tallies the owners' views read: always the same figures as counting the responses themselves,
after new responses, state changes and deletions; the overview in pages; and a fixed number of queries."""

import datetime
import importlib
from collections import Counter, defaultdict

import pytest
from bs4 import BeautifulSoup
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.utils import timezone
from wagtail.models import PageViewRestriction

from feedback import tallies
from feedback.models import (
    COMFORTABLE,
    COMFORTS,
    UNCOMFORTABLE,
    CouncilMonth,
    EntrySentiment,
    FeedbackSubmission,
    MonthTally,
    State,
    VersionTally,
)
from feedback.summary import summarise
from tests.factories import DataUsePageFactory, FeedbackSubmissionFactory, ServiceOwnerTeamFactory
from tests.feedback.conftest import admin_group
from tests.feedback.test_feedback_form import answers

pytestmark = pytest.mark.django_db

OVERVIEW = "/admin/feedback/sentiment/"


def entry_url(entry):
    return f"/admin/feedback/sentiment/entry/{entry.pk}/"


# ---- the figures, counted from the responses themselves -------------------------------------------------------


def from_responses():
    """Every figure the tallies hold, worked out in Python from the rows, with nothing of feedback.tallies."""
    figures = {
        "entries": defaultdict(lambda: {"comfort": Counter(), "conditions": Counter(), "new": 0, "newest": None}),
        "months": defaultdict(Counter),
        "versions": defaultdict(Counter),
        "councils": defaultdict(Counter),
    }
    for response in FeedbackSubmission.objects.all():
        if response.state == State.SPAM:
            continue
        entry = figures["entries"][response.entry_id, response.organisation_id]
        entry["comfort"][response.comfort] += 1
        entry["conditions"].update(response.conditions)
        if response.state == State.NEW:
            entry["new"] += 1
            entry["newest"] = max(filter(None, [entry["newest"], response.created_at]))
        month = timezone.localtime(response.created_at).date().replace(day=1)
        figures["months"][response.entry_id, response.organisation_id, month][response.comfort] += 1
        figures["versions"][response.entry_id, response.organisation_id, response.revision_id][response.comfort] += 1
        figures["councils"][response.organisation_id, month][response.comfort] += 1
    return {
        "entries": {
            key: {
                "comfort": +value["comfort"],
                "conditions": +value["conditions"],
                "new": value["new"],
                "newest": value["newest"],
            }
            for key, value in figures["entries"].items()
        },
        **{
            name: {key: +counts for key, counts in figures[name].items()} for name in ("months", "versions", "councils")
        },
    }


def comforts(row):
    return +Counter({comfort: getattr(row, comfort) for comfort in COMFORTS})


def from_tallies():
    entries = {}
    for row in EntrySentiment.objects.all():
        counts = comforts(row)
        total = sum(counts.values())
        comfortable = sum(counts[c] for c in COMFORTABLE)
        uncomfortable = sum(counts[c] for c in UNCOMFORTABLE)
        assert (row.total, row.comfortable, row.uncomfortable) == (total, comfortable, uncomfortable)
        assert row.net == round(100 * (comfortable - uncomfortable) / total)
        entries[row.entry_id, row.organisation_id] = {
            "comfort": counts,
            "conditions": +Counter(row.conditions),
            "new": row.new,
            "newest": row.newest_new_at,
        }
    return {
        "entries": entries,
        "months": {(r.entry_id, r.organisation_id, r.month): comforts(r) for r in MonthTally.objects.all()},
        "versions": {(r.entry_id, r.organisation_id, r.revision_id): comforts(r) for r in VersionTally.objects.all()},
        "councils": {(r.organisation_id, r.month): comforts(r) for r in CouncilMonth.objects.all()},
    }


def assert_tallies_match_the_responses():
    assert not FeedbackSubmission.objects.filter(tallied=False).exists()
    assert from_tallies() == from_responses()


@pytest.fixture
def planted(world):
    """Responses on three entries in two councils, over three months and two published versions, in every state,
    with conditions, and all counted by the worker."""
    cameras, sensors = world["entries"]["cameras"], world["entries"]["sensors"]
    chatbot = cameras.get_siblings().exclude(pk=cameras.pk).get().specific
    first = cameras.save_revision()
    first.publish()
    now = timezone.now()
    plan = [
        (cameras, "very_uncomfortable", 4, 0, first, State.NEW, ["oversight"]),
        (cameras, "fairly_comfortable", 3, 1, first, State.REVIEWED, ["opt_out", "oversight"]),
        (cameras, "very_comfortable", 2, 2, None, State.SPAM, ["nothing"]),
        (cameras, "not_sure", 2, 2, None, State.FLAGGED, []),
        (chatbot, "fairly_uncomfortable", 5, 1, None, State.NEW, ["shorter_retention"]),
        (chatbot, "very_comfortable", 1, 0, None, State.ANSWERED, []),
        (sensors, "very_comfortable", 6, 2, None, State.NEW, ["clearer_explanation"]),
    ]
    for entry, comfort, n, months_ago, revision, state, conditions in plan:
        FeedbackSubmissionFactory.create_batch(
            n,
            entry=entry,
            comfort=comfort,
            revision=revision,
            state=state,
            conditions=conditions,
            created_at=now - datetime.timedelta(days=31 * months_ago),
        )
    tallies.catch_up(wait=True)  # what the worker does after each response
    return {"cameras": cameras, "chatbot": chatbot, "sensors": sensors, "first": first}


def test_the_tallies_hold_the_same_figures_as_the_responses(planted):
    assert_tallies_match_the_responses()
    cameras = EntrySentiment.objects.get(entry=planted["cameras"])
    # 1 (the fixture's) + 2 not sure, 4 very uncomfortable, 3 fairly comfortable; the spam is left out
    assert (cameras.total, cameras.net, cameras.new) == (10, -10, 5)
    assert cameras.conditions == {"oversight": 7, "opt_out": 3}


def test_a_response_the_worker_has_not_counted_is_in_the_figures_at_once(client, world, planted):
    FeedbackSubmissionFactory.create_batch(3, entry=planted["cameras"], comfort="very_comfortable")
    assert FeedbackSubmission.objects.filter(tallied=False).count() == 3
    client.force_login(world["users"]["owner"])
    html = client.get(entry_url(planted["cameras"])).content.decode()
    assert "from 13 responses" in html  # 10 + 3
    assert_tallies_match_the_responses()


def test_the_public_summary_counts_responses_not_yet_tallied_without_writing(planted, django_assert_num_queries):
    FeedbackSubmissionFactory.create_batch(2, entry=planted["cameras"], comfort="very_comfortable")
    summary = summarise(planted["cameras"])
    assert summary["total"] == 12 and summary["net_comfort_score"] == 8  # (5 - 4) / 12
    assert [c["count"] for c in summary["conditions"]] == [7, 3]
    assert FeedbackSubmission.objects.filter(tallied=False).count() == 2  # a public page never writes


def test_a_state_change_in_the_admin_is_counted_at_once(client, world, planted):
    client.force_login(world["users"]["comms"])
    response = FeedbackSubmission.objects.filter(entry=planted["cameras"], comfort="very_uncomfortable").first()
    edit = f"/admin/feedback/inbox/edit/{response.pk}/"
    assert client.post(edit, {"state": State.SPAM, "state_reason": "An advert"}).status_code == 302
    assert FeedbackSubmission.objects.get(pk=response.pk).state == State.SPAM
    assert_tallies_match_the_responses()
    assert EntrySentiment.objects.get(entry=planted["cameras"]).total == 9
    # and back again
    assert client.post(edit, {"state": State.REVIEWED, "state_reason": ""}).status_code == 302
    assert_tallies_match_the_responses()


def test_marking_in_bulk_is_counted_at_once(client, world, planted):
    client.force_login(world["users"]["comms"])
    url = f"/admin/feedback/sentiment/mark/?entry={planted['chatbot'].pk}"
    assert client.post(url, {"state": State.SPAM, "reason": "A campaign"}).status_code == 302
    assert_tallies_match_the_responses()
    assert not EntrySentiment.objects.filter(entry=planted["chatbot"]).exists()
    html = client.get(OVERVIEW).content.decode()
    assert "Chatbot" not in html.split('id="least-comfortable"')[1]


def test_a_deletion_in_the_admin_is_counted_at_once(client, world, planted):
    client.force_login(world["users"]["admin"])  # deleting needs the model permission
    for response in FeedbackSubmission.objects.filter(entry=planted["sensors"])[:4]:
        assert client.post(f"/admin/feedback/inbox/delete/{response.pk}/").status_code == 302
    assert_tallies_match_the_responses()
    assert EntrySentiment.objects.get(entry=planted["sensors"]).total == 3


def test_refresh_sentiment_puts_right_changes_made_outside_the_admin(planted):
    # SQL run by hand: the admin never saw these, so only the nightly recount finds them.
    FeedbackSubmission.objects.filter(entry=planted["sensors"], state=State.NEW)[:1].get().delete()
    FeedbackSubmission.objects.filter(entry=planted["chatbot"]).update(state=State.SPAM)
    old = timezone.now() - datetime.timedelta(days=400)
    FeedbackSubmission.objects.filter(entry=planted["cameras"], comfort="not_sure").update(created_at=old)
    assert from_tallies() != from_responses()
    call_command("refresh_sentiment", verbosity=0)
    assert_tallies_match_the_responses()


def test_refresh_sentiment_new_only_counts_what_waits(planted):
    FeedbackSubmissionFactory.create_batch(2, entry=planted["sensors"], comfort="fairly_uncomfortable")
    call_command("refresh_sentiment", "--new-only", verbosity=0)
    assert_tallies_match_the_responses()


def test_the_migration_fills_the_tallies_from_the_responses(planted):
    for model in (EntrySentiment, MonthTally, VersionTally, CouncilMonth):
        model.objects.all().delete()
    FeedbackSubmission.objects.update(tallied=False)
    migration = importlib.import_module("feedback.migrations.0008_fill_sentiment_tallies")
    migration.fill(apps, connection.schema_editor())
    assert_tallies_match_the_responses()


def test_deleting_an_entry_takes_it_out_of_every_tally_at_once(planted):
    chatbot = planted["chatbot"].pk
    planted["chatbot"].delete()  # feedback.signals forgets it, council months included
    assert not EntrySentiment.objects.filter(entry_id=chatbot).exists()
    assert_tallies_match_the_responses()


def test_the_nightly_recount_keeps_the_figures_right_after_a_deletion(planted):
    planted["chatbot"].delete()
    call_command("refresh_sentiment", verbosity=0)
    assert_tallies_match_the_responses()


def test_a_posted_response_is_counted_by_the_worker_task(client, entry):
    response = client.post(f"/feedback/{entry.pk}/", answers(entry), REMOTE_ADDR="192.0.2.9")
    assert response.status_code == 302
    # The test settings run the queued task at once, as the worker would a moment later.
    assert FeedbackSubmission.objects.get().tallied
    assert EntrySentiment.objects.get(entry=entry).fairly_uncomfortable == 1
    assert_tallies_match_the_responses()


# ---- what the views show ----------------------------------------------------------------------------------------


def test_the_overview_shows_the_figures_of_the_responses(client, world, planted):
    client.force_login(world["users"]["comms"])
    soup = BeautifulSoup(client.get(OVERVIEW).content, "html.parser")
    rows = [
        [cell.get_text(strip=True) for cell in row.select("th, td")]
        for row in soup.select("#least-comfortable tbody tr")
    ]
    # chatbot: 1 (the fixture's) not sure, 5 fairly uncomfortable, 1 very comfortable: (1 - 5) / 7 = -57
    assert rows == [["Chatbot", "Bristol", "7", "-57"], ["Cameras", "Bristol", "10", "-10"]]
    assert "Net comfort score: <strong>-29</strong> from 17 responses" in str(soup)  # (4 - 9) / 17
    months = soup.find(string="By month").find_next("table")
    assert [tr.select("td")[0].get_text() for tr in months.select("tbody tr")] == ["2", "8", "7"]


def test_the_entry_page_shows_the_figures_by_month_and_version(client, world, planted):
    client.force_login(world["users"]["owner"])
    html = client.get(entry_url(planted["cameras"])).content.decode()
    assert "from 10 responses" in html
    versions = html.split("By published version of the entry")[1]
    assert "Unknown version" in versions  # the fixture's and the flagged ones, given before a version was kept
    assert "<td>7</td>" in versions  # on the first published version: 4 + 3


def test_another_councils_owner_sees_none_of_the_figures(client, world, planted, leeds):
    group = admin_group("Leeds sensors owners")
    team = ServiceOwnerTeamFactory(organisation=leeds, name="Sensors team", group=group)
    sensors = planted["sensors"]
    sensors.owner_team = team
    sensors.save()
    leeds_owner = world["users"]["nobody"].__class__.objects.create_user("leeds-owner", password="x")
    leeds_owner.groups.add(group)
    client.force_login(leeds_owner)
    html = client.get(OVERVIEW).content.decode()
    assert "Leeds sensors" in html and "from 7 responses" in html
    assert "Cameras" not in html and "Chatbot" not in html
    assert client.get(entry_url(planted["cameras"])).status_code in (302, 403)
    # and Bristol's owner sees nothing of Leeds
    client.force_login(world["users"]["owner"])
    assert "Leeds sensors" not in client.get(OVERVIEW).content.decode()
    assert client.get(entry_url(sensors)).status_code in (302, 403)


def test_the_overview_is_in_pages_of_fifty_and_keeps_the_council(client, world, bristol_register, bristol):
    for n in range(54):
        entry = DataUsePageFactory(parent=bristol_register, title=f"Entry {n:02d}")
        FeedbackSubmissionFactory.create_batch(1 + n % 3, entry=entry, comfort=COMFORTS[n % 5])
    client.force_login(world["users"]["comms"])
    first = BeautifulSoup(client.get(f"{OVERVIEW}?council={bristol.pk}").content, "html.parser")
    assert len(first.select("#least-comfortable tbody tr")) == 50
    assert "Entries 1 to 50 of 56." in first.get_text()  # and cameras and chatbot
    nav = first.select_one("nav.pagination")
    assert nav.select_one(f"a[href='?council={bristol.pk}&p=2']") is not None
    second = BeautifulSoup(client.get(f"{OVERVIEW}?council={bristol.pk}&p=2").content, "html.parser")
    assert len(second.select("#least-comfortable tbody tr")) == 6
    titles = [a.get_text() for page in (first, second) for a in page.select("#least-comfortable tbody th a")]
    assert len(set(titles)) == 56
    nets = [
        int(row.select("td")[-1].get_text())
        for page in (first, second)
        for row in page.select("#least-comfortable tbody tr")
    ]
    assert nets == sorted(nets)  # least comfortable first, across the pages


# ---- queries ------------------------------------------------------------------------------------------------------


def grow(bristol_register, owner_team, entries, per_entry, name):
    for n in range(entries):
        entry = DataUsePageFactory(parent=bristol_register, title=f"{name} {n}", owner_team=owner_team)
        revision = entry.save_revision()
        revision.publish()
        for i in range(per_entry):
            FeedbackSubmissionFactory(
                entry=entry,
                revision=revision,
                comfort=COMFORTS[i % 5],
                conditions=["oversight"],
                created_at=timezone.now() - datetime.timedelta(days=31 * (i % 4)),
            )
    tallies.catch_up(wait=True)  # the worker has counted them


@pytest.mark.parametrize("role", ["owner", "comms", "admin"])
def test_the_sentiment_views_take_the_same_queries_however_many_entries_and_responses(
    client, world, bristol_register, role, django_assert_num_queries, django_assert_max_num_queries
):
    team = world["entries"]["cameras"].owner_team
    cameras = world["entries"]["cameras"]
    client.force_login(world["users"][role])
    grow(bristol_register, team, entries=3, per_entry=3, name="Small")  # with the fixture's: 6 entries, 12 responses
    queries = {}
    for url in (OVERVIEW, entry_url(cameras)):
        client.get(url)  # the session and Wagtail's caches, once
        with django_assert_max_num_queries(100) as small:
            assert client.get(url).status_code == 200
        queries[url] = len(small)
    grow(bristol_register, team, entries=30, per_entry=10, name="Large")  # 36 entries, 312 responses
    for url in (OVERVIEW, entry_url(cameras)):
        with django_assert_num_queries(queries[url]):
            assert client.get(url).status_code == 200


def test_the_sentiment_views_query_counts(client, world, django_assert_num_queries):
    """An owner's pages: most of these queries are the admin's menus and the person's roles; the sentiment itself
    takes a handful, each reading tallies (before, 32 and 33 queries, three of them over every response)."""
    client.force_login(world["users"]["owner"])
    tallies.catch_up()
    client.get(OVERVIEW)
    with django_assert_num_queries(34, info="overview"):
        client.get(OVERVIEW)
    client.get(entry_url(world["entries"]["cameras"]))
    with django_assert_num_queries(35, info="entry"):
        client.get(entry_url(world["entries"]["cameras"]))


# ---- the public form --------------------------------------------------------------------------------------------


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
@pytest.mark.parametrize(("email", "queries"), [("", 5), ("resident@example.com", 6)])
def test_a_feedback_post_takes_few_queries(client, entry, email, queries, django_assert_num_queries):
    """Before: 7 and 8 (Wagtail's view restrictions and the default locale were each looked up on their own)."""
    # the entry, a savepoint, the response, [its reply address], the savepoint's release, the owners' email queued
    with django_assert_num_queries(queries):
        response = client.post(f"/feedback/{entry.pk}/", answers(entry, email=email), REMOTE_ADDR="192.0.2.7")
    assert response.status_code == 302
    assert FeedbackSubmission.objects.count() == 1


def test_feedback_on_an_entry_in_a_private_section_is_404(client, entry):
    PageViewRestriction.objects.create(page=entry.get_parent(), restriction_type="login")
    assert client.post(f"/feedback/{entry.pk}/", answers(entry), REMOTE_ADDR="192.0.2.8").status_code == 404
    assert not FeedbackSubmission.objects.exists()
