"""The feedback inbox: each role sees what it should and nothing else; filters, exports and the audit log."""

import csv
import datetime
import io

import pytest
from django.utils import timezone
from wagtail.models import ModelLogEntry

from feedback.models import FeedbackSubmission, State
from tests.factories import FeedbackSubmissionFactory
from tests.feedback.conftest import give_feedback

pytestmark = pytest.mark.django_db

INBOX = "/admin/feedback/inbox/"
PROBLEMS = "/admin/feedback/page-problems/"


def read_csv(response):
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


@pytest.mark.parametrize(
    ("role", "sees", "hidden"),
    [
        ("admin", ["cameras", "chatbot", "sensors"], []),
        ("comms", ["cameras", "chatbot"], ["sensors"]),
        ("owner", ["cameras"], ["chatbot", "sensors"]),
    ],
)
def test_each_role_sees_only_its_own_feedback(client, world, role, sees, hidden):
    client.force_login(world["users"][role])
    html = client.get(INBOX).content.decode()
    for name in sees:
        assert world["feedback"][name].comment in html
        assert client.get(f"{INBOX}edit/{world['feedback'][name].pk}/").status_code == 200
    for name in hidden:
        assert world["feedback"][name].comment not in html
        assert client.get(f"{INBOX}edit/{world['feedback'][name].pk}/").status_code in (302, 403, 404)


@pytest.mark.parametrize("role", ["nobody", None])
def test_people_without_a_role_are_refused(client, world, role):
    if role:
        client.force_login(world["users"][role])
    response = client.get(INBOX)
    assert response.status_code in (302, 403)
    assert "About the cameras" not in response.content.decode()
    assert client.get(f"{INBOX}edit/{world['feedback']['cameras'].pk}/").status_code in (302, 403, 404)


def test_nobody_can_add_feedback_by_hand(client, world):
    client.force_login(world["users"]["admin"])
    assert client.get(f"{INBOX}new/").status_code in (302, 403)


def test_page_problems_go_to_comms_officers_not_owners(client, world):
    client.force_login(world["users"]["comms"])
    html = client.get(PROBLEMS).content.decode()
    assert "Bristol typo" in html and "Leeds typo" not in html
    client.force_login(world["users"]["owner"])
    assert client.get(PROBLEMS).status_code in (302, 403)


def test_filters_narrow_the_inbox(client, world):
    client.force_login(world["users"]["admin"])
    give_feedback(world["entries"]["sensors"], comfort="very_uncomfortable", comment="Very unhappy")
    html = client.get(INBOX, {"comfort": "very_uncomfortable"}).content.decode()
    assert "Very unhappy" in html and "About Leeds sensors" not in html
    html = client.get(INBOX, {"entry": world["entries"]["cameras"].pk}).content.decode()
    assert "About the cameras" in html and "About the chatbot" not in html


def test_export_holds_the_rows_the_filtered_inbox_shows_flagged_ones_included(client, world):
    client.force_login(world["users"]["comms"])
    give_feedback(world["entries"]["cameras"], comment="[phone number removed] call me", flagged=True)
    response = client.get(INBOX, {"export": "csv"})
    assert response.status_code == 200
    comments = sorted(row["Comment"] for row in read_csv(response))
    assert comments == ["About the cameras", "About the chatbot", "[phone number removed] call me"]
    response = client.get(INBOX, {"export": "csv", "entry": world["entries"]["cameras"].pk})
    comments = sorted(row["Comment"] for row in read_csv(response))
    assert comments == ["About the cameras", "[phone number removed] call me"]
    xlsx = client.get(INBOX, {"export": "xlsx"})
    assert xlsx.status_code == 200
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_state_changes_are_saved_and_written_to_the_audit_log(client, world):
    client.force_login(world["users"]["owner"])
    submission = world["feedback"]["cameras"]
    response = client.post(
        f"{INBOX}edit/{submission.pk}/",
        {"state": "not_actionable", "state_reason": "About a different service", "approved_for_publication": ""},
    )
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.state == State.NOT_ACTIONABLE
    assert submission.comment == "About the cameras"  # owners cannot rewrite what people said
    assert ModelLogEntry.objects.filter(object_id=str(submission.pk), action="wagtail.edit").exists()


def test_mark_everything_shown_in_bulk_with_an_audit_entry_each(client, world):
    client.force_login(world["users"]["comms"])
    cameras = world["entries"]["cameras"]
    extra = give_feedback(cameras, comment="Another", n=1)
    inbox = client.get(INBOX, {"entry": cameras.pk}).content.decode()
    assert "Mark all shown" in inbox
    url = f"/admin/feedback/sentiment/mark/?entry={cameras.pk}"
    page = client.get(url).content.decode()
    assert "2 pieces of feedback" in page
    response = client.post(url, {"state": "not_actionable", "reason": ""})
    assert "Say why this feedback is not actionable." in response.content.decode()
    response = client.post(url, {"state": "reviewed", "reason": ""})
    assert response.status_code == 302
    reviewed = FeedbackSubmission.objects.filter(state=State.REVIEWED)
    assert sorted(reviewed.values_list("pk", flat=True)) == sorted([world["feedback"]["cameras"].pk, extra.pk])
    assert FeedbackSubmission.objects.get(pk=world["feedback"]["chatbot"].pk).state == State.NEW
    assert ModelLogEntry.objects.filter(action="wagtail.edit", object_id=str(extra.pk)).exists()


def test_bulk_marking_never_reaches_feedback_the_person_cannot_see(client, world):
    client.force_login(world["users"]["owner"])
    client.post("/admin/feedback/sentiment/mark/", {"state": "spam"})
    assert FeedbackSubmission.objects.get(pk=world["feedback"]["cameras"].pk).state == State.SPAM
    assert FeedbackSubmission.objects.get(pk=world["feedback"]["chatbot"].pk).state == State.NEW
    assert FeedbackSubmission.objects.get(pk=world["feedback"]["sensors"].pk).state == State.NEW
    client.force_login(world["users"]["nobody"])
    assert client.post("/admin/feedback/sentiment/mark/", {"state": "spam"}).status_code in (302, 403)


def test_only_comments_whose_writers_agreed_can_be_approved(client, world):
    client.force_login(world["users"]["owner"])
    submission = world["feedback"]["cameras"]
    data = {"state": "reviewed", "state_reason": "", "approved_for_publication": "on"}
    response = client.post(f"{INBOX}edit/{submission.pk}/", data)
    assert "did not agree to publication" in response.content.decode()
    submission.publish_consent = True
    submission.save()
    assert client.post(f"{INBOX}edit/{submission.pk}/", data).status_code == 302
    submission.refresh_from_db()
    assert submission.approved_for_publication


def test_date_range_and_state_filters(client, world):
    client.force_login(world["users"]["admin"])
    FeedbackSubmissionFactory(
        entry=world["entries"]["cameras"],
        comment="From last year",
        created_at=timezone.now() - datetime.timedelta(days=400),
    )
    flagged = give_feedback(world["entries"]["cameras"], comment="Flagged one", flagged=True)
    today = timezone.localdate()
    since = (today - datetime.timedelta(days=30)).isoformat()
    html = client.get(INBOX, {"created_at_from": since, "created_at_to": today.isoformat()}).content.decode()
    assert "About the cameras" in html and "From last year" not in html
    html = client.get(INBOX, {"state": "flagged"}).content.decode()
    assert flagged.comment in html and "About the cameras" not in html
