"""Who receives modern slavery training (``audiences.v1``), learned from the WikiRate / Walk Free
"MSA training (revised)" answers for 146 UK statement-years.

A document-level, multi-label model: the statement's training passages (sentences that mention
training and the sentence after each) are read with word TF-IDF and one logistic regression per
audience. A statement with no training passage at all is "none". The passages that mention an
audience are returned as its evidence.

This module fits with scikit-learn (training only; the saved joblib names this class). Scoring
uses the model's inference form (classify/inference.py); the labels, passages, rules and the
decision both share are in classify/audience_rules.py.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from disclosure_check.classify.audience_rules import (
    LABELS,
    apply_rules,
    audience_text,
    choose_audiences,
    training_passages,
)


class AudienceModel(BaseEstimator):
    """Multi-label audience classifier over a document's training passages."""

    def __init__(self, C: float = 2.0, threshold: float = 0.5, min_positives: int = 25) -> None:
        self.C = C
        self.threshold = threshold
        self.min_positives = min_positives  # rarer audiences are decided by the rules alone

    def fit(self, documents: Sequence[Sequence[str]], Y: np.ndarray) -> AudienceModel:
        """``documents``: each a list of sentences; ``Y``: (n, len(LABELS)) 0/1."""
        texts = [audience_text(training_passages(d)) for d in documents]
        self.vectorizer_ = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True,
                                           token_pattern=r"(?u)\b\w[\w'-]*\b").fit(texts)
        self.vectorizer_.stop_words_ = None
        X = self.vectorizer_.transform(texts)
        self.classifiers_ = {}
        self.rule_labels_ = tuple(label for j, label in enumerate(LABELS) if Y[:, j].sum() < self.min_positives)
        for j, label in enumerate(LABELS):
            y = Y[:, j]
            if label not in self.rule_labels_ and 0 < y.sum() < len(y):
                self.classifiers_[label] = LogisticRegression(C=self.C, class_weight="balanced", solver="liblinear",
                                                              max_iter=1000).fit(X, y)
        return self

    def predict_proba(self, documents: Sequence[Sequence[str]]) -> np.ndarray:
        passages = [training_passages(d) for d in documents]
        X = self.vectorizer_.transform([audience_text(p) for p in passages])
        P = np.zeros((len(documents), len(LABELS)))
        for j, label in enumerate(LABELS):
            if label in self.classifiers_:
                P[:, j] = self.classifiers_[label].predict_proba(X)[:, 1]
        return apply_rules(P, passages, self.rule_labels_)

    def predict(self, documents: Sequence[Sequence[str]]) -> list[tuple[str, ...]]:
        """Labels per document; "none" excludes the others, and at least one label is always given."""
        return choose_audiences(self.predict_proba(documents), self.threshold)
