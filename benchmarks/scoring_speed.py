"""Seconds per statement and sentences per second for the whole pipeline on the rendered samples.

Run: .venv/bin/python benchmarks/scoring_speed.py [--repeat 3] [--json benchmarks/results/scoring_speed.json]

Times extraction (pdfplumber), segmentation (spaCy), classification (rules + model) and scoring
separately, in one process, after loading the model once (start-up is reported on its own).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=Path, default=ROOT / "corpus/samples")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)

    started = time.perf_counter()
    from disclosure_check.assess.elements import assess, combine_evidence
    from disclosure_check.classify.modelset import load_model_set
    from disclosure_check.pipeline import Scorer, maturity_from_evidence
    from disclosure_check.read.extract import pdf_to_document
    from disclosure_check.read.segment import document_to_sentences
    from disclosure_check.rubric import load_rubric

    scorer = Scorer(load_rubric(), load_model_set(ROOT / "models/default"))
    startup = time.perf_counter() - started
    pdfs = sorted(args.samples.glob("*.pdf"))
    stages = {"extract": [], "segment": [], "classify": [], "score": [], "total": []}
    sentences = pages = 0
    for _ in range(args.repeat):
        for pdf in pdfs:
            t0 = time.perf_counter()
            doc = pdf_to_document(pdf)
            t1 = time.perf_counter()
            sents = document_to_sentences(doc)
            t2 = time.perf_counter()
            found = scorer.classify(sents)
            t3 = time.perf_counter()
            elements = combine_evidence(scorer.rubric.element_ids, found.model_evidence, found.rule_evidence,
                                        best_scores=found.best, standalone=scorer.standalone)
            profile = scorer.profile(doc)
            maturity = maturity_from_evidence(scorer.rubric, sents, found.matches, elements, profile)
            assess(doc, elements, rubric_version="x", model_version="y", sentences=len(sents), maturity=maturity)
            t4 = time.perf_counter()
            for key, value in zip(stages, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t4 - t0), strict=False):
                stages[key].append(value)
            sentences += len(sents)
            pages += len(doc.pages)
    total = sum(stages["total"])
    result = {
        "documents": len(pdfs), "repeat": args.repeat, "pages": pages // args.repeat,
        "sentences": sentences // args.repeat, "startup_seconds": round(startup, 2),
        "seconds_per_statement": round(statistics.mean(stages["total"]), 3),
        "median_seconds_per_statement": round(statistics.median(stages["total"]), 3),
        "seconds_per_page": round(total / pages, 3),
        "stage_share": {k: round(sum(v) / total, 3) for k, v in stages.items() if k != "total"},
        "classify_sentences_per_second": round(sentences / sum(stages["classify"])),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
    }
    print(json.dumps(result, indent=1))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
