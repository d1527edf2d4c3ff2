"""The public summary of what people said: hidden below 10 responses, then counts, chart, conditions, comments."""

import pytest

from feedback.models import State
from tests.factories import DataUsePageFactory, FeedbackSubmissionFactory

pytestmark = pytest.mark.django_db


def give(entry, comfort, n=1, conditions=(), comment="", consent=False, approved=False, state=State.NEW):
    FeedbackSubmissionFactory.create_batch(
        n,
        entry=entry,
        comfort=comfort,
        conditions=list(conditions),
        comment=comment,
        publish_consent=consent,
        approved_for_publication=approved,
        state=state,
    )


@pytest.fixture
def entry(bristol_register):
    return DataUsePageFactory(parent=bristol_register)


def test_no_feedback_yet(client, entry):
    assert "No one has given their views on this entry yet." in client.get(entry.url).content.decode()


def test_below_ten_responses_only_the_count_is_shown(client, entry):
    give(entry, "very_uncomfortable", n=9, comment="Visible?", consent=True, approved=True)
    html = client.get(entry.url).content.decode()
    assert "9 people have given their views so far." in html
    assert "comfort-spread" not in html
    assert "Visible?" not in html


def test_from_ten_responses_the_spread_score_conditions_and_approved_comments_show(client, entry):
    give(entry, "very_comfortable", n=3, conditions=["oversight"])
    give(entry, "fairly_comfortable", n=3, conditions=["oversight", "opt_out"])
    give(entry, "not_sure", n=1)
    give(entry, "very_uncomfortable", n=3, conditions=["shorter_retention"])
    give(entry, "fairly_uncomfortable", comment="Please publish this.", consent=True, approved=True)
    give(entry, "fairly_uncomfortable", comment="Consent but not approved.", consent=True)
    give(entry, "fairly_uncomfortable", comment="Approved without consent.", approved=True)
    give(entry, "very_uncomfortable", n=5, state=State.SPAM)
    html = client.get(entry.url).content.decode()
    assert "How comfortable people are with this use of data (13 responses)" in html
    assert "3 out of 13 (23%)" in html  # very comfortable
    assert "1 out of 13 (8%)" in html  # not sure
    # (6 comfortable - 6 uncomfortable) / 13
    assert "Net comfort score: 0." in html
    assert html.index("Independent oversight: 6 people") < html.index("Keeping the data for less time: 3 people")
    assert "Please publish this." in html
    assert "Consent but not approved." not in html
    assert "Approved without consent." not in html


def test_editors_can_hide_the_summary(client, entry):
    entry.show_feedback_summary = False
    entry.save_revision().publish()
    give(entry, "not_sure", n=12)
    assert "What people have said so far" not in client.get(entry.url).content.decode()
