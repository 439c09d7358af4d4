"""Train ``audiences.v1`` from corpus/wikirate, with company-grouped cross-validation (a company's
statements from different years never sit on both sides of a split)."""

from __future__ import annotations

import hashlib
import time
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.model_selection import GroupKFold

from disclosure_check.classify.artifact import save_audience_model
from disclosure_check.classify.audience_rules import AUDIENCES, LABELS
from disclosure_check.classify.audiences import AudienceModel
from disclosure_check.errors import DataError
from disclosure_check.read.segment import texts_to_sentences
from disclosure_check.train.metrics import binary_scores

DEFAULT_DATA = Path("corpus/wikirate/msa_training_labels_with_text.csv")


def load_wikirate(path: Path) -> tuple[list[list[str]], np.ndarray, np.ndarray]:
    """(documents as sentence lists, label matrix, company groups); rows without text are skipped."""
    if not path.is_file():
        raise DataError("WikiRate training file not found", where=str(path), fix="pass --data")
    try:
        frame = pd.read_csv(path)
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
        raise DataError(f"cannot read as CSV: {exc}", where=str(path), fix="save the file as UTF-8 CSV") from None
    missing = {"Company", "Value", "Text"} - set(frame.columns)
    if missing:
        raise DataError(f"missing column(s) {sorted(missing)}", where=str(path), fix="use the WikiRate export format")
    frame = frame[frame["Text"].fillna("").str.strip().astype(bool)].reset_index(drop=True)
    documents, rows = [], []
    for text, value in zip(frame["Text"], frame["Value"].fillna(""), strict=True):
        paragraphs = [p for p in str(text).split("\n") if p.strip()]
        documents.append([s.text for s in texts_to_sentences(paragraphs)])
        answers = {a.strip() for a in str(value).split(",") if a.strip()}
        unknown = answers - set(AUDIENCES)
        if unknown:
            raise DataError(f"unknown answer(s) {sorted(unknown)}", where=str(path),
                            fix=f"answers must be among {sorted(AUDIENCES)}")
        rows.append([int(any(AUDIENCES[a] == label for a in answers)) for label in LABELS])
    return documents, np.array(rows), frame["Company"].astype(str).to_numpy()


def audience_metrics(Y: np.ndarray, predicted: list[tuple[str, ...]]) -> dict:
    D = np.array([[int(label in labels) for label in LABELS] for labels in predicted])
    per = {}
    for j, label in enumerate(LABELS):
        per[label] = {**binary_scores(Y[:, j] == 1, D[:, j] == 1).rounded(),
                      "accuracy": round(float((Y[:, j] == D[:, j]).mean()), 4)}
    tp = int(((Y == 1) & (D == 1)).sum())
    micro = 2 * tp / (Y.sum() + D.sum()) if (Y.sum() + D.sum()) else 0.0
    return {
        "labels": per,
        "exact_match_accuracy": round(float((Y == D).all(axis=1).mean()), 4),
        "label_accuracy": round(float((Y == D).mean()), 4),
        "micro_f1": round(micro, 4),
        "macro_f1": round(float(np.mean([v["f1"] for v in per.values() if v["support"]])), 4),
    }


def train_audiences(path: Path, out_dir: Path, *, folds: int = 5) -> dict:
    started = time.perf_counter()
    documents, Y, groups = load_wikirate(path)
    predicted: list[tuple[str, ...]] = [()] * len(documents)
    for fit, test in GroupKFold(n_splits=folds).split(documents, groups=groups):
        model = AudienceModel().fit([documents[i] for i in fit], Y[fit])
        for i, labels in zip(test, model.predict([documents[i] for i in test]), strict=True):
            predicted[i] = labels
    metrics = {"evaluation": f"company-grouped {folds}-fold cross-validation", "statements": len(documents),
               "companies": int(len(set(groups))), **audience_metrics(Y, predicted)}
    majority = [("none",)] * len(documents)
    metrics["baseline_always_none"] = audience_metrics(Y, majority)["exact_match_accuracy"]
    model = AudienceModel().fit(documents, Y)
    meta = {"labels": list(LABELS), "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "data_sha256": hashlib.sha256(path.read_bytes()).hexdigest(), "training_file": path.name,
            "cv": metrics, "train_seconds": round(time.perf_counter() - started, 1)}
    return save_audience_model(model, out_dir, meta, metrics)
