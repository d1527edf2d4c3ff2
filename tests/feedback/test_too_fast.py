"""A form sent back sooner than a person could fill it in is stopped (a bot guard), but the page says plainly what
happened and what to do, keeps everything that was typed, and carries a fresh start token, so sending it again a few
seconds later works."""

import re
import time
from types import SimpleNamespace

import pytest
from django.test import override_settings

from feedback import guards
from feedback.models import FeedbackSubmission, Follower, PageProblemReport
from tests.factories import started_token

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("three_seconds")]

TOO_FAST = (
    "You sent the form very quickly, so we could not tell it came from a person. "
    "Please wait a few seconds, then send it again."
)
TEXTAREA = re.compile(r'<textarea[^>]*name="(\w+)"[^>]*>(.*?)</textarea>', re.DOTALL)


@pytest.fixture
def three_seconds():
    with override_settings(FEEDBACK_MIN_SECONDS_TO_FILL=3):
        yield


@pytest.fixture
def later(monkeypatch):
    """Move the guard's clock on, as if the person waited before sending again."""

    def wait(seconds):
        now = time.time() + seconds
        monkeypatch.setattr(guards, "time", SimpleNamespace(time=lambda: now))  # only the guard's clock

    return wait


def answers(started, comment="I worry the photos are kept too long."):
    return {
        "started": started,
        "website": "",
        "comfort": "fairly_uncomfortable",
        "trust": "partly",
        "conditions": ["oversight"],
        "comment": comment,
        "publish_consent": "on",
        "email": "resident@example.com",
    }


def send(client, entry, data):
    return client.post(f"/feedback/{entry.pk}/", data, REMOTE_ADDR="192.0.2.1")


def token_in(html):
    tokens = re.findall(r'name="started" value="([^"]*)"', html)
    assert tokens, "the re-shown page has no start token"
    return tokens[0]


def test_a_form_sent_too_fast_says_what_happened_and_keeps_every_answer(client, entry):
    response = send(client, entry, answers(started_token(entry, seconds_ago=1), comment="My words stay here."))
    assert response.status_code == 400  # as for the view's other answers it cannot accept
    html = response.content.decode()
    assert TOO_FAST in html
    assert "Please check your answers" not in html  # there is nothing to check
    assert "There is a problem" not in html  # and no field is marked wrong
    assert ("comment", "My words stay here.") in TEXTAREA.findall(html)
    assert 'value="fairly_uncomfortable" checked' in html
    assert 'value="partly" checked' in html
    assert 'value="oversight" checked' in html
    assert 'value="resident@example.com"' in html
    assert not FeedbackSubmission.objects.exists()


def test_the_re_shown_form_carries_a_fresh_token_that_works_a_few_seconds_later(client, entry, later):
    first = send(client, entry, answers(started_token(entry, seconds_ago=1), comment="Sent again later."))
    fresh = token_in(first.content.decode())
    assert guards.seconds_since_start(fresh, entry.pk) is not None

    # Sent again at once, with the fresh token: still too fast, still kept on the page, still nothing stored.
    again = send(client, entry, answers(fresh, comment="Sent again later."))
    assert again.status_code == 400 and TOO_FAST in again.content.decode()
    assert not FeedbackSubmission.objects.exists()

    later(5)
    response = send(client, entry, answers(token_in(again.content.decode()), comment="Sent again later."))
    assert response.status_code == 302
    assert response["Location"] == f"/feedback/{entry.pk}/thanks/"
    assert list(FeedbackSubmission.objects.values_list("comment", flat=True)) == ["Sent again later."]


def test_sending_again_with_a_token_from_a_few_seconds_ago_stores_it_once(client, entry):
    assert send(client, entry, answers(started_token(entry, seconds_ago=0))).status_code == 400
    assert send(client, entry, answers(started_token(entry, seconds_ago=4))).status_code == 302
    assert send(client, entry, answers(started_token(entry, seconds_ago=5))).status_code == 302  # a double click
    assert FeedbackSubmission.objects.count() == 1


def test_a_missing_token_still_gets_the_general_message(client, entry):
    html = send(client, entry, answers("")).content.decode()
    assert "Please check your answers, then send the form again." in html
    assert TOO_FAST not in html


def test_the_problem_form_sent_too_fast_says_so_and_keeps_the_details(client, entry):
    data = {"started": started_token(entry, seconds_ago=1), "kind": "unclear", "details": "The map is hard to read."}
    response = client.post(f"/feedback/{entry.pk}/problem/", data, REMOTE_ADDR="192.0.2.1")
    assert response.status_code == 400
    html = response.content.decode()
    assert TOO_FAST in html
    assert ("details", "The map is hard to read.") in TEXTAREA.findall(html)
    assert not PageProblemReport.objects.exists()
    data["started"] = started_token(entry, seconds_ago=4)
    assert client.post(f"/feedback/{entry.pk}/problem/", data, REMOTE_ADDR="192.0.2.1").status_code == 302
    assert PageProblemReport.objects.count() == 1


def test_the_follow_form_sent_too_fast_says_so_and_keeps_the_address(client, entry):
    data = {"started": started_token(entry, seconds_ago=1), "website": "", "email": "resident@example.org"}
    response = client.post(f"/feedback/{entry.pk}/follow/", data, REMOTE_ADDR="192.0.2.1")
    assert response.status_code == 400
    html = response.content.decode()
    assert TOO_FAST in html
    assert 'value="resident@example.org"' in html
    assert not Follower.objects.exists()
    data["started"] = started_token(entry, seconds_ago=4)
    assert client.post(f"/feedback/{entry.pk}/follow/", data, REMOTE_ADDR="192.0.2.1").status_code == 302
    assert Follower.objects.count() == 1
