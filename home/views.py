"""Small public views: the language switcher's link, the stylesheet that carries a brand colour, and the
favicon browsers ask for at /favicon.ico, and /healthz."""

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect, HttpResponseRedirect
from django.templatetags.static import static
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_safe

from base.languages import site_languages


@never_cache
def switch_language(request, code):
    """GET /language/<code>/?next=<address>: a plain link, so it works without JavaScript.

    Choosing a language only sets a preference cookie, so a link is safe to follow (no form or CSRF token).
    """
    if code not in site_languages():
        raise Http404("No such language")
    next_url = request.GET.get("next", "")
    # Only a path on this site: it starts with one "/" (a relative one such as "0" would resolve against
    # /language/<code>/ itself), and Django agrees it names no other host.
    on_this_site = next_url.startswith("/") and not next_url.startswith(("//", "/\\"))
    if not on_this_site or not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=False
    ):
        next_url = "/" if code == settings.LANGUAGE_CODE else f"/{code}/"
    response = HttpResponseRedirect(next_url)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


@require_safe
@cache_control(public=True, max_age=60 * 60 * 24 * 365, immutable=True)
def brand_colour_css(request, colour):
    """GET /brand-colour/<six hex digits>.css: the page's brand colour as a stylesheet.

    The Content-Security-Policy allows no inline style, so base.html links here instead of writing the colour
    into a <style> element. The address holds the colour (portal/urls.py allows only six hex digits), so the
    answer never changes and browsers and caches keep it for a year; it reads no database and sets no cookie.
    """
    return HttpResponse(f":root{{--app-brand-colour:#{colour.lower()}}}\n", content_type="text/css; charset=utf-8")


@require_safe
@cache_control(public=True, max_age=60 * 60 * 24)
def favicon(request):
    """GET /favicon.ico: browsers, feed readers and bookmarks ask for it there whatever the page says, so
    send them to the icon among the static files (hashed in production, so it can be cached for a year)."""
    return HttpResponsePermanentRedirect(static("favicon.ico"))


@require_safe
@never_cache
def healthz(request):
    """GET /healthz: 200 while this process answers. It reads no database, cache or file, so it says only that
    the process is up (liveness); /readyz says whether it can serve pages."""
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")
