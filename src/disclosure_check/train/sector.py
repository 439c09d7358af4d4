"""Train ``sector.v6`` (classify/sector.py) on the hand-labelled documents of the named splits
(``TRAIN_SPLITS``: ``dev`` and the retired ``test``, ``test3`` and ``test4``; a blind split is refused).

Each document's self-description (``classify.sector.description``, with the organisation as identity
reads it) is the input; its labelled industry and, for a financial firm, sub-sector the targets.
Stratified 5-fold cross-validation gives out-of-fold probabilities, from which the threshold for
calling a firm financial is chosen (at most ``max_false_financial`` of the non-financial firms called
financial); the model is then fitted on all of them and saved, scikit-learn-free, as the
model set's ``sector`` part (inference.json + inference.npz + meta.json with the figures).
"""

from __future__ import annotations

import hashlib
import io
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from disclosure_check.assess.identity import text_to_identity
from disclosure_check.classify.sector import (
    INDUSTRY_ONLY,
    KEYWORD_CLIP,
    NAME,
    SectorInference,
    description,
    keyword_features,
    sector_terms,
)
from disclosure_check.classify.tfidf import tfidf_from_sklearn
from disclosure_check.files import writing
from disclosure_check.train.documents import (
    TRAINING_SPLITS,
    DocumentLabel,
    label_text,
    labels_of_splits,
    read_labels,
)
from disclosure_check.types import INDUSTRIES, SUBSECTORS

C = 8.0
# The splits the model is trained and cross-validated on, by name: ``test`` was read while tuning in
# rounds 1-2, ``test3`` measured and read in round 3 and ``test4`` in round 4, all retired as held-out sets
# (the shipped sector.v4 was trained before test4 joined; its manifest names the splits it saw).
TRAIN_SPLITS = TRAINING_SPLITS


# sector.v6: the industry model unweighted, C 8 and keyword weight 0.25 (v5: "balanced", 4, 0.5). Balanced class
# weights made the 21 public-sector and 28 technology firms worth 6x a maker, so one "government" or "platform"
# out-voted a dairy's "manufacturing"; statement-grouped 5-fold CV, seeds 0-2, 898 documents: industry right
# 74.6% -> 78.1%, financial recall 87.7% -> 91.3% at 0.97% false, sub-sector 78.1% -> 81.5%.
INDUSTRY_CLASS_WEIGHT: str | None = None
KEYWORD_WEIGHT = 0.25  # the keyword features beside the words


@dataclass(frozen=True)
class Row:
    label: DocumentLabel
    text: str
    sentences: tuple[str, ...]
    keywords: np.ndarray


def rows(labels: Sequence[DocumentLabel], root: str | Path = ".") -> list[Row]:
    out = []
    for label in labels:
        if label.industry not in INDUSTRIES or label.doc_type == "other":
            continue
        raw = label_text(label, root)
        identity = text_to_identity(raw)
        name = identity.organisation or identity.suggestion
        text, sentences = description(raw, name)
        out.append(Row(label, text, tuple(sentences), keyword_features(raw, name)))
    return out


def _fit(found: Sequence[Row], *, financial_threshold: float = 0.5) -> SectorInference:
    from scipy import sparse
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, max_features=30000,
                                 strip_accents="unicode", dtype=np.float64)
    words = vectorizer.fit_transform([r.text for r in found])
    keywords = np.array([r.keywords for r in found])
    mean, scale = keywords.mean(axis=0), keywords.std(axis=0) + 1e-9
    X = sparse.hstack([words, sparse.csr_matrix(np.clip((keywords - mean) / scale, -KEYWORD_CLIP, KEYWORD_CLIP)
                                                * KEYWORD_WEIGHT)]).tocsr()
    industry = LogisticRegression(C=C, max_iter=5000, class_weight=INDUSTRY_CLASS_WEIGHT).fit(
        X, [r.label.industry for r in found])
    financial = [i for i, r in enumerate(found) if r.label.industry == "financial"]
    for_subsector = X.tolil()
    for_subsector[:, X.shape[1] - INDUSTRY_ONLY:] = 0  # financial-or-not evidence: its weights stay 0
    subsector = LogisticRegression(C=C, max_iter=5000, class_weight="balanced").fit(
        for_subsector.tocsr()[financial], [found[i].label.subsector or "" for i in financial])

    def dense(model, classes):
        coef = np.zeros((len(classes), X.shape[1]))
        intercept = np.full(len(classes), -30.0)  # a class never seen in training is never chosen
        for i, label in enumerate(model.classes_):
            j = classes.index(label)
            if model.coef_.shape[0] > 1:
                coef[j], intercept[j] = model.coef_[i], model.intercept_[i]
            else:  # two classes: one row of weights for the second
                sign = 1 if i else -1
                coef[j], intercept[j] = sign * model.coef_[0] / 2, sign * model.intercept_[0] / 2
        return coef, intercept

    industries, subsectors = tuple(INDUSTRIES), (*SUBSECTORS, "")
    ic, ii = dense(industry, industries)
    sc, si = dense(subsector, subsectors)
    return SectorInference(tfidf_from_sklearn(vectorizer), industries, ic, ii, subsectors, sc, si,
                           financial_threshold=financial_threshold, industry_floor=0.0, subsector_floor=0.0,
                           keyword_mean=mean, keyword_scale=scale, keyword_weight=KEYWORD_WEIGHT)


def cross_validate(found: Sequence[Row], folds: int = 5, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Out-of-fold (industry probabilities, sub-sector probabilities) for every row."""
    from sklearn.model_selection import StratifiedKFold

    y = [r.label.industry for r in found]
    industry_p = np.zeros((len(found), len(INDUSTRIES)))
    subsector_p = np.zeros((len(found), len(SUBSECTORS) + 1))
    for train_idx, test_idx in StratifiedKFold(folds, shuffle=True, random_state=seed).split(np.zeros(len(y)), y):
        model = _fit([found[i] for i in train_idx])
        ip, sp = model.probabilities([found[i].text for i in test_idx], np.array([found[i].keywords for i in test_idx]))
        industry_p[test_idx], subsector_p[test_idx] = ip, sp
    return industry_p, subsector_p


def scores(found: Sequence[Row], industry_p: np.ndarray, subsector_p: np.ndarray, threshold: float) -> dict:
    """The issue's figures on these rows: financial recall, non-financial called financial, sub-sector
    right among the financial, general industry right."""
    fin = INDUSTRIES.index("financial")
    called = industry_p[:, fin] >= threshold
    is_fin = np.array([r.label.industry == "financial" for r in found])
    industry = [INDUSTRIES[j] if not called[i] or INDUSTRIES[j] == "financial" else INDUSTRIES[j]
                for i, j in enumerate(np.argmax(np.where(np.arange(len(INDUSTRIES)) == fin, -1, industry_p), axis=1))]
    industry = ["financial" if called[i] else industry[i] for i in range(len(found))]
    subsectors = (*SUBSECTORS, "")
    sub_right = [subsectors[int(np.argmax(subsector_p[i]))] == (r.label.subsector or "")
                 for i, r in enumerate(found) if r.label.industry == "financial" and called[i]]
    return {"documents": len(found), "financial": int(is_fin.sum()),
            "financial_recall": round(float(called[is_fin].mean()), 4) if is_fin.any() else None,
            "non_financial_called_financial": round(float(called[~is_fin].mean()), 4) if (~is_fin).any() else None,
            "subsector_right_of_financial": round(sum(sub_right) / max(int(is_fin.sum()), 1), 4),
            "industry_right": round(float(np.mean([a == r.label.industry for a, r in zip(industry, found, strict=True)])), 4)}


def pick_threshold(found: Sequence[Row], industry_p: np.ndarray, max_false_financial: float) -> float:
    fin = INDUSTRIES.index("financial")
    not_fin = np.array([r.label.industry != "financial" for r in found])
    for threshold in [i / 100 for i in range(20, 100)]:
        if (industry_p[not_fin, fin] >= threshold).mean() <= max_false_financial:
            return threshold
    return 0.99


def train(out: Path, *, root: str | Path = ".", max_false_financial: float = 0.01,
          splits: Sequence[str] = TRAIN_SPLITS) -> dict:
    """Cross-validate on the labels of ``splits``, choose the financial threshold, fit on all of them,
    save to ``out`` (a model set's ``sector`` directory); returns the metadata."""
    labels = labels_of_splits(read_labels(root=root), splits)
    found = rows(labels, root)
    industry_p, subsector_p = cross_validate(found)
    threshold = pick_threshold(found, industry_p, max_false_financial)
    cv = scores(found, industry_p, subsector_p, threshold)
    model = _fit(found, financial_threshold=threshold)
    settings = (json.dumps({"format": 1, "name": NAME, "model": model.settings()}, ensure_ascii=False,
                           separators=(",", ":")) + "\n").encode()
    arrays = io.BytesIO()
    np.savez(arrays, **model.arrays())
    with writing(out):  # a full disk or a folder that cannot be written: one coded error
        out.mkdir(parents=True, exist_ok=True)
        files = {}
        for name, data in (("inference.json", settings), ("inference.npz", arrays.getvalue())):
            (out / name).write_bytes(data)
            files[name] = hashlib.sha256(data).hexdigest()
    digest = hashlib.sha256((files["inference.json"] + files["inference.npz"]).encode()).hexdigest()
    data_hash = hashlib.sha256("\n".join(f"{r.label.name}:{r.label.industry}:{r.label.subsector}"
                                         for r in found).encode()).hexdigest()
    meta = {"name": NAME, "model_version": f"{NAME}+{digest[:12]}", "labels": list(INDUSTRIES),
            "subsectors": [*SUBSECTORS, ""], "files": files, "cv": cv, "financial_threshold": threshold,
            "trained_on": {"labels": "corpus/labels/documents.csv", "splits": list(splits), "documents": len(found),
                           "industries": dict(Counter(r.label.industry for r in found)),
                           "data_sha256": data_hash},
            "sector_terms": sector_terms()["version"]}
    with writing(out):  # a full disk or a folder that cannot be written: one coded error
        (out / "meta.json").write_text(json.dumps(meta, indent=1) + "\n")
    return meta
