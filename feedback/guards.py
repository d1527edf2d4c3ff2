"""Protection for the public feedback forms: spam checks, rate limits and abuse flags.

Removing personal details from what people type is in base/redaction.py."""

import hashlib
import re
import time

from django.conf import settings
from django.core import signing
from django.core.cache import caches

from base.cache import CacheUnavailable

START_SALT = "feedback.form-start"
DUPLICATE_WINDOW_SECONDS = 5 * 60
RATE_WINDOW_SECONDS = 60 * 60
MAX_BODY_BYTES = 16 * 1024


# ---- the signed start time -----------------------------------------------------------------
def start_token(entry_id):
    """A signed "this form, on this entry, was shown at this time", put in the form.

    Cached pages carry an older one, which is fine up to FEEDBACK_FORM_MAX_AGE; a token taken from one entry's
    page is refused on another, so a bot cannot collect one token and post it everywhere."""
    return signing.dumps([int(time.time()), int(entry_id)], salt=START_SALT)


def seconds_since_start(token, entry_id):
    """How long since the form was shown, or None if the token is missing, forged, too old or another entry's."""
    try:
        started, token_entry = signing.loads(token or "", salt=START_SALT, max_age=settings.FEEDBACK_FORM_MAX_AGE)
        started, token_entry = int(started), int(token_entry)
    except (signing.BadSignature, TypeError, ValueError):  # SignatureExpired is a BadSignature
        return None
    seconds = time.time() - started
    if token_entry != int(entry_id) or seconds > settings.FEEDBACK_FORM_MAX_AGE:
        return None
    return seconds


def sent_too_fast(seconds):
    """True when a form came back sooner after it was shown than a person could fill it in (a bot, most likely).

    The form is shown again with a fresh token, so a person only has to wait a moment and send it again."""
    return seconds < settings.FEEDBACK_MIN_SECONDS_TO_FILL


# ---- rate limits: a salted hash of the address, never the address -----------------------------
def client_key(request):
    # REMOTE_ADDR is the visitor's own address, also behind load balancers (base/proxies.py).
    address = request.META.get("REMOTE_ADDR", "")
    salt = settings.SECRET_KEY + ":feedback-rate"
    return hashlib.sha256(f"{salt}:{address}".encode()).hexdigest()


def _count(store, key):
    store.add(key, 0, timeout=RATE_WINDOW_SECONDS)
    try:
        return store.incr(key)
    except ValueError:  # expired between add and incr
        store.set(key, 1, timeout=RATE_WINDOW_SECONDS)
        return 1


def rate_limited(request):
    """Count this post; True once the client has sent more than the limit within the window.

    Counted in the shared cache (Redis in production). While Redis cannot be reached, each server process counts
    in its own memory instead: the limit still holds per process, so it is looser, never off (README "Redis")."""
    key = f"feedback-rate:{client_key(request)}"
    try:
        count = _count(caches["default"], key)
    except CacheUnavailable:
        count = _count(caches["local"], key)
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
