"""Protection for the public feedback forms: spam checks, rate limits and abuse flags.

Removing personal details from what people type is in base/redaction.py."""

import hashlib
import re
import time

from django.conf import settings
from django.core import signing
from django.core.cache import cache

START_SALT = "feedback.form-start"
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


# A short, deliberately plain list: a match only flags the comment for a person to look at.
ABUSIVE_WORDS = re.compile(
    r"\b(?:fuck\w*|shit\w*|cunt\w*|bastard\w*|wanker\w*|twat\w*|bitch\w*|kill (?:you|them|yourself))\b",
    re.IGNORECASE,
)


def looks_abusive(text):
    return bool(ABUSIVE_WORDS.search(text or ""))
