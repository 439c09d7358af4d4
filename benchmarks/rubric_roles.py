"""Rubric roles as data and evidence semantics, measured on real statements.

For every rendered sample (corpus/samples) and, when present, the short modern slavery statements
among /work/shared/real_pdfs (read in place, never copied; only counts are written): score with the
bundled matrix and with a renumbered, shuffled copy (every criterion and theme id changed), and
count what the evidence rules did: elements left absent because their only evidence was a negative
claim, negative claims kept apart, sentences found by more than one classifier or source and merged,
'low risk' claim sentences kept from the risk criteria, and flags raised.

Run: PYTHONPATH=src .venv/bin/python benchmarks/rubric_roles.py
(writes benchmarks/results/rubric_roles.md and .json)
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REAL = Path("/work/shared/real_pdfs")
sys.path.insert(0, str(ROOT / "tests"))
from rubric_copies import renumbered_matrix  # noqa: E402  (shared with tests/test_maturity.py)

REAL_STATEMENTS = ("macrovesta_modern_slavery_statement_2024.pdf", "mtf_holding_modern_slavery_statement_2024.pdf",
                   "rsc_associates_transparency_statement_2017.pdf", "infosys_human_rights_policy_statement_2021.pdf")


def counts(result, rubric) -> dict:
    m = result.maturity
    risk = {c.id for c in rubric.tagged("risk")}
    return {
        "negative_only_elements": sum(1 for e in result.elements if not e.present and e.negative),
        "negative_claims": sum(len(e.negative) for e in result.elements),
        "merged_element_evidence": sum(1 for e in result.elements for ev in e.evidence if ev.found_by),
        "merged_criterion_evidence": sum(1 for c in m.criteria for ev in c.evidence if " + " in ev.source),
        "claim_flags": sum(1 for f in m.flags if not f.startswith("negative claim")),
        "negative_flags": sum(1 for f in m.flags if f.startswith("negative claim")),
        "risk_levels": {c.id: c.level for c in m.criteria if c.id in risk},
        "overall": m.overall,
    }


def text_corpus(scorer, others, rubric) -> dict:
    """The 146 WikiRate UK statement texts (corpus/wikirate): the same comparisons from text, plus what
    the evidence rules changed against scoring the same evidence without them."""
    import csv
    from dataclasses import replace

    from disclosure_check.assess.elements import combine_evidence
    from disclosure_check.pipeline import maturity_from_evidence
    from disclosure_check.read.segment import texts_to_sentences
    from disclosure_check.train.documents import text_to_document

    csv.field_size_limit(10**8)
    with open(ROOT / "corpus" / "wikirate" / "msa_training_labels_with_text.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    permissive = replace(rubric, flags=tuple(replace(flag, never_supports=()) for flag in rubric.flags))
    risk = [c.id for c in rubric.tagged("risk")]
    out = {"texts": 0, "renumbered_comparisons": 0, "renumbered_identical": 0, "negative_only_elements": 0,
           "documents_with_negative_only_element": 0, "negative_claims": 0, "low_risk_claim_flags": 0,
           "documents_with_low_risk_flag": 0, "risk_levels_lowered_by_low_risk_rule": 0,
           "documents_with_a_risk_level_lowered": 0, "merged_element_evidence": 0}
    for row in rows:
        text = row["Text"]
        sentences = texts_to_sentences([p for p in text.split("\n\n") if p.strip()])
        if not sentences:
            continue
        found = scorer.classify(sentences)
        elements = combine_evidence(rubric.element_ids, found.model_evidence, found.rule_evidence,
                                    best_scores=found.best, standalone=scorer.standalone)
        audiences = scorer.training_audiences(sentences)
        profile = scorer.profile(text_to_document(text))
        m = maturity_from_evidence(rubric, sentences, found.matches, elements, profile, audiences)
        loose = maturity_from_evidence(permissive, sentences, found.matches, elements, profile, audiences)
        out["texts"] += 1
        negative_only = sum(1 for e in elements if not e.present and e.negative)
        out["negative_only_elements"] += negative_only
        out["documents_with_negative_only_element"] += bool(negative_only)
        out["negative_claims"] += sum(len(e.negative) for e in elements)
        out["merged_element_evidence"] += sum(1 for e in elements for ev in e.evidence if ev.found_by)
        flags = sum(1 for f in m.flags if not f.startswith("negative claim"))
        out["low_risk_claim_flags"] += flags
        out["documents_with_low_risk_flag"] += bool(flags)
        before = {c.id: c.level for c in loose.criteria}
        lowered = sum(1 for c in m.criteria if c.id in risk and c.level < before[c.id])
        out["risk_levels_lowered_by_low_risk_rule"] += lowered
        out["documents_with_a_risk_level_lowered"] += bool(lowered)
        for other, criteria, themes in others:
            b = maturity_from_evidence(other.rubric, sentences, other.rules.match([s.text for s in sentences]),
                                       elements, profile, audiences)
            same = ({criteria[c.id]: c.level for c in m.criteria} == {c.id: c.level for c in b.criteria}
                    and {themes[t.id]: t.level for t in m.themes} == {t.id: t.level for t in b.themes}
                    and m.flags == b.flags and m.overall == b.overall)
            out["renumbered_comparisons"] += 1
            out["renumbered_identical"] += same
    return out


def main() -> int:
    from disclosure_check.classify.modelset import load_model_set
    from disclosure_check.pipeline import Scorer
    from disclosure_check.rubric import load_rubric
    from disclosure_check.types import Failure

    rubric = load_rubric()
    scorer = Scorer(rubric, load_model_set(ROOT / "models" / "default"))
    files = sorted((ROOT / "corpus" / "samples").glob("*.pdf"))
    files += [REAL / name for name in REAL_STATEMENTS if (REAL / name).is_file()]
    rows, agree, compared = [], 0, 0
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        others = []
        for seed in (1, 2):
            path, criteria, themes = renumbered_matrix(Path(folder), seed)
            others.append((Scorer(load_rubric(path), scorer.models), criteria, themes))
        for pdf in files:
            result = scorer.score_file(pdf)
            if isinstance(result, Failure):
                rows.append({"file": pdf.name, "failed": result.code})
                continue
            row = {"file": pdf.name, **counts(result, rubric), "renumbered_same": True}
            m = result.maturity
            for other, criteria, themes in others:
                b = other.score_file(pdf).maturity
                same = ({criteria[c.id]: c.level for c in m.criteria} == {c.id: c.level for c in b.criteria}
                        and {themes[t.id]: t.level for t in m.themes} == {t.id: t.level for t in b.themes}
                        and m.flags == b.flags and m.overall == b.overall
                        and {(criteria[g.criterion], g.level) for g in m.gaps} == {(g.criterion, g.level) for g in b.gaps})
                row["renumbered_same"] &= same
                compared += 1
                agree += same
            rows.append(row)
        texts = text_corpus(scorer, others, rubric)
    seconds = time.perf_counter() - started
    scored = [r for r in rows if "failed" not in r]
    summary = {
        "documents": len(rows), "scored": len(scored), "renumbered_comparisons": compared,
        "renumbered_identical": agree,
        "negative_only_elements": sum(r["negative_only_elements"] for r in scored),
        "negative_claims_kept_apart": sum(r["negative_claims"] for r in scored),
        "merged_element_evidence": sum(r["merged_element_evidence"] for r in scored),
        "merged_criterion_evidence": sum(r["merged_criterion_evidence"] for r in scored),
        "low_risk_claim_flags": sum(r["claim_flags"] for r in scored),
        "seconds": round(seconds, 1),
    }
    out = ROOT / "benchmarks" / "results"
    summary["wikirate_texts"] = texts
    (out / "rubric_roles.json").write_text(json.dumps({"summary": summary, "documents": rows}, indent=1) + "\n")
    lines = ["# Rubric roles as data: renumbered matrix and evidence rules", "",
             "`PYTHONPATH=src .venv/bin/python benchmarks/rubric_roles.py` — the 12 rendered samples and the short "
             "real statements in /work/shared/real_pdfs (counts only). Each document is also scored with two "
             "renumbered, shuffled copies of maturity.v1.yaml.", "",
             "| file | renumbered same | negative-only elements | negative claims | merged element ev. | "
             "merged criterion ev. | low-risk flags | risk levels | overall |", "|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        if "failed" in r:
            lines.append(f"| {r['file']} | failed {r['failed']} | | | | | | | |")
            continue
        lines.append(f"| {r['file']} | {'yes' if r['renumbered_same'] else 'NO'} | {r['negative_only_elements']} | "
                     f"{r['negative_claims']} | {r['merged_element_evidence']} | {r['merged_criterion_evidence']} | "
                     f"{r['claim_flags']} | {r['risk_levels']} | {r['overall']} |")
    lines += ["", "Summary: " + json.dumps(summary), "",
              "## The 146 WikiRate UK statement texts (corpus/wikirate), scored from text", "",
              "Low-risk rule effect: risk-criterion levels with the rule against the same evidence scored with "
              "`never_supports` emptied. Negative-only elements: absent now, present before (their only evidence "
              "was a negative claim).", "", "```", json.dumps(texts, indent=1), "```"]
    (out / "rubric_roles.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0 if agree == compared and texts["renumbered_identical"] == texts["renumbered_comparisons"] else 1


if __name__ == "__main__":
    sys.exit(main())
