"""The trained models in the form scoring uses: arrays and settings, applied with numpy and
scipy.sparse alone.

``tfidf-logreg.v1`` (classify/ml.py) and ``audiences.v1`` (classify/audiences.py) are fitted with
scikit-learn and saved as joblib pickles, which stay the training artefacts and what
``model_version`` hashes. Unpickling them imports scikit-learn and rebuilds large vocabulary
dicts, over a second before the first sentence is read, so a saved model also carries this form
(see classify/artifact.py). It holds what ``predict_proba`` needs: vocabularies, idf weights and
analyzer settings (classify/tfidf.py), logistic regression coefficients and intercepts, Platt
calibration, and the layout of the rule-flag, position and length features, which this module
computes for training too, so there is one definition of them. The ``*_to_inference`` converters
read a fitted model's attributes; the tests hold both forms to the same probabilities, decisions
and explanations on the labelled corpora.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from disclosure_check.classify.audience_rules import LABELS as AUDIENCE_LABELS
from disclosure_check.classify.audience_rules import (
    apply_rules,
    audience_text,
    choose_audiences,
    training_passages,
)
from disclosure_check.classify.context import SentenceContext
from disclosure_check.classify.normalize import normalize
from disclosure_check.classify.sparse import sparse
from disclosure_check.classify.tfidf import Tfidf, tfidf_from_sklearn

NAME = "tfidf-logreg.v1"
POSITION_BINS = (0.1, 0.25, 0.5, 0.75, 0.9)
LENGTH_BINS = (5, 11, 26, 51)  # words: signature lines and headings are short, tables run on
WORD_BLOCKS = ("", "prev:", "next:", "heading:")  # the sentence, its neighbours and its heading
SECTION_BLOCK = "section:"  # the nearest heading-like line above (context.section_headings), when a model uses it


def word_blocks(section_weight: float) -> tuple[str, ...]:
    """The word TF-IDF blocks of a model, in column order."""
    return WORD_BLOCKS + ((SECTION_BLOCK,) if section_weight else ())


def rule_flag_features(contexts: Sequence[SentenceContext], flags: Sequence[str]) -> sparse.csr_matrix:
    """One column per rule flag (element hit, exclusion, cue group): 1 where it fired."""
    index = {flag: i for i, flag in enumerate(flags)}
    rows, cols = [], []
    for row, context in enumerate(contexts):
        for flag in context.rules:
            if flag in index:
                rows.append(row)
                cols.append(index[flag])
    return sparse.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)),
                             shape=(len(contexts), len(flags)))


def position_features(contexts: Sequence[SentenceContext]) -> sparse.csr_matrix:
    """One-hot position bin, first sentence, and one-hot length bin (signature blocks sit at the end)."""
    position = np.zeros((len(contexts), len(POSITION_BINS) + 3 + len(LENGTH_BINS)), dtype=np.float32)
    for row, context in enumerate(contexts):
        position[row, int(np.searchsorted(POSITION_BINS, context.position))] = 1.0
        position[row, len(POSITION_BINS) + 1] = float(context.position == 0.0)
        words = len(context.text.split())
        position[row, len(POSITION_BINS) + 2 + int(np.searchsorted(LENGTH_BINS, words, side="right"))] = 1.0
    return sparse.csr_matrix(position)


def layout_feature_names(flags: Sequence[str]) -> list[str]:
    """Names of the ``rule_flag_features`` then ``position_features`` columns."""
    edges = (0.0, *POSITION_BINS, 1.0)
    lengths = (0, *LENGTH_BINS)
    return ([f"rule:{f}" for f in flags]
            + [f"position:{a:g}-{b:g}" for a, b in zip(edges, edges[1:], strict=False)] + ["position:first"]
            + [f"words:{a}-{b - 1}" for a, b in zip(lengths, lengths[1:], strict=False)]
            + [f"words:{LENGTH_BINS[-1]}+"])


def smooth_by_section(P: np.ndarray, keys: Sequence, weights: np.ndarray) -> np.ndarray:
    """Second stage: each column j becomes ``(1 - w_j) p + w_j * mean p of the rows with the same
    key`` (a sentence's section within its document: experts label by section, so a sentence in a
    section about supply chains is likelier to be about supply chains). Order-free, so training can
    pass many statements at once with (statement, section) keys."""
    weights = np.asarray(weights, dtype=np.float64)
    if not len(P) or not weights.any():
        return P
    index: dict = {}
    codes = np.array([index.setdefault(key, len(index)) for key in keys])
    sums = np.zeros((len(index), P.shape[1]))
    np.add.at(sums, codes, P)
    means = sums / np.bincount(codes, minlength=len(index))[:, None]
    return (1.0 - weights) * P + weights * means[codes]


def logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def calibrate(raw: np.ndarray, labels: Sequence[str], calibration: dict[str, tuple[float, float]]) -> np.ndarray:
    """Platt-scaled probabilities per label column; columns without calibration are kept raw."""
    out = np.array(raw, dtype=np.float64, copy=True)
    for j, label in enumerate(labels):
        if label in calibration:
            a, b = calibration[label]
            out[:, j] = 1.0 / (1.0 + np.exp(-(a * logit(out[:, j]) + b)))
    return out


def readable_top_features(X_row, coef: np.ndarray, name: Callable[[int], str], k: int = 4) -> str:
    """The ``k`` features of one row that pushed it most towards the class of ``coef``, as
    'name (+contribution)'. Character n-grams also count but are left out: a reviewer is helped
    by 'board approved (+1.9)', not by ' boa'."""
    row = X_row if sparse.isspmatrix_csr(X_row) else sparse.csr_matrix(X_row)
    return top_features(row.indices, row.data, coef, name, k)


def top_features(indices: np.ndarray, values: np.ndarray, coef: np.ndarray, name: Callable[[int], str],
                 k: int = 4) -> str:
    """``readable_top_features`` of the row whose stored ``values`` are in columns ``indices``."""
    data = values * coef[indices]  # the row's contributions, without building another sparse matrix
    ranked = []
    for i in np.argsort(data)[::-1]:
        if len(ranked) == k or data[i] <= 0:
            break
        feature = name(int(indices[i]))
        if not feature.startswith("char:"):
            ranked.append((data[i], feature))
    return "features: " + ", ".join(f"{n} ({value:+.2f})" for value, n in ranked) if ranked else ""


def linear_probabilities(X, labels: Sequence[str], trained: Sequence[str], coef: np.ndarray,
                         intercept: np.ndarray) -> np.ndarray:
    """A binary logistic regression per trained label (scikit-learn's ``predict_proba(X)[:, 1]``);
    0 for labels without one."""
    out = np.zeros((X.shape[0], len(labels)), dtype=np.float64)
    if not X.shape[0]:
        return out
    for j, label in enumerate(labels):
        if label in trained:
            out[:, j] = 1.0 / (1.0 + np.exp(-(X @ coef[j] + intercept[j])))
    return out


def _coefficients(classifiers: dict, labels: Sequence[str], n_features: int) -> tuple[np.ndarray, np.ndarray]:
    """Fitted binary LogisticRegressions as a (labels, features) matrix and intercepts (zero rows
    for labels without a classifier)."""
    coef = np.zeros((len(labels), n_features), dtype=np.float64)
    intercept = np.zeros(len(labels), dtype=np.float64)
    for j, label in enumerate(labels):
        clf = classifiers.get(label)
        if clf is None:
            continue
        if clf.coef_.shape != (1, n_features) or list(clf.classes_) != [0, 1]:
            raise ValueError(f"classifier for {label!r} is not a binary 0/1 model over {n_features} features")
        coef[j] = clf.coef_[0]
        intercept[j] = clf.intercept_[0]
    return coef, intercept


@dataclass(frozen=True, eq=False)
class SentenceInference:
    """``tfidf-logreg.v1`` for scoring: the same features, probabilities and explanations as the
    fitted SentenceModel (classify/ml.py), without scikit-learn."""

    labels: tuple[str, ...]
    flags: tuple[str, ...]
    context_weight: float
    heading_weight: float
    words: Tfidf
    chars: Tfidf | None
    coef: np.ndarray  # (labels, features) float64
    intercept: np.ndarray  # (labels,)
    trained: tuple[str, ...]  # labels with a classifier; the others are never predicted
    calibration: dict[str, tuple[float, float]] = field(default_factory=dict)  # label -> Platt (a, b)
    section_weight: float = 0.0  # 0: no section block (models saved before it existed)
    section_smoothing: dict[str, float] = field(default_factory=dict)  # label -> weight (smooth_by_section)

    def __post_init__(self) -> None:
        n_features = (len(word_blocks(self.section_weight)) * len(self.words.terms) + (len(self.chars.terms) if self.chars else 0)
                      + len(layout_feature_names(self.flags)))
        if self.coef.shape != (len(self.labels), n_features) or self.intercept.shape != (len(self.labels),):
            raise ValueError(f"coefficients have shape {self.coef.shape}, intercepts {self.intercept.shape}; "
                             f"expected {(len(self.labels), n_features)} and {(len(self.labels),)}")
        unknown = (set(self.trained) | set(self.calibration) | set(self.section_smoothing)) - set(self.labels)
        if unknown:
            raise ValueError(f"labels {sorted(unknown)} are not among the model's labels")

    def features(self, contexts: Sequence[SentenceContext]) -> sparse.csr_matrix:
        """Sparse features of each context (the layout of ml.ContextFeaturizer)."""
        # A document's sentences are each other's neighbours and share headings: normalise and
        # vectorise every distinct string once, then pick rows (the same matrix, a quarter of the work).
        rows: dict[str, int] = {}
        for c in contexts:
            for value in (c.text, c.prev, c.next, c.heading, c.section):
                rows.setdefault(value, len(rows))
        normalized = [normalize(value) for value in rows]
        unique = self.words.transform(normalized)

        def pick(attribute: str) -> sparse.csr_matrix:
            return unique[[rows[getattr(c, attribute)] for c in contexts]]

        parts = [
            pick("text"),
            pick("prev") * self.context_weight,
            pick("next") * self.context_weight,
            pick("heading") * self.heading_weight,
        ]
        if self.section_weight:
            parts.append(pick("section") * self.section_weight)
        if self.chars is not None:
            parts.append(self.chars.transform([normalized[rows[c.text]] for c in contexts]))
        parts += [rule_flag_features(contexts, self.flags), position_features(contexts)]
        return sparse.hstack(parts, format="csr")

    def raw_from_features(self, X) -> np.ndarray:
        return linear_probabilities(X, self.labels, self.trained, self.coef, self.intercept)

    def proba_from_features(self, X) -> np.ndarray:
        """Calibrated probabilities (raw ones for labels without calibration)."""
        return calibrate(self.raw_from_features(X), self.labels, self.calibration)

    def predict_proba(self, contexts: Sequence[SentenceContext]) -> np.ndarray:
        return self.proba_from_features(self.features(contexts))

    def smooth(self, P: np.ndarray, keys: Sequence) -> np.ndarray:
        """``smooth_by_section`` with this model's weights (none: ``P`` unchanged); ``keys``: each
        row's section, with its document where rows of several documents are scored together."""
        return smooth_by_section(P, keys, [self.section_smoothing.get(label, 0.0) for label in self.labels])

    def explain(self, X_row, label: str, k: int = 4) -> str:
        """The readable features that pushed this sentence (a row of ``features``) towards ``label`` most."""
        if label not in self.trained:
            return ""
        return readable_top_features(X_row, self.coef[self.labels.index(label)], self.feature_name, k)

    def explain_row(self, X: sparse.csr_matrix, row: int, label: str, k: int = 4) -> str:
        """``explain`` of row ``row`` of ``X``, read from its arrays (indexing a sparse matrix row
        by row costs more than the explanation)."""
        if label not in self.trained:
            return ""
        start, end = X.indptr[row], X.indptr[row + 1]
        return top_features(X.indices[start:end], X.data[start:end], self.coef[self.labels.index(label)],
                            self.feature_name, k)

    def feature_name(self, index: int) -> str:
        """A column's name, as ml.ContextFeaturizer.feature_names gives it."""
        words = self.words.terms
        blocks = word_blocks(self.section_weight)
        block, offset = divmod(index, len(words))
        if block < len(blocks):
            return blocks[block] + words[offset]
        index -= len(blocks) * len(words)
        if self.chars is not None:
            if index < len(self.chars.terms):
                return "char:" + self.chars.terms[index]
            index -= len(self.chars.terms)
        return self._layout_names[index]

    @cached_property
    def _layout_names(self) -> list[str]:
        return layout_feature_names(self.flags)

    def arrays(self) -> dict[str, np.ndarray]:
        """The numeric parts, for saving (``from_parts`` reverses ``arrays`` and ``settings``)."""
        out = {"coef": self.coef, "intercept": self.intercept, "words_idf": self.words.idf}
        if self.chars is not None:
            out["chars_idf"] = self.chars.idf
        return out

    def settings(self) -> dict:
        """Everything else, as JSON-ready values."""
        out = {"labels": list(self.labels), "flags": list(self.flags), "context_weight": self.context_weight,
               "heading_weight": self.heading_weight, "trained": list(self.trained),
               "calibration": {label: list(ab) for label, ab in self.calibration.items()},
               "words": self.words.settings(), "chars": self.chars.settings() if self.chars else None}
        # Written only when used, so a model saved before they existed exports to the same files.
        if self.section_weight:
            out["section_weight"] = self.section_weight
        if self.section_smoothing:
            out["section_smoothing"] = dict(self.section_smoothing)
        return out

    @classmethod
    def from_parts(cls, settings: dict, arrays: dict[str, np.ndarray]) -> SentenceInference:
        chars = settings["chars"]
        return cls(labels=tuple(settings["labels"]), flags=tuple(settings["flags"]),
                   context_weight=settings["context_weight"], heading_weight=settings["heading_weight"],
                   words=Tfidf.from_settings(settings["words"], arrays["words_idf"]),
                   chars=Tfidf.from_settings(chars, arrays["chars_idf"]) if chars is not None else None,
                   coef=arrays["coef"], intercept=arrays["intercept"], trained=tuple(settings["trained"]),
                   calibration={label: (float(a), float(b)) for label, (a, b) in settings["calibration"].items()},
                   section_weight=float(settings.get("section_weight", 0.0)),
                   section_smoothing={k: float(v) for k, v in settings.get("section_smoothing", {}).items()})


def sentence_model_to_inference(model) -> SentenceInference:
    """The inference form of a fitted ml.SentenceModel (read by attribute: no scikit-learn import)."""
    featurizer = model.featurizer_
    words = tfidf_from_sklearn(featurizer.vectorizer_)
    chars = tfidf_from_sklearn(featurizer.char_vectorizer_) if featurizer.char_vectorizer_ is not None else None
    section_weight = getattr(featurizer, "section_weight", 0.0)
    n_features = (len(word_blocks(section_weight)) * len(words.terms) + (len(chars.terms) if chars else 0)
                  + len(layout_feature_names(featurizer.flags)))
    coef, intercept = _coefficients(model.classifiers_, model.labels, n_features)
    return SentenceInference(
        labels=tuple(model.labels), flags=tuple(featurizer.flags), context_weight=featurizer.context_weight,
        heading_weight=featurizer.heading_weight, words=words, chars=chars, coef=coef, intercept=intercept,
        trained=tuple(label for label in model.labels if label in model.classifiers_),
        calibration={label: (float(a), float(b)) for label, (a, b) in getattr(model, "calibration_", {}).items()},
        section_weight=section_weight,
        section_smoothing={label: float(w) for label, w in getattr(model, "section_smoothing_", {}).items() if w})


@dataclass(frozen=True, eq=False)
class AudienceInference:
    """``audiences.v1`` for scoring: the same probabilities and labels as the fitted
    audiences.AudienceModel, without scikit-learn."""

    words: Tfidf
    coef: np.ndarray  # (len(AUDIENCE_LABELS), features) float64
    intercept: np.ndarray
    trained: tuple[str, ...]  # labels with a classifier
    rule_labels: tuple[str, ...]  # labels decided by the metric's definitions alone
    threshold: float

    def __post_init__(self) -> None:
        if self.coef.shape != (len(AUDIENCE_LABELS), len(self.words.terms)):
            raise ValueError(f"coefficients have shape {self.coef.shape}, "
                             f"expected {(len(AUDIENCE_LABELS), len(self.words.terms))}")
        unknown = (set(self.trained) | set(self.rule_labels)) - set(AUDIENCE_LABELS)
        if unknown:
            raise ValueError(f"labels {sorted(unknown)} are not audience labels")

    def predict_proba(self, documents: Sequence[Sequence[str]]) -> np.ndarray:
        passages = [training_passages(d) for d in documents]
        X = self.words.transform([audience_text(p) for p in passages])
        P = linear_probabilities(X, AUDIENCE_LABELS, self.trained, self.coef, self.intercept)
        return apply_rules(P, passages, self.rule_labels)

    def predict(self, documents: Sequence[Sequence[str]]) -> list[tuple[str, ...]]:
        """Labels per document; "none" excludes the others, and at least one label is always given."""
        return choose_audiences(self.predict_proba(documents), self.threshold)

    def arrays(self) -> dict[str, np.ndarray]:
        return {"coef": self.coef, "intercept": self.intercept, "words_idf": self.words.idf}

    def settings(self) -> dict:
        return {"labels": list(AUDIENCE_LABELS), "trained": list(self.trained),
                "rule_labels": list(self.rule_labels), "threshold": self.threshold, "words": self.words.settings()}

    @classmethod
    def from_parts(cls, settings: dict, arrays: dict[str, np.ndarray]) -> AudienceInference:
        if tuple(settings["labels"]) != AUDIENCE_LABELS:
            raise ValueError(f"labels {settings['labels']} differ from this version's {list(AUDIENCE_LABELS)}")
        return cls(words=Tfidf.from_settings(settings["words"], arrays["words_idf"]), coef=arrays["coef"],
                   intercept=arrays["intercept"], trained=tuple(settings["trained"]),
                   rule_labels=tuple(settings["rule_labels"]), threshold=float(settings["threshold"]))


def audience_model_to_inference(model) -> AudienceInference:
    """The inference form of a fitted audiences.AudienceModel (read by attribute: no scikit-learn import)."""
    words = tfidf_from_sklearn(model.vectorizer_)
    coef, intercept = _coefficients(model.classifiers_, AUDIENCE_LABELS, len(words.terms))
    return AudienceInference(words=words, coef=coef, intercept=intercept,
                             trained=tuple(label for label in AUDIENCE_LABELS if label in model.classifiers_),
                             rule_labels=tuple(model.rule_labels_), threshold=float(model.threshold))
