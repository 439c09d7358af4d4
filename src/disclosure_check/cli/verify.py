"""``agreement``: how often first and second reviewers agree, per criterion and statutory check."""

from __future__ import annotations

from pathlib import Path

import click

from disclosure_check.cli.base import csv_out, db_option, main, open_store, rubric_option


@main.command("agreement")
@db_option
@rubric_option
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True, callback=csv_out,
              help="CSV file to write: one row per comparison and criterion or check.")
@click.option("--subsector", "subsectors", multiple=True, help="Only this financial sub-sector (repeatable).")
@click.option("--year", "years", multiple=True, type=int, help="Only statements of this year (repeatable).")
@click.option("--doc-type", "doc_types", multiple=True, help="Only this document type (repeatable).")
@click.option("--machine/--no-machine", default=True, show_default=True,
              help="Also compare the machine's value with the reviewed one.")
def agreement(db, rubric_path, out, subsectors, years, doc_types, machine) -> None:
    """Agreement per criterion and statutory check between first and blind second reviewers (raw
    agreement and Cohen's kappa, with n), over the documents both reviewed; kappa is left empty, with
    a note, where it is undefined."""
    from disclosure_check.files import write_csv
    from disclosure_check.rubric import load_rubric
    from disclosure_check.sanitize import neutralise_cell
    from disclosure_check.settings import RUBRIC
    from disclosure_check.store.queries import Filters
    from disclosure_check.store.verification import AGREEMENT_COLUMNS, agreement_records, filtered_ids
    from disclosure_check.store.verification import agreement as agreement_rows

    filters = Filters(subsectors=tuple(subsectors), years=tuple(years), doc_types=tuple(doc_types))
    rubric = load_rubric(rubric_path or RUBRIC.value())  # names the codes
    with open_store(db, read_only=True, rubric_path=rubric_path) as store:
        ids = filtered_ids(store, filters)
        records = agreement_records(agreement_rows(store, rubric, ids, machine=machine))
    write_csv(out, AGREEMENT_COLUMNS, ([neutralise_cell(r[c]) for c in AGREEMENT_COLUMNS] for r in records))
    pairs = max((r["n"] for r in records if r["comparison"].startswith("first")), default=0)
    click.echo(f"Wrote {len(records)} agreement row(s) over {len(ids)} document(s) ({pairs} reviewed twice) to {out}")
