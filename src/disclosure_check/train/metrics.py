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


QUOTES_SHOWN = 5  # the quotes a reviewer sees per element: the accepted sentences, strongest first


def quote_metrics(Y: np.ndarray, P: np.ndarray, D: np.ndarray, statements: Sequence[np.ndarray],
                  labels: Sequence[str], rubric: Rubric, *, cut: float | None = None,
                  top: int = QUOTES_SHOWN) -> dict:
    """Top-``top`` quote precision against sentence labels: per statement and element the labels
    cover, the accepted sentences (``D``; with ``P`` at least ``cut`` if given), highest ``P``
    first; a quote is right when its sentence is labelled for the element. Coverage: the share of
    (statement, element) pairs with a labelled sentence that show at least one right quote."""
    per_element = {}
    totals = np.zeros(4, dtype=int)  # right, shown, pairs, covered
    for j, element in enumerate(labels):
        counts = np.zeros(4, dtype=int)
        for rows in statements:
            if (Y[rows, j] < 0).all():
                continue
            accepted = [i for i in rows if D[i, j] and (cut is None or P[i, j] >= cut)]
            quotes = sorted(accepted, key=lambda i: (-P[i, j], i))[:top]
            right = sum(int(Y[i, j] == 1) for i in quotes)
            has = bool((Y[rows, j] == 1).any())
            counts += (right, len(quotes), int(has), int(has and right > 0))
        if counts[1] or counts[2]:
            per_element[rubric.element(element).label] = {
                "precision": round(counts[0] / counts[1], 3) if counts[1] else None, "right": int(counts[0]),
                "shown": int(counts[1]), "statements_with_element": int(counts[2]),
                "with_a_right_quote": int(counts[3])}
        totals += counts
    right, shown, pairs, covered = (int(x) for x in totals)
    return {"cut": cut, "top": top, "precision": round(right / shown, 3) if shown else None, "right": right,
            "shown": shown, "statements_elements": pairs, "with_a_right_quote": covered,
            "coverage": round(covered / pairs, 3) if pairs else None, "elements": per_element}
