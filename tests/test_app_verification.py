"""My queue, blind second review, Disagreements and Agreement through Streamlit's AppTest, signed in
as named staff accounts: assignment by hand and by seeded sample, the first decision hidden from the
second reviewer, a disagreement resolved, agreement figures and the overview's verification counts."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from app_support import database_with, ok, signed_in
from conftest import SAMPLES
from disclosure_check.assess.decisions import make_decision
from disclosure_check.assess.verification import submission
from disclosure_check.store.assignments import Assignments
from disclosure_check.store.store import Store

pytestmark = pytest.mark.slow  # AppTest sessions: `make test` runs them, `make check` does not



@pytest.fixture(scope="module")
def scored(scored_sample):
    return [scored_sample(name) for name in ("lv_2018", "lloyds_banking_group_2018")]


@pytest.fixture
def db(tmp_path, scored, monkeypatch):
    return database_with(monkeypatch, tmp_path / "verify.db", scored, staff=("Ann", "Bob", "Lead"))


def texts(at: AppTest) -> str:
    return " ".join(x.value.replace("\\", "") for x in [*at.markdown, *at.caption, *at.info, *at.success,
                                                          *at.warning, *at.error])


def criterion(result):
    return next(c for c in result.maturity.criteria if c.applies and c.level < 3)


def test_assigning_by_hand_and_by_sample_fills_the_reviewers_queue(db, scored):
    lv = scored[0].doc_id
    at = signed_in(db, "Lead", "ui/queue.py")
    assert "Nothing is assigned" in texts(at) or "Nothing open in your queue" in texts(at)
    at.selectbox(key="assign-reviewer").select("Bob").run()
    at.radio(key="assign-role").set_value("second").run()
    at.multiselect(key="assign-docs").select(lv).run()
    ok(at.button(key="assign-go").click().run())
    assert "Assigned 1 document(s) to Bob for a blind second review" in texts(at)
    # a seeded sample of the rest, recorded with its seed
    at.selectbox(key="assign-reviewer").select("Ann").run()
    at.radio(key="assign-role").set_value("first").run()
    at.radio(key="assign-how").set_value("random sample").run()
    at.number_input(key="assign-n").set_value(1).run()
    at.number_input(key="assign-seed").set_value(42).run()
    ok(at.button(key="assign-go").click().run())
    with Store(db) as store:
        [sampled] = Assignments(store).all(reviewer="Ann")
    assert sampled.sample == "random 1 of 2 (seed 42)" and sampled.assigned_by == "Lead"
    bob = signed_in(db, "Bob", "ui/queue.py")
    assert "Assigned to Bob: 1 open, 0 done" in texts(bob)
    assert any(b.label == "Open" for b in bob.button)


def test_blind_second_review_then_disagreement_resolved_and_agreement(db, scored):
    result = scored[0]
    lv, c = result.doc_id, criterion(result)
    with Store(db) as store:
        store.add_decisions([make_decision(lv, f"criterion:{c.id}", "set_level", reviewer="Ann", level=c.level + 1,
                                           comment="Ann's reading"), submission(lv, "Ann")])
        Assignments(store).assign([lv], "Bob", "second", assigned_by="Lead")
    at = signed_in(db, "Bob", "ui/review.py")
    picker = at.selectbox[0]
    blind_label = picker.format_func(lv)
    assert blind_label.endswith("(blind second review)") and "✓" not in blind_label  # Ann's review is not hinted
    picker.select(lv).run()
    ok(at)
    shown = texts(at)
    assert "Blind second review" in shown
    assert "0 decision(s) so far" in shown and "Ann" not in shown  # the first decision is hidden
    at.radio(key="review-section").set_value("criteria").run()
    next(r for r in at.radio if r.label == "Finding").set_value(c.id).run()
    ok(at)
    assert "Ann" not in texts(at)
    key = f"{lv[:12]}-criterion-{c.id}"
    ok(at.button(key=f"ok-{key}").click().run())  # Bob confirms the machine's level: he disagrees with Ann
    ok(at.button(key=f"submit-{lv[:12]}-second").click().run())
    with Store(db) as store:
        mine = [d for d in store.decisions(lv) if d.reviewer == "Bob"]
        assert [(d.target, d.role) for d in mine] == [(f"criterion:{c.id}", "second"),
                                                      ("document:review_submitted", "second")]
        assert [a.done for a in Assignments(store).all(reviewer="Bob")] == [True]
    assert "Ann's reading" in texts(ok(at.run()))  # submitted: the first decision is shown again
    # Disagreements: both views side by side; Lead takes Bob's level
    dis = signed_in(db, "Lead", "ui/disagreements.py")
    shown = texts(dis)
    assert "1 disputed finding(s) in 1 document(s)" in shown and "Ann" in shown and "Bob" in shown
    ok(dis.button(key="dis-take-0").click().run())
    assert "No disagreement is waiting" in texts(ok(dis.run()))
    with Store(db) as store:
        last = store.decisions(lv)[-1]
        stored = store.stored(doc_id=lv)[0]
    assert (last.role, last.reviewer, last.level) == ("resolution", "Lead", c.level)
    assert next(x for x in stored.result.maturity.criteria if x.id == c.id).level == c.level
    # Agreement: one document coded by both; the overview counts it verified
    agree = signed_in(db, "Lead", "ui/agreement.py")
    assert "**1 document(s)** coded by both" in texts(agree)
    table = agree.dataframe[0].value
    row = table[table["label"].str.startswith(c.id)].iloc[0]
    # one pair, unlike: p_o = 0, p_e = 1 x 0 + 0 x 1 = 0, kappa = (0 - 0) / (1 - 0) = 0
    assert (row["n"], row["raw_agreement"], row["kappa shown"]) == (1, 0.0, "0.00")
    overview = signed_in(db, "Lead")
    assert "verified (a second reviewer agreed): 1" in texts(overview)


def test_agreement_and_disagreements_pages_when_nothing_was_reviewed_twice(db):
    assert "No disagreement is waiting" in texts(signed_in(db, "Lead", "ui/disagreements.py"))
    assert "No document in this set was reviewed twice yet" in texts(signed_in(db, "Lead", "ui/agreement.py"))


def test_the_viewer_keeps_a_blind_second_review_blind_and_records_its_role(db, scored):
    """Ann added a sentence as evidence in the viewer; Bob, blind, sees the machine's marks only (not
    Ann's green 'added by a reviewer'), and what he re-points is recorded as his second review."""
    from disclosure_check.assess.decisions import evidence_location, evidence_target
    from disclosure_check.present.viewer import document_sentences

    lloyds = scored[1]
    sentences = document_sentences(SAMPLES / "lloyds_banking_group_2018.pdf", lloyds)
    entity = next(e for e in lloyds.elements if e.element == "reporting_entity")
    assert not entity.present
    first, second = sentences[2], sentences[3]
    with Store(db) as store:
        store.add_decisions([make_decision(lloyds.doc_id, "evidence:" + evidence_target("reporting_entity", first.index,
                                                                                        first.text),
                                           "confirm", reviewer="Ann", text=first.text,
                                           value=evidence_location(first.page, first.boxes)),
                             submission(lloyds.doc_id, "Ann")])
        Assignments(store).assign([lloyds.doc_id], "Bob", "second", assigned_by="Lead")
    ann = signed_in(db, "Ann")
    ann.query_params["doc"] = lloyds.doc_id
    ok(ann.switch_page("ui/viewer.py").run())
    assert "(added by a reviewer)" in texts(ann)
    bob = signed_in(db, "Bob")
    bob.query_params["doc"] = lloyds.doc_id
    bob.query_params["sentence"] = str(second.index)
    ok(bob.switch_page("ui/viewer.py").run())
    shown = texts(bob)  # ("Ann" alone would match the statement's "Annual Report")
    assert "Blind second review" in shown and "(added by a reviewer)" not in shown and "Ann," not in shown
    bob.selectbox(key="viewer-rp-element").select("reporting_entity").run()
    ok(bob.button(key="viewer-rp-add").click().run())
    with Store(db) as store:
        mine = [d for d in store.decisions(lloyds.doc_id) if d.reviewer == "Bob"]
    assert [(d.decision, d.role) for d in mine] == [("confirm", "second")]
