"""Parquet part files: a run's results written where workers cannot reach the database
(``score --parquet DIR``), and loaded into a results database afterwards (``disclosure-check load``).

Each writer (a process) writes its own parts, each written beside its final name and renamed into
place, so a reader never sees half a part. A part holds the flat columns (``present.export``) plus
the source, the manifest's organisation and year, the options and the whole result (``store.codec``);
the rubric the results were scored with is kept beside them (``rubric-<key>.json``). Loading puts
the latest row per document, rubric and model (by ``written_at``) in the store as if the workers
had saved it, so the store's resume and retry rules work on them afterwards; loading twice changes
nothing (saves are upserts). The parts hold the result, not the document's full text, so keyword
search does not find documents loaded this way until they are scored again into the database.
"""

from __future__ import annotations

import json
import os
import socket
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from disclosure_check.errors import ConfigError, DataError, DisclosureCheckError, RubricError
from disclosure_check.files import write_text, writing
from disclosure_check.present.export import export_view, flat_columns, flat_row, parquet_type
from disclosure_check.rubric import Rubric, rubric_from_data, rubric_to_data
from disclosure_check.run.manifest import Item
from disclosure_check.store.codec import decode, encode
from disclosure_check.types import Assessment, Failure, StoredAttempt

RUBRIC_PREFIX = "rubric-"
PARQUET_EXTRA = ("source", "organisation", "year", "options", "result_json", "written_at")


class ParquetSink:
    """Part files in a folder: the flat columns (``export.flat_columns``) plus the source, the
    manifest's organisation and year, the options and the full result JSON, so the partitions can
    be loaded into a database later. Each writer (a process) writes its own parts, each written
    beside its final name and renamed into place, so a reader never sees half a part. The last
    row written for a document (``written_at``) is its current outcome."""

    def __init__(self, folder: str | Path, rubric: Rubric, model_version: str, *, rows_per_part: int = 200) -> None:
        self.folder = Path(folder)
        with writing(self.folder):
            self.folder.mkdir(parents=True, exist_ok=True)
        self.rubric = rubric
        self.versions = (rubric.key, model_version)
        self.rows_per_part = rows_per_part
        kept = self.folder / f"{RUBRIC_PREFIX}{rubric.key}.json"
        if not kept.is_file():
            write_text(kept, json.dumps(rubric_to_data(rubric), ensure_ascii=False, sort_keys=True))
        self.columns = [*flat_columns(rubric), *PARQUET_EXTRA]
        self._prefix = f"part-{socket.gethostname()}-{os.getpid()}-{time.time_ns()}"
        self._parts = 0
        self._rows: list[dict] = []
        self._by_doc, self._by_source = read_parquet_index(self.folder, rubric.key, model_version)

    def attempt(self, doc_id: str | None, source: str) -> StoredAttempt | None:
        # By source only before the content is known (a URL not fetched yet): once it is, the content
        # decides, so an edited or replaced file at the same path or URL is scored again.
        return self._by_doc.get(doc_id) if doc_id is not None else self._by_source.get(source)

    def save(self, result: Assessment | Failure, options: dict, item: Item) -> None:
        data = encode(result)
        row = flat_row(export_view(data), self.rubric.element_ids, self.rubric)
        row.update(source=item.source, organisation=item.organisation, year=item.year,
                   options=json.dumps(options, sort_keys=True), result_json=json.dumps(data, ensure_ascii=False),
                   written_at=time.time())
        self._rows.append(row)
        if len(self._rows) >= self.rows_per_part:
            self.flush()

    def result(self, doc_id: str) -> Assessment | Failure | None:
        return None  # the partitions are the output; they are not read back during a run

    def flush(self) -> None:
        if not self._rows:
            return
        import pyarrow as pa
        import pyarrow.parquet as pq

        schema = pa.schema([(c, pa.float64() if c == "written_at" else parquet_type(c)) for c in self.columns])
        table = pa.Table.from_pylist([{c: row.get(c) for c in self.columns} for row in self._rows], schema=schema)
        name = f"{self._prefix}-{self._parts:05d}.parquet"
        tmp = self.folder / f".{name}.tmp"
        try:
            with writing(self.folder):  # a full disk: a coded error; the parts written before stay
                pq.write_table(table, str(tmp))
                os.replace(tmp, self.folder / name)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        self._parts += 1
        self._rows.clear()

    def close(self) -> None:
        self.flush()


PART_KEY = ("doc_id", "rubric_version", "model_version", "written_at")


def latest_part_rows(folder: str | Path, columns: Sequence[str] = ()) -> tuple[int, int, dict[tuple, dict]]:
    """The part files in ``folder``: how many, how many rows, and the latest row (by ``written_at``)
    of each (doc_id, rubric_version, model_version), with ``columns`` besides the key and where the
    row is (``part``, ``index``). Only the columns asked for are read."""
    parts = sorted(Path(folder).glob("part-*.parquet"))
    if not parts:
        return 0, 0, {}
    latest: dict[tuple, dict] = {}
    rows = 0
    for part in parts:
        for index, row in enumerate(read_part(part, [*PART_KEY, *columns])):
            rows += 1
            key = (row["doc_id"], row["rubric_version"], row["model_version"])
            if not all(isinstance(k, str) and k for k in key) or not isinstance(row["written_at"], int | float | None):
                raise DataError(f"row {index} has no document id, rubric or model version, or a written_at that is "
                                "not a time", where=str(part), fix=NOT_A_PART)
            if key not in latest or (row["written_at"] or 0.0) >= (latest[key]["written_at"] or 0.0):
                latest[key] = {**row, "part": part, "index": index}
    return len(parts), rows, latest


NOT_A_PART = ("give the folder a `score --parquet DIR` run wrote; a part no such run wrote, or a damaged one, can be "
              "moved out of the folder (a run into the folder scores its documents again)")


def read_part(part: Path, columns: Sequence[str], *, rows: Sequence[int] | None = None) -> list[dict]:
    """``columns`` of a part file's rows (those at ``rows``, or all), or a DataError naming the part:
    a file that is not Parquet, is damaged, or lacks a column a part has."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        names = set(pq.read_schema(part).names)
        missing = [c for c in columns if c not in names]
        if missing:
            raise DataError(f"not a part file of `score --parquet`: it has no column {', '.join(missing)}",
                            where=str(part), fix=NOT_A_PART)
        table = pq.read_table(part, columns=list(columns))
        return table.to_pylist() if rows is None else [table.slice(i, 1).to_pylist()[0] for i in rows]
    except (pa.ArrowException, OSError, ValueError) as exc:
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise DataError(f"cannot read this part file ({reason})", where=str(part), fix=NOT_A_PART) from None


def read_parquet_index(folder: Path, rubric_version: str, model_version: str
                       ) -> tuple[dict[str, StoredAttempt], dict[str, StoredAttempt]]:
    """What the part files in ``folder`` hold for this rubric and model: the latest attempt per
    doc_id and per source (only the small columns are read)."""
    _, _, latest = latest_part_rows(folder, ("source", "status", "error_code", "options"))
    kept = sorted((row for (_, rubric, model), row in latest.items() if (rubric, model) == (rubric_version,
                                                                                          model_version)),
                  key=lambda row: row["written_at"] or 0.0)
    by_doc: dict[str, StoredAttempt] = {}
    by_source: dict[str, StoredAttempt] = {}
    for row in kept:
        attempt = StoredAttempt(row["status"], row["error_code"], json.loads(row["options"]) if row["options"] else None)
        by_doc[row["doc_id"]] = by_source[row["source"]] = attempt
    return by_doc, by_source


@dataclass(frozen=True)
class LoadSummary:
    parts: int
    rows: int  # rows read (every attempt)
    loaded: int  # latest attempt per document, rubric and model: saved
    scored: int
    failed: int


def load_parts(folder: str | Path, store) -> LoadSummary:
    """Save the latest outcome of every document in ``folder``'s part files into ``store``. Every
    part's key columns are read and checked before anything is saved; a part's rows are checked
    before any of them is saved (a bad one is a DataError naming the part and row; loading again
    after it is mended or moved out saves each document once: saves are upserts)."""
    parts, rows, latest = latest_part_rows(folder)
    if not parts:
        raise ConfigError("no part files (part-*.parquet) in this folder", where=str(folder),
                          fix="give the folder a `score --parquet DIR` run wrote")
    for rubric in [read_kept_rubric(kept) for kept in sorted(Path(folder).glob(f"{RUBRIC_PREFIX}*.json"))]:
        store.keep_rubric(rubric)
    by_part: dict[Path, list[int]] = {}
    for row in latest.values():
        by_part.setdefault(row["part"], []).append(row["index"])
    scored = failed = 0
    for part, indexes in sorted(by_part.items()):
        found = read_part(part, ["result_json", "options", "organisation", "year"], rows=sorted(indexes))
        for result, options, organisation, year in [part_row(row, part, index)
                                                    for index, row in zip(sorted(indexes), found, strict=True)]:
            store.save(result, options=options, organisation=organisation, year=year)
            if result.status == "failed":
                failed += 1
            else:
                scored += 1
    return LoadSummary(parts=parts, rows=rows, loaded=scored + failed, scored=scored, failed=failed)


def read_kept_rubric(path: Path) -> Rubric:
    """The rubric a run kept beside its parts, or a coded error naming the file."""
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise DataError(f"cannot read the rubric a run kept here ({exc})", where=str(path), fix=NOT_A_PART) from None
    if not isinstance(data, dict):
        raise RubricError("the rubric a run kept here is not a rubric (not a mapping)", where=str(path),
                          fix=NOT_A_PART)
    return rubric_from_data(data, where=str(path))


def part_row(row: dict, part: Path, index: int) -> tuple[Assessment | Failure, dict | None, str | None, int | None]:
    """One part row as what ``Store.save`` takes (result, options, organisation, year), or a DataError
    naming the part and row."""
    try:
        result = decode(json.loads(row["result_json"]))
        options = json.loads(row["options"]) if row["options"] else None
        if options is not None and not isinstance(options, dict):
            raise ValueError("options are not a mapping")
        organisation = row["organisation"] or None
        if organisation is not None and not isinstance(organisation, str):
            raise ValueError("the organisation is not text")
        year = None if row["year"] is None else int(row["year"])
    except DisclosureCheckError:
        raise
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        reason = f"no field {exc}" if isinstance(exc, KeyError) else str(exc)
        raise DataError(f"row {index} holds no readable result ({reason})", where=str(part), fix=NOT_A_PART) from None
    return result, options, organisation, year
