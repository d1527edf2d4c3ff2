"""Making free text from the public safe to keep: invisible control and text-direction characters removed.

A control character (NUL, a vertical tab, an escape) has no place in a comment: PostgreSQL refuses NUL, XLSX
cannot hold most of them and a terminal may act on them. The bidirectional overrides and isolates, and the
invisible direction marks, make text display in a different order from the one it is stored in (the
"Trojan Source" trick), so a comment could read differently to staff from what it says. The joiners that
Urdu, Persian and emoji need (U+200C, U+200D) are kept.
"""

import re
import unicodedata

# C0 controls other than tab and newline, DEL and the C1 controls (Unicode category Cc). Carriage returns
# are turned into newlines first, so they are not lost as line breaks.
CONTROL_CHARACTERS = "\x00-\x08\x0b-\x1f\x7f-\x9f"
# Left-to-right and right-to-left marks, the Arabic letter mark, embeddings and overrides, isolates.
DIRECTION_CHARACTERS = "\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069"
# Zero-width space, word joiner and byte order mark: invisible, and used to slip words past a filter.
INVISIBLE_CHARACTERS = "\u200b\u2060\ufeff"
UNSAFE_CHARACTERS = re.compile(f"[{CONTROL_CHARACTERS}{DIRECTION_CHARACTERS}{INVISIBLE_CHARACTERS}]")
LINE_BREAKS = re.compile("\r\n|[\r\u2028\u2029\x85\x0b\x0c]")


def remove_unsafe_characters(text):
    """The text in NFC with line breaks as "\\n", tabs as spaces, and no control or direction characters."""
    if not text:
        return ""
    text = LINE_BREAKS.sub("\n", text)
    text = text.replace("\t", " ")
    text = UNSAFE_CHARACTERS.sub("", text)
    return unicodedata.normalize("NFC", text)


def has_unsafe_characters(text):
    return bool(UNSAFE_CHARACTERS.search(text or ""))
