"""The ``disclosure-check`` command: a thin layer that parses options, calls the library, prints.

Exit codes: 0 success; 1 some documents failed (they are still stored and exported);
2 a usage, configuration, rubric, model or data error (one line on stderr says what and how to fix).
"""

from __future__ import annotations

import contextlib
import getpass
import json
import sys
import time
from pathlib import Path

import click

from disclosure_check import __version__
from disclosure_check.errors import DisclosureCheckError
from disclosure_check.sanitize import clean_line
from disclosure_check.settings import DB, MODEL, RUBRIC
from disclosure_check.store.database import redact

CORPUS_DEFAULT = ("corpus/aims/aims_au_sentences.csv", "corpus/aims/aims_ca_sentences.csv")


class Group(click.Group):
    """Turns library errors into one clean line and exit code 2; bugs still raise."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except DisclosureCheckError as exc:
            click.echo(f"Error: {exc.message}", err=True)
            ctx.exit(2)


rubric_option = click.option("--rubric", "rubric_path", type=click.Path(dir_okay=False), default=RUBRIC.value,
                             help=f"Rubric YAML file. [env {RUBRIC.env}; default: bundled]")
doc_type_option = click.option(
    "--doc-type", type=click.Choice(["statement", "letter"]), default=None,
    help="Treat the input as this document type. [default: detected per document]")
sector_option = click.option(
    "--sector", type=click.Choice(["bank", "insurer", "asset_manager", "building_society", "payments", "financial",
                                   "other"]), default=None,
    help="Set the organisation's sector; financial sectors add the financial-lever criteria. [default: detected]")
ocr_option = click.option(
    "--ocr/--no-ocr", default=True, show_default=True,
    help="Read pages without a usable text layer (scans, images of text, garbled text) by OCR.")
max_ocr_pages_option = click.option(
    "--max-ocr-pages", default=50, show_default=True, type=click.IntRange(0),
    help="Pages per document read by OCR at most (about a second each); the rest are reported unread.")
time_limit_option = click.option(
    "--time-limit", default=300, show_default=True, type=click.FloatRange(min=0, min_open=True), metavar="SECONDS",
    help="Stop scoring a document after this long and record it as failed (DC106); the slowest genuine "
         "statements take about a minute.")
memory_limit_option = click.option(
    "--memory-limit", default=2048, show_default=True, type=click.IntRange(1), metavar="MB",
    help="Stop scoring a document that needs more memory than this on top of the loaded models and record it as "
         "failed (DC107).")
password_option = click.option(
    "--password", default=None,
    help="Password for encrypted PDFs (tried on every file; files that open without one still open).")
max_mb_option = click.option("--max-mb", default=100, show_default=True, type=click.IntRange(1),
                             help="Skip files larger than this.")
max_pages_option = click.option("--max-pages", default=500, show_default=True, type=click.IntRange(1),
                                help="Skip PDFs with more pages than this.")
model_option = click.option("--model", "model_dir", type=click.Path(file_okay=False), default=MODEL.value,
                            help=f"Model set directory (sentence and audience models). [env {MODEL.env}; default: models/default]")


REPORT_FORMATS = ("md", "html", "pdf")


def csv_out(ctx, param, value):
    """Click callback: an --out that must be a .csv file, refused before any work is done."""
    from disclosure_check.errors import ConfigError

    if value is not None and Path(value).suffix.lower() != ".csv":
        raise ConfigError(f"cannot write '{Path(value).suffix or Path(value).name}' here: this writes CSV",
                          where=str(value), fix="end --out with .csv")
    return value


def report_output(fmt: str | None, out: Path | None, file: Path) -> tuple[str, Path]:
    """The report's format and path: the format follows --out's extension; a mismatch or an
    extension the report cannot write is a ConfigError (never Markdown in a .docx)."""
    from disclosure_check.errors import ConfigError

    if out is None:
        fmt = fmt or "md"
        out = Path(f"{file.stem}.report.{fmt}")
        if fmt == "pdf":
            from disclosure_check.present.report import require_pdf_support

            require_pdf_support()
        return fmt, out
    suffix = out.suffix.lower().lstrip(".")
    by_extension = "md" if suffix == "markdown" else suffix
    if by_extension not in REPORT_FORMATS:
        raise ConfigError(f"cannot write a report as '.{suffix}'" if suffix else "the report file has no extension",
                          where=str(out), fix="end --out with .md, .html or .pdf")
    if fmt is not None and fmt != by_extension:
        raise ConfigError(f"--format {fmt} does not match the file's extension '.{suffix}'", where=str(out),
                          fix=f"name the file .{fmt}, or leave --format out")
    if by_extension == "pdf":
        from disclosure_check.present.report import require_pdf_support

        require_pdf_support()
    return by_extension, out


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="disclosure-check")
def main() -> None:
    """Find and score the evidence in modern slavery statements (PDF)."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--manifest", type=click.Path(dir_okay=False, path_type=Path),
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
@password_option
@max_mb_option
@max_pages_option
@time_limit_option
@memory_limit_option
@ocr_option
@max_ocr_pages_option
@doc_type_option
@sector_option
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
@click.option("--quiet", "-q", is_flag=True, help="No progress bar or summary.")
def score(paths, manifest, out, db, parquet_dir, rubric_path, model_dir, password, max_mb, max_pages, time_limit,
          memory_limit, ocr, max_ocr_pages, doc_type, sector, rescore, retry_failed, jobs, engine, workers, cluster,
          quiet) -> None:
    """Score PDF statements: files and folders (searched recursively), or those a --manifest lists.

    Every document is scored in a worker process under the time and memory limits; a bad file is
    recorded as a failure with its reason and the run goes on. Every outcome is stored as it
    finishes. Files already scored with the same rubric and model are skipped, so an interrupted
    run can simply be started again; a stored failure is retried when an option that could have
    caused it changed (--password, --max-mb, --max-pages, --ocr, --max-ocr-pages, the limits) or
    with --retry-failed. Exits 1 when any input is failed, including failures stored earlier.

    With --engine dask the documents are scored on a Dask cluster (see docs/registry_scale.md):
    its workers fetch URLs and write to the database (or --parquet) themselves.
    """
    from disclosure_check.errors import ConfigError
    from disclosure_check.pipeline import ScoreOptions, ScorerSpec
    from disclosure_check.present.export import ResultsWriter, check_output_path, flat_columns
    from disclosure_check.rubric import load_rubric
    from disclosure_check.run.batch import ParquetSink, StoreSink, items_from
    from disclosure_check.run.isolation import Limits
    from disclosure_check.run.manifest import read_manifest
    from disclosure_check.store.store import Store

    if not paths and manifest is None:
        raise ConfigError("nothing to score", fix="give PDF files or folders, or --manifest FILE.csv")
    if out and parquet_dir:
        raise ConfigError("--out and --parquet both write the results", fix="give one of them")
    if cluster and engine != "dask":
        raise ConfigError("--cluster needs --engine dask", fix="add --engine dask")
    if out:
        check_output_path(out)  # refuse a bad --out before scoring anything
    items, problems = items_from(paths)
    if manifest is not None:
        items += read_manifest(manifest)
    options = ScoreOptions(password=password, max_bytes=max_mb * 2**20, max_pages=max_pages, doc_type=doc_type,
                           sector=sector, ocr=ocr, max_ocr_pages=max_ocr_pages)
    limits = Limits(time_limit=time_limit, memory_limit=memory_limit)
    spec = ScorerSpec(rubric_path, model_dir, options)
    started = time.perf_counter()
    bar = None

    def on_start(total: int) -> None:
        nonlocal bar
        if not quiet:
            bar = click.progressbar(length=total, label="Scoring", file=sys.stderr, show_pos=True,
                                    item_show_func=lambda item: item)
            bar.__enter__()

    def on_outcome(outcome) -> None:
        if bar is not None:
            bar.update(1, Path(outcome.source).name[:40])

    rubric = load_rubric(rubric_path)
    writer = ResultsWriter(out, flat_columns(rubric)) if out else None
    try:
        with contextlib.ExitStack() as stack:
            stack.callback(lambda: bar.__exit__(None, None, None) if bar is not None else None)
            if engine == "dask":
                summary = _score_on_dask(items, problems, spec, limits, db=db, parquet_dir=parquet_dir,
                                         cluster=cluster, workers=workers, rescore=rescore,
                                         retry_failed=retry_failed, writer=writer, on_start=on_start,
                                         on_outcome=on_outcome)
            else:
                scorer = _local_scorer(spec)
                store = None if parquet_dir else stack.enter_context(Store(db))
                sink = (ParquetSink(parquet_dir, scorer.rubric, scorer.rubric_version, scorer.model_version)
                        if parquet_dir else StoreSink(store, scorer.rubric_version, scorer.model_version))
                summary = _score_locally(items, problems, scorer, spec, sink, limits, jobs=jobs, rescore=rescore,
                                         retry_failed=retry_failed, writer=writer, on_start=on_start,
                                         on_outcome=on_outcome)
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
            click.echo(f"  failed: {path}: [{code}] {reason}", err=True)
        if summary.skipped_failed:
            click.echo("  (failures stored earlier are retried when an option that could have caused them changes, "
                       "or with --retry-failed)", err=True)
    sys.exit(1 if summary.any_failed else 0)


def _local_scorer(spec):
    from disclosure_check.pipeline import settle_memory

    scorer = spec.build()
    settle_memory()
    return scorer


def _score_locally(items, problems, scorer, spec, sink, limits, *, jobs, rescore, retry_failed, writer, on_start,
                   on_outcome):
    from disclosure_check.run.batch import run_local, unique

    items = unique(items)
    on_start(len(items) + len(problems))
    return run_local(items, problems, scorer, sink=sink, rescore=rescore, retry_failed=retry_failed, jobs=jobs,
                     limits=limits, spec=spec, on_outcome=on_outcome,
                     on_result=writer.write if writer is not None else None)


def _score_on_dask(items, problems, spec, limits, *, db, parquet_dir, cluster, workers, rescore, retry_failed,
                   writer, on_start, on_outcome):
    """The client's side: workers score and save; this keeps one Outcome per document, and reads
    each result back from the database only when --out asks for a copy."""
    import uuid
    from dataclasses import replace

    from disclosure_check.pipeline import attempt_options
    from disclosure_check.run.batch import unique
    from disclosure_check.run.cluster import (
        RunSpec,
        is_sqlite,
        require_distributed,
        run_dask_batch,
        sqlite_absolute,
    )
    from disclosure_check.store.store import Store

    require_distributed()
    # Workers may run in another folder (or on another machine with the same shared paths).
    items = [item if item.is_url else replace(item, source=str(Path(item.source).resolve())) for item in unique(items)]
    problems = [(Path(path).resolve(), error) for path, error in problems]
    if spec.rubric_path:
        spec = replace(spec, rubric_path=str(Path(spec.rubric_path).resolve()))
    if spec.model_dir:
        spec = replace(spec, model_dir=str(Path(spec.model_dir).resolve()))
    db_url = None
    if parquet_dir is None:
        db_url = sqlite_absolute(db) if is_sqlite(db) and cluster is None else db
    run = RunSpec(run_id=uuid.uuid4().hex, scorer=spec, limits=limits, options=attempt_options(spec.options, limits),
                  db=db_url, parquet=str(Path(parquet_dir).resolve()) if parquet_dir else None, rescore=rescore,
                  retry_failed=retry_failed)
    store = Store(db_url) if db_url is not None else None  # created and migrated once, before the workers open it
    try:
        versions = None
        if writer is not None and store is not None:
            scorer = _local_scorer(spec)
            versions = (scorer.rubric_version, scorer.model_version)
            del scorer

        def on_each(outcome) -> None:
            on_outcome(outcome)
            if versions is not None and outcome.doc_id:
                data = store.result_dict(outcome.doc_id, *versions)
                if data is not None:
                    writer.write({**data, "document": outcome.source})

        on_start(len(items) + len(problems))
        return run_dask_batch(items, problems, run, cluster=cluster, workers=workers, on_outcome=on_each)
    finally:
        if store is not None:
            store.close()


@main.command()
@click.argument("labels", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of a table.")
@click.option("--predictions", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the input rows plus pred_<label> (0/1) and prob_<label> columns to this CSV.")
@rubric_option
@model_option
def evaluate(labels, as_json, predictions, rubric_path, model_dir) -> None:
    """Evaluate the model on a labelled sentence CSV (AIMS format).

    Needs columns statement_id, sentence_index, sentence and any of the label columns
    (Approval, Signature, C1 (reporting entity), ... C6 (consultation)). Each statement's
    sentences, in order, give the context. Reports precision, recall, F1 and support per label
    and the macro F1 over labels that have positives.
    """
    from disclosure_check.classify.modelset import load_model_set
    from disclosure_check.rubric import load_rubric
    from disclosure_check.train.evaluate import evaluate_file

    result = evaluate_file(labels, load_model_set(model_dir).sentence, load_rubric(rubric_path))
    if predictions:
        predictions.parent.mkdir(parents=True, exist_ok=True)
        result.predictions.to_csv(predictions, index=False)
    if as_json:
        criteria = {k: {m: v[m] for m in ("precision", "recall", "f1", "support")}
                    for k, v in result.metrics["criteria"].items()}
        click.echo(json.dumps({"criteria": criteria, "macro_f1": result.metrics["macro_f1"]}))
        return
    click.echo(f"{'label':<24}{'precision':>10}{'recall':>10}{'f1':>10}{'support':>10}")
    for label, m in result.metrics["criteria"].items():
        click.echo(f"{label:<24}{m['precision']:>10.3f}{m['recall']:>10.3f}{m['f1']:>10.3f}{m['support']:>10d}")
    click.echo(f"{'macro F1 (labels with positives)':<44}{result.metrics['macro_f1']:>10.3f}")


@main.command()
@click.option("--data", "data_paths", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="Labelled CSV (repeatable). [default: corpus/aims/aims_au_sentences.csv and aims_ca_sentences.csv]")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("models/default"), show_default=True,
              help="Model set directory: the model goes to OUT/sentence and OUT/modelset.json is rewritten.")
@click.option("--reviewed", "reviewed_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=None, help="Reviewed examples (`disclosure-check review examples`) added to training only.")
@click.option("--reviewed-weight", default=2.0, show_default=True, type=click.FloatRange(min=0, min_open=True),
              help="Weight of each reviewed example (a corpus sentence weighs 1).")
@click.option("--folds", default=5, show_default=True, type=click.IntRange(2), help="Cross-validation folds.")
@click.option("--jobs", default=2, show_default=True, type=click.IntRange(1), help="Folds trained in parallel.")
@rubric_option
def train(data_paths, out_dir, reviewed_path, reviewed_weight, folds, jobs, rubric_path) -> None:
    """Train the sentence classifier from the labelled corpus and save it with its metrics.

    Labels a file never marks positive (C1 and C6 in the Canadian set) count as unlabelled, not
    negative. Metrics come from statement-grouped cross-validation with thresholds chosen on
    inner folds; they are saved in OUT/sentence/metrics.json and meta.json. Reviewed examples join
    every training split and are never held out, so they cannot inflate the metrics.
    """
    from disclosure_check.classify.modelset import SENTENCE, write_manifest
    from disclosure_check.rubric import load_rubric
    from disclosure_check.train.sentences import train as train_model

    paths = list(data_paths) or [p for p in CORPUS_DEFAULT]
    result = train_model(paths, load_rubric(rubric_path), out_dir / SENTENCE, folds=folds, jobs=jobs,
                         reviewed=reviewed_path, reviewed_weight=reviewed_weight,
                         progress=lambda msg: click.echo(msg, err=True))
    write_manifest(out_dir)
    reviewed = result.bundle.meta.get("reviewed_examples", 0)
    click.echo(f"Saved {result.bundle.version} to {out_dir / SENTENCE} in {result.seconds:.0f} s"
               f"{f' with {reviewed} reviewed example(s)' if reviewed else ''}; "
               f"cross-validated macro F1 {result.metrics['macro_f1']:.3f}")
    for label, m in result.metrics["criteria"].items():
        click.echo(f"  {label:<24} P={m['precision']:.3f} R={m['recall']:.3f} F1={m['f1']:.3f} n={m['support']}")


@main.command()
@click.option("--db", default=DB.value, show_default=DB.default, help=f"Results database URL or path. [env {DB.env}]")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Write .json, .csv or .parquet.")
@click.option("--status", type=click.Choice(["scored", "failed"]), default=None, help="Only results with this status.")
def export(db, out, status) -> None:
    """Export every stored result with reviewers' decisions applied (they take precedence)."""
    from disclosure_check.present.export import check_output_path, write_results
    from disclosure_check.store.store import Store

    check_output_path(out)  # a bad extension is refused before the database is read
    with Store(db, create=False) as store:
        items = store.reviewed_results(status=status)
    write_results(items, out)
    click.echo(f"Exported {len(items)} result(s), {sum(1 for i in items if i.get('reviewed'))} reviewed, to {out}")


@main.command("load")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--db", default=DB.value, show_default=DB.default, help=f"Results database URL or path. [env {DB.env}]")
def load(folder, db) -> None:
    """Load the Parquet part files of a `score --parquet FOLDER` run into the database: the latest
    outcome of each document, with its organisation, year and options. Safe to repeat."""
    from disclosure_check.run.parts import load_parts
    from disclosure_check.store.store import Store

    with Store(db) as store:
        summary = load_parts(folder, store)
    click.echo(f"Loaded {summary.loaded} result(s) ({summary.scored} scored, {summary.failed} failed) from "
               f"{summary.rows} row(s) in {summary.parts} part file(s) into {store.url}")


@main.command("train-audiences")
@click.option("--data", "data_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=Path("corpus/wikirate/msa_training_labels_with_text.csv"), show_default=True,
              help="WikiRate 'MSA training (revised)' answers with statement text.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("models/default"), show_default=True,
              help="Model set directory: the model goes to OUT/audiences and OUT/modelset.json is rewritten.")
@click.option("--folds", default=5, show_default=True, type=click.IntRange(2), help="Cross-validation folds.")
def train_audiences_command(data_path, out_dir, folds) -> None:
    """Train the training-audience model (who receives modern slavery training) with company-grouped CV."""
    from disclosure_check.classify.modelset import AUDIENCES, write_manifest
    from disclosure_check.train.audiences import train_audiences

    meta = train_audiences(data_path, out_dir / AUDIENCES, folds=folds)
    write_manifest(out_dir)
    cv = meta["cv"]
    click.echo(f"Saved {meta['model_version']} to {out_dir / AUDIENCES}; company-grouped CV over {cv['statements']} statements: "
               f"exact-match accuracy {cv['exact_match_accuracy']:.3f} (always 'none': {cv['baseline_always_none']:.3f}), "
               f"label accuracy {cv['label_accuracy']:.3f}, micro F1 {cv['micro_f1']:.3f}, macro F1 {cv['macro_f1']:.3f}")
    for label, m in cv["labels"].items():
        click.echo(f"  {label:<16} P={m['precision']:.3f} R={m['recall']:.3f} F1={m['f1']:.3f} n={m['support']}")


@main.command("write-inference", hidden=True)
@click.argument("model_dirs", nargs=-1, required=True, type=click.Path(exists=True, file_okay=False, path_type=Path))
def write_inference(model_dirs) -> None:
    """Write the inference form of saved models from their model.joblib, without retraining.

    Scoring loads the inference form (no pickle, no scikit-learn); training writes it already, so
    this is for model directories saved before it existed. model_version does not change; a part of a
    model set gets its set's manifest rewritten (meta.json gains the new files' hashes)."""
    from disclosure_check.classify.artifact import export_inference
    from disclosure_check.classify.modelset import SET_FILE, write_manifest

    for directory in model_dirs:
        meta = export_inference(directory)
        if (directory.parent / SET_FILE).is_file():
            write_manifest(directory.parent)
        click.echo(f"Wrote the inference form of {meta['model_version']} to {directory}")


@main.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(REPORT_FORMATS), default=None,
              help="Report format. [default: from --out's extension, else md]")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write it. [default: FILE's name with .report.md/.html/.pdf, in the current folder]")
@click.option("--db", default=None, help="Also store the result in this database.")
@password_option
@max_mb_option
@max_pages_option
@time_limit_option
@memory_limit_option
@ocr_option
@max_ocr_pages_option
@doc_type_option
@sector_option
@rubric_option
@model_option
def report(file, fmt, out, db, password, max_mb, max_pages, time_limit, memory_limit, ocr, max_ocr_pages, doc_type,
           sector, rubric_path, model_dir) -> None:
    """Score one PDF and write a readable report: statutory gate, themes, criteria with evidence
    quotes and pages, gaps with recommendations and their sources, disclosure elements.

    The document is scored in a worker process under the time and memory limits, as by `score`.
    Exits 1, with the failure's code and reason, when the document cannot be scored."""
    from disclosure_check.classify.modelset import load_model_set
    from disclosure_check.pipeline import ScoreOptions, Scorer, attempt_options, settle_memory
    from disclosure_check.present.export import result_to_dict
    from disclosure_check.present.report import write_report
    from disclosure_check.rubric import load_rubric
    from disclosure_check.run.isolation import Limits, score_isolated
    from disclosure_check.store.store import Store
    from disclosure_check.types import Failure

    fmt, out = report_output(fmt, out, file)  # a bad --out or --format is refused before any scoring
    loaded = load_rubric(rubric_path)
    options = ScoreOptions(password=password, max_bytes=max_mb * 2**20, max_pages=max_pages, doc_type=doc_type,
                           sector=sector, ocr=ocr, max_ocr_pages=max_ocr_pages)
    limits = Limits(time_limit=time_limit, memory_limit=memory_limit)
    scorer = Scorer(loaded, load_model_set(model_dir), options)
    settle_memory()
    result = score_isolated(scorer, file, limits)
    decided = 0
    if db:
        with Store(db, rubric=loaded) as store:
            store.save(result, options=attempt_options(options, limits))
            # reviewers' decisions on this document (from the dashboard or `review import`) apply here too
            stored = next(s for s in store.stored(doc_id=result.doc_id)
                          if (s.machine.rubric_version, s.machine.model_version)
                          == (result.rubric_version, result.model_version))
            result, decided = stored.result, sum(1 for d in stored.decisions if d.changes_value)
    if isinstance(result, Failure):
        click.echo(f"Error: [{result.code}] {file}: {result.reason}", err=True)
        sys.exit(1)
    write_report(result_to_dict(result), loaded, out, fmt)
    click.echo(f"Wrote {out}" + (f" ({decided} reviewer decision(s) applied)" if decided else ""))


@main.group()
def rubric() -> None:
    """Inspect and check rubric files."""


@rubric.command("validate")
@click.argument("file", required=False, type=click.Path(dir_okay=False))
@click.option("--reviews", type=click.Path(dir_okay=False), default=None,
              help="Reviewed pattern hits (e.g. corpus/reviews/pattern_hits.csv): print evidence precision per pattern.")
@click.option("--min-precision", type=click.FloatRange(0, 1), default=None,
              help="With --reviews: fail (exit 2) when overall precision is below this, or a pattern below 0.70.")
def rubric_validate(file, reviews, min_precision) -> None:
    """Check a rubric file (default: the bundled one): schema, references and rule patterns."""
    from disclosure_check.classify.rules import RuleClassifier
    from disclosure_check.errors import RubricError
    from disclosure_check.rubric import load_rubric, missing_elements

    loaded = load_rubric(file)
    problems = RuleClassifier(loaded).check_examples()  # compiling reports a bad pattern first
    if problems:
        raise RubricError(f"{len(problems)} example check(s) failed: " + "; ".join(problems),
                          where=str(file or "bundled"), fix="correct the pattern, or the example if it was wrong")
    patterns = sum(len(e.patterns) + len(e.exclude) for e in loaded.elements)
    patterns += sum(len(group) for group in loaded.cues.values())
    patterns += sum(len(c.patterns) for c in loaded.criteria) + sum(len(g.patterns) for g in loaded.gate)
    patterns += sum(len(a.patterns) for a in loaded.letter.scopes + loaded.letter.recommendations)
    groups = [e.patterns + e.exclude for e in loaded.elements] + list(loaded.cues.values())
    groups += [c.patterns for c in loaded.criteria] + [g.patterns for g in loaded.gate]
    groups += [a.patterns for a in loaded.letter.scopes + loaded.letter.recommendations]
    examples = sum(len(p.examples) for group in groups for p in group)
    examples += sum(len(e.near_misses) for e in loaded.elements)
    click.echo(f"OK: {loaded.key} ({file or 'bundled'}): {len(loaded.elements)} elements, {patterns} patterns, "
               f"{len(loaded.cues)} cue groups, {examples} example sentences checked, {len(loaded.themes)} themes, "
               f"{len(loaded.criteria)} criteria, {len(loaded.scale)} levels")
    missing = missing_elements(loaded)
    if missing:
        click.echo(f"Note: standard elements not defined (reported as absent): {', '.join(missing)}")
    if min_precision is not None and reviews is None:
        raise click.UsageError("--min-precision needs --reviews")
    if reviews is not None:
        from disclosure_check.train.precision import measure, read_reviews, report_lines

        report = measure(loaded, read_reviews(reviews))
        for line in report_lines(report):
            click.echo(line)
        problems = report.failures(min_precision) if min_precision is not None else []
        if problems:
            raise RubricError(f"{len(problems)} precision check(s) failed: " + "; ".join(problems), where=reviews,
                              fix="fix or drop the pattern, then run `rubric sample-hits` and review the new hits")


@rubric.command("describe")
@click.argument("file", required=False, type=click.Path(dir_okay=False))
@click.option("--out", type=click.Path(dir_okay=False), default=None,
              help="Write the methodology to this Markdown file (.md) instead of printing it.")
def rubric_describe(file, out) -> None:
    """Write the methodology generated from a rubric (default: the bundled one): scale, criteria,
    evidence, statutory checks, aggregation, CEO-letter items, flags and sources, as Markdown."""
    from disclosure_check.errors import ConfigError
    from disclosure_check.files import write_text
    from disclosure_check.present.methodology import to_markdown
    from disclosure_check.rubric import load_rubric

    if out is not None and Path(out).suffix.lower() != ".md":
        raise ConfigError(f"cannot write a methodology to '{Path(out).name}'", where="--out",
                          fix="give a file name ending in .md (the methodology is Markdown)")
    text = to_markdown(load_rubric(file))
    if out is None:
        click.echo(text)
    else:
        write_text(Path(out), text)
        click.echo(f"Wrote {out}")


@rubric.command("sample-hits")
@click.argument("file", required=False, type=click.Path(dir_okay=False))
@click.option("--out", required=True, type=click.Path(dir_okay=False), callback=csv_out, help="Review file to write (CSV).")
@click.option("--reviews", type=click.Path(dir_okay=False), default=None,
              help="Existing review file: its verdicts are kept and only the hits still needed are added.")
@click.option("--texts", type=click.Path(dir_okay=False), default="corpus/uk_texts/uk_statement_texts.csv",
              show_default=True, help="Statement texts (CSV with id and text columns) to sample hits from.")
@click.option("--per-pattern", default=10, show_default=True, type=click.IntRange(1),
              help="Reviewed hits wanted per pattern.")
@click.option("--seed", default=0, show_default=True, help="Sampling seed (per pattern, reproducible).")
def rubric_sample_hits(file, out, reviews, texts, per_pattern, seed) -> None:
    """Sample the real sentences each level and flag pattern fires on, for review (verdict right/wrong)."""
    from disclosure_check.rubric import load_rubric
    from disclosure_check.train.precision import (
        read_reviews,
        read_statements,
        update_sample,
        write_reviews,
    )

    earlier = read_reviews(reviews, reviewed=False) if reviews else []
    rows = update_sample(load_rubric(file), read_statements(texts), earlier, per_pattern=per_pattern, seed=seed)
    write_reviews(out, rows)
    todo = sum(1 for r in rows if not r.verdict)
    click.echo(f"Wrote {out}: {len(rows)} rows, {todo} hit(s) to review (fill in verdict and reason)")


db_option = click.option("--db", default=DB.value, show_default=DB.default, help=f"Results database URL or path. [env {DB.env}]")


@main.group()
def staff() -> None:
    """Manage the dashboard's staff accounts (kept in the results database)."""


@staff.command("add")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of stdin (for scripts).")
@db_option
def staff_add(name, password_stdin, db) -> None:
    """Create a staff account NAME; the password is prompted for twice (hidden), or read from stdin."""
    from disclosure_check.store.accounts import add_account
    from disclosure_check.store.store import Store

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    with Store(db) as store:
        stored = add_account(store, name, password)
    click.echo(f"Added staff account '{stored}'. They sign in to the dashboard with that name and password.")


@staff.command("list")
@db_option
def staff_list(db) -> None:
    """List staff accounts and when each was created."""
    from disclosure_check.store.store import Store

    with Store(db, create=False) as store:
        rows = store.accounts()
    for row in rows:
        click.echo(f"{row['name']}\t{row['created_at']}")
    if not rows:
        click.echo("No staff accounts: the dashboard's staff pages open only to a browser on the same machine.")


@staff.command("remove")
@click.argument("name")
@db_option
def staff_remove(name, db) -> None:
    """Remove staff account NAME and sign it out everywhere (its review decisions stay in the audit trail)."""
    from disclosure_check.errors import ConfigError
    from disclosure_check.store.accounts import remove_account
    from disclosure_check.store.store import Store

    with Store(db, create=False) as store:
        if not remove_account(store, name):
            raise ConfigError(f"no staff account named '{name}'", where=redact(db),
                              fix="see the names with `disclosure-check staff list`")
    click.echo(f"Removed staff account '{name}'.")


@main.group()
def shares() -> None:
    """Self-assessments businesses shared from the dashboard, waiting for staff."""


@shares.command("list")
@click.option("--status", type=click.Choice(["pending", "accepted", "rejected"]), default=None,
              help="Only shares with this status. [default: all]")
@db_option
def shares_list(status, db) -> None:
    """List shares: id, status, shared at, file name, overall level, and who decided."""
    from disclosure_check.present.export import level_label
    from disclosure_check.store.store import Store

    with Store(db, create=False) as store:
        rows = store.shares(status)
    for s in rows:
        decided = f"{s['status']} by {s['decided_by']} at {s['decided_at']}" if s["decided_by"] else s["status"]
        note = " (duplicate of a batch-scored document)" if s["duplicate"] or (s["batch"] and s["status"] == "pending") else ""
        click.echo(f"{s['id']}\t{decided}{note}\t{s['shared_at']}\t{clean_line(s['file_name'])}\t"
                   f"overall {level_label(s['result'], s['result'].get('overall')) or 'n/a'}")
    if not rows:
        click.echo("No shares.")


def _decide_share(share_id: int, decision: str, by: str, db: str) -> None:
    from disclosure_check.store.store import Store

    with Store(db, create=False) as store:
        share = store.decide_share(share_id, decision, decided_by=by)
    extra = " as a duplicate: the batch-scored record is unchanged" if share["duplicate"] else ""
    click.echo(f"Share {share_id} {decision}{extra}.")


by_option = click.option("--by", default=lambda: getpass.getuser(), show_default="your OS user name",
                         help="Who decided (recorded with the share).")


@shares.command("accept")
@click.argument("share_id", type=int)
@by_option
@db_option
def shares_accept(share_id, by, db) -> None:
    """Accept a share: its result joins the staff pages as origin 'self-assessment'."""
    _decide_share(share_id, "accepted", by, db)


@shares.command("reject")
@click.argument("share_id", type=int)
@by_option
@db_option
def shares_reject(share_id, by, db) -> None:
    """Reject a share: it never joins the staff pages."""
    _decide_share(share_id, "rejected", by, db)


@main.group()
def review() -> None:
    """Reviewers' decisions as data."""


@review.command("examples")
@db_option
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True, callback=csv_out,
              help="CSV file to write.")
def review_examples(db, out) -> None:
    """Export reviewers' confirm/reject decisions on evidence sentences as labelled training examples
    (doc_id, sentence, element, label 1/0, reviewer, decided_at; the latest decision per document,
    element and sentence wins), for `disclosure-check train --reviewed`."""
    from disclosure_check.store.store import Store
    from disclosure_check.train.reviewed import store_to_examples, write_examples

    with Store(db, create=False) as store:
        examples = store_to_examples(store)
    write_examples(examples, out)
    confirmed = sum(e.label for e in examples)
    click.echo(f"Wrote {len(examples)} reviewed example(s) ({confirmed} confirmed, {len(examples) - confirmed} "
               f"rejected) to {out}")


@review.command("import")
@click.argument("decisions_csv", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@db_option
@rubric_option
def review_import(decisions_csv, db, rubric_path) -> None:
    """Record reviewers' decisions from a CSV, as the dashboard records them: columns doc_id, target
    (element:<id>, gate:<id>, criterion:<id>, evidence:<element>:<index>:<hash>, letter:<id>),
    decision (confirm, reject, set_level, comment), level (for set_level), reviewer, comment.
    Every row is checked first: one bad row records nothing."""
    from disclosure_check.assess.decisions import read_decisions_csv
    from disclosure_check.rubric import load_rubric
    from disclosure_check.store.store import Store

    found = read_decisions_csv(decisions_csv)
    with Store(db, create=False, rubric=load_rubric(rubric_path)) as store:
        store.add_decisions(found)
    documents = len({d.doc_id for d in found})
    click.echo(f"Recorded {len(found)} decision(s) on {documents} document(s) from {decisions_csv}; "
               f"`disclosure-check export` and the dashboard show them applied.")


@review.command("export")
@db_option
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True, callback=csv_out,
              help="CSV file to write: the whole audit trail, oldest first.")
def review_export(db, out) -> None:
    """Write the audit trail of decisions as CSV (the import's columns, then id, time, the value
    replaced and the sentence of an evidence decision)."""
    from disclosure_check.assess.decisions import write_decisions_csv
    from disclosure_check.store.store import Store

    with Store(db, create=False) as store:
        found = store.decisions()
    write_decisions_csv(found, out)
    click.echo(f"Wrote {len(found)} decision(s) to {out}")
