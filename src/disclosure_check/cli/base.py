"""What every command shares: the ``disclosure-check`` group, which turns library errors into one
clean line and exit code 2, and the options several commands take."""

from __future__ import annotations

import getpass
from pathlib import Path

import click

from disclosure_check import __version__
from disclosure_check.errors import ConfigError, DisclosureCheckError
from disclosure_check.settings import DB, MODEL, RUBRIC
from disclosure_check.types import DOC_TYPES, JURISDICTIONS, SECTOR_CHOICES

CORPUS_DEFAULT = ("corpus/aims/aims_au_sentences.csv", "corpus/aims/aims_ca_sentences.csv")
SECTORS = SECTOR_CHOICES


class Group(click.Group):
    """Turns library errors into one clean line and exit code 2, and Ctrl-C into exit code 130 (as a
    shell reports it) without click's "Aborted!"; bugs still raise."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except DisclosureCheckError as exc:
            click.echo(f"Error: {exc.message}", err=True)
            ctx.exit(2)
        except KeyboardInterrupt:  # `score` says what it stored before this; other commands keep nothing half-done
            click.echo("\nInterrupted.", err=True)
            ctx.exit(130)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="disclosure-check")
def main() -> None:
    """Find and score the evidence in modern slavery statements (PDF)."""


rubric_option = click.option("--rubric", "rubric_path", type=click.Path(dir_okay=False), default=RUBRIC.value,
                             help=f"Rubric YAML file. [env {RUBRIC.env}; default: bundled]")
doc_type_option = click.option(
    "--doc-type", type=click.Choice(DOC_TYPES), default=None,
    help="Treat the input as this document type. [default: detected per document]")
sector_option = click.option(
    "--sector", type=click.Choice(SECTORS), default=None,
    help="Set the organisation's sector: a financial sub-sector, 'financial', or an industry; financial sectors add "
         "the financial-lever criteria. A manifest's sector column outranks it. [default: detected]")
jurisdiction_option = click.option(
    "--jurisdiction", "jurisdictions", type=click.Choice((*JURISDICTIONS, "none")), multiple=True,
    help="Set the laws the documents answer (repeat for several: --jurisdiction uk --jurisdiction au; 'none'); "
         "the statutory checks carry each law's wording. [default: the laws each document names]")
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
db_option = click.option("--db", default=DB.value, show_default=DB.default,
                         help=f"Results database URL or path. [env {DB.env}]")
by_option = click.option("--by", default=lambda: getpass.getuser(), show_default="your OS user name",
                         help="Who decided (recorded with the share).")


def scoring_options(command):
    """The options that decide how one document is read and scored, and the limits it runs under."""
    for option in reversed((password_option, max_mb_option, max_pages_option, time_limit_option, memory_limit_option,
                            ocr_option, max_ocr_pages_option, doc_type_option, sector_option, jurisdiction_option)):
        command = option(command)
    return command


def score_options(password, max_mb, max_pages, doc_type, sector, ocr, max_ocr_pages, jurisdictions=()):
    """The ``pipeline.ScoreOptions`` the shared options give."""
    from disclosure_check.pipeline import ScoreOptions

    if "none" in jurisdictions and len(jurisdictions) > 1:
        raise ConfigError("--jurisdiction none cannot be given with a law", fix="give either laws or none")
    laws = None if not jurisdictions else () if jurisdictions == ("none",) else tuple(dict.fromkeys(jurisdictions))
    return ScoreOptions(password=password, max_bytes=max_mb * 2**20, max_pages=max_pages, doc_type=doc_type,
                        sector=sector, ocr=ocr, max_ocr_pages=max_ocr_pages, jurisdictions=laws)


def csv_out(ctx, param, value):
    """Click callback: an --out that must be a .csv file, refused before any work is done."""
    if value is not None and Path(value).suffix.lower() != ".csv":
        raise ConfigError(f"cannot write '{Path(value).suffix or Path(value).name}' here: this writes CSV",
                          where=str(value), fix="end --out with .csv")
    return value


def open_store(db: str, *, create: bool = True, read_only: bool = False, rubric_path: str | None = None):
    """The results database, knowing the configured rubric (``--rubric``, ``DISCLOSURE_CHECK_RUBRIC`` or
    the bundled one) for results stored before the store kept each result's own rubric.
    ``read_only``: for commands that only read (``Store``'s read-only open: nothing is written)."""
    from disclosure_check.rubric import load_rubric
    from disclosure_check.store.store import Store

    return Store(db, create=create, read_only=read_only, rubrics=load_rubric(rubric_path or RUBRIC.value()))
