"""Settings shared by every environment. Secrets and hosts come from the environment."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import get_language_info

env = os.environ.copy()

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env.get("SECRET_KEY", "")
# Old keys, comma-separated, still accepted for signatures made before a rotation (README "Rotating secrets").
SECRET_KEY_FALLBACKS = [key.strip() for key in env.get("SECRET_KEY_FALLBACKS", "").split(",") if key.strip()]
DEBUG = False
ALLOWED_HOSTS = [h.strip() for h in env.get("ALLOWED_HOSTS", "").split(",") if h.strip()]

INSTALLED_APPS = [
    "home",
    "demo",
    "datauses",
    "search",
    "feedback",
    "base",
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.settings",
    "wagtail.contrib.redirects",
    "wagtail.contrib.frontend_cache",
    "wagtail.contrib.table_block",
    "wagtail.contrib.search_promotions",
    "django.contrib.sitemaps",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "health_check",
    # Security (see the section at the end): CSP checks, lock-out after wrong passwords, two-factor sign-in.
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "base.proxies.TrustedProxyMiddleware",
    # Anonymous visitors' pages from the shared cache, already compressed and with the security headers they
    # were first sent with, so a kept page is answered before anything else runs (base/page_cache.py).
    "base.page_cache.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "home.content_security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages are sent gzipped to browsers that ask (whitenoise already serves static files compressed, and
    # answers before this runs). Django adds random padding to each response against BREACH.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # The site, its branding and the page an address leads to, remembered between requests (base/memo.py).
    "home.middleware.RememberedLookupsMiddleware",
    "home.middleware.LanguagePreferenceMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "home.two_factor.StaffTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

WSGI_APPLICATION = "portal.wsgi.application"

# SQLite by default so that `make run` needs nothing installed; PostgreSQL through DATABASE_URL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(env.get("DB_CONN_MAX_AGE", "600")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several people sending feedback at once must queue for SQLite's single writer, not fail.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Django's cache: local memory by default, Redis through REDIS_URL. Redis is optional in both senses: while it
# cannot be reached the site carries on without it (base/cache.py; README "Redis"), and the feedback rate limit
# counts in each process's own memory ("local") until it is back.
CACHES = {"local": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "local"}}
if env.get("REDIS_URL"):
    CACHES["default"] = {
        "BACKEND": "base.cache.ForgivingRedisCache",
        "LOCATION": env["REDIS_URL"],
        "KEY_PREFIX": env.get("CACHE_KEY_PREFIX", "datause"),
        # A Redis that is slow or gone must cost a page a fraction of a second, never a hang.
        "OPTIONS": {
            "socket_connect_timeout": float(env.get("REDIS_TIMEOUT", "0.5")),
            "socket_timeout": float(env.get("REDIS_TIMEOUT", "0.5")),
        },
    }
else:
    CACHES["default"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}

# The page cache (base/page_cache.py): anonymous visitors' pages kept this many seconds in the shared cache and
# in a CDN (as s-maxage), and forgotten at once when anything they show is published. It needs a cache every
# process shares, so it is on by default only with Redis; PAGE_CACHE_SECONDS=0 turns it off.
PAGE_CACHE_SECONDS = int(env.get("PAGE_CACHE_SECONDS", "300" if env.get("REDIS_URL") else "0"))
# What every page repeats (the site, its menus, branding and glossary, the page an address leads to) is kept in
# each process's memory while nothing is published (base/memo.py). It needs the shared cache to learn of changes
# made in other processes, so it is on by default only with Redis; SITE_MEMO=false turns it off.
SITE_MEMO = env.get("SITE_MEMO", "true" if env.get("REDIS_URL") else "false") == "true"
MEMO_SECONDS = int(env.get("MEMO_SECONDS", "300"))

# A CDN or caching proxy in front of the site is told which addresses to forget when an entry is published,
# unpublished or moved (Wagtail's frontend cache; the worker sends the requests). README "CDN".
WAGTAILFRONTENDCACHE = {}
if env.get("FRONTEND_CACHE_PURGE_URL"):
    # Varnish, nginx or Squid answering PURGE requests at this address.
    WAGTAILFRONTENDCACHE["proxy"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
        "LOCATION": env["FRONTEND_CACHE_PURGE_URL"],
    }
if env.get("CLOUDFLARE_ZONE_ID"):
    WAGTAILFRONTENDCACHE["cloudflare"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
        "ZONEID": env["CLOUDFLARE_ZONE_ID"],
        "BEARER_TOKEN": env["CLOUDFLARE_API_TOKEN"],
    }

# The load balancers or proxies in front of the site, as addresses or networks ("10.0.0.0/8,192.0.2.7").
# Only a request that arrives from one of them may say, in X-Forwarded-For and X-Forwarded-Proto, who the
# visitor is and whether they used HTTPS (base/proxies.py); from anyone else those headers are ignored.
TRUSTED_PROXIES = [p.strip() for p in env.get("TRUSTED_PROXIES", "").split(",") if p.strip()]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages. English is served without a prefix, other languages under /<code>/ (/cy/ for Welsh); see
# portal/urls.py and README "Languages". SITE_LANGUAGES lists the language codes this install offers, the
# first being the default, for example "en-gb,cy,pl,ur". Each council then picks which of them its pages
# are offered in (Organisation.languages).
SITE_LANGUAGES = [code.strip() for code in env.get("SITE_LANGUAGES", "en-gb,cy").split(",") if code.strip()]
LANGUAGE_CODE = SITE_LANGUAGES[0]
# Language names are shown in the language itself ("Cymraeg"), from Django's list of languages.
LANGUAGE_NAMES = {"en-gb": "English"}
LANGUAGES = WAGTAIL_CONTENT_LANGUAGES = [
    (code, LANGUAGE_NAMES.get(code) or get_language_info(code)["name_local"]) for code in SITE_LANGUAGES
]
# The visitor's choice of language is remembered for a year.
LANGUAGE_COOKIE_NAME = "language"
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
LANGUAGE_COOKIE_SAMESITE = "Lax"
WAGTAIL_I18N_ENABLED = True
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/London"
LOCALE_PATHS = [BASE_DIR / "locale"]

# Static files: govuk-frontend and our Sass are compiled by `npm run build` into static_build/.
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [BASE_DIR / "static_build"]
STATIC_ROOT = Path(env.get("STATIC_ROOT", BASE_DIR / "static"))
STATIC_URL = "/static/"
MEDIA_ROOT = Path(env.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Wagtail's page editor posts many fields for a long register entry.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

WAGTAIL_SITE_NAME = "Data Use Register"
# The admin's and the public site's addresses (scheme and host, no path), for links in emails: owners' alerts
# link into the admin, replies to residents link to the entry. add_council and load_demo_register give
# PUBLIC_BASE_URL to the default Wagtail Site (datauses.councils.use_public_address).
WAGTAILADMIN_BASE_URL = env.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
PUBLIC_BASE_URL = env.get("PUBLIC_BASE_URL", WAGTAILADMIN_BASE_URL)
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "xlsx"]
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "svg", "webp"]

# Search: the database backend unless SEARCH_URL points at Elasticsearch 9 or OpenSearch 3.
# See README "Search". search.backends picks PostgreSQL full-text (English stemming, title and
# summary weighted) or SQLite FTS5 (Porter stemming, title and summary weighted) from the database.
SEARCH_BACKEND = env.get("SEARCH_BACKEND", "wagtail.search.backends.elasticsearch9")
# Every text field is analysed in English (stemming, so "camera" finds "cameras") with accents ignored
# ("camerau" finds "Camerâu"): Elasticsearch's english analyser rebuilt as its documentation shows, with
# asciifolding added. Suggestions use the edge n-gram analysers the backend defines itself.
SEARCH_INDEX_SETTINGS = {
    "settings": {
        "analysis": {
            "filter": {
                "english_stop": {"type": "stop", "stopwords": "_english_"},
                "english_stemmer": {"type": "stemmer", "language": "english"},
                "english_possessive_stemmer": {"type": "stemmer", "language": "possessive_english"},
            },
            "analyzer": {
                "default": {
                    "type": "custom",
                    "tokenizer": "standard",
                    "filter": [
                        "english_possessive_stemmer",
                        "lowercase",
                        "asciifolding",
                        "english_stop",
                        "english_stemmer",
                    ],
                }
            },
        }
    }
}
if env.get("SEARCH_URL"):
    WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": SEARCH_BACKEND,
            "URLS": [url.strip() for url in env["SEARCH_URL"].split(",")],
            "INDEX": env.get("SEARCH_INDEX", "datause"),
            "TIMEOUT": int(env.get("SEARCH_TIMEOUT", "5")),
            "OPTIONS": {},
            "INDEX_SETTINGS": SEARCH_INDEX_SETTINGS,
        }
    }
else:
    # register_english is PostgreSQL's English with accents ignored (migration search/0003); SQLite
    # ignores SEARCH_CONFIG and drops accents itself (migration search/0001).
    WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "search.backends", "SEARCH_CONFIG": "register_english"}}
# Days of search counts kept for the admin's Searches report (python manage.py delete_old_searches).
WAGTAILSEARCH_HITS_MAX_AGE = int(env.get("SEARCH_LOG_DAYS", "90"))
# The most matches one search looks at, for ranking and facet counts. Elasticsearch's own default window.
SEARCH_MAX_HITS = int(env.get("SEARCH_MAX_HITS", "10000"))

# Background work (owner emails, Wagtail's index and file clean-up) through django-tasks, queued in the
# database and run by a worker process: `python manage.py db_worker` (see README "Background work").
# TASKS_BACKEND can name another backend; the immediate one runs each task inside the request that queues it.
TASKS = {"default": {"BACKEND": env.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

EMAIL_BACKEND = env.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env.get("EMAIL_USE_TLS", "") == "true"
DEFAULT_FROM_EMAIL = env.get("DEFAULT_FROM_EMAIL", "Data Use Register <no-reply@example.org>")
# Seconds to wait for the mail server before the worker gives up on this try and queues another.
EMAIL_TIMEOUT = int(env.get("EMAIL_TIMEOUT", "10"))
# Who gets the partnership's monthly "What residents told us" report (each council names its own in the admin):
# email addresses separated by commas.
INSIGHT_REPORT_RECIPIENTS = [a.strip() for a in env.get("INSIGHT_REPORT_RECIPIENTS", "").split(",") if a.strip()]

# The register shows this many entries on a page.
# Feedback posts one client may send per hour before being asked to wait.
FEEDBACK_RATE_LIMIT = int(env.get("FEEDBACK_RATE_LIMIT", "10"))
REGISTER_PAGE_SIZE = 20
# A feedback form sent sooner than this after it was shown is taken for a bot and shown again.
FEEDBACK_MIN_SECONDS_TO_FILL = int(env.get("FEEDBACK_MIN_SECONDS_TO_FILL", "3"))
# A feedback form older than this (seconds; a day by default, for a tab left open) is shown again to be sent anew.
FEEDBACK_FORM_MAX_AGE = int(env.get("FEEDBACK_FORM_MAX_AGE", str(60 * 60 * 24)))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.get("LOG_LEVEL", "INFO")},
    # Every page save runs small background tasks; their start/finish lines drown out real messages.
    "loggers": {"django_tasks": {"level": env.get("TASKS_LOG_LEVEL", "WARNING")}},
}

# Security (README "Security settings"; issue 13, findings 10 and 11).
#
# Content-Security-Policy: every script and stylesheet is a file of our own, so a script slipped into a page
# (through an entry, a comment or a compromised dependency's CDN) cannot run, and nothing may frame a public
# page. No 'unsafe-inline' or 'unsafe-eval': the council's brand colour comes from a small stylesheet
# (home.views.brand_colour_css) and the feedback bars from width classes (static_src/scss/_bars.scss).
# The Wagtail admin gets its own policy, made from this one (home/content_security.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Where browsers send reports of what the policy blocked, if anywhere (a collector of your own).
if env.get("CSP_REPORT_URI"):
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["report-uri"] = [env["CSP_REPORT_URI"]]

# Permissions-Policy: the register needs none of these browser features, so no page (nor anything a page
# might embed) may ask for them. Clipboard access is left at the browser's default because the admin's
# "copy" buttons use it.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "gamepad",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "local-fonts",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}
# The admin's update check asks releases.wagtail.org from the browser, which its policy does not allow;
# upgrades go through requirements.txt and `make test` instead.
WAGTAIL_ENABLE_UPDATE_CHECK = False
# No Gravatar pictures in the admin: they would need the policy to allow another site, and they tell that site
# (a hash of) each member of staff's email address. Wagtail shows its plain default picture instead.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# Password guessing at /admin/login/ (django-axes): after LOGIN_FAILURE_LIMIT wrong passwords for one username
# from one address, that username cannot sign in from that address for LOGIN_LOCKOUT_MINUTES, even with the
# right password. Keyed on both, so a shared office or proxy address cannot lock everyone out, and a guesser
# cannot lock a colleague out from elsewhere. base.proxies.TrustedProxyMiddleware has already put the visitor's
# own address in REMOTE_ADDR. An administrator can lift a lock-out early: python manage.py axes_reset_username <name>
# AxesBackend first: it refuses a paused sign-in, then leaves the password to ModelBackend. (It is itself a
# ModelBackend, so tools that log in with the first backend, such as Wagtail's test helpers, still work.)
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(env.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(env.get("LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_IPWARE_META_PRECEDENCE_ORDER = ("REMOTE_ADDR",)
# The lock-out lasts a fixed time from the last counted failure, so the page can say when it ends.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "home.lockout.locked_out"
# Lock-outs are logged as warnings; the start-up banner on every manage.py command is noise.
AXES_VERBOSE = False

# Two-factor sign-in for staff (django-otp): after the password, anyone going into /admin/ types a six-digit
# code from an authenticator app, or one of their single-use backup codes; someone without an app yet is taken
# through setting one up (home/two_factor.py). python manage.py reset_two_factor <username> clears a lost phone.
STAFF_TWO_FACTOR = env.get("STAFF_TWO_FACTOR", "true") == "true"
OTP_TOTP_ISSUER = WAGTAIL_SITE_NAME
