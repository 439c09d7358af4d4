"""Evaluate the shipped classifier on a labelled sentence file (AIMS format), statement by statement."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from disclosure_check.classify.artifact import ModelBundle
from disclosure_check.classify.rules import RuleClassifier
from disclosure_check.rubric import Rubric
from disclosure_check.train.corpus import read_labelled
from disclosure_check.train.metrics import label_metrics
from disclosure_check.train.sentences import corpus_contexts


@dataclass(frozen=True)
class Evaluation:
    metrics: dict  # {"criteria": {label: {precision, recall, f1, support}}, "macro_f1": x}
    predictions: pd.DataFrame  # the input rows plus pred_<label> and prob_<label>


def evaluate_file(path: str | Path, bundle: ModelBundle, rubric: Rubric) -> Evaluation:
    """Score every sentence of ``path`` with its statement's sentences, in order, as context."""
    data = read_labelled([path], rubric, unused_as_unlabelled=False)
    contexts = corpus_contexts(data, RuleClassifier(rubric))
    model_labels = list(bundle.model.labels)
    keys = list(zip(data.frame["group"], (c.section for c in contexts), strict=True))
    probs = bundle.model.smooth(bundle.model.predict_proba(contexts), keys)
    P = np.zeros((len(contexts), len(data.labels)))
    for j, element in enumerate(data.labels):
        if element in model_labels:
            P[:, j] = probs[:, model_labels.index(element)]
    thresholds = np.array([bundle.thresholds.get(e, 0.5) for e in data.labels])
    D = thresholds <= P
    metrics = label_metrics(data.Y, D, data.labels, rubric)
    frame = pd.read_csv(path)
    for j, element in enumerate(data.labels):
        label = rubric.element(element).label
        if label in frame.columns:
            frame[f"pred_{label}"] = D[:, j].astype(int)
            frame[f"prob_{label}"] = np.round(P[:, j], 4)
    return Evaluation(metrics, frame)
