"""sitemap.xml and robots.txt: what search engines may read, and every public page in every language.

The sitemap lists each live, public page of the site in every language it is published in (the English
tree and each translated tree, which wagtail-localize keeps beside it), with the date it was last published
and, for a page published in more than one language, its other languages as hreflang alternates (the same
as the <link rel="alternate"> tags in each page's head). Untranslated copies (aliases of a page in another
language) are left out: they repeat the original's words at another address.
"""

from collections import defaultdict

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap as django_sitemap
from django.db.models import Q
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe
from wagtail.models import Page, Site

from base.languages import html_lang

# Addresses that are no use in a search engine: the admin, searches (endless combinations of words and
# filters), the feedback and follow forms, the language switcher and the page-by-page download of results.
DISALLOWED = ("/admin/", "/search/", "/cy/search/", "/feedback/", "/cy/feedback/", "/language/")


class PagesSitemap(Sitemap):
    """Every live, public page of the request's site, in every language, with hreflang alternates."""

    limit = 50000  # the most one sitemap file may list

    def __init__(self, request):
        self.request = request

    def site(self):
        return Site.find_for_request(self.request) or Site.objects.select_related("root_page").get(is_default_site=True)

    def items(self):
        roots = self.site().root_page.get_translations(inclusive=True)
        in_site = Q()
        for root in roots:
            in_site |= Q(path__startswith=root.path)
        return (
            Page.objects.filter(in_site)
            .live()
            .public()
            .filter(alias_of__isnull=True)
            .select_related("locale")
            .only("pk", "path", "url_path", "translation_key", "locale", "last_published_at")
            .order_by("path")
        )

    def _urls(self, page, protocol, domain):
        pages = list(self.paginator.page(page).object_list)
        locations = {item.pk: item.get_full_url(self.request) for item in pages}
        # Each page's translations among the pages listed, for its alternates.
        versions = defaultdict(list)
        for item in pages:
            if locations[item.pk]:
                versions[item.translation_key].append(item)
        urls = []
        for item in pages:
            location = locations[item.pk]
            if not location:
                continue
            alternates = []
            siblings = versions[item.translation_key]
            if len(siblings) > 1:
                alternates = [
                    {"lang_code": html_lang(other.locale.language_code), "location": locations[other.pk]}
                    for other in siblings
                ]
                default = next((o for o in siblings if o.locale.language_code == settings.LANGUAGE_CODE), None)
                if default is not None:
                    alternates.append({"lang_code": "x-default", "location": locations[default.pk]})
            urls.append(
                {"item": item, "location": location, "lastmod": item.last_published_at, "alternates": alternates}
            )
        dates = [url["lastmod"] for url in urls]
        if dates and None not in dates:
            self.latest_lastmod = max(dates)
        return urls


@require_safe
def sitemap(request):
    return django_sitemap(request, sitemaps={"pages": PagesSitemap(request)})


@require_safe
def robots_txt(request):
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in DISALLOWED), ""]
    lines.append(f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
