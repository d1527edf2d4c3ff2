"""Production logs one JSON object a line and nothing that identifies a visitor: gunicorn's access log (started
for real with gunicorn.conf.py) keeps the time, method, path, status, size and duration, never the address,
user agent, referrer, cookies or query string, and Django's own records carry a traceback but not the request.
LOG_FORMAT=text gives plain lines instead."""

import json
import os
import runpy
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace

import pytest

from base.request_log import access_entry
from tests.operations.conftest import Output, free_port

ROOT = Path(__file__).resolve().parents[2]
EMAIL = "jane.doe@example.org"
VISITOR = {
    "User-Agent": "Mozilla/5.0 (Secret Agent 1.0)",
    "X-Forwarded-For": "203.0.113.7",
    "Referer": f"https://elsewhere.example.net/?who={EMAIL}",
    "Cookie": "sessionid=s3cr3t-session",
}
# Whatever of these reached a log line would identify the visitor, or what they searched for.
PERSONAL = ["jane.doe", "example.org", "Secret Agent", "203.0.113.7", "127.0.0.1", "elsewhere", "s3cr3t"]
REQUEST_ID = "3f2a9c1e-0d6b-4b7a-9a57-1c2e3d4f5a6b"


def production_env(tmp_path, **extra):
    environment = {k: v for k, v in os.environ.items() if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE", "LOG_FORMAT")}
    static_root = tmp_path / "static"
    static_root.mkdir(exist_ok=True)  # whitenoise warns about a missing one
    environment.update(
        DJANGO_SETTINGS_MODULE="portal.settings.production",
        SECRET_KEY="access-log-test-" + "x" * 40,
        ALLOWED_HOSTS="127.0.0.1",
        # /healthz reads no database, so an empty SQLite file does (no migrations to wait for).
        DATABASE_URL=f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        STATIC_ROOT=str(static_root),
        SECURE_SSL_REDIRECT="false",
        **extra,
    )
    return environment


def send(url, method="GET", data=None, headers=None):
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})  # noqa: S310 (loopback)
    try:
        with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310 (loopback)
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.fixture
def gunicorn(tmp_path):
    """gunicorn as production runs it; its access log (standard output) and its own and Django's log
    (standard error), read apart as they come."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "portal.asgi:application", "-c", "gunicorn.conf.py",
         "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        cwd=ROOT, env=production_env(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    access, errors = Output(server.stdout), Output(server.stderr)
    try:
        errors.wait_for("ASGI server listening", "gunicorn starting", deadline=30)
        yield SimpleNamespace(base=f"http://127.0.0.1:{port}", access=access, errors=errors)
    finally:
        server.send_signal(signal.SIGINT)  # gunicorn's quick shutdown: nothing is left to finish
        server.wait(timeout=10)


def test_each_request_is_one_json_line_without_the_visitor_or_the_query_string(gunicorn):
    query = f"?email={EMAIL.replace('@', '%40')}&name=Jane+Doe"
    headers = {**VISITOR, "X-Request-ID": REQUEST_ID}
    assert send(f"{gunicorn.base}/healthz{query}", headers=headers) == 200
    # No CSRF token: Django refuses it (and logs why); the form's email must not reach either log.
    assert send(f"{gunicorn.base}/healthz{query}", "POST", f"email={EMAIL}".encode(), VISITOR) == 403
    assert send(f"{gunicorn.base}/healthz", "HEAD", headers=VISITOR) == 200
    access = gunicorn.access.wait_for('"method": "HEAD"', "the last request reaching the access log")
    errors = gunicorn.errors.wait_for("django.security.csrf", "Django logging the refused POST")

    lines = [json.loads(line) for line in access.splitlines()]
    assert [(line["method"], line["path"], line["status"]) for line in lines] == [
        ("GET", "/healthz", 200),
        ("POST", "/healthz", 403),
        ("HEAD", "/healthz", 200),
    ]
    assert lines[0]["request_id"] == REQUEST_ID
    for line in lines:
        assert set(line) - {"request_id"} == {"time", "method", "path", "status", "bytes", "duration_ms"}
        assert datetime.fromisoformat(line["time"]).tzinfo is not None
        assert isinstance(line["bytes"], int) and isinstance(line["duration_ms"], int | float)
    for word in PERSONAL:
        assert word not in access, word

    # gunicorn's own messages and Django's are JSON lines too, and keep no more of the visitor.
    records = [json.loads(line) for line in errors.splitlines() if line.startswith("{")]
    assert any(r["logger"] == "gunicorn.error" and "Booting worker" in r["message"] for r in records)
    refused = next(r for r in records if r["logger"] == "django.security.csrf")
    assert refused["level"] == "WARNING" and refused["status"] == 403 and refused["message"].endswith(": /healthz")
    for word in ["jane.doe", "Secret Agent", "203.0.113.7", "elsewhere", "s3cr3t"]:
        assert word not in errors, word


def test_an_odd_path_is_escaped_and_an_untidy_request_id_is_left_out():
    response = SimpleNamespace(status="404 Not Found", sent=9)
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": '/a "quoted"\n\\path/\u00e9',
        "QUERY_STRING": f"q={EMAIL}",
        "HTTP_X_REQUEST_ID": f"{EMAIL} or anything else",
    }
    entry = access_entry(response, environ, SimpleNamespace(seconds=1, microseconds=234_567))
    line = json.dumps(entry)
    assert "\n" not in line and EMAIL not in line
    assert json.loads(line) == {**entry, "path": '/a "quoted"\n\\path/\u00e9', "status": 404, "duration_ms": 1234.6}
    assert "request_id" not in entry


SCRIPT = """
import logging, django
django.setup()
from django.http import HttpResponseServerError
from django.test import RequestFactory
from django.utils.log import log_response
request = RequestFactory().post(
    "/search/?q=jane.doe@example.org", {"comment": "jane.doe@example.org"}, HTTP_USER_AGENT="Secret Agent",
    HTTP_COOKIE="sessionid=s3cr3t-session", REMOTE_ADDR="203.0.113.7",
)
try:
    raise ValueError("something went wrong")
except ValueError as error:
    log_response("%s: %s", "Internal Server Error", request.path, response=HttpResponseServerError(),
                 request=request, exception=error)
print(logging.getLogger("django").handlers)
"""


def django_log(tmp_path, **env):
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT, env=production_env(tmp_path, **env), capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result


def test_django_logs_an_error_as_one_json_line_with_its_traceback_and_without_the_request(tmp_path):
    result = django_log(tmp_path)
    assert result.stdout.strip() == "[]"  # nothing emails ADMINS; records go to the console
    [line] = [line for line in result.stderr.splitlines() if line.strip()]
    record = json.loads(line)
    assert record["logger"] == "django.request" and record["level"] == "ERROR" and record["status"] == 500
    assert record["message"] == "Internal Server Error: /search/"
    assert record["exception"].startswith("Traceback") and "ValueError: something went wrong" in record["exception"]
    for word in ["jane.doe", "Secret Agent", "203.0.113.7", "s3cr3t"]:
        assert word not in line, word


def test_log_format_text_gives_plain_lines_with_the_same_care(tmp_path, monkeypatch):
    result = django_log(tmp_path, LOG_FORMAT="text")
    assert "ERROR django.request Internal Server Error: /search/" in result.stderr
    assert "Traceback" in result.stderr and "jane.doe" not in result.stderr

    monkeypatch.setenv("LOG_FORMAT", "text")
    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert "logger_class" not in config  # gunicorn's own logger, with our format
    for atom in ["%(h)s", "%(r)s", "%(q)s", "%(a)s", "%(f)s", "%(u)s", "{"]:
        assert atom not in config["access_log_format"], atom
