"""Issue 21 (context): cheap context features and second stages for tfidf-logreg.v1, by statement-grouped CV.

Quick screen, not the shipped measurement: out-of-fold probabilities from statement-grouped
5-fold CV (GroupKFold, as train/sentences.py), each fold's thresholds (and any second-stage
setting) chosen on the other four folds' out-of-fold scores, never on the fold scored. Reports
macro F1 (CV mean over folds and pooled), top-5 quote precision and coverage. ``--statements N``
subsamples statements for a quicker screen. The shipped figures come from ``disclosure-check train``
(nested CV) and ``benchmarks/quote_precision.py``.

Run: PYTHONPATH=src python benchmarks/context_experiment.py VARIANT [--statements 60] [--save /tmp/x.npz]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
from sklearn.model_selection import GroupKFold

ROOT = Path(__file__).resolve().parents[1]
FILES = [ROOT / "corpus/aims/aims_au_sentences.csv", ROOT / "corpus/aims/aims_ca_sentences.csv"]
GRID = np.round(np.arange(0.05, 0.96, 0.025), 3)


def f1_at(p, y, t):
    pred = p >= t
    tp = float(np.sum(pred & (y == 1)))
    d = pred.sum() + y.sum()
    return 2 * tp / d if d else 0.0


def best_threshold(p, y, smooth=2):
    if y.sum() == 0:
        return 0.5
    curve = np.array([f1_at(p, y, t) for t in GRID])
    kernel = np.ones(2 * smooth + 1) / (2 * smooth + 1)
    curve = np.convolve(np.pad(curve, smooth, mode="edge"), kernel, mode="valid")
    return float(GRID[int(np.argmax(curve))])


def other_fold_decisions(P, Y, fold_of):
    """Per fold, thresholds chosen on the other folds' out-of-fold scores."""
    D = np.zeros(P.shape, dtype=bool)
    for k in np.unique(fold_of):
        test, rest = fold_of == k, fold_of != k
        for j in range(P.shape[1]):
            m = rest & (Y[:, j] >= 0)
            t = best_threshold(P[m, j], Y[m, j])
            D[test, j] = P[test, j] >= t
    return D


def macro_f1(Y, D, rows=None):
    f1s = []
    for j in range(Y.shape[1]):
        m = Y[:, j] >= 0
        if rows is not None:
            m &= rows
        y = Y[m, j] == 1
        if y.sum() == 0:
            continue
        d = D[m, j]
        tp = np.sum(y & d)
        f1s.append(2 * tp / (y.sum() + d.sum()) if (y.sum() + d.sum()) else 0.0)
    return float(np.mean(f1s)), f1s


def quote_precision(Y, P, D, statements, rank=None, cut=None):
    """Top-5 precision of accepted sentences (ranked by ``rank`` or P) and coverage."""
    R = P if rank is None else rank
    right = shown = pairs = covered = 0
    per = []
    for j in range(Y.shape[1]):
        r_j = s_j = 0
        for rows in statements:
            if (Y[rows, j] < 0).all():
                continue
            acc = [i for i in rows if D[i, j] and (cut is None or P[i, j] >= cut[j])]
            quotes = sorted(acc, key=lambda i: (-R[i, j], i))[:5]
            r = sum(int(Y[i, j] == 1) for i in quotes)
            right += r
            shown += len(quotes)
            r_j += r
            s_j += len(quotes)
            if (Y[rows, j] == 1).any():
                pairs += 1
                covered += int(r > 0)
        per.append(round(r_j / s_j, 3) if s_j else None)
    return {"precision": round(right / shown, 4), "right": right, "shown": shown,
            "coverage": round(covered / pairs, 4), "per_element": per}


def smooth_neighbours(P, statements, a):
    """p' = (1 - a) p + a * mean of the previous and next sentence's p (same statement), per column."""
    out = P.copy()
    for rows in statements:
        Q = P[rows]
        nb = np.zeros_like(Q)
        cnt = np.zeros((len(rows), 1))
        nb[1:] += Q[:-1]
        cnt[1:] += 1
        nb[:-1] += Q[1:]
        cnt[:-1] += 1
        nb = nb / np.maximum(cnt, 1)
        out[rows] = (1 - a) * Q + a * nb
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("variant")
    parser.add_argument("--statements", type=int, default=0)
    parser.add_argument("--save", type=Path)
    parser.add_argument("--params", default="{}")
    args = parser.parse_args()
    from disclosure_check.classify.rules import RuleClassifier, flag_vocabulary
    from disclosure_check.rubric import load_rubric
    from disclosure_check.train.corpus import read_labelled
    from disclosure_check.train.sentences import DEFAULT_PARAMS, corpus_contexts, fit_model

    t0 = time.process_time()
    rubric = load_rubric()
    data = read_labelled(FILES, rubric)
    params = {**DEFAULT_PARAMS, "labels": data.labels, "flags": flag_vocabulary(rubric), **json.loads(args.params)}
    contexts = corpus_contexts(data, RuleClassifier(rubric))
    groups = data.frame["group"].to_numpy()
    keep = np.ones(len(groups), dtype=bool)
    if args.statements:
        rng = np.random.default_rng(0)
        chosen = set(rng.choice(sorted(set(groups)), args.statements, replace=False))
        keep = np.array([g in chosen for g in groups])
    idx = np.flatnonzero(keep)
    ctx = [contexts[i] for i in idx]
    Y = data.Y[idx]
    g = groups[idx]
    P = np.zeros(Y.shape)
    fold_of = np.zeros(len(idx), dtype=int)
    for k, (fit_rows, test_rows) in enumerate(GroupKFold(n_splits=5).split(ctx, groups=g)):
        model = fit_model(params, [ctx[i] for i in fit_rows], Y[fit_rows])
        P[test_rows] = model.predict_proba([ctx[i] for i in test_rows])
        fold_of[test_rows] = k
    pos = {i: n for n, i in enumerate(idx)}
    statements = [np.array([pos[i] for i in rows]) for _, rows in data.statements() if rows[0] in pos]
    D = other_fold_decisions(P, Y, fold_of)
    folds = [macro_f1(Y, D, fold_of == k)[0] for k in range(5)]
    out = {"variant": args.variant, "statements": len(statements), "sentences": len(idx),
           "macro_f1_pooled": round(macro_f1(Y, D)[0], 4), "macro_f1_fold_mean": round(float(np.mean(folds)), 4),
           "f1": [round(x, 3) for x in macro_f1(Y, D)[1]], "quotes": quote_precision(Y, P, D, statements),
           "cpu_s": round(time.process_time() - t0, 1)}
    print(json.dumps(out))
    if args.save:
        np.savez(args.save, P=P, Y=Y, fold_of=fold_of, idx=idx)


if __name__ == "__main__":
    main()
