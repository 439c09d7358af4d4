"""The shipped model artefact, training on real labelled data, and loading errors."""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest

from conftest import AIMS, ROOT
from disclosure_check.classify.artifact import load_model
from disclosure_check.classify.context import build_contexts
from disclosure_check.classify.modelset import write_manifest
from disclosure_check.errors import DataError, ModelError
from disclosure_check.rubric import ELEMENT_IDS
from disclosure_check.train.corpus import data_hash, read_labelled
from disclosure_check.train.sentences import train

pytestmark = pytest.mark.slow  # AppTest sessions, worker processes, clusters or training: `make test` runs them, `make check` does not

MODEL_DIR = ROOT / "models" / "default" / "sentence"
CORPUS = [AIMS / "aims_au_sentences.csv", AIMS / "aims_ca_sentences.csv"]


def test_shipped_model_metadata_describes_it(bundle):
    meta = bundle.meta
    assert meta["labels"] == list(ELEMENT_IDS)
    assert meta["data_sha256"] == data_hash(CORPUS), "model was not trained on the corpus in this repo"
    assert set(meta["libraries"]) >= {"python", "scikit-learn", "numpy", "spacy"}
    assert bundle.version.startswith("tfidf-logreg.v1+")
    metrics = json.loads((MODEL_DIR / "metrics.json").read_text())
    assert {k: v for k, v in metrics.items() if k != "folds"} == meta["cv"]
    assert set(metrics["criteria"]) == {
        "Approval", "Signature", "C1 (reporting entity)", "C2 (structure)", "C2 (operations)",
        "C2 (supply chains)", "C3 (risk description)", "C4 (risk mitigation)", "C4 (remediation)",
        "C5 (effectiveness)", "C6 (consultation)"}
    assert set(bundle.thresholds) == set(ELEMENT_IDS)


def test_shipped_model_separates_real_sentences(bundle, rubric):
    from disclosure_check.classify.rules import RuleClassifier

    # Real sentences from the Lloyds Banking Group 2018 statement (corpus/uk_texts), one per element.
    cases = {
        "operations": "Our main business activities are retail and commercial banking, general insurance and "
                      "long-term savings, provided under well recognised brands including Lloyds Bank, Halifax, "
                      "Bank of Scotland, MBNA and Scottish Widows.",
        "supply_chains": "Our active supply base comprises approximately 3,500 suppliers, the majority of which "
                         "are in professional services sectors.",
        "structure": "We employ approximately 65,000 employees (on a full-time equivalent basis), of whom 99 per "
                     "cent work in the UK.",
    }
    texts = list(cases.values())
    flags = [m.flags for m in RuleClassifier(rubric).match(texts)]
    probs = bundle.model.predict_proba(build_contexts(texts, None, flags))
    labels = list(bundle.model.labels)
    for row, element in enumerate(cases):
        decided = {label for j, label in enumerate(labels) if probs[row, j] >= bundle.thresholds[label]}
        assert decided == {element}, (element, decided)


def test_canadian_unused_labels_are_unlabelled_not_negative(rubric):
    data = read_labelled(CORPUS, rubric)
    canadian = (data.frame["source"] == "aims_ca_sentences.csv").to_numpy()
    c1 = list(data.labels).index("reporting_entity")
    c6 = list(data.labels).index("consultation")
    assert (data.Y[canadian, c1] == -1).all() and (data.Y[canadian, c6] == -1).all()
    assert (data.Y[~canadian, c1] >= 0).all()
    assert data.frame["group"].nunique() == 100


def test_training_on_real_statements_saves_a_loadable_model(tmp_path, rubric):
    frame = pd.read_csv(CORPUS[0])
    keep = frame["statement_id"].drop_duplicates().head(12)
    subset = tmp_path / "subset.csv"
    frame[frame["statement_id"].isin(keep)].to_csv(subset, index=False)
    result = train([subset], rubric, tmp_path / "model", folds=3, inner_folds=2)
    loaded = load_model(tmp_path / "model")
    assert loaded.version == result.bundle.version
    assert loaded.meta["statements"] if "statements" in loaded.meta else loaded.meta["cv"]["statements"] == 12
    assert 0.0 <= result.metrics["macro_f1"] <= 1.0
    assert "statement-grouped 3-fold" in result.metrics["evaluation"]
    quotes = result.metrics["quotes"]  # what a reviewer is shown, measured with the macro F1
    assert quotes["top"] == 5 and quotes["shown"] >= quotes["right"] > 0 and 0 < quotes["coverage"] <= 1
    # The section smoothing weights are chosen like the thresholds: per fold on its inner CV, and
    # for the saved model on all out-of-fold scores; the inference form carries them to scoring.
    assert set(loaded.meta["section_smoothing"]) == set(loaded.model.labels)
    assert all(w in (0.0, 0.1, 0.2, 0.3, 0.4) for w in loaded.meta["section_smoothing"].values())
    # the inference form keeps only the weights that smooth (a zero weight changes nothing), so a model trained
    # without smoothing reads exactly as one saved before smoothing existed
    assert loaded.model.section_smoothing == {k: w for k, w in loaded.meta["section_smoothing"].items() if w}
    assert all(set(fold["section_smoothing"]) == set(loaded.model.labels) for fold in result.metrics["folds"])


def test_model_loading_errors(tmp_path):
    with pytest.raises(ModelError, match="no trained model"):
        load_model(tmp_path)
    copy = tmp_path / "copy"
    shutil.copytree(MODEL_DIR, copy)
    meta = json.loads((copy / "meta.json").read_text())
    meta["libraries"]["scikit-learn"] = "0.1.0"
    (copy / "meta.json").write_text(json.dumps(meta))
    assert load_model(copy).version == meta["model_version"]  # the inference form needs no scikit-learn
    (copy / "inference.json").unlink()
    with pytest.raises(ModelError, match="inference form incomplete: inference.json is missing.*write-inference"):
        load_model(copy)
    (copy / "inference.npz").unlink()
    with pytest.raises(ModelError, match="trained with scikit-learn 0.1.0"):
        load_model(copy)  # without the inference form it falls back to the joblib, which does
    shutil.copy(MODEL_DIR / "meta.json", copy / "meta.json")
    with (copy / "model.joblib").open("ab") as handle:
        handle.write(b"tampered")
    with pytest.raises(ModelError, match="does not match its metadata hash"):
        load_model(copy)


def test_labelled_file_errors(tmp_path, rubric):
    bad = tmp_path / "bad.csv"
    bad.write_text("statement_id,sentence\n1,hello\n")
    with pytest.raises(DataError, match="missing column"):
        read_labelled([bad], rubric)
    nolabels = tmp_path / "nolabels.csv"
    nolabels.write_text("statement_id,sentence_index,sentence\n1,0,hello\n")
    with pytest.raises(DataError, match="no label columns"):
        read_labelled([nolabels], rubric)


def test_evaluate_on_a_held_out_fold_reproduces_the_recorded_metrics(tmp_path, rubric, bundle):
    """Refit fold 0's model from the recorded split and thresholds; `evaluate` on its held-out
    Australian statements must give exactly the metrics recorded at training time."""
    from click.testing import CliRunner

    from disclosure_check.classify.artifact import save_model
    from disclosure_check.classify.ml import SentenceModel
    from disclosure_check.classify.rules import RuleClassifier
    from disclosure_check.cli import main
    from disclosure_check.train.sentences import corpus_contexts

    metrics = json.loads((MODEL_DIR / "metrics.json").read_text())
    fold = metrics["folds"][0]
    held_out = set(fold["statements"])
    data = read_labelled(CORPUS, rubric)
    contexts = corpus_contexts(data, RuleClassifier(rubric))
    train_rows = [i for i, g in enumerate(data.frame["group"]) if g not in held_out]
    params = {**bundle.meta["params"], "labels": tuple(bundle.meta["labels"])}
    params["flags"] = tuple(params["flags"])
    model = SentenceModel(**params).fit([contexts[i] for i in train_rows], data.Y[train_rows])
    model.section_smoothing_ = fold.get("section_smoothing", {})  # the second stage chosen for this fold
    save_model(model, fold["thresholds"], tmp_path / "fold0" / "sentence", meta={"name": "tfidf-logreg.v1"})
    shutil.copytree(MODEL_DIR.parent / "audiences", tmp_path / "fold0" / "audiences")
    shutil.copytree(MODEL_DIR.parent / "sector", tmp_path / "fold0" / "sector")
    write_manifest(tmp_path / "fold0")  # `--model` names a model set

    frame = pd.read_csv(CORPUS[0])
    held = frame[("aims_au_sentences:" + frame["statement_id"].astype(str)).isin(held_out)]
    assert held["statement_id"].nunique() >= 8
    labels = tmp_path / "fold0_au.csv"
    held.to_csv(labels, index=False)
    result = CliRunner().invoke(main, ["evaluate", str(labels), "--json", "--model", str(tmp_path / "fold0")])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    recorded = fold["aims_au_sentences.csv"]
    assert report["macro_f1"] == pytest.approx(recorded["macro_f1"], abs=1e-4)
    for label, values in recorded["criteria"].items():
        for key in ("precision", "recall", "f1", "support"):
            assert report["criteria"][label][key] == pytest.approx(values[key], abs=1e-4), (label, key)


def test_quote_metrics_count_the_top_five_accepted_sentences_strongest_first(rubric):
    """Two statements, one element: the first shows six accepted sentences of which only the top
    five count (the weakest, a right one, is not shown); the second shows none although it has a
    labelled sentence, so it is not covered."""
    import numpy as np

    from disclosure_check.train.metrics import quote_metrics

    labels = ("reporting_entity",)
    Y = np.array([[1], [0], [1], [0], [1], [1], [0], [1]])
    P = np.array([[0.9], [0.8], [0.7], [0.6], [0.55], [0.52], [0.3], [0.2]])
    D = np.array([[True]] * 6 + [[False]] * 2)
    statements = [np.arange(6), np.arange(6, 8)]
    out = quote_metrics(Y, P, D, statements, labels, rubric)
    assert (out["right"], out["shown"], out["precision"]) == (3, 5, 0.6)
    assert (out["statements_elements"], out["with_a_right_quote"], out["coverage"]) == (2, 1, 0.5)
    assert out["elements"]["C1 (reporting entity)"]["shown"] == 5
    cut = quote_metrics(Y, P, D, statements, labels, rubric, cut=0.75)  # show fewer when unsure
    assert (cut["right"], cut["shown"], cut["coverage"]) == (1, 2, 0.5)
