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
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from disclosure_check.assess.decisions import document_value
from disclosure_check.errors import ConfigError, DataError, InputError
from disclosure_check.read.extract import check_file
from disclosure_check.run.fetch import is_url, shown_url, url_problem
from disclosure_check.sanitize import path_text
from disclosure_check.types import Given


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
    if url and (problem := url_problem(url)):
        raise ConfigError(f"column 'url': '{shown_url(url)[:80]}' is refused: {problem}", where=where,
                          fix="give the document's public address starting https:// (or http://), without a user "
                              "name or password, or put a local file in the path column")
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


def url_doc_id(url: str) -> str:
    """The id a URL's failure is stored under when its content never arrived."""
    return "url:" + hashlib.sha256(url.encode()).hexdigest()
