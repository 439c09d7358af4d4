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
_ENCODINGS = {"gzip": 16 + zlib.MAX_WBITS, "x-gzip": 16 + zlib.MAX_WBITS, "deflate": zlib.MAX_WBITS}
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
    """``url`` with any user name and password taken out, as it may be stored or printed."""
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        return url.split("@")[-1][:200] if "@" in url else url[:200]
    if "@" not in parts.netloc:
        return url
    return urllib.parse.urlunsplit(parts._replace(netloc="***@" + parts.netloc.rsplit("@", 1)[1]))


def allowed_hosts(given: tuple[str, ...] | frozenset[str] = ()) -> frozenset[str]:
    """The hosts a fetch may reach on private addresses: those given, those in ``ALLOW_ENV``, and the
    proxies the environment names (set by whoever runs the batch)."""
    names = {h.strip().lower().strip("[]") for h in (*given, *os.environ.get(ALLOW_ENV, "").split(","))}
    for proxy in urllib.request.getproxies().values():
        with contextlib.suppress(ValueError):
            if host := urllib.parse.urlsplit(proxy if "://" in proxy else f"http://{proxy}").hostname:
                names.add(host.lower())
    return frozenset(n for n in names if n)


def public_address(address: str) -> bool:
    """Whether ``address`` is on the public internet (not loopback, private, link-local, shared,
    multicast, reserved or unspecified; an IPv4 address written as IPv6 is judged as IPv4)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


@dataclass(frozen=True)
class Guard:
    """Which addresses a fetch may connect to."""

    allow: frozenset[str] = frozenset()

    def addresses(self, host: str, port: int) -> list[tuple]:
        """``getaddrinfo``'s answers for ``host`` that may be reached; FetchError when none may."""
        try:
            found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError) as exc:
            raise FetchError(f"the host {host[:100]} could not be found ({exc})", where=host[:100],
                             fix="check the URL opens in a browser; it is fetched again on the next run") from None
        if host.lower().strip("[]") in self.allow:
            return found
        reachable = [info for info in found if public_address(info[4][0])]
        if not reachable:
            raise FetchError(f"the host {host[:100]} is on a private, loopback or other non-public address "
                             f"({found[0][4][0]}), which a fetch never reaches", where=host[:100], fix=_ALLOW_FIX)
        return reachable

    def check(self, url: str) -> None:
        """Refuse ``url`` (a first request or a redirect's target) before it is requested."""
        if problem := url_problem(url):
            raise FetchError(f"the URL is refused: {problem}", where=shown_url(url)[:200],
                             fix="give the document's public https:// address, without a user name or password")
        parts = urllib.parse.urlsplit(url)
        self.addresses(parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80))

    def connect(self, address: tuple[str, int], timeout: float | object = socket._GLOBAL_DEFAULT_TIMEOUT,
                source_address: tuple[str, int] | None = None) -> socket.socket:
        """``socket.create_connection`` to an address the check allows, resolved once, here."""
        host, port = address
        error: OSError | None = None
        for family, kind, proto, _, sockaddr in self.addresses(host, port):
            sock = socket.socket(family, kind, proto)
            try:
                if timeout is not socket._GLOBAL_DEFAULT_TIMEOUT:
                    sock.settimeout(timeout)  # type: ignore[arg-type]
                if source_address:
                    sock.bind(source_address)
                sock.connect(sockaddr)
                return sock
            except OSError as exc:
                sock.close()
                error = exc
        raise error or OSError(f"no address to connect to for {host}")


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


def _folder_prefix() -> str:
    return f"{FETCH_PREFIX}{os.getpid()}-"


def remove_abandoned(folder: str | None = None) -> int:
    """Remove download folders left by runs that were killed (their process is gone); returns how many."""
    removed = 0
    base = Path(folder or tempfile.gettempdir())
    with contextlib.suppress(OSError):
        for path in base.glob(f"{FETCH_PREFIX}*-*"):
            pid = path.name[len(FETCH_PREFIX):].split("-", 1)[0]
            if not pid.isdigit() or not path.is_dir() or path.is_symlink() or _alive(int(pid)):
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
        discard(target)  # the thread, if it ever wakes, writes to a removed file and ends at its deadline
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
                if decoder is not None:  # a compressed body: at most max_bytes once decoded (a zip bomb)
                    chunk = decoder.decompress(chunk, max_bytes + 1 - written)
                written += len(chunk)
                if written > max_bytes:
                    raise _too_large(where, max_bytes)
                out.write(chunk)
            if declared and declared.isdigit() and received != int(declared):
                raise FetchError(f"the download stopped after {received} of {declared} bytes", where=where,
                                 fix="the server closed the connection early; it is fetched again on the next run")
            if decoder is not None and not decoder.eof:
                raise FetchError("the compressed download is incomplete or damaged", where=where,
                                 fix="the server sent a broken compressed body; it is fetched again on the next run")
            return response.geturl()
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


def _decoder(encoding: str | None, where: str):
    """A decompressor for the body's Content-Encoding, or None for none; FetchError for one not known."""
    name = (encoding or "identity").strip().lower()
    if name in ("", "identity", "none"):
        return None
    if name not in _ENCODINGS:
        raise FetchError(f"the server sent the document in an encoding that is not read ({name[:40]})", where=where,
                         fix="ask for the document without compression, or download it and give the file")
    return zlib.decompressobj(_ENCODINGS[name])


def _too_large(where: str, max_bytes: int) -> FetchError:
    return FetchError(f"the download is larger than {max_bytes // 2**20} MB", where=where,
                      fix="raise --max-mb if it is a genuine statement")
