"""The owner's desk on the admin home: each role sees what is waiting on its own entries, and nothing else."""

import re

import pytest

from feedback import tallies
from feedback.admin.dashboard import OwnersDeskPanel
from feedback.models import OwnerAnswer
from tests.factories import FeedbackSubmissionFactory

pytestmark = pytest.mark.django_db

HOME = "/admin/"
DESK = "Feedback waiting for you"
QUERIES = 15  # three lookups of the person's roles, one for responses not yet counted, and one for each list


def desk(client, user):
    client.force_login(user)
    response = client.get(HOME)
    assert response.status_code == 200
    return response.content.decode()


def links(html):
    """The links inside the desk panel."""
    panel = html.split('id="owners-desk-section"', 1)[1].split("</section>", 1)[0]
    return [href.replace("&amp;", "&") for href in re.findall(r'href="(/[^"]*)"', panel)]


def publish_new_version(entry):
    revision = entry.save_revision()
    revision.publish()
    entry.refresh_from_db()
    return revision


def answer(entry, you_said, published):
    owner_answer = OwnerAnswer.objects.create(entry=entry, you_said=you_said, we_did="We did this.", live=False)
    if published:
        owner_answer.save_revision().publish()
    return owner_answer


def test_an_owner_sees_new_feedback_on_their_teams_entries_only(client, world):
    html = desk(client, world["users"]["owner"])
    assert DESK in html and "New feedback on your entries" in html
    assert "Cameras" in html and "1 new response" in html
    assert "Chatbot" not in html and "Leeds sensors" not in html
    assert "Page problems waiting" not in html
    assert f"/admin/feedback/inbox/?entry={world['entries']['cameras'].pk}" in links(html)


def test_a_comms_officer_sees_their_councils_feedback_and_page_problems(client, world):
    html = desk(client, world["users"]["comms"])
    assert "Cameras" in html and "Chatbot" in html
    assert "Leeds sensors" not in html and "Leeds typo" not in html
    assert "Page problems waiting" in html and "1 new report of a problem on a page" in html
    assert "/admin/feedback/page-problems/?state=new" in links(html)


def test_nobody_without_a_role_sees_no_desk(client, world):
    html = desk(client, world["users"]["nobody"])
    assert DESK not in html and "Cameras" not in html


def test_an_entry_whose_comfort_fell_on_its_new_version_is_listed(client, world):
    cameras = world["entries"]["cameras"]
    first = publish_new_version(cameras)
    FeedbackSubmissionFactory.create_batch(3, entry=cameras, revision=first, comfort="very_comfortable")
    second = publish_new_version(cameras)
    assert cameras.live_revision_id == second.pk
    FeedbackSubmissionFactory.create_batch(2, entry=cameras, revision=second, comfort="very_uncomfortable")
    html = desk(client, world["users"]["owner"])
    assert "Comfort fell since the last version" in html
    assert "Net comfort score fell from 100 to -100" in html
    assert f"/admin/feedback/sentiment/entry/{cameras.pk}/" in links(html)


def test_comfort_that_rose_is_not_listed(client, world):
    cameras = world["entries"]["cameras"]
    first = publish_new_version(cameras)
    FeedbackSubmissionFactory(entry=cameras, revision=first, comfort="very_uncomfortable")
    second = publish_new_version(cameras)
    FeedbackSubmissionFactory(entry=cameras, revision=second, comfort="very_comfortable")
    assert "Comfort fell since the last version" not in desk(client, world["users"]["owner"])


def test_a_draft_answer_is_waiting_and_a_published_one_is_not(client, world):
    cameras, sensors = world["entries"]["cameras"], world["entries"]["sensors"]
    draft = answer(cameras, "People want shorter retention", published=False)
    answer(cameras, "People asked about signs", published=True)
    answer(sensors, "Leeds people said this", published=False)
    html = desk(client, world["users"]["owner"])
    assert "Answers waiting to be published" in html
    assert "People want shorter retention" in html
    assert "People asked about signs" not in html and "Leeds people said this" not in html
    assert f"/admin/feedback/answers/edit/{draft.pk}/" in links(html)


def test_every_link_on_the_desk_opens_for_the_person_who_sees_it(client, world):
    cameras = world["entries"]["cameras"]
    first = publish_new_version(cameras)
    FeedbackSubmissionFactory(entry=cameras, revision=first, comfort="very_comfortable")
    second = publish_new_version(cameras)
    FeedbackSubmissionFactory(entry=cameras, revision=second, comfort="very_uncomfortable")
    answer(cameras, "People want shorter retention", published=False)
    for role, expected in [("owner", 3), ("comms", 5)]:
        user = world["users"][role]
        urls = links(desk(client, user))
        assert len(urls) == expected
        for url in urls:
            assert client.get(url).status_code == 200, url


def test_the_desk_takes_a_few_queries_however_much_is_waiting(rf, world, django_assert_max_num_queries):
    cameras = world["entries"]["cameras"]
    first = publish_new_version(cameras)
    FeedbackSubmissionFactory.create_batch(3, entry=cameras, revision=first, comfort="very_comfortable")
    second = publish_new_version(cameras)
    FeedbackSubmissionFactory.create_batch(3, entry=cameras, revision=second, comfort="very_uncomfortable")
    for n in range(5):
        answer(cameras, f"Draft {n}", published=False)
    request = rf.get(HOME)
    request.user = world["users"]["comms"]
    tallies.catch_up()  # as the worker does after each response
    with django_assert_max_num_queries(QUERIES):
        html = OwnersDeskPanel(may_see_problems=True).render_html({"request": request})
    assert "Draft 4" in html and "fell from 100 to -100" in html and "1 new report" in html
