"""Production: everything secret or host-specific must come from the environment."""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = env["SECRET_KEY"]
ALLOWED_HOSTS = [h.strip() for h in env["ALLOWED_HOSTS"].split(",") if h.strip()]
# Links in emails: by default https on the first host name the site answers to.
WAGTAILADMIN_BASE_URL = env.get("WAGTAILADMIN_BASE_URL", f"https://{ALLOWED_HOSTS[0].lstrip('.')}")
PUBLIC_BASE_URL = env.get("PUBLIC_BASE_URL", WAGTAILADMIN_BASE_URL)
CSRF_TRUSTED_ORIGINS = [o.strip() for o in env.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

# TLS is terminated by the load balancer in front of gunicorn. Its X-Forwarded-Proto is believed only when the
# request came from TRUSTED_PROXIES: base.proxies.TrustedProxyMiddleware drops the header from anyone else.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Production runs under gunicorn's asyncio worker (gunicorn.conf.py), where each request's database work runs in
# a thread of its own: a connection kept open after the request would be left behind with that thread. So on
# PostgreSQL each gunicorn process keeps a pool of open connections (psycopg_pool, Django's "pool" option): a
# request borrows one and gives it back at its end, instead of opening and closing its own. DB_POOL_SIZE
# connections per process at most (PostgreSQL sees processes x DB_POOL_SIZE); a request that finds them all
# busy waits up to DB_POOL_TIMEOUT seconds. DB_POOL=false opens one connection a request (for PgBouncer in
# transaction mode, or another pooler that should be the only one).
DATABASES["default"]["CONN_MAX_AGE"] = int(env.get("DB_CONN_MAX_AGE", "0"))  # noqa: F405
DB_POOL = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env.get("DB_POOL", "true") == "true"  # noqa: F405
if DB_POOL:
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405 (Django requires it with a pool)
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {  # noqa: F405
        "min_size": 2,
        "max_size": int(env.get("DB_POOL_SIZE", "10")),
        "timeout": float(env.get("DB_POOL_TIMEOUT", "10")),
    }
SECURE_SSL_REDIRECT = env.get("SECURE_SSL_REDIRECT", "true") == "true"
# The container's HEALTHCHECK and the load balancer ask for /healthz, /readyz (or the older /health/) over
# plain HTTP from inside.
SECURE_REDIRECT_EXEMPT = [r"^health/$", r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = int(env.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# The header only allows preloading; a council submits its domain to browsers separately.
SECURE_HSTS_PRELOAD = env.get("SECURE_HSTS_PRELOAD", "true") == "true"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
# Wagtail marks its own preview views as same-origin framable; everything else refuses frames.
X_FRAME_OPTIONS = "DENY"
# Staff sign in with a password and a code from an authenticator app. `check --deploy` warns if this or the
# lock-out after wrong passwords is turned off (home/checks.py).
STAFF_TWO_FACTOR = env.get("STAFF_TWO_FACTOR", "true") == "true"

# Log records as JSON objects, one a line, like gunicorn's access log (gunicorn.conf.py); LOG_FORMAT=text for
# plain lines. Django's "django" logger hands its records to the console like every other logger, instead of
# also emailing ADMINS: a request error is logged with its path and traceback, never the request's headers,
# cookies or form (base.request_log.JsonFormatter).
LOG_FORMAT = env.get("LOG_FORMAT", "json")
LOGGING = {
    **LOGGING,  # noqa: F405
    "formatters": {
        "json": {"()": "base.request_log.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "json" if LOG_FORMAT == "json" else "text"}
    },
    "loggers": {**LOGGING["loggers"], "django": {"handlers": [], "level": "INFO"}},  # noqa: F405
}
