"""Checking the links register entries point to, from a scheduled job (`manage.py check_entry_links`), never
during a page view. Each entry keeps one LinkCheck row per link it has; editors see the broken ones on the
entry's Review tab and on the coverage report.

The links checked are the ones the entry's editor can mend in the entry: the link to challenge a decision, the
impact assessments' links, addresses in the entry's text and its rows, and links in "anything else". The
council's own pages (privacy notice, data requests) and partners' websites are shared by many entries and
changed elsewhere, so they are left out.
"""

import html
import http.client
import ipaddress
import re
import socket
import ssl
from dataclasses import dataclass, field
from http import HTTPStatus
from urllib.error import HTTPError, URLError
from urllib.parse import quote, urlsplit, urlunsplit
from urllib.request import HTTPRedirectHandler, Request, build_opener

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import DataUsePage, LinkCheck

# A web address in text or in the HTML of rich text; it ends at a space, a quote or a bracket of markup.
URL_IN_TEXT = re.compile(r"https?://[^\s<>\"'{}|\\^`\[\]]+", re.IGNORECASE)
MAX_URL_LENGTH = LinkCheck._meta.get_field("url").max_length

# The entry's own text fields, and the text of its rows, where a web address may be written out.
TEXT_FIELDS = (
    "summary",
    "purpose",
    "not_used_for",
    "benefits",
    "alternatives_considered",
    "data_sources",
    "storage_location",
    "international_transfers",
    "retention",
    "lawful_basis_detail",
    "algorithm_description",
    "human_review",
    "no_assessment_reason",
    "opt_out",
    "challenge_route",
    "challenge_offline",
)
ROW_TEXT_FIELDS = {
    "data_categories": ("reason",),
    "sharing": ("purpose",),
    "risks": ("risk", "safeguard"),
    "impact_assessments": ("summary",),
}
RELATIONS = tuple(ROW_TEXT_FIELDS)

# Servers that do not answer HEAD say so with one of these; the same address is then asked with GET.
HEAD_REFUSED = (HTTPStatus.METHOD_NOT_ALLOWED, HTTPStatus.NOT_IMPLEMENTED)


def user_agent():
    """Names the register, and where to find it, to the sites it checks."""
    address = getattr(settings, "PUBLIC_BASE_URL", "")
    contact = f"; +{address}" if address else ""
    return f"DataUseRegister-LinkChecker/1.0 ({settings.WAGTAIL_SITE_NAME} link checker{contact})"


# ---- finding the links -----------------------------------------------------------------------


def urls_in(text):
    """The http(s) addresses written in a piece of text or HTML, without the full stop or bracket after them."""
    found = []
    for match in URL_IN_TEXT.finditer(html.unescape(text or "")):
        url = match.group(0).rstrip(".,;:!?")
        while url.endswith(")") and url.count(")") > url.count("("):
            url = url[:-1].rstrip(".,;:!?")
        found.append(url)
    return found


def _strings(value):
    """Every string inside a StreamField's raw data: block text, rich text HTML, link blocks' URLs, table cells."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            if key not in ("type", "id"):
                yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def entry_links(entry):
    """The entry's outbound links, each once, in the order they appear."""
    candidates = [entry.challenge_url]
    candidates += [assessment.url for assessment in entry.impact_assessments.all()]
    for name in TEXT_FIELDS:
        candidates += urls_in(getattr(entry, name))
    for relation, names in ROW_TEXT_FIELDS.items():
        for row in getattr(entry, relation).all():
            for name in names:
                candidates += urls_in(getattr(row, name))
    for text in _strings(list(entry.body.raw_data)):
        candidates += urls_in(text)
    links = []
    for url in candidates:
        url = (url or "").strip()
        if url.lower().startswith(("http://", "https://")) and len(url) <= MAX_URL_LENGTH and url not in links:
            links.append(url)
    return links


# ---- asking the websites ---------------------------------------------------------------------


class PrivateAddress(OSError):
    """The address is on a private network (or this machine): readers cannot reach it, and the job must not."""


class NotAWebPage(OSError):
    """A redirect to another kind of address (file:, ftp:), which the job does not follow."""


def is_private(url):
    """Whether the address's host is, or resolves to, an address that is not on the public internet."""
    host = urlsplit(url).hostname
    if not host:
        raise ValueError(url)
    addresses = {info[4][0] for info in socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)}
    return any(not ipaddress.ip_address(address.split("%")[0]).is_global for address in addresses)


# Characters urllib sends as they are; anything else outside ASCII is percent-encoded.
URL_SAFE = "/%:@!$&'()*+,;=?~#"


def _ascii(url):
    """The address as it goes on the wire: a non-ASCII host in IDNA, a non-ASCII path percent-encoded."""
    if url.isascii():
        return url
    parts = urlsplit(url)
    netloc = parts.netloc if parts.netloc.isascii() else parts.netloc.encode("idna").decode("ascii")
    return urlunsplit(
        (parts.scheme, netloc, *(quote(part, safe=URL_SAFE) for part in (parts.path, parts.query, parts.fragment)))
    )


class CheckingRedirectHandler(HTTPRedirectHandler):
    """Follows a redirect with the same method, so a HEAD stays a HEAD (urllib would switch to GET), and never
    to a private network: a public page must not lead the job inside the council's network."""

    def __init__(self, allow_private=False):
        super().__init__()
        self.allow_private = allow_private

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is not None:
            if urlsplit(new.full_url).scheme.lower() not in ("http", "https"):
                raise URLError(NotAWebPage())
            if not self.allow_private and is_private(new.full_url):
                raise URLError(PrivateAddress())
            new.method = req.get_method()
        return new


@dataclass(frozen=True)
class Outcome:
    status_code: int | None
    error: str = ""

    @property
    def is_broken(self):
        return bool(self.error)


def _answer(opener, url, method, timeout):
    # check_url lets only http(s) addresses through, so urllib's file: and ftp: handlers are never used.
    request = Request(url, method=method, headers={"User-Agent": user_agent(), "Accept": "*/*"})  # noqa: S310
    with opener.open(request, timeout=timeout) as response:
        return response.status


def _error_status(code):
    """What an error answer means, in a few plain words."""
    if code in (HTTPStatus.NOT_FOUND, HTTPStatus.GONE):
        return _("The page is not there (error %(code)s).") % {"code": code}
    if code in (HTTPStatus.UNAUTHORIZED, HTTPStatus.FORBIDDEN):
        return _("The page is not open to the public (error %(code)s).") % {"code": code}
    if code >= HTTPStatus.INTERNAL_SERVER_ERROR:
        return _("The website had a problem (error %(code)s).") % {"code": code}
    return _("The website refused the request (error %(code)s).") % {"code": code}


def _error_reason(reason, timeout):
    if isinstance(reason, PrivateAddress):
        return _("The address is on a private network, which readers cannot reach.")
    if isinstance(reason, NotAWebPage):
        return _("It leads to an address that is not a web page.")
    if isinstance(reason, TimeoutError):
        return _("No answer within %(seconds)s seconds.") % {"seconds": f"{timeout:g}"}
    if isinstance(reason, socket.gaierror):
        return _("The website's address could not be found.")
    if isinstance(reason, ConnectionRefusedError):
        return _("The website refused the connection.")
    if isinstance(reason, ssl.SSLError):
        return _("The website's secure connection did not work.")
    return _("The website could not be reached.")


def check_url(url, timeout=5, allow_private=False, opener=None):
    """Ask for the address once (HEAD, or GET where HEAD is refused) and say whether it works.

    Addresses on a private network are reported, not asked for, unless ``allow_private`` (a test server)."""
    opener = opener or build_opener(CheckingRedirectHandler(allow_private))
    try:
        url = _ascii(url)
        if urlsplit(url).scheme.lower() not in ("http", "https"):
            raise ValueError(url)
        if not allow_private and is_private(url):
            raise PrivateAddress()
        try:
            return Outcome(_answer(opener, url, "HEAD", timeout))
        except HTTPError as error:
            error.close()
            if error.code not in HEAD_REFUSED:
                raise
            return Outcome(_answer(opener, url, "GET", timeout))
    except HTTPError as error:
        error.close()
        return Outcome(error.code, _error_status(error.code))
    except URLError as error:
        return Outcome(None, _error_reason(error.reason, timeout))
    except (http.client.HTTPException, OSError) as error:  # private, no answer once connected, dropped, garbled
        return Outcome(None, _error_reason(error, timeout))
    except ValueError:
        return Outcome(None, _("This is not a web address that can be opened."))


# ---- recording -------------------------------------------------------------------------------


@dataclass
class Summary:
    entries: int = 0
    links: int = 0  # links on entries, counting a link shared by two entries twice
    addresses: int = 0  # different addresses asked for
    broken: list = field(default_factory=list)  # the broken LinkCheck rows


def check_links(entries=None, now=None, timeout=5, allow_private=False):
    """Check the links of ``entries`` (all live entries by default) and record each as a LinkCheck row.

    An address several entries share is asked for once. Rows for links an entry no longer has are removed.
    ``allow_private`` also asks for addresses on private networks and this machine (a test server)."""
    if entries is None:
        entries = DataUsePage.objects.live()
    if isinstance(entries, QuerySet):
        entries = entries.prefetch_related(*RELATIONS).order_by("pk")
    now = now or timezone.now()
    found = [(entry, entry_links(entry)) for entry in entries]

    opener = build_opener(CheckingRedirectHandler(allow_private))
    outcomes = {}
    for _entry, links in found:
        for url in links:
            if url not in outcomes:
                outcomes[url] = check_url(url, timeout=timeout, allow_private=allow_private, opener=opener)

    summary = Summary(entries=len(found), addresses=len(outcomes))
    for entry, links in found:
        with transaction.atomic():
            LinkCheck.objects.filter(entry=entry).exclude(url__in=links).delete()
            for url in links:
                outcome = outcomes[url]
                check, _created = LinkCheck.objects.update_or_create(
                    entry=entry,
                    url=url,
                    defaults={
                        "checked_at": now,
                        "status_code": outcome.status_code,
                        "error": outcome.error[:255],
                        "is_broken": outcome.is_broken,
                    },
                )
                check.entry = entry  # for the summary, without a query per row
                summary.links += 1
                if check.is_broken:
                    summary.broken.append(check)
    return summary
