"""Making what residents typed safe to open in a spreadsheet (CSV and XLSX exports for staff).

Two things go wrong with free text: control characters (a vertical tab, say) that XLSX cannot hold, which
made the whole export fail; and text that a spreadsheet runs as a formula (`=HYPERLINK(...)`, `+`, `-`,
`@`), which OWASP calls CSV injection. Control characters other than tab and newline are dropped, and a
cell that would start a formula gets a leading apostrophe, which spreadsheets show as plain text.

plain_cell also puts values into words a reader expects: Yes or No, local time to the minute, lists joined.
"""

import datetime
import re

from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.translation import gettext

# C0 controls except tab, newline and carriage return; DEL and the C1 controls; the Unicode bidirectional
# overrides and isolates, which can make a cell read differently from what it holds.
UNSAFE_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """The value as a spreadsheet should get it: strings cleaned and never read as a formula."""
    if not isinstance(value, str):
        return value
    value = UNSAFE_CHARACTERS.sub("", value)
    if value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def plain_cell(value):
    """The value as a person should read it in a cell: Yes or No for booleans, a local date and time to the
    minute ("2026-12-01 21:23"), lists joined with semicolons, nothing for None; then made safe (safe_cell).
    Words are in the active language, times in the current time zone."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return safe_cell("; ".join(force_str(plain_cell(item)) for item in value))
    if isinstance(value, (int, float)):
        return value
    return safe_cell(force_str(value))
