"""Fetching a manifest's URLs: whatever a server does (a truncated body, a redirect to ftp, garbage
instead of HTTP), the document is a DC111 failure naming the URL and no file is left behind; a
download keeps the URL's file name, so a statement that names no organisation is not named after a
random temporary file."""

from __future__ import annotations

import gzip
import http.server
import os
import socket
import tempfile
import threading
import time
import zlib
from dataclasses import replace
from pathlib import Path

import pytest

from conftest import SAMPLES, loopback_server
from disclosure_check.errors import ConfigError, FetchError
from disclosure_check.run import fetch as fetching
from disclosure_check.run.fetch import (
    FETCH_PREFIX,
    discard,
    fetch,
    public_address,
    remove_abandoned,
    shown_url,
)
from disclosure_check.run.manifest import read_manifest
from disclosure_check.store.store import Store

PDF = (SAMPLES / "lv_2018.pdf").read_bytes()
LOCAL = ("127.0.0.1",)  # the test servers' host, allowed as a registry mirror on a private network would be
SEEN: list[str] = []  # the paths the test server was asked for
PROXIED: list[str] = []  # the absolute URLs it was asked for as a proxy


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        if self.path.startswith("http://"):  # asked as a proxy: serve the path of the absolute URL
            PROXIED.append(self.path)
            self.path = "/" + self.path.split("/", 3)[3]
        SEEN.append(self.path)
        if self.path.startswith("/gzip"):
            body = {"/gzip.pdf": gzip.compress(PDF), "/gzip-bomb.pdf": gzip.compress(bytes(50 * 2**20)),
                    "/gzip-broken.pdf": gzip.compress(PDF)[:2000]}[self.path]
            self.send_response(200)
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        elif self.path.startswith("/deflate"):
            raw = zlib.compressobj(wbits=-zlib.MAX_WBITS)
            body = zlib.compress(PDF) if self.path == "/deflate.pdf" else raw.compress(PDF) + raw.flush()
            self.send_response(200)
            self.send_header("Content-Encoding", "deflate")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        elif self.path == "/brotli.pdf":
            self.send_response(200)
            self.send_header("Content-Encoding", "br")
            self.send_header("Content-Length", "4")
            self.end_headers()
            self.wfile.write(b"abcd")
        elif self.path.startswith("/signed/"):  # a presigned link's redirect: the token is in the query
            self.send_response(302)
            self.send_header("Location", "/statements/LV%202018%20statement.pdf?X-Amz-Signature=secret#page=2")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif self.path.startswith("/redirect-to/"):  # /redirect-to/<host>/<path>: the same server under another name
            host, rest = self.path[len("/redirect-to/"):].split("/", 1)
            self.send_response(302)
            self.send_header("Location", f"http://{host}:{self.server.server_address[1]}/{rest}")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif self.path.split("?")[0] == "/statements/LV%202018%20statement.pdf":
            self.send_response(200)
            self.send_header("Content-Length", str(len(PDF)))
            self.end_headers()
            self.wfile.write(PDF)
        elif self.path == "/truncated.pdf":
            self.send_response(200)
            self.send_header("Content-Length", str(len(PDF)))
            self.end_headers()
            self.wfile.write(PDF[:1000])  # then the connection closes
            self.close_connection = True
        elif self.path == "/drip.pdf":  # one byte every 0.3 s: no read ever times out
            self.send_response(200)
            self.send_header("Content-Length", str(len(PDF)))
            self.end_headers()
            for byte in PDF[:40]:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(0.3)
        elif self.path == "/slow-headers.pdf":  # the status line, then headers that never end
            self.wfile.write(b"HTTP/1.1 200 OK\r\n")
            for _ in range(40):
                self.wfile.write(b"X-Drip: 1\r\n")
                self.wfile.flush()
                time.sleep(0.3)
        elif self.path == "/to-ftp.pdf":
            self.send_response(302)
            self.send_header("Location", "ftp://127.0.0.1:1/x.pdf")
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            self.send_error(404)


@pytest.fixture(scope="module")
def server():
    with loopback_server(Handler) as url:
        yield url


@pytest.fixture(scope="module")
def garbage():
    """A server that answers with something that is not HTTP."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()

    def serve() -> None:
        while True:
            try:
                conn, _ = sock.accept()
            except OSError:
                return
            conn.recv(1024)
            conn.sendall(b"this is not http\r\n\r\n")
            conn.close()

    threading.Thread(target=serve, daemon=True).start()
    yield f"http://127.0.0.1:{sock.getsockname()[1]}/x.pdf"
    sock.close()


def test_a_download_is_the_whole_file_under_the_urls_own_name(server, tmp_path):
    url = f"{server}/statements/LV%202018%20statement.pdf"
    fetched = fetch(url, max_bytes=2**24, folder=str(tmp_path), allow=LOCAL)
    path = fetched.path
    assert fetched.final_url == url
    assert path.name == "LV 2018 statement.pdf" and path.read_bytes() == PDF
    assert path.parent.name.startswith(FETCH_PREFIX)
    discard(path)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("case, reason", [("truncated", "stopped after 1000"), ("to-ftp", "not http or https"),
                                          ("missing", "404"), ("garbage", "")])
def test_a_broken_download_is_a_fetch_failure_and_leaves_nothing(server, garbage, tmp_path, case, reason):
    url = garbage if case == "garbage" else f"{server}/{case}.pdf"
    with pytest.raises(FetchError) as raised:
        fetch(url, max_bytes=2**24, folder=str(tmp_path), allow=LOCAL)
    assert raised.value.code == "DC111" and reason in raised.value.message and raised.value.where == url
    assert list(tmp_path.iterdir()) == []


def test_a_too_large_download_is_refused(server, tmp_path):
    with pytest.raises(FetchError, match="larger than"):
        fetch(f"{server}/statements/LV%202018%20statement.pdf", max_bytes=1000, folder=str(tmp_path), allow=LOCAL)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("url", ["http://a b/x.pdf", "http://[::1/x.pdf", "https:///x.pdf"])
def test_a_manifest_url_a_request_would_refuse_is_refused_with_its_row(tmp_path, url):
    manifest = tmp_path / "m.csv"
    manifest.write_text(f"url\n{url}\n")
    with pytest.raises(ConfigError) as raised:
        read_manifest(manifest)
    assert "column 'url'" in raised.value.message and "line 2" in str(raised.value.where)


@pytest.mark.slow
def test_discard_leaves_files_it_did_not_fetch(tmp_path):
    mine = tmp_path / "statement.pdf"
    mine.write_bytes(PDF)
    discard(Path(tmp_path / "other.pdf"))
    assert mine.exists()


@pytest.mark.parametrize("path", ["/drip.pdf", "/slow-headers.pdf"])
def test_a_server_that_drips_is_given_up_at_the_total_deadline(server, tmp_path, path):
    """One byte every 0.3 s never trips the per-read timeout; the whole fetch still ends at its
    deadline, as a fetch failure, with no file left behind."""
    with pytest.raises(FetchError, match="too slowly|took longer than"):
        fetch(f"{server}{path}", max_bytes=2**24, folder=str(tmp_path), timeout=5, deadline=2, allow=LOCAL)
    assert not list(tmp_path.glob(f"{FETCH_PREFIX}*/*.pdf"))


def test_a_compressed_body_is_decoded_within_the_size_limit(server, tmp_path):
    """Content-Encoding is honoured: a gzip body is the PDF once decoded; one that decodes to more than
    the limit (a zip bomb: 50 MB of zeros in 50 KB) is refused as it is decoded; a broken one and an
    encoding that is not read are fetch failures. Nothing is left behind."""
    for name in ("gzip", "deflate", "deflate-raw"):  # deflate: zlib-wrapped as the standard says, or raw
        fetched = fetch(f"{server}/{name}.pdf", max_bytes=2**24, folder=str(tmp_path), allow=LOCAL)
        assert fetched.path.read_bytes() == PDF, name
        discard(fetched.path)
    for name, message in [("gzip-bomb", "larger than 16 MB"), ("gzip-broken", "incomplete or damaged"),
                          ("brotli", "encoding that is not read")]:
        with pytest.raises(FetchError, match=message):
            fetch(f"{server}/{name}.pdf", max_bytes=2**24, folder=str(tmp_path), allow=LOCAL)
    assert list(tmp_path.iterdir()) == []


def test_loopback_is_refused_unless_its_host_is_allowed_and_no_request_is_sent(server, tmp_path):
    SEEN.clear()
    with pytest.raises(FetchError, match="private, loopback or other non-public address") as raised:
        fetch(f"{server}/statements/LV%202018%20statement.pdf", max_bytes=2**24, folder=str(tmp_path))
    assert "--allow-host" in (raised.value.fix or "")
    assert SEEN == [] and list(tmp_path.iterdir()) == []


def test_a_redirect_to_a_host_that_is_not_allowed_is_refused_before_it_is_followed(server, tmp_path):
    """127.0.0.1 is allowed; its redirect to "localhost" (the same machine under a name nobody allowed)
    is refused, and the redirect's target is never requested."""
    SEEN.clear()
    with pytest.raises(FetchError, match="non-public address"):
        fetch(f"{server}/redirect-to/localhost/statements/LV%202018%20statement.pdf", max_bytes=2**24,
              folder=str(tmp_path), allow=LOCAL)
    assert SEEN == ["/redirect-to/localhost/statements/LV%202018%20statement.pdf"]
    moved = fetch(f"{server}/redirect-to/127.0.0.1/statements/LV%202018%20statement.pdf", max_bytes=2**24,
                  folder=str(tmp_path), allow=LOCAL)
    assert moved.final_url == f"{server}/statements/LV%202018%20statement.pdf" and moved.path.read_bytes() == PDF
    discard(moved.path)


def test_a_name_that_resolves_to_a_private_address_is_refused_when_the_connection_is_made(server, tmp_path,
                                                                                          monkeypatch):
    """DNS rebinding: the name answers with a public address when it is checked and with loopback when
    it is connected to. The connection checks the addresses it actually uses, so nothing is sent."""
    port = int(server.rsplit(":", 1)[1])
    answers = iter([("93.184.216.34", port)] + [("127.0.0.1", port)] * 5)
    real = fetching.socket.getaddrinfo

    def rebinding(host, *args, **kwargs):
        if host != "statements.example":
            return real(host, *args, **kwargs)
        return [(fetching.socket.AF_INET, fetching.socket.SOCK_STREAM, 6, "", next(answers))]

    monkeypatch.setattr(fetching.socket, "getaddrinfo", rebinding)
    SEEN.clear()
    with pytest.raises(FetchError, match="non-public address"):
        fetch(f"http://statements.example:{port}/statements/LV%202018%20statement.pdf", max_bytes=2**24,
              folder=str(tmp_path))
    assert SEEN == [] and list(tmp_path.iterdir()) == []
    # allowed by name (a mirror): the same answers are then used
    answers = iter([("127.0.0.1", port)] * 5)
    fetched = fetch(f"http://statements.example:{port}/statements/LV%202018%20statement.pdf", max_bytes=2**24,
                    folder=str(tmp_path), allow=("Statements.Example",))
    assert fetched.path.read_bytes() == PDF
    discard(fetched.path)


@pytest.mark.parametrize("address, public", [
    ("93.184.216.34", True), ("2606:4700::6810:84e5", True), ("127.0.0.1", False), ("10.1.2.3", False),
    ("172.16.0.9", False), ("192.168.1.1", False), ("169.254.169.254", False), ("100.64.0.1", False),
    ("224.0.0.251", False), ("0.0.0.0", False), ("::1", False), ("fe80::1%eth0", False), ("fd00::1", False),
    ("::ffff:127.0.0.1", False), ("::ffff:10.0.0.1", False), ("ff02::1", False), ("240.0.0.1", False),
    # IPv4 carried in IPv6: NAT64 (judged by the IPv4 inside), 6to4, Teredo, IPv4-compatible, site-local
    ("64:ff9b::a00:1", False), ("64:ff9b::5db8:d822", True), ("64:ff9b:1::a00:1", False), ("2002:a00:1::", False),
    ("2001:0:4136:e378:8000:63bf:3fff:fdd2", False), ("::ffff:0:7f00:1", False), ("::7f00:1", False),
    ("fec0::1", False), ("192.0.0.8", False), ("198.18.0.1", False)])
def test_which_addresses_are_public(address, public):
    assert public_address(address) is public


@pytest.mark.parametrize("url", ["https://registry:hunter2@example.org/s.pdf", "https://token@example.org/s.pdf",
                                 "https://registry:hunter2/x?y#z@example.org/s.pdf"])
def test_a_manifest_url_with_credentials_is_refused_and_never_echoed(tmp_path, url):
    manifest = tmp_path / "m.csv"
    manifest.write_text(f"url\n{url}\n")
    with pytest.raises(ConfigError) as raised:
        read_manifest(manifest)
    shown = str(raised.value)
    assert ("user name or password" in shown or "malformed" in shown) and "hunter2" not in shown and "token" not in shown
    assert shown_url(url) == "https://***@example.org/s.pdf"
    with pytest.raises(FetchError, match="user name or password|malformed") as fetched:
        fetch(url, max_bytes=2**24, folder=str(tmp_path))
    assert "hunter2" not in str(fetched.value) and list(tmp_path.iterdir()) == [manifest]


def test_download_folders_of_killed_runs_are_removed_and_live_ones_kept(tmp_path):
    here = fetching._machine()
    dead = tmp_path / f"{FETCH_PREFIX}999999999.{here}-abc"
    live = tmp_path / f"{FETCH_PREFIX}{os.getpid()}.{here}-def"
    elsewhere = tmp_path / f"{FETCH_PREFIX}999999999.othermachine-ghi"  # a shared /tmp: not ours to judge
    other = tmp_path / "dc-fetch-notes"
    for folder in (dead, live, elsewhere, other):
        folder.mkdir()
        (folder / "s.pdf").write_bytes(b"%PDF")
    assert remove_abandoned(str(tmp_path)) == 1
    assert not dead.exists() and live.exists() and elsewhere.exists() and other.exists()


@pytest.mark.slow
def test_a_slow_server_does_not_hold_the_batch_and_the_final_url_is_recorded(server, tmp_path, scorer):
    """A manifest whose first URL drips for about 12 s: the local files after it are scored and stored
    meanwhile (downloads run ahead in threads), the drip ends as a stored fetch failure, and a
    redirected URL's result records where it was finally read from."""
    from disclosure_check.pipeline import Scorer, ScorerSpec
    from disclosure_check.run import Item, RunOptions, score_many

    drip = f"{server}/drip.pdf"
    moved = f"{server}/redirect-to/127.0.0.1/statements/LV%202018%20statement.pdf"
    items = [Item(drip), Item(str(SAMPLES / "visa_2016.pdf")), Item(str(SAMPLES / "ao_world_2018.pdf")), Item(moved)]
    order: list[str] = []
    db = tmp_path / "urls.db"
    options = replace(scorer.options, fetch_allow=LOCAL)
    summary = score_many(items, [], ScorerSpec(options=options), db=str(db), run=RunOptions(jobs=1),
                         scorer=Scorer(scorer.rubric, scorer.models, options), on_outcome=lambda outcome: order.append(outcome.source))
    assert (summary.scored, summary.failed) == (3, 1)
    assert order[-1] == drip and set(order[:-1]) == {str(SAMPLES / "visa_2016.pdf"),
                                                     str(SAMPLES / "ao_world_2018.pdf"), moved}
    with Store(db) as store:
        results = {s.result.path: s.result for s in store.stored()}
    assert results[moved].fetched_from == f"{server}/statements/LV%202018%20statement.pdf"
    assert results[drip].code == "DC111" and results[str(SAMPLES / "visa_2016.pdf")].fetched_from is None
    assert not list(Path(tempfile.gettempdir()).glob(f"{FETCH_PREFIX}{os.getpid()}-*"))


def test_no_proxy_names_are_not_trusted_and_a_proxy_is_used_for_what_it_is(server, tmp_path, monkeypatch):
    """NO_PROXY lists names to reach directly, never names to trust. Through a proxy the environment
    names, a name this machine cannot resolve is fetched (the proxy resolves it), while an address
    literal or localhost in the URL is still refused before anything is sent."""
    for name in ("NO_PROXY", "no_proxy", "HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    with pytest.raises(FetchError, match="non-public address"):
        fetch(f"{server}/statements/LV%202018%20statement.pdf", max_bytes=2**24, folder=str(tmp_path))
    monkeypatch.delenv("NO_PROXY")
    monkeypatch.setenv("http_proxy", server)
    PROXIED.clear()
    fetched = fetch("http://statements.invalid/statements/LV%202018%20statement.pdf", max_bytes=2**24,
                    folder=str(tmp_path))
    assert fetched.path.read_bytes() == PDF and PROXIED == ["http://statements.invalid/statements/LV%202018%20statement.pdf"]
    discard(fetched.path)
    for url in ("http://10.0.0.1/s.pdf", "http://169.254.169.254/latest/", "http://localhost:6379/",
                "http://[::1]/s.pdf"):
        with pytest.raises(FetchError, match="non-public address"):
            fetch(url, max_bytes=2**24, folder=str(tmp_path))
    assert len(PROXIED) == 1 and list(tmp_path.iterdir()) == []


def test_a_fetch_past_its_deadline_leaves_no_thread_or_connection_behind(server, tmp_path):
    with pytest.raises(FetchError, match="took longer than"):
        fetch(f"{server}/slow-headers.pdf", max_bytes=2**24, folder=str(tmp_path), timeout=5, deadline=1, allow=LOCAL)
    time.sleep(0.5)
    assert not [t for t in threading.enumerate() if t.name == "dc-fetch" and t.is_alive()]


def test_the_final_url_is_recorded_without_its_query(server, tmp_path):
    fetched = fetch(f"{server}/signed/s.pdf", max_bytes=2**24, folder=str(tmp_path), allow=LOCAL)
    assert fetched.final_url == f"{server}/statements/LV%202018%20statement.pdf"
    discard(fetched.path)
