"""Re-pointing evidence: a reviewer adds a sentence the machine did not find as an element's evidence
(an ``evidence`` confirm carrying the sentence's location). Pure application on a real statement,
then the store on both back-ends, the CSV round trip, and the viewer's sentences read again from the
PDF naming the same sentences, pages and boxes as the scored result."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import SAMPLES
from disclosure_check.assess.decisions import (
    ADDED_BY,
    apply,
    evidence_location,
    evidence_target,
    make_decision,
    read_decisions_csv,
    write_decisions_csv,
)
from disclosure_check.errors import DataError
from disclosure_check.present.viewer import (
    document_sentences,
    find_sentences,
    finding_marks,
    misaligned,
    page_marks,
    page_sentences,
    scored_pages,
)
from disclosure_check.store.store import Store

LLOYDS = SAMPLES / "lloyds_banking_group_2018.pdf"


@pytest.fixture(scope="module")
def lloyds(scored_sample):
    return scored_sample(LLOYDS.stem)


@pytest.fixture(scope="module")
def sentences(lloyds):
    return document_sentences(LLOYDS, lloyds)


def adding(result, element: str, sentence, reviewer: str = "Dana", **kw):
    return make_decision(result.doc_id, f"evidence:{evidence_target(element, sentence.index, sentence.text)}",
                         "confirm", reviewer=reviewer, text=sentence.text,
                         value=evidence_location(sentence.page, sentence.boxes), **kw)


def element(result, name: str):
    return next(e for e in result.elements if e.element == name)


def criterion(result, name: str):
    return next(c for c in result.maturity.criteria if c.id == name)


def unused(result, sentences, name: str, *, having: str, lacking: tuple[str, ...] = ()):
    """A sentence that is not yet ``name``'s evidence, containing ``having`` and none of ``lacking``."""
    taken = {ev.text for ev in element(result, name).evidence}
    return next(s for s in sentences if s.text not in taken and having in s.text.lower()
                and not any(w in s.text.lower() for w in lacking) and len(s.text.split()) > 8)


# -- the decision --------------------------------------------------------------------------------------------
def test_an_added_sentence_is_a_confirm_with_its_location_and_is_checked(lloyds, sentences):
    s = sentences[10]
    made = adding(lloyds, "consultation", s)
    assert made.kind == "evidence" and made.decision == "confirm"
    assert json.loads(made.value)["page"] == s.page and len(json.loads(made.value)["boxes"]) == len(s.boxes)
    target = f"evidence:{evidence_target('consultation', s.index, s.text)}"
    with pytest.raises(DataError, match="needs the sentence"):
        make_decision(lloyds.doc_id, target, "confirm", reviewer="Dana", value=evidence_location(1))
    with pytest.raises(DataError, match="hash differs"):
        make_decision(lloyds.doc_id, target, "confirm", reviewer="Dana", text="another sentence",
                      value=evidence_location(1))
    with pytest.raises(DataError, match="location"):
        make_decision(lloyds.doc_id, target, "confirm", reviewer="Dana", text=s.text, value='{"page": 0}')
    # A plain confirm (no location) is what it always was: it keeps the machine's sentence, adds nothing.
    plain = make_decision(lloyds.doc_id, target, "confirm", reviewer="Dana", text=s.text)
    assert plain.value is None
    assert apply(lloyds, [plain]) == lloyds


def test_an_added_sentence_makes_the_element_present_and_reaches_only_the_criteria_about_its_subject(
        lloyds, sentences, rubric):
    assert not element(lloyds, "consultation").present
    s = unused(lloyds, sentences, "consultation", having="collaborated with others")
    reviewed = apply(lloyds, [adding(lloyds, "consultation", s)], rubric)
    e = element(reviewed, "consultation")
    assert e.present and [ev.text for ev in e.evidence] == [s.text]
    [ev] = e.evidence
    assert (ev.classifier, ev.detail, ev.page, ev.sentence_index, ev.boxes) == (
        ADDED_BY, "added by Dana", s.page, s.index, s.boxes)
    c21 = criterion(reviewed, "C21")
    added = [x for x in c21.evidence if x.text == s.text]
    assert added and added[0].source == "element consultation (reviewer)" and c21.level >= 2

    # risk_mitigation feeds C03 (policies), C06 (risk) and C08 (suppliers): a sentence about suppliers
    # that names no policy and no risk supports C08 only, as the scorer's subject filter would have it.
    s = unused(lloyds, sentences, "risk_mitigation", having="supplier", lacking=("polic", "risk", "code", "standard",
                                                                                   "commit", "assess", "identif",
                                                                                   "map", "screen", "evaluat",
                                                                                   "zero"))
    reviewed = apply(lloyds, [adding(lloyds, "risk_mitigation", s)], rubric)
    carries = {c.id for c in reviewed.maturity.criteria if any(x.text == s.text and "reviewer" in x.source
                                                               for x in c.evidence)}
    assert carries == {"C08"}


def test_a_later_reject_takes_the_added_sentence_away_again(lloyds, sentences, rubric):
    s = unused(lloyds, sentences, "consultation", having="collaborated with others")
    add = adding(lloyds, "consultation", s)
    take_back = make_decision(lloyds.doc_id, add.target, "reject", reviewer="Sam", text=s.text)
    assert apply(lloyds, [add, take_back], rubric) == apply(lloyds, [take_back], rubric)
    assert not element(apply(lloyds, [add, take_back], rubric), "consultation").present


def test_repointing_the_approval_moves_the_statutory_quote(lloyds, sentences, rubric):
    approval = element(lloyds, "approval")
    machine = approval.evidence[0]
    other = unused(lloyds, sentences, "approval", having="board")
    reject = make_decision(lloyds.doc_id, f"evidence:{evidence_target('approval', machine.sentence_index, machine.text)}",
                           "reject", reviewer="Dana", text=machine.text)
    only_reject = apply(lloyds, [reject], rubric)
    gate = next(g for g in only_reject.maturity.gate if g.id == "board_approval")
    assert gate.state == "not_found"
    repointed = apply(lloyds, [reject, adding(lloyds, "approval", other)], rubric)
    gate = next(g for g in repointed.maturity.gate if g.id == "board_approval")
    assert gate.state == "met" and [q.text for q in gate.evidence] == [other.text]
    assert "a reviewer added evidence of the approval element" in gate.reason
    # An element rejected outright outranks a sentence added to it.
    no = make_decision(lloyds.doc_id, "element:approval", "reject", reviewer="Lee")
    rejected = apply(lloyds, [adding(lloyds, "approval", other), no], rubric)
    assert not element(rejected, "approval").present
    assert not any("reviewer" in x.source for c in rejected.maturity.criteria for x in c.evidence)


# -- stored on both back-ends, and through the CSV -----------------------------------------------------------
def test_an_added_sentence_is_stored_with_its_location_and_shown_in_the_reviewed_result(db_url, lloyds, sentences,
                                                                                         rubric, tmp_path):
    s = unused(lloyds, sentences, "consultation", having="collaborated with others")
    with Store(db_url) as store:
        store.save(lloyds, rubric=rubric)
        store.add_review(lloyds.doc_id, "evidence", evidence_target("consultation", s.index, s.text), "confirm",
                         reviewer="Dana", text=s.text, value=evidence_location(s.page, s.boxes))
        [decision] = store.decisions(lloyds.doc_id)
        stored = store.stored(doc_id=lloyds.doc_id)[0]
        [item] = store.reviewed_results(doc_id=lloyds.doc_id)
    assert json.loads(decision.value)["page"] == s.page
    assert element(stored.result, "consultation").present
    assert item["elements"]["consultation"]["evidence"][0]["classifier"] == ADDED_BY
    path = tmp_path / "trail.csv"
    write_decisions_csv([decision], path)
    [again] = read_decisions_csv(Path(path))
    assert (again.target, again.decision, again.text, again.value) == (decision.target, "confirm", s.text,
                                                                       decision.value)


# -- the viewer's sentences and marks ------------------------------------------------------------------------
def test_sentences_read_again_are_the_scored_ones_with_their_boxes(lloyds, sentences):
    assert len(sentences) == lloyds.sentences and misaligned(sentences, lloyds) == 0
    by_index = {s.index: s for s in sentences}
    for e in lloyds.elements:
        for ev in e.evidence:
            s = by_index[ev.sentence_index]
            assert (s.text, s.page, s.boxes) == (ev.text, ev.page, ev.boxes)
    assert {s.page for s in sentences} == set(range(1, lloyds.pages + 1))
    assert all(page_sentences(sentences, page) for page in range(1, lloyds.pages + 1))


def test_every_finding_is_marked_once_per_sentence_and_found_text_lists_its_pages(lloyds, sentences):
    marks = finding_marks(lloyds)
    texts = [(mk.text, mk.sentence_index) for mk in marks]
    assert len(texts) == len(set(texts))
    quoted = {ev.text for e in lloyds.elements for ev in e.evidence}
    quoted |= {q.text for g in lloyds.maturity.gate for q in g.evidence}
    assert quoted <= {mk.text for mk in marks}
    approval = next(mk for mk in marks if any(f.kind == "gate" and f.id == "board_approval" for f in mk.findings))
    assert approval.kind == "gate" and ("element", "approval") in {(f.kind, f.id) for f in approval.findings}
    assert page_marks(marks, approval.page, finding=("gate", "board_approval")) == [approval]
    only_gate = page_marks(marks, approval.page, kinds=("gate",))
    assert approval in only_gate and all(any(f.kind == "gate" for f in mk.findings) for mk in only_gate)
    hits = find_sentences(sentences, "MODERN   slavery")
    assert hits and all({"modern", "slavery"} <= set(re.findall(r"\w+", h.text.lower())) for h in hits)
    phrase = find_sentences(sentences, '"modern slavery"')
    assert phrase and set(map(id, phrase)) <= set(map(id, hits))
    # as keyword search matches (its links open the viewer with the term): other endings, prefixes
    singular = find_sentences(sentences, "supplier")
    assert singular and singular == find_sentences(sentences, "suppliers")
    assert any("suppliers" in s.text.lower() and "supplier " not in s.text.lower() for s in singular)
    assert set(map(id, singular)) <= set(map(id, find_sentences(sentences, "supplier*")))
    assert find_sentences(sentences, "") == [] and find_sentences(sentences, "*") == []


def test_sentences_are_read_from_the_pages_that_were_scored(lloyds):
    """A statement inside a report is scored from its section, pages in another language are left out:
    sentences read again from the same pages keep the indices evidence decisions name."""
    from dataclasses import replace

    assert scored_pages(lloyds) is None
    french = replace(lloyds, pages_other_language=((3, "fr"),))
    assert scored_pages(french) == {1, 2, 4, 5, 6, 7}
    inside = replace(french, maturity=replace(lloyds.maturity, profile=replace(lloyds.maturity.profile, section=(2, 5))))
    assert scored_pages(inside) == {2, 4, 5}
    sentences = document_sentences(LLOYDS.read_bytes(), inside)  # the stored copy's bytes read the same way
    assert {s.page for s in sentences} <= {2, 4, 5, 6} and sentences[0].index == 0


def test_a_trail_with_formula_like_sentences_survives_export_and_import(tmp_path):
    """The export puts an apostrophe before text a spreadsheet would run ("- we audit", "=SUM"); the
    import takes it off again, so the sentence still matches the hash its target names."""
    text = "- We audit every tier-one supplier each year."
    target = "evidence:" + evidence_target("risk_mitigation", 7, text)
    made = [make_decision("doc", target, "confirm", reviewer="Dana", text=text,
                          value=evidence_location(2, [[2, 10.0, 20.0, 300.0, 32.0]]), comment="=looks right"),
            make_decision("doc", target, "reject", reviewer="Sam", text=text, role="second")]
    path = tmp_path / "trail.csv"
    write_decisions_csv(made, path)
    assert "'- We audit" in path.read_text()  # neutralised for spreadsheets
    again = read_decisions_csv(Path(path))
    assert [(d.target, d.decision, d.text, d.value, d.comment, d.role) for d in again] == [
        (d.target, d.decision, d.text, d.value, d.comment, d.role) for d in made]
