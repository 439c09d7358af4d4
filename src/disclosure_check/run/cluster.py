"""The Dask engine: ``score --engine dask`` runs the batch on a Dask distributed cluster.

Why Dask distributed (not Ray): it installs as pure-Python wheels, and the same code runs on a
laptop's LocalCluster and on the clusters where registry-scale analysts have compute: SSH hosts
(``dask scheduler`` / ``dask worker``), Kubernetes, and HPC job queues through dask-jobqueue; it
speaks pandas and Parquet natively. Ray needs its own daemons (raylet, GCS) and much larger wheels,
for no benefit to what this is: a map over documents. See docs/registry_scale.md.

Each task scores one document inside its Dask worker exactly as the local engine does: through an
``isolation.WorkerPool`` of one forked process under the same time and memory limits, so a stalling
or crashing PDF becomes a stored Failure with the same DC1xx code, never a lost Dask worker or a hung
run. (A Dask nanny's worker is a daemon process by default and may not start children: the local
cluster sets ``distributed.worker.daemon: False``; an external cluster's workers need the same.)
Workers fetch URLs, decide what to skip, and save outcomes themselves (to the database, or to
Parquet parts of their own); the client keeps only an ``Outcome`` per document and never more than
a window of tasks in flight, so its memory stays flat however long the run.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from disclosure_check.errors import ConfigError, InputError
from disclosure_check.pipeline import Scorer, ScorerSpec
from disclosure_check.run.batch import (
    BatchSummary,
    Outcome,
    Sink,
    StoreSink,
    as_given,
    prepare,
    result_to_outcome,
    reused_outcome,
)
from disclosure_check.run.fetch import discard, remove_abandoned
from disclosure_check.run.isolation import Limits, WorkerPool
from disclosure_check.run.manifest import Item
from disclosure_check.run.parts import ParquetSink
from disclosure_check.run.warm import build_scorer
from disclosure_check.store.store import Store

log = logging.getLogger(__name__)

INSTALL_FIX = "pip install 'disclosure-check[cluster]'"
TASKS_PER_WORKER = 4  # tasks in flight per worker thread: enough to keep workers busy, few enough to stay small
# Documents per task on a long run: a task's fixed cost (the scheduler's bookkeeping, the client's
# future, sending the run spec) is then paid once for several short statements. Short runs use
# fewer, so that every worker still gets a share.
DOCS_PER_TASK = 4
WIDTH_CHECK_SECONDS = 5.0  # how often the client counts the cluster's threads (workers join and leave)


def require_distributed():
    try:
        import distributed
    except ImportError:
        raise ConfigError("--engine dask needs Dask distributed, which is not installed",
                          fix=f"install it with {INSTALL_FIX}") from None
    return distributed


def is_sqlite(url: str) -> bool:
    """Whether a --db URL is an SQLite file (a path, or sqlite:///...), as opposed to a server."""
    return "://" not in url or url.startswith("sqlite:")


def sqlite_absolute(url: str) -> str:
    """An SQLite URL as an absolute path, so worker processes with another working folder find it."""
    if url in (":memory:", "sqlite://", "sqlite:///:memory:"):
        raise ConfigError("an in-memory database cannot be shared with cluster workers",
                          fix="give --db a file path or a PostgreSQL URL")
    path = url[len("sqlite:///"):] if url.startswith("sqlite:///") else url
    return str(Path(path).resolve())


@dataclass(frozen=True)
class RunSpec:
    """Everything a worker needs to score, skip and save (paths and settings, not objects)."""

    run_id: str  # workers keep their scorer, pool and sink per run
    scorer: ScorerSpec
    limits: Limits
    options: dict  # pipeline.attempt_options
    db: str | None = None
    parquet: str | None = None
    rescore: bool = False
    retry_failed: bool = False


class _WorkerState:
    """A Dask worker thread's isolation pool and sink for one run, built on the run's first task there.
    (Per thread: a database connection belongs to the thread that opened it. Run workers with one
    thread each; more threads cost a scorer each.) The scorer itself is the thread's, shared by every
    run with the same scorer spec (``_scorer``): a run whose client died never says it has ended, and
    the next run must not build a second scorer beside the first."""

    def __init__(self, spec: RunSpec) -> None:
        self.thread = threading.get_ident()
        self.last_used = time.monotonic()
        remove_abandoned()  # download folders of runs on this machine that were killed
        self.scorer = _scorer(spec.scorer)
        self.pool = WorkerPool(self.scorer, size=1, limits=spec.limits, spec=spec.scorer)
        self.store: Store | None = None
        self.sink: Sink
        if spec.parquet is not None:
            self.sink = ParquetSink(spec.parquet, self.scorer.rubric, self.scorer.model_version)
        else:
            assert spec.db is not None
            self.store = Store(spec.db)
            self.sink = StoreSink(self.store, self.scorer.rubric, self.scorer.model_version)

    def close(self) -> None:
        self.pool.close()
        self.sink.close()  # Parquet: the rows still buffered are written out
        if self.store is not None and threading.get_ident() == self.thread:
            self.store.close()  # elsewhere it closes with the process; every save is already committed


_states: dict[tuple[str, int], _WorkerState] = {}
_closed: set[str] = set()  # runs ended (or interrupted) on this worker: their tasks still running store nothing more
_scorers: dict[tuple[ScorerSpec, int], Scorer] = {}
_lock = threading.Lock()
# A run's state on a thread that has run no task of it for this long, when a task of another run
# runs there, is closed: its client was killed (or lost its connection) before it could say the
# run had ended, and would otherwise keep an isolation process and a database connection for the
# life of the worker. A run that is in fact still going only rebuilds them on its next task there
# (a fork and a connection: the scorer is kept).
STALE_SECONDS = 30.0


def _scorer(spec: ScorerSpec) -> Scorer:
    """This thread's scorer for ``spec``, built on first use (its long-lived objects moved out of the
    garbage collector's sight before isolation processes are forked from it), then kept for every later run."""
    key = (spec, threading.get_ident())
    if key not in _scorers:
        _scorers[key] = build_scorer(spec)  # warmed up before its isolation process forks
    return _scorers[key]


def _state(spec: RunSpec) -> _WorkerState:
    """The run's state on this thread; states of other runs on this thread idle past ``STALE_SECONDS``
    are closed here (looked at on every task: a re-run may start within that time of the kill)."""
    thread = threading.get_ident()
    now = time.monotonic()
    with _lock:
        key = (spec.run_id, thread)
        state = _states.get(key)
        stale = [_states.pop(k) for k, s in list(_states.items())
                 if k[1] == thread and k[0] != spec.run_id and now - s.last_used > STALE_SECONDS]
    for old in stale:  # on this thread, which they belong to, and which none of them is using now
        log.info("closing the state of a run that sent no task for %.0f s", STALE_SECONDS)
        old.close()
    if state is None:
        state = _WorkerState(spec)
        with _lock:
            _states[key] = state
    state.last_used = time.monotonic()
    return state


def close_worker_state(run_id: str) -> int:
    """Run on every worker at the end (or on interruption) of run ``run_id``: write out its buffered
    Parquet rows, stop its isolation processes, close its database. Other runs sharing the cluster
    keep theirs. Returns how many run states were closed."""
    with _lock:
        _closed.add(run_id)  # before the isolation processes stop: the document one was scoring is not a failure
        keys = [key for key in _states if key[0] == run_id]
        states = [_states.pop(key) for key in keys]
    for state in states:
        state.close()
    return len(states)


def score_item(item: Item, spec: RunSpec) -> Outcome:
    """One document on a Dask worker: fetch it if it is a URL, skip it if the sink already holds
    it (the same rules as a local run), else score it in the isolation process and save it."""
    state = _state(spec)
    sink = state.sink
    prepared = prepare(item, sink, spec.options, state.scorer, rescore=spec.rescore, retry_failed=spec.retry_failed)
    if prepared.failure is not None:
        sink.save(prepared.failure, spec.options, item)
        return result_to_outcome(prepared.failure, item.source)
    if prepared.stored is not None:
        return reused_outcome(prepared.doc_id, item.source, prepared.stored, sink)
    assert prepared.path is not None and prepared.doc_id is not None
    try:
        [result] = list(state.pool.score([(prepared.path, prepared.doc_id, item.given)]))
    finally:
        if item.is_url:
            discard(prepared.path)
    if spec.run_id in _closed:  # the run was stopped while this was scored: its isolation process was
        return stopped_outcome(item.source)  # killed for that, which says nothing about the document
    result = as_given(result, item, prepared.final_url)
    sink.save(result, spec.options, item)
    return result_to_outcome(result, item.source)


def score_items(items: Sequence[Item], spec: RunSpec) -> list[Outcome]:
    """Several documents in one task, one after another, each saved as it is scored (``score_item``):
    a worker that dies midway leaves those saved stored, and the task's retry skips them."""
    return [stopped_outcome(item.source) if spec.run_id in _closed else score_item(item, spec) for item in items]


def stopped_outcome(source: str) -> Outcome:
    """A document of a run that was stopped (Ctrl-C) before it was scored: not stored, so a re-run
    scores it. (The client has stopped listening; this only ends the task.)"""
    return Outcome("", source, "failed", None, "the run was stopped before this document was scored: not stored")


def docs_per_task(items: int, threads: int) -> int:
    """``DOCS_PER_TASK``, or fewer when the batch is too short to give every thread a full window of them."""
    return max(1, min(DOCS_PER_TASK, items // max(1, threads * TASKS_PER_WORKER)))


def fail_item(path: str, what: str, fix: str | None, spec: RunSpec) -> Outcome:
    """An input that is not a PDF or not there: stored as a failure like any other."""
    state = _state(spec)
    result = state.scorer.failure(Path(path), InputError(what, where=path, fix=fix))
    state.sink.save(result, spec.options, Item(path))
    return result_to_outcome(result, path)


def lost_outcome(source: str) -> Outcome:
    """A task whose Dask workers died (not its isolation process: that is a stored DC108). Only
    the client knows of it, so it is reported and counted but not stored; a re-run scores it (or
    skips it, when a worker saved it before dying)."""
    return Outcome("", source, "failed", "DC108",
                   "the Dask workers running this task died (killed from outside or out of memory) and Dask gave "
                   "up on it; this run did not store it: run the same command again to score it")


@contextlib.contextmanager
def connect(cluster: str | None, workers: int) -> Iterator:
    """A Client on a new LocalCluster of ``workers`` single-threaded processes, or on the
    scheduler at ``cluster``; both are shut down on leaving, however that happens."""
    distributed = require_distributed()
    import dask

    if cluster is not None:
        with distributed.Client(cluster, timeout="30s") as client:
            yield client
        return
    # Workers start isolation processes of their own: a daemonic worker may not have children. Dask's
    # sampling profiler walks the task thread's stack every 10 ms for its dashboard, which this engine
    # does not start: measured at about 1% of a core per worker, off.
    with dask.config.set({"distributed.worker.daemon": False, "distributed.worker.profile.enabled": False}), \
            distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                     dashboard_address=None) as local, \
            distributed.Client(local) as client:
        yield client


def run_dask_batch(
    items: Sequence[Item],
    problems: Sequence[tuple[Path, InputError]],
    spec: RunSpec,
    *,
    cluster: str | None = None,
    workers: int = 2,
    on_outcome: Callable[[Outcome], None] | None = None,
) -> BatchSummary:
    """Score ``items`` on a Dask cluster (see the module docstring); outcomes arrive in the order
    they finish. Leaving early (Ctrl-C) flushes every worker's buffered rows and shuts the local
    cluster down: what was saved stays saved, and a re-run skips it."""
    if cluster is not None and spec.parquet is None and spec.db is not None and is_sqlite(spec.db):
        raise ConfigError("a remote --cluster cannot write to an SQLite file: its workers run on other machines",
                          where=spec.db, fix="give --db a PostgreSQL URL the workers can reach, or --parquet DIR")
    summary = BatchSummary()
    with connect(cluster, workers) as client:
        distributed = require_distributed()

        def threads() -> int:
            """The cluster's worker threads now (workers of a --cluster may join after the run starts)."""
            try:
                return sum(client.nthreads().values()) or workers
            except Exception:  # the scheduler is briefly unreachable: keep the window as it is
                return 0

        width = threads() or workers
        window = max(2, width * TASKS_PER_WORKER)
        checked = time.monotonic()
        chunk = docs_per_task(len(items), width)
        submitted = distributed.as_completed()
        in_flight: dict[str, tuple[object, list[str]]] = {}  # task key -> (future, sources)
        pending = iter(items)
        fails = iter(problems)

        def submit_next() -> bool:
            failed = next(fails, None)
            if failed is not None:
                path, error = failed
                future = client.submit(fail_item, str(path), error.what, error.fix, spec, pure=False)
                in_flight[future.key] = (future, [str(path)])
            else:
                group = [item for _, item in zip(range(chunk), pending, strict=False)]
                if not group:
                    return False
                future = client.submit(score_items, group, spec, pure=False)
                in_flight[future.key] = (future, [item.source for item in group])
            submitted.add(future)
            return True

        try:
            while len(in_flight) < window and submit_next():
                pass
            for future in submitted:
                _, sources = in_flight.pop(future.key)
                try:
                    outcomes = future.result()
                except distributed.KilledWorker:  # Dask gave up after its workers died on it
                    outcomes = [lost_outcome(source) for source in sources]
                future.release()
                for outcome in outcomes if isinstance(outcomes, list) else [outcomes]:
                    summary.add(outcome)
                    if on_outcome:
                        on_outcome(outcome)
                if time.monotonic() - checked > WIDTH_CHECK_SECONDS:
                    window = max(2, (threads() or width) * TASKS_PER_WORKER)
                    checked = time.monotonic()
                while len(in_flight) < window and submit_next():
                    pass
        finally:  # on Ctrl-C too: stop the queued tasks, write out what workers hold, then shut down
            with contextlib.suppress(Exception):
                client.cancel([f for f, _ in in_flight.values()])
            with contextlib.suppress(Exception):
                client.run(close_worker_state, spec.run_id)
    return summary
