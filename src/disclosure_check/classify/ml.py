"""The trained sentence classifier ``tfidf-logreg.v1``: TF-IDF of the sentence and its context,
rule hits and position, one logistic regression per element.

Stacking the rule hits as features lets the model learn how far to trust each rule. Thresholds
per element are chosen by cross-validation at training time and saved with the model.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from ..rubric import ELEMENT_IDS
from .context import SentenceContext

NAME = "tfidf-logreg.v1"
POSITION_BINS = (0.1, 0.25, 0.5, 0.75, 0.9)


class ContextFeaturizer(BaseEstimator, TransformerMixin):
    """Sparse features: sentence n-grams, down-weighted neighbours and heading, rules, position."""

    def __init__(self, context_weight: float = 0.5, heading_weight: float = 0.5, max_features: int = 60000,
                 element_ids: tuple[str, ...] = ELEMENT_IDS) -> None:
        self.context_weight = context_weight
        self.heading_weight = heading_weight
        self.max_features = max_features
        self.element_ids = element_ids

    def fit(self, contexts: Sequence[SentenceContext], y=None) -> ContextFeaturizer:
        self.vectorizer_ = TfidfVectorizer(
            ngram_range=(1, 2), min_df=2, max_df=0.5, sublinear_tf=True, strip_accents="unicode",
            max_features=self.max_features, token_pattern=r"(?u)\b\w[\w'-]*\b", dtype=np.float32,
        )
        self.vectorizer_.fit([c.text for c in contexts])
        return self

    def transform(self, contexts: Sequence[SentenceContext]) -> sparse.csr_matrix:
        vec = self.vectorizer_
        parts = [
            vec.transform([c.text for c in contexts]),
            vec.transform([c.prev for c in contexts]) * self.context_weight,
            vec.transform([c.next for c in contexts]) * self.context_weight,
            vec.transform([c.heading for c in contexts]) * self.heading_weight,
        ]
        index = {e: i for i, e in enumerate(self.element_ids)}
        rules = sparse.lil_matrix((len(contexts), len(self.element_ids)), dtype=np.float32)
        position = np.zeros((len(contexts), len(POSITION_BINS) + 1), dtype=np.float32)
        for row, context in enumerate(contexts):
            for element in context.rules:
                if element in index:
                    rules[row, index[element]] = 1.0
            position[row, int(np.searchsorted(POSITION_BINS, context.position))] = 1.0
        parts += [rules.tocsr(), sparse.csr_matrix(position)]
        return sparse.hstack(parts, format="csr")

    def feature_names(self) -> np.ndarray:
        words = self.vectorizer_.get_feature_names_out()
        names = [words]
        names += [np.array([f"{prefix}:{w}" for w in words]) for prefix in ("prev", "next", "heading")]
        names.append(np.array([f"rule:{e}" for e in self.element_ids]))
        edges = (0.0, *POSITION_BINS, 1.0)
        names.append(np.array([f"position:{a:g}-{b:g}" for a, b in zip(edges, edges[1:], strict=False)]))
        return np.concatenate(names)


class SentenceModel(BaseEstimator):
    """One logistic regression per element over ContextFeaturizer features.

    ``Y`` holds 1/0 labels with -1 where a dataset does not label that element (unlabelled, not
    negative): those rows are left out of that element's fit.
    """

    def __init__(self, labels: tuple[str, ...] = ELEMENT_IDS, C: float = 4.0, context_weight: float = 0.5,
                 max_features: int = 60000, random_state: int = 0) -> None:
        self.labels = labels
        self.C = C
        self.context_weight = context_weight
        self.max_features = max_features
        self.random_state = random_state

    def fit(self, contexts: Sequence[SentenceContext], Y: np.ndarray) -> SentenceModel:
        Y = np.asarray(Y)
        if Y.shape != (len(contexts), len(self.labels)):
            raise ValueError(f"Y has shape {Y.shape}, expected {(len(contexts), len(self.labels))}")
        self.featurizer_ = ContextFeaturizer(context_weight=self.context_weight, max_features=self.max_features,
                                             element_ids=self.labels).fit(contexts)
        X = self.featurizer_.transform(contexts)
        self.classifiers_ = {}
        for j, label in enumerate(self.labels):
            mask = Y[:, j] >= 0
            y = Y[mask, j]
            if y.sum() == 0:
                continue  # no positives anywhere: the element stays unpredicted
            clf = LogisticRegression(C=self.C, class_weight="balanced", solver="liblinear",
                                     random_state=self.random_state, max_iter=1000)
            self.classifiers_[label] = clf.fit(X[mask], y)
        return self

    def predict_proba(self, contexts: Sequence[SentenceContext]) -> np.ndarray:
        X = self.featurizer_.transform(contexts)
        return self.proba_from_features(X)

    def proba_from_features(self, X) -> np.ndarray:
        out = np.zeros((X.shape[0], len(self.labels)), dtype=np.float64)
        for j, label in enumerate(self.labels):
            clf = self.classifiers_.get(label)
            if clf is not None and X.shape[0]:
                out[:, j] = clf.predict_proba(X)[:, 1]
        return out

    def explain(self, X_row, label: str, k: int = 4) -> str:
        """The features that pushed this sentence towards ``label`` most, e.g. 'board approved (+1.9)'."""
        clf = self.classifiers_.get(label)
        if clf is None:
            return ""
        row = sparse.csr_matrix(X_row)
        contributions = row.multiply(clf.coef_[0]).tocsr()
        if contributions.nnz == 0:
            return ""
        order = np.argsort(contributions.data)[::-1][:k]
        names = self._names()
        parts = [f"{names[contributions.indices[i]]} ({contributions.data[i]:+.2f})"
                 for i in order if contributions.data[i] > 0]
        return "features: " + ", ".join(parts) if parts else ""

    def _names(self) -> np.ndarray:
        if getattr(self, "_names_cache", None) is None:
            self._names_cache = self.featurizer_.feature_names()
        return self._names_cache

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        state.pop("_names_cache", None)  # derived; rebuilt on first explanation
        return state
