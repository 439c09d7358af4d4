"""``score`` (a batch into the database or Parquet parts), ``export`` and ``load``."""

from __future__ import annotations

import contextlib
import dataclasses
import os
import sys
import time
from pathlib import Path

import click

from disclosure_check.cli.base import (
    db_option,
    main,
    model_option,
    open_store,
    rubric_option,
    score_options,
    scoring_options,
)
from disclosure_check.cli.progress import PROGRESS_SECONDS, Counts, Ticker
from disclosure_check.sanitize import clean_line, path_text
from disclosure_check.settings import DB
from disclosure_check.store.database import redact


def existing_paths(ctx, param, value):
    """Click callback: input paths that do not exist are a usage error (exit 2), refused before any
    work, never stored as failed "documents" named after a typo. (A link that points nowhere does
    exist: it is stored as a failure with its reason, as an unreadable file is.)"""
    missing = [path for path in value if not os.path.lexists(path)]
    if missing:
        raise click.BadParameter(f"{_listed(missing)} not exist.", ctx=ctx, param=param)
    return value


def missing_paths(paths, manifest: Path) -> None:
    """The manifest's local paths that do not exist: a usage error naming them, before any work."""
    missing = [path for path in paths if not os.path.lexists(path)]
    if missing:
        raise click.BadParameter(f"{_listed(missing)} not exist (a relative path is read from the manifest's "
                                 f"folder, {clean_line(path_text(os.path.abspath(manifest.parent)))}).", param_hint="'--manifest'")


def _listed(paths) -> str:
    shown = ", ".join(f"'{clean_line(path_text(p))}'" for p in paths[:5])
    more = f" and {len(paths) - 5} more" if len(paths) > 5 else ""
    return f"path {shown} does" if len(paths) == 1 else f"paths {shown}{more} do"


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path), callback=existing_paths)
@click.option("--manifest", type=click.Path(exists=True, dir_okay=False, readable=False, path_type=Path),
              help="A CSV listing the inputs: a path or url column, optionally organisation and year (a registry's "
                   "own record, stored with the result and taking precedence over what the statement says).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write results here: .json (full evidence), .csv or .parquet (one row per document).")
@click.option("--db", default=DB.value, show_default=DB.default, help=f"Results database URL or path. [env {DB.env}]")
@click.option("--parquet", "parquet_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Write results as Parquet part files in this folder instead of the database (for workers that "
                   "cannot reach it); a re-run skips what the folder holds.")
@rubric_option
@model_option
@scoring_options
@click.option("--rescore", is_flag=True, help="Score files again even if the database has a result for them.")
@click.option("--retry-failed", is_flag=True,
              help="Score stored failures again. [default: only when an option that could have caused them changed]")
@click.option("--jobs", default=1, show_default=True, type=click.IntRange(1), help="Worker processes (--engine local).")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="local: worker processes of this process; dask: a Dask cluster (pip install "
                   "'disclosure-check[cluster]').")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1),
              help="Worker processes of the local Dask cluster (--engine dask).")
@click.option("--cluster", metavar="ADDRESS",
              help="Use the running Dask scheduler at this address (tcp://host:8786) instead of a local cluster.")
@click.option("--allow-host", "allow_hosts", multiple=True, metavar="HOST",
              help="A host that manifest URLs may reach although it is on a private or loopback address (a registry "
                   "mirror on your own network); repeat for several. Others are refused. [env "
                   "DISCLOSURE_CHECK_FETCH_ALLOW, comma-separated]")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar, progress lines or summary.")
@click.option("--progress-every", default=PROGRESS_SECONDS, show_default=True, metavar="SECONDS",
              type=click.FloatRange(min=0, min_open=True),
              help="Without a terminal (a log file, a job scheduler), write a progress line this often: documents "
                   "done of all, failed, rate and time left. On a terminal a progress bar is drawn instead.")
def score(paths, manifest, out, db, parquet_dir, rubric_path, model_dir, password, max_mb, max_pages, time_limit,
          memory_limit, ocr, max_ocr_pages, doc_type, sector, jurisdictions, rescore, retry_failed, jobs, engine, workers,
          cluster, allow_hosts, quiet, progress_every) -> None:
    """Score PDF statements: files and folders (searched recursively), or those a --manifest lists.

    Every document is scored in a worker process under the time and memory limits; a bad file is
    recorded as a failure with its reason and the run goes on. Every outcome is stored as it
    finishes. Files already scored with the same rubric and model are skipped, so an interrupted
    run can simply be started again; a stored failure is retried when an option that could have
    caused it changed (--password, --max-mb, --max-pages, --ocr, --max-ocr-pages, the limits) or
    with --retry-failed. Exits 1 when any input is failed, including failures stored earlier; 2 when
    a path does not exist (nothing is scored); 130 when stopped (Ctrl-C), after saying how many
    documents are stored and how many are left.

    With --engine dask the documents are scored on a Dask cluster (see docs/registry_scale.md):
    its workers fetch URLs and write to the database (or --parquet) themselves.
    """
    from disclosure_check.errors import ConfigError
    from disclosure_check.pipeline import ScorerSpec
    from disclosure_check.present.export import ResultsWriter, check_output_path, flat_columns
    from disclosure_check.rubric import load_rubric
    from disclosure_check.run import Limits, RunOptions, items_from, read_manifest, score_many

    if not paths and manifest is None:
        raise ConfigError("nothing to score", fix="give PDF files or folders, or --manifest FILE.csv")
    if out and parquet_dir:
        raise ConfigError("--out and --parquet both write the results", fix="give one of them")
    run = RunOptions(engine=engine, jobs=jobs, workers=workers, cluster=cluster, rescore=rescore,
                     retry_failed=retry_failed, limits=Limits(time_limit=time_limit, memory_limit=memory_limit))
    if out:
        check_output_path(out)  # refuse a bad --out before scoring anything
    items, problems = items_from(paths)
    if manifest is not None:
        listed = read_manifest(manifest)
        missing_paths([item.source for item in listed if not item.is_url], manifest)
        items += listed
    options = score_options(password, max_mb, max_pages, doc_type, sector, ocr, max_ocr_pages, jurisdictions)
    spec = ScorerSpec(rubric_path, model_dir, dataclasses.replace(options, fetch_allow=tuple(allow_hosts)))
    started = time.perf_counter()
    counts = Counts()
    bar = ticker = None

    def on_start(total: int) -> None:
        nonlocal bar, ticker
        counts.start(total)
        if quiet:
            return
        if sys.stderr.isatty():
            bar = click.progressbar(length=total, label="Scoring", file=sys.stderr, show_pos=True,
                                    item_show_func=lambda item: item)
            bar.__enter__()
        else:  # a progress bar without a terminal is the single word "Scoring": lines instead
            ticker = Ticker(counts, sys.stderr, progress_every).start()

    def on_outcome(outcome) -> None:
        counts.add(outcome)
        if bar is not None:
            bar.update(1, Path(outcome.source).name[:40])

    def stop_progress() -> None:
        if ticker is not None:
            ticker.stop()
        if bar is not None:
            bar.__exit__(None, None, None)

    rubric = load_rubric(rubric_path)
    writer = ResultsWriter(out, flat_columns(rubric), lambda key: rubric if key == rubric.key else None) if out else None
    try:
        with contextlib.ExitStack() as stack:
            stack.callback(stop_progress)
            summary = score_many(items, problems, spec, db=None if parquet_dir else db, parquet=parquet_dir, run=run,
                                 on_start=on_start, on_outcome=on_outcome,
                                 on_result=writer.write if writer is not None else None)
    except KeyboardInterrupt:  # Ctrl-C: what finished is stored; say so, and how to go on (exit 130, as a shell does)
        if writer is not None:
            writer.abort()
        click.echo(f"\n{counts.interrupted(exact=engine == 'local')}", err=True)
        sys.exit(130)
    except BaseException:
        if writer is not None:
            writer.abort()
        raise
    if writer is not None:
        writer.close()
    seconds = time.perf_counter() - started
    if not quiet:
        done = summary.scored + summary.failed
        rate = f" ({seconds / done:.2f} s/document)" if done else ""
        stored_failed = f" ({summary.skipped_failed} failed)" if summary.skipped_failed else ""
        where = f"Parquet: {parquet_dir}" if parquet_dir else f"Database: {redact(db)}"
        click.echo(f"Scored {summary.scored}, failed {summary.failed}, already stored {summary.skipped}{stored_failed} "
                   f"in {seconds:.1f} s{rate}. {where}" + (f"; output: {out}" if out else ""), err=True)
        for path, code, reason in summary.failures:
            click.echo(f"  failed: {clean_line(path)}: [{code}] {reason}", err=True)
        if summary.skipped_failed:
            click.echo("  (failures stored earlier are retried when an option that could have caused them changes, "
                       "or with --retry-failed)", err=True)
    sys.exit(1 if summary.any_failed else 0)


@main.command()
@db_option
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Write .json, .csv or .parquet.")
@click.option("--status", type=click.Choice(["scored", "failed"]), default=None, help="Only results with this status.")
def export(db, out, status) -> None:
    """Export every stored result with reviewers' decisions applied (they take precedence)."""
    from disclosure_check.present.export import check_output_path, write_results

    check_output_path(out)  # a bad extension is refused before the database is read
    # Results name their codes with the rubric they were scored with (kept in the database); results
    # stored before rubrics were kept, with the bundled one.
    with open_store(db, read_only=True) as store:
        items = store.reviewed_results(status=status)
        write_results(items, out, store.rubric_like)
    levels = [(i.get("verification") or {}).get("level") for i in items]
    click.echo(f"Exported {len(items)} result(s), {sum(1 for i in items if i.get('reviewed'))} reviewed "
               f"({levels.count('verified')} verified, {levels.count('disputed')} disputed), to {out}")


@main.command("load")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@db_option
def load(folder, db) -> None:
    """Load the Parquet part files of a `score --parquet FOLDER` run into the database: the latest
    outcome of each document, with its organisation, year and options. Safe to repeat."""
    from disclosure_check.run.parts import load_parts

    with open_store(db) as store:
        summary = load_parts(folder, store)
    click.echo(f"Loaded {summary.loaded} result(s) ({summary.scored} scored, {summary.failed} failed) from "
               f"{summary.rows} row(s) in {summary.parts} part file(s) into {store.url}")
