"""Sentence-classifier variants, each measured the way the shipped model is: statement-grouped
5-fold CV on AIMS.au + AIMS.ca with thresholds chosen on an inner 3-fold CV of each outer training
split (never on the test fold), and trained on Australia, tested on Canada (thresholds from
Australia's own 5-fold CV). Results go to benchmarks/results/classifier_variants.json (merged, one
entry per variant) and the "What was tried" table of benchmarks/classifier.md is written from them.

Run: python benchmarks/classifier_variants.py VARIANT [VARIANT ...]   (list: --list)
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
AU = ROOT / "corpus/aims/aims_au_sentences.csv"
CA = ROOT / "corpus/aims/aims_ca_sentences.csv"
UK = ROOT / "corpus/uk_texts/uk_statement_texts.csv"
RESULTS = ROOT / "benchmarks/results/classifier_variants.json"
UK_SAMPLE = 300  # UK statements used for vocabulary / self-training (of 979): bounds the fit time
UK_CACHE = Path("/tmp/disclosure_check_uk_sentences.json")

BASE = {"C": 8.0, "context_weight": 0.5, "max_features": 60000, "char_features": 100000}
VARIANTS: dict[str, dict] = {
    "v1": {"params": {}},
    "uk-vocab": {"params": {}, "uk_vocab": True},
    "nb0.5": {"params": {"nb_scale": 0.5}},
    "nb1": {"params": {"nb_scale": 1.0}},
    "nb2": {"params": {"nb_scale": 2.0}},
    "unweighted": {"params": {"class_weight": None}},
    "C4": {"params": {"C": 4.0}},
    "nb1-uk-vocab": {"params": {"nb_scale": 1.0}, "uk_vocab": True},
    "self-train": {"params": {}, "self_train": True},
}
SMOOTHING = (0, 2, 4)  # threshold smoothing, grid steps either side (2 is shipped)


def uk_sentences() -> list[list[str]]:
    """Sentences of a fixed random sample of the UK statements (cached: segmenting takes minutes)."""
    if UK_CACHE.is_file():
        return json.loads(UK_CACHE.read_text())
    import pandas as pd

    from disclosure_check.read.segment import texts_to_sentences

    frame = pd.read_csv(UK)
    rows = np.random.default_rng(0).choice(len(frame), size=min(UK_SAMPLE, len(frame)), replace=False)
    out = []
    for text in frame["text"].iloc[sorted(rows)].fillna(""):
        paragraphs = [p for p in str(text).split("\n") if p.strip()]
        out.append([s.text for s in texts_to_sentences(paragraphs)])
    UK_CACHE.write_text(json.dumps(out))
    return out


def uk_contexts(rules):
    from disclosure_check.classify.context import build_contexts, split_headings

    contexts = []
    for sentences in uk_sentences():
        bodies, headings = split_headings(sentences)
        contexts += build_contexts(bodies, headings, [m.flags for m in rules.match(bodies)])
    return contexts


def extra_for(variant: dict, rules):
    from disclosure_check.train.sentences import NO_EXTRA, Extra

    if variant.get("uk_vocab"):
        return Extra(unlabelled=tuple(s for doc in uk_sentences() for s in doc))
    return NO_EXTRA


def self_trained(params, contexts, Y, uk, low=0.02, high=0.9, weight=0.3):
    """Fit, pseudo-label confident UK sentences per element, refit with them at a low weight."""
    from disclosure_check.train.sentences import Extra, fit_model

    first = fit_model(params, contexts, Y)
    probs = first.predict_proba(uk)
    pseudo = np.full(probs.shape, -1, dtype=np.int8)
    pseudo[probs >= high] = 1
    pseudo[probs <= low] = 0
    keep = (pseudo >= 0).any(axis=1)
    return fit_model(params, contexts, Y, Extra(contexts=tuple(c for c, k in zip(uk, keep, strict=True) if k),
                                                Y=pseudo[keep], weights=np.full(int(keep.sum()), weight)))


def fit(variant, params, contexts, Y, extra, uk):
    from disclosure_check.train.sentences import fit_model

    if variant.get("self_train"):
        return self_trained(params, contexts, Y, uk)
    return fit_model(params, contexts, Y, extra)


def oof(variant, params, contexts, Y, groups, folds, extra, uk):
    from sklearn.model_selection import GroupKFold

    P = np.zeros(Y.shape)
    for a, b in GroupKFold(n_splits=folds).split(contexts, groups=groups):
        P[b] = fit(variant, params, [contexts[i] for i in a], Y[a], extra, uk).predict_proba([contexts[i] for i in b])
    return P


def outer(variant, params, contexts, Y, groups, fit_rows, test_rows, extra, uk):
    ctx = [contexts[i] for i in fit_rows]
    inner = oof(variant, params, ctx, Y[fit_rows], groups[fit_rows], 3, extra, uk)
    model = fit(variant, params, ctx, Y[fit_rows], extra, uk)
    return fit_rows, test_rows, inner, model.predict_proba([contexts[i] for i in test_rows])


def decide(P_inner, Y_inner, P_test, labels, smooth):
    from disclosure_check.train.sentences import choose_thresholds

    t = choose_thresholds(P_inner, Y_inner, labels, smooth=smooth)
    return P_test >= np.array([t[label] for label in labels])


def run(name: str, jobs: int) -> dict:
    from joblib import Parallel, delayed
    from sklearn.model_selection import GroupKFold

    from disclosure_check.classify.rules import RuleClassifier, flag_vocabulary
    from disclosure_check.rubric import load_rubric
    from disclosure_check.train.corpus import read_labelled
    from disclosure_check.train.metrics import label_metrics
    from disclosure_check.train.sentences import corpus_contexts, document_metrics

    variant = VARIANTS[name]
    rubric = load_rubric()
    rules = RuleClassifier(rubric)
    started = time.perf_counter()
    data = read_labelled([AU, CA], rubric)
    params = {**BASE, **variant["params"], "labels": data.labels, "flags": flag_vocabulary(rubric)}
    contexts = corpus_contexts(data, rules)
    groups = data.frame["group"].to_numpy()
    extra = extra_for(variant, rules)
    uk = uk_contexts(rules) if variant.get("self_train") else None
    splits = list(GroupKFold(n_splits=5).split(contexts, groups=groups))
    outcomes = Parallel(n_jobs=jobs)(delayed(outer)(variant, params, contexts, data.Y, groups, a, b, extra, uk)
                                     for a, b in splits)
    result: dict = {"variant": name, "settings": {k: v for k, v in variant.items()}}
    standalone = frozenset(e.id for e in rubric.elements if e.standalone)
    for smooth in SMOOTHING:
        D = np.zeros(data.Y.shape, dtype=bool)
        for fit_rows, test_rows, inner, P_test in outcomes:
            D[test_rows] = decide(inner, data.Y[fit_rows], P_test, data.labels, smooth)
        m = label_metrics(data.Y, D, data.labels, rubric)
        docs = document_metrics(data, contexts, D, standalone)
        result[f"cv_smooth{smooth}"] = {"macro_f1": m["macro_f1"],
                                        "f1": {k: v["f1"] for k, v in m["criteria"].items()},
                                        "document_accuracy": round(float(np.mean([d["accuracy"] for d in docs.values()])), 4)}
    # Australia -> Canada
    au = read_labelled([AU], rubric)
    ca = read_labelled([CA], rubric)
    au_ctx, ca_ctx = corpus_contexts(au, rules), corpus_contexts(ca, rules)
    P_au = oof(variant, params, au_ctx, au.Y, au.frame["group"].to_numpy(), 5, extra, uk)
    P_ca = fit(variant, params, au_ctx, au.Y, extra, uk).predict_proba(ca_ctx)
    for smooth in SMOOTHING:
        D = decide(P_au, au.Y, P_ca, au.labels, smooth)
        result[f"au_to_ca_smooth{smooth}"] = label_metrics(ca.Y, D, ca.labels, rubric)["macro_f1"]
    result["seconds"] = round(time.perf_counter() - started)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("variants", nargs="*")
    parser.add_argument("--list", action="store_true")
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args(argv)
    if args.list or not args.variants:
        print("\n".join(f"{k}: {v}" for k, v in VARIANTS.items()))
        return 0
    for name in args.variants:
        result = run(name, args.jobs)
        stored = json.loads(RESULTS.read_text()) if RESULTS.is_file() else {}
        stored[name] = result
        RESULTS.write_text(json.dumps(stored, indent=1) + "\n")
        print(name, {k: v for k, v in result.items() if k.startswith(("cv", "au"))}, flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
