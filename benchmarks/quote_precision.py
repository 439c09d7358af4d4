"""Top-five quote precision per element against the AIMS expert sentence labels (issue 21).

For every statement and element the labels cover, the quotes a reviewer would see are the
sentences the model accepts for the element, strongest first, at most five. A quote is right when
the experts labelled that sentence for that element. Predictions are out of fold: statement-grouped
5-fold cross-validation with each fold's thresholds chosen on an inner 3-fold CV of its training
statements, as the shipped model is measured (train/sentences.py), so no statement is scored by a
model that saw it.

Besides the shipped rule (every accepted sentence, top five), it reports "show fewer when unsure":
a quote is shown only when its out-of-fold probability reaches a display cut above the acceptance
threshold, with the share of (statement, element) pairs with a labelled sentence that still show at
least one quote (coverage). The cuts are reported for all of them; none is chosen on this data here.

Run: python benchmarks/quote_precision.py [--json benchmarks/results/quote_precision.json]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
FILES = [ROOT / "corpus/aims/aims_au_sentences.csv", ROOT / "corpus/aims/aims_ca_sentences.csv"]
TOP = 5
CUTS = (None, 0.5, 0.6, 0.7, 0.8, 0.9)


def measure(data, P: np.ndarray, D: np.ndarray, cut: float | None, rubric) -> dict:
    from disclosure_check.train.metrics import quote_metrics

    statements = [rows for _, rows in data.statements()]
    return quote_metrics(data.Y, P, D, statements, data.labels, rubric, cut=cut, top=TOP)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()

    from disclosure_check.classify.rules import RuleClassifier, flag_vocabulary
    from disclosure_check.rubric import load_rubric
    from disclosure_check.train.corpus import read_labelled
    from disclosure_check.train.sentences import (
        DEFAULT_PARAMS,
        corpus_contexts,
        cross_validate,
    )

    started = time.perf_counter()
    rubric = load_rubric()
    data = read_labelled(FILES, rubric)
    params = {**DEFAULT_PARAMS, "labels": data.labels, "flags": flag_vocabulary(rubric)}
    contexts = corpus_contexts(data, RuleClassifier(rubric))
    groups = data.frame["group"].to_numpy()
    P, D, _ = cross_validate(contexts, data.Y, groups, data.labels, params=params, jobs=args.jobs)  # as `train`
    results = [measure(data, P, D, cut, rubric) for cut in CUTS]
    out = {"evaluation": "AIMS.au + AIMS.ca expert sentence labels; out-of-fold predictions of "
                         "statement-grouped 5-fold CV, thresholds from inner 3-fold CV",
           "statements": int(data.frame["group"].nunique()), "sentences": len(data.frame),
           "top": TOP, "seconds": round(time.perf_counter() - started, 1), "results": results}
    for r in results:
        cut = "accepted" if r["cut"] is None else f"p >= {r['cut']}"
        print(f"{cut:>10}: precision {r['precision']} ({r['right']}/{r['shown']}), "
              f"coverage {r['coverage']} ({r['with_a_right_quote']}/{r['statements_elements']})")
    print("per element (shipped rule):")
    for label, r in results[0]["elements"].items():
        print(f"  {label:<28} {r['precision']} ({r['right']}/{r['shown']}); "
              f"{r['with_a_right_quote']}/{r['statements_with_element']} statements show a right quote")
    if args.json:
        args.json.write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()
