"""The feedback form's signed start time belongs to one entry and lasts a day; only posts that would be kept count
towards the rate limit, so mistakes and refused bots never use it up."""

import pytest
from django.test import override_settings

from feedback.models import FeedbackSubmission
from tests.factories import DataUsePageFactory, started_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries(bristol_register):
    made = [DataUsePageFactory(parent=bristol_register, title=title) for title in ("Cameras", "Chatbot")]
    for entry in made:
        entry.save_revision().publish()
    return made


def send(client, entry, token, comment="About this entry", comfort="not_sure"):
    answers = {"started": token, "comfort": comfort, "comment": comment}
    return client.post(f"/feedback/{entry.pk}/", answers, REMOTE_ADDR="192.0.2.9")


def test_a_token_from_one_entrys_page_is_refused_on_another_and_the_words_are_kept(client, entries):
    cameras, chatbot = entries
    response = send(client, chatbot, started_token(cameras), comment="Meant for the chatbot")
    assert response.status_code == 400
    assert "Meant for the chatbot" in response.content.decode()
    assert not FeedbackSubmission.objects.exists()
    assert send(client, chatbot, started_token(chatbot)).status_code == 302


@override_settings(FEEDBACK_FORM_MAX_AGE=60 * 60)
def test_a_form_left_open_too_long_is_shown_again_with_a_fresh_token(client, entries):
    cameras = entries[0]
    response = send(client, cameras, started_token(cameras, seconds_ago=2 * 60 * 60), comment="Written slowly")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Written slowly" in html and "Please check your answers" in html
    assert send(client, cameras, started_token(cameras, seconds_ago=30 * 60)).status_code == 302


def test_the_entry_page_carries_a_token_for_that_entry(client, entries):
    cameras, chatbot = entries
    html = client.get(cameras.url).content.decode()
    token = html.split('name="started" value="')[1].split('"')[0]
    assert send(client, cameras, token, comment="From the page").status_code == 302
    assert send(client, chatbot, token, comment="Elsewhere").status_code == 400


@override_settings(FEEDBACK_RATE_LIMIT=2)
def test_refused_and_invalid_posts_do_not_use_up_the_rate_limit(client, entries):
    cameras = entries[0]
    for _ in range(5):
        assert send(client, cameras, "forged").status_code == 400  # no valid token
        assert send(client, cameras, started_token(cameras), comfort="").status_code == 400  # a required answer missing
    statuses = [send(client, cameras, started_token(cameras), comment=f"Kept {n}").status_code for n in range(3)]
    assert statuses == [302, 302, 429]
    assert FeedbackSubmission.objects.count() == 2
