"""Protection for the public feedback forms: spam checks, rate limits and removing personal details."""

import hashlib
import re
import time

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.utils.html import strip_tags

START_SALT = "feedback.form-start"
MIN_SECONDS_TO_FILL = 3
DUPLICATE_WINDOW_SECONDS = 5 * 60
RATE_WINDOW_SECONDS = 60 * 60
MAX_BODY_BYTES = 16 * 1024


# ---- the signed start time -----------------------------------------------------------------
def start_token():
    """A signed timestamp put in the form; cached pages carry an older one, which is fine."""
    return signing.dumps(int(time.time()), salt=START_SALT)


def seconds_since_start(token):
    """How long since the form was shown, or None if the token is missing or forged."""
    try:
        started = signing.loads(token or "", salt=START_SALT)
    except signing.BadSignature:
        return None
    return time.time() - int(started)


# ---- rate limits: a salted hash of the address, never the address -----------------------------
def client_key(request):
    address = request.META.get("REMOTE_ADDR", "")
    salt = settings.SECRET_KEY + ":feedback-rate"
    return hashlib.sha256(f"{salt}:{address}".encode()).hexdigest()


def rate_limited(request):
    """Count this attempt; True once the client has sent more than the limit within the window."""
    key = f"feedback-rate:{client_key(request)}"
    cache.add(key, 0, timeout=RATE_WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=RATE_WINDOW_SECONDS)
        count = 1
    return count > settings.FEEDBACK_RATE_LIMIT


# ---- duplicates ------------------------------------------------------------------------------
def dedupe_key(*parts, now=None):
    """Same answers from the same client in the same five-minute window give the same key."""
    window = int((now or time.time()) // DUPLICATE_WINDOW_SECONDS)
    text = "\x1f".join(str(p) for p in parts) + f"\x1f{window}"
    return hashlib.sha256(text.encode()).hexdigest()


# ---- personal details in free text -------------------------------------------------------------
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


# A short, deliberately plain list: a match only flags the comment for a person to look at.
ABUSIVE_WORDS = re.compile(
    r"\b(?:fuck\w*|shit\w*|cunt\w*|bastard\w*|wanker\w*|twat\w*|bitch\w*|kill (?:you|them|yourself))\b",
    re.IGNORECASE,
)


def looks_abusive(text):
    return bool(ABUSIVE_WORDS.search(text or ""))
