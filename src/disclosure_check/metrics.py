"""Precision, recall, F1 and support per element, and the macro F1 over elements with positives."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .rubric import Rubric


def label_metrics(Y: np.ndarray, D: np.ndarray, labels: Sequence[str], rubric: Rubric) -> dict:
    """``{"criteria": {<AIMS label>: {...}}, "macro_f1": x}``; rows with Y == -1 are skipped."""
    criteria = {}
    f1s = []
    for j, element_id in enumerate(labels):
        mask = Y[:, j] >= 0
        if not mask.any():
            continue
        y, d = Y[mask, j] == 1, D[mask, j]
        tp = int(np.sum(y & d))
        fp = int(np.sum(~y & d))
        fn = int(np.sum(y & ~d))
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        support = int(y.sum())
        criteria[rubric.element(element_id).label] = {
            "element": element_id, "precision": round(precision, 4), "recall": round(recall, 4),
            "f1": round(f1, 4), "support": support,
        }
        if support > 0:
            f1s.append(f1)
    return {"criteria": criteria, "macro_f1": round(float(np.mean(f1s)), 4) if f1s else 0.0}
