"""The dashboard (minimal until the review-dashboard issue): it reads the store the CLI writes."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from conftest import ROOT, SAMPLES
from disclosure_check.store import Store


@pytest.fixture
def db_with_results(tmp_path, scorer, monkeypatch):
    path = tmp_path / "app.db"
    with Store(path) as store:
        store.save(scorer.score_file(SAMPLES / "lv_2018.pdf"))
        store.save(scorer.score_file(ROOT / "tests/fixtures/pdf_samples/007-imagemagick-images_imagemagick-images.pdf"))
    monkeypatch.setenv("DISCLOSURE_CHECK_DB", str(path))
    return path


def test_app_lists_stored_results_with_evidence(db_with_results):
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not app.exception
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Documents scored"] == "1" and metrics["Failed"] == "1"
    assert "lv_2018.pdf" in app.dataframe[0].value["file"].tolist()
    assert app.selectbox[0].value.endswith("lv_2018.pdf")
    approval = next(e for e in app.expander if e.label.startswith("Approval by the principal governing body"))
    assert "found" in approval.label
    assert any("approved by the Board of Liverpool Victoria" in m.value for m in approval.markdown)
    assert any("page 2 · implemented · tfidf-logreg.v1" in c.value for c in approval.caption)


def test_app_explains_an_empty_database(tmp_path, monkeypatch):
    monkeypatch.setenv("DISCLOSURE_CHECK_DB", str(tmp_path / "empty.db"))
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not app.exception
    assert "No results" in app.info[0].value
