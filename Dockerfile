# Production image: the front end is built in a Node stage, then served by gunicorn as a non-root user.

FROM node:20-bookworm-slim AS frontend
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY static_src ./static_src
RUN npm run build

FROM python:3.11-slim-bookworm AS app
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VIRTUAL_ENV=/venv \
    PATH=/venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=portal.settings.production \
    PORT=8000

RUN apt-get update \
    && apt-get install -y --no-install-recommends libjpeg62-turbo zlib1g gettext \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 1000 register

RUN python -m venv /venv
COPY requirements.txt /tmp/requirements.txt
RUN pip install -r /tmp/requirements.txt

WORKDIR /app
COPY --chown=register:register . .
COPY --from=frontend --chown=register:register /build/static_build ./static_build

# collectstatic and the interface translations need settings but no real secret or database.
RUN export SECRET_KEY=build-only-not-secret ALLOWED_HOSTS=localhost \
    && python manage.py collectstatic --noinput -v0 \
    && for po in locale/*/LC_MESSAGES/django.po; do python -c "import polib, sys; polib.pofile(sys.argv[1]).save_as_mofile(sys.argv[2])" "$po" "${po%.po}.mo"; done \
    && mkdir -p /app/media && chown -R register:register /app/static /app/media

USER register
EXPOSE 8000
# 200 while this instance can serve pages (its database, task queue and search answer); README "Health checks".
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request as u; host = os.environ['ALLOWED_HOSTS'].split(',')[0].strip().lstrip('.'); u.urlopen(u.Request(f\"http://127.0.0.1:{os.environ.get('PORT', '8000')}/readyz\", headers={'Host': host, 'Accept': 'application/json'}), timeout=4)"]
# Migrations run as a release step (see README), not on every container start. gunicorn.conf.py sets the worker
# (asyncio, so slow clients cost nothing), the privacy-keeping access log and the trusted proxies.
CMD ["gunicorn", "portal.asgi:application"]
