"""ASGI entry point: production runs this under gunicorn's asyncio worker (gunicorn.conf.py), which reads each
request in full before Django sees it, so slow or stalled clients cost no worker (README "Deploying")."""

import os

from django.core.asgi import get_asgi_application

from base.page_cache import KeptPagesFirst

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.production")

django_application = get_asgi_application()
# Kept pages are sent before Django's handler runs (base/page_cache.py); everything else is Django's.
application = KeptPagesFirst(django_application)
