"""The batch, whatever runs it: items -> the documents still to score -> outcomes, saved as they finish.

Shared by the local engine (``run_local``: a WorkerPool of this process) and the Dask engine
(``cluster.py``): turning a URL into a temporary file, the resume rules (what a sink already holds
and whether it must be tried again), the sinks (the store, or Parquet part files) and ``Outcome``,
the small record that is all a run keeps per document, so its memory stays flat however long it is.
"""

from __future__ import annotations

import contextlib
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Protocol

from disclosure_check.errors import FetchError, InputError
from disclosure_check.pipeline import ScoreOptions, Scorer, ScorerSpec
from disclosure_check.present.export import result_to_dict
from disclosure_check.read.extract import file_digest, safe_doc_id
from disclosure_check.rubric import Rubric
from disclosure_check.run.fetch import discard, fetch, remove_abandoned
from disclosure_check.run.isolation import NOT_READY, Job, Limits, WorkerPool
from disclosure_check.run.manifest import Item, url_doc_id
from disclosure_check.run.prefetch import Prefetcher
from disclosure_check.run.resume import attempt_options, needs_retry
from disclosure_check.store.store import Store
from disclosure_check.types import Assessment, Failure, StoredAttempt


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
    def result(self, doc_id: str) -> Assessment | Failure | None: ...
    def close(self) -> None: ...


class StoreSink:
    """The results database (``Store``), through its public methods only. Each result is saved
    with the rubric it was scored with, which the store keeps beside it."""

    def __init__(self, store: Store, rubric: Rubric, model_version: str) -> None:
        self.store = store
        self.rubric = rubric
        self.versions = (rubric.key, model_version)

    def attempt(self, doc_id: str | None, source: str) -> StoredAttempt | None:
        return None if doc_id is None else self.store.attempt(doc_id, *self.versions)

    def save(self, result: Assessment | Failure, options: dict, item: Item) -> None:
        self.store.save(result, options=options, organisation=item.organisation, year=item.year,
                        rubric=self.rubric)

    def result(self, doc_id: str) -> Assessment | Failure | None:
        """The stored result as scored (what a run that scored it would have produced)."""
        found = self.store.stored(doc_id=doc_id, versions=self.versions)
        return found[0].machine if found else None

    def close(self) -> None:
        """The store belongs to the caller."""


# -- deciding and resolving ------------------------------------------------------------------------
def reuse(sink: Sink | None, doc_id: str | None, source: str, options: dict, *, rescore: bool,
          retry_failed: bool) -> StoredAttempt | None:
    """The stored attempt to reuse instead of scoring, or None to score."""
    if sink is None or rescore:
        return None
    stored = sink.attempt(doc_id, source)
    if stored is None or needs_retry(stored, options, retry_failed=retry_failed):
        return None
    return stored


def reused_outcome(doc_id: str | None, source: str, stored: StoredAttempt, sink: Sink) -> Outcome:
    reason = None
    if stored.status == "failed" and doc_id is not None:
        result = sink.result(doc_id)
        reason = result.reason if isinstance(result, Failure) else None
    return Outcome(doc_id or "", source, stored.status, stored.error_code, reason, reused=True)


@dataclass(frozen=True)
class Download:
    """An item made local: the file to score, its content's id, and (a URL) where it was finally
    read from; or the FetchError that stopped it. Made without the sink, so in any thread."""

    path: str | None = None
    doc_id: str | None = None
    final_url: str | None = None
    error: FetchError | None = None


def download(item: Item, options: ScoreOptions) -> Download:
    """A URL is fetched into a temporary file the caller removes (``discard``); a path is hashed (or its
    path hashed when unreadable). Never raises FetchError: it is returned."""
    if not item.is_url:
        return Download(item.source, safe_doc_id(Path(item.source), options.max_bytes))
    try:
        fetched = fetch(item.source, max_bytes=options.max_bytes, allow=options.fetch_allow)
    except FetchError as exc:
        return Download(error=exc)
    try:
        return Download(str(fetched.path), file_digest(fetched.path), fetched.final_url)
    except BaseException:
        discard(fetched.path)
        raise


@dataclass(frozen=True)
class Prepared:
    """What becomes of one item before any scoring: a stored attempt reused, a failed fetch, or a
    local ``path`` to score (a URL's download, which the caller ``discard``s after scoring)."""

    doc_id: str | None = None
    path: str | None = None
    stored: StoredAttempt | None = None
    failure: Failure | None = None
    final_url: str | None = None


def known_source(item: Item, sink: Sink | None, options: dict, *, rescore: bool, retry_failed: bool) -> Prepared | None:
    """A URL the sink already knows by its source is not fetched again (Parquet knows sources)."""
    if item.is_url and (stored := reuse(sink, None, item.source, options, rescore=rescore,
                                        retry_failed=retry_failed)):
        return Prepared(stored=stored)
    return None


def settle(item: Item, got: Download, sink: Sink | None, options: dict, scorer: Scorer, *, rescore: bool,
           retry_failed: bool) -> Prepared:
    """The resume rules once the content is known: a stored attempt for it is reused (the download
    discarded) unless it should be tried again; a failed fetch is a failure to store."""
    if got.error is not None:
        return Prepared(failure=fetch_failure(scorer.failure, item, got.error))
    assert got.path is not None and got.doc_id is not None
    try:
        stored = reuse(sink, got.doc_id, item.source, options, rescore=rescore, retry_failed=retry_failed)
    except BaseException:
        if item.is_url:
            discard(got.path)
        raise
    if stored is not None:
        if item.is_url:
            discard(got.path)
        return Prepared(doc_id=got.doc_id, stored=stored)
    return Prepared(doc_id=got.doc_id, path=got.path, final_url=got.final_url)


def prepare(item: Item, sink: Sink | None, options: dict, scorer: Scorer, *, rescore: bool,
            retry_failed: bool) -> Prepared:
    """The resume rules both engines follow, in one step: ``known_source``, ``download``, ``settle``."""
    known = known_source(item, sink, options, rescore=rescore, retry_failed=retry_failed)
    if known is not None:
        return known
    return settle(item, download(item, scorer.options), sink, options, scorer, rescore=rescore,
                  retry_failed=retry_failed)


def fetch_failure(scorer_failure: Callable[..., Failure], item: Item, error: FetchError) -> Failure:
    failure = scorer_failure(Path(item.source), error, doc_id=url_doc_id(item.source))
    return replace(failure, path=item.source)


def as_given(result: Assessment | Failure, item: Item, final_url: str | None = None) -> Assessment | Failure:
    """A fetched document's result names its URL, not the temporary file it was read from, and
    where it was finally read from when the server redirected it."""
    if not item.is_url:
        return result
    moved = final_url if final_url and final_url != item.source else None
    return replace(result, path=item.source, fetched_from=moved)


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
    limits = limits or Limits()
    options = attempt_options(scorer.options, limits)
    summary = BatchSummary()
    in_flight: dict[str, list[tuple[Item, str, str | None]]] = {}  # doc_id -> (item, local path, final URL)
    downloads: Prefetcher[Item, Download] = Prefetcher(
        lambda item: download(item, scorer.options), lambda got: got.path and discard(got.path),
        threads=max(2, jobs), window=2 * max(2, jobs))

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
            result = sink.result(doc_id)
            if result is not None:
                on_result({**result_to_dict(result), "document": item.source})

    def to_score(item: Item, prepared: Prepared) -> Job | None:
        """The job for a prepared item, or None when it was recorded (a failure) or reused."""
        if prepared.failure is not None:
            record(prepared.failure, item)
        elif prepared.stored is not None:
            reused(prepared.doc_id, item, prepared.stored)
        else:
            assert prepared.path is not None and prepared.doc_id is not None
            in_flight.setdefault(prepared.doc_id, []).append((item, prepared.path, prepared.final_url))
            return prepared.path, prepared.doc_id, item.given
        return None

    def jobs_to_run() -> Iterator[Job]:
        """Paths are hashed here as workers come free; URLs are downloaded ahead by ``downloads``'
        threads, so a slow server never stops finished results being collected (NOT_READY)."""
        source = iter(items)
        exhausted = False
        held: deque[tuple[Item, Download]] = deque()  # downloaded, not yet handed to a worker
        try:
            while not exhausted or downloads.in_flight:
                while not exhausted and not downloads.full:
                    item = next(source, None)
                    if item is None:
                        exhausted = True
                    elif item.is_url:
                        known = known_source(item, sink, options, rescore=rescore, retry_failed=retry_failed)
                        if known is not None:
                            to_score(item, known)
                        else:
                            downloads.submit(item)
                    else:
                        job = to_score(item, prepare(item, sink, options, scorer, rescore=rescore,
                                                     retry_failed=retry_failed))
                        if job is not None:
                            yield job
                held.extend(downloads.ready())
                arrived = bool(held)
                while held:
                    item, got = held.popleft()
                    job = to_score(item, settle(item, got, sink, options, scorer, rescore=rescore,
                                                retry_failed=retry_failed))
                    if job is not None:
                        yield job
                if not arrived and downloads.in_flight:
                    yield NOT_READY
        finally:  # stopped early (Ctrl-C, an error): downloads taken but never handed over are removed
            for _, got in held:
                if got.path:
                    discard(got.path)

    if any(item.is_url for item in items):
        remove_abandoned()  # download folders of runs that were killed (SIGKILL leaves them)
    for path, error in problems:
        record(scorer.failure(path, error), Item(str(path)))
    with contextlib.ExitStack() as stack:
        if sink is not None:
            stack.callback(sink.close)  # Parquet: the rows still buffered are written out, also on Ctrl-C
        stack.callback(downloads.close)  # downloads no worker was given: removed, also on Ctrl-C
        pool = stack.enter_context(WorkerPool(scorer, size=jobs, limits=limits, spec=spec))
        try:
            for result in pool.score(jobs_to_run()):
                waiting = in_flight[result.doc_id]
                item, path, final_url = waiting.pop(0)
                if not waiting:
                    del in_flight[result.doc_id]
                if item.is_url:
                    discard(path)
                record(as_given(result, item, final_url), item)
        finally:
            for waiting in in_flight.values():  # interrupted: fetched files no worker finished with
                for item, path, _ in waiting:
                    if item.is_url:
                        discard(path)
    return summary
