"""Who the visitor is when the site sits behind load balancers: only trusted proxies may say so.

Behind a load balancer every request arrives from the balancer's address, and the visitor's own address and
scheme come in X-Forwarded-For and X-Forwarded-Proto. Anyone can send those headers, so they are believed
only from the addresses in settings.TRUSTED_PROXIES; from anyone else they are removed before Django, the
rate limit or the login lock-out look at the request."""

import ipaddress
from functools import cache

from django.conf import settings

FORWARDED_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST", "HTTP_FORWARDED")


@cache
def _networks(proxies):
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def _address(text):
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def is_trusted(address, proxies):
    address = _address(address or "")
    return address is not None and any(address in network for network in _networks(tuple(proxies)))


def client_address(meta, proxies):
    """The visitor's address: walk X-Forwarded-For from the right (the hop nearest us), past our own proxies.

    Each trusted proxy appends the address it was reached from, so the first untrusted address from the right is
    the last one nobody could forge. Anything unreadable stops the walk at the proxy that passed it on."""
    peer = meta.get("REMOTE_ADDR", "")
    if not is_trusted(peer, proxies):
        return peer
    hops = [hop.strip() for hop in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    address = peer
    for hop in reversed(hops):
        if _address(hop) is None:
            break
        address = hop
        if not is_trusted(hop, proxies):
            break
    return str(_address(address) or peer)


class TrustedProxyMiddleware:
    """Put the visitor's real address in REMOTE_ADDR; drop forwarding headers that no trusted proxy sent."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        proxies = tuple(settings.TRUSTED_PROXIES)
        meta = request.META
        if is_trusted(meta.get("REMOTE_ADDR"), proxies):
            meta["REMOTE_ADDR"] = client_address(meta, proxies)
        else:
            for header in FORWARDED_HEADERS:
                meta.pop(header, None)
        return self.get_response(request)
