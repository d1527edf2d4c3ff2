"""Removing personal details people type by mistake (email addresses, phone and card numbers, postcodes).

People disguise details without meaning to hide them from us ("jane dot doe at example dot com", a phone
number in brackets or typed digit by digit), so the patterns allow the usual disguises. They are kept narrow
enough to leave years, dates, times, prices and reference numbers such as DU-BRS-0012 alone.
"""

import re

from django.core.exceptions import SuspiciousOperation
from django.utils.html import strip_tags

from .text import remove_unsafe_characters

# Spaces within one line: a detail split over two lines is not one detail.
SPACE = r"[^\S\n]"

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")

# "jane.doe [at] example [dot] com", "jane dot doe at example dot com", "jane at example.com", "jane @ x.com".
_AT = rf"(?:{SPACE}*@{SPACE}*|{SPACE}*[\[({{]{SPACE}*at{SPACE}*[\])}}]{SPACE}*|{SPACE}+at{SPACE}+)"
_DOT = rf"(?:\.|{SPACE}*[\[({{]{SPACE}*dot{SPACE}*[\])}}]{SPACE}*|{SPACE}+dot{SPACE}+)"
DISGUISED_EMAIL = re.compile(
    rf"(?<![\w.+-])[\w+-]+(?:{_DOT}[\w+-]+)*{_AT}[^\W_][\w-]*(?:{_DOT}[^\W_][\w-]*)+\b", re.IGNORECASE
)
# Words that come before a plain " at " in ordinary sentences ("I looked at bristol.gov.uk"): not names.
_WORDS_BEFORE_AT_TEXT = """
    look looked looking looks see seen saw visit visited visiting go went going arrive arrived online available
    published posted listed shown found here there it is are was were be been me us them him her you everyone
    people anyone someone nobody staff directly already only just also even still all and or but not aimed
    angry upset shocked surprised good bad site website page details information"""
WORDS_BEFORE_AT = frozenset(_WORDS_BEFORE_AT_TEXT.split())
# A spoken "at" or "dot" must end like a real address, or "meet at nine dot thirty" and "we met at home.then"
# would go.
_COMMON_TOP_LEVEL_DOMAINS_TEXT = "com org net uk gov co ac nhs edu io info wales cymru scot eu biz ie"
COMMON_TOP_LEVEL_DOMAINS = frozenset(_COMMON_TOP_LEVEL_DOMAINS_TEXT.split())

CARD = re.compile(r"\b(?:\d[ \u00a0-]?){12,18}\d\b")
# Broader than HMRC's letter rules on purpose: people also type the QQ 12 34 56 C example format, and
# space or hyphenate it however they like.
NI_NUMBER = re.compile(r"\b[A-Z][ \u00a0-]?[A-Z](?:[ \u00a0-]?\d){6}[ \u00a0-]?[A-D]\b", re.IGNORECASE)

# A UK number: +44 or 0044 then 9 to 11 digits (a trunk "(0)" may be kept), or 0 then 9 or 10 more digits;
# the digits may be split by spaces, one hyphen or brackets: "(0117) 496 0123", "0 7 7 0 0 9 0 0 1 2 3".
# It must not run on from other digits (a decimal, a longer number), so "01 02 2024" and "0930" stay.
_DIGIT_SEP = rf"{SPACE}*[-()]?{SPACE}*"
UK_PHONE = re.compile(
    rf"(?:(?<![\w+])\+|(?<![\w+])00){SPACE}*44(?:{_DIGIT_SEP}\d){{9,11}}(?!\d)"
    rf"|(?<![\w+(])(?<!\d{SPACE})(?<!\d[-.,/:])\(?0(?:{_DIGIT_SEP}\d){{9,10}}(?!\d)"
)
POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}\b", re.IGNORECASE)


# Each pass removes at least one detail, and a comment is short: this bound is never reached in practice.
MAX_PASSES = 20


def _luhn_valid(match):
    digits = re.sub(r"\D", "", match.group())
    total = 0
    for index, digit in enumerate(reversed(digits)):
        value = int(digit)
        if index % 2:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def _looks_like_an_address(match):
    """A disguised address, not a sentence: a name before a spoken "at", a real ending after a spoken "dot"."""
    text = match.group()
    spoken_at = re.search(rf"{SPACE}at{SPACE}", text, re.IGNORECASE) and not re.search(r"[@\[({]", text)
    if spoken_at and text.split()[0].casefold() in WORDS_BEFORE_AT:
        return False
    ending = re.split(rf"\.|{SPACE}dot{SPACE}|[\])}}]", text, flags=re.IGNORECASE)[-1].strip()
    if spoken_at or re.search(rf"{SPACE}dot{SPACE}", text, re.IGNORECASE):
        return ending.casefold() in COMMON_TOP_LEVEL_DOMAINS
    return ending.isalpha() and len(ending) >= 2


# (pattern, label, check): a match is removed only if the check (when there is one) says it is real.
REDACTIONS = [
    (EMAIL, "[email address removed]", None),
    (DISGUISED_EMAIL, "[email address removed]", _looks_like_an_address),
    (CARD, "[card number removed]", _luhn_valid),
    (NI_NUMBER, "[National Insurance number removed]", None),
    (UK_PHONE, "[phone number removed]", None),
    (POSTCODE, "[postcode removed]", None),
]


def redact(text):
    """Remove personal details people often type by mistake. Returns (clean text, whether anything was removed).

    A detail is looked for where it does not run on from other digits, so the second of two numbers typed
    side by side is only seen once the first has gone: passes repeat until nothing more is found.
    """
    found = False
    for _ in range(MAX_PASSES):
        removed = 0

        def replace(label, check):
            def _sub(match):
                nonlocal removed
                if check is not None and not check(match):
                    return match.group()
                removed += 1
                return label

            return _sub

        for pattern, label, check in REDACTIONS:
            text = pattern.sub(replace(label, check), text)
        if not removed:
            break
        found = True
    return text, found


def clean_text(text):
    """Plain text only: tags and unsafe characters removed, whitespace tidied, personal details redacted."""
    # Unsafe characters go first: "<\x00script>" must not become a tag once the NUL has gone.
    text = remove_unsafe_characters(text)
    try:
        text = strip_tags(text)
    except SuspiciousOperation:
        # Django refuses to untangle very many unclosed tags ("<a <a <a ..."); without angle brackets there
        # can be no tag at all, and the person still gets their comment saved rather than an error page.
        text = text.replace("<", "").replace(">", "")
    text = text.strip()
    text = re.sub(r" +", " ", text)
    text = re.sub(r" *\n *", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return redact(text)
