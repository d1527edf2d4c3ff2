"""Every feedback admin view takes the same number of queries however many entries, responses, answers and
page problems there are, for the people who use it (an owner and a comms officer, not only an admin)."""

import pytest

from feedback import tallies
from feedback.models import OwnerAnswer, PageProblemReport
from tests.factories import DataUsePageFactory, FeedbackSubmissionFactory

pytestmark = pytest.mark.django_db


def grow(world, bristol_register, entries, per_entry, name):
    """More of everything on Bristol's entries, half of them the owner's team's."""
    team = world["entries"]["cameras"].owner_team
    for n in range(entries):
        entry = DataUsePageFactory(
            parent=bristol_register, title=f"{name} {n}", owner_team=team if n % 2 == 0 else None
        )
        revision = entry.save_revision()
        revision.publish()
        FeedbackSubmissionFactory.create_batch(
            per_entry, entry=entry, revision=revision, comfort="fairly_uncomfortable", comment=f"About {name} {n}"
        )
        OwnerAnswer.objects.create(entry=entry, you_said=f"You said {n}", we_did="We did.", live=False)
        PageProblemReport.objects.create(
            entry=entry, organisation=entry.organisation, kind="wrong", dedupe_key=f"{name}-{n}"
        )
    tallies.catch_up(wait=True)  # as the worker does after each response


def read(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    if response.streaming:
        b"".join(response.streaming_content)
    return response


def urls(world):
    cameras = world["entries"]["cameras"]
    submission = world["feedback"]["cameras"]
    answer = OwnerAnswer.objects.create(entry=cameras, you_said="People asked", we_did="We answered.", live=False)
    return {
        "inbox": "/admin/feedback/inbox/",
        "inbox, filtered": f"/admin/feedback/inbox/?entry={cameras.pk}",
        "inbox edit": f"/admin/feedback/inbox/edit/{submission.pk}/",
        "export csv": "/admin/feedback/inbox/?export=csv",
        "export xlsx": "/admin/feedback/inbox/?export=xlsx",
        "sentiment": "/admin/feedback/sentiment/",
        "sentiment of an entry": f"/admin/feedback/sentiment/entry/{cameras.pk}/",
        "dashboard": "/admin/",
        "answers": "/admin/feedback/answers/",
        "answer edit": f"/admin/feedback/answers/edit/{answer.pk}/",
        "page problems": "/admin/feedback/page-problems/",
        "page problems export": "/admin/feedback/page-problems/?export=csv",
    }


VIEWS = [
    "inbox",
    "inbox, filtered",
    "inbox edit",
    "export csv",
    "export xlsx",
    "sentiment",
    "sentiment of an entry",
    "dashboard",
    "answers",
    "answer edit",
]


@pytest.mark.parametrize("role", ["owner", "comms"])
def test_feedback_admin_views_take_the_same_queries_however_many_rows(
    client, world, bristol_register, role, django_assert_num_queries, django_assert_max_num_queries
):
    client.force_login(world["users"][role])
    addresses = urls(world)
    views = VIEWS + (["page problems", "page problems export"] if role == "comms" else [])
    grow(world, bristol_register, entries=2, per_entry=2, name="Few")
    few = {}
    for view in views:
        read(client, addresses[view])  # the session and Wagtail's caches, once
        with django_assert_max_num_queries(200) as captured:
            read(client, addresses[view])
        few[view] = len(captured)
    grow(world, bristol_register, entries=24, per_entry=8, name="Many")
    for view in views:
        with django_assert_num_queries(few[view], info=view):
            read(client, addresses[view])
