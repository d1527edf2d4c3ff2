"""The page cache: public pages as an anonymous visitor sees them, kept in the shared cache (Redis) and sent
again without touching the database, until anything they show is published, changed or removed.

What is kept, and for whom:
- only GET requests that carry none of the site's own cookies (signed-in staff, a chosen language, a pending
  message): their pages differ, so they are neither read from nor written to the cache;
- only answers a view did not mark private or no-cache, that set no cookie, with status 200, 301 or 302;
- one copy per address, host, scheme, compression and, for English addresses, the language the browser
  prefers (an unprefixed page may redirect to the visitor's language: home.middleware).

Nothing is looked up one page at a time to purge it: every kept page records the generation it was built
in, and purge() starts a new one, so the next request to any page is built afresh. Callers purge after their
transaction commits, so a page built from the old rows can only be kept under the generation that is already
gone. A request reads the current generation and its page in one round trip to the cache (get_many, one
MGET on Redis) and uses the page only if the two match.

Every public answer gets a Cache-Control header: "public, max-age=0, s-maxage=N" for what may be kept (a
CDN or proxy keeps it N seconds; browsers ask again each time), "private, no-cache" for what may not.
"""

import hashlib
import io
import logging
import time

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import SuspiciousOperation
from django.core.handlers.asgi import ASGIRequest
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language_from_path, get_language_from_request

from .proxies import TrustedProxyMiddleware

logger = logging.getLogger(__name__)

GENERATION_KEY = "page-cache:generation"
HEADER = "X-Page-Cache"
KEPT_STATUSES = (200, 301, 302)
# Response headers not kept (a response that sets a cookie is not kept at all). The security headers are
# kept: they are the same for every visitor of an address, and the middleware that adds them does not run
# for a kept page.
NOT_KEPT = {"set-cookie"}
# Views that must always run: searches are counted, forms carry state, health checks look at the services.
SKIPPED_ADDRESSES = {"/search/", "/cy/search/"}
SKIPPED_PATHS = (
    "/admin/",
    "/feedback/",
    "/cy/feedback/",
    "/language/",
    "/documents/",
    "/healthz",
    "/readyz",
    "/health/",
    "/static/",
    "/media/",
)


def seconds():
    """How long a kept page lives in our cache and in a CDN (0 turns both off)."""
    return int(getattr(settings, "PAGE_CACHE_SECONDS", 0) or 0)


def _cache():
    return caches[getattr(settings, "PAGE_CACHE_ALIAS", "default")]


def _own_cookies():
    return {
        settings.SESSION_COOKIE_NAME,
        settings.CSRF_COOKIE_NAME,
        settings.LANGUAGE_COOKIE_NAME,
        "messages",
    }


def generation_kept():
    """True when the content generation is kept: for the page cache, or for what base.memo remembers."""
    return bool(seconds() or getattr(settings, "SITE_MEMO", False))


def purge():
    """Forget every kept page, and everything base.memo remembers: the next request to any page is built
    afresh (call it once the change is committed: transaction.on_commit(purge))."""
    if generation_kept():
        _cache().set(GENERATION_KEY, time.time_ns(), None)


def purge_after_commit(**kwargs):
    """A signal receiver: forget every kept page once the change that sent the signal is committed."""
    transaction.on_commit(purge)


def purge_when_changed(*models, uid):
    """Forget every kept page whenever one of these models is saved or deleted (what every page shows)."""
    for model in models:
        label = model._meta.label
        post_save.connect(purge_after_commit, sender=model, dispatch_uid=f"{uid}_purge_{label}")
        post_delete.connect(purge_after_commit, sender=model, dispatch_uid=f"{uid}_purge_del_{label}")


def generation(request):
    """The current content generation, read from the shared cache once per request (None if it cannot be)."""
    try:
        return request._content_generation
    except AttributeError:
        pass
    cache = _cache()
    try:
        found = cache.get(GENERATION_KEY)
        if found is None:
            found = _start_generation(cache)
    except Exception:  # a broken cache costs the memo, never the page
        logger.exception("The content generation could not be read")
        found = None
    request._content_generation = found
    return found


def _start_generation(cache):
    """The generation to keep pages under when none is recorded yet (a new or emptied cache)."""
    cache.add(GENERATION_KEY, time.time_ns(), None)
    return cache.get(GENERATION_KEY)


def _eligible(request):
    path = request.path_info
    if request.method != "GET" or path in SKIPPED_ADDRESSES or path.startswith(SKIPPED_PATHS):
        return False
    own = _own_cookies()
    return not any(name in own for name in request.COOKIES)


def _key(request):
    encoding = "gzip" if "gzip" in request.META.get("HTTP_ACCEPT_ENCODING", "") else "identity"
    language = "" if get_language_from_path(request.path_info) else get_language_from_request(request)
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(address.encode()).hexdigest()
    return f"page-cache:{encoding}:{language}:{digest}"


def _read(cache, key):
    """(the current generation, the page kept under key if it was built in that generation, else None)."""
    found = cache.get_many([GENERATION_KEY, key])
    generation = found.get(GENERATION_KEY)
    if generation is None:
        return _start_generation(cache), None
    kept = found.get(key)
    if kept is None or kept[0] != generation:
        return generation, None
    return generation, kept[1:]


def _lookup(cache, key):
    try:
        return _read(cache, key)
    except Exception:  # a broken cache costs the cache, never the page
        logger.exception("The page cache could not be read")
        return None, None


def _keepable(request, response):
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code in KEPT_STATUSES
        # A page with a CSP nonce must never be sent twice: the nonce would no longer be secret.
        and not isinstance(getattr(request, "_csp_nonce", None), str)
        and not response.streaming
        and not response.cookies
        and "private" not in cache_control
        and "no-cache" not in cache_control
        and "no-store" not in cache_control
    )


def _rebuild(kept):
    status, headers, content = kept
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    response[HEADER] = "hit"
    return response


class PageCacheMiddleware:
    """Place first after TrustedProxyMiddleware (the scheme and host in the key are the visitor's), before the
    security headers' middleware (a kept page keeps its headers) and GZipMiddleware (it is kept compressed)."""

    def __init__(self, get_response):
        self.get_response = get_response
        # Static files and uploads are WhiteNoise's and the web server's: long-lived and public, untouched here.
        self.files = tuple(url for url in (settings.STATIC_URL, settings.MEDIA_URL) if url and url.startswith("/"))

    def __call__(self, request):
        lifetime = seconds()
        if not lifetime or request.path_info.startswith(self.files):
            return self.get_response(request)
        if not _eligible(request):
            response = self.get_response(request)
            patch_cache_control(response, private=True, no_cache=True)
            response[HEADER] = "skip"
            return response
        cache = _cache()
        key = _key(request)
        generation, kept = _lookup(cache, key)
        request._content_generation = generation
        if kept is not None:
            return _rebuild(kept)
        response = self.get_response(request)
        if not _keepable(request, response):
            response[HEADER] = "skip"
            return response
        patch_cache_control(response, public=True, max_age=0, s_maxage=lifetime)
        if generation is not None:
            headers = [(name, value) for name, value in response.items() if name.lower() not in NOT_KEPT]
            try:
                cache.set(key, (generation, response.status_code, headers, response.content), lifetime)
            except Exception:
                logger.exception("The page cache could not be written")
        response[HEADER] = "miss"
        return response


class KeptPagesFirst:
    """An ASGI application around Django's that sends kept pages itself, before Django's handler runs.

    Django's ASGI handler passes each request to the (synchronous) middleware in a new thread and back, six
    thread switches in all, which cost a kept page nine tenths of its time (2.5 ms, against 0.3 ms here,
    measured in-process on bench/national.py's data). The request is read exactly as the middleware reads it:
    the same trusted-proxy rules, the same eligibility and the same key (PageCacheMiddleware keeps the pages,
    and still answers from the cache under WSGI). Anything not kept, or not eligible, goes to Django.

    The cache is read with Django's (synchronous) client on the event loop: one round trip to Redis, quicker than
    handing it to a thread; while Redis cannot be reached, base.cache skips it for a few seconds at a time."""

    def __init__(self, app):
        self.app = app
        self.files = None

    async def __call__(self, scope, receive, send):
        kept = self._kept(scope) if scope["type"] == "http" and scope.get("method") == "GET" else None
        if kept is None:
            await self.app(scope, receive, send)
            return
        status, headers, content = kept
        raw = [
            (name.encode("latin-1"), str(value).encode("latin-1"))
            for name, value in headers
            if name.lower() != "content-length"
        ]
        raw += [(b"Content-Length", str(len(content)).encode()), (HEADER.encode(), b"hit")]
        await send({"type": "http.response.start", "status": status, "headers": raw})
        await send({"type": "http.response.body", "body": content})

    def _kept(self, scope):
        if not seconds():
            return None
        if self.files is None:
            self.files = tuple(url for url in (settings.STATIC_URL, settings.MEDIA_URL) if url and url.startswith("/"))
        try:
            request = ASGIRequest(scope, io.BytesIO())
            if request.path_info.startswith(self.files):
                return None
            TrustedProxyMiddleware(_nothing)(request)
            if not _eligible(request):
                return None
            key = _key(request)
        except (SuspiciousOperation, ValueError, KeyError):  # a request Django would refuse: Django answers it
            return None
        return _lookup(_cache(), key)[1]


def _nothing(request):
    return None
