"""URL routes. English pages have no prefix; other languages live under /<code>/ (Welsh under /cy/)."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from health_check.views import HealthCheckView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from datauses import api as register_api
from datauses import atrs as register_atrs
from datauses import changes as register_changes
from datauses import feeds as register_feeds
from datauses import history as register_history
from datauses import open_data
from datauses import views as register_views
from feedback import feeds as answer_feeds
from feedback import insight_pages, you_said_we_did
from feedback import open_data as feedback_open_data
from home import errors
from home import sitemap as home_sitemap
from home import views as home_views

# A page that needs no database: 503 with Retry-After while the database is away, otherwise the plain 500.
handler500 = errors.server_error

READINESS_CHECKS = [
    "health_check.checks.Database",
    "health_check.checks.Storage",
    "base.health.TaskQueue",
    "search.health.SearchBackend",
]


urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("favicon.ico", home_views.favicon, name="favicon"),
    path("robots.txt", home_sitemap.robots_txt, name="robots_txt"),
    path("sitemap.xml", home_sitemap.sitemap, name="sitemap"),
    path("language/<str:code>/", home_views.switch_language, name="switch_language"),
    re_path(r"^brand-colour/(?P<colour>[0-9a-fA-F]{6})\.css$", home_views.brand_colour_css, name="brand_colour_css"),
    # /healthz: the process is up (it reads nothing). /readyz: this instance can serve pages and take work: its
    # database, task queue and search answer. Redis is left out on purpose: the site works without it (README
    # "Redis"), and one shared cache going away must not take every instance out of the load balancer.
    # /health/ is the older name of /readyz, kept for load balancers already pointed at it.
    path("healthz", home_views.healthz, name="healthz"),
    path("readyz", HealthCheckView.as_view(checks=READINESS_CHECKS), name="readyz"),
    path("health/", HealthCheckView.as_view(checks=READINESS_CHECKS), name="health"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += i18n_patterns(
    path("search/", register_views.search, name="search"),
    path("search/suggest/", register_views.suggest, name="search_suggest"),
    path("feedback/", include("feedback.urls")),
    path("api/v1/entries/", register_api.entries, name="api_entries"),
    re_path(r"^api/v1/entries/(?P<reference>[A-Za-z0-9-]{1,12})/$", register_api.entry, name="api_entry"),
    path("api/v1/councils/", register_api.councils, name="api_councils"),
    path("api/v1/taxonomies/", register_api.taxonomies, name="api_taxonomies"),
    path("api/v1/openapi.json", register_api.openapi, name="api_openapi"),
    # Feeds before the council pages: "feed" is no council.
    path("recently-changed/feed/", register_feeds.ChangesFeed(), name="recently_changed_feed"),
    path("recently-changed/<slug:slug>/feed/", register_feeds.ChangesFeed(), name="recently_changed_council_feed"),
    path("you-said-we-did/feed/", answer_feeds.AnswersFeed(), name="you_said_we_did_feed"),
    path("you-said-we-did/<slug:slug>/feed/", answer_feeds.AnswersFeed(), name="you_said_we_did_council_feed"),
    path("recently-changed/", register_changes.partnership, name="recently_changed"),
    path("open-data/", open_data.data_dictionary, name="open_data"),
    re_path(r"^open-data/register\.(?P<file_format>csv|json)$", open_data.download, name="open_data_download"),
    re_path(
        r"^open-data/feedback\.(?P<file_format>csv|json)$",
        feedback_open_data.feedback_counts,
        name="open_data_feedback",
    ),
    re_path(r"^open-data/entries/(?P<reference>[A-Za-z0-9-]{1,12})\.json$", open_data.entry_json, name="entry_json"),
    re_path(
        r"^open-data/register-history\.(?P<file_format>csv|json)$",
        register_history.history_download,
        name="open_data_history",
    ),
    re_path(
        r"^open-data/entries/(?P<reference>[A-Za-z0-9-]{1,12})/atrs\.(?P<file_format>json|md)$",
        register_atrs.entry_record,
        name="entry_atrs",
    ),
    re_path(r"^entries/(?P<reference>[A-Za-z0-9-]{1,12})/versions/$", register_history.versions, name="entry_versions"),
    path("recently-changed/<slug:slug>/", register_changes.council, name="recently_changed_council"),
    path("you-said-we-did/", you_said_we_did.partnership, name="you_said_we_did"),
    path("you-said-we-did/<slug:slug>/", you_said_we_did.council, name="you_said_we_did_council"),
    path("what-residents-told-us/", insight_pages.partnership, name="insight"),
    re_path(
        r"^what-residents-told-us/data\.(?P<file_format>csv|json)$", insight_pages.download, name="insight_download"
    ),
    re_path(
        r"^what-residents-told-us/report/(?P<month>[0-9]{4}-[0-9]{2})/$", insight_pages.report, name="insight_report"
    ),
    path("what-residents-told-us/<slug:slug>/", insight_pages.council, name="insight_council"),
    re_path(
        r"^what-residents-told-us/(?P<slug>[-a-zA-Z0-9_]+)/report/(?P<month>[0-9]{4}-[0-9]{2})/$",
        insight_pages.council_report,
        name="insight_council_report",
    ),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
