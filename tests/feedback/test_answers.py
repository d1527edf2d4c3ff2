"""Public answers ("You said, we did"): drafted and published in the admin, shown on the entry, and
people who left a reply address are told."""

import pytest
from django.core import mail

from feedback.models import OwnerAnswer, ReplyContact
from tests.feedback.conftest import give_feedback

pytestmark = pytest.mark.django_db

ANSWERS = "/admin/feedback/answers/"


def answer_data(entry, **overrides):
    data = {
        "entry": entry.pk,
        "submission": "",
        "you_said": "Photos are kept too long.",
        "we_did": "We now delete them after one day.",
        "outcome": "changed",
        "changed_version_url": "https://www.example.org/bristol/cameras",
    }
    data.update(overrides)
    return data


def test_owner_drafts_then_publishes_an_answer_and_repliers_are_told(client, world):
    cameras = world["entries"]["cameras"]
    asked = give_feedback(cameras, comment="Why so long?")
    ReplyContact.objects.create(submission=asked, email="resident@example.com")
    client.force_login(world["users"]["owner"])

    response = client.post(f"{ANSWERS}add/", answer_data(cameras))
    assert response.status_code == 302
    answer = OwnerAnswer.objects.get()
    assert not answer.live
    assert "You said, we did" not in client.get(cameras.url).content.decode()
    assert mail.outbox == []

    response = client.post(f"{ANSWERS}edit/{answer.pk}/", {**answer_data(cameras), "action-publish": "publish"})
    assert response.status_code == 302
    answer.refresh_from_db()
    assert answer.live
    html = client.get(cameras.url).content.decode()
    assert "You said, we did" in html
    assert "We now delete them after one day." in html
    assert "We have made a change" in html
    assert [m.to for m in mail.outbox] == [["resident@example.com"]]
    assert "We now delete them after one day." in mail.outbox[0].body


def test_owner_cannot_answer_feedback_on_someone_elses_entry(client, world):
    client.force_login(world["users"]["owner"])
    response = client.post(f"{ANSWERS}add/", answer_data(world["entries"]["sensors"]))
    assert response.status_code == 200
    assert "You can only answer feedback on entries your team or council owns." in response.content.decode()
    assert not OwnerAnswer.objects.exists()


def test_answer_to_one_comment_must_be_on_the_same_entry(client, world):
    client.force_login(world["users"]["comms"])
    other = world["feedback"]["chatbot"]
    response = client.post(f"{ANSWERS}add/", answer_data(world["entries"]["cameras"], submission=other.pk))
    assert "Choose a comment left on the same entry." in response.content.decode()


def test_answers_list_shows_only_what_the_person_may_see(client, world):
    OwnerAnswer.objects.create(entry=world["entries"]["sensors"], you_said="Leeds said", we_did="Leeds did")
    OwnerAnswer.objects.create(entry=world["entries"]["cameras"], you_said="Bristol said", we_did="Bristol did")
    client.force_login(world["users"]["owner"])
    html = client.get(ANSWERS).content.decode()
    assert "Bristol said" in html and "Leeds said" not in html
    client.force_login(world["users"]["nobody"])
    assert client.get(ANSWERS).status_code in (302, 403)
