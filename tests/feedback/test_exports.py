"""Feedback exports open cleanly and run nothing, whatever a resident typed into a comment."""

import csv
import io

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from base.spreadsheets import safe_cell
from tests.feedback.conftest import give_feedback

pytestmark = pytest.mark.django_db

INBOX = "/admin/feedback/inbox/"
HOSTILE = [
    '=HYPERLINK("http://evil.example","Click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)",
    "\t=1+1",
    "A vertical\x0btab and a \x01start-of-heading",
    "Right-to-left \u202eoverride",
]


def exported_comments(client, export_format):
    response = client.get(INBOX, {"export": export_format})
    assert response.status_code == 200
    if export_format == "csv":
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        return [row["Comment"] for row in csv.DictReader(io.StringIO(text))]
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    column = rows[0].index("Comment")
    return [row[column] for row in rows[1:]]


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_hostile_comments_export_as_plain_text_and_the_export_still_opens(client, world, export_format):
    for comment in HOSTILE:
        give_feedback(world["entries"]["cameras"], comment=comment)
    client.force_login(world["users"]["comms"])
    comments = exported_comments(client, export_format)
    for comment in HOSTILE:
        assert safe_cell(comment) in comments
    assert '\'=HYPERLINK("http://evil.example","Click")' in comments
    assert "A verticaltab and a start-of-heading" in comments
    assert not any(c and c[0] in "=+-@\t" for c in comments)


@given(st.text())
def test_any_text_is_a_plain_string_cell_that_xlsx_can_hold(text):
    cell = safe_cell(text)
    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
    workbook = openpyxl.Workbook()
    workbook.active.append([cell])  # raises IllegalCharacterError for what XLSX cannot hold
    assert workbook.active["A1"].data_type == "s" or cell == ""
