"""How production serves the site (gunicorn reads this file from the working directory).

- gunicorn's asyncio worker runs Django's ASGI application: a request is read in full by the event loop before
  Django sees it, so a slow or stalled client (a half-sent body, a trickled header) costs no worker and other
  visitors are still answered (bench/slow_clients.py measures it).
- The access log records no visitor: no address, no user agent, no referrer, no query string (which may hold a
  search for someone's name or email address), only the time, method, path, status, size and duration. Each
  line is a JSON object (base/request_log.py), as are gunicorn's own messages; LOG_FORMAT=text gives plain lines.
- X-Forwarded-* headers are believed only from TRUSTED_PROXIES (as Django does, base/proxies.py).
- Each worker has its own listening socket (reuse_port), so new connections are shared between the workers."""

import os

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
worker_class = "asgi"
# Django has no lifespan events; "off" avoids a startup probe that would only log a warning.
asgi_lifespan = "off"
worker_connections = int(os.environ.get("GUNICORN_CONNECTIONS", "1000"))
# Each worker listens on its own socket (SO_REUSEPORT) and the kernel shares new connections between them. On one
# shared socket the asyncio worker that wakes first accepts every waiting connection, so a burst of them (a load
# balancer opening its pool of kept-alive connections) can all land on one worker while the others idle: half
# the throughput of two workers, measured with bench/national.py. GUNICORN_REUSE_PORT=false shares one socket.
reuse_port = os.environ.get("GUNICORN_REUSE_PORT", "true") == "true"
# A request that sends nothing for this long is dropped; the keep-alive wait of an idle connection.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
keepalive = 5
# Limits on the request line and headers; bodies are limited by Django (DATA_UPLOAD_MAX_MEMORY_SIZE).
limit_request_line = 8190
limit_request_fields = 100

accesslog = "-"
errorlog = "-"
if os.environ.get("LOG_FORMAT", "json") == "json":
    logger_class = "base.request_log.JsonAccessLogger"
else:
    access_log_format = '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'

forwarded_allow_ips = os.environ.get("TRUSTED_PROXIES", "127.0.0.1")
