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

from disclosure_check.errors import ConfigError
from disclosure_check.files import write_text
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
        pq.write_table(table, str(tmp))
        os.replace(tmp, self.folder / name)
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
    import pyarrow.parquet as pq

    latest: dict[tuple, dict] = {}
    rows = 0
    for part in parts:
        for index, row in enumerate(pq.read_table(part, columns=[*PART_KEY, *columns]).to_pylist()):
            rows += 1
            key = (row["doc_id"], row["rubric_version"], row["model_version"])
            if key not in latest or (row["written_at"] or 0.0) >= (latest[key]["written_at"] or 0.0):
                latest[key] = {**row, "part": part, "index": index}
    return len(parts), rows, latest


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
    """Save the latest outcome of every document in ``folder``'s part files into ``store``."""
    import pyarrow.parquet as pq

    parts, rows, latest = latest_part_rows(folder)
    if not parts:
        raise ConfigError("no part files (part-*.parquet) in this folder", where=str(folder),
                          fix="give the folder a `score --parquet DIR` run wrote")
    for kept in sorted(Path(folder).glob(f"{RUBRIC_PREFIX}*.json")):
        store.keep_rubric(rubric_from_data(json.loads(kept.read_text("utf-8")), where=str(kept)))
    by_part: dict[Path, list[int]] = {}
    for row in latest.values():
        by_part.setdefault(row["part"], []).append(row["index"])
    scored = failed = 0
    for part, indexes in sorted(by_part.items()):
        table = pq.read_table(part, columns=["result_json", "options", "organisation", "year"])
        for index in sorted(indexes):
            row = table.slice(index, 1).to_pylist()[0]
            try:
                result = decode(json.loads(row["result_json"]))
            except (ValueError, KeyError, TypeError) as exc:
                raise ConfigError(f"row {index} of a part file holds no readable result ({exc})", where=str(part),
                                  fix="the file was not written by `score --parquet`, or is damaged") from None
            store.save(result, options=json.loads(row["options"]) if row["options"] else None,
                       organisation=row["organisation"] or None,
                       year=None if row["year"] is None else int(row["year"]))
            if result.status == "failed":
                failed += 1
            else:
                scored += 1
    return LoadSummary(parts=parts, rows=rows, loaded=scored + failed, scored=scored, failed=failed)
