"""Reviewers' decisions carry through: the store re-scores with them and its SQL rows, typed reads,
exports and the dashboard's table all hold one reviewed truth. Real statements, scored once."""

from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import SAMPLES
from disclosure_check.assess.decisions import apply, evidence_target, make_decision, read_decisions_csv
from disclosure_check.cli import main
from disclosure_check.errors import DataError, StoreError
from disclosure_check.present.export import MAX_CRITERION_EVIDENCE, result_to_dict
from disclosure_check.store.codec import decode, encode
from disclosure_check.store.store import Store


@pytest.fixture(scope="module")
def scored(scored_sample):
    return {name: scored_sample(name)
            for name in ("lloyds_banking_group_2018", "lv_2018", "barclays_2019")}


@pytest.fixture
def db(db_url, scored, rubric):
    """The three results stored on each back-end (a SQLite file, a PostgreSQL schema), each with the
    rubric it was scored with, as a batch stores them."""
    with Store(db_url) as store:
        for result in scored.values():
            store.save(result, rubric=rubric)
    return db_url


def sql(store: Store, query: str, *params):
    return store.conn.execute(query, params).fetchall()


@pytest.mark.slow
def test_every_stored_result_round_trips_through_the_codec_losing_nothing(scored):
    for result in scored.values():
        item = encode(result)
        assert decode(json.loads(json.dumps(item))) == result  # typed -> JSON -> typed: equal, every field
        assert encode(decode(item)) == item
        for criterion in result.maturity.criteria:  # no evidence is dropped on the way (an export keeps 8)
            [stored] = [c for c in item["criteria"] if c["id"] == criterion.id]
            assert len(stored["evidence"]) == len(criterion.evidence)
    many = max((c for r in scored.values() for c in r.maturity.criteria), key=lambda c: len(c.evidence))
    assert len(many.evidence) > MAX_CRITERION_EVIDENCE  # the samples do exercise the export's cap
    exported = result_to_dict(next(r for r in scored.values() if many in r.maturity.criteria))
    [trimmed] = [c for c in exported["criteria"] if c["id"] == many.id]
    assert len(trimmed["evidence"]) == MAX_CRITERION_EVIDENCE and "origins" not in trimmed["evidence"][0]


@pytest.mark.slow
def test_results_stored_before_origins_decode_their_sources_once(scored):
    lloyds = scored["lloyds_banking_group_2018"]
    item = encode(lloyds)
    for criterion in item["criteria"]:
        for evidence in criterion["evidence"]:
            del evidence["origins"]  # as stored before origins were kept
    assert decode(item) == lloyds


def test_rejecting_approval_propagates_to_the_gate_statutory_verdict_and_overview(db, scored):
    lloyds = scored["lloyds_banking_group_2018"]
    assert lloyds.maturity.statutory_state == "met"
    with Store(db) as store:
        met_before = sql(store, "SELECT COUNT(*) FROM results WHERE statutory_state='met'")[0][0]
        store.add_review(lloyds.doc_id, "element", "approval", "reject", reviewer="Dana",
                         comment="the board is not named")
        [stored] = store.stored(doc_id=lloyds.doc_id)
        approval = next(e for e in stored.result.elements if e.element == "approval")
        check = next(g for g in stored.result.maturity.gate if g.id == "board_approval")
        assert not approval.present and check.state == "not_met" and "Dana: the board is not named" in check.reason
        assert stored.result.maturity.statutory_state == "not_met"
        assert stored.machine.maturity.statutory_state == "met"  # the machine's result is kept
        # the SQL rows every page reads say the same
        assert sql(store, "SELECT statutory_state, statutory_met FROM results WHERE doc_id=?", lloyds.doc_id)[0][:] \
            == ("not_met", 0)
        assert sql(store, "SELECT state, machine_state, decision FROM gate_results g JOIN results r ON r.id = g.result_id"
                          " WHERE r.doc_id=? AND check_id='board_approval'", lloyds.doc_id)[0][:] \
            == ("not_met", "met", None)
        assert sql(store, "SELECT present, machine_present, decision FROM element_results e JOIN results r"
                          " ON r.id = e.result_id WHERE r.doc_id=? AND element='approval'", lloyds.doc_id)[0][:] \
            == (0, 1, "reject")
        assert sql(store, "SELECT COUNT(*) FROM results WHERE statutory_state='met'")[0][0] == met_before - 1
        [item] = store.reviewed_results(doc_id=lloyds.doc_id)
        assert item["statutory"]["state"] == "not_met" and item["elements"]["approval"]["reviewed"] == "reject"
        # confirming it again restores the check: a later decision wins
        store.add_review(lloyds.doc_id, "element", "approval", "confirm", reviewer="Sam")
        [stored] = store.stored(doc_id=lloyds.doc_id)
        assert stored.result.maturity.statutory_state == "met"


def test_a_set_level_moves_the_sql_rows_the_export_and_the_overall(db, scored, tmp_path):
    lv = scored["lv_2018"]
    criterion = next(c for c in lv.maturity.criteria if c.applies and c.level < 4)
    with Store(db) as store:
        store.add_review(lv.doc_id, "criterion", criterion.id, "set_level", reviewer="Dana",
                         previous_value=str(criterion.level), level=4, comment="policy published with owner and date")
        [(level, machine, decision)] = sql(store, "SELECT c.level, c.machine_level, c.decision FROM criterion_results c"
                                                  " JOIN results r ON r.id = c.result_id WHERE r.doc_id=? AND criterion=?",
                                           lv.doc_id, criterion.id)
        assert (level, machine, decision) == (4, criterion.level, "set_level")
        [stored] = store.stored(doc_id=lv.doc_id)
        overall = stored.result.maturity.overall
        assert sql(store, "SELECT overall_level FROM results WHERE doc_id=?", lv.doc_id)[0][0] == overall
        assert not any(g.criterion == criterion.id for g in stored.result.maturity.gaps)  # no longer a gap
        [decision] = store.decisions(lv.doc_id)
        assert decision.comment == "policy published with owner and date"  # the comment typed with the decision
    out = tmp_path / "export.json"
    assert CliRunner().invoke(main, ["export", "--db", str(db), "--out", str(out)]).exit_code == 0
    exported = next(i for i in json.loads(out.read_text()) if i["doc_id"] == lv.doc_id)
    assert next(c for c in exported["criteria"] if c["id"] == criterion.id)["level"] == 4
    assert exported["overall"] == overall


def test_rejected_evidence_stops_supporting_the_element_and_its_criteria(db, scored):
    lloyds = scored["lloyds_banking_group_2018"]
    element = next(e for e in lloyds.elements if e.present and e.evidence)
    with Store(db) as store:
        for ev in element.evidence:  # reject every sentence: the element is absent
            store.add_review(lloyds.doc_id, "evidence", evidence_target(element.element, ev.sentence_index, ev.text),
                             "reject", reviewer="Dana", text=ev.text)
        [stored] = store.stored(doc_id=lloyds.doc_id)
    reviewed = next(e for e in stored.result.elements if e.element == element.element)
    assert not reviewed.present and not reviewed.evidence and len(reviewed.rejected) == len(element.evidence)
    texts = {ev.text for ev in element.evidence}
    for c in stored.result.maturity.criteria:
        assert not any(e.text in texts and e.source.startswith(f"element {element.element} ") for e in c.evidence)


def test_decisions_are_idempotent_and_comments_change_nothing(scored, rubric):
    lloyds = scored["lloyds_banking_group_2018"]
    decisions = [make_decision(lloyds.doc_id, "gate:director_signature", "reject", reviewer="Dana"),
                 make_decision(lloyds.doc_id, "criterion:C06", "set_level", level=3, reviewer="Dana")]
    once = apply(lloyds, decisions, rubric)
    assert apply(lloyds, decisions + decisions, rubric) == once  # the same decisions twice: the same result
    assert apply(once, decisions, rubric).maturity == once.maturity  # applied again: nothing moves
    comment = make_decision(lloyds.doc_id, "document:all", "comment", reviewer="Dana", comment="call the firm")
    assert apply(lloyds, [comment], rubric) == lloyds


def test_a_stored_database_holds_one_truth_after_reopening(db, scored):
    lv = scored["lv_2018"]
    with Store(db) as store:
        store.add_review(lv.doc_id, "gate", "director_signature", "reject", reviewer="Dana")
        store.save(lv)  # rescoring the same file keeps the decision applied
    with Store(db) as store:
        assert sql(store, "SELECT statutory_state FROM results WHERE doc_id=?", lv.doc_id)[0][0] == "not_met"
        [item] = store.reviewed_results(doc_id=lv.doc_id)
        assert item["statutory"]["state"] == "not_met"


def write_csv(path, rows):
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["doc_id", "target", "decision", "level", "reviewer", "comment"])
        writer.writerows(rows)
    return path


def test_review_import_records_through_the_same_code_and_export_writes_the_trail(db, scored, tmp_path):
    lloyds, lv = scored["lloyds_banking_group_2018"], scored["lv_2018"]
    decisions = write_csv(tmp_path / "decisions.csv", [
        [lloyds.doc_id, "element:approval", "reject", "", "Dana", "no board named"],
        [lv.doc_id, "criterion:C06", "set_level", "3", "Sam", ""],
        [lv.doc_id, "gate:board_approval", "confirm", "", "Sam", "minutes seen"],
    ])
    run = CliRunner().invoke(main, ["review", "import", str(decisions), "--db", str(db)])
    assert run.exit_code == 0, run.output
    assert "Recorded 3 decision(s) on 2 document(s)" in run.output
    with Store(db) as store:
        assert sql(store, "SELECT statutory_state FROM results WHERE doc_id=?", lloyds.doc_id)[0][0] == "not_met"
        assert sql(store, "SELECT c.level FROM criterion_results c JOIN results r ON r.id = c.result_id"
                          " WHERE r.doc_id=? AND criterion='C06'", lv.doc_id)[0][0] == 3
    trail = tmp_path / "trail.csv"
    run = CliRunner().invoke(main, ["review", "export", "--db", str(db), "--out", str(trail)])
    assert run.exit_code == 0, run.output
    rows = list(csv.DictReader(trail.open()))
    assert [(r["target"], r["decision"], r["level"], r["comment"]) for r in rows] == [
        ("element:approval", "reject", "", "no board named"), ("criterion:C06", "set_level", "3", ""),
        ("gate:board_approval", "confirm", "", "minutes seen")]
    # the exported trail imports again unchanged in meaning (same targets and decisions)
    assert [d.target for d in read_decisions_csv(trail)] == [r["target"] for r in rows]


@pytest.mark.parametrize(("row", "message"), [
    (["x", "criterion:C06", "reject", "", "Dana", ""], "'reject' is not a decision on a criterion"),
    (["x", "criterion:C06", "set_level", "high", "Dana", ""], "set_level needs a whole-number level"),
    (["x", "approval", "confirm", "", "Dana", ""], "target 'approval' is not <kind>:<id>"),
    (["x", "element:approval", "confirm", "", "", ""], "needs the reviewer's name"),
])
def test_a_bad_row_is_refused_with_its_line_and_records_nothing(db, tmp_path, row, message):
    good = ["y", "element:approval", "confirm", "", "Dana", ""]
    path = write_csv(tmp_path / "bad.csv", [good, row])
    run = CliRunner().invoke(main, ["review", "import", str(path), "--db", str(db)])
    assert run.exit_code != 0 and message in run.output and "line 3" in run.output
    with Store(db) as store:
        assert store.decisions() == []


def test_unknown_documents_and_levels_off_the_scale_record_nothing(db, scored, tmp_path):
    lv = scored["lv_2018"]
    with Store(db) as store:
        with pytest.raises(StoreError, match="no stored document with doc_id nope"):
            store.add_decisions([make_decision(lv.doc_id, "gate:board_approval", "confirm", reviewer="D"),
                                 make_decision("nope", "gate:board_approval", "confirm", reviewer="D")])
        with pytest.raises(StoreError, match="level 9 is not on the rubric's scale"):
            store.add_decisions([make_decision(lv.doc_id, "criterion:C06", "set_level", level=9, reviewer="D")])
        assert store.decisions() == []
    with pytest.raises(DataError, match="no rows"):
        read_decisions_csv(write_csv(tmp_path / "empty.csv", []))


@pytest.mark.slow
def test_report_with_a_database_applies_the_documents_decisions(db, scored, tmp_path):
    lloyds = scored["lloyds_banking_group_2018"]
    with Store(db) as store:
        store.add_review(lloyds.doc_id, "gate", "board_approval", "reject", reviewer="Dana", comment="minutes missing")
    out = tmp_path / "lloyds.md"
    run = CliRunner().invoke(main, ["report", str(SAMPLES / "lloyds_banking_group_2018.pdf"), "--out", str(out),
                                    "--db", str(db), "--model", "models/default"])
    assert run.exit_code == 0, run.output
    assert "(1 reviewer decision(s) applied)" in run.output
    text = out.read_text()
    assert "minutes missing" in text  # the reviewer's reason is the check's reason in the report


# -- found by a cold review: an evidence decision is about one element and one sentence ----------------------

def test_rejecting_a_sentence_for_one_element_leaves_other_elements_and_their_check(db, scored):
    lloyds = scored["lloyds_banking_group_2018"]
    approval = next(e for e in lloyds.elements if e.element == "approval")
    shared = next(ev for ev in approval.evidence
                  if any(ev.text == other.text for e in lloyds.elements if e.element != "approval" for other in e.evidence))
    other = next(e.element for e in lloyds.elements if e.element != "approval" and any(ev.text == shared.text
                                                                                      for ev in e.evidence))
    with Store(db) as store:
        store.add_review(lloyds.doc_id, "evidence", evidence_target(other, shared.sentence_index, shared.text), "reject",
                         reviewer="Dana", text=shared.text)
        [stored] = store.stored(doc_id=lloyds.doc_id)
    assert next(e for e in stored.result.elements if e.element == "approval").evidence == approval.evidence
    assert stored.result.maturity.statutory_state == "met"  # "not evidence of <other>" fails no approval check
    assert any(ev.text == shared.text for ev in next(e for e in stored.result.elements if e.element == other).rejected)


def test_an_evidence_decision_whose_hash_names_another_sentence_rejects_nothing(scored, rubric):
    lloyds = scored["lloyds_banking_group_2018"]
    approval = next(e for e in lloyds.elements if e.element == "approval")
    ev = approval.evidence[0]
    wrong = make_decision(lloyds.doc_id, f"evidence:{evidence_target('approval', ev.sentence_index, 'another sentence')}",
                          "reject", reviewer="Dana")
    assert next(e for e in apply(lloyds, [wrong], rubric).elements if e.element == "approval") == approval


def test_the_same_decisions_give_the_same_truth_however_they_were_written(db, scored):
    lloyds = scored["lloyds_banking_group_2018"]
    criterion = max(lloyds.maturity.criteria, key=lambda c: len(c.evidence))
    with Store(db) as store:
        for ev in criterion.evidence[:8]:
            for element in {s.split(" ")[1] for s in ev.source.split(" + ") if s.startswith("element ")}:
                store.add_review(lloyds.doc_id, "evidence", evidence_target(element, ev.sentence_index, ev.text),
                                 "reject", reviewer="Dana", text=ev.text)
        rows = lambda: sql(store, "SELECT c.criterion, c.level FROM criterion_results c JOIN results r"  # noqa: E731
                                  " ON r.id = c.result_id WHERE r.doc_id=? ORDER BY 1", lloyds.doc_id)
        after_decisions = [tuple(r) for r in rows()]
        store.save(lloyds)  # rescoring the same file
        assert [tuple(r) for r in rows()] == after_decisions
        store.add_review(lloyds.doc_id, "document", "all", "comment", reviewer="Dana", comment="checked")
        assert [tuple(r) for r in rows()] == after_decisions


def test_an_imported_evidence_decision_without_its_sentence_still_reaches_the_gate(db, scored, tmp_path):
    lloyds = scored["lloyds_banking_group_2018"]
    approval = next(e for e in lloyds.elements if e.element == "approval")
    rows = [[lloyds.doc_id, f"evidence:{evidence_target('approval', ev.sentence_index, ev.text)}", "reject", "", "Dana",
             ""] for ev in approval.evidence]
    run = CliRunner().invoke(main, ["review", "import", str(write_csv(tmp_path / "ev.csv", rows)), "--db", str(db)])
    assert run.exit_code == 0, run.output
    with Store(db) as store:
        [stored] = store.stored(doc_id=lloyds.doc_id)
    check = next(g for g in stored.result.maturity.gate if g.id == "board_approval")
    gate_quotes = {q.text for q in lloyds.maturity.gate[0].evidence}
    assert gate_quotes <= {ev.text for ev in approval.evidence}  # every quote of the check was rejected
    # The quote is not it, but nobody said the law is not met: the check needs review, not a failure.
    assert check.state == "not_found" and "rejected by a reviewer" in check.reason
    assert stored.result.maturity.statutory_met is None
    assert not next(e for e in stored.result.elements if e.element == "approval").present


def test_another_rubric_versions_result_keeps_its_gaps_with_reviewed_levels(scored, rubric):
    from dataclasses import replace

    lloyds = replace(scored["lloyds_banking_group_2018"], rubric_version="maturity@0.9.0")
    gap = lloyds.maturity.gaps[0]
    reviewed = apply(lloyds, [make_decision(lloyds.doc_id, f"criterion:{gap.criterion}", "set_level",
                                            level=gap.level + 1, reviewer="Dana")], rubric)
    assert [g.criterion for g in reviewed.maturity.gaps] == [g.criterion for g in lloyds.maturity.gaps]
    assert next(g for g in reviewed.maturity.gaps if g.criterion == gap.criterion).level == gap.level + 1


@pytest.mark.slow
def test_a_staff_edited_rubric_applies_decisions_whoever_opens_the_database(tmp_path, models):
    """The bug of issue 19: results scored with an edited rubric (another version) were re-scored with
    the bundled one when the database was opened without it (as the dashboard, the CLI and the Dask
    workers open it), so rejecting an element no longer moved the criteria that rest on it."""
    from conftest import score_into
    from disclosure_check.pipeline import Scorer
    from disclosure_check.rubric import DEFAULT_RUBRIC, load_rubric

    bundled = Path(__file__).parents[1] / "src" / "disclosure_check" / "rubrics" / DEFAULT_RUBRIC
    edited = tmp_path / "edited.yaml"
    edited.write_text(re.sub(r"(?m)^version: .*$", "version: 9.9.9-staff", bundled.read_text()), encoding="utf-8")
    custom = load_rubric(edited)
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SAMPLES / "lv_2018.pdf", folder)
    db = tmp_path / "r.db"
    with Store(db) as store:
        assert score_into(store, [folder], Scorer(custom, models)).scored == 1
    resting = [c.id for c in custom.criteria if c.elements == ("approval",)]
    levels = {}
    for name, known in (("plain", ()), ("with the rubric", custom)):
        copy = tmp_path / f"{name}.db"
        shutil.copy(db, copy)
        with Store(copy, rubrics=known) as store:
            [before] = store.stored()
            store.add_review(before.doc_id, "element", "approval", "reject", reviewer="Dana")
            [after] = store.stored()
        assert after.result.rubric_version == custom.key != load_rubric().key
        levels[name] = {c.id: (m.level, c.level) for c, m in zip(after.result.maturity.criteria,
                                                                  after.machine.maturity.criteria, strict=True)
                        if c.id in resting}
    assert levels["plain"] == levels["with the rubric"]  # the same decision, the same truth
    moved = {cid: pair for cid, pair in levels["plain"].items() if pair[0] > 0}
    assert moved and all(reviewed == 0 for _, reviewed in moved.values())  # the approval evidence no longer counts


def test_results_scored_with_an_older_rubric_still_take_element_decisions_on_the_gate(tmp_path, scored, rubric):
    """A result stored before checks recorded their element, under a rubric version the database does
    not keep: rejecting the approval element still fails board approval (the opener's rubric names
    which element a check rests on), and a later comment does not undo it."""
    from dataclasses import replace as dc_replace

    lloyds = scored["lloyds_banking_group_2018"]
    old = dc_replace(lloyds, rubric_version=f"{rubric.id}@0.9.0",
                     maturity=dc_replace(lloyds.maturity, gate=tuple(dc_replace(g, element=None)
                                                                     for g in lloyds.maturity.gate)))
    db = tmp_path / "old.db"
    with Store(db) as store:
        store.save(old)  # no rubric kept for 0.9.0
    checks = [g for g in rubric.gate if g.element == "approval"]
    assert checks
    with Store(db, rubrics=rubric) as store:
        store.add_review(lloyds.doc_id, "element", "approval", "reject", reviewer="Dana")
        store.add_review(lloyds.doc_id, "document", "note", "comment", reviewer="Sam", comment="seen")
        [after] = store.stored()
    states = {g.id: g.state for g in after.result.maturity.gate}
    assert all(states[c.id] == "not_met" for c in checks) and after.result.maturity.statutory_met is False


def test_an_edited_rubric_under_a_kept_version_is_refused(tmp_path, rubric):
    from dataclasses import replace as dc_replace

    with Store(tmp_path / "r.db") as store:
        store.keep_rubric(rubric)
        store.keep_rubric(rubric)  # the same rubric again: nothing to say
        edited = dc_replace(rubric, title=rubric.title + " (edited)")
        with pytest.raises(StoreError, match="edited without a new version"):
            store.keep_rubric(edited)
        assert store.rubric(rubric.key) == rubric
