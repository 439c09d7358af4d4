"""Train ``tfidf-logreg.v1`` from the labelled corpus, with statement-grouped cross-validation.

Metrics are honest: thresholds for each outer fold are chosen on an inner cross-validation of
that fold's training statements only, then applied to the held-out statements. The shipped
model is then fitted on everything, with thresholds chosen on the full out-of-fold predictions.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
from sklearn.model_selection import GroupKFold

from .classify.artifact import ModelBundle, save_model
from .classify.context import SentenceContext, build_contexts, split_headings
from .classify.ml import NAME, SentenceModel
from .classify.rules import RuleClassifier
from .corpus import LabelledSentences, data_hash, read_labelled
from .metrics import label_metrics
from .rubric import Rubric

THRESHOLD_GRID = np.round(np.arange(0.05, 0.96, 0.025), 3)


@dataclass(frozen=True)
class TrainingResult:
    bundle: ModelBundle
    metrics: dict
    seconds: float


def corpus_contexts(data: LabelledSentences, rules: RuleClassifier) -> list[SentenceContext]:
    """Contexts aligned with ``data.frame`` rows; neighbours never cross statements."""
    contexts: list[SentenceContext | None] = [None] * len(data.frame)
    sentences = data.frame["sentence"].tolist()
    for _, rows in data.statements():
        bodies, headings = split_headings([sentences[i] for i in rows])
        hits = rules.hits(bodies)
        for i, context in zip(rows, build_contexts(bodies, headings, hits), strict=True):
            contexts[i] = context
    return contexts  # type: ignore[return-value]


def choose_thresholds(P: np.ndarray, Y: np.ndarray, labels: Sequence[str]) -> dict[str, float]:
    """Per element, the threshold with the best F1 on labelled rows (0.5 when there are no positives)."""
    thresholds = {}
    for j, label in enumerate(labels):
        mask = Y[:, j] >= 0
        y, p = Y[mask, j], P[mask, j]
        if y.sum() == 0:
            thresholds[label] = 0.5
            continue
        best, best_f1 = 0.5, -1.0
        for t in THRESHOLD_GRID:
            pred = p >= t
            tp = float(np.sum(pred & (y == 1)))
            f1 = 2 * tp / (pred.sum() + y.sum()) if (pred.sum() + y.sum()) else 0.0
            if f1 > best_f1 + 1e-9:
                best, best_f1 = float(t), f1
        thresholds[label] = best
    return thresholds


def _oof(contexts, Y, groups, params, folds) -> np.ndarray:
    """Out-of-fold probabilities from statement-grouped folds."""
    P = np.zeros(Y.shape, dtype=np.float64)
    for fit_rows, test_rows in GroupKFold(n_splits=folds).split(contexts, groups=groups):
        model = SentenceModel(**params).fit([contexts[i] for i in fit_rows], Y[fit_rows])
        P[test_rows] = model.predict_proba([contexts[i] for i in test_rows])
    return P


def cross_validate(
    contexts: list[SentenceContext], Y: np.ndarray, groups: np.ndarray, labels: tuple[str, ...],
    *, params: dict, folds: int = 5, inner_folds: int = 3, progress: Callable[[str], None] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Out-of-fold probabilities and decisions, thresholds chosen without seeing the test fold."""
    P = np.zeros(Y.shape, dtype=np.float64)
    D = np.zeros(Y.shape, dtype=bool)
    for k, (fit_rows, test_rows) in enumerate(GroupKFold(n_splits=folds).split(contexts, groups=groups)):
        fit_ctx = [contexts[i] for i in fit_rows]
        inner = _oof(fit_ctx, Y[fit_rows], groups[fit_rows], params, inner_folds)
        thresholds = choose_thresholds(inner, Y[fit_rows], labels)
        model = SentenceModel(**params).fit(fit_ctx, Y[fit_rows])
        P[test_rows] = model.predict_proba([contexts[i] for i in test_rows])
        D[test_rows] = P[test_rows] >= np.array([thresholds[label] for label in labels])
        if progress:
            progress(f"outer fold {k + 1}/{folds} done")
    return P, D


def train(
    paths: Sequence[str | Path], rubric: Rubric, out_dir: Path, *, folds: int = 5, inner_folds: int = 3,
    params: dict | None = None, progress: Callable[[str], None] | None = None,
) -> TrainingResult:
    started = time.perf_counter()
    params = {"C": 4.0, "context_weight": 0.5, **(params or {})}
    data = read_labelled(paths, rubric)
    labels = data.labels
    params["labels"] = labels
    rules = RuleClassifier(rubric)
    contexts = corpus_contexts(data, rules)
    groups = data.frame["group"].to_numpy()
    P, D = cross_validate(contexts, data.Y, groups, labels, params=params, folds=folds,
                          inner_folds=inner_folds, progress=progress)
    per_label = label_metrics(data.Y, D, labels, rubric)
    sources = data.frame["source"].to_numpy()
    by_source = {name: label_metrics(data.Y[sources == name], D[sources == name], labels, rubric)
                 for name in dict.fromkeys(sources)}
    thresholds = choose_thresholds(P, data.Y, labels)
    model = SentenceModel(**params).fit(contexts, data.Y)
    seconds = time.perf_counter() - started
    metrics = {
        "evaluation": f"statement-grouped {folds}-fold cross-validation; thresholds chosen by an inner "
                      f"{inner_folds}-fold CV on each outer training split",
        "statements": int(data.frame["group"].nunique()),
        "sentences": len(data.frame),
        **per_label,
        "by_source": by_source,
    }
    meta = {
        "name": NAME,
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "labels": list(labels),
        "rubric": rubric.key,
        "training_files": [Path(p).name for p in paths],
        "data_sha256": data_hash(paths),
        "params": {k: v for k, v in params.items() if k != "labels"},
        "cv": metrics,
        "train_seconds": round(seconds, 1),
    }
    bundle = save_model(ModelBundle(model, thresholds, meta), out_dir, metrics=metrics)
    return TrainingResult(bundle, metrics, seconds)
