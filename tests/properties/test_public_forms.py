"""Property tests for the two public forms on every entry (feedback and "is something wrong?"), in English
and Welsh: whatever is posted, no server error, nothing unescaped on the page, nothing unsafe stored, and
whatever was stored reads safely in the admin and opens cleanly in the CSV and XLSX exports."""

import csv
import io
from urllib.parse import urlencode

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from hypothesis import example, given
from hypothesis import strategies as st

from base.redaction import clean_text
from base.spreadsheets import safe_cell
from base.text import has_unsafe_characters
from feedback.models import FeedbackSubmission, PageProblemReport, ReplyContact
from tests.factories import started_token
from tests.properties.strategies import RAW_MARKERS, assert_escaped, few, hostile_text

pytestmark = pytest.mark.django_db

INBOX = "/admin/feedback/inbox/"
PROBLEMS = "/admin/feedback/page-problems/"

COMFORT = ["very_comfortable", "fairly_comfortable", "not_sure", "fairly_uncomfortable", "very_uncomfortable"]
TRUST = ["yes", "partly", "no", "not_sure", ""]
CONDITIONS = ["oversight", "shorter_retention", "nothing"]
# Not a tag, so it is kept as typed, and the admin must escape it.
TEXT_THAT_LOOKS_LIKE_HTML = "If 5 < 6 then \"quotes\" & 'apostrophes' <xq7 onfocus='xq7()'"
KINDS = ["wrong", "unclear", "out_of_date", "other"]


def choice(known):
    """Mostly a real option (so the form is often saved), sometimes anything at all."""
    return st.sampled_from(known) | hostile_text


def field(name, value_strategy):
    """One field's pairs: usually once, sometimes missing, sometimes repeated."""
    return st.lists(value_strategy, max_size=3).map(lambda values: [(name, value) for value in values])


started = st.just("fresh") | st.sampled_from(["", "forged", "fresh:tampered"]) | hostile_text
website = st.just("") | hostile_text
email = st.sampled_from(["", "resident@example.com", "a@b.co"]) | hostile_text


def form(*fields):
    """The fields in any order, as an urlencoded body; "fresh" start tokens are made at post time."""
    return st.tuples(*fields).map(lambda groups: [pair for group in groups for pair in group]).flatmap(st.permutations)


# Half the examples are a proper answer with hostile free text (so plenty is saved and can be checked in the
# admin); the other half are anything at all, in any order, with fields missing or repeated.
valid_feedback = st.fixed_dictionaries(
    {
        "comfort": st.sampled_from(COMFORT),
        "trust": st.sampled_from(TRUST),
        "conditions": st.lists(st.sampled_from(CONDITIONS[:2]), unique=True),
        "comment": hostile_text,
        "publish_consent": st.sampled_from(["on", ""]),
        "email": st.sampled_from(["", "resident@example.com"]),
    }
).map(lambda answers: [*answers.items(), ("started", "fresh"), ("website", "")])
feedback_forms = valid_feedback.map(lambda pairs: [(k, v) for k, values in pairs for v in _listed(values)]) | form(
    field("comfort", choice(COMFORT)),
    field("trust", choice(TRUST)),
    field("conditions", choice(CONDITIONS)),
    field("comment", hostile_text),
    field("publish_consent", st.sampled_from(["on", "", "false"]) | hostile_text),
    field("email", email),
    field("started", started),
    field("website", website),
)
valid_problem = st.tuples(st.sampled_from(KINDS), hostile_text).map(
    lambda answers: [("kind", answers[0]), ("details", answers[1]), ("started", "fresh"), ("website", "")]
)
problem_forms = valid_problem | form(
    field("kind", choice(KINDS)),
    field("details", hostile_text),
    field("started", started),
    field("website", website),
)


def _listed(value):
    return value if isinstance(value, list) else [value]


def post(client, url, entry, pairs):
    token = started_token(entry)
    pairs = [(key, token if value == "fresh" else value.replace("fresh", token)) for key, value in pairs]
    body = urlencode(pairs)
    return client.post(url, body, content_type="application/x-www-form-urlencoded", REMOTE_ADDR="192.0.2.1")


def assert_stored_safely(text):
    assert "\x00" not in text
    assert not has_unsafe_characters(text)
    assert clean_text(text) == (text, False), "stored text would change if cleaned again"


def exported(client, url, column):
    """Each format's column values; both files must open."""
    columns = {}
    for export_format in ("csv", "xlsx"):
        response = client.get(url, {"export": export_format, "include_flagged": "1"})
        assert response.status_code == 200
        content = b"".join(response.streaming_content)
        if export_format == "csv":
            rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
            columns["csv"] = [row[column] for row in rows]
        else:
            rows = list(openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
            index = rows[0].index(column)
            columns["xlsx"] = [row[index] or "" for row in rows[1:]]
    return columns


def assert_admin_shows_escaped(client, url, texts, column):
    client.force_login(get_user_model().objects.create_superuser("inbox-reader", password="x"))
    page = 1
    while True:
        response = client.get(url, {"p": page})
        assert response.status_code == 200
        html = response.content.decode()
        for marker in RAW_MARKERS:
            assert marker not in html
        if f"p={page + 1}" not in html:
            break
        page += 1
    for export_format, values in exported(client, url, column).items():
        assert sorted(values) == sorted(safe_cell(text) for text in texts), export_format
        assert not any(value.startswith(("=", "+", "-", "@", "\t", "\r")) for value in values)


@pytest.mark.parametrize("language", ["english", "welsh"])
def test_feedback_form_takes_anything_and_stores_only_clean_text(client, site, clear_cache, language):
    entry = site[language]["entry"]
    url = f"/cy/feedback/{entry.pk}/" if language == "welsh" else f"/feedback/{entry.pk}/"

    @few(40)
    @given(pairs=feedback_forms)
    @example(pairs=[("comfort", "not_sure"), ("comment", TEXT_THAT_LOOKS_LIKE_HTML), ("started", "fresh")])
    def send(pairs):
        clear_cache()
        response = post(client, url, entry, pairs)
        assert response.status_code in (302, 400, 413), response.status_code
        assert_escaped(response)

    send()
    submissions = list(FeedbackSubmission.objects.all())
    assert submissions, "no example was saved: the strategy should often give a valid form"
    for submission in submissions:
        assert_stored_safely(submission.comment)
    assert TEXT_THAT_LOOKS_LIKE_HTML in [s.comment for s in submissions]
    for contact in ReplyContact.objects.all():
        assert not has_unsafe_characters(contact.email) and "@" in contact.email
    assert_admin_shows_escaped(client, INBOX, [s.comment for s in submissions], "Comment")


@pytest.mark.parametrize("language", ["english", "welsh"])
def test_problem_form_takes_anything_and_stores_only_clean_text(client, site, clear_cache, language):
    entry = site[language]["entry"]
    url = f"/cy/feedback/{entry.pk}/problem/" if language == "welsh" else f"/feedback/{entry.pk}/problem/"

    @few(30)
    @given(pairs=problem_forms)
    @example(pairs=[("kind", "wrong"), ("details", TEXT_THAT_LOOKS_LIKE_HTML), ("started", "fresh")])
    def send(pairs):
        clear_cache()
        response = post(client, url, entry, pairs)
        assert response.status_code in (302, 400, 413), response.status_code
        assert_escaped(response)

    send()
    reports = list(PageProblemReport.objects.all())
    assert reports, "no example was saved: the strategy should often give a valid form"
    for report in reports:
        assert_stored_safely(report.details)
    assert TEXT_THAT_LOOKS_LIKE_HTML in [r.details for r in reports]
    assert_admin_shows_escaped(client, PROBLEMS, [r.details for r in reports], "Details")


@pytest.mark.parametrize(
    ("comment", "stored"),
    [
        ("Null\x00 byte", "Null byte"),
        ("Right-to-left \u202eoverride and \u2066isolate\u2069", "Right-to-left override and isolate"),
        ("Bell\x07 escape\x1b[31m and DEL\x7f", "Bell escape[31m and DEL"),
        ("Windows\r\nline\rbreaks\tand tabs", "Windows\nline\nbreaks and tabs"),
        ("<\x00script>xq7()</script>", "xq7()"),
    ],
)
def test_control_and_direction_characters_are_removed_before_saving(client, site, comment, stored):
    entry = site["english"]["entry"]
    pairs = [("comfort", "not_sure"), ("comment", comment), ("started", "fresh")]
    response = post(client, f"/feedback/{entry.pk}/", entry, pairs)
    assert response.status_code == 302
    assert FeedbackSubmission.objects.get().comment == stored
