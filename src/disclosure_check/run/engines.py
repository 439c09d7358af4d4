"""``score_many``: one entry for a batch, whichever engine runs it.

``local`` scores in worker processes of this process (``batch.run_local``); ``dask`` on a Dask
cluster, a local one or a running scheduler (``cluster.run_dask_batch``), whose workers fetch, skip
and save themselves. Both follow the same resume rules (``resume.py``), isolation limits and sinks,
and return the same ``BatchSummary``; the CLI and benchmarks call this, never an engine directly.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from disclosure_check.errors import ConfigError, InputError
from disclosure_check.pipeline import Scorer, ScorerSpec
from disclosure_check.present.export import result_to_dict
from disclosure_check.rubric import load_rubric
from disclosure_check.run.batch import BatchSummary, Outcome, Sink, StoreSink, run_local
from disclosure_check.run.cluster import (
    RunSpec,
    is_sqlite,
    require_distributed,
    run_dask_batch,
    sqlite_absolute,
)
from disclosure_check.run.isolation import Limits
from disclosure_check.run.manifest import Item, unique
from disclosure_check.run.parts import ParquetSink
from disclosure_check.run.resume import attempt_options
from disclosure_check.run.warm import build_scorer
from disclosure_check.store.store import Store

ENGINES = ("local", "dask")


@dataclass(frozen=True)
class RunOptions:
    """How a batch runs: which engine and how wide, what is scored again, and the per-document limits."""

    engine: str = "local"  # ENGINES
    jobs: int = 1  # local: worker processes
    workers: int = 2  # dask: worker processes of a local cluster
    cluster: str | None = None  # dask: a running scheduler's address instead of a local cluster
    rescore: bool = False  # score again what is stored for this rubric and model
    retry_failed: bool = False  # score stored failures again whatever the options
    limits: Limits = field(default_factory=Limits)

    def __post_init__(self) -> None:
        if self.engine not in ENGINES:
            raise ConfigError(f"unknown engine '{self.engine}'", fix=f"use one of {', '.join(ENGINES)}")
        if self.cluster and self.engine != "dask":
            raise ConfigError("--cluster needs --engine dask", fix="add --engine dask")


def score_many(
    items: Sequence[Item],
    problems: Sequence[tuple[Path, InputError]],
    spec: ScorerSpec,
    *,
    db: str | None = None,
    store: Store | None = None,
    parquet: str | Path | None = None,
    run: RunOptions = RunOptions(),
    scorer: Scorer | None = None,
    on_start: Callable[[int], None] | None = None,
    on_outcome: Callable[[Outcome], None] | None = None,
    on_result: Callable[[dict], None] | None = None,
) -> BatchSummary:
    """Score ``items`` (and record ``problems``, inputs that are not PDFs) with the scorer ``spec``
    names, into the database (``store``, or ``db`` opened here) or ``parquet`` part files; each
    outcome goes to ``on_outcome`` as it arrives and, as an export dict, to ``on_result``.
    ``scorer``: one already built from ``spec`` (local engine). Returns the counts and failures."""
    if (db is None and store is None) == (parquet is None):
        raise ConfigError("a batch writes to a database or to Parquet part files", fix="give one of them")
    items = unique(items)
    if on_start:
        on_start(len(items) + len(problems))
    if run.engine == "dask":
        if parquet is None and db is None:
            raise ConfigError("the Dask engine's workers open the database themselves: it needs its URL",
                              fix="pass db= (the URL), not an open store")
        return _on_dask(items, problems, spec, db=db, parquet=parquet, run=run, on_outcome=on_outcome,
                        on_result=on_result)
    with contextlib.ExitStack() as stack:
        scorer = scorer or build_scorer(spec)
        sink: Sink
        if parquet is not None:
            sink = ParquetSink(parquet, scorer.rubric, scorer.model_version)
        else:
            store = store or stack.enter_context(Store(db or ":memory:"))
            store.keep_rubric(scorer.rubric)  # an edited rubric under a kept version is refused before any scoring
            sink = StoreSink(store, scorer.rubric, scorer.model_version)
        return run_local(items, problems, scorer, sink=sink, rescore=run.rescore, retry_failed=run.retry_failed,
                         jobs=run.jobs, limits=run.limits, spec=spec, on_outcome=on_outcome, on_result=on_result)


def _on_dask(items: Sequence[Item], problems: Sequence[tuple[Path, InputError]], spec: ScorerSpec, *,
             db: str | None, parquet: str | Path | None, run: RunOptions,
             on_outcome: Callable[[Outcome], None] | None, on_result: Callable[[dict], None] | None) -> BatchSummary:
    """The client's side: workers score and save; this keeps one Outcome per document, and reads each
    result back from the database only when ``on_result`` asks for a copy."""
    require_distributed()
    # Workers may run in another folder (or on another machine with the same shared paths).
    # (lexically: a symbolic-link loop or an undecodable name must not stop the run here)
    items = [item if item.is_url else replace(item, source=os.path.abspath(item.source)) for item in items]
    problems = [(Path(os.path.abspath(path)), error) for path, error in problems]
    if spec.rubric_path:
        spec = replace(spec, rubric_path=str(Path(spec.rubric_path).resolve()))
    if spec.model_dir:
        spec = replace(spec, model_dir=str(Path(spec.model_dir).resolve()))
    db_url = None
    if parquet is None:
        assert db is not None
        db_url = sqlite_absolute(db) if is_sqlite(db) and run.cluster is None else db
    task = RunSpec(run_id=uuid.uuid4().hex, scorer=spec, limits=run.limits,
                   options=attempt_options(spec.options, run.limits), db=db_url,
                   parquet=str(Path(parquet).resolve()) if parquet else None, rescore=run.rescore,
                   retry_failed=run.retry_failed)
    with contextlib.ExitStack() as stack:
        # created and migrated once, before the workers open it
        store = stack.enter_context(Store(db_url)) if db_url is not None else None
        if store is not None:
            store.keep_rubric(load_rubric(spec.rubric_path))  # refused here, not in every worker
        versions = None
        if on_result is not None and store is not None:
            built = spec.build()
            versions = (built.rubric_version, built.model_version)
            del built

        def on_each(outcome: Outcome) -> None:
            if on_outcome:
                on_outcome(outcome)
            if versions is not None and outcome.doc_id and on_result is not None:
                found = store.stored(doc_id=outcome.doc_id, versions=versions)
                if found:
                    on_result({**result_to_dict(found[0].machine), "document": outcome.source})

        return run_dask_batch(items, problems, task, cluster=run.cluster, workers=run.workers, on_outcome=on_each)
