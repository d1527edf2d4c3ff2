"""Personal details are removed from what people type, in the forms people really type them, and ordinary
text (years, dates, times, prices, reference numbers) is left alone."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from base.redaction import clean_text, redact
from base.text import has_unsafe_characters, remove_unsafe_characters

EMAIL = "[email address removed]"
PHONE = "[phone number removed]"
CARD = "[card number removed]"
NI = "[National Insurance number removed]"
POSTCODE = "[postcode removed]"


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("Email jo.bloggs+x@example.co.uk please", f"Email {EMAIL} please"),
        ("Write to jane @ example.com", f"Write to {EMAIL}"),
        ("jane dot doe at example dot com", EMAIL),
        ("Jane Dot Doe At Example Dot Co Dot Uk", EMAIL),
        ("jane.doe [at] example [dot] com", EMAIL),
        ("jane.doe(at)example(dot)org", EMAIL),
        ("jane at example.com", EMAIL),
        ("Ring (0117) 496 0123 after six", f"Ring {PHONE} after six"),
        ("0 7 7 0 0 9 0 0 1 2 3", PHONE),
        ("+44 (0)117 496 0123", PHONE),
        ("0044 117 496 0123", PHONE),
        ("0117-496-0123", PHONE),
        ("07700 900 123", PHONE),
        ("Call +44 7700 900123.", f"Call {PHONE}."),
        ("Tel:01174960123", f"Tel:{PHONE}"),
        ("Ring 0117 496 0123 0117 496 0124", f"Ring {PHONE} {PHONE}"),
        ("Card 4111 1111 1111 1111 was used", f"Card {CARD} was used"),
        ("Card 4111-1111-1111-1111", f"Card {CARD}"),
        ("My NI is QQ 12 34 56 C", f"My NI is {NI}"),
        ("my ni is qq-12-34-56-c", f"my ni is {NI}"),
        ("QQ123456C", NI),
        ("I live at BS1 5TR near the park", f"I live at {POSTCODE} near the park"),
    ],
)
def test_personal_details_are_removed(typed, kept):
    assert redact(typed) == (kept, True)


@pytest.mark.parametrize(
    "text",
    [
        "It started in 2019 and ran until 2021.",
        "On 01/02/2024 at 10:30, and again on 2024-03-15 at 09.45.",
        "From 01 02 2024 to 28 02 2024",
        "It costs £1,250.00 a year, 12.5% more than before.",
        "Entry DU-BRS-0012 and BRS-0007 say different things.",
        "Reference 1234 5678 9012 3456 is not a card",
        "Open 9am-5pm, 0900-1700, Monday to Friday.",
        "Between 0 and 10 people, about 0.5%.",
        "I looked at bristol.gov.uk and it was at www.example.com too.",
        "We met at home.then we left",
        "Meet at nine dot thirty",
        "Section 3.2.1 of the policy",
        "Phone 0117 496",
        "Case number 12345678901",
    ],
)
def test_ordinary_text_is_left_alone(text):
    assert redact(text) == (text, False)


def test_clean_text_removes_tags_and_unsafe_characters_and_tidies_lines():
    typed = "<b>Bold</b>\x00 worry\r\nsecond\u202e line\t\there\x0b\x1b[31m\n\n\n\nend"
    assert clean_text(typed) == ("Bold worry\nsecond line here\n[31m\n\nend", False)


def test_a_nul_cannot_hide_a_tag():
    assert clean_text("<\x00script>alert(1)</script>") == ("alert(1)", False)


def test_many_unclosed_tags_are_kept_as_text_without_angle_brackets():
    text, _found = clean_text("<a " * 60 + ">")
    assert "<" not in text and ">" not in text


def test_joiners_that_urdu_and_emoji_need_are_kept():
    text = "\u0645\u06cc\u200c\u06ba \U0001f469\u200d\U0001f4bb"
    assert remove_unsafe_characters(text) == text


HOSTILE_CHARACTERS = st.sampled_from(
    ["\x00", "\x0b", "\x1b", "\x7f", "\x85", "\r", "\r\n", "\t", "\u202e", "\u2066", "\u200f", "\ufeff", "<", ">"]
)
DETAIL_PIECES = st.sampled_from(
    ["0117 496 0123", "(0117)", " at ", " dot ", "@", ".", "[at]", "[dot]", "jane", "com", "QQ", "12 34 56 C", "4111"]
)
TEXT = st.lists(st.one_of(st.text(max_size=20), HOSTILE_CHARACTERS, DETAIL_PIECES), max_size=30).map("".join)
PROPERTY = settings(max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(TEXT)
def test_redaction_never_raises_and_is_idempotent(text):
    once, _found = redact(text)
    assert redact(once) == (once, False)


@PROPERTY
@given(TEXT)
def test_clean_text_leaves_nothing_unsafe_and_is_idempotent(text):
    once, _found = clean_text(text)
    assert not has_unsafe_characters(once)
    assert "\r" not in once and "\t" not in once
    assert clean_text(once) == (once, False)
