"""The trained sentence classifier ``tfidf-logreg.v1``: one logistic regression per element over

- word 1–2-gram TF-IDF of the sentence, and of its neighbours, its heading (from the segmenter) and
  its section (the nearest heading-like line above it, context.section_headings) at lower weight
  (context helped every published model on this task);
- character 3–5-gram TF-IDF of the sentence (robust to spelling, inflection and PDF debris);
- the rubric's rule flags: element hits, exclusion hits (committee approval, "low risk" claims) and
  cue groups (planned, negative, vague corporate talk), so the model learns how far to trust each;
- the sentence's position in the document (signature blocks sit at the end).

Text is normalised first (statute names, company numbers, legal suffixes, digits) so Australian and
Canadian training text carries over to UK statements. Probabilities are calibrated per element
(Platt scaling on out-of-fold predictions) and thresholds chosen by cross-validation at training.

This module fits with scikit-learn and is needed for training only: scoring uses the model's
inference form (classify/inference.py), which also defines the rule-flag, position and length
features, the calibration and the explanations used here, so the two cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from disclosure_check.classify.context import SentenceContext
from disclosure_check.classify.inference import (
    NAME,
    calibrate,
    layout_feature_names,
    logit,
    position_features,
    readable_top_features,
    rule_flag_features,
    smooth_by_section,
)
from disclosure_check.classify.normalize import normalize
from disclosure_check.rubric import ELEMENT_IDS

__all__ = ["NAME", "ContextFeaturizer", "SentenceModel"]  # NAME is defined beside the inference form
DEFAULT_FLAGS = ELEMENT_IDS + tuple(f"!{e}" for e in ELEMENT_IDS) + ("cue:negative", "cue:planned", "cue:vague")


def _word_vectorizer(max_features: int) -> TfidfVectorizer:
    return TfidfVectorizer(ngram_range=(1, 2), min_df=2, max_df=0.5, sublinear_tf=True, strip_accents="unicode",
                           max_features=max_features, token_pattern=r"(?u)\b\w[\w'-]*\b", dtype=np.float32)


class ContextFeaturizer(BaseEstimator, TransformerMixin):
    """Sparse features of a SentenceContext (see the module docstring)."""

    def __init__(self, context_weight: float = 0.5, heading_weight: float = 0.5, max_features: int = 60000,
                 char_features: int = 100000, flags: tuple[str, ...] = DEFAULT_FLAGS,
                 section_weight: float = 0.0) -> None:
        self.context_weight = context_weight
        self.heading_weight = heading_weight
        self.section_weight = section_weight  # 0: no section block (models before issue 21's context work)
        self.max_features = max_features
        self.char_features = char_features
        self.flags = flags

    def fit(self, contexts: Sequence[SentenceContext], y=None, *, unlabelled: Sequence[str] = ()) -> ContextFeaturizer:
        """``unlabelled``: extra sentences (e.g. UK statements) that widen the vocabulary and idf only."""
        texts = [normalize(c.text) for c in contexts] + [normalize(t) for t in unlabelled]
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
        if getattr(self, "section_weight", 0.0):  # absent from models pickled before it existed
            parts.append(vec.transform([normalize(c.section) for c in contexts]) * self.section_weight)
        if self.char_vectorizer_ is not None:
            parts.append(self.char_vectorizer_.transform(texts))
        parts += [rule_flag_features(contexts, self.flags), position_features(contexts)]
        return sparse.hstack(parts, format="csr")

    def feature_names(self) -> np.ndarray:
        words = self.vectorizer_.get_feature_names_out()
        names = [words]
        prefixes = ("prev", "next", "heading") + (("section",) if getattr(self, "section_weight", 0.0) else ())
        names += [np.array([f"{prefix}:{w}" for w in words]) for prefix in prefixes]
        if self.char_vectorizer_ is not None:
            names.append(np.array([f"char:{c}" for c in self.char_vectorizer_.get_feature_names_out()]))
        names.append(np.array(layout_feature_names(self.flags)))
        return np.concatenate(names)


def _nb_ratio(X, y: np.ndarray, scale: float) -> np.ndarray:
    """Per-feature scaling from the log-count ratio of positives to negatives (Wang & Manning's
    NB-SVM), softened to ``1 + scale * |r| / max|r|`` so that no feature is switched off."""
    pos = np.asarray(X[y == 1].sum(axis=0)).ravel() + 1.0
    neg = np.asarray(X[y == 0].sum(axis=0)).ravel() + 1.0
    r = np.abs(np.log((pos / pos.sum()) / (neg / neg.sum())))
    return 1.0 + scale * r / (r.max() or 1.0)


class SentenceModel(BaseEstimator):
    """One logistic regression per element over ContextFeaturizer features.

    ``Y`` holds 1/0 labels with -1 where a dataset does not label that element (unlabelled, not
    negative): those rows are left out of that element's fit. ``calibration_`` maps raw scores to
    calibrated probabilities once ``calibrate`` has been given out-of-fold predictions.
    """

    def __init__(self, labels: tuple[str, ...] = ELEMENT_IDS, C: float = 8.0, context_weight: float = 0.5,
                 max_features: int = 60000, char_features: int = 100000, flags: tuple[str, ...] = DEFAULT_FLAGS,
                 class_weight: str | None = "balanced", nb_scale: float = 0.0, random_state: int = 0,
                 section_weight: float = 0.0) -> None:
        self.labels = labels
        self.C = C
        self.context_weight = context_weight
        self.max_features = max_features
        self.char_features = char_features
        self.flags = flags
        self.class_weight = class_weight
        self.nb_scale = nb_scale  # 0: plain TF-IDF; >0: NB-SVM style log-count-ratio scaling, see _nb_ratio
        self.random_state = random_state
        self.section_weight = section_weight

    def fit(self, contexts: Sequence[SentenceContext], Y: np.ndarray, *, sample_weight: np.ndarray | None = None,
            unlabelled: Sequence[str] = ()) -> SentenceModel:
        """``sample_weight``: per sentence (reviewed examples weigh more or less than the corpus);
        ``unlabelled``: sentences that only widen the vocabulary and idf (domain adaptation)."""
        Y = np.asarray(Y)
        if Y.shape != (len(contexts), len(self.labels)):
            raise ValueError(f"Y has shape {Y.shape}, expected {(len(contexts), len(self.labels))}")
        weights = np.ones(len(contexts)) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
        self.featurizer_ = ContextFeaturizer(context_weight=self.context_weight, max_features=self.max_features,
                                             char_features=self.char_features, flags=self.flags,
                                             section_weight=self.section_weight).fit(contexts, unlabelled=unlabelled)
        X = self.featurizer_.transform(contexts)
        self.classifiers_ = {}
        self.calibration_: dict[str, tuple[float, float]] = {}
        for j, label in enumerate(self.labels):
            mask = Y[:, j] >= 0
            y = Y[mask, j]
            if y.sum() == 0:
                continue  # no positives anywhere: the element stays unpredicted
            Xj = X[mask]
            ratio = _nb_ratio(Xj, y, self.nb_scale) if self.nb_scale else None
            if ratio is not None:
                Xj = Xj @ sparse.diags(ratio)
            clf = LogisticRegression(C=self.C, class_weight=self.class_weight, solver="liblinear",
                                     random_state=self.random_state, max_iter=1000)
            clf.fit(Xj, y, sample_weight=weights[mask])
            if ratio is not None:
                clf.coef_ = clf.coef_ * ratio  # w.(x*r) = (w*r).x: the scaling folds into the weights
            self.classifiers_[label] = clf
        return self

    def calibrate(self, raw: np.ndarray, Y: np.ndarray) -> SentenceModel:
        """Platt scaling per element from out-of-fold raw probabilities ``raw`` and labels ``Y``."""
        for j, label in enumerate(self.labels):
            mask = Y[:, j] >= 0
            y = Y[mask, j]
            if label not in self.classifiers_ or y.sum() == 0 or y.sum() == len(y):
                continue
            z = logit(raw[mask, j]).reshape(-1, 1)
            platt = LogisticRegression(C=1e4, solver="lbfgs").fit(z, y)
            self.calibration_[label] = (float(platt.coef_[0, 0]), float(platt.intercept_[0]))
        return self

    def predict_proba(self, contexts: Sequence[SentenceContext]) -> np.ndarray:
        return self.proba_from_features(self.featurizer_.transform(contexts))

    def smooth(self, P: np.ndarray, keys) -> np.ndarray:
        """The second stage (inference.smooth_by_section) with the weights training chose, if any."""
        weights = getattr(self, "section_smoothing_", {})
        return smooth_by_section(P, keys, [weights.get(label, 0.0) for label in self.labels])

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
        return calibrate(raw, self.labels, getattr(self, "calibration_", {}))

    def explain(self, X_row, label: str, k: int = 4) -> str:
        """The readable features that pushed this sentence towards ``label`` most (character
        n-grams left out, see inference.readable_top_features)."""
        clf = self.classifiers_.get(label)
        if clf is None:
            return ""
        names = self._names()
        return readable_top_features(X_row, clf.coef_[0], names.__getitem__, k)

    def _names(self) -> np.ndarray:
        if getattr(self, "_names_cache", None) is None:
            self._names_cache = self.featurizer_.feature_names()
        return self._names_cache

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        state.pop("_names_cache", None)  # derived; rebuilt on first explanation
        return state
