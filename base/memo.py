"""What every page repeats, remembered in each process's memory between requests: the site a host name
belongs to, the page an address leads to, the menus, the branding, the glossary.

Each remembered value belongs to the content generation it was worked out in (base.page_cache): publishing,
unpublishing, moving or deleting a page, or changing a council, a term, the branding or a site, starts a new
generation once the change is committed, and from the next request on every process works the values out
afresh. Each request reads the generation from the shared cache once; without it (Redis away) nothing is
remembered and every value is worked out as if there were no memo.

Values are kept pickled and every request gets its own copy, so a page object one request changes (the
attributes a view sets on it) is never seen by another request running in another thread of the process.

On with SITE_MEMO (by default when REDIS_URL is set, as every process must see the same generation).
Values also expire after MEMO_SECONDS, so a change made outside the admin's signals shows within that time.
"""

import logging
import pickle
import threading
import time

from django.conf import settings

from base import page_cache

logger = logging.getLogger(__name__)

# Past either limit the memo starts again empty (a register's page of results is about 75 KB pickled).
MAX_VALUES = 5000
MAX_BYTES = 64 * 1024 * 1024
_values = {}  # key: (generation, expires at, pickled value)
_size = {"bytes": 0}
_lock = threading.Lock()
# Values every request reads as they are (shared()): key -> (generation, expires at, value).
MAX_SHARED = 200
_shared = {}


def enabled():
    return bool(getattr(settings, "SITE_MEMO", False))


def available(request):
    """True when values can be remembered for this request: the memo is on and the generation is known."""
    return request is not None and enabled() and page_cache.generation(request) is not None


def remember(request, key, compute, seconds=None, keep=None):
    """compute(), or a copy of what it returned for the same key in this content generation, for at most
    ``seconds`` (MEMO_SECONDS unless given: shorter for what changes without a new generation, such as counts
    of feedback). A value for which ``keep(value)`` is false is not remembered (an outage's answer)."""
    if request is None or not enabled():
        return compute()
    generation = page_cache.generation(request)
    if generation is None:
        return compute()
    now = time.monotonic()
    found = _values.get(key)
    if found is not None and found[0] == generation and found[1] > now:
        return pickle.loads(found[2])  # noqa: S301 (pickled by this process, from its own objects)
    value = compute()
    if keep is not None and not keep(value):
        return value
    try:
        pickled = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError):
        logger.warning("Not remembered: %r cannot be pickled", key[0])
        return value
    lifetime = int(getattr(settings, "MEMO_SECONDS", 300)) if seconds is None else seconds
    with _lock:
        if len(_values) >= MAX_VALUES or _size["bytes"] + len(pickled) > MAX_BYTES:
            _values.clear()
            _size["bytes"] = 0
        replaced = _values.get(key)
        _size["bytes"] += len(pickled) - (len(replaced[2]) if replaced else 0)
        _values[key] = (generation, now + lifetime, pickled)
    return value


def shared(request, key, compute, seconds=None):
    """compute(), or the very object it returned for the same key in this content generation: not a copy.

    Only for values no caller changes (tuples, frozensets, dictionaries that are only read), large ones
    that would cost more to copy than to share, such as the facts of every entry in a register. Without
    the memo, compute() every time, as remember() does."""
    if not available(request):
        return compute()
    generation = page_cache.generation(request)
    now = time.monotonic()
    found = _shared.get(key)
    if found is not None and found[0] == generation and found[1] > now:
        return found[2]
    value = compute()
    lifetime = int(getattr(settings, "MEMO_SECONDS", 300)) if seconds is None else seconds
    with _lock:
        if len(_shared) >= MAX_SHARED and key not in _shared:
            _shared.clear()
        _shared[key] = (generation, now + lifetime, value)
    return value


class Kept:
    """Values made one by one (a card per entry, suggestions per letters typed), read and added to by every
    request of the process; past ``limit`` values it starts again empty."""

    def __init__(self, limit):
        self.limit = limit
        self._values = {}

    def get(self, key):
        return self._values.get(key)

    def update(self, made):
        with _lock:
            if len(self._values) + len(made) > self.limit:
                self._values.clear()
            self._values.update(made)


def kept(request, key, limit):
    """The Kept values for ``key`` in this content generation, or None without the memo (make every value)."""
    if not available(request):
        return None
    return shared(request, key, lambda: Kept(limit))


def forget_all():
    """Empty this process's memo (tests; the generation makes it unnecessary in the running site)."""
    with _lock:
        _values.clear()
        _size["bytes"] = 0
        _shared.clear()
