"""The trained sentence classifier ``tfidf-logreg.v1``: one logistic regression per element over

- word 1–2-gram TF-IDF of the sentence, and of its neighbours and section heading at lower weight
  (context helped every published model on this task);
- character 3–5-gram TF-IDF of the sentence (robust to spelling, inflection and PDF debris);
- the rubric's rule flags: element hits, exclusion hits (committee approval, "low risk" claims) and
  cue groups (planned, negative, vague corporate talk), so the model learns how far to trust each;
- the sentence's position in the document (signature blocks sit at the end).

Text is normalised first (statute names, company numbers, legal suffixes, digits) so Australian and
Canadian training text carries over to UK statements. Probabilities are calibrated per element
(Platt scaling on out-of-fold predictions) and thresholds chosen by cross-validation at training.
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
from .normalize import normalize

NAME = "tfidf-logreg.v1"
POSITION_BINS = (0.1, 0.25, 0.5, 0.75, 0.9)
LENGTH_BINS = (5, 11, 26, 51)  # words: signature lines and headings are short, tables run on
DEFAULT_FLAGS = ELEMENT_IDS + tuple(f"!{e}" for e in ELEMENT_IDS) + ("cue:negative", "cue:planned", "cue:vague")


def _word_vectorizer(max_features: int) -> TfidfVectorizer:
    return TfidfVectorizer(ngram_range=(1, 2), min_df=2, max_df=0.5, sublinear_tf=True, strip_accents="unicode",
                           max_features=max_features, token_pattern=r"(?u)\b\w[\w'-]*\b", dtype=np.float32)


class ContextFeaturizer(BaseEstimator, TransformerMixin):
    """Sparse features of a SentenceContext (see the module docstring)."""

    def __init__(self, context_weight: float = 0.5, heading_weight: float = 0.5, max_features: int = 60000,
                 char_features: int = 100000, flags: tuple[str, ...] = DEFAULT_FLAGS) -> None:
        self.context_weight = context_weight
        self.heading_weight = heading_weight
        self.max_features = max_features
        self.char_features = char_features
        self.flags = flags

    def fit(self, contexts: Sequence[SentenceContext], y=None) -> ContextFeaturizer:
        texts = [normalize(c.text) for c in contexts]
        self.vectorizer_ = _word_vectorizer(self.max_features).fit(texts)
        self.vectorizer_.stop_words_ = None  # the pruned vocabulary: large and unused after fitting
        self.char_vectorizer_ = None
        if self.char_features:
            self.char_vectorizer_ = TfidfVectorizer(
                analyzer="char_wb", ngram_range=(3, 5), min_df=3, sublinear_tf=True, strip_accents="unicode",
                max_features=self.char_features, dtype=np.float32).fit(texts)
            self.char_vectorizer_.stop_words_ = None
        return self

    def transform(self, contexts: Sequence[SentenceContext]) -> sparse.csr_matrix:
        vec = self.vectorizer_
        texts = [normalize(c.text) for c in contexts]
        parts = [
            vec.transform(texts),
            vec.transform([normalize(c.prev) for c in contexts]) * self.context_weight,
            vec.transform([normalize(c.next) for c in contexts]) * self.context_weight,
            vec.transform([normalize(c.heading) for c in contexts]) * self.heading_weight,
        ]
        if self.char_vectorizer_ is not None:
            parts.append(self.char_vectorizer_.transform(texts))
        index = {flag: i for i, flag in enumerate(self.flags)}
        rows, cols = [], []
        position = np.zeros((len(contexts), len(POSITION_BINS) + 3 + len(LENGTH_BINS)), dtype=np.float32)
        for row, context in enumerate(contexts):
            for flag in context.rules:
                if flag in index:
                    rows.append(row)
                    cols.append(index[flag])
            position[row, int(np.searchsorted(POSITION_BINS, context.position))] = 1.0
            position[row, len(POSITION_BINS) + 1] = float(context.position == 0.0)
            words = len(context.text.split())
            position[row, len(POSITION_BINS) + 2 + int(np.searchsorted(LENGTH_BINS, words, side="right"))] = 1.0
        flags = sparse.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)),
                                  shape=(len(contexts), len(self.flags)))
        parts += [flags, sparse.csr_matrix(position)]
        return sparse.hstack(parts, format="csr")

    def feature_names(self) -> np.ndarray:
        words = self.vectorizer_.get_feature_names_out()
        names = [words]
        names += [np.array([f"{prefix}:{w}" for w in words]) for prefix in ("prev", "next", "heading")]
        if self.char_vectorizer_ is not None:
            names.append(np.array([f"char:{c}" for c in self.char_vectorizer_.get_feature_names_out()]))
        names.append(np.array([f"rule:{f}" for f in self.flags]))
        edges = (0.0, *POSITION_BINS, 1.0)
        names.append(np.array([f"position:{a:g}-{b:g}" for a, b in zip(edges, edges[1:], strict=False)]
                              + ["position:first"]))
        lengths = (0, *LENGTH_BINS)
        names.append(np.array([f"words:{a}-{b - 1}" for a, b in zip(lengths, lengths[1:], strict=False)]
                              + [f"words:{LENGTH_BINS[-1]}+"]))
        return np.concatenate(names)


class SentenceModel(BaseEstimator):
    """One logistic regression per element over ContextFeaturizer features.

    ``Y`` holds 1/0 labels with -1 where a dataset does not label that element (unlabelled, not
    negative): those rows are left out of that element's fit. ``calibration_`` maps raw scores to
    calibrated probabilities once ``calibrate`` has been given out-of-fold predictions.
    """

    def __init__(self, labels: tuple[str, ...] = ELEMENT_IDS, C: float = 8.0, context_weight: float = 0.5,
                 max_features: int = 60000, char_features: int = 100000, flags: tuple[str, ...] = DEFAULT_FLAGS,
                 random_state: int = 0) -> None:
        self.labels = labels
        self.C = C
        self.context_weight = context_weight
        self.max_features = max_features
        self.char_features = char_features
        self.flags = flags
        self.random_state = random_state

    def fit(self, contexts: Sequence[SentenceContext], Y: np.ndarray) -> SentenceModel:
        Y = np.asarray(Y)
        if Y.shape != (len(contexts), len(self.labels)):
            raise ValueError(f"Y has shape {Y.shape}, expected {(len(contexts), len(self.labels))}")
        self.featurizer_ = ContextFeaturizer(context_weight=self.context_weight, max_features=self.max_features,
                                             char_features=self.char_features, flags=self.flags).fit(contexts)
        X = self.featurizer_.transform(contexts)
        self.classifiers_ = {}
        self.calibration_: dict[str, tuple[float, float]] = {}
        for j, label in enumerate(self.labels):
            mask = Y[:, j] >= 0
            y = Y[mask, j]
            if y.sum() == 0:
                continue  # no positives anywhere: the element stays unpredicted
            clf = LogisticRegression(C=self.C, class_weight="balanced", solver="liblinear",
                                     random_state=self.random_state, max_iter=1000)
            self.classifiers_[label] = clf.fit(X[mask], y)
        return self

    def calibrate(self, raw: np.ndarray, Y: np.ndarray) -> SentenceModel:
        """Platt scaling per element from out-of-fold raw probabilities ``raw`` and labels ``Y``."""
        for j, label in enumerate(self.labels):
            mask = Y[:, j] >= 0
            y = Y[mask, j]
            if label not in self.classifiers_ or y.sum() == 0 or y.sum() == len(y):
                continue
            z = _logit(raw[mask, j]).reshape(-1, 1)
            platt = LogisticRegression(C=1e4, solver="lbfgs").fit(z, y)
            self.calibration_[label] = (float(platt.coef_[0, 0]), float(platt.intercept_[0]))
        return self

    def predict_proba(self, contexts: Sequence[SentenceContext]) -> np.ndarray:
        return self.proba_from_features(self.featurizer_.transform(contexts))

    def raw_from_features(self, X) -> np.ndarray:
        out = np.zeros((X.shape[0], len(self.labels)), dtype=np.float64)
        for j, label in enumerate(self.labels):
            clf = self.classifiers_.get(label)
            if clf is not None and X.shape[0]:
                out[:, j] = clf.predict_proba(X)[:, 1]
        return out

    def proba_from_features(self, X) -> np.ndarray:
        """Calibrated probabilities (raw ones for elements without calibration)."""
        return self.calibrated(self.raw_from_features(X))

    def calibrated(self, raw: np.ndarray) -> np.ndarray:
        out = np.array(raw, dtype=np.float64, copy=True)
        for j, label in enumerate(self.labels):
            if label in getattr(self, "calibration_", {}):
                a, b = self.calibration_[label]
                out[:, j] = 1.0 / (1.0 + np.exp(-(a * _logit(out[:, j]) + b)))
        return out

    def explain(self, X_row, label: str, k: int = 4) -> str:
        """The readable features that pushed this sentence towards ``label`` most.

        Character n-grams also contribute but are left out of the explanation: a reviewer is
        helped by 'board approved (+1.9)', not by ' boa'."""
        clf = self.classifiers_.get(label)
        if clf is None:
            return ""
        contributions = sparse.csr_matrix(X_row).multiply(clf.coef_[0]).tocsr()
        names = self._names()
        ranked = [(contributions.data[i], names[contributions.indices[i]])
                  for i in np.argsort(contributions.data)[::-1]
                  if contributions.data[i] > 0 and not names[contributions.indices[i]].startswith("char:")]
        return "features: " + ", ".join(f"{name} ({value:+.2f})" for value, name in ranked[:k]) if ranked else ""

    def _names(self) -> np.ndarray:
        if getattr(self, "_names_cache", None) is None:
            self._names_cache = self.featurizer_.feature_names()
        return self._names_cache

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        state.pop("_names_cache", None)  # derived; rebuilt on first explanation
        return state


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))
