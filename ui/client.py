"""Who is asking: whether a request is for a host name this dashboard answers to, whether it comes
from a page of this same local server, and the visitor's address (behind trusted proxies only).

Local use without accounts trusts any browser on this machine. A web page elsewhere can point a DNS
name of its own at 127.0.0.1 (DNS rebinding), or be served from another local port, and its script
then connects from this machine too; the ``Host`` and ``Origin`` of the connection give it away.
"""

from __future__ import annotations

import hashlib
import ipaddress
import urllib.parse

from disclosure_check.settings import ALLOWED_HOSTS, TRUSTED_PROXIES

LOCAL_NAMES = ("localhost",)


def _host_port(value: str, scheme: str = "http") -> tuple[str, int] | None:
    """(host in lower case, without brackets; port) of a Host header or an origin's network
    location; None when it does not parse."""
    try:
        parts = urllib.parse.urlsplit(f"{scheme}://{value.strip()}")
        host, port = parts.hostname, parts.port
    except ValueError:
        return None
    if not host:
        return None
    return host.lower(), port or (443 if scheme == "https" else 80)


def loopback_name(host: str) -> bool:
    """localhost, or a loopback address (127.0.0.0/8, ::1)."""
    if host in LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def same_machine_request(host: str | None, origin: str | None) -> bool:
    """Whether a request with these ``Host`` and ``Origin`` headers is a page of this local server:
    the host is a loopback name, and the page that opened the connection (its origin, when the
    browser sends one) is on a loopback name and the same port. No Host at all: no browser (a test
    harness), which reaches the app only from inside this process."""
    if host is None:
        return True
    here = _host_port(host)
    if here is None or not loopback_name(here[0]):
        return False
    if origin is None:
        return True
    try:
        scheme, netloc = origin.split("://", 1)
    except ValueError:
        return False
    page = _host_port(netloc, scheme.lower())
    return page is not None and scheme.lower() in ("http", "https") and loopback_name(page[0]) and page[1] == here[1]


def allowed_host(host: str | None, allowed: str | None = None) -> bool:
    """Whether the dashboard answers to the request's Host: any, unless ``ALLOWED_HOSTS`` names some
    (then one of them, or a loopback name for checks on the machine itself)."""
    names = [n.strip().lower().strip("[]") for n in (allowed if allowed is not None else ALLOWED_HOSTS.value() or "")
             .split(",") if n.strip()]
    if not names or host is None:
        return True
    here = _host_port(host)
    return here is not None and (here[0] in names or loopback_name(here[0]))


def _normal(address: str) -> str:
    """An address in one spelling (``::ffff:1.2.3.4`` and ``1.2.3.4`` alike); text that is not an
    address is kept as it is (a proxy named by host name)."""
    try:
        ip = ipaddress.ip_address(address.strip().strip("[]"))
    except ValueError:
        return address.strip().lower()
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return str(ip)


def _trusted(address: str | None, proxies: set[str]) -> bool:
    if address is None:  # Streamlit reports a loopback peer (IPv4 or IPv6) as no address
        return any(loopback_name(p) for p in proxies)
    return _normal(address) in proxies


def client_address(peer: str | None, forwarded_for: str | None, trusted: str | None = None) -> str:
    """The visitor's address: the connection's own (``peer``; None is loopback, as Streamlit reports
    it), unless that is a trusted proxy, when the nearest address in ``X-Forwarded-For`` that is not
    itself a trusted proxy is taken. A header from anyone else is ignored: a script cannot pick its
    own address by sending one."""
    proxies = {_normal(p) for p in (trusted if trusted is not None else TRUSTED_PROXIES.value() or "").split(",")
               if p.strip()}
    address = _normal(peer) if peer else "127.0.0.1"
    if not _trusted(peer, proxies) or not forwarded_for:
        return address
    for hop in reversed([h.strip() for h in forwarded_for.split(",") if h.strip()]):
        if _normal(hop) not in proxies:
            return _normal(hop)[:64]
    return address


def client_key(address: str) -> str:
    """What the share limits count a visitor by: a digest of the address (the address itself is not
    stored); an IPv6 visitor by their /64, which one subscriber holds whole."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        ip = None
    if isinstance(ip, ipaddress.IPv6Address):
        address = str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return "client:" + hashlib.sha256(address.encode("utf-8", "replace")).hexdigest()[:24]
