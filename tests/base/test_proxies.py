"""Behind load balancers the visitor's address comes from X-Forwarded-For, believed only from trusted proxies; from
anyone else, forwarding headers are dropped (so nobody can claim HTTPS or another address)."""

import pytest
from django.test import RequestFactory, override_settings

from base.proxies import TrustedProxyMiddleware, client_address

PROXIES = ("10.0.0.0/8", "192.0.2.7")


@pytest.mark.parametrize(
    ("peer", "forwarded_for", "expected"),
    [
        ("198.51.100.9", "", "198.51.100.9"),  # no proxy in front
        ("198.51.100.9", "203.0.113.5", "198.51.100.9"),  # an untrusted peer cannot name another address
        ("10.1.2.3", "203.0.113.5", "203.0.113.5"),  # one trusted balancer
        ("10.1.2.3", "203.0.113.5, 10.9.9.9", "203.0.113.5"),  # two of ours in a row
        ("10.1.2.3", "6.6.6.6, 203.0.113.5", "203.0.113.5"),  # a visitor's forged first hop is skipped
        ("10.1.2.3", "203.0.113.5, not-an-address", "10.1.2.3"),  # garbage stops at the proxy that passed it
        ("192.0.2.7", "2001:db8::1", "2001:db8::1"),
        ("10.1.2.3", "", "10.1.2.3"),
    ],
)
def test_the_client_address_is_the_first_untrusted_hop_from_the_right(peer, forwarded_for, expected):
    meta = {"REMOTE_ADDR": peer, "HTTP_X_FORWARDED_FOR": forwarded_for}
    assert client_address(meta, PROXIES) == expected


def through_middleware(**meta):
    seen = {}

    def view(request):
        seen.update(request.META)
        return None

    TrustedProxyMiddleware(view)(RequestFactory().get("/", **meta))
    return seen


@override_settings(TRUSTED_PROXIES=list(PROXIES))
def test_a_trusted_balancer_passes_the_visitors_address_and_scheme():
    meta = through_middleware(
        REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.5", HTTP_X_FORWARDED_PROTO="https"
    )
    assert meta["REMOTE_ADDR"] == "203.0.113.5"
    assert meta["HTTP_X_FORWARDED_PROTO"] == "https"


@override_settings(TRUSTED_PROXIES=list(PROXIES))
def test_anyone_else_cannot_claim_https_or_another_address():
    meta = through_middleware(
        REMOTE_ADDR="198.51.100.9", HTTP_X_FORWARDED_FOR="203.0.113.5", HTTP_X_FORWARDED_PROTO="https"
    )
    assert meta["REMOTE_ADDR"] == "198.51.100.9"
    assert "HTTP_X_FORWARDED_PROTO" not in meta and "HTTP_X_FORWARDED_FOR" not in meta


@override_settings(TRUSTED_PROXIES=[], SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"))
def test_with_no_trusted_proxies_a_forged_https_header_does_not_make_the_request_secure(client):
    # Production's SECURE_PROXY_SSL_HEADER is safe because the middleware runs first and drops the forged header.
    response = client.get("/language/cy/", HTTP_X_FORWARDED_PROTO="https")
    assert response.wsgi_request.is_secure() is False
