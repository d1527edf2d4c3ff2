"""ASGI entry point: production runs this under gunicorn's asyncio worker (gunicorn.conf.py), which reads each
request in full before Django sees it, so slow or stalled clients cost no worker (README "Deploying")."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.production")

application = get_asgi_application()
