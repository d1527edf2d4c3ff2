"""Local development: debug on, a throwaway secret, console email."""

from .base import *  # noqa: F403
from .base import env

DEBUG = True
SECRET_KEY = env.get("SECRET_KEY", "dev-only-insecure-key-never-use-in-production")
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
EMAIL_BACKEND = env.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
# Two-factor sign-in is off here so that the demo login `make run` prints works straight away; set
# STAFF_TWO_FACTOR=true to try the set-up and sign-in steps. Production has it on unless told otherwise.
STAFF_TWO_FACTOR = env.get("STAFF_TWO_FACTOR", "false") == "true"
