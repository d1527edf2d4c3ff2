"""Test settings: fast hashing, plain static storage, local-memory cache, immediate tasks."""

import os

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-secret-key"  # noqa: S105
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "local": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "local"},
}
# Tasks run inside the request, so most tests see their effects at once; tests/feedback/test_worker.py
# switches to the database queue and runs the real worker.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tests post the feedback form straight after showing it; test_notifications.py checks the real minimum.
FEEDBACK_MIN_SECONDS_TO_FILL = 0
WAGTAILADMIN_BASE_URL = "http://testserver"
# Tests keep the default Site on localhost; tests/feedback/test_email_links.py sets an address of its own.
PUBLIC_BASE_URL = ""
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not shared memory, so live-server threads wait for the writer like a real install does.
    # One file per test run, so two runs side by side do not share (and corrupt) it.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / f"test-db-{os.getpid()}.sqlite3")}  # noqa: F405

# Most tests sign in with force_login and would otherwise meet the two-factor step; tests/security/ turns it
# on with override_settings. Django's test Client.login() passes no request, which django-axes refuses, so
# axes is off too except in tests/security/test_login_lockout.py, which posts to /admin/login/ with it on.
STAFF_TWO_FACTOR = False
AXES_ENABLED = False
