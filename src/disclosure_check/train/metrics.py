"""Precision, recall, F1 and support per element, and the macro F1 over elements with positives."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from disclosure_check.rubric import Rubric


@dataclass(frozen=True)
class BinaryScores:
    precision: float
    recall: float
    f1: float
    support: int

    def rounded(self) -> dict:
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4),
                "support": self.support}


def binary_scores(truth: np.ndarray, decided: np.ndarray) -> BinaryScores:
    """Precision, recall and F1 of boolean decisions against boolean truth (0.0 where undefined)."""
    truth, decided = np.asarray(truth, dtype=bool), np.asarray(decided, dtype=bool)
    tp = int(np.sum(truth & decided))
    fp = int(np.sum(~truth & decided))
    fn = int(np.sum(truth & ~decided))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return BinaryScores(precision, recall, f1, int(truth.sum()))


def label_metrics(Y: np.ndarray, D: np.ndarray, labels: Sequence[str], rubric: Rubric) -> dict:
    """``{"criteria": {<AIMS label>: {...}}, "macro_f1": x}``; rows with Y == -1 are skipped."""
    criteria = {}
    f1s = []
    for j, element_id in enumerate(labels):
        mask = Y[:, j] >= 0
        if not mask.any():
            continue
        scores = binary_scores(Y[mask, j] == 1, D[mask, j])
        criteria[rubric.element(element_id).label] = {"element": element_id, **scores.rounded()}
        if scores.support > 0:
            f1s.append(scores.f1)
    return {"criteria": criteria, "macro_f1": round(float(np.mean(f1s)), 4) if f1s else 0.0}
