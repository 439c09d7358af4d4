"""``report``: one PDF scored and written up as Markdown, HTML or PDF."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from disclosure_check.cli.base import main, model_option, rubric_option, score_options, scoring_options
from disclosure_check.errors import ConfigError

REPORT_FORMATS = ("md", "html", "pdf")


def report_output(fmt: str | None, out: Path | None, file: Path) -> tuple[str, Path]:
    """The report's format and path: the format follows --out's extension; a mismatch or an
    extension the report cannot write is a ConfigError (never Markdown in a .docx)."""
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


@main.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(REPORT_FORMATS), default=None,
              help="Report format. [default: from --out's extension, else md]")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write it. [default: FILE's name with .report.md/.html/.pdf, in the current folder]")
@click.option("--db", default=None, help="Also store the result in this database.")
@scoring_options
@rubric_option
@model_option
def report(file, fmt, out, db, password, max_mb, max_pages, time_limit, memory_limit, ocr, max_ocr_pages, doc_type,
           sector, jurisdictions, rubric_path, model_dir) -> None:
    """Score one PDF and write a readable report: statutory gate, themes, criteria with evidence
    quotes and pages, gaps with recommendations and their sources, disclosure elements.

    The document is scored in a worker process under the time and memory limits, as by `score`.
    Exits 1, with the failure's code and reason, when the document cannot be scored."""
    from disclosure_check.pipeline import ScorerSpec
    from disclosure_check.present.export import result_to_dict
    from disclosure_check.present.report import write_report
    from disclosure_check.run import Limits, attempt_options, build_scorer, score_isolated
    from disclosure_check.store.store import Store
    from disclosure_check.types import Failure

    fmt, out = report_output(fmt, out, file)  # a bad --out or --format is refused before any scoring
    options = score_options(password, max_mb, max_pages, doc_type, sector, ocr, max_ocr_pages, jurisdictions)
    limits = Limits(time_limit=time_limit, memory_limit=memory_limit)
    scorer = build_scorer(ScorerSpec(rubric_path, model_dir, options))
    loaded = scorer.rubric
    result = score_isolated(scorer, file, limits)
    decided = 0
    if db:
        with Store(db) as store:
            store.save(result, options=attempt_options(options, limits), rubric=loaded)
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
