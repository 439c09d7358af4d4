"""``rubric validate``, ``rubric describe`` and ``rubric sample-hits``: rubric files as data."""

from __future__ import annotations

from pathlib import Path

import click

from disclosure_check.cli.base import csv_out, main


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
    rules = loaded.pattern_rules()
    examples = sum(len(r.pattern.examples) + len(r.pattern.below_level) for r in rules) + sum(len(e.near_misses) for e in loaded.elements)
    click.echo(f"OK: {loaded.key} ({file or 'bundled'}): {len(loaded.elements)} elements, {len(rules)} patterns, "
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
