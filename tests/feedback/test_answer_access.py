"""Staff of one council (or one team) can neither read nor change another's public answers or feedback, in any
admin view Wagtail gives those models; their own stay open to them. Writes are checked in the database."""

import pytest
from django.urls import reverse

from feedback.models import OwnerAnswer

pytestmark = pytest.mark.django_db

ANSWER_VIEWS = ["edit", "delete", "usage", "history", "history_results", "unpublish"]


def publish_answer(entry, you_said):
    answer = OwnerAnswer.objects.create(entry=entry, you_said=you_said, we_did="We changed it.", live=False)
    answer.save_revision().publish()
    return answer


@pytest.fixture
def answers(world):
    return {
        "bristol": publish_answer(world["entries"]["cameras"], "Bristol cameras keep photos too long"),
        "leeds": publish_answer(world["entries"]["sensors"], "Leeds sensors are too close to homes"),
    }


def answer_url(view, answer):
    return reverse(f"wagtailsnippets_feedback_owneranswer:{view}", args=[answer.pk])


def refused(response):
    return response.status_code in (302, 403, 404)


@pytest.mark.parametrize("role", ["owner", "comms"])
def test_another_councils_answer_is_not_found_in_any_admin_view(client, world, answers, role):
    client.force_login(world["users"][role])
    leeds, bristol = answers["leeds"], answers["bristol"]
    revision = leeds.latest_revision
    urls = [answer_url(view, leeds) for view in ANSWER_VIEWS] + [
        reverse("wagtailsnippets_feedback_owneranswer:revisions_compare", args=[leeds.pk, "earliest", "live"]),
        reverse("wagtailsnippets_feedback_owneranswer:revisions_revert", args=[leeds.pk, revision.pk]),
        reverse("wagtailsnippetchoosers_feedback_owneranswer:chosen", args=[leeds.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert refused(response), url
        assert "too close to homes" not in response.content.decode(), url
    # Their own answer opens in the same views.
    for view in ("edit", "history", "usage", "unpublish"):
        assert client.get(answer_url(view, bristol)).status_code == 200, view
    chooser = client.get(reverse("wagtailsnippetchoosers_feedback_owneranswer:choose_results")).content.decode()
    assert "Bristol cameras" in chooser and "Leeds sensors" not in chooser


@pytest.mark.parametrize("role", ["owner", "comms"])
def test_another_councils_answer_cannot_be_rewritten_moved_unpublished_or_deleted(client, world, answers, role):
    client.force_login(world["users"][role])
    leeds = answers["leeds"]
    cameras = world["entries"]["cameras"]
    data = {
        "entry": cameras.pk,
        "submission": "",
        "you_said": "Rewritten by another council",
        "we_did": "Nothing",
        "outcome": "changed",
        "changed_version_url": "",
        "action-publish": "action-publish",
    }
    assert refused(client.post(answer_url("edit", leeds), data))
    assert refused(client.post(answer_url("unpublish", leeds)))
    assert refused(client.post(answer_url("delete", leeds)))
    leeds.refresh_from_db()
    assert leeds.live and leeds.entry == world["entries"]["sensors"]
    assert leeds.you_said == "Leeds sensors are too close to homes"
    assert client.get(leeds.entry.url).status_code == 200


def test_an_owner_cannot_open_other_teams_or_councils_feedback_in_any_view(client, world):
    client.force_login(world["users"]["owner"])
    for name in ("chatbot", "sensors"):  # another Bristol team's, and Leeds'
        submission = world["feedback"][name]
        for view in ("edit", "history", "history_results", "usage", "delete"):
            response = client.get(reverse(f"feedback_inbox:{view}", args=[submission.pk]))
            assert refused(response), (name, view)
    own = world["feedback"]["cameras"]
    for view in ("edit", "history", "usage"):
        assert client.get(reverse(f"feedback_inbox:{view}", args=[own.pk])).status_code == 200, view
