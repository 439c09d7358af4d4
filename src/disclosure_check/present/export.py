"""Results as plain dicts, and files: JSON (full evidence), CSV and Parquet (one row per document).

JSON and Parquet are data formats and keep every value as stored (text was cleaned of control
characters and capped where it entered, at extraction). CSV is opened by spreadsheets, which run a
cell starting with = + - @ as a formula: every CSV cell is neutralised (``sanitize.neutralise_cell``),
and ``spreadsheet_safe`` does the same for a table the dashboard offers as CSV or Excel.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Sequence
from contextlib import ExitStack, suppress
from pathlib import Path

from disclosure_check.errors import ConfigError
from disclosure_check.files import atomic_path, writing
from disclosure_check.rubric import ELEMENT_IDS, Rubric
from disclosure_check.sanitize import neutralise_cell
from disclosure_check.store.codec import encode
from disclosure_check.types import IDENTITY_FIELDS, Assessment, Failure, scale_label, statutory_state

MAX_CRITERION_EVIDENCE = 8  # per criterion and letter item in an export: the strongest first
# identity_organisation, ..., then where the organisation and year came from ("text", "metadata", "file name")
IDENTITY_COLUMNS = [f"identity_{name}" for name in IDENTITY_FIELDS] + [
    "identity_organisation_source", "identity_year_source", "identity_suggestion"]
# Each judgement about the document: its value's source ("text", "manifest", "option", "reviewer").
JUDGEMENT_COLUMNS = ["jurisdictions", "statement_pages", "doc_type_source", "sector_source", "jurisdiction_source"]

FORMATS = (".json", ".csv", ".parquet")
STORE_ONLY = ("origins", "criterion")  # criterion evidence keys the store keeps and an export leaves out
# (and a statutory check's "element")


def export_view(item: dict) -> dict:
    """What an export shows of a stored result dict (``store.codec``): the strongest
    ``MAX_CRITERION_EVIDENCE`` evidence items per criterion and letter item, without the keys only
    the store needs. Everything else as stored."""
    if "criteria" not in item:
        return item
    out = dict(item)
    if item.get("statutory"):
        out["statutory"] = {**item["statutory"], "checks": [{k: v for k, v in c.items() if k != "element"}
                                                            for c in item["statutory"]["checks"]]}
    out["criteria"] = [{**c, "evidence": [_trim(e) for e in c.get("evidence", ())[:MAX_CRITERION_EVIDENCE]]}
                       for c in item["criteria"]]
    out["letter"] = [{**i, "evidence": [_trim(e) for e in i.get("evidence", ())[:MAX_CRITERION_EVIDENCE]]}
                     for i in item.get("letter", ())]
    return out


def _trim(evidence: dict) -> dict:
    return {k: v for k, v in evidence.items() if k not in STORE_ONLY}


def result_to_dict(result: Assessment | Failure) -> dict:
    """The documented JSON shape of one input (see README, "Output")."""
    return export_view(encode(result))


def level_label(item: dict, level: int | None) -> str:
    """'3 Established': a level with its name from the scale the result was scored on."""
    return scale_label(level, {entry["level"]: entry["name"] for entry in item.get("scale") or []})


def gate_state(statutory: dict) -> str | None:
    """The gate's state from an exported dict; results stored before states existed have only ``met``."""
    return statutory_state([c.get("state") or ("met" if c["met"] else "not_met") for c in statutory["checks"]])


def flat_row(item: dict, element_ids: Sequence[str] = ELEMENT_IDS, rubric: Rubric | None = None) -> dict:
    """One CSV/Parquet row: document fields plus present/confidence/evidence count/best page per element.
    ``rubric``: the one the result was scored with, which names the top gap (``top_gap_name``; without
    it, the code alone)."""
    row = {k: item.get(k) for k in ("document", "doc_id", "status", "error", "error_code", "pages",
                                     "rubric_version", "model_version", "language")}
    ocr_pages = item.get("pages_ocr") or []
    row["pages_ocr"] = ";".join(str(p["page"]) for p in ocr_pages)
    row["pages_ocr_confidence"] = ";".join(f"{p['confidence']:g}" for p in ocr_pages)
    row["hidden_words"] = sum(int(h["words"]) for h in item.get("pages_hidden_text") or ()) \
        if item.get("status") == "scored" else None
    identity, sources = item.get("identity") or {}, item.get("identity_sources") or {}
    for name in IDENTITY_FIELDS:
        value = identity.get(name)
        row[f"identity_{name}"] = ";".join(value) if isinstance(value, list) else value
    row["identity_organisation_source"] = sources.get("organisation")
    row["identity_year_source"] = sources.get("year")
    row["identity_suggestion"] = item.get("identity_suggestion")
    if "reviewed" in item:
        row.update(organisation=item.get("organisation"), year=item.get("year"), origin=item.get("origin"),
                   reviewed=item["reviewed"])
        _verification_cells(row, "", item.get("verification"))
    elements = item.get("elements") or {}
    for element in element_ids:
        entry = elements.get(element)
        row[f"{element}_present"] = entry["present"] if entry else None
        row[f"{element}_confidence"] = entry["confidence"] if entry else None
        row[f"{element}_evidence"] = len(entry["evidence"]) if entry else None
        row[f"{element}_page"] = entry["evidence"][0]["page"] if entry and entry["evidence"] else None
        if "reviewed" in item:
            _verification_cells(row, f"{element}_", (entry or {}).get("verification"))
    if "criteria" in item:
        row["doc_type"] = item["doc_type"]
        row["financial"] = item["sector"]["financial"]
        row["subsector"] = item["sector"]["subsector"]
        row["industry"] = item["sector"].get("industry")  # absent from results scored before it was detected
        statement = item["doc_type"] == "statement"  # a letter or another document is never a statutory verdict
        row["statutory_met"] = item["statutory"]["met"] if item["statutory"] and statement else None
        row["statutory_state"] = gate_state(item["statutory"]) if item["statutory"] and statement else None
        row["jurisdictions"] = ";".join(item.get("jurisdictions") or ())
        section = item.get("section")
        row["statement_pages"] = f"{section['first_page']}-{section['last_page']}" if section else None
        judgements = item.get("judgements") or {}
        for name in ("doc_type", "sector", "jurisdiction"):
            row[f"{name}_source"] = (judgements.get(name) or {}).get("source")
        for check in (item["statutory"] or {}).get("checks", []):
            row[f"{check['id']}_state"] = check.get("state") or ("met" if check["met"] else "not_met")
            if "reviewed" in item:
                _verification_cells(row, f"{check['id']}_", check.get("verification"))
        row["overall_level"] = item["overall"]
        row["overall_label"] = level_label(item, item["overall"])
        for theme in item["themes"]:
            row[f"{theme['id']}_level"] = theme["level"]
        for criterion in item["criteria"]:
            row[f"{criterion['id']}_level"] = criterion["level"] if criterion["applies"] else None
            if "reviewed" in item:
                _verification_cells(row, f"{criterion['id']}_", criterion.get("verification"))
        row["top_gap"] = item["gaps"][0]["criterion"] if item["gaps"] else None
        row["top_gap_name"] = (rubric.label(row["top_gap"]) if rubric else row["top_gap"]) if row["top_gap"] else None
    if "training_audiences" in item:
        row["training_audiences"] = ";".join(item["training_audiences"]["labels"])
    return row


# A finding's (or, without a prefix, the document's) verification in a flat row: its level (machine,
# reviewed, verified, disputed), its reviewers joined by ";", how many decisions, the time of the last.
VERIFICATION_SUFFIXES = ("verification", "reviewers", "decisions", "decided_at")


def verification_columns(prefix: str = "") -> list[str]:
    return [f"{prefix}{suffix}" for suffix in VERIFICATION_SUFFIXES]


def _verification_cells(row: dict, prefix: str, found: dict | None) -> None:
    found = found or {"level": "machine", "reviewers": [], "decisions": 0, "last_decided_at": None}
    row.update(zip(verification_columns(prefix), (found["level"], ";".join(found["reviewers"]), found["decisions"],
                                                  found["last_decided_at"]), strict=True))


def flat_columns(rubric=None, *, reviewed: bool = False) -> list[str]:
    """The CSV/Parquet columns, in order, for results scored with ``rubric`` (every column a row of
    ``flat_row`` can have, so a file can be written one row at a time)."""
    columns = ["document", "doc_id", "status", "error", "error_code", "pages", "rubric_version", "model_version",
               "language", "pages_ocr", "pages_ocr_confidence", "hidden_words", *IDENTITY_COLUMNS]
    if reviewed:
        columns += ["organisation", "year", "origin", "reviewed", *verification_columns()]
    element_ids = rubric.element_ids if rubric is not None else ELEMENT_IDS
    for element in element_ids:
        columns += [f"{element}_present", f"{element}_confidence", f"{element}_evidence", f"{element}_page"]
        columns += verification_columns(f"{element}_") if reviewed else []
    if rubric is not None and (rubric.criteria or rubric.gate):
        columns += ["doc_type", "financial", "subsector", "industry", *JUDGEMENT_COLUMNS, "statutory_met", "statutory_state",
                    "overall_level", "overall_label"]
        for check in rubric.gate:
            columns += [f"{check.id}_state", *(verification_columns(f"{check.id}_") if reviewed else [])]
        columns += [f"{t.id}_level" for t in rubric.themes]
        for c in rubric.criteria:
            columns += [f"{c.id}_level", *(verification_columns(f"{c.id}_") if reviewed else [])]
        columns += ["top_gap", "top_gap_name"]
    columns.append("training_audiences")
    return columns


def parquet_type(column: str):
    import pyarrow as pa

    if column.endswith("_present") or column in ("financial", "statutory_met", "reviewed"):
        return pa.bool_()
    if column.endswith("_confidence") and column != "pages_ocr_confidence":
        return pa.float64()
    if column.endswith(("_evidence", "_page", "_level", "_decisions")) or column in (
            "pages", "year", "identity_year", "hidden_words", "decisions"):
        return pa.int64()
    return pa.string()


class ResultsWriter:
    """Writes results one at a time, as they are scored: ``.json`` (the full result dicts, a list),
    ``.csv`` or ``.parquet`` (one ``flat_row`` each, in ``columns``). Memory stays flat however long
    the batch. The file is written beside ``path`` and renamed over it on ``close``, so a run that is
    interrupted leaves the previous file (or none), never a half-written one."""

    PARQUET_ROWS = 500  # rows per Parquet row group

    def __init__(self, path: str | Path, columns: Sequence[str],
                 rubric_for: Callable[[str], Rubric | None] = lambda key: None) -> None:
        """``rubric_for``: a result's rubric by its ``rubric_version`` (it names codes in flat rows)."""
        self.rubric_for = rubric_for
        self.path = Path(path)
        self.suffix = check_output_path(self.path)
        self.columns = list(columns)
        self._atomic = ExitStack()  # a temporary file of its own beside ``path`` (files.atomic_path)
        self.tmp = self._atomic.enter_context(atomic_path(self.path))
        self.count = 0
        self._rows: list[dict] = []
        self._parquet = None
        self._handle = None
        try:
            with writing(self.path):
                if self.suffix != ".parquet":
                    self._handle = self.tmp.open("w", encoding="utf-8", newline="")
                if self.suffix == ".json":
                    self._handle.write("[")
                elif self.suffix == ".csv":
                    self._csv = csv.DictWriter(self._handle, fieldnames=self.columns, extrasaction="ignore")
                    self._csv.writerow({column: neutralise_cell(column) for column in self.columns})
        except BaseException:
            self.abort()
            raise

    def write(self, item: dict) -> None:
        """One result dict (an export's, or a stored one: ``export_view`` is taken of it)."""
        with writing(self.path):
            self._write(export_view(item))
        self.count += 1

    def _write(self, item: dict) -> None:
        if self.suffix == ".json":
            self._handle.write(("," if self.count else "") + "\n" + json.dumps(item, indent=1, ensure_ascii=False))
        elif self.suffix == ".csv":
            self._csv.writerow({key: neutralise_cell(value) for key, value in self._row(item).items()})
        else:
            self._rows.append(self._row(item))
            if len(self._rows) >= self.PARQUET_ROWS:
                self._flush_parquet()

    def _row(self, item: dict) -> dict:
        return flat_row(item, rubric=self.rubric_for(item.get("rubric_version") or ""))

    def _flush_parquet(self) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        schema = pa.schema([(c, parquet_type(c)) for c in self.columns])
        if self._parquet is None:
            self._parquet = pq.ParquetWriter(str(self.tmp), schema)
        table = pa.Table.from_pylist([{c: row.get(c) for c in self.columns} for row in self._rows], schema=schema)
        self._parquet.write_table(table)
        self._rows.clear()

    def close(self) -> Path:
        """Finish the file and put it in place (a full disk: a coded error, the unfinished file dropped)."""
        try:
            with writing(self.path):
                if self.suffix == ".json":
                    self._handle.write("\n]\n")
                if self._handle is not None:
                    self._handle.close()
                if self.suffix == ".parquet":
                    if self._rows or self._parquet is None:
                        self._flush_parquet()
                    self._parquet.close()
        except BaseException:
            self.abort()
            raise
        self._atomic.close()  # flushed to disk and renamed over ``path``
        return self.path

    def abort(self) -> None:
        """Drop the unfinished file; ``path`` keeps what it had."""
        with suppress(OSError):  # closing flushes: on a full disk that fails too, and nothing is kept anyway
            if self._handle is not None:
                self._handle.close()
        with suppress(OSError):
            if self._parquet is not None:
                self._parquet.close()
        self._atomic.__exit__(RuntimeError, RuntimeError("aborted"), None)  # removes the temporary file

    def __enter__(self) -> ResultsWriter:
        return self

    def __exit__(self, kind, value, traceback) -> None:
        if kind is None:
            self.close()
        else:
            self.abort()


def check_output_path(path: str | Path) -> str:
    """The output format of ``path`` by its extension, or a ConfigError before any work is done."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise ConfigError(f"unknown output format '{suffix or path.name}'", where=str(path),
                          fix=f"use a file name ending in one of {', '.join(FORMATS)}")
    return suffix


def write_results(items: Sequence[dict], path: str | Path,
                  rubric_for: Callable[[str], Rubric | None] = lambda key: None) -> Path:
    """Write by extension: .json keeps everything, .csv and .parquet one flat row per document."""
    columns: dict[str, None] = {}
    if check_output_path(path) != ".json":
        for item in items:
            columns.update(dict.fromkeys(flat_row(item)))
    with ResultsWriter(path, list(columns), rubric_for) as writer:
        for item in items:
            writer.write(item)
    return Path(path)


def spreadsheet_safe(frame):
    """A copy of a pandas DataFrame that a spreadsheet can open without running anything: every
    text cell, and every column name, that starts with = + - @ (or a tab or line break) gets a
    leading apostrophe (``sanitize.neutralise_cell``). Numbers, booleans and dates are unchanged.
    For the dashboard's CSV and Excel downloads; CSV files written here are neutralised already."""
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or str(safe[column].dtype) in ("string", "str", "category"):
            safe[column] = safe[column].astype(object).map(neutralise_cell)
    safe.columns = [neutralise_cell(column) for column in safe.columns]
    return safe
