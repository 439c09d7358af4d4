"""Batch inputs: files and folders, or a manifest CSV from a registry export.

A manifest has a ``path`` or a ``url`` column (one of them per row), and optionally the register's
own record of the document, which takes precedence over what the statement says: ``organisation``,
``year`` (the year in which the period covered ends), ``company_number``, ``doc_type`` (statement,
letter, other), ``sector`` (a financial sub-sector such as bank or payments, "financial", or an
industry such as retail_consumer) and ``jurisdiction`` (uk, au, ca; several joined by ";"; "none").
Bad rows are refused before any work is done, naming the row and the column.
"""

from __future__ import annotations

import csv
import hashlib
import re
import shutil
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from disclosure_check.assess.decisions import document_value
from disclosure_check.errors import ConfigError, DataError, FetchError, InputError
from disclosure_check.read.extract import check_file
from disclosure_check.sanitize import path_text
from disclosure_check.types import Given

URL_SCHEMES = ("http://", "https://")
FETCH_TIMEOUT = 60  # seconds without a byte from the server before a fetch is given up
FETCH_DEADLINE = 300  # seconds for the whole fetch (connect, headers, body): a server that sends one
# byte every two seconds never trips FETCH_TIMEOUT, and must not hold a batch for ever
_CHUNK = 2**16
FETCH_PREFIX = "dc-fetch-"


@dataclass(frozen=True)
class Item:
    """One input: a local path or a URL, with what a manifest says about it."""

    source: str  # a path, or an http(s) URL
    organisation: str | None = None
    year: int | None = None
    company_number: str | None = None
    doc_type: str | None = None
    sector: str | None = None
    jurisdictions: tuple[str, ...] | None = None

    @property
    def is_url(self) -> bool:
        return is_url(self.source)

    @property
    def given(self) -> Given | None:
        """What the register records about the document, as scoring takes it (None: nothing)."""
        given = Given(doc_type=self.doc_type, sector=self.sector, jurisdictions=self.jurisdictions,
                      organisation=self.organisation, company_number=self.company_number, year=self.year,
                      source="manifest")
        return given if given else None


def is_url(source: str) -> bool:
    return source.lower().startswith(URL_SCHEMES)


def read_manifest(path: str | Path) -> list[Item]:
    """The items a manifest CSV lists, in order; a ConfigError names the bad row and column.
    Blank lines and a byte-order mark (Excel's "CSV UTF-8") are allowed; relative paths are read
    from the manifest's folder."""
    path = Path(path)
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise ConfigError(f"cannot read the manifest ({exc.strerror})", where=str(path),
                          fix="give --manifest a CSV file with a path or url column") from None
    with handle:
        reader = csv.DictReader(handle)
        items = []
        try:
            columns = {(c or "").strip().lower(): c for c in reader.fieldnames or ()}
            if "path" not in columns and "url" not in columns:
                raise ConfigError("the manifest has no 'path' or 'url' column", where=str(path),
                                  fix="add a header row naming a path or url column (and optionally organisation, "
                                      "year, company_number, doc_type, sector, jurisdiction)")
            for row in reader:
                values = {name: (row.get(original) or "").strip() for name, original in columns.items()}
                if not any(values.values()):
                    continue  # a blank line
                items.append(row_to_item(values, path, reader.line_num))
        except csv.Error as exc:
            raise ConfigError(f"the manifest is not valid CSV ({exc})", where=f"{path}, line {reader.line_num}",
                              fix="save it again as CSV") from None
        except UnicodeDecodeError:
            raise ConfigError("the manifest is not UTF-8 text (UTF-16, Latin-1, or not text at all?)",
                              where=f"{path}, line {reader.line_num + 1}",
                              fix="save it as 'CSV UTF-8' with a path or url column") from None
    return items


def row_to_item(values: dict[str, str], manifest: Path, line: int) -> Item:
    where = f"{manifest}, line {line}"
    local, url = values.get("path", ""), values.get("url", "")
    if bool(local) == bool(url):
        raise ConfigError("a row needs exactly one of 'path' and 'url'" if local else "the row has no path or url",
                          where=where, fix="give each row a path or a url, not both")
    if url and not _valid_url(url):
        raise ConfigError(f"column 'url': '{url[:80]}' is not an http or https URL", where=where,
                          fix="give a URL starting https:// (or http://), or put a local file in the path column")
    source = url or str(manifest.parent / local if not Path(local).is_absolute() else Path(local))
    year = None
    if values.get("year"):
        try:
            year = int(values["year"])
        except ValueError:
            raise ConfigError(f"column 'year': '{values['year'][:20]}' is not a year", where=where,
                              fix="give the year the statement covers as four digits, e.g. 2023") from None
        if not 1990 <= year <= 2100:
            raise ConfigError(f"column 'year': {year} is out of range", where=where,
                              fix="give the year the statement covers as four digits, e.g. 2023")
    judged = {}
    for column in ("company_number", "doc_type", "sector", "jurisdiction"):
        if values.get(column):
            try:
                judged[column] = document_value(column, values[column], where=where)
            except DataError as exc:
                raise ConfigError(f"column '{column}': {exc.message}", where=where, fix=exc.fix) from None
    laws = judged.pop("jurisdiction", None)
    return Item(source, organisation=values.get("organisation") or None, year=year, **judged,
                jurisdictions=None if laws is None else () if laws == "none" else tuple(laws.split(";")))


def paths_to_items(paths: Iterable[str | Path]) -> list[Item]:
    return [Item(str(p)) for p in paths]


PDF_SUFFIXES = {".pdf"}


def not_a_file(path: Path) -> InputError:
    """Why ``path`` cannot be scored, from ``stat`` alone (nothing is opened)."""
    try:
        check_file(path, max_bytes=2**63)
    except InputError as exc:
        if "file not found" in exc.what:
            return InputError("no such file or folder", where=path_text(path), fix="check the path")
        return exc
    return InputError("not a regular file", where=path_text(path), fix="give the path of a PDF file")


def discover(paths: Iterable[str | Path]) -> tuple[list[Path], list[tuple[Path, InputError]]]:
    """PDF files under the given files and folders (recursively), sorted; problems as errors."""
    found: dict[Path, None] = {}
    problems: list[tuple[Path, InputError]] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.suffix.lower() not in PDF_SUFFIXES or child.is_dir():
                    continue
                if child.is_file():
                    found[child] = None
                else:  # a FIFO, device, socket or link loop named *.pdf: a failure with its reason, never read
                    problems.append((child, not_a_file(child)))
        elif path.is_file():
            if path.suffix.lower() in PDF_SUFFIXES:
                found[path] = None
            else:
                problems.append((path, InputError(f"not a PDF ('{path.suffix or 'no extension'}')",
                                                  where=path_text(path), fix="give PDF files or folders containing them")))
        else:
            problems.append((path, not_a_file(path)))
    return list(found), problems


def items_from(paths: Iterable[str | Path]) -> tuple[list[Item], list[tuple[Path, InputError]]]:
    """Items for the PDFs under files and folders, and the inputs that are not PDFs or not there."""
    files, problems = discover(paths)
    return paths_to_items(files), problems


def unique(items: Iterable[Item]) -> list[Item]:
    """Each source once, the first item given for it."""
    seen: dict[str, Item] = {}
    for item in items:
        seen.setdefault(item.source, item)
    return list(seen.values())


def _valid_url(url: str) -> bool:
    """An http(s) URL with a host and nothing a request would refuse (spaces, a broken IPv6 host)."""
    if not is_url(url) or any(c.isspace() for c in url):
        return False
    try:
        return bool(urllib.parse.urlsplit(url).hostname)
    except ValueError:
        return False


def url_doc_id(url: str) -> str:
    """The id a URL's failure is stored under when its content never arrived."""
    return "url:" + hashlib.sha256(url.encode()).hexdigest()


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Redirects are followed only to http and https (urllib's default also follows ftp)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if not is_url(newurl):
            raise urllib.error.URLError(f"redirected to a URL that is not http or https: {newurl[:100]}")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_OPENER = urllib.request.build_opener(_HttpOnlyRedirects)  # no ftp or file handler is ever reached


def fetched_name(url: str) -> str:
    """The file name a download is saved under: the URL's own (the scorer falls back on a file name
    for the organisation and year when the statement names neither), never a random one."""
    name = Path(urllib.parse.unquote(urllib.parse.urlsplit(url).path)).name
    name = re.sub(r"[^\w.() -]+", "_", name).strip(" .")[:120] or "statement"
    return name if name.lower().endswith(".pdf") else f"{name}.pdf"


def discard(path: str | Path) -> None:
    """Remove a downloaded file and the temporary folder ``fetch`` made for it."""
    path = Path(path)
    path.unlink(missing_ok=True)
    if path.parent.name.startswith(FETCH_PREFIX):
        shutil.rmtree(path.parent, ignore_errors=True)


def fetch(url: str, *, max_bytes: int, timeout: float = FETCH_TIMEOUT, folder: str | None = None,
          deadline: float = FETCH_DEADLINE) -> Path:
    """Download ``url`` into a new temporary folder, under the URL's file name (``discard`` removes
    both); at most ``max_bytes``, and exactly as many as the server declared, within ``deadline``
    seconds in all. Anything that goes wrong (a refused or unknown host, an HTTP error, a malformed
    URL or response, a truncated body, a redirect away from http/https, a server too slow) is a
    FetchError (DC111) naming the URL, and leaves no file. The download runs in a thread the caller
    waits for at most ``deadline``: a server that drips its headers cannot hold the batch."""
    if not is_url(url):
        raise FetchError("only http and https URLs are fetched", where=url, fix="give an https:// URL")
    target = Path(tempfile.mkdtemp(prefix=FETCH_PREFIX, dir=folder)) / fetched_name(url)
    outcome: list[BaseException | None] = []
    stop_at = time.monotonic() + deadline
    worker = threading.Thread(target=lambda: outcome.append(_download(url, target, max_bytes, timeout, stop_at)),
                              name="dc-fetch", daemon=True)
    worker.start()
    worker.join(deadline + 1)
    if worker.is_alive() or not outcome:
        discard(target)  # the thread, if it ever wakes, writes to a removed file and ends at its deadline
        raise FetchError(f"the server took longer than {deadline:.0f} s to send the document", where=url,
                         fix="try again later; it is fetched again on the next run")
    if outcome[0] is not None:
        raise outcome[0]
    return target


def _download(url: str, target: Path, max_bytes: int, timeout: float, stop_at: float) -> BaseException | None:
    """``fetch``'s work in its thread: None, or the error to raise."""
    try:
        _copy(url, target, max_bytes, timeout, stop_at)
    except BaseException as exc:  # handed to the caller's thread
        return exc
    return None


def _copy(url: str, target: Path, max_bytes: int, timeout: float, stop_at: float) -> None:
    try:
        request = urllib.request.Request(url, headers={"User-Agent": "disclosure-check"})
        with target.open("wb") as out, _OPENER.open(request, timeout=timeout) as response:
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise _too_large(url, max_bytes)
            copied = 0
            # read1: what has arrived (at most one read from the socket), so the deadline is checked
            # between a slow server's bytes rather than after a whole chunk has trickled in
            while chunk := response.read1(_CHUNK):
                if time.monotonic() > stop_at:
                    raise FetchError("the server is sending the document too slowly", where=url,
                                     fix="try again later; it is fetched again on the next run")
                copied += len(chunk)
                if copied > max_bytes:
                    raise _too_large(url, max_bytes)
                out.write(chunk)
            if declared and declared.isdigit() and copied != int(declared):
                raise FetchError(f"the download stopped after {copied} of {declared} bytes", where=url,
                                 fix="the server closed the connection early; it is fetched again on the next run")
    except FetchError:
        discard(target)
        raise
    except Exception as exc:  # HTTPError, timeouts, refused, bad host, InvalidURL, BadStatusLine, IncompleteRead
        discard(target)
        if isinstance(exc, urllib.error.HTTPError):
            reason = f"HTTP {exc.code} {exc.reason}"
        else:
            reason = str(getattr(exc, "reason", None) or exc) or type(exc).__name__
        raise FetchError(f"the URL could not be fetched ({reason[:200]})", where=url,
                         fix="check the URL opens in a browser; it is fetched again on the next run") from None
    except BaseException:  # Ctrl-C: no file left behind
        discard(target)
        raise


def _too_large(url: str, max_bytes: int) -> FetchError:
    return FetchError(f"the download is larger than {max_bytes // 2**20} MB", where=url,
                      fix="raise --max-mb if it is a genuine statement")
