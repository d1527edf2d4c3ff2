"""Production's log lines as JSON objects, one a line, for a log collector to read without parsing text:
gunicorn's access log (JsonAccessLogger, set in gunicorn.conf.py) and every other log record, gunicorn's and
Django's (JsonFormatter, set in portal/settings/production.py). LOG_FORMAT=text keeps the plain lines."""

import json
import logging
import re
from datetime import UTC, datetime

from gunicorn.glogging import Logger

# A load balancer's request id (a UUID or a hex trace id) ties our line to its own. Anything else in the header
# is left out: the header comes from outside and could carry anything.
REQUEST_ID = re.compile(r"[0-9A-Fa-f-]{8,64}")


def iso_time(timestamp):
    return datetime.fromtimestamp(timestamp, UTC).isoformat(timespec="milliseconds")


class JsonFormatter(logging.Formatter):
    """A log record as one JSON object: time, level, logger, message and any exception's traceback.

    Nothing else a record carries is written: Django's request errors attach the whole request (its headers,
    cookies and form), which stays out of the log."""

    def format(self, record):
        entry = {
            "time": iso_time(record.created),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if isinstance(getattr(record, "status_code", None), int):
            entry["status"] = record.status_code
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry)


class JsonAccessLogger(Logger):
    """gunicorn's logger, writing one JSON object per request and its own messages as JSON too.

    A request is logged by what it asked for and how it went: time, method, path, status, bytes sent and
    duration. Nothing identifies the visitor: no address, user agent, referrer or cookie, and the path never
    has its query string, which may hold a search for someone's name or email address."""

    def setup(self, cfg):
        super().setup(cfg)
        for handler in self.error_log.handlers:
            if getattr(handler, "_gunicorn", False):
                handler.setFormatter(JsonFormatter())

    def access(self, resp, req, environ, request_time):
        if not self.access_log_enabled:
            return
        self.access_log.info(json.dumps(access_entry(resp, environ, request_time)))


def access_entry(resp, environ, request_time):
    """What the access log keeps of one request (gunicorn's response, WSGI-style environ and duration)."""
    status = resp.status
    if isinstance(status, str):  # the sync and thread workers give "200 OK"
        status = int(status.split(None, 1)[0])
    entry = {
        "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
        "method": environ.get("REQUEST_METHOD"),
        "path": environ.get("PATH_INFO"),  # without the query string
        "status": status,
        "bytes": getattr(resp, "sent", None),
        "duration_ms": round(request_time.seconds * 1000 + request_time.microseconds / 1000, 1),
    }
    request_id = environ.get("HTTP_X_REQUEST_ID", "")
    if REQUEST_ID.fullmatch(request_id):
        entry["request_id"] = request_id
    return entry
