"""The first visit picks the language from the browser's preference; a choice made later is remembered.

English pages have no prefix. When someone opens one whose browser prefers another of the site's languages
(or who chose that language before, in the switcher), they are sent to the same page in that language, if
it exists. Addresses with a language prefix (/cy/...) are always shown as asked: a shared Welsh link stays
Welsh. Choosing English in the switcher stores that choice, so English pages then stay English.
"""

from django.conf import settings
from django.http import HttpResponseRedirect
from django.urls import translate_url
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, get_language_from_path, get_language_from_request
from wagtail import views as wagtail_views
from wagtail.models import Page, Site

from base import memo
from base.languages import offers
from home.models import BrandingSettings

# Paths that are never redirected: the admin, files, the switcher itself and machine-readable views.
SKIPPED = (
    "/admin/",
    "/documents/",
    "/static/",
    "/media/",
    "/language/",
    "/search/suggest/",
    "/feedback/",
    "/brand-colour/",
    "/healthz",
    "/readyz",
    "/health/",
)


class LanguagePreferenceMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        redirect = self.preferred_version(request)
        if redirect is not None:
            return redirect
        response = self.get_response(request)
        if self.unprefixed(request):
            # The same address can redirect by the visitor's preference: caches must keep them apart.
            patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response

    @staticmethod
    def unprefixed(request):
        return request.method in ("GET", "HEAD") and not get_language_from_path(request.path_info)

    def preferred_version(self, request):
        if not self.unprefixed(request) or request.path_info.startswith(SKIPPED):
            return None
        preferred = get_language_from_request(request, check_path=False)
        if preferred == settings.LANGUAGE_CODE or preferred not in dict(settings.LANGUAGES):
            return None
        url = self.page_url(request, preferred)
        # "/%2Fevil.example/" reaches us as "//evil.example/", which translate_url keeps as another host.
        if url is None or not url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
            return None
        response = HttpResponseRedirect(url)
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response

    @staticmethod
    def page_url(request, code):
        """This address in language ``code``: the page's translation, or the same view; None if neither."""
        from wagtail.models import Locale, Page

        page = Page.find_for_request(request, request.path_info)
        if page is not None:
            locale = Locale.objects.filter(language_code=code).first()
            translated = page.get_translation_or_none(locale) if locale else None
            if translated is None or not translated.live or not offers(page.specific_deferred, code):
                return None
            url = translated.get_url(request)
        else:
            url = translate_url(request.path_info, code)
            if url == request.path_info:
                return None
        query = request.META.get("QUERY_STRING")
        return f"{url}?{query}" if url and query else url


# Paths that show no site or page: the admin, files, and the health checks (/healthz reads nothing at all).
NOT_REMEMBERED = ("/admin/", "/static/", "/media/", "/healthz", "/readyz", "/health/")


class RememberedLookupsMiddleware:
    """The site a request is for, its branding and the page its address leads to, from base.memo.

    Wagtail looks these up on every request (a site, then one query per level of the address); with the memo
    on they come from the process's memory while nothing has been published since. What Wagtail checks for
    each visitor (view restrictions, the page being live when it was remembered) still runs on every request.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if memo.enabled() and not request.path_info.startswith(NOT_REMEMBERED):
            site_key = ("site", request.get_host(), request.get_port())
            site = memo.remember(request, site_key, lambda: Site.find_for_request(request))
            request._wagtail_site = site
            if site is not None:
                branding = memo.remember(request, ("branding", site.pk), lambda: BrandingSettings.for_site(site))
                branding._request = request
                setattr(request, BrandingSettings.get_cache_attr_name(), branding)
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if (
            view_func is not wagtail_views.serve
            or request.method not in ("GET", "HEAD")
            or not memo.enabled()
            or hasattr(request, "_wagtail_route_for_request")
        ):
            return None
        site = Site.find_for_request(request)
        path = view_args[0] if view_args else view_kwargs.get("path", "")
        key = ("route", getattr(site, "pk", None), get_language(), path)
        request._wagtail_route_for_request = memo.remember(request, key, lambda: self.route(request, path))
        return None

    @staticmethod
    def route(request, path):
        found = Page.route_for_request(request, path)
        if found is not None:
            # Every council's page shows its council: remembered with the page.
            getattr(found[0], "organisation", None)
        return found
