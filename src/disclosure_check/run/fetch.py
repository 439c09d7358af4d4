"""Documents fetched from the web for a batch (manifest URLs, which companies supply themselves).

A fetch reaches only the public internet: every address a host name resolves to is checked when the
connection is made (so a name that changes its answer between a check and the connection, DNS
rebinding, gains nothing), and again for every redirect. Loopback, private, link-local, shared,
multicast and reserved addresses are refused unless the host is named in ``allow`` (a registry
mirror on a private network, or a test server), or is the proxy the environment names. A URL that
carries a user name or password is refused before anything is sent, and is never stored or shown
with them. ``Content-Encoding: gzip`` and ``deflate`` are decoded, within the same size limit as the
document. The whole fetch (connect, headers, body) has one deadline, and the download is made in a
folder named after this process, so folders a killed run left behind are removed by the next one.
"""

from __future__ import annotations

import contextlib
import functools
import http.client
import ipaddress
import os
import re
import shutil
import socket
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import zlib
from dataclasses import dataclass
from pathlib import Path

from disclosure_check.errors import FetchError

URL_SCHEMES = ("http://", "https://")
FETCH_TIMEOUT = 60  # seconds without a byte from the server before a fetch is given up
FETCH_DEADLINE = 300  # seconds for the whole fetch (connect, headers, body): a server that sends one
# byte every two seconds never trips FETCH_TIMEOUT, and must not hold a batch for ever
FETCH_PREFIX = "dc-fetch-"
ALLOW_ENV = "DISCLOSURE_CHECK_FETCH_ALLOW"  # comma-separated hosts a fetch may reach on private addresses
_CHUNK = 2**16
_ALLOW_FIX = (f"if this is a registry mirror on your own network, allow its host: --allow-host HOST "
              f"(or {ALLOW_ENV}=HOST)")


@dataclass(frozen=True)
class Fetched:
    """A downloaded document: the local file (``discard`` removes it and its folder) and the URL it
    was finally read from, after any redirects."""

    path: Path
    final_url: str


def is_url(source: str) -> bool:
    return source.lower().startswith(URL_SCHEMES)


def url_problem(url: str) -> str | None:
    """Why a request for ``url`` is refused before it is made, or None: not http(s), no host, spaces,
    a malformed host or port, or credentials (never sent, and never stored: see ``shown_url``)."""
    if not is_url(url) or any(c.isspace() or ord(c) < 32 for c in url):
        return "it is not an http or https URL"
    try:
        parts = urllib.parse.urlsplit(url)
        if not parts.hostname:
            return "it has no host"
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError:
        return "its host or port is malformed"
    if parts.username is not None or parts.password is not None:
        return "it carries a user name or password, which are never sent or stored"
    return None


def shown_url(url: str) -> str:
    """``url`` with any user name and password taken out, as it may be stored or printed: everything
    between ``://`` and the last ``@`` (a password may itself hold ``/``, ``?`` or ``#``)."""
    scheme, sep, rest = url.partition("://")
    if not sep or "@" not in rest:
        return url
    return f"{scheme}://***@{rest.rsplit('@', 1)[1]}"


def stored_url(url: str) -> str:
    """A final URL as it is recorded: no credentials, no query or fragment (a signed link's token)."""
    try:
        parts = urllib.parse.urlsplit(shown_url(url))
    except ValueError:
        return shown_url(url).split("?", 1)[0].split("#", 1)[0]
    return urllib.parse.urlunsplit(parts._replace(query="", fragment=""))


def allowed_hosts(given: tuple[str, ...] | frozenset[str] = ()) -> frozenset[str]:
    """The hosts a fetch may reach on private addresses: those given and those in ``ALLOW_ENV``."""
    names = {h.strip().lower().strip("[]").rstrip(".") for h in (*given, *os.environ.get(ALLOW_ENV, "").split(","))}
    return frozenset(n for n in names if n)


def environment_proxies() -> dict[str, tuple[str, int]]:
    """The http and https proxies the environment names, as (host, port) by scheme."""
    found = {}
    for scheme, proxy in urllib.request.getproxies().items():
        if scheme not in ("http", "https"):
            continue  # "no" is NO_PROXY: names to reach directly, never names to trust
        with contextlib.suppress(ValueError):
            parts = urllib.parse.urlsplit(proxy if "://" in proxy else f"http://{proxy}")
            if parts.hostname:
                found[scheme] = (parts.hostname.lower(), parts.port or 80)
    return found


# Addresses never fetched, whatever the Python version's idea of "global": private, loopback,
# link-local, shared, documentation, benchmarking, reserved, multicast, and the IPv6 forms that
# carry an IPv4 address through a tunnel or translator (6to4, Teredo, IPv4-compatible).
_DENIED = tuple(ipaddress.ip_network(n) for n in (
    "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24",
    "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24",
    "224.0.0.0/4", "240.0.0.0/4", "::/96", "::ffff:0:0/96", "::ffff:0:0:0/96", "100::/64", "2001::/23",
    "2001:db8::/32", "2002::/16", "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8"))
_NAT64 = tuple(ipaddress.ip_network(n) for n in ("64:ff9b::/96", "64:ff9b:1::/48"))


def public_address(address: str) -> bool:
    """Whether ``address`` is on the public internet. An IPv4 address written as IPv6 (mapped, or
    translated by NAT64, which DNS64 networks use for every IPv4-only host) is judged as IPv4."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        elif any(ip in net for net in _NAT64):
            ip = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if any(ip in net for net in _DENIED if net.version == ip.version):
        return False
    return ip.is_global and not ip.is_multicast


def _loopback_name(host: str) -> bool:
    return host == "localhost" or host.endswith(".localhost")


class Guard:
    """Which addresses one fetch may connect to, and the sockets it opened (closed at its deadline).

    Direct requests: every address a name resolves to is checked when the connection is made.
    Through a proxy the environment names (http_proxy, https_proxy): the proxy resolves the name, so
    only what the URL itself says is checked here (an address literal, localhost), the proxy's own
    address is reached as configured, and keeping requests off internal networks is the proxy's job."""

    def __init__(self, allow: frozenset[str] = frozenset(), proxies: dict[str, tuple[str, int]] | None = None) -> None:
        self.allow = allow
        self.proxies = environment_proxies() if proxies is None else proxies
        self.sockets: list[socket.socket] = []
        self._lock = threading.Lock()

    def allowed(self, host: str) -> bool:
        return host.lower().strip("[]").rstrip(".") in self.allow

    def addresses(self, host: str, port: int) -> list[tuple]:
        """``getaddrinfo``'s answers for ``host`` that may be reached; FetchError when none may."""
        try:
            found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError) as exc:
            raise FetchError(f"the host {host[:100]} could not be found ({exc})", where=host[:100],
                             fix="check the URL opens in a browser; it is fetched again on the next run") from None
        if self.allowed(host):
            return found
        reachable = [info for info in found if public_address(info[4][0])]
        if not reachable:
            raise _private(host, found[0][4][0])
        return reachable

    def proxied(self, scheme: str, host: str) -> bool:
        return scheme in self.proxies and not urllib.request.proxy_bypass(host)

    def check(self, url: str) -> None:
        """Refuse ``url`` (a first request or a redirect's target) before it is requested."""
        if problem := url_problem(url):
            raise FetchError(f"the URL is refused: {problem}", where=shown_url(url)[:200],
                             fix="give the document's public https:// address, without a user name or password")
        parts = urllib.parse.urlsplit(url)
        host = parts.hostname or ""
        if self.allowed(host):
            return
        if not self.proxied(parts.scheme.lower(), host):
            self.addresses(host, parts.port or (443 if parts.scheme.lower() == "https" else 80))
            return
        literal = host.strip("[]").rstrip(".").lower()
        with contextlib.suppress(ValueError):
            if not public_address(literal):
                raise _private(host, literal)
        if _loopback_name(literal):
            raise _private(host, "loopback")

    def connect(self, address: tuple[str, int], timeout: float | object = socket._GLOBAL_DEFAULT_TIMEOUT,
                source_address: tuple[str, int] | None = None) -> socket.socket:
        """``socket.create_connection`` to an address the check allows, resolved once, here (the
        configured proxy as it is); the socket is kept so the deadline can close it."""
        host, port = address
        if (host.lower(), port) in self.proxies.values():
            candidates = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        else:
            candidates = self.addresses(host, port)
        error: OSError | None = None
        for family, kind, proto, _, sockaddr in candidates:
            sock = socket.socket(family, kind, proto)
            try:
                if timeout is not socket._GLOBAL_DEFAULT_TIMEOUT:
                    sock.settimeout(timeout)  # type: ignore[arg-type]
                if source_address:
                    sock.bind(source_address)
                with self._lock:
                    self.sockets.append(sock)
                sock.connect(sockaddr)
                return sock
            except OSError as exc:
                sock.close()
                error = exc
        raise error or OSError(f"no address to connect to for {host}")

    def close(self) -> None:
        """End every connection this fetch opened (a thread blocked reading one wakes with an error)."""
        with self._lock:
            for sock in self.sockets:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)


def _private(host: str, address: str) -> FetchError:
    return FetchError(f"the host {host[:100]} is on a private, loopback or other non-public address ({address}), "
                      "which a fetch never reaches", where=host[:100], fix=_ALLOW_FIX)


class _GuardedHTTP(http.client.HTTPConnection):
    def __init__(self, *args, guard: Guard, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._create_connection = guard.connect


class _GuardedHTTPS(http.client.HTTPSConnection):
    def __init__(self, *args, guard: Guard, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._create_connection = guard.connect  # the TLS handshake still names (and checks) the host


class _HTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, guard: Guard) -> None:
        super().__init__()
        self.guard = guard

    def http_open(self, req):
        return self.do_open(functools.partial(_GuardedHTTP, guard=self.guard), req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, guard: Guard) -> None:
        super().__init__()
        self.guard = guard

    def https_open(self, req):
        return self.do_open(functools.partial(_GuardedHTTPS, guard=self.guard), req, context=self._context)


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Redirects are followed only to http(s) URLs the guard allows (urllib's default also follows ftp)."""

    def __init__(self, guard: Guard) -> None:
        super().__init__()
        self.guard = guard

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        newurl = urllib.parse.urljoin(req.full_url, newurl)
        if not is_url(newurl):
            raise FetchError(f"redirected to a URL that is not http or https: {shown_url(newurl)[:100]}",
                             where=shown_url(req.full_url)[:200], fix="give the document's final https:// address")
        self.guard.check(newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def opener(guard: Guard) -> urllib.request.OpenerDirector:
    """An opener with http, https and guarded redirects only: no ftp, file or data handler is ever reached."""
    director = urllib.request.OpenerDirector()
    handlers = [urllib.request.ProxyHandler(), _HTTPHandler(guard), _HTTPSHandler(guard), _Redirects(guard),
                urllib.request.HTTPDefaultErrorHandler(), urllib.request.HTTPErrorProcessor(),
                urllib.request.UnknownHandler()]
    for handler in handlers:
        director.add_handler(handler)
    return director


def fetched_name(url: str) -> str:
    """The file name a download is saved under: the URL's own (the scorer falls back on a file name
    for the organisation and year when the statement names neither), never a random one."""
    name = Path(urllib.parse.unquote(urllib.parse.urlsplit(url).path)).name
    name = re.sub(r"[^\w.() -]+", "_", name).strip(" .")[:120] or "statement"
    return name if name.lower().endswith(".pdf") else f"{name}.pdf"


def _machine() -> str:
    return re.sub(r"[^A-Za-z0-9]", "", socket.gethostname())[:40] or "host"


def _folder_prefix() -> str:
    """``dc-fetch-<pid>.<machine>-``: whose download folder it is (a temporary folder may be shared by
    several machines or containers, each with its own process ids)."""
    return f"{FETCH_PREFIX}{os.getpid()}.{_machine()}-"


def remove_abandoned(folder: str | None = None) -> int:
    """Remove download folders left by runs on this machine that were killed (their process is
    gone); returns how many."""
    removed = 0
    base = Path(folder or tempfile.gettempdir())
    with contextlib.suppress(OSError):
        for path in base.glob(f"{FETCH_PREFIX}*.*-*"):
            pid, _, rest = path.name[len(FETCH_PREFIX):].partition(".")
            machine = rest.rsplit("-", 1)[0]
            if not pid.isdigit() or machine != _machine() or not path.is_dir() or path.is_symlink() \
                    or _alive(int(pid)):
                continue
            shutil.rmtree(path, ignore_errors=True)
            removed += 1
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # another user's process
    return True


def discard(path: str | Path) -> None:
    """Remove a downloaded file and the temporary folder ``fetch`` made for it."""
    path = Path(path)
    path.unlink(missing_ok=True)
    if path.parent.name.startswith(FETCH_PREFIX):
        shutil.rmtree(path.parent, ignore_errors=True)


def fetch(url: str, *, max_bytes: int, timeout: float = FETCH_TIMEOUT, folder: str | None = None,
          deadline: float = FETCH_DEADLINE, allow: tuple[str, ...] | frozenset[str] = ()) -> Fetched:
    """Download ``url`` into a new temporary folder, under the URL's file name (``discard`` removes
    both); at most ``max_bytes`` (after decoding a compressed body), and exactly as many as the server
    declared, within ``deadline`` seconds in all, from public addresses only (``allow``: hosts that
    may be private). Anything that goes wrong (a refused, private or unknown host, credentials in the
    URL, an HTTP error, a malformed URL or response, a truncated body, a redirect away from http(s) or
    to a private address, a server too slow) is a FetchError (DC111) naming the URL without its
    credentials, and leaves no file. The download runs in a thread the caller waits for at most
    ``deadline``: a server that drips its headers cannot hold the batch."""
    guard = Guard(allowed_hosts(allow))
    guard.check(url)
    target = Path(tempfile.mkdtemp(prefix=_folder_prefix(), dir=folder)) / fetched_name(url)
    outcome: list[BaseException | str] = []
    stop_at = time.monotonic() + deadline

    def work() -> None:
        try:
            outcome.append(_copy(url, target, guard, max_bytes, timeout, stop_at))
        except BaseException as exc:  # handed to the caller's thread
            outcome.append(exc)

    worker = threading.Thread(target=work, name="dc-fetch", daemon=True)
    worker.start()
    worker.join(deadline + 1)
    if worker.is_alive() or not outcome:
        guard.close()  # the thread's read fails at once: it ends, and its socket with it
        worker.join(2)
        discard(target)
        raise FetchError(f"the server took longer than {deadline:.0f} s to send the document",
                         where=shown_url(url), fix="try again later; it is fetched again on the next run")
    if isinstance(outcome[0], BaseException):
        raise outcome[0]
    return Fetched(target, outcome[0])


def _copy(url: str, target: Path, guard: Guard, max_bytes: int, timeout: float, stop_at: float) -> str:
    """The download itself; returns the final URL."""
    where = shown_url(url)
    try:
        request = urllib.request.Request(url, headers={"User-Agent": "disclosure-check"})
        with target.open("wb") as out, opener(guard).open(request, timeout=timeout) as response:
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise _too_large(where, max_bytes)
            decoder = _decoder(response.headers.get("Content-Encoding"), where)
            received = written = 0
            # read1: what has arrived (at most one read from the socket), so the deadline is checked
            # between a slow server's bytes rather than after a whole chunk has trickled in
            while chunk := response.read1(_CHUNK):
                if time.monotonic() > stop_at:
                    raise FetchError("the server is sending the document too slowly", where=where,
                                     fix="try again later; it is fetched again on the next run")
                received += len(chunk)
                for piece in (decoder.pieces(chunk) if decoder is not None else (chunk,)):
                    written += len(piece)  # a compressed body counts decoded, a piece at a time (a zip bomb)
                    if written > max_bytes:
                        raise _too_large(where, max_bytes)
                    out.write(piece)
            if declared and declared.isdigit() and received != int(declared):
                raise FetchError(f"the download stopped after {received} of {declared} bytes", where=where,
                                 fix="the server closed the connection early; it is fetched again on the next run")
            if decoder is not None and not decoder.eof:
                raise FetchError("the compressed download is incomplete or damaged", where=where,
                                 fix="the server sent a broken compressed body; it is fetched again on the next run")
            return stored_url(response.geturl())
    except FetchError:
        discard(target)
        raise
    except Exception as exc:  # HTTPError, timeouts, refused, bad host, InvalidURL, BadStatusLine, IncompleteRead
        discard(target)
        if isinstance(exc, urllib.error.HTTPError):
            reason = f"HTTP {exc.code} {exc.reason}"
        else:
            reason = str(getattr(exc, "reason", None) or exc) or type(exc).__name__
        raise FetchError(f"the URL could not be fetched ({reason[:200]})", where=where,
                         fix="check the URL opens in a browser; it is fetched again on the next run") from None
    except BaseException:  # Ctrl-C: no file left behind
        discard(target)
        raise


class _Decoder:
    """A compressed body decoded a piece of at most ``_CHUNK`` bytes at a time, so a small body that
    inflates enormously never sits in memory at once. "deflate" is zlib-wrapped by the standard, but
    some servers send it raw: the first bytes tell which."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._inflate = zlib.decompressobj(16 + zlib.MAX_WBITS) if name in ("gzip", "x-gzip") else None

    def pieces(self, data: bytes):
        if self._inflate is None:  # deflate: zlib header (CM 8, header checksum) or raw
            wrapped = len(data) >= 2 and data[0] & 0x0F == 8 and (data[0] * 256 + data[1]) % 31 == 0
            self._inflate = zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)
        while True:
            piece = self._inflate.decompress(data, _CHUNK)
            data = self._inflate.unconsumed_tail
            if piece:
                yield piece
            if not data and len(piece) < _CHUNK:
                return  # all input taken and all its output given (a full piece may leave more to drain)

    @property
    def eof(self) -> bool:
        return self._inflate is not None and self._inflate.eof


def _decoder(encoding: str | None, where: str) -> _Decoder | None:
    """A decoder for the body's Content-Encoding, or None for none; FetchError for one not known."""
    name = (encoding or "identity").strip().lower()
    if name in ("", "identity", "none"):
        return None
    if name not in ("gzip", "x-gzip", "deflate"):
        raise FetchError(f"the server sent the document in an encoding that is not read ({name[:40]})", where=where,
                         fix="ask for the document without compression, or download it and give the file")
    return _Decoder(name)


def _too_large(where: str, max_bytes: int) -> FetchError:
    return FetchError(f"the download is larger than {max_bytes // 2**20} MB", where=where,
                      fix="raise --max-mb if it is a genuine statement")
