"""Who receives modern slavery training: the WikiRate / Walk Free "MSA training (revised)" answers
as stable labels, the passages a statement's answer is read from, the metric's definitions as
rules, and how probabilities become labels.

Shared by the trained model (``audiences.v1``, classify/audiences.py, scikit-learn) and its
inference form (classify/inference.py, numpy only), so both decide the same way.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from disclosure_check.classify.normalize import normalize
from disclosure_check.types import TRAINING_AUDIENCES

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
assert LABELS == TRAINING_AUDIENCES, "the audiences' ids are the vocabulary rubrics name (types.TRAINING_AUDIENCES)"
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


def audience_text(passages: Sequence[str]) -> str:
    """What the model reads: the normalised passages, then the rules' answers as tokens, so the
    model learns how far to trust each."""
    text = normalize(" ".join(passages))
    return text + " " + " ".join(f"rule_{label}" for label in rule_audiences(passages))


def apply_rules(P: np.ndarray, passages: Sequence[Sequence[str]], rule_labels: Sequence[str]) -> np.ndarray:
    """Overwrite the model's probabilities (in place) where the metric's definitions decide: a
    document without a training passage is "none" alone; ``rule_labels`` (too rare to learn) are
    1 or 0 by the rules."""
    none = LABELS.index("none")
    for i, p in enumerate(passages):
        if not p:  # nothing about training at all: "No", by the metric's definition
            P[i] = 0.0
            P[i, none] = 1.0
            continue
        ruled = rule_audiences(p)
        for label in rule_labels:
            P[i, LABELS.index(label)] = 1.0 if label in ruled else 0.0
    return P


def choose_audiences(P: np.ndarray, threshold: float) -> list[tuple[str, ...]]:
    """Labels per document; "none" excludes the others, and at least one label is always given."""
    out = []
    for row in P:
        chosen = [label for label, p in zip(LABELS, row, strict=True) if p >= threshold]
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

