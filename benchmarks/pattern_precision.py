"""Evidence precision per level and flag pattern, before and after the review-driven fixes, and how
many rule-supported criterion levels the fixes change on the 146 WikiRate texts and the bundled samples.

"Before" is the first review round (corpus/reviews/pattern_hits.csv, round 1) against the rubric as it
was then; "after" is every review that still holds for the current rubric. The level comparison runs
the rules of the original rubric (git BASE, default 5bc167c) and of the current one over the same
sentences: per document and criterion, the highest level the rule hits support (planned caps at 1,
negative gives 0) — the part of a criterion's score the patterns decide.

Run: PYTHONPATH=src .venv/bin/python benchmarks/pattern_precision.py [BASE]
Writes benchmarks/results/pattern_precision.json and .md.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
REVIEWS = ROOT / "corpus/reviews/pattern_hits.csv"
WIKIRATE = ROOT / "corpus/wikirate/msa_training_labels_with_text.csv"
SAMPLES = ROOT / "corpus/samples"
RESULTS = ROOT / "benchmarks/results"


def rubric_at(commit: str):
    """The bundled maturity rubric as it was at ``commit`` (its base disclosure rubric merged in)."""
    from disclosure_check.rubric import parse_rubric

    def show(name: str) -> dict:
        text = subprocess.run(["git", "show", f"{commit}:src/disclosure_check/rubrics/{name}"], cwd=ROOT,
                              capture_output=True, text=True, check=True).stdout
        return yaml.safe_load(text)

    data, base = show("maturity.v1.yaml"), show("disclosure.v1.yaml")
    data.pop("extends", None)
    data.setdefault("elements", base["elements"])
    data.setdefault("cues", base["cues"])
    data["sources"] = {**base["sources"], **data.get("sources", {})}
    return parse_rubric(data, where=f"{commit}:maturity.v1.yaml")


def rule_levels(rules, sentences: list[str]) -> tuple[dict[str, int], int]:
    """Highest rule-supported level per criterion, and the number of sentences flagged low risk."""
    from disclosure_check.classify.matches import evidence_status

    levels: dict[str, int] = {}
    low_risk = 0
    for m in rules.match(sentences):
        status = evidence_status(m)
        for target, hit in m.levels.items():
            if target.kind != "criterion":  # statutory checks and CEO-letter items are not criterion levels
                continue
            level = 0 if status == "negative" else min(hit.level, 1) if status == "planned" else hit.level
            levels[target.id] = max(levels.get(target.id, 0), level)
        low_risk += "risk_description" in m.excluded
    return levels, low_risk


def documents() -> list[tuple[str, str, list[str]]]:
    """(set, name, sentences) for the WikiRate texts and the bundled sample PDFs."""
    from disclosure_check.read.extract import pdf_to_document
    from disclosure_check.read.segment import document_to_sentences
    from disclosure_check.train.precision import statement_sentences

    csv.field_size_limit(1 << 28)
    docs = []
    with WIKIRATE.open(newline="", encoding="utf-8") as handle:
        for i, row in enumerate(csv.DictReader(handle)):
            if (row.get("Text") or "").strip():
                docs.append(("wikirate", f"{row['Company']} {row['Year']} #{i}", statement_sentences(row["Text"])))
    for pdf in sorted(SAMPLES.glob("*.pdf")):
        doc = pdf_to_document(pdf, ocr=False)
        docs.append(("samples", pdf.stem, [s.text for s in document_to_sentences(doc)]))
    return docs


def compare_levels(old_rubric, new_rubric) -> dict:
    from disclosure_check.classify.rules import RuleClassifier

    old, new = RuleClassifier(old_rubric), RuleClassifier(new_rubric)
    criteria = [c.id for c in new_rubric.criteria]
    out: dict = {}
    for docset in ("wikirate", "samples"):
        out[docset] = {"documents": 0, "criterion_levels": 0, "changed": 0, "down": 0, "up": 0,
                       "by_criterion": Counter(), "low_risk_flags_before": 0, "low_risk_flags_after": 0,
                       "examples": []}
    for docset, name, sentences in documents():
        (before, low_before), (after, low_after) = rule_levels(old, sentences), rule_levels(new, sentences)
        row = out[docset]
        row["documents"] += 1
        row["low_risk_flags_before"] += low_before
        row["low_risk_flags_after"] += low_after
        for criterion in criteria:
            a, b = before.get(criterion, 0), after.get(criterion, 0)
            row["criterion_levels"] += 1
            if a != b:
                row["changed"] += 1
                row["down" if b < a else "up"] += 1
                row["by_criterion"][criterion] += 1
                if docset == "samples":
                    row["examples"].append(f"{name} {criterion} {a}->{b}")
    for row in out.values():
        row["by_criterion"] = dict(row["by_criterion"].most_common())
    return out


def main(base: str = "5bc167c") -> int:
    from disclosure_check.rubric import load_rubric
    from disclosure_check.train import precision as P

    rubric = load_rubric()
    reviews = P.read_reviews(REVIEWS)
    report = P.measure(rubric, reviews)
    before = P.measure_round(reviews, 1)
    patterns = []
    for p in sorted(report.patterns, key=lambda p: (p.target, p.name)):
        b = before.get(p.name)
        patterns.append({"pattern": p.name, "target": p.target, "level": p.level,
                         "before_n": b.reviewed if b else 0, "before": b.precision if b else None,
                         "after_n": p.reviewed, "after": p.precision, "flag": p.flag})
    dropped = sorted({r.pattern_id for r in reviews if r.target.startswith(P.DROPPED)})
    levels = compare_levels(rubric_at(base), rubric)
    result = {
        "reviews": str(REVIEWS.relative_to(ROOT)), "base": base, "rounds": max(r.round for r in reviews),
        "before": {"reviewed": before["overall"].reviewed, "precision": before["overall"].precision,
                   "patterns_below_0.70": sum(1 for k, v in before.items() if k != "overall" and v.reviewed
                                              and v.precision < P.PATTERN_FLOOR)},
        "after": {"reviewed": report.overall.reviewed, "precision": report.overall.precision,
                  "interval": report.overall.interval,
                  "patterns_below_0.70": sum(1 for p in report.patterns if p.flag == "LOW"),
                  "patterns_with_fewer_than_5": sum(1 for p in report.patterns if p.flag.startswith("FEW")),
                  "patterns_without_hits": sum(1 for p in report.patterns if not p.fired),
                  "stale_reviews": len(report.stale)},
        "dropped_patterns": dropped, "patterns": patterns, "level_changes": levels,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "pattern_precision.json").write_text(json.dumps(result, indent=1) + "\n")
    fmt = lambda v: "-" if v is None else f"{v:.2f}"  # noqa: E731
    lines = ["# Evidence precision per pattern", "",
             f"Reviewed sample: `{result['reviews']}` ({result['rounds']} review rounds, hits of "
             "corpus/uk_texts, up to 10 per pattern, one per statement while they last).", "",
             f"- Before (round 1, original patterns): precision {fmt(result['before']['precision'])} on "
             f"{result['before']['reviewed']} hits; {result['before']['patterns_below_0.70']} patterns below 0.70.",
             f"- After (current rubric): precision {fmt(report.overall.precision)} on {report.overall.reviewed} hits "
             f"(95% CI {report.overall.interval[0]:.2f}-{report.overall.interval[1]:.2f}); "
             f"{result['after']['patterns_below_0.70']} below 0.70; {result['after']['patterns_with_fewer_than_5']} "
             f"with fewer than 5 reviewed hits; {result['after']['patterns_without_hits']} with no hit in the corpus.",
             f"- Dropped patterns: {', '.join(dropped) or 'none'}.", "",
             "| pattern | target | level | before n | before | after n | after | flag |", "|---|---|---|---|---|---|---|---|"]
    for p in patterns:
        lines.append(f"| {p['pattern']} | {p['target']} | {p['level'] or ''} | {p['before_n']} | {fmt(p['before'])} | "
                     f"{p['after_n']} | {fmt(p['after'])} | {p['flag']} |")
    lines += ["", f"## Rule-supported criterion levels, rubric at {base} vs now", "",
              "| documents | n | criterion levels | changed | down | up | low-risk flags before -> after | most changed |",
              "|---|---|---|---|---|---|---|---|"]
    for docset, row in levels.items():
        top = ", ".join(f"{c} {n}" for c, n in list(row["by_criterion"].items())[:6])
        lines.append(f"| {docset} | {row['documents']} | {row['criterion_levels']} | {row['changed']} | {row['down']} | "
                     f"{row['up']} | {row['low_risk_flags_before']} -> {row['low_risk_flags_after']} | {top} |")
    lines += ["", "Sample changes: " + "; ".join(levels["samples"]["examples"]), ""]
    (RESULTS / "pattern_precision.md").write_text("\n".join(lines))
    print("\n".join(lines[:8]))
    print("\n".join(lines[-6:]))
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
