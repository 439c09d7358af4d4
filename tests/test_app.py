"""Every dashboard page through Streamlit's AppTest: overview, review (a decision stored and shown),
compare, self-assessment (an upload scored, not stored unless shared), and the staff sign-in."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from conftest import PDF_SAMPLES, ROOT, SAMPLES
from disclosure_check.store import Store

APP = str(ROOT / "app.py")
DOCS = ("lloyds_banking_group_2018", "barclays_2019", "lv_2018", "ao_world_2018")


@pytest.fixture(scope="module")
def scored(scorer):
    return [scorer.score_file(SAMPLES / f"{name}.pdf") for name in DOCS] + [
        scorer.score_file(PDF_SAMPLES / "007-imagemagick-images_imagemagick-images.pdf")]


@pytest.fixture
def db(tmp_path, scored, monkeypatch):
    path = tmp_path / "app.db"
    with Store(path) as store:
        for result in scored:
            store.save(result)
    monkeypatch.setenv("DISCLOSURE_CHECK_DB", str(path))
    monkeypatch.setenv("DISCLOSURE_CHECK_MODEL", str(ROOT / "models/tfidf-logreg.v1"))
    monkeypatch.delenv("DISCLOSURE_CHECK_STAFF_PASSWORD", raising=False)
    monkeypatch.delenv("DISCLOSURE_CHECK_APP_MODE", raising=False)
    return path


def app() -> AppTest:
    return AppTest.from_file(APP, default_timeout=120)


def test_overview_lists_documents_with_levels_and_downloads(db):
    at = app().run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Documents"] == "4" and metrics["Failed to score"] == "1" and metrics["Financial firms"] == "3"
    table = at.dataframe[0].value
    assert set(table["file"]) == {f"{d}.pdf" for d in DOCS}
    assert {"T1_level", "overall_level", "statutory_met"} <= set(table.columns)
    assert [b.label for b in at.get("download_button")] == ["Download CSV"]
    next(b for b in at.button if b.label == "Prepare Excel download").click().run()
    assert [b.label for b in at.get("download_button")] == ["Download CSV", "Download Excel"]
    at.sidebar.multiselect[1].select("bank").run()  # financial sub-sector filter
    assert set(at.dataframe[0].value["subsector"]) == {"bank"}


def test_review_decision_is_stored_and_takes_precedence(db):
    at = app()
    at.run()
    at.switch_page("ui/review.py").run()
    assert not at.exception
    # The queue starts with unreviewed documents; pick Lloyds.
    with Store(db) as store:
        lloyds = next(i["doc_id"] for i in store.results() if i["document"].endswith("lloyds_banking_group_2018.pdf"))
    assert any("lloyds_banking_group_2018.pdf" in o for o in at.selectbox[0].options)
    at.selectbox[0].select(lloyds).run()
    at.text_input(key="reviewer").input("Test Reviewer").run()
    reject = next(b for b in at.button if b.key == f"no-{lloyds[:12]}-element-consultation")
    reject.click().run()
    assert not at.exception
    with Store(db) as store:
        [decision] = store.reviews()
        assert (decision["target_kind"], decision["target_id"], decision["decision"], decision["reviewer"]) == (
            "element", "consultation", "reject", "Test Reviewer")
        item = next(i for i in store.reviewed_results() if i["document"].endswith("lloyds_banking_group_2018.pdf"))
        assert item["reviewed"] and item["elements"]["consultation"]["present"] is False
    assert any("consultation" in (e.label or "").lower() and "reviewed: reject" in e.label for e in at.expander)


def test_level_adjustment_recomputes_theme_and_overall(db):
    with Store(db) as store:
        doc = next(i for i in store.reviewed_results() if i["document"].endswith("lv_2018.pdf"))
        store.add_review(doc["doc_id"], "criterion", "C14", "adjust", reviewer="R", previous_value="0", new_value="4")
        after = next(i for i in store.reviewed_results() if i["doc_id"] == doc["doc_id"])
        assert next(c for c in after["criteria"] if c["id"] == "C14")["level"] == 4
        with pytest.raises(Exception, match="audit trail"):
            store.conn.execute("DELETE FROM reviews")
    at = app().run()
    at.sidebar.radio[0].set_value("reviewed").run()
    assert list(at.dataframe[0].value["file"]) == ["lv_2018.pdf"]


def test_compare_shows_years_and_peers(db):
    at = app()
    at.run()
    at.switch_page("ui/compare.py").run()
    assert not at.exception
    at.selectbox[0].select("Lloyds Banking Group").run()
    assert "peer median (1)" in at.dataframe[1].value.columns  # Barclays is the other bank


def test_self_assessment_scores_an_upload_without_storing_it(db):
    at = app()
    at.run()
    at.switch_page("ui/self_assessment.py").run()
    data = (SAMPLES / "lombard_odier_asset_management.pdf").read_bytes()
    at.file_uploader[0].set_value(("lombard_odier.pdf", data, "application/pdf")).run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Legal requirements met"] == "yes"
    assert any("What to do" in m.value for e in at.expander for m in e.markdown)
    assert [b.label for b in at.get("download_button")] == [
        "Download report (Markdown)", "Download report (HTML)", "Download report (PDF)"]
    with Store(db) as store:
        assert store.table_count("documents") == 5  # nothing added by the upload
    at.checkbox[0].check().run()
    at.button[0].click().run()
    with Store(db) as store:
        shared = [i for i in store.reviewed_results() if i["origin"] == "self-assessment"]
        assert len(shared) == 1


def test_self_assessment_rejects_a_non_pdf(db):
    at = app()
    at.run()
    at.switch_page("ui/self_assessment.py").run()
    at.file_uploader[0].set_value(("fake.pdf", b"hello, not a pdf", "application/pdf")).run()
    assert "not a PDF" in at.error[0].value


def test_staff_pages_need_the_password_and_public_mode_shows_only_self_assessment(db, monkeypatch):
    monkeypatch.setenv("DISCLOSURE_CHECK_STAFF_PASSWORD", "s3cret")
    at = app().run()
    assert at.title[0].value == "Staff sign-in" and not at.metric
    at.text_input[0].input("Dana")
    at.text_input[1].input("wrong")
    at.button[0].click().run()
    assert "Wrong password" in at.error[0].value
    at.text_input[1].input("s3cret")
    at.button[0].click().run()
    assert at.title[0].value == "Overview"
    monkeypatch.setenv("DISCLOSURE_CHECK_APP_MODE", "public")
    public = app().run()
    assert public.title[0].value == "Check your modern slavery statement"
