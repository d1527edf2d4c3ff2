"""Removing personal details people type by mistake (email addresses, phone and card numbers, postcodes)."""

import re

from django.utils.html import strip_tags

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
CARD = re.compile(r"\b(?:\d[ -]?){12,18}\d\b")
# Broader than HMRC's letter rules on purpose: people also type the QQ 12 34 56 C example format.
NI_NUMBER = re.compile(r"\b[A-Z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b", re.IGNORECASE)
UK_PHONE = re.compile(r"(?:(?:\+|\b00)44[\s-]?(?:\(0\))?[\s-]?|\b0)\d(?:[\s-]?\d){8,9}\b")
POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}\b", re.IGNORECASE)

REDACTIONS = [
    (EMAIL, "[email address removed]"),
    (CARD, "[card number removed]"),
    (NI_NUMBER, "[National Insurance number removed]"),
    (UK_PHONE, "[phone number removed]"),
    (POSTCODE, "[postcode removed]"),
]


def _luhn_valid(digits):
    total = 0
    for index, digit in enumerate(reversed(digits)):
        value = int(digit)
        if index % 2:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def redact(text):
    """Remove personal details people often type by mistake. Returns (clean text, whether anything was removed)."""
    found = False

    def replace(label):
        def _sub(match):
            nonlocal found
            if label.startswith("[card"):
                digits = re.sub(r"\D", "", match.group())
                if not _luhn_valid(digits):
                    return match.group()
            found = True
            return label

        return _sub

    for pattern, label in REDACTIONS:
        text = pattern.sub(replace(label), text)
    return text, found


def clean_text(text):
    """Plain text only: tags removed, whitespace tidied, personal details redacted."""
    text = strip_tags(text or "").replace("\r\n", "\n").strip()
    text = re.sub(r"[ \t]+", " ", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return redact(text)
