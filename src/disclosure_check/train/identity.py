"""Train the organisation ranker (``assess.identity.Ranker``) on labelled statements.

Each statement of the training splits (``TRAINING_SPLITS`` of corpus/labels/documents.csv) gives its candidate names
(``organisation_candidates``); a candidate is right when it is the labelled organisation or one of
its aliases (``same_organisation``). Gradient-boosted trees over the candidates' features learn
which is the maker. Document-grouped cross-validation picks the threshold below which no name is
given: the lowest at which at most ``max_wrong`` of the statements get a wrong name. The model ships
as a small JSON in the package (weights, bias, threshold and the cross-validated figures).
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from disclosure_check.assess.identity import (
    IDENTITY_CHARS,
    TAIL_CHARS,
    Candidate,
    Ranker,
    best_candidate,
    mentioned_in_passing,
    organisation_candidates,
    organisation_key,
    ranker_from_data,
    same_organisation,
)
from disclosure_check.files import write_text
from disclosure_check.train.documents import (
    TRAINING_SPLITS,
    DocumentLabel,
    label_text,
    labels_of_splits,
    read_labels,
)

VERSION = "organisation-ranker.v4"  # v2: rival-relative features, commitment and registration-number candidates; v3: dev+test, "(X, we)" and "constitutes" candidates, parent and signer cues, rival discount; v4: dev+test+test3+test4, mentions counted across "and"/initials, the name as a sentence's subject ("acts"), "steps taken by X"/"X has taken the following steps", trading names as aliases, a parent's own definition after "division of"
# The splits the ranker is trained and cross-validated on, named (never "everything but ..."): a blind
# split added to documents.csv later must stay out of training until it has been measured.
# How much the likeliest rival organisation lowers the best candidate's score (``best_candidate``): 0.3 was
# as good as none in cross-validation (round 4: 85% vs 84% named at 0.25% wrong; 0.5 and more named fewer)
# and keeps a fund report's management company from being named beside the fund that defines itself.
RIVAL_WEIGHT = 0.3


def training_labels(labels: Sequence[DocumentLabel]) -> list[DocumentLabel]:
    """The statements of ``TRAINING_SPLITS`` only."""
    return [label for label in labels_of_splits(labels, TRAINING_SPLITS) if label.doc_type == "statement"]


def identity_head(text: str) -> str:
    """What identity reads of a text: its head and, for a long one, its tail (``text_to_identity``)."""
    text = unicodedata.normalize("NFKC", text) if not text.isascii() else text
    return text if len(text) <= IDENTITY_CHARS else text[:IDENTITY_CHARS] + "\n" + text[-TAIL_CHARS:]


def is_labelled_name(name: str, label: DocumentLabel) -> bool:
    if label.organisation == "unknown":
        return False
    return any(same_organisation(name, known) or organisation_key(name) == organisation_key(known)
               for known in (label.organisation, *label.aliases))


@dataclass(frozen=True)
class Example:
    label: DocumentLabel
    candidates: tuple[Candidate, ...]
    right: tuple[bool, ...]


def examples(labels: Sequence[DocumentLabel], root: str | Path = ".") -> list[Example]:
    out = []
    for label in labels:
        found = tuple(organisation_candidates(identity_head(label_text(label, root))))
        out.append(Example(label, found, tuple(is_labelled_name(c.name, label) for c in found)))
    return out


def _matrix(found: Sequence[Example], names: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    rows, ys = [], []
    for example in found:
        for candidate, right in zip(example.candidates, example.right, strict=True):
            rows.append([candidate.features.get(n, 0.0) for n in names])
            ys.append(int(right))
    return np.array(rows, dtype=float), np.array(ys)


def fit(found: Sequence[Example], names: Sequence[str], *, threshold: float = 0.5) -> Ranker:
    """Gradient-boosted trees (scikit-learn, at training only), exported as the ranker scoring reads."""
    from sklearn.ensemble import GradientBoostingClassifier

    X, y = _matrix(found, names)
    model = GradientBoostingClassifier(n_estimators=150, max_depth=3, learning_rate=0.05, subsample=0.8,
                                       random_state=0).fit(X, y)
    prior = y.mean()
    data = {"features": list(names), "learning_rate": model.learning_rate, "threshold": threshold, "rival_weight": RIVAL_WEIGHT,
            "init": float(np.log(prior / (1 - prior))), "trees": [_tree(est[0].tree_) for est in model.estimators_]}
    ranker = ranker_from_data(data)
    check = [ranker.probability(dict(zip(names, row, strict=True))) for row in X[:50]]
    assert np.allclose(check, model.predict_proba(X[:50])[:, 1], atol=1e-6), "the exported trees must score as trained"
    return ranker


def _tree(tree) -> dict:
    leaf = tree.children_left == -1
    return {"feature": [int(f) if not is_leaf else -1 for f, is_leaf in zip(tree.feature, leaf, strict=True)],
            "threshold": [round(float(v), 6) for v in tree.threshold], "left": tree.children_left.tolist(),
            "right": tree.children_right.tolist(), "value": [float(v) for v in tree.value[:, 0, 0]]}


def choose(example: Example, ranker: Ranker) -> tuple[float, bool | None]:
    """(probability of the best candidate, whether it is right); (0, None) without candidates."""
    if not example.candidates:
        return 0.0, None
    probability, best = best_candidate(list(example.candidates), ranker)
    if mentioned_in_passing(best.features):
        return 0.0, None  # never named, as ``read_organisation`` decides
    return probability, example.right[example.candidates.index(best)]


def cross_validate(found: Sequence[Example], names: Sequence[str], folds: int = 5,
                   repeats: int = 3) -> list[tuple[float, bool | None]]:
    """Each statement's pick by a ranker that did not see it, for ``repeats`` different fold splits one
    after another (``len(found) * repeats`` picks): one split's handful of confident errors moves the
    threshold a lot, the pooled splits much less."""
    picks: list[tuple[float, bool | None]] = []
    for repeat in range(repeats):
        order = np.random.RandomState(repeat).permutation(len(found)) if repeat else np.arange(len(found))
        fold_of = {int(index): position % folds for position, index in enumerate(order)}
        split: list[tuple[float, bool | None]] = [(0.0, None)] * len(found)
        for fold in range(folds):
            ranker = fit([e for i, e in enumerate(found) if fold_of[i] != fold], names)
            for i, example in enumerate(found):
                if fold_of[i] == fold:
                    split[i] = choose(example, ranker)
        picks.extend(split)
    return picks


def rates(picks: Sequence[tuple[float, bool | None]], stated: Sequence[bool], threshold: float) -> dict:
    named_right = sum(1 for (p, ok), s in zip(picks, stated, strict=True) if ok and p >= threshold)
    wrong = sum(1 for p, ok in picks if ok is False and p >= threshold) + sum(
        1 for (p, ok), s in zip(picks, stated, strict=True) if ok is None and p >= threshold and p > 0)
    n_stated = max(sum(stated), 1)
    return {"named_right": named_right / n_stated, "wrong": wrong / max(len(picks), 1), "statements": len(picks),
            "stating_their_entity": sum(stated)}


def pick_threshold(picks: Sequence[tuple[float, bool | None]], stated: Sequence[bool], max_wrong: float) -> float:
    for threshold in [i / 100 for i in range(5, 100)]:
        if rates(picks, stated, threshold)["wrong"] <= max_wrong:
            return threshold
    return 0.99


def train(out: Path, *, root: str | Path = ".", max_wrong: float = 0.01) -> dict:
    """Fit on the training splits' statements, cross-validate, choose the threshold, write ``out``."""
    from disclosure_check.assess.identity import KIND_FEATURES

    labels = training_labels(read_labels(root=root))
    found = examples(labels, root)
    names = sorted({*KIND_FEATURES, *(n for e in found for c in e.candidates for n in c.features)})
    stated = [e.label.organisation != "unknown" for e in found]
    picks = cross_validate(found, names)
    stated = stated * (len(picks) // len(stated))  # the pooled repeats
    threshold = pick_threshold(picks, stated, max_wrong)
    cv = {**rates(picks, stated, threshold), "statements": len(found), "stating_their_entity": sum(stated[:len(found)]),
          "repeats": len(picks) // max(len(found), 1)}  # the rates are over every repeat's picks
    ranker = fit(found, names, threshold=threshold)
    data_hash = hashlib.sha256("\n".join(f"{e.label.name}:{e.label.organisation}" for e in found).encode()).hexdigest()
    model = {"version": VERSION, "features": list(ranker.features), "init": ranker.init, "rival_weight": ranker.rival_weight,
             "learning_rate": ranker.learning_rate, "threshold": threshold,
             "trees": [{"feature": list(t.feature), "threshold": list(t.threshold), "left": list(t.left),
                        "right": list(t.right), "value": [round(v, 6) for v in t.value]} for t in ranker.trees],
             "cv": {k: round(v, 4) if isinstance(v, float) else v for k, v in cv.items()},
             "trained_on": {"labels": "corpus/labels/documents.csv", "splits": list(TRAINING_SPLITS), "statements": len(found),
                            "data_sha256": data_hash}}
    write_text(out, json.dumps(model, indent=1, sort_keys=True) + "\n")
    return model
