"""With PostgreSQL gone, the site says so properly: 503 Service Unavailable with Retry-After from a page that needs
no database, and a person sending feedback is shown their own words. When PostgreSQL returns the site recovers
with no restart.

The server is the production one (gunicorn with gunicorn.conf.py, its asyncio worker and access log) and the
database is a PostgreSQL cluster of the test's own, made with initdb and stopped and started with pg_ctl."""

import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import psycopg
import pytest

from tests.operations.conftest import Output, free_port

ROOT = Path(__file__).resolve().parents[2]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def fetch(url, data=None):
    """(status, headers, body) of a request to our own test server; never raises for an HTTP status."""
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    try:
        with OPENER.open(urllib.request.Request(url, data=body), timeout=20) as response:  # noqa: S310 (loopback)
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


class OwnPostgres:
    """A throwaway PostgreSQL cluster on a port of its own, run as the postgres user when we are root."""

    def __init__(self):
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
        if not found:
            pytest.fail("PostgreSQL's server programs (initdb, pg_ctl) are needed for the outage test")
        self.bin = Path(found[-1]).parent
        # Straight under /tmp: the postgres user cannot enter pytest's own (root-only) temporary folders.
        self.directory = Path(tempfile.mkdtemp(prefix="own-postgres-"))
        self.port = free_port()
        self.as_owner = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_owner:
            shutil.chown(self.directory, "postgres")
        data = str(self.directory / "data")
        self.run("initdb", "-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync")

    @property
    def url(self):
        return f"postgres://postgres@127.0.0.1:{self.port}/register"

    def run(self, program, *args):
        subprocess.run([*self.as_owner, str(self.bin / program), *args], check=True, capture_output=True)

    def start(self):
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.directory} -c fsync=off"
        data, log = str(self.directory / "data"), str(self.directory / "log")
        self.run("pg_ctl", "-D", data, "-o", options, "-l", log, "-w", "start")

    def stop(self, mode="fast"):
        self.run("pg_ctl", "-D", str(self.directory / "data"), "-m", mode, "-w", "stop")

    def remove(self):
        shutil.rmtree(self.directory, ignore_errors=True)

    def connect(self, dbname="register"):
        return psycopg.connect(host="127.0.0.1", port=self.port, user="postgres", dbname=dbname, autocommit=True)


# Pages for the test to ask for: a home page, a register and one published entry.
MAKE_CONTENT = textwrap.dedent(
    """
    import django
    django.setup()
    from tests.factories import BRISTOL, DataUsePageFactory, LocaleFactory, OrganisationFactory, RegisterPageFactory
    from tests.factories import add_home_page
    locale = LocaleFactory()
    home = add_home_page(locale)
    bristol = OrganisationFactory(**BRISTOL, locale=locale)
    register = RegisterPageFactory(parent=home, slug="register", organisation=bristol)
    entry = DataUsePageFactory(parent=register, title="Cameras that read number plates")
    entry.save_revision().publish()
    print(entry.pk, entry.url)
    """
)


@pytest.fixture(scope="module")
def site_on_own_postgres():
    database = OwnPostgres()
    database.start()
    server = None
    try:
        with database.connect("postgres") as connection:
            connection.execute("CREATE DATABASE register")
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "portal.settings.test",
            "DATABASE_URL": database.url,
            "DB_CONN_MAX_AGE": "0",
        }
        subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
        made = subprocess.run([sys.executable, "-c", MAKE_CONTENT], cwd=ROOT, env=env, capture_output=True, text=True)
        assert made.returncode == 0, made.stderr
        entry_id, entry_url = made.stdout.split()
        port = free_port()
        # The access log (standard output, as in production) and gunicorn's own log, read as they come.
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "portal.asgi:application", "-c", "gunicorn.conf.py",
             "--bind", f"127.0.0.1:{port}", "--workers", "1"],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        )  # fmt: skip
        output = Output(server.stdout)
        output.wait_for("ASGI server listening", "the site starting")
        base = f"http://127.0.0.1:{port}"
        assert fetch(f"{base}/health/")[0] == 200
        yield {"base": base, "database": database, "entry_id": entry_id, "entry_url": entry_url, "output": output}
    finally:
        if server:
            server.terminate()
            server.wait(timeout=30)
        database.stop("immediate")
        database.remove()


def feedback(site, comment):
    page = fetch(f"{site['base']}/feedback/{site['entry_id']}/")[2]
    started = re.search(r'name="started" value="([^"]+)"', page).group(1)
    answers = {"started": started, "comfort": "not_sure", "comment": comment}
    return fetch(f"{site['base']}/feedback/{site['entry_id']}/", answers)


def test_without_the_database_pages_answer_503_and_feedback_is_shown_back_then_all_recovers(site_on_own_postgres):
    site, database = site_on_own_postgres, site_on_own_postgres["database"]
    base = site["base"]
    form = fetch(f"{base}/feedback/{site['entry_id']}/")[2]
    started = re.search(r'name="started" value="([^"]+)"', form).group(1)
    assert fetch(f"{base}{site['entry_url']}")[0] == 200

    database.stop()
    try:
        for path in ["/", "/register/", site["entry_url"], "/search/?q=cameras", "/cy/"]:
            status, headers, body = fetch(f"{base}{path}")
            assert status == 503, path
            assert headers["Retry-After"] == "30"
            assert "Sorry, the service is unavailable" in body or "Mae’n ddrwg gennym" in body
        words = "I typed this <b>carefully</b> & I want it back"
        status, headers, body = fetch(
            f"{base}/feedback/{site['entry_id']}/", {"started": started, "comfort": "not_sure", "comment": words}
        )
        assert status == 503 and headers["Retry-After"] == "30"
        assert "We could not save what you sent" in body
        assert "I typed this &lt;b&gt;carefully&lt;/b&gt; &amp; I want it back" in body
        assert fetch(f"{base}/health/")[0] >= 500  # the load balancer hears about it
        # The process is up (liveness), but the instance cannot serve pages or queue work (readiness).
        assert fetch(f"{base}/healthz")[:1] == (200,)
        status, _headers, body = fetch(f"{base}/readyz")
        assert status >= 500
        assert "Database" in body and "TaskQueue" in body
    finally:
        database.start()

    # Back with no restart of the site.
    assert fetch(f"{base}/readyz")[0] == 200
    assert fetch(f"{base}{site['entry_url']}")[0] == 200
    assert feedback(site, "Sent after the database came back")[0] == 302
    with database.connect() as connection:
        stored = connection.execute("SELECT comment FROM feedback_feedbacksubmission").fetchall()
    assert stored == [("Sent after the database came back",)]


def test_the_access_log_keeps_no_visitor_details(site_on_own_postgres):
    base = site_on_own_postgres["base"]
    assert fetch(f"{base}/search/?q=jane.doe%40example.org")[0] == 200
    output = site_on_own_postgres["output"].wait_for('"path": "/search/"', "the search reaching the access log")
    log = "\n".join(line for line in output.splitlines() if '"method": ' in line)
    assert '"path": "/search/"' in log
    assert "jane.doe" not in log and "example.org" not in log
    assert "127.0.0.1" not in log and "Python-urllib" not in log
