"""The inbox and its exports speak entries by title and reference, and answers in words, never page IDs or codes."""

import csv
import datetime
import io
import re

import openpyxl
import pytest
from django.utils import translation
from wagtail.users.models import UserProfile

from feedback.models import Comfort, FeedbackSubmission, ReplyContact
from tests.factories import FeedbackSubmissionFactory
from tests.feedback.conftest import give_feedback

pytestmark = pytest.mark.django_db

INBOX = "/admin/feedback/inbox/"
# 20:23 UTC on 1 July is 21:23 in London (summer time): exports and titles show local time to the minute.
SUMMER_EVENING = datetime.datetime(2026, 7, 1, 20, 23, 45, 123456, tzinfo=datetime.UTC)


def label(entry):
    return f"{entry.title} ({entry.reference})"


def exported(client, export_format, **filters):
    """The export's rows as dictionaries keyed by heading."""
    response = client.get(INBOX, {"export": export_format, **filters})
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    if export_format == "csv":
        return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    rows = list(openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    return [dict(zip(rows[0], (value or "" for value in row), strict=True)) for row in rows[1:]]


@pytest.fixture
def answered(world):
    """A full answer on Cameras, given on a summer evening, with a reply address."""
    submission = FeedbackSubmissionFactory(
        entry=world["entries"]["cameras"],
        comfort="fairly_uncomfortable",
        trust="partly",
        conditions=["oversight", "opt_out"],
        comment="Who checks the footage?",
        publish_consent=True,
        language="cy",
        created_at=SUMMER_EVENING,
    )
    ReplyContact.objects.create(submission=submission, email="resident@example.com")
    return submission


@pytest.mark.parametrize(
    ("role", "offered", "not_offered"),
    [("owner", ["cameras"], ["chatbot", "sensors"]), ("comms", ["cameras", "chatbot"], ["sensors"])],
)
def test_the_entry_filter_offers_visible_entries_by_title_and_reference(client, world, role, offered, not_offered):
    entries = {name: submission.entry for name, submission in world["feedback"].items()}
    client.force_login(world["users"][role])
    html = client.get(INBOX).content.decode()
    select = re.search(r'<select name="entry".*?</select>', html, re.S)
    assert select, "the entry filter is a select, not a number box"
    for name in offered:
        assert f">{label(entries[name])}</option>" in select.group(0)
    for name in not_offered:
        assert entries[name].title not in select.group(0)
    assert "page ID" not in html


def test_an_entry_the_person_may_not_see_filters_nothing_in(client, world):
    client.force_login(world["users"]["owner"])
    html = client.get(INBOX, {"entry": world["entries"]["sensors"].pk}).content.decode()
    assert "About Leeds sensors" not in html and "About the chatbot" not in html


def test_feedback_reads_in_words_by_entry_title_reference_and_local_time(world, answered):
    cameras = world["entries"]["cameras"]
    assert cameras.reference.startswith("BRS-")
    assert str(answered) == f"Fairly uncomfortable on 'Cameras' ({cameras.reference}), 1 July 2026, 21:23"
    assert answered.entry_label() == f"Cameras ({cameras.reference})"


def test_the_inbox_lists_entries_by_title_and_reference(client, world):
    client.force_login(world["users"]["comms"])
    html = client.get(INBOX).content.decode()
    assert label(world["entries"]["cameras"]) in html


def test_the_item_view_shows_everything_the_resident_gave_and_the_address_to_owners_only(client, world, answered):
    client.force_login(world["users"]["owner"])
    html = client.get(f"{INBOX}edit/{answered.pk}/").content.decode()
    for words in [
        "Fairly uncomfortable",
        "Partly",
        "Independent oversight",
        "A way to opt out",
        "Who checks the footage?",
        "Asked for a reply",
        "Cymraeg",
        label(world["entries"]["cameras"]),
        "resident@example.com",
    ]:
        assert words in html, words
    assert ">oversight<" not in html and "opt_out" not in html

    client.force_login(world["users"]["comms"])
    html = client.get(f"{INBOX}edit/{answered.pk}/").content.decode()
    assert "Independent oversight" in html and "Asked for a reply" in html
    assert "resident@example.com" not in html


def test_the_item_view_says_when_no_reply_was_asked_for(client, world):
    client.force_login(world["users"]["owner"])
    html = client.get(f"{INBOX}edit/{world['feedback']['cameras'].pk}/").content.decode()
    reply = re.search(r"Asked for a reply</dt>\s*<dd>\s*(\w+)", html)
    assert reply and reply.group(1) == "No"


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
@pytest.mark.parametrize("role", ["owner", "comms"])
def test_export_rows_match_the_filtered_inbox_flagged_ones_included(client, world, answered, role, export_format):
    cameras = world["entries"]["cameras"]
    give_feedback(cameras, comfort="fairly_uncomfortable", comment="[phone number removed] ring me", flagged=True)
    give_feedback(cameras, comfort="very_comfortable", comment="Fine by me")
    client.force_login(world["users"][role])
    filters = {"comfort": "fairly_uncomfortable", "entry": cameras.pk}
    html = client.get(INBOX, filters).content.decode()
    shown = FeedbackSubmission.objects.filter(entry=cameras, comfort="fairly_uncomfortable")
    assert all(submission.comment in html for submission in shown)
    assert "Fine by me" not in html
    rows = exported(client, export_format, **filters)
    assert len(rows) == shown.count() == 2
    assert sorted(row["Comment"] for row in rows) == sorted(submission.comment for submission in shown)
    assert {row["Flagged for personal data"] for row in rows} == {"Yes", "No"}


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_export_gives_labels_in_words_and_local_times_to_the_minute(client, world, answered, export_format):
    client.force_login(world["users"]["owner"])
    rows = exported(client, export_format, entry=world["entries"]["cameras"].pk)
    row = next(row for row in rows if row["Comment"] == "Who checks the footage?")
    assert row["Date"] == "2026-07-01 21:23"
    assert row["Entry"] == label(world["entries"]["cameras"])
    assert row["Comfort"] == "Fairly uncomfortable"
    assert row["Trust"] == "Partly"
    assert row["Would be more comfortable with"] == "Independent oversight; A way to opt out"
    assert row["May be published without a name"] == "Yes"
    assert row["Asked for a reply"] == "Yes"
    assert row["State"] == "New"
    assert row["Flagged for personal data"] == "No"
    assert row["Language"] == "Cymraeg"
    assert "resident@example.com" not in str(rows)
    other = next(row for row in rows if row["Comment"] == "About the cameras")
    assert other["Comfort"] == "Not sure" and other["Asked for a reply"] == "No" and other["Trust"] == ""
    codes = {"not_sure", "fairly_uncomfortable", "partly", "oversight", "opt_out", "True", "False", "new"}
    assert not codes & {value for row in rows for value in row.values()}
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", row["Date"]) for row in rows)


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_export_speaks_the_persons_language(client, world, answered, export_format):
    owner = world["users"]["owner"]
    profile = UserProfile.get_for_user(owner)
    profile.preferred_language = "cy"
    profile.save()
    with translation.override("cy"):
        not_sure = str(Comfort.NOT_SURE.label)
    assert not_sure != "Not sure"
    client.force_login(owner)
    response = client.get(INBOX, {"export": export_format})
    content = b"".join(response.streaming_content)
    if export_format == "csv":
        text = content.decode("utf-8-sig")
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        text = "\n".join(str(value) for row in sheet.iter_rows(values_only=True) for value in row)
    assert not_sure in text
    assert "Not sure" not in text


def test_the_inbox_sorts_by_entry_title(client, world):
    client.force_login(world["users"]["comms"])
    html = client.get(INBOX, {"ordering": "entry__title"}).content.decode()
    assert html.index("About the cameras") < html.index("About the chatbot")
    html = client.get(INBOX, {"ordering": "-entry__title"}).content.decode()
    assert html.index("About the chatbot") < html.index("About the cameras")


def test_page_problems_export_in_words(client, world):
    client.force_login(world["users"]["comms"])
    response = client.get("/admin/feedback/page-problems/", {"export": "csv"})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    found = [(row["Problem"], row["Details"], row["State"]) for row in rows]
    assert found == [("A fact is wrong", "Bristol typo", "New")]
    assert rows[0]["Entry"].startswith("Chatbot (BRS-")
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", rows[0]["Date"])
