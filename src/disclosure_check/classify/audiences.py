"""Who receives modern slavery training (``audiences.v1``), learned from the WikiRate / Walk Free
"MSA training (revised)" answers for 146 UK statement-years.

A document-level, multi-label model: the statement's training passages (sentences that mention
training and the sentence after each) are read with word TF-IDF and one logistic regression per
audience. A statement with no training passage at all is "none". The passages that mention an
audience are returned as its evidence.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from .normalize import normalize

NAME = "audiences.v1"
# WikiRate answer -> stable id (the metric README defines each).
AUDIENCES = {
    "Employees (all)": "all_employees",
    "Procurement / purchasing": "procurement",
    "Recruitment / HR": "recruitment_hr",
    "Leadership": "leadership",
    "Suppliers": "suppliers",
    "Training provided - not specified": "not_specified",
    "In Development": "in_development",
    "No": "none",
}
LABELS = tuple(AUDIENCES.values())
TRAINING = re.compile(r"\btrain|e-?learning|awareness (?:session|course|module|campaign)|educat|induction|"
                      r"workshop|\bcourses?\b|\bmodules?\b|briefing", re.I)
AUDIENCE_WORDS = {
    "all_employees": r"\ball (?:our )?(?:employees|staff|colleagues|workers|personnel)\b|company-wide|across the (?:group|business)",
    "procurement": r"procurement|purchasing|buyers|sourcing|supplier manag|supply chain (?:team|staff|colleagues)",
    "recruitment_hr": r"\bhr\b|human resources|recruit|people team|hiring",
    "leadership": r"\bboard\b|directors|senior|leadership|managers|executive",
    "suppliers": r"suppliers|contractors|vendors|third part",
    "in_development": r"\bwill\b|plan(?:s|ned)? to|developing|roll(?:ed)? out|intend|next year|in the coming",
}


MODERN_SLAVERY = re.compile(r"slavery|trafficking|forced labou?r|exploitation", re.I)


def training_passages(sentences: Sequence[str]) -> list[str]:
    """Sentences about training that concern modern slavery (in the sentence or its neighbours, as
    the metric counts only modern slavery training), each with the sentence after it."""
    passages = []
    for i, sentence in enumerate(sentences):
        if not TRAINING.search(sentence):
            continue
        window = " ".join(sentences[max(i - 1, 0): i + 2])
        if MODERN_SLAVERY.search(window):
            passages.append(sentence + (" " + sentences[i + 1] if i + 1 < len(sentences) else ""))
    return passages


def rule_audiences(passages: Sequence[str]) -> tuple[str, ...]:
    """The metric's definitions as rules: named audiences, plans, else "not specified"; no passage: "none"."""
    if not passages:
        return ("none",)
    named = [label for label in ("all_employees", "procurement", "recruitment_hr", "leadership", "suppliers")
             if any(re.search(AUDIENCE_WORDS[label], p, re.I) for p in passages)]
    plans = ["in_development"] if any(re.search(AUDIENCE_WORDS["in_development"], p, re.I) for p in passages) else []
    return tuple(named + plans + ([] if named else ["not_specified"]))


class AudienceModel(BaseEstimator):
    """Multi-label audience classifier over a document's training passages."""

    def __init__(self, C: float = 2.0, threshold: float = 0.5, min_positives: int = 25) -> None:
        self.C = C
        self.threshold = threshold
        self.min_positives = min_positives  # rarer audiences are decided by the rules alone

    def _text(self, passages: Sequence[str]) -> str:
        text = normalize(" ".join(passages))
        # The rules' answers as tokens, so the model learns how far to trust each.
        return text + " " + " ".join(f"rule_{label}" for label in rule_audiences(passages))

    def fit(self, documents: Sequence[Sequence[str]], Y: np.ndarray) -> AudienceModel:
        """``documents``: each a list of sentences; ``Y``: (n, len(LABELS)) 0/1."""
        texts = [self._text(training_passages(d)) for d in documents]
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
        X = self.vectorizer_.transform([self._text(p) for p in passages])
        P = np.zeros((len(documents), len(LABELS)))
        for j, label in enumerate(LABELS):
            if label in self.classifiers_:
                P[:, j] = self.classifiers_[label].predict_proba(X)[:, 1]
        none = LABELS.index("none")
        for i, p in enumerate(passages):
            if not p:  # nothing about training at all: "No", by the metric's definition
                P[i] = 0.0
                P[i, none] = 1.0
                continue
            ruled = rule_audiences(p)
            for label in self.rule_labels_:
                P[i, LABELS.index(label)] = 1.0 if label in ruled else 0.0
        return P

    def predict(self, documents: Sequence[Sequence[str]]) -> list[tuple[str, ...]]:
        """Labels per document; "none" excludes the others, and at least one label is always given."""
        out = []
        for row in self.predict_proba(documents):
            chosen = [label for label, p in zip(LABELS, row, strict=True) if p >= self.threshold]
            if not chosen:
                chosen = [LABELS[int(np.argmax(row))]]
            if "none" in chosen and len(chosen) > 1:
                chosen = ["none"] if row[LABELS.index("none")] >= max(row[[LABELS.index(c) for c in chosen]]) else \
                    [c for c in chosen if c != "none"]
            out.append(tuple(chosen))
        return out


def audience_evidence(sentences: Sequence[tuple[int, str]], labels: Sequence[str]) -> dict[str, list[tuple[int, str]]]:
    """For each predicted audience, the (page, sentence) training passages that name it."""
    evidence: dict[str, list[tuple[int, str]]] = {}
    for page, text in sentences:
        if not TRAINING.search(text):
            continue
        for label in labels:
            pattern = AUDIENCE_WORDS.get(label)
            if pattern is None or re.search(pattern, text, re.I):
                evidence.setdefault(label, []).append((page, text))
    return {label: found[:3] for label, found in evidence.items()}


# What each audience says about the targeted-training criterion (C18) level.
C18_LEVELS = {"not_specified": 1, "in_development": 1, "all_employees": 2, "procurement": 3, "recruitment_hr": 3,
              "leadership": 3, "suppliers": 3}


def load_audience_model(directory):
    """The trained audience model and its metadata, or None when the directory has none (optional)."""
    import json
    from pathlib import Path

    import joblib

    path = Path(directory) / "model.joblib"
    if not path.is_file():
        return None
    meta = json.loads((Path(directory) / "meta.json").read_text())
    return joblib.load(path), meta
