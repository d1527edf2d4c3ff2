"""Owners and comms officers publish "You said, we did" answers on their own entries from the admin, by their
role (no model permission); the answer form offers only what they may see, and choosing an entry saves nothing.
Writes are checked in the database."""

import re

import pytest

from feedback.models import OwnerAnswer
from tests.feedback.conftest import give_feedback
from tests.feedback.test_answers import ANSWERS, answer_data

pytestmark = pytest.mark.django_db


def publish(client, entry, **overrides):
    return client.post(f"{ANSWERS}add/", {**answer_data(entry, **overrides), "action-publish": "action-publish"})


def options(html, name):
    select = re.search(rf'<select name="{name}".*?</select>', html, re.S).group(0)
    return [label.strip() for value, label in re.findall(r'<option value="(\d+)"[^>]*>([^<]*)</option>', select)]


@pytest.mark.parametrize("role", ["owner", "comms"])
def test_add_form_offers_publish_to_owners_and_comms_officers(client, world, role):
    client.force_login(world["users"][role])
    html = client.get(f"{ANSWERS}add/").content.decode()
    assert 'name="action-publish"' in html
    assert "data-w-autosave-interval-value" not in html


def test_owner_publishes_an_answer_on_their_teams_entry_and_it_shows_on_the_entry(client, world):
    cameras = world["entries"]["cameras"]
    client.force_login(world["users"]["owner"])
    response = publish(client, cameras)
    assert response.status_code == 302
    answer = OwnerAnswer.objects.get()
    assert answer.live and answer.entry_id == cameras.pk
    html = client.get(cameras.url).content.decode()
    assert "You said, we did" in html
    assert "We now delete them after one day." in html
    # Their own live answer offers Unpublish, and unpublishing takes it off the entry.
    edit = client.get(f"{ANSWERS}edit/{answer.pk}/").content.decode()
    assert 'name="action-publish"' in edit and f"{ANSWERS}unpublish/{answer.pk}/" in edit
    client.post(f"{ANSWERS}unpublish/{answer.pk}/")
    answer.refresh_from_db()
    assert not answer.live
    assert "We now delete them after one day." not in client.get(cameras.url).content.decode()
    # Going back to an earlier version offers Publish too.
    revert = client.get(f"{ANSWERS}history/{answer.pk}/revisions/{answer.latest_revision_id}/revert/")
    assert revert.status_code == 200 and 'name="action-publish"' in revert.content.decode()


def test_comms_officer_publishes_an_answer_on_their_councils_entry(client, world):
    chatbot = world["feedback"]["chatbot"].entry
    client.force_login(world["users"]["comms"])
    assert publish(client, chatbot, we_did="The chatbot now says it is a bot.").status_code == 302
    answer = OwnerAnswer.objects.get()
    assert answer.live and answer.entry_id == chatbot.pk
    assert "The chatbot now says it is a bot." in client.get(chatbot.url).content.decode()


@pytest.mark.parametrize("role", ["owner", "comms"])
def test_neither_can_publish_on_another_councils_entry(client, world, role):
    sensors = world["entries"]["sensors"]
    client.force_login(world["users"][role])
    response = publish(client, sensors)
    assert response.status_code == 200
    assert "You can only answer feedback on entries your team or council owns." in response.content.decode()
    assert not OwnerAnswer.objects.exists()
    assert "We now delete them after one day." not in client.get(sensors.url).content.decode()


def test_owner_cannot_publish_on_another_teams_entry_of_their_council(client, world):
    client.force_login(world["users"]["owner"])
    assert publish(client, world["feedback"]["chatbot"].entry).status_code == 200
    assert not OwnerAnswer.objects.exists()


def test_add_form_offers_only_the_entries_and_feedback_the_person_may_see(client, world):
    cameras = world["entries"]["cameras"]
    give_feedback(cameras, comfort="very_uncomfortable")
    client.force_login(world["users"]["owner"])
    html = client.get(f"{ANSWERS}add/").content.decode()
    assert options(html, "entry") == [f"Cameras ({cameras.organisation})"]
    submissions = options(html, "submission")
    assert len(submissions) == 2
    assert all(label.startswith("Cameras, ") for label in submissions)
    assert any("Very uncomfortable" in label for label in submissions), submissions
    assert "Chatbot" not in html and "Leeds sensors" not in html

    client.force_login(world["users"]["comms"])
    html = client.get(f"{ANSWERS}add/").content.decode()
    assert sorted(label.split(",")[0] for label in options(html, "submission")) == ["Cameras", "Cameras", "Chatbot"]
    assert "Leeds sensors" not in html


def test_edit_form_offers_only_feedback_on_the_answers_entry(client, world):
    cameras = world["entries"]["cameras"]
    answer = OwnerAnswer.objects.create(entry=cameras, you_said="Said", we_did="Did")
    client.force_login(world["users"]["comms"])
    html = client.get(f"{ANSWERS}edit/{answer.pk}/").content.decode()
    assert [label.split(",")[0] for label in options(html, "submission")] == ["Cameras"]


def test_choosing_an_entry_leaves_no_blank_draft(client, world):
    cameras = world["entries"]["cameras"]
    client.force_login(world["users"]["owner"])
    blank = answer_data(cameras, you_said="", we_did="", changed_version_url="")
    # What autosave would send on choosing an entry, and what Save draft sends with nothing written yet.
    response = client.post(f"{ANSWERS}add/", blank, HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    response = client.post(f"{ANSWERS}add/", blank)
    assert response.status_code == 200
    assert not OwnerAnswer.objects.exists()


def test_anonymous_people_cannot_write_publish_or_unpublish_answers(client, world):
    cameras = world["entries"]["cameras"]
    answer = OwnerAnswer.objects.create(entry=cameras, you_said="Said", we_did="Did", live=False)
    for url, data in [
        (f"{ANSWERS}add/", {**answer_data(cameras), "action-publish": "action-publish"}),
        (f"{ANSWERS}edit/{answer.pk}/", {**answer_data(cameras), "action-publish": "action-publish"}),
        (f"{ANSWERS}unpublish/{answer.pk}/", {}),
        (f"{ANSWERS}delete/{answer.pk}/", {}),
    ]:
        response = client.post(url, data)
        assert response.status_code == 302 and "/admin/login/" in response["Location"], url
    assert list(OwnerAnswer.objects.values_list("you_said", "live")) == [("Said", False)]


def test_answer_in_public_opens_the_form_with_the_feedback_chosen(client, world):
    client.force_login(world["users"]["owner"])
    mine = world["feedback"]["cameras"]
    item = client.get(f"/admin/feedback/inbox/edit/{mine.pk}/").content.decode()
    assert f"{ANSWERS}add/?submission={mine.pk}" in item
    html = client.get(f"{ANSWERS}add/?submission={mine.pk}").content.decode()
    assert re.search(rf'<option value="{mine.entry_id}" selected>', html)
    assert re.search(rf'<option value="{mine.pk}" selected>', html)
    # Another council's feedback in the address chooses nothing and shows nothing of it.
    theirs = world["feedback"]["sensors"]
    html = client.get(f"{ANSWERS}add/?submission={theirs.pk}").content.decode()
    assert "Leeds sensors" not in html
    assert not re.search(r'<option value="\d+" selected>', html)
