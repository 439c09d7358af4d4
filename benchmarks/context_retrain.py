"""Issue 21 (context): the nested-CV retrain with section smoothing, and the model without it, on the same fits.

``train`` runs ``disclosure-check train --jobs 1 --out OUT`` unchanged (nested CV: 5 statement-grouped
outer folds, each fold's smoothing weights and thresholds chosen on an inner 3-fold CV of its training
statements; then the final fit) and keeps, per outer fold, the inner out-of-fold probabilities and the
held-out raw probabilities in FOLDS (a pickle, not committed). ``score`` re-chooses weights and
thresholds from those same 20 fits under several smoothing grids: ``(0,)`` is the model as shipped
before (no smoothing), ``0-0.4`` is what ``train`` now does (its figures must equal metrics.json; the
script checks the weights and thresholds match), the others are cheap variants. Macro F1 and top-5
quote precision are counted as ``train`` and ``benchmarks/quote_precision.py`` count them.

Run (about 21 fits, 20-25 CPU minutes):
    PYTHONPATH=src nice -n 10 .venv/bin/python benchmarks/context_retrain.py train /tmp/out /tmp/folds.pkl
    PYTHONPATH=src .venv/bin/python benchmarks/context_retrain.py score /tmp/folds.pkl --json OUT.json
(``/tmp/out`` should start as a copy of models/default: ``train`` rewrites its modelset.json.)
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
FILES = [ROOT / "corpus/aims/aims_au_sentences.csv", ROOT / "corpus/aims/aims_ca_sentences.csv"]
GRIDS = {"no smoothing (model shipped before)": (0.0,),
         "train's grid 0-0.4 (disclosure-check train)": (0.0, 0.1, 0.2, 0.3, 0.4),
         "wider grid 0-0.6": (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6),
         "fixed 0.2 on every element": (0.2,)}
TRAIN_GRID = "train's grid 0-0.4 (disclosure-check train)"


def run_train(out_dir: Path, folds_path: Path) -> None:
    import disclosure_check.train.sentences as S
    from disclosure_check.cli import main

    orig_oof, orig_outer, store = S._oof, S._outer_fold, []

    def outer(contexts, Y, groups, labels, params, inner_folds, fit_rows, test_rows, extra=S.NO_EXTRA,
              smoothing_grid=(0.0,)):
        captured = {}

        def oof(*a, **k):
            captured["inner"] = orig_oof(*a, **k)
            return captured["inner"]

        S._oof = oof
        try:
            out = orig_outer(contexts, Y, groups, labels, params, inner_folds, fit_rows, test_rows, extra,
                             smoothing_grid)
        finally:
            S._oof = orig_oof
        store.append({"fit_rows": fit_rows, "test_rows": test_rows, "inner": captured["inner"], "raw": out[1],
                      "thresholds": out[3], "weights": out[4]})
        folds_path.write_bytes(pickle.dumps(store))
        return out

    S._outer_fold = outer  # jobs 1: cross_validate calls it in this process
    sys.argv = ["disclosure-check", "train", "--out", str(out_dir), "--jobs", "1"]
    main()


def score(folds_path: Path) -> dict:
    from disclosure_check.classify.rules import RuleClassifier
    from disclosure_check.rubric import load_rubric
    from disclosure_check.train.corpus import read_labelled
    from disclosure_check.train.metrics import label_metrics, quote_metrics
    from disclosure_check.train.sentences import (
        _smoothed,
        choose_smoothing,
        choose_thresholds,
        corpus_contexts,
        section_keys,
    )

    rubric = load_rubric()
    data = read_labelled(FILES, rubric)
    labels, Y = data.labels, data.Y
    contexts = corpus_contexts(data, RuleClassifier(rubric))
    groups = data.frame["group"].to_numpy()
    folds = pickle.loads(folds_path.read_bytes())
    statements = [rows for _, rows in data.statements()]
    out = {}
    for name, grid in GRIDS.items():
        P, D = np.zeros(Y.shape), np.zeros(Y.shape, dtype=bool)
        for f in folds:
            fit, test = f["fit_rows"], f["test_rows"]
            keys = section_keys([contexts[i] for i in fit], groups[fit])
            weights = choose_smoothing(f["inner"], Y[fit], labels, keys, grid)
            thresholds = choose_thresholds(_smoothed(f["inner"], keys, weights, labels), Y[fit], labels)
            p = _smoothed(f["raw"], section_keys([contexts[i] for i in test], groups[test]), weights, labels)
            P[test], D[test] = p, p >= np.array([thresholds[label] for label in labels])
            if name == TRAIN_GRID:
                assert (weights, thresholds) == (f["weights"], f["thresholds"]), "not the fits train used"
        m = label_metrics(Y, D, labels, rubric)
        q = quote_metrics(Y, P, D, statements, labels, rubric)
        out[name] = {"grid": list(grid), "macro_f1": m["macro_f1"],
                     "fold_macro_f1": [label_metrics(Y[f["test_rows"]], D[f["test_rows"]], labels, rubric)["macro_f1"]
                                       for f in folds],
                     "f1": {k: v["f1"] for k, v in m["criteria"].items()},
                     "quote_precision": q["precision"], "quotes_right": q["right"], "quotes_shown": q["shown"],
                     "coverage": q["coverage"],
                     "quotes_per_element": {k: v["precision"] for k, v in q["elements"].items()}}
        print(f"{name:45} macro F1 {m['macro_f1']:.4f} (folds {out[name]['fold_macro_f1']}); top-5 quotes "
              f"{q['precision']} ({q['right']}/{q['shown']}), coverage {q['coverage']}")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    t = sub.add_parser("train")
    t.add_argument("out", type=Path)
    t.add_argument("folds", type=Path)
    s = sub.add_parser("score")
    s.add_argument("folds", type=Path)
    s.add_argument("--json", type=Path)
    args = parser.parse_args()
    if args.command == "train":
        run_train(args.out, args.folds)
        return
    result = score(args.folds)
    if args.json:
        args.json.write_text(json.dumps(result, indent=1) + "\n")


if __name__ == "__main__":
    main()
