"""Fetching a manifest's URLs: whatever a server does (a truncated body, a redirect to ftp, garbage
instead of HTTP), the document is a DC111 failure naming the URL and no file is left behind; a
download keeps the URL's file name, so a statement that names no organisation is not named after a
random temporary file."""

from __future__ import annotations

import http.server
import socket
import threading
import time
from pathlib import Path

import pytest

from conftest import SAMPLES
from disclosure_check.errors import ConfigError, FetchError
from disclosure_check.run.manifest import FETCH_PREFIX, discard, fetch, read_manifest

PDF = (SAMPLES / "lv_2018.pdf").read_bytes()


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        if self.path == "/statements/LV%202018%20statement.pdf":
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
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


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
    path = fetch(f"{server}/statements/LV%202018%20statement.pdf", max_bytes=2**24, folder=str(tmp_path))
    assert path.name == "LV 2018 statement.pdf" and path.read_bytes() == PDF
    assert path.parent.name.startswith(FETCH_PREFIX)
    discard(path)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("case, reason", [("truncated", "stopped after 1000"), ("to-ftp", "not http or https"),
                                          ("missing", "404"), ("garbage", "")])
def test_a_broken_download_is_a_fetch_failure_and_leaves_nothing(server, garbage, tmp_path, case, reason):
    url = garbage if case == "garbage" else f"{server}/{case}.pdf"
    with pytest.raises(FetchError) as raised:
        fetch(url, max_bytes=2**24, folder=str(tmp_path))
    assert raised.value.code == "DC111" and reason in raised.value.message and raised.value.where == url
    assert list(tmp_path.iterdir()) == []


def test_a_too_large_download_is_refused(server, tmp_path):
    with pytest.raises(FetchError, match="larger than"):
        fetch(f"{server}/statements/LV%202018%20statement.pdf", max_bytes=1000, folder=str(tmp_path))
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
        fetch(f"{server}{path}", max_bytes=2**24, folder=str(tmp_path), timeout=5, deadline=2)
    assert not list(tmp_path.glob(f"{FETCH_PREFIX}*/*.pdf"))
