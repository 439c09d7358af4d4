"""The overview, keyword search, failures and Compare pages through Streamlit's AppTest, on the
bundled samples: figures from the reviewed SQL rows, views, downloads, click-through to review,
search counts, retry of a failure, and Compare's named peers (one row per firm, no 'nan')."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from app_support import database_with, ok, opened
from conftest import PDF_SAMPLES
from disclosure_check.store.store import Store
from disclosure_check.types import Assessment

pytestmark = pytest.mark.slow  # AppTest sessions, worker processes, clusters or training: `make test` runs them, `make check` does not

DOCS = ("lloyds_banking_group_2018", "barclays_2019", "cooperative_bank_2018", "lv_2018", "ao_world_2018",
        "munich_re_2018")
FAILING = "007-imagemagick-images_imagemagick-images.pdf"


@pytest.fixture(scope="module")
def scored(scored_sample, scorer, tmp_path_factory):
    folder = tmp_path_factory.mktemp("inbox")
    shutil.copy(PDF_SAMPLES / FAILING, folder / FAILING)  # a failure whose file can be deleted
    return [scored_sample(name) for name in DOCS] + [scorer.score_file(folder / FAILING)]


@pytest.fixture
def db(tmp_path, scored, monkeypatch):
    return database_with(monkeypatch, tmp_path / "app.db", scored)



def doc(scored, name: str) -> Assessment:
    return next(r for r in scored if r.path.endswith(f"{name}.pdf"))


def test_overview_figures_follow_reviewed_values(db, scored):
    at = opened()
    metrics = {m.label: m.value for m in at.metric}
    assessments = [r for r in scored if isinstance(r, Assessment)]
    not_met = sum(r.maturity.statutory_state == "not_met" for r in assessments)
    assert metrics["Documents"] == "6" and metrics["Failed to score"] == "1"
    assert metrics["Statutory failures"] == str(not_met) == "0"  # the machine alone never says "not met"
    review = sum(r.maturity.statutory_state in ("not_found", "not_explicit") for r in assessments)
    assert metrics["Needs review"] == str(review)
    financial = [r for r in assessments if r.maturity.profile.financial]
    levers = sum(any(c.applies and c.level >= 2 for c in r.maturity.criteria if c.id in ("C10", "C11", "C14"))
                 for r in financial)
    assert metrics["Lending/investment"] == f"{levers} of {len(financial)}"  # at least one lever, as the rubric says
    assert any("at least one of" in c.value and "C10 Lending" in c.value for c in at.caption)
    table = at.dataframe[0].value
    assert set(table["file"]) == {f"{d}.pdf" for d in DOCS}
    lv = doc(scored, "lv_2018")
    gap = lv.maturity.gaps[0].criterion
    assert table.loc[table["file"] == "lv_2018.pdf", "top_gap_name"].iloc[0].startswith(f"{gap} ")  # name beside code
    with Store(db) as store:  # a reviewer rejects Lloyds' board approval: the statutory count moves
        store.add_review(doc(scored, "lloyds_banking_group_2018").doc_id, "element", "approval", "reject",
                         reviewer="Dana")
    at.run()
    assert {m.label: m.value for m in at.metric}["Statutory failures"] == str(not_met + 1)
    at.sidebar.radio[0].set_value("reviewed").run()
    assert list(at.dataframe[0].value["file"]) == ["lloyds_banking_group_2018.pdf"]


def test_overview_filters_views_and_downloads(db):
    at = opened()
    at.sidebar.multiselect[1].select("bank").run()
    assert set(at.dataframe[0].value["subsector"]) == {"bank"} and len(at.dataframe[0].value) == 3
    next(b for b in at.button if b.label == "Prepare CSV download").click().run()
    assert [b.label for b in at.get("download_button")] == ["Download CSV"]
    at.sidebar.multiselect[1].unselect("bank").run()
    at.session_state["overview_view"] = "Sector benchmarks"
    ok(at.run())
    assert [s.value for s in at.subheader][:3] == ["Overall maturity by sub-sector",
                                                   "Statutory requirements by sub-sector", "Median theme level by sub-sector"]
    at.session_state["overview_view"] = "Criteria"
    ok(at.run())
    assert "Level reached on each criterion" in [s.value for s in at.subheader]


def test_search_counts_and_opens_a_review(db, scored):
    at = opened("ui/search.py")
    at.text_input[0].input('"forced labour"').run()
    at.text_input[1].input("audit").run()
    ok(at)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Statements searched"] == "6"
    assert int(metrics["Mention them"]) + int(metrics["Do not"]) == 6 and 0 < int(metrics["Mention them"]) < 6
    assert any("**forced labour**" in m.value.lower() for m in at.markdown)  # the snippet marks the term
    first = next(b for b in at.button if b.label == "Open review")
    first.click().run()
    assert at.session_state["review_doc"] == first.key.removeprefix("open-")
    assert at.title[0].value == "Document review"


def test_search_says_how_many_have_no_text(db, scored):
    with Store(db) as store:
        store.conn.execute("DELETE FROM document_texts WHERE doc_id=?", (doc(scored, "lv_2018").doc_id,))
    at = opened("ui/search.py")
    at.text_input[0].input("slavery").run()
    assert any("1 scored statement(s) were stored before their text was kept" in w.value and "--rescore" in w.value
               for w in ok(at).warning)


def test_failures_list_and_retry(db, scored):
    at = opened("ui/failures.py")
    table = at.dataframe[0].value
    assert list(table["file"]) == [FAILING] and list(table["error_code"]) == ["DC104"]
    assert "--retry-failed" in at.code[0].value
    next(b for b in at.button if b.label == "Retry").click().run()
    assert any("Still failing: [DC104]" in e.value for e in ok(at).error)
    failed = next(r for r in scored if not isinstance(r, Assessment))
    failed_path = Path(failed.path)
    failed_path.unlink()
    at = opened("ui/failures.py")
    assert any("no longer at" in w.value for w in at.warning) and not [b for b in at.button if b.label == "Retry"]
    assert failed_path.name in at.dataframe[0].value["file"].iloc[0]


def test_compare_names_peers_one_row_per_firm(db, scored):
    barclays = doc(scored, "barclays_2019")
    with Store(db) as store:  # an older Barclays statement: still one peer
        store.save(replace(barclays, doc_id="b" * 64, path="/old/barclays_2016.pdf",
                           identity=replace(barclays.identity, year=2016)))
        # Lloyds' name is below the ranker's threshold (unknown): a reviewer names it
        store.add_review(doc(scored, "lloyds_banking_group_2018").doc_id, "document", "organisation", "set_value",
                         reviewer="Dana", value="Lloyds Banking Group plc")
        # and the Co-operative Bank's too: only a named organisation is a peer
        store.add_review(doc(scored, "cooperative_bank_2018").doc_id, "document", "organisation", "set_value",
                         reviewer="Dana", value="Co-operative Bank plc")
    at = opened("ui/compare.py")
    at.selectbox[0].select("Lloyds Banking Group plc").run()
    ok(at)
    comparison, peers = at.dataframe[1].value, at.dataframe[2].value
    assert "peer median (2)" in comparison.columns and comparison["theme"].iloc[0].startswith("T1 ")
    assert sorted(peers["organisation"]) == ["Barclays plc", "Co-operative Bank plc"]
    assert peers.loc[peers["organisation"] == "Barclays plc", "year"].tolist() == [2018]
    assert any("Barclays plc 2018" in c.value for c in at.caption)
    at.selectbox[0].select("Barclays plc").run()
    assert ok(at).dataframe[0].value["year"].tolist() == [2016, 2018]
    at.selectbox[0].select("AO World plc").run()  # not a financial firm: no sub-sector, never 'nan'
    texts = [s.value for s in ok(at).subheader] + [c.value for c in at.caption]
    assert "Against its peers: no sub\\-sector" in texts and not any("nan" in t for t in texts)
