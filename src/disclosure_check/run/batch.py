"""The batch, whatever runs it: items -> the documents still to score -> outcomes, saved as they finish.

Shared by the local engine (``run_batch``: a WorkerPool of this process) and the Dask engine
(engine_dask.py): turning a URL into a temporary file, the resume rules (what a sink already holds
and whether it must be tried again), the sinks (the store, or Parquet part files) and ``Outcome``,
the small record that is all a run keeps per document, so its memory stays flat however long it is.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from disclosure_check.errors import FetchError, InputError
from disclosure_check.read.extract import file_digest
from disclosure_check.run.isolation import Limits, WorkerPool
from disclosure_check.run.manifest import Item, discard, fetch, paths_to_items, url_doc_id
from disclosure_check.types import Assessment, Failure

if TYPE_CHECKING:
    from disclosure_check.pipeline import Scorer, ScorerSpec
    from disclosure_check.store.store import StoredAttempt


@dataclass(frozen=True)
class Outcome:
    """What a run keeps of one document: never the result itself."""

    doc_id: str
    source: str  # the path or URL it was given as
    status: str  # "scored" | "failed"
    code: str | None = None
    reason: str | None = None
    reused: bool = False  # already stored, not scored again


def result_to_outcome(result: Assessment | Failure, source: str) -> Outcome:
    if isinstance(result, Failure):
        return Outcome(result.doc_id, source, "failed", result.code, result.reason)
    return Outcome(result.doc_id, source, "scored")


@dataclass
class BatchSummary:
    """Counts, and the failures (source, code, reason) for the closing report.
    ``skipped_failed`` counts the stored failures reused without a retry (they are in ``failures``
    too): the run's inputs include them, so they count in the exit code."""

    scored: int = 0
    failed: int = 0
    skipped: int = 0
    skipped_failed: int = 0
    failures: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def any_failed(self) -> bool:
        return bool(self.failed or self.skipped_failed)

    def add(self, outcome: Outcome) -> None:
        if outcome.reused:
            self.skipped += 1
        if outcome.status == "failed":
            if outcome.reused:
                self.skipped_failed += 1
            else:
                self.failed += 1
            self.failures.append((outcome.source, outcome.code or "", outcome.reason or ""))
        elif not outcome.reused:
            self.scored += 1


# -- sinks: where outcomes are kept, and what is already there -----------------------------------
class Sink(Protocol):
    def attempt(self, doc_id: str | None, source: str) -> StoredAttempt | None: ...
    def save(self, result: Assessment | Failure, options: dict, item: Item) -> None: ...
    def result_dict(self, doc_id: str) -> dict | None: ...
    def close(self) -> None: ...


class StoreSink:
    """The results database (``Store``), through its public methods only."""

    def __init__(self, store, rubric_version: str, model_version: str) -> None:
        self.store = store
        self.versions = (rubric_version, model_version)

    def attempt(self, doc_id: str | None, source: str) -> StoredAttempt | None:
        return None if doc_id is None else self.store.stored_attempt(doc_id, *self.versions)

    def save(self, result: Assessment | Failure, options: dict, item: Item) -> None:
        self.store.save(result, options=options, organisation=item.organisation, year=item.year)

    def result_dict(self, doc_id: str) -> dict | None:
        return self.store.result_dict(doc_id, *self.versions)

    def close(self) -> None:
        """The store belongs to the caller."""


PARQUET_EXTRA = ("source", "organisation", "year", "options", "result_json", "written_at")


class ParquetSink:
    """Part files in a folder: the flat columns (``export.flat_columns``) plus the source, the
    manifest's organisation and year, the options and the full result JSON, so the partitions can
    be loaded into a database later. Each writer (a process) writes its own parts, each written
    beside its final name and renamed into place, so a reader never sees half a part. The last
    row written for a document (``written_at``) is its current outcome."""

    def __init__(self, folder: str | Path, rubric, rubric_version: str, model_version: str, *,
                 rows_per_part: int = 200) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.rubric = rubric
        self.versions = (rubric_version, model_version)
        self.rows_per_part = rows_per_part
        from disclosure_check.present.export import flat_columns

        self.columns = [*flat_columns(rubric), *PARQUET_EXTRA]
        self._prefix = f"part-{socket.gethostname()}-{os.getpid()}-{time.time_ns()}"
        self._parts = 0
        self._rows: list[dict] = []
        self._by_doc, self._by_source = read_parquet_index(self.folder, rubric_version, model_version)

    def attempt(self, doc_id: str | None, source: str) -> StoredAttempt | None:
        # By source only before the content is known (a URL not fetched yet): once it is, the content
        # decides, so an edited or replaced file at the same path or URL is scored again.
        return self._by_doc.get(doc_id) if doc_id is not None else self._by_source.get(source)

    def save(self, result: Assessment | Failure, options: dict, item: Item) -> None:
        from disclosure_check.present.export import flat_row, result_to_dict

        data = result_to_dict(result)
        row = flat_row(data, self.rubric.element_ids, self.rubric)
        row.update(source=item.source, organisation=item.organisation, year=item.year,
                   options=json.dumps(options, sort_keys=True), result_json=json.dumps(data, ensure_ascii=False),
                   written_at=time.time())
        self._rows.append(row)
        if len(self._rows) >= self.rows_per_part:
            self.flush()

    def result_dict(self, doc_id: str) -> dict | None:
        return None  # the partitions are the output; they are not read back during a run

    def flush(self) -> None:
        if not self._rows:
            return
        import pyarrow as pa
        import pyarrow.parquet as pq

        from disclosure_check.present.export import _arrow_type

        schema = pa.schema([(c, pa.float64() if c == "written_at" else _arrow_type(c)) for c in self.columns])
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
    from disclosure_check.store.store import StoredAttempt

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


# -- deciding and resolving ------------------------------------------------------------------------
def reuse(sink: Sink | None, doc_id: str | None, source: str, options: dict, *, rescore: bool,
          retry_failed: bool) -> StoredAttempt | None:
    """The stored attempt to reuse instead of scoring, or None to score."""
    from disclosure_check.pipeline import needs_retry

    if sink is None or rescore:
        return None
    stored = sink.attempt(doc_id, source)
    if stored is None or needs_retry(stored, options, retry_failed=retry_failed):
        return None
    if stored.error_code == FetchError.code:  # the server may answer now: a fetch is always tried again
        return None
    return stored


def reused_outcome(doc_id: str | None, source: str, stored: StoredAttempt, sink: Sink) -> Outcome:
    reason = None
    if stored.status == "failed" and doc_id is not None:
        item = sink.result_dict(doc_id) or {}
        reason = item.get("error")
    return Outcome(doc_id or "", source, stored.status, stored.error_code, reason, reused=True)


def resolve(item: Item, max_bytes: int) -> tuple[str, str]:
    """(local path, doc_id) for an item: a URL is fetched into a temporary file the caller removes
    (``FetchError`` when it cannot be); a path is hashed (or its path hashed when unreadable)."""
    from disclosure_check.pipeline import safe_doc_id

    if item.is_url:
        path = fetch(item.source, max_bytes=max_bytes)
        return str(path), file_digest(path)
    return item.source, safe_doc_id(Path(item.source))


@dataclass(frozen=True)
class Prepared:
    """What becomes of one item before any scoring: a stored attempt reused, a failed fetch, or a
    local ``path`` to score (a URL's download, which the caller ``discard``s after scoring)."""

    doc_id: str | None = None
    path: str | None = None
    stored: StoredAttempt | None = None
    failure: Failure | None = None


def prepare(item: Item, sink: Sink | None, options: dict, scorer: Scorer, *, rescore: bool,
            retry_failed: bool) -> Prepared:
    """The resume rules both engines follow: a URL the sink already knows by its source is not
    fetched again; otherwise the item is fetched (a URL) and hashed, and a stored attempt for its
    content is reused (the download discarded) unless it should be tried again."""
    if item.is_url and (stored := reuse(sink, None, item.source, options, rescore=rescore,
                                        retry_failed=retry_failed)):
        return Prepared(stored=stored)  # Parquet knows sources: no need to fetch again
    try:
        path, doc_id = resolve(item, scorer.options.max_bytes)
    except FetchError as exc:
        return Prepared(failure=fetch_failure(scorer.failure, item, exc))
    try:
        stored = reuse(sink, doc_id, item.source, options, rescore=rescore, retry_failed=retry_failed)
    except BaseException:
        if item.is_url:
            discard(path)
        raise
    if stored is not None:
        if item.is_url:
            discard(path)
        return Prepared(doc_id=doc_id, stored=stored)
    return Prepared(doc_id=doc_id, path=path)


def fetch_failure(scorer_failure: Callable[..., Failure], item: Item, error: FetchError) -> Failure:
    failure = scorer_failure(Path(item.source), error, doc_id=url_doc_id(item.source))
    return replace(failure, path=item.source)


def as_given(result: Assessment | Failure, item: Item) -> Assessment | Failure:
    """A fetched document's result names its URL, not the temporary file it was read from."""
    return replace(result, path=item.source) if item.is_url else result


def unique(items: Sequence[Item]) -> list[Item]:
    seen: dict[str, Item] = {}
    for item in items:
        seen.setdefault(item.source, item)
    return list(seen.values())


# -- the local engine ------------------------------------------------------------------------------
def run_local(
    items: Sequence[Item],
    problems: Sequence[tuple[Path, InputError]],
    scorer: Scorer,
    *,
    sink: Sink | None,
    rescore: bool = False,
    retry_failed: bool = False,
    jobs: int = 1,
    limits: Limits | None = None,
    spec: ScorerSpec | None = None,
    on_outcome: Callable[[Outcome], None] | None = None,
    on_result: Callable[[dict], None] | None = None,
) -> BatchSummary:
    """Score ``items`` in a WorkerPool of ``jobs`` processes; each outcome is saved to ``sink`` as
    it finishes. Items are hashed (URLs fetched) only as workers come free, so nothing grows with
    the batch but the summary's list of failures."""
    from disclosure_check.pipeline import attempt_options
    from disclosure_check.present.export import result_to_dict

    limits = limits or Limits()
    options = attempt_options(scorer.options, limits)
    summary = BatchSummary()
    in_flight: dict[str, list[tuple[Item, str]]] = {}  # doc_id -> (item, local path) while a worker has it

    def record(result: Assessment | Failure, item: Item) -> None:
        if sink is not None:
            sink.save(result, options, item)
        outcome = result_to_outcome(result, item.source)
        summary.add(outcome)
        if on_outcome:
            on_outcome(outcome)
        if on_result:
            on_result(result_to_dict(result))

    def reused(doc_id: str | None, item: Item, stored: StoredAttempt) -> None:
        assert sink is not None
        outcome = reused_outcome(doc_id, item.source, stored, sink)
        summary.add(outcome)
        if on_outcome:
            on_outcome(outcome)
        if on_result and doc_id is not None:
            data = sink.result_dict(doc_id)
            if data is not None:
                on_result({**data, "document": item.source})

    def jobs_to_run() -> Iterator[tuple[str, str]]:
        for item in items:
            prepared = prepare(item, sink, options, scorer, rescore=rescore, retry_failed=retry_failed)
            if prepared.failure is not None:
                record(prepared.failure, item)
            elif prepared.stored is not None:
                reused(prepared.doc_id, item, prepared.stored)
            else:
                assert prepared.path is not None and prepared.doc_id is not None
                in_flight.setdefault(prepared.doc_id, []).append((item, prepared.path))
                yield prepared.path, prepared.doc_id

    for path, error in problems:
        record(scorer.failure(path, error), Item(str(path)))
    with contextlib.ExitStack() as stack:
        if sink is not None:
            stack.callback(sink.close)  # Parquet: the rows still buffered are written out, also on Ctrl-C
        pool = stack.enter_context(WorkerPool(scorer, size=jobs, limits=limits, spec=spec))
        for result in pool.score(jobs_to_run()):
            waiting = in_flight[result.doc_id]
            item, path = waiting.pop(0)
            if not waiting:
                del in_flight[result.doc_id]
            if item.is_url:
                discard(path)
            record(as_given(result, item), item)
        for waiting in in_flight.values():  # interrupted: fetched files no worker finished with
            for item, path in waiting:
                if item.is_url:
                    discard(path)
    return summary


def items_from(paths: Sequence[str | Path]) -> tuple[list[Item], list[tuple[Path, InputError]]]:
    """Items for the PDFs under files and folders, and the inputs that are not PDFs or not there."""
    from disclosure_check.pipeline import discover

    files, problems = discover(paths)
    return paths_to_items(files), problems
