"""Many people (and double clicks) at once: nothing is lost, nothing is counted twice."""

import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.test import override_settings

from feedback import guards
from feedback.models import FeedbackSubmission
from tests.factories import DataUsePageFactory, started_token

pytestmark = pytest.mark.django_db(transaction=True)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def send(url, entry, comment):
    body = urllib.parse.urlencode({"started": started_token(entry), "comfort": "not_sure", "comment": comment}).encode()
    opener = urllib.request.build_opener(NoRedirect)
    try:
        # The URL is the live server's own address (http://localhost:...), never user input.
        request = urllib.request.Request(url, data=body, method="POST")  # noqa: S310
        return opener.open(request, timeout=30).status
    except urllib.error.HTTPError as error:
        return error.code


@override_settings(FEEDBACK_RATE_LIMIT=1000)
def test_concurrent_posts_keep_every_distinct_answer_and_one_of_each_duplicate(
    live_server, bristol_register, monkeypatch
):
    # One duplicate window for the whole test: ten double clicks sent either side of a five-minute boundary
    # would rightly count twice, and that is not what this test is about.
    monkeypatch.setattr(guards, "DUPLICATE_WINDOW_SECONDS", 10**10)
    entry = DataUsePageFactory(parent=bristol_register)
    entry.save_revision().publish()
    url = f"{live_server.url}/feedback/{entry.pk}/"
    comments = [f"Distinct comment {n}" for n in range(20)] + ["The same double click"] * 10
    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(lambda comment: send(url, entry, comment), comments))
    assert set(statuses) == {302}
    stored = list(FeedbackSubmission.objects.values_list("comment", flat=True))
    assert len(stored) == 21
    assert stored.count("The same double click") == 1
