"""What a hostile or careless visitor might send, and how to tell whether a page echoed it unescaped."""

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# Every payload carries the marker "xq7", so whatever reaches a page unescaped is easy to spot.
HTML_PAYLOADS = [
    "<script>xq7()</script>",
    '"><img src=x onerror=xq7()>',
    "'><svg onload=xq7()>",
    '" autofocus onfocus="xq7()',
    "' autofocus onfocus='xq7()",
    "</textarea><xq7>",
    "</title><xq7>",
    "<!--<xq7>-->",
    "<<xq7>script>",
    "<\x00xq7>",
    "{{ xq7 }}{% xq7 %}",
    "javascript:xq7()",
]
# What would only be in a page if a payload had been put into it unescaped.
RAW_MARKERS = ["<script>xq7", "<img src=x onerror", "<svg onload", 'onfocus="xq7', "onfocus='xq7", "<xq7"]
SQL_PAYLOADS = ["'; DROP TABLE wagtailcore_page; --", "1 OR 1=1", "%' OR '1'='1", "\\", "%", "_", "' UNION SELECT 1--"]
FORMULA_PAYLOADS = ['=HYPERLINK("http://evil.example","xq7")', "+1+cmd|' /C calc'!A0", "@SUM(1+1)", "-2+3", "\t=1+1"]
CHARACTERS = ["\x00", "\x01", "\x0b", "\x1b[31m", "\x7f", "\x85", "\r\n", "\r", "\u202e", "\u2066", "\u200f", "\ufeff"]
LONG = ["x" * 5000, "<" * 3000, "<a " * 400, "%" * 2000, "\u2603" * 1000, "0117 496 0123 " * 100]

payloads = st.sampled_from(HTML_PAYLOADS + SQL_PAYLOADS + FORMULA_PAYLOADS + CHARACTERS)
hostile_text = st.one_of(
    st.text(max_size=40),
    payloads,
    st.sampled_from(LONG),
    st.lists(st.one_of(payloads, st.text(max_size=10)), min_size=1, max_size=6).map("".join),
)


def few(examples):
    """Hypothesis settings for tests that make requests: a few examples, no deadline, no example database."""
    return settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


def assert_escaped(response):
    """Nothing that reached the page can run: every payload appears only escaped."""
    if "html" not in response.get("Content-Type", ""):
        return
    html = response.content.decode("utf-8", "replace")
    for marker in RAW_MARKERS:
        assert marker not in html, f"{marker!r} reached the page unescaped"
