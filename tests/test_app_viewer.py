"""The document viewer through Streamlit's AppTest, on a real seven-page statement: every finding's
sentences marked and listed by number, page navigation, find-in-document with a jump to a hit, the
link contract (doc, page, sentence, q, finding), and re-pointing evidence recorded as a decision."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from app_support import app, database_with, ok
from conftest import SAMPLES
from disclosure_check.store.store import Store

pytestmark = pytest.mark.slow  # AppTest sessions: `make test` runs them, `make check` does not

PDF = SAMPLES / "lloyds_banking_group_2018.pdf"


@pytest.fixture(scope="module")
def scored(scorer):
    return [scorer.score_file(PDF)]


@pytest.fixture
def db(tmp_path, scored, monkeypatch):
    return database_with(monkeypatch, tmp_path / "viewer.db", scored)


def viewer(**params) -> AppTest:
    at = app()
    at.run()
    for name, value in params.items():
        at.query_params[name] = str(value)
    at.switch_page("ui/viewer.py").run()
    return ok(at)


def markdown(at: AppTest) -> str:
    return "\n".join(m.value.replace("\\", "") for m in at.markdown)


def page(at: AppTest) -> int:
    return at.number_input(key="viewer-page").value


def test_the_viewer_marks_every_finding_and_pages_through_the_document(db, scored):
    [result] = scored
    at = viewer()
    assert page(at) == 1 and at.query_params["doc"] == result.doc_id
    assert "**Page 1:" in markdown(at)
    listed = markdown(at)
    assert "Approval by the principal governing body (element)" in listed
    assert "Approved by the board (principal governing body) (statutory check)" in listed
    assert "**1**" in listed and at.image  # numbered, and the page drawn
    at.button(key="viewer-next").click().run()
    assert page(ok(at)) == 2 and at.query_params["page"] == "2"
    at.button(key="viewer-prev").click().run()
    assert page(ok(at)) == 1
    at.number_input(key="viewer-page").set_value(result.pages).run()
    assert page(ok(at)) == result.pages
    assert at.button(key="viewer-next").disabled
    at.selectbox(key="viewer-jump").select(4).run()
    assert page(ok(at)) == 4
    # One finding only: its sentences, and the pages they are on.
    at.selectbox(key="viewer-only").select(("gate", "board_approval")).run()
    assert "Its sentences are on page(s) 1." in [c.value for c in ok(at).caption]


def test_find_in_document_lists_every_hit_with_its_page_and_opens_it(db):
    at = viewer()
    at.text_input(key="viewer-q").input("City of London police").run()
    ok(at)
    hits = [b for b in at.button if b.key and b.key.startswith("viewer-hit-")]
    assert len(hits) == 1 and hits[0].label.startswith("p. ")
    target = int(hits[0].label.split()[1])
    assert target != 1
    hits[0].click().run()
    assert page(ok(at)) == target and at.query_params["q"] == "City of London police"
    index = int(hits[0].key.rsplit("-", 1)[1])
    assert at.query_params["sentence"] == str(index)
    assert f"sentence {index} boxed in grey" in " ".join(c for i in at.image for c in i.captions)
    at.text_input(key="viewer-q").input("words that are nowhere in it").run()
    assert any(c.value.startswith("0 sentence(s) contain") for c in ok(at).caption)


def test_a_link_opens_the_page_the_sentence_and_the_search_it_names(db, scored):
    [result] = scored
    evidence = next(ev for e in result.elements if e.element == "remediation" for ev in e.evidence)
    at = viewer(doc=result.doc_id, sentence=evidence.sentence_index, finding="element:remediation")
    assert page(at) == evidence.page
    assert at.selectbox(key="viewer-rp-element").value == "remediation"
    assert at.selectbox(key=f"viewer-rp-sentence-{evidence.page}").value == evidence.sentence_index
    # The search page's link: a page and the words; the first hit on that page is boxed.
    at = viewer(doc=result.doc_id, page=3, q="modern slavery")
    assert page(at) == 3 and at.text_input(key="viewer-q").value == "modern slavery"
    assert at.query_params["sentence"]
    # A page out of range is the last page; an unknown document opens the first one stored.
    assert page(viewer(doc=result.doc_id, page=999)) == result.pages
    assert page(viewer(doc="no-such-doc", page="x")) == 1


def test_re_pointing_evidence_records_a_decision_the_review_shows(db, scored):
    [result] = scored
    at = viewer(doc=result.doc_id, q="applies to Lloyds Banking Group", finding="gate:board_approval")
    hit = next(b for b in at.button if b.key and b.key.startswith("viewer-hit-"))
    hit.click().run()
    index = int(hit.key.rsplit("-", 1)[1])
    assert at.selectbox(key="viewer-rp-element").value == "approval"
    at.selectbox(key="viewer-rp-element").select("reporting_entity").run()
    at.text_input(key="viewer-rp-comment").input("names the entity and its subsidiaries").run()
    at.button(key="viewer-rp-add").click().run()
    ok(at)
    with Store(db) as store:
        [decision] = store.decisions(result.doc_id)
        stored = store.stored(doc_id=result.doc_id)[0]
    assert decision.target.startswith(f"evidence:reporting_entity:{index}:") and decision.decision == "confirm"
    assert decision.comment == "names the entity and its subsidiaries" and json.loads(decision.value)["page"] == 1
    entity = next(e for e in stored.result.elements if e.element == "reporting_entity")
    assert entity.present and entity.evidence[0].classifier == "reviewer"
    assert any("Recorded: sentence" in i.value.replace("\\", "") for i in at.info)
    # The page now marks it as added by a reviewer, and the button says it is already evidence.
    assert "(added by a reviewer)" in markdown(at)
    assert at.button(key="viewer-rp-add").disabled


def viewer_links(at: AppTest) -> list[dict[str, str]]:
    """The review page's links into the viewer, as query parameters."""
    from urllib.parse import parse_qsl

    return [dict(parse_qsl(link.proto.query_string)) for link in at.get("page_link") if link.proto.page == "viewer"]


def test_every_review_quote_and_every_finding_without_one_opens_the_viewer_at_its_place(db, scored):
    from app_support import open_finding

    [result] = scored
    at = app().run()
    at.switch_page("ui/review.py").run()
    remediation = next(e for e in result.elements if e.element == "remediation")
    links = viewer_links(open_finding(ok(at), "elements", "remediation"))
    shown = remediation.evidence[:len(links)]
    assert links and [(link["page"], link["sentence"], link["finding"]) for link in links] == [
        (str(ev.page), str(ev.sentence_index), "element:remediation") for ev in shown]
    assert all(link["doc"] == result.doc_id for link in links)
    # An absent element with no quote: the viewer from page 1, ready to re-point it.
    assert viewer_links(open_finding(at, "elements", "reporting_entity")) == [
        {"doc": result.doc_id, "page": "1", "finding": "element:reporting_entity"}]
    # A statutory check's quote carries no sentence index: its first words are found on its page.
    [approval] = viewer_links(open_finding(at, "statutory", "board_approval"))
    check = next(g for g in result.maturity.gate if g.id == "board_approval")
    assert approval["q"] == " ".join(check.evidence[0].text.split()[:10]) and approval["page"] == str(
        check.evidence[0].page)
    at = viewer(**approval)
    assert page(at) == check.evidence[0].page and at.query_params["sentence"]
    assert at.session_state["viewer-tab"] == "Find in document"


def test_a_document_whose_pdf_is_gone_still_lists_its_marked_sentences(tmp_path, scorer, monkeypatch):
    copy = tmp_path / "moved.pdf"
    copy.write_bytes((SAMPLES / "lv_2018.pdf").read_bytes())
    result = scorer.score_file(copy)
    database_with(monkeypatch, tmp_path / "gone.db", [result])
    copy.unlink()
    at = viewer(doc=result.doc_id, q="slavery")
    assert "The page image is not available" in " ".join(w.value for w in at.warning)
    assert "**1**" in markdown(at)
    captions = " ".join(c.value for c in at.caption)
    assert "Find needs the document's sentences" in captions and "Re-pointing needs" in captions
