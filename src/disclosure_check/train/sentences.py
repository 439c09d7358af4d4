"""Train ``tfidf-logreg.v1`` from the labelled corpus, with statement-grouped cross-validation.

Metrics are honest: thresholds for each outer fold are chosen on an inner cross-validation of
that fold's training statements only, then applied to the held-out statements; no statement is
ever split across folds. The shipped model is then fitted on everything, calibrated (Platt) on the
outer out-of-fold scores, with thresholds chosen on those calibrated scores. Every fold's held-out
statements, thresholds and metrics are recorded so any fold can be re-run and checked.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
from joblib import Parallel, delayed
from sklearn.model_selection import GroupKFold

from disclosure_check.classify.artifact import ModelBundle, save_model
from disclosure_check.classify.context import SentenceContext, build_contexts, split_headings
from disclosure_check.classify.inference import smooth_by_section
from disclosure_check.classify.ml import NAME, SentenceModel
from disclosure_check.classify.rules import RuleClassifier, flag_vocabulary
from disclosure_check.rubric import Rubric
from disclosure_check.train.corpus import LabelledSentences, data_hash, read_labelled
from disclosure_check.train.metrics import binary_scores, label_metrics, quote_metrics
from disclosure_check.train.reviewed import ReviewedExample, read_examples

THRESHOLD_GRID = np.round(np.arange(0.05, 0.96, 0.025), 3)
# Section smoothing weights a training run may try per element (0: none). Not the default: chosen per
# element by an inner split of ~80 statements it lost to no smoothing in nested CV (macro F1 0.6325 vs
# 0.6335, quote precision 0.684 vs 0.687: benchmarks/classifier.md, "context retrain"), so `train`
# smooths nothing unless asked, and reproduces the shipped model.
SMOOTHING_GRID = (0.0, 0.1, 0.2, 0.3, 0.4)
DEFAULT_PARAMS = {"C": 8.0, "context_weight": 0.5, "max_features": 60000, "char_features": 100000}


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
        flags = [m.flags for m in rules.match(bodies)]
        for i, context in zip(rows, build_contexts(bodies, headings, flags), strict=True):
            contexts[i] = context
    return contexts  # type: ignore[return-value]


def _f1_curve(p: np.ndarray, y: np.ndarray, smooth: int) -> np.ndarray:
    """F1 at each THRESHOLD_GRID step, averaged over ``smooth`` steps either side."""
    f1s = []
    for t in THRESHOLD_GRID:
        pred = p >= t
        tp = float(np.sum(pred & (y == 1)))
        f1s.append(2 * tp / (pred.sum() + y.sum()) if (pred.sum() + y.sum()) else 0.0)
    curve = np.array(f1s)
    if smooth:
        kernel = np.ones(2 * smooth + 1) / (2 * smooth + 1)
        curve = np.convolve(np.pad(curve, smooth, mode="edge"), kernel, mode="valid")
    return curve


def choose_thresholds(P: np.ndarray, Y: np.ndarray, labels: Sequence[str], smooth: int = 2) -> dict[str, float]:
    """Per element, the threshold with the best F1 on labelled rows (0.5 when there are no positives).

    F1 is averaged over ``smooth`` grid steps either side before taking the best: with few positives
    (consultation has 47) the raw maximum is a noisy spike that does not carry to new statements."""
    thresholds = {}
    for j, label in enumerate(labels):
        mask = Y[:, j] >= 0
        y, p = Y[mask, j], P[mask, j]
        if y.sum() == 0:
            thresholds[label] = 0.5
            continue
        thresholds[label] = float(THRESHOLD_GRID[int(np.argmax(_f1_curve(p, y, smooth)))])
    return thresholds


def choose_smoothing(P: np.ndarray, Y: np.ndarray, labels: Sequence[str], keys: Sequence,
                     grid: Sequence[float] = SMOOTHING_GRID, smooth: int = 2) -> dict[str, float]:
    """Per element, the section smoothing weight (inference.smooth_by_section) whose best smoothed
    F1 (as ``choose_thresholds`` takes it) is highest; the smaller weight on a tie, none without positives."""
    smoothed = {w: smooth_by_section(P, keys, np.full(len(labels), w)) for w in grid}
    weights = {}
    for j, label in enumerate(labels):
        mask = Y[:, j] >= 0
        y = Y[mask, j]
        best = (-1.0, 0.0)
        for w in grid:
            if y.sum():
                score = float(_f1_curve(smoothed[w][mask, j], y, smooth).max())
                if score > best[0] + 1e-9:
                    best = (score, w)
        weights[label] = best[1]
    return weights


def section_keys(contexts: Sequence[SentenceContext], groups: Sequence) -> list[tuple]:
    """(statement, section) of each row: what section smoothing averages over."""
    return list(zip(groups, (c.section for c in contexts), strict=True))


def _smoothed(P: np.ndarray, keys: Sequence, weights: dict[str, float], labels: Sequence[str]) -> np.ndarray:
    return smooth_by_section(P, keys, np.array([weights.get(label, 0.0) for label in labels]))


@dataclass(frozen=True)
class Extra:
    """Training data that is never tested on: reviewed examples (labelled, weighted) added to every
    fit, and unlabelled sentences that only widen the vocabulary and idf."""

    contexts: tuple[SentenceContext, ...] = ()
    Y: np.ndarray | None = None
    weights: np.ndarray | None = None
    unlabelled: tuple[str, ...] = ()


NO_EXTRA = Extra()


def fit_model(params: dict, contexts: Sequence[SentenceContext], Y: np.ndarray, extra: Extra = NO_EXTRA) -> SentenceModel:
    """A SentenceModel fitted on ``contexts`` plus ``extra`` (corpus rows weigh 1)."""
    weights = np.ones(len(contexts))
    if extra.contexts:
        contexts = list(contexts) + list(extra.contexts)
        Y = np.vstack([Y, extra.Y])
        weights = np.concatenate([weights, extra.weights])
    return SentenceModel(**params).fit(contexts, Y, sample_weight=weights, unlabelled=extra.unlabelled)


def _oof(contexts, Y, groups, params, folds, extra: Extra = NO_EXTRA) -> np.ndarray:
    """Out-of-fold probabilities from statement-grouped folds."""
    P = np.zeros(Y.shape, dtype=np.float64)
    for fit_rows, test_rows in GroupKFold(n_splits=folds).split(contexts, groups=groups):
        model = fit_model(params, [contexts[i] for i in fit_rows], Y[fit_rows], extra)
        P[test_rows] = model.predict_proba([contexts[i] for i in test_rows])
    return P


def _outer_fold(contexts, Y, groups, labels, params, inner_folds, fit_rows, test_rows, extra=NO_EXTRA,
                smoothing_grid=(0.0,)):
    """Held-out probabilities (section-smoothed) and the thresholds and smoothing weights chosen
    on an inner CV of the training statements only."""
    fit_ctx = [contexts[i] for i in fit_rows]
    inner = _oof(fit_ctx, Y[fit_rows], groups[fit_rows], params, inner_folds, extra)
    fit_keys = section_keys(fit_ctx, groups[fit_rows])
    weights = choose_smoothing(inner, Y[fit_rows], labels, fit_keys, smoothing_grid)
    thresholds = choose_thresholds(_smoothed(inner, fit_keys, weights, labels), Y[fit_rows], labels)
    model = fit_model(params, fit_ctx, Y[fit_rows], extra)
    test_ctx = [contexts[i] for i in test_rows]
    raw = model.predict_proba(test_ctx)
    return test_rows, raw, _smoothed(raw, section_keys(test_ctx, groups[test_rows]), weights, labels), thresholds, weights


def cross_validate(
    contexts: list[SentenceContext], Y: np.ndarray, groups: np.ndarray, labels: tuple[str, ...],
    *, params: dict, folds: int = 5, inner_folds: int = 3, jobs: int = 2, extra: Extra = NO_EXTRA,
    smoothing_grid: Sequence[float] = (0.0,), progress: Callable[[str], None] | None = None,
) -> tuple[np.ndarray, np.ndarray, list[dict]]:
    """Out-of-fold probabilities (raw, or section-smoothed with weights chosen on the inner CV when
    ``smoothing_grid`` offers any), decisions, and per fold the held-out rows, thresholds and
    smoothing weights used and the raw probabilities (what calibration is fitted on). ``extra`` joins every training split, outer and inner, and is never held out."""
    P = np.zeros(Y.shape, dtype=np.float64)
    D = np.zeros(Y.shape, dtype=bool)
    splits = list(GroupKFold(n_splits=folds).split(contexts, groups=groups))
    if progress:
        progress(f"cross-validating: {folds} outer folds x ({inner_folds} inner + 1) fits, {jobs} job(s)")
    outcomes = Parallel(n_jobs=jobs)(
        delayed(_outer_fold)(contexts, Y, groups, labels, params, inner_folds, fit_rows, test_rows, extra,
                             tuple(smoothing_grid))
        for fit_rows, test_rows in splits)
    record = []
    for test_rows, raw, probs, thresholds, weights in outcomes:
        P[test_rows] = probs
        D[test_rows] = probs >= np.array([thresholds[label] for label in labels])
        record.append({"test_rows": test_rows, "thresholds": thresholds, "section_smoothing": weights, "raw": raw})
    return P, D, record


def reviewed_extra(examples: Sequence[ReviewedExample], labels: Sequence[str], rules: RuleClassifier,
                   weight: float) -> Extra:
    """Reviewed examples as extra training rows: the sentence alone (its neighbours are not kept),
    labelled for its one element and unlabelled (-1) for the others."""
    if not examples:
        return NO_EXTRA
    texts = [e.sentence for e in examples]
    contexts = tuple(SentenceContext(text=text, position=0.5, rules=tuple(sorted(m.flags)))
                     for text, m in zip(texts, rules.match(texts), strict=True))
    Y = np.full((len(examples), len(labels)), -1, dtype=np.int8)
    for row, example in enumerate(examples):
        Y[row, list(labels).index(example.element)] = example.label
    return Extra(contexts=contexts, Y=Y, weights=np.full(len(examples), float(weight)))


def document_metrics(data: LabelledSentences, contexts: list[SentenceContext], D: np.ndarray,
                     standalone: frozenset[str]) -> dict:
    """Statement-level decisions (any sentence accepted, or a standalone rule hit) against
    statement-level truth (any sentence labelled), per element."""
    out = {}
    for j, element in enumerate(data.labels):
        truth, pred = [], []
        for _, rows in data.statements():
            if (data.Y[rows, j] < 0).all():
                continue
            truth.append(bool((data.Y[rows, j] == 1).any()))
            hit = bool(D[rows, j].any()) or (element in standalone and any(element in contexts[i].rules for i in rows))
            pred.append(hit)
        t, p = np.array(truth), np.array(pred)
        if not len(t):
            continue
        scores = binary_scores(t, p).rounded()
        out[element] = {"statements": len(t), "with_element": int(t.sum()), "accuracy": round(float((t == p).mean()), 4),
                        "precision": scores["precision"], "recall": scores["recall"]}
    return out


def train(
    paths: Sequence[str | Path], rubric: Rubric, out_dir: Path, *, folds: int = 5, inner_folds: int = 3,
    params: dict | None = None, jobs: int = 2, reviewed: Path | None = None, reviewed_weight: float = 2.0,
    smoothing_grid: Sequence[float] = (0.0,), progress: Callable[[str], None] | None = None,
) -> TrainingResult:
    """Cross-validate, fit on everything and save to ``out_dir``. ``reviewed``: a reviewed-examples
    CSV (reviewed.py) whose rows join every training split at ``reviewed_weight`` and are never
    held out; meta.json records how many there were and the file's hash. ``smoothing_grid``: the
    section smoothing weights tried per element, chosen like the thresholds (default (0.0,): none;
    SMOOTHING_GRID to try them)."""
    started = time.perf_counter()
    data = read_labelled(paths, rubric)
    labels = data.labels
    params = {**DEFAULT_PARAMS, **(params or {}), "labels": labels, "flags": flag_vocabulary(rubric)}
    rules = RuleClassifier(rubric)
    contexts = corpus_contexts(data, rules)
    groups = data.frame["group"].to_numpy()
    examples = read_examples(Path(reviewed), rubric) if reviewed is not None else []
    extra = reviewed_extra(examples, labels, rules, reviewed_weight)
    P, D, record = cross_validate(contexts, data.Y, groups, labels, params=params, folds=folds,
                                  inner_folds=inner_folds, jobs=jobs, extra=extra, smoothing_grid=smoothing_grid,
                                  progress=progress)
    sources = data.frame["source"].to_numpy()
    fold_reports = []
    for k, fold in enumerate(record):
        rows = fold["test_rows"]
        fold_reports.append({
            "fold": k,
            "statements": sorted(set(groups[rows].tolist())),
            "thresholds": fold["thresholds"],
            "section_smoothing": fold["section_smoothing"],
            **{name: label_metrics(data.Y[rows][sources[rows] == name], D[rows][sources[rows] == name], labels, rubric)
               for name in dict.fromkeys(sources[rows])},
        })
    if progress:
        progress("fitting the final model on all statements")
    model = fit_model(params, contexts, data.Y, extra)
    raw = np.zeros(P.shape)
    for fold in record:
        raw[fold["test_rows"]] = fold["raw"]
    model.calibrate(raw, data.Y)
    keys = section_keys(contexts, groups)
    model.section_smoothing_ = choose_smoothing(model.calibrated(raw), data.Y, labels, keys, smoothing_grid)
    thresholds = choose_thresholds(_smoothed(model.calibrated(raw), keys, model.section_smoothing_, labels),
                                   data.Y, labels)
    standalone = frozenset(e.id for e in rubric.elements if e.standalone)
    seconds = time.perf_counter() - started
    metrics = {
        "evaluation": f"statement-grouped {folds}-fold cross-validation; thresholds chosen by an inner "
                      f"{inner_folds}-fold CV on each outer training split"
                      + (f", with section smoothing weights from {list(smoothing_grid)}" if any(smoothing_grid) else ""),
        "statements": int(data.frame["group"].nunique()),
        "sentences": len(data.frame),
        **label_metrics(data.Y, D, labels, rubric),
        "by_source": {name: label_metrics(data.Y[sources == name], D[sources == name], labels, rubric)
                      for name in dict.fromkeys(sources)},
        "documents": document_metrics(data, contexts, D, standalone),
        "quotes": quote_metrics(data.Y, P, D, [rows for _, rows in data.statements()], labels, rubric),
        "folds": fold_reports,
    }
    meta = {
        "name": NAME,
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "labels": list(labels),
        "rubric": rubric.key,
        "training_files": [Path(p).name for p in paths],
        "data_sha256": data_hash(paths),
        "reviewed_examples": len(examples),
        "reviewed_sha256": hashlib.sha256(Path(reviewed).read_bytes()).hexdigest() if reviewed is not None else None,
        "reviewed_weight": reviewed_weight if examples else None,
        "params": {k: (list(v) if isinstance(v, tuple) else v) for k, v in params.items() if k != "labels"},
        "cv": {k: v for k, v in metrics.items() if k != "folds"},
        "train_seconds": round(seconds, 1),
        "section_smoothing": model.section_smoothing_,
    }
    bundle = save_model(model, thresholds, out_dir, meta=meta, metrics=metrics)
    return TrainingResult(bundle, metrics, seconds)
