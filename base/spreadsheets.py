"""Making what residents typed safe to open in a spreadsheet (CSV and XLSX exports for staff).

Two things go wrong with free text: control characters (a vertical tab, say) that XLSX cannot hold, which
made the whole export fail; and text that a spreadsheet runs as a formula (`=HYPERLINK(...)`, `+`, `-`,
`@`), which OWASP calls CSV injection. Control characters other than tab and newline are dropped, and a
cell that would start a formula gets a leading apostrophe, which spreadsheets show as plain text.
"""

import re

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
