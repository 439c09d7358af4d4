"""``review examples``, ``review import`` and ``review export``: reviewers' decisions as data."""

from __future__ import annotations

from pathlib import Path

import click

from disclosure_check.cli.base import csv_out, db_option, main, open_store, rubric_option


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

    with Store(db, read_only=True) as store:
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

    found = read_decisions_csv(decisions_csv)
    with open_store(db, create=False, rubric_path=rubric_path) as store:
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

    with Store(db, read_only=True) as store:
        found = store.decisions()
    write_decisions_csv(found, out)
    click.echo(f"Wrote {len(found)} decision(s) to {out}")
