"""The inference form of the shipped models (what scoring loads: no pickle, no scikit-learn) against
the scikit-learn models they were exported from: same features, probabilities, decisions,
explanations and audience labels on the real labelled corpora; tampering caught; export
reproducible; scoring never imports scikit-learn."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import joblib
import numpy as np
import pytest
from click.testing import CliRunner
from sklearn.feature_extraction.text import TfidfVectorizer

from conftest import AIMS, ROOT, SAMPLES
from disclosure_check.classify.artifact import load_audience_model, load_model
from disclosure_check.classify.rules import RuleClassifier
from disclosure_check.classify.tfidf import tfidf_from_sklearn
from disclosure_check.cli import main
from disclosure_check.errors import ModelError
from disclosure_check.train.audiences import load_wikirate
from disclosure_check.train.corpus import read_labelled
from disclosure_check.train.sentences import corpus_contexts

MODEL_DIR = ROOT / "models" / "default" / "sentence"
AUDIENCE_DIR = ROOT / "models" / "default" / "audiences"
WIKIRATE = ROOT / "corpus/wikirate/msa_training_labels_with_text.csv"


@pytest.fixture(scope="module")
def trained():
    """The training artefact itself: the fitted scikit-learn SentenceModel and its thresholds."""
    return joblib.load(MODEL_DIR / "model.joblib")


def same_matrix(a, b) -> bool:
    return (a.shape == b.shape and a.dtype == b.dtype and np.array_equal(a.indptr, b.indptr)
            and np.array_equal(a.indices, b.indices) and np.array_equal(a.data, b.data))


def original_explanation(model, names, X_row, label: str, k: int = 4) -> str:
    """SentenceModel.explain as it was written before the inference form existed, on the
    scikit-learn model's own feature ``names`` and coefficients."""
    from scipy import sparse

    clf = model.classifiers_.get(label)
    if clf is None:
        return ""
    contributions = sparse.csr_matrix(X_row).multiply(clf.coef_[0]).tocsr()
    ranked = [(contributions.data[i], names[contributions.indices[i]])
              for i in np.argsort(contributions.data)[::-1]
              if contributions.data[i] > 0 and not names[contributions.indices[i]].startswith("char:")]
    return "features: " + ", ".join(f"{name} ({value:+.2f})" for value, name in ranked[:k]) if ranked else ""


@pytest.mark.slow
@pytest.mark.parametrize("corpus", ["aims_au_sentences.csv", "aims_ca_sentences.csv"])
def test_sentence_model_inference_form_matches_scikit_learn(corpus, trained, bundle, rubric):
    """Every sentence of the labelled corpus, in its statement's context as `evaluate` builds it."""
    data = read_labelled([AIMS / corpus], rubric, unused_as_unlabelled=False)
    contexts = corpus_contexts(data, RuleClassifier(rubric))
    sklearn_model, form = trained["model"], bundle.model
    X_sklearn = sklearn_model.featurizer_.transform(contexts)
    X = form.features(contexts)
    assert same_matrix(X, X_sklearn)

    P_sklearn = sklearn_model.proba_from_features(X_sklearn)
    P = form.proba_from_features(X)
    assert P.shape == (len(contexts), len(sklearn_model.labels)) and form.labels == sklearn_model.labels
    assert np.abs(P - P_sklearn).max() < 1e-6
    assert bundle.thresholds == trained["thresholds"]
    thresholds = np.array([trained["thresholds"][label] for label in form.labels])
    decided = thresholds <= P
    assert (decided == (thresholds <= P_sklearn)).all()

    names = sklearn_model.featurizer_.feature_names()
    rows = np.random.default_rng(0).choice(len(contexts), 40, replace=False)
    accepted = np.flatnonzero(decided.any(axis=1))[:40]  # the rows scoring explains
    for row in map(int, np.concatenate([rows, accepted])):
        for label in form.labels:
            expected = original_explanation(sklearn_model, names, X_sklearn[row], label)
            assert form.explain(X[row], label) == expected == sklearn_model.explain(X_sklearn[row], label)
            assert form.explain_row(X, row, label) == expected  # what scoring calls


@pytest.mark.slow
def test_audience_model_inference_form_matches_scikit_learn():
    documents, _, _ = load_wikirate(WIKIRATE)
    sklearn_model = joblib.load(AUDIENCE_DIR / "model.joblib")
    form, meta = load_audience_model(AUDIENCE_DIR)
    assert meta["model_version"].startswith("audiences.v1+")
    assert np.abs(form.predict_proba(documents) - sklearn_model.predict_proba(documents)).max() < 1e-6
    assert form.predict(documents) == sklearn_model.predict(documents)


@pytest.mark.parametrize("settings", [
    {"ngram_range": (1, 2), "strip_accents": "unicode", "token_pattern": r"(?u)\b\w[\w'-]*\b", "dtype": np.float32},
    {"analyzer": "char_wb", "ngram_range": (3, 5), "strip_accents": "unicode", "dtype": np.float32},
    {"ngram_range": (1, 3), "lowercase": False, "sublinear_tf": False, "norm": None},
    {"analyzer": "char_wb", "ngram_range": (2, 4), "token_pattern": None},
])
def test_tfidf_matches_scikit_learn_on_awkward_text(settings):
    """Accents, unicode spaces, short words, apostrophes, empty and unseen text."""
    train = ["Café owners' co-operative réviews the Modern Slavery Act", "We audit 3 suppliers; we audit them again",
             "Naïve  résumé\u00a0screening\tat\u2003the board", "a b c a b c", "Ünïcödé ÜNÏCÖDÉ ﬁle ﬂow",
             "the board approved the statement", "The Board approved it", "x"]
    options = {"sublinear_tf": True, "min_df": 1, **settings}
    vectorizer = TfidfVectorizer(**options).fit(train)
    texts = train + ["", "   ", "unseen words only", "Ångström a\u2028b café's", "approved approved approved"]
    form = tfidf_from_sklearn(vectorizer)
    assert same_matrix(form.transform(texts), vectorizer.transform(texts))
    assert same_matrix(form.transform(texts[::-1]), vectorizer.transform(texts[::-1]))  # char_wb: words seen before


def test_unsupported_tfidf_settings_are_refused():
    vectorizer = TfidfVectorizer(stop_words="english").fit(["the board approved it", "we audit suppliers"])
    with pytest.raises(ValueError, match="stop_words='english' is not supported"):
        tfidf_from_sklearn(vectorizer)


@pytest.mark.parametrize("name", ["inference.npz", "inference.json"])
def test_tampered_inference_file_is_refused(tmp_path, name):
    for source, load in ((MODEL_DIR, load_model), (AUDIENCE_DIR, load_audience_model)):
        copy = tmp_path / source.name
        shutil.copytree(source, copy)
        with (copy / name).open("ab") as handle:
            handle.write(b"tampered")
        with pytest.raises(ModelError, match=f"{name} does not match its metadata hash"):
            load(copy)


def test_inference_form_without_recorded_hashes_is_refused(tmp_path):
    copy = tmp_path / "model"
    shutil.copytree(MODEL_DIR, copy)
    meta = json.loads((copy / "meta.json").read_text())
    del meta["files"]
    (copy / "meta.json").write_text(json.dumps(meta))
    with pytest.raises(ModelError, match="records no hash for inference.json.*write-inference"):
        load_model(copy)


def test_inference_form_of_another_format_is_refused(tmp_path):
    """Hashes that match but a format this version does not read (a newer export, or an edit)."""
    import hashlib

    copy = tmp_path / "model"
    shutil.copytree(AUDIENCE_DIR, copy)
    document = json.loads((copy / "inference.json").read_text())
    document["format"] = 99
    (copy / "inference.json").write_text(json.dumps(document))
    meta = json.loads((copy / "meta.json").read_text())
    meta["files"]["inference.json"] = hashlib.sha256((copy / "inference.json").read_bytes()).hexdigest()
    (copy / "meta.json").write_text(json.dumps(meta))
    with pytest.raises(ModelError, match="format 99, expected 'audiences.v1' format 1"):
        load_audience_model(copy)


@pytest.mark.slow
def test_write_inference_reproduces_the_shipped_files_without_changing_the_version(tmp_path):
    """The shipped inference form is exactly what the export makes of the shipped joblib."""
    dirs = []
    for source in (MODEL_DIR, AUDIENCE_DIR):
        copy = tmp_path / source.name
        shutil.copytree(source, copy)
        (copy / "inference.json").unlink()
        (copy / "inference.npz").unlink()
        dirs.append(copy)
    assert load_audience_model(dirs[1])[0].predict([["We train all employees on modern slavery."]])  # joblib fallback
    result = CliRunner().invoke(main, ["write-inference", *map(str, dirs)])
    assert result.exit_code == 0, result.output
    for source, copy in zip((MODEL_DIR, AUDIENCE_DIR), dirs, strict=True):
        shipped = json.loads((source / "meta.json").read_text())
        assert f"Wrote the inference form of {shipped['model_version']} to {copy}" in result.output
        assert json.loads((copy / "meta.json").read_text()) == shipped
        for name in ("inference.json", "inference.npz", "model.joblib"):
            assert (copy / name).read_bytes() == (source / name).read_bytes(), name


def test_write_inference_errors(tmp_path):
    result = CliRunner().invoke(main, ["write-inference", str(tmp_path)])
    assert result.exit_code == 2
    assert "no model.joblib to export from" in result.output


@pytest.mark.slow
def test_scoring_imports_neither_scikit_learn_nor_pandas():
    """A fresh process: the CLI, the shipped models loaded, one sample PDF scored. Nor spaCy's
    command-line interface (typer, weasel, httpx, rich), nor psycopg on SQLite, nor the numpy modules
    SciPy's array-API layer would import (classify/sparse.py): start-up time; and ``spacy.cli`` and
    the array-API namespace's ``ma`` still import when asked for."""
    unwanted = ('sklearn', 'pandas', 'joblib', 'spacy.cli', 'weasel', 'typer', 'httpx', 'rich', 'psycopg',
                'numpy.f2py', 'numpy.ma', 'numpy.testing', 'charset_normalizer')
    script = (
        "import sys\n"
        "from disclosure_check.cli import main\n"
        f"try:\n    main(['score', {str(SAMPLES / 'lv_2018.pdf')!r}, '--db', ':memory:', '-q'])\n"
        "except SystemExit as exc:\n    assert exc.code == 0, exc.code\n"
        f"print(sorted(m for m in {unwanted!r} if m in sys.modules))\n"
        "import spacy, spacy.cli\n"
        "print(callable(spacy.cli.info), callable(spacy.info))\n"
        "import numpy, scipy._lib.array_api_compat.numpy as xp\n"
        "print(xp.ma is numpy.ma, xp.f2py is numpy.f2py, hasattr(xp, 'no_such_name'))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines() == ["[]", "True True", "True True False"]


def test_sparse_import_leaves_numpy_as_it_was():
    """classify/sparse.py hides numpy's lazy modules from SciPy only while SciPy imports."""
    import numpy

    from disclosure_check.classify.sparse import HEAVY, import_sparse

    assert import_sparse().csr_matrix is not None
    assert set(HEAVY) <= set(numpy.__all__) and set(HEAVY) <= set(dir(numpy))
