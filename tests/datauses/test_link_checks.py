"""Checking entries' links against a real web server on this machine: what is found, what is asked for (once per
address, HEAD then GET where HEAD is refused), what is recorded, and that nothing is fetched while pages are read."""

import datetime
import io
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils.form_data import rich_text

from datauses.link_checks import check_links, check_url, entry_links, urls_in
from datauses.models import LinkCheck
from tests.factories import DataUsePageFactory, add_assessment, add_risk

pytestmark = pytest.mark.django_db

SLOW_SECONDS = 1.5
TIMEOUT = 0.3
NOW = timezone.make_aware(datetime.datetime(2026, 3, 2, 4, 0))


class Handler(BaseHTTPRequestHandler):
    """200 at /ok, 404 at /missing, 500 at /broken, a late answer at /slow, 405 to HEAD at /no-head and a
    redirect to /ok at /moved. Every request is written down on the server."""

    def answer(self):
        self.server.requests.append((self.command, self.path, self.headers.get("User-Agent", "")))
        path = self.path.split("?")[0]
        if path == "/slow":
            # Held until the test is over (or SLOW_SECONDS at most): the checker must give up long before.
            self.server.released.wait(SLOW_SECONDS)
            status = 200
        elif path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/ok")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        elif path == "/no-head" and self.command == "HEAD":
            status = 405
        else:
            status = {"/ok": 200, "/no-head": 200, "/missing": 404, "/broken": 500}.get(path, 404)
        body = b"<p>Hello</p>"
        self.send_response(status)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command == "GET":
            self.wfile.write(body)

    do_GET = do_HEAD = answer

    def log_message(self, format, *args):  # keep the test output quiet
        pass


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), Handler)
        self.requests = []
        self.released = threading.Event()

    def handle_error(self, request, client_address):
        pass  # the checker hangs up on /slow before it answers; that is expected

    def url(self, path):
        return f"http://127.0.0.1:{self.server_port}{path}"

    def asked(self, path):
        return [(method, user_agent) for method, asked_path, user_agent in self.requests if asked_path == path]


@pytest.fixture
def server():
    web = Server()
    thread = threading.Thread(target=web.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield web
    web.released.set()
    web.shutdown()
    web.server_close()


def closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def check(*args, **kwargs):
    return check_links(*args, now=NOW, timeout=TIMEOUT, allow_private=True, **kwargs)


def rows(entry):
    return {row.url: row for row in LinkCheck.objects.filter(entry=entry)}


# ---- finding the links -----------------------------------------------------------------------


def test_addresses_in_text_lose_the_punctuation_after_them():
    text = "See https://example.org/a. Or (https://example.org/b), or https://en.wikipedia.org/wiki/Cardiff_(city)!"
    assert urls_in(text) == [
        "https://example.org/a",
        "https://example.org/b",
        "https://en.wikipedia.org/wiki/Cardiff_(city)",
    ]


def test_an_entrys_links_come_from_its_fields_rows_and_body_each_once(bristol_register):
    entry = DataUsePageFactory(
        parent=bristol_register,
        challenge_url="https://example.org/challenge",
        purpose="Read https://example.org/law. Or write to us.",
        challenge_offline="Phone 0117 496 0000 or see https://example.org/challenge",
        body=[
            ("paragraph", rich_text('<p>See <a href="https://example.org/more?a=1&amp;b=2">more</a>.</p>')),
            ("links", [{"title": "Guide", "url": "https://example.org/guide"}]),
            ("table", {"first_row_is_table_header": False, "data": [["Source", "https://example.org/table"]]}),
            ("paragraph", rich_text('<p>Email <a href="mailto:dpo@example.org">us</a>.</p>')),
        ],
    )
    assessment = add_assessment(entry)
    assessment.url = "https://example.org/dpia.pdf"
    assessment.save()
    add_risk(entry, safeguard="We follow https://example.org/standard.")

    assert entry_links(entry) == [
        "https://example.org/challenge",
        "https://example.org/dpia.pdf",
        "https://example.org/law",
        "https://example.org/standard",
        "https://example.org/more?a=1&b=2",
        "https://example.org/guide",
        "https://example.org/table",
    ]


# ---- asking the websites ---------------------------------------------------------------------


def test_a_working_link_is_asked_for_with_head_and_a_user_agent_naming_the_register(server):
    outcome = check_url(server.url("/ok"), timeout=TIMEOUT, allow_private=True)
    assert (outcome.status_code, outcome.is_broken, outcome.error) == (200, False, "")
    [(method, user_agent)] = server.asked("/ok")
    assert method == "HEAD"
    assert "DataUseRegister-LinkChecker" in user_agent and "Data Use Register" in user_agent


def test_a_server_that_refuses_head_is_asked_again_with_get(server):
    outcome = check_url(server.url("/no-head"), timeout=TIMEOUT, allow_private=True)
    assert (outcome.status_code, outcome.is_broken) == (200, False)
    assert [method for method, _agent in server.asked("/no-head")] == ["HEAD", "GET"]


def test_a_redirect_is_followed_with_head(server):
    outcome = check_url(server.url("/moved"), timeout=TIMEOUT, allow_private=True)
    assert (outcome.status_code, outcome.is_broken) == (200, False)
    assert [method for method, _agent in server.asked("/ok")] == ["HEAD"]


@pytest.mark.parametrize(
    ("path", "status", "error"),
    [
        ("/missing", 404, "The page is not there (error 404)."),
        ("/broken", 500, "The website had a problem (error 500)."),
        ("/slow", None, f"No answer within {TIMEOUT} seconds."),
    ],
)
def test_error_answers_and_slow_servers_are_broken_with_a_plain_reason(server, path, status, error):
    started = time.monotonic()
    outcome = check_url(server.url(path), timeout=TIMEOUT, allow_private=True)
    assert (outcome.status_code, outcome.error, outcome.is_broken) == (status, error, True)
    assert time.monotonic() - started < SLOW_SECONDS  # it gave up rather than wait


def test_a_server_that_is_not_there_and_a_name_that_does_not_exist_are_broken():
    refused = check_url(f"http://127.0.0.1:{closed_port()}/", timeout=TIMEOUT, allow_private=True)
    assert (refused.status_code, refused.error) == (None, "The website refused the connection.")
    unknown = check_url("http://no-such-council.invalid/privacy", timeout=TIMEOUT)
    assert (unknown.is_broken, unknown.error) == (True, "The website's address could not be found.")


def test_addresses_on_private_networks_are_reported_and_never_asked_for(server):
    outcome = check_url(server.url("/ok"), timeout=TIMEOUT)
    assert outcome.error == "The address is on a private network, which readers cannot reach."
    assert server.requests == []


# ---- recording -------------------------------------------------------------------------------


def test_each_link_is_recorded_and_an_address_shared_by_entries_is_asked_for_once(server, bristol_register):
    first = DataUsePageFactory(parent=bristol_register, challenge_url=server.url("/ok"))
    second = DataUsePageFactory(
        parent=bristol_register,
        challenge_url=server.url("/ok"),
        purpose=f"See {server.url('/missing')} and {server.url('/no-head')}.",
    )
    summary = check()

    assert (summary.entries, summary.links, summary.addresses) == (2, 4, 3)
    assert len(server.asked("/ok")) == 1
    assert [check.url for check in summary.broken] == [server.url("/missing")]
    assert set(rows(first)) == {server.url("/ok")}
    recorded = rows(second)
    assert set(recorded) == {server.url("/ok"), server.url("/missing"), server.url("/no-head")}
    missing = recorded[server.url("/missing")]
    assert (missing.is_broken, missing.status_code, missing.error, missing.checked_at) == (
        True,
        404,
        "The page is not there (error 404).",
        NOW,
    )
    assert not recorded[server.url("/no-head")].is_broken


def test_checking_again_updates_the_rows_and_forgets_links_the_entry_no_longer_has(server, bristol_register):
    entry = DataUsePageFactory(parent=bristol_register, challenge_url=server.url("/missing"))
    check()
    entry.challenge_url = server.url("/ok")
    entry.save_revision().publish()
    later = NOW + datetime.timedelta(days=7)
    check_links(now=later, timeout=TIMEOUT, allow_private=True)

    [row] = LinkCheck.objects.filter(entry=entry)
    assert (row.url, row.is_broken, row.error, row.status_code, row.checked_at) == (
        server.url("/ok"),
        False,
        "",
        200,
        later,
    )


def test_only_live_entries_are_checked_by_default(server, bristol_register):
    draft = DataUsePageFactory(parent=bristol_register, live=False, challenge_url=server.url("/ok"))
    check()
    assert server.requests == [] and not LinkCheck.objects.filter(entry=draft).exists()


def test_nothing_is_fetched_while_an_entry_is_read_or_edited(server, bristol_register, admin_client):
    entry = DataUsePageFactory(parent=bristol_register, challenge_url=server.url("/missing"))
    LinkCheck.objects.create(
        entry=entry, url=server.url("/missing"), checked_at=NOW, status_code=404, error="Gone.", is_broken=True
    )
    assert admin_client.get(entry.url).status_code == 200
    assert admin_client.get(reverse("wagtailadmin_pages:edit", args=[entry.pk])).status_code == 200
    assert admin_client.get(reverse("register_coverage:index")).status_code == 200
    assert server.requests == []


# ---- the command -----------------------------------------------------------------------------


def run(*arguments):
    out = io.StringIO()
    call_command("check_entry_links", "--timeout", str(TIMEOUT), *arguments, stdout=out)
    return out.getvalue()


def test_the_command_checks_live_entries_and_prints_a_summary(server, bristol_register):
    entry = DataUsePageFactory(parent=bristol_register, title="Cameras", challenge_url=server.url("/missing"))
    DataUsePageFactory(parent=bristol_register, challenge_url=server.url("/ok"))
    output = run("--include-private-addresses")
    assert "Checked 2 links (2 different addresses) on 2 live entries: 1 broken." in output
    assert f"{entry.reference} Cameras: {server.url('/missing')} - The page is not there (error 404)." in output


def test_the_command_leaves_private_addresses_alone_unless_told(server, bristol_register):
    DataUsePageFactory(parent=bristol_register, challenge_url=server.url("/ok"))
    output = run()
    assert "1 broken" in output and "private network" in output
    assert server.requests == []


def test_the_command_can_check_one_council(server, bristol_register, leeds_register):
    DataUsePageFactory(parent=bristol_register, challenge_url=server.url("/ok"))
    leeds_entry = DataUsePageFactory(parent=leeds_register, challenge_url=server.url("/missing"))
    output = run("--council", "leeds", "--include-private-addresses")
    assert "Checked 1 link (1 different address) on 1 live entry: 1 broken." in output
    assert server.asked("/ok") == []
    assert LinkCheck.objects.get().entry_id == leeds_entry.pk


def test_the_command_with_nothing_to_check_says_so(bristol_register):
    assert run() == "Checked 0 links (0 different addresses) on 0 live entries: 0 broken.\n"


def test_the_command_refuses_an_unknown_council_or_timeout(bristol_register):
    with pytest.raises(CommandError, match="no council with the slug 'atlantis'"):
        run("--council", "atlantis")
    with pytest.raises(CommandError, match="more than 0 seconds"):
        call_command("check_entry_links", "--timeout", "0", stdout=io.StringIO())
