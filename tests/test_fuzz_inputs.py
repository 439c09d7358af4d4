"""A seeded fuzz of what comes from outside the PDF: file names of any bytes, manifest URLs of any
shape, and web servers that misbehave in every way a registry's URLs can. Each case must end as a
result or a coded failure within its limits, leave no download behind, and print nothing raw.
The seeds are fixed, so a failure here is reproducible; the worst time of any case is asserted
against its deadline (timings are recorded by benchmarks/hostile_inputs.py, not asserted here)."""

from __future__ import annotations

import gzip
import http.server
import os
import random
import re
import socket
import time

import pytest
from click.testing import CliRunner

from conftest import SAMPLES, loopback_server
from disclosure_check.cli import main
from disclosure_check.errors import ConfigError, FetchError
from disclosure_check.run.fetch import FETCH_PREFIX, discard, fetch
from disclosure_check.run.manifest import read_manifest
from disclosure_check.sanitize import text_path
from disclosure_check.store.store import Store

pytestmark = pytest.mark.slow
PDF = (SAMPLES / "lv_2018.pdf").read_bytes()
RAW_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x9b]")  # what a terminal would act on (newline and tab aside)


def _name(rng: random.Random) -> bytes:
    """A file name of arbitrary bytes (no '/' or NUL, which no file system takes), ending .pdf."""
    alphabet = [bytes([b]) for b in range(1, 256) if b != ord("/")]
    pieces = [rng.choice([b"\x1b]0;owned\x07", b"\x1b[2J", b"\nfailed: fake.pdf", b"\r", b"\xe9t\xe9",
                          b"\xff\xfe", b"\xed\xa0\x80", "💥".encode(), b"-rf", b" ", b"..", b"\\"])
              for _ in range(rng.randint(0, 3))]
    pieces += [rng.choice(alphabet) for _ in range(rng.randint(1, 30))]
    rng.shuffle(pieces)
    return b"".join(pieces)[:200] + b".pdf"


def test_a_batch_of_files_with_names_of_any_bytes_is_stored_and_printed_safely(tmp_path):
    rng = random.Random(2207)
    folder = tmp_path / "in"
    folder.mkdir()
    names: set[bytes] = set()
    while len(names) < 25:
        names.add(_name(rng))
    for i, name in enumerate(sorted(names)):
        # each file's bytes differ (documents are stored by content): a PDF with a trailing comment, or a broken file
        body = (PDF if i % 3 else rng.choice([b"", b"%PDF-1.7\n", os.urandom(300), PDF[: len(PDF) // 2]])) + b"\n%%%d" % i
        with open(os.path.join(os.fsencode(folder), name), "wb") as handle:
            handle.write(body)
    db = tmp_path / "fuzz.db"
    result = CliRunner().invoke(main, ["score", str(folder), "--db", str(db), "--jobs", "1"])
    assert result.exit_code in (0, 1), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert not RAW_CONTROL.search(result.output)
    with Store(db) as store:
        counts = store.counts()
    assert sum(counts.values()) == len(names) and counts.get("scored", 0) >= len(names) * 2 // 3 - 1
    for out in ("out.csv", "out.json"):
        exported = CliRunner().invoke(main, ["export", "--out", str(tmp_path / out), "--db", str(db)])
        assert exported.exit_code == 0, exported.output
    with Store(db) as store:
        kept = {os.fsencode(text_path(s.result.path)) for s in store.stored()}
    # stored escaped, turned back exactly (a name holding a literal backslash-x-hex is the one ambiguity)
    assert kept == {os.path.join(os.fsencode(folder), n) for n in names if b"\\x" not in n}
    weird = next(n for n in sorted(names, key=len, reverse=True) if b"\x1b" in n or b"\n" in n)
    report = CliRunner().invoke(main, ["report", os.fsdecode(os.path.join(os.fsencode(folder), weird)), "--db", str(db),
                                       "--out", str(tmp_path / "report.md")])
    assert report.exception is None or isinstance(report.exception, SystemExit), report.output
    assert not RAW_CONTROL.search(report.output)


# -- manifest URLs ---------------------------------------------------------------------------------
def _url(rng: random.Random, port: int) -> str:
    scheme = rng.choice(["http", "https", "HTTP", "ftp", "file", "javascript", "http", "https"])
    host = rng.choice(["127.0.0.1", "localhost", "[::1]", "10.0.0.1", "169.254.169.254", "0.0.0.0", "[fe80::1]",
                       "example.invalid", "xn--bcher-kva.example", "bücher.example", "[::ffff:127.0.0.1]",
                       "2130706433", "0x7f.1", "user:pw@127.0.0.1", "token@example.org", "", "[::1",
                       "a" * 300 + ".example", "224.0.0.1", "%31%32%37.0.0.1"])
    port_part = rng.choice(["", f":{port}", ":0", ":99999", ":-1", ":abc", ":80"])
    path = "/" + "".join(rng.choice("abc%/._-?#&= \t\u202e\x00💥") for _ in range(rng.randint(0, 20)))
    return f"{scheme}://{host}{port_part}{path}"


def test_manifest_urls_of_any_shape_are_refused_by_row_or_fail_as_fetches(tmp_path):
    rng = random.Random(1984)
    refused = failed = 0
    for n in range(150):
        url = _url(rng, 9)
        manifest = tmp_path / f"m{n}.csv"
        manifest.write_text("url\n" + url.replace('"', "") + "\n", encoding="utf-8", errors="surrogatepass")
        try:
            items = read_manifest(manifest)
        except ConfigError as exc:
            assert exc.code == "DC600" and "pw@" not in str(exc) and "token@" not in str(exc)  # never echoed
            refused += 1
            continue
        for item in items:
            assert "pw@" not in item.source and "token@" not in item.source
            try:
                fetched = fetch(item.source, max_bytes=2**20, folder=str(tmp_path), timeout=2, deadline=4)
            except FetchError as exc:
                assert exc.code == "DC111" and "pw@" not in str(exc)
                failed += 1
            else:  # nothing here is public and reachable
                discard(fetched.path)
                pytest.fail(f"fetched {item.source!r}")
    assert refused and failed and not list(tmp_path.glob(f"{FETCH_PREFIX}*"))


# -- servers that misbehave ------------------------------------------------------------------------
BEHAVIOURS = ["ok", "gzip", "lying-length", "short-length", "no-length", "redirect-loop", "redirect-private",
              "redirect-file", "status-500", "status-1000", "garbage", "close", "huge-header", "slow",
              "deflate-junk", "empty", "chunked-bad", "many-headers", "unicode-location"]


class Chaos(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:
        pass

    def _send(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802, C901 - one branch per behaviour
        behaviour = self.path.strip("/").split("/")[0]
        port = self.server.server_address[1]
        self.close_connection = True
        if behaviour == "ok":
            self._send(200, {"Content-Length": str(len(PDF))}, PDF)
        elif behaviour == "gzip":
            body = gzip.compress(PDF)
            self._send(200, {"Content-Encoding": "gzip", "Content-Length": str(len(body))}, body)
        elif behaviour == "lying-length":
            self._send(200, {"Content-Length": str(len(PDF) * 3)}, PDF)
        elif behaviour == "short-length":
            self._send(200, {"Content-Length": "10"}, PDF)
        elif behaviour == "no-length":
            self._send(200, {}, PDF)
        elif behaviour == "redirect-loop":
            self._send(302, {"Location": f"http://127.0.0.1:{port}/redirect-loop", "Content-Length": "0"}, b"")
        elif behaviour == "redirect-private":
            self._send(302, {"Location": "http://169.254.169.254/latest/meta-data/", "Content-Length": "0"}, b"")
        elif behaviour == "redirect-file":
            self._send(302, {"Location": "file:///etc/passwd", "Content-Length": "0"}, b"")
        elif behaviour == "status-500":
            self._send(500, {"Content-Length": "0"}, b"")
        elif behaviour == "status-1000":
            self.wfile.write(b"HTTP/1.1 1000 Odd\r\nContent-Length: 0\r\n\r\n")
        elif behaviour == "garbage":
            self.wfile.write(os.urandom(200))
        elif behaviour == "close":
            self.connection.shutdown(socket.SHUT_RDWR)
        elif behaviour == "huge-header":
            self.wfile.write(b"HTTP/1.1 200 OK\r\nX-Big: " + b"a" * 200_000 + b"\r\n\r\n")
        elif behaviour == "slow":
            self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n")
            for _ in range(30):
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(0.25)
        elif behaviour == "deflate-junk":
            self._send(200, {"Content-Encoding": "deflate", "Content-Length": "50"}, os.urandom(50))
        elif behaviour == "empty":
            self._send(200, {"Content-Length": "0"}, b"")
        elif behaviour == "chunked-bad":
            self.wfile.write(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n")
        elif behaviour == "many-headers":
            self.wfile.write(b"HTTP/1.1 200 OK\r\n" + b"".join(b"X-%d: 1\r\n" % i for i in range(500)) + b"\r\n")
        elif behaviour == "unicode-location":
            self.wfile.write("HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:1/\u202eevil\r\nContent-Length: 0\r\n\r\n"
                             .encode())


@pytest.fixture(scope="module")
def chaos():
    with loopback_server(Chaos) as url:
        yield url


def test_servers_that_misbehave_end_as_a_document_or_a_fetch_failure_within_the_deadline(chaos, tmp_path):
    rng = random.Random(314)
    cases = BEHAVIOURS + [rng.choice(BEHAVIOURS) for _ in range(20)]
    worst = 0.0
    outcomes: dict[str, set[str]] = {}
    for behaviour in cases:
        started = time.monotonic()
        try:
            fetched = fetch(f"{chaos}/{behaviour}/s.pdf", max_bytes=2**20, folder=str(tmp_path), timeout=2, deadline=3,
                            allow=("127.0.0.1",))
        except FetchError as exc:
            assert exc.code == "DC111"
            outcomes.setdefault(behaviour, set()).add("failed")
        else:
            # what HTTP declared, and no more (a short Content-Length gives a short file: scoring calls it corrupt)
            assert PDF.startswith(fetched.path.read_bytes())
            outcomes.setdefault(behaviour, set()).add("fetched")
            discard(fetched.path)
        worst = max(worst, time.monotonic() - started)
    assert worst < 3 + 2  # the deadline, and the second the caller waits past it
    assert outcomes["ok"] == outcomes["gzip"] == outcomes["no-length"] == {"fetched"}
    for behaviour in ("lying-length", "redirect-loop", "redirect-private", "redirect-file", "slow",
                      "garbage", "huge-header", "deflate-junk", "status-500"):
        assert outcomes[behaviour] == {"failed"}, behaviour
    assert not list(tmp_path.glob(f"{FETCH_PREFIX}*"))
