"""The language switcher's link: remember the visitor's choice, then show the page in that language."""

from django.conf import settings
from django.http import Http404, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache

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
