"""Assignments, blind second review, disagreements and agreement through the store, on SQLite and
PostgreSQL: real statements scored once, decisions recorded as the dashboard records them."""

from __future__ import annotations

import csv
import json

import pytest
from click.testing import CliRunner

from disclosure_check.assess.decisions import make_decision
from disclosure_check.assess.verification import submission
from disclosure_check.cli import main
from disclosure_check.errors import StoreError
from disclosure_check.store.assignments import Assignments, sample_ids
from disclosure_check.store.queries import Filters
from disclosure_check.store.store import Store
from disclosure_check.store.verification import (
    agreement,
    agreement_records,
    disputes,
    document_levels,
    verifications,
)


@pytest.fixture(scope="module")
def scored(scored_sample):
    return {name: scored_sample(name) for name in ("lloyds_banking_group_2018", "lv_2018")}


@pytest.fixture
def db(db_url, scored, rubric):
    with Store(db_url) as store:
        for result in scored.values():
            store.save(result, rubric=rubric)
    return db_url


def criterion(result, below: int = 4):
    return next(c for c in result.maturity.criteria if c.applies and c.level < below)


def test_a_random_sample_is_the_same_for_the_same_seed():
    ids = [f"d{i}" for i in range(40)]
    assert sample_ids(ids, 5, seed=7) == sample_ids(list(reversed(ids)), 5, seed=7)
    assert len(sample_ids(ids, 5, seed=7)) == 5 and sample_ids(ids, 5, seed=7) != sample_ids(ids, 5, seed=8)
    assert sample_ids(ids[:3], 5, seed=7) == ["d0", "d1", "d2"]  # fewer than asked: all of them


def test_assignments_queue_and_done_on_submission(db, scored):
    lloyds, lv = scored["lloyds_banking_group_2018"].doc_id, scored["lv_2018"].doc_id
    with Store(db) as store:
        assignments = Assignments(store)
        assert assignments.assign([lloyds, lv], "Ann", "first", assigned_by="Lead", sample="random 2 of 2 (seed 1)") == 2
        assert assignments.assign([lloyds], "Ann", "first", assigned_by="Lead") == 0  # already assigned
        with pytest.raises(StoreError, match="second review must be by someone else"):
            assignments.assign([lloyds], "Ann", "second", assigned_by="Lead")
        with pytest.raises(StoreError, match="no stored document"):
            assignments.assign(["nope"], "Bob", "second", assigned_by="Lead")
        assert assignments.assign([lloyds], "Bob", "second", assigned_by="Lead") == 1
        queue = assignments.all(reviewer="Ann")
        assert [(a.role, a.done, a.sample) for a in queue] == [("first", False, "random 2 of 2 (seed 1)")] * 2
        assert assignments.open_second(lloyds, "Bob") and not assignments.open_second(lloyds, "Ann")
        store.add_decisions([submission(lloyds, "Ann")])
        assert [a.done for a in assignments.all(reviewer="Ann", doc_id=lloyds)] == [True]
        assert assignments.open_role(lv, "Ann") == "first" and assignments.open_role(lloyds, "Bob") == "second"
        assert store.table_count("assignments") == 3


def test_blind_second_review_disagreement_resolution_and_levels(db, scored):
    result = scored["lv_2018"]
    lv = result.doc_id
    c = criterion(result)
    with Store(db) as store:
        Assignments(store).assign([lv], "Bob", "second", assigned_by="Lead")
        store.add_decisions([make_decision(lv, f"criterion:{c.id}", "set_level", reviewer="Ann", level=c.level + 1),
                             make_decision(lv, "gate:board_approval", "confirm", reviewer="Ann"),
                             submission(lv, "Ann")])
        assert verifications(store)[lv].level == "reviewed"
        assert document_levels(store) == {"machine": 1, "reviewed": 1, "verified": 0, "disputed": 0}
        # Bob's view: the machine's result and only his own decisions
        [stored] = store.stored(doc_id=lv)
        blind = Assignments(store).blind_view(stored, "Bob")
        assert blind.decisions == () and blind.result == stored.machine
        store.add_decisions([make_decision(lv, f"criterion:{c.id}", "set_level", reviewer="Bob", level=c.level,
                                           role="second"),
                             make_decision(lv, "gate:board_approval", "confirm", reviewer="Bob", role="second")])
        [stored] = store.stored(doc_id=lv)
        blind = Assignments(store).blind_view(stored, "Bob")
        assert [d.reviewer for d in blind.decisions] == ["Bob", "Bob"]
        # the value shown stays Ann's while they disagree
        assert next(x for x in stored.result.maturity.criteria if x.id == c.id).level == c.level + 1
        store.add_decisions([submission(lv, "Bob", "second")])
        found = verifications(store)[lv]
        assert found.level == "disputed"
        assert (found.of("criterion", c.id).level, found.of("gate", "board_approval").level) == ("disputed", "verified")
        [dispute] = disputes(store)
        assert (dispute.finding.shown_value, dispute.finding.second_value, dispute.finding.second_reviewer) == (
            str(c.level + 1), str(c.level), "Bob")
        assert document_levels(store, Filters()) == {"machine": 1, "reviewed": 0, "verified": 0, "disputed": 1}
        # agreement: two findings coded by both on one document
        rows = {(r.comparison, r.target_id): r.agreement for r in agreement(store, None)}
        assert rows[("reviewers", c.id)].raw == 0.0 and rows[("reviewers", "board_approval")].raw == 1.0
        assert rows[("reviewers", "board_approval")].kappa is None  # one category throughout: undefined
        # a resolution: Cat takes Bob's level, recorded with who and when
        store.add_decisions([make_decision(lv, f"criterion:{c.id}", "set_level", reviewer="Cat", level=c.level,
                                           role="resolution")])
        [stored] = store.stored(doc_id=lv)
        assert next(x for x in stored.result.maturity.criteria if x.id == c.id).level == c.level
        assert verifications(store)[lv].level == "verified" and disputes(store) == []
        assert document_levels(store, Filters()) == {"machine": 1, "reviewed": 0, "verified": 1, "disputed": 0}
        [item] = store.reviewed_results(doc_id=lv)
    assert item["verification"]["level"] == "verified"
    assert set(item["verification"]["reviewers"]) == {"Ann", "Bob", "Cat"}
    entry = next(x for x in item["criteria"] if x["id"] == c.id)["verification"]
    assert (entry["level"], entry["reviewers"], entry["decisions"]) == ("verified", ["Ann", "Bob", "Cat"], 3)
    assert entry["last_decided_at"]


def test_agreement_from_the_command_line(db, scored, tmp_path):
    if not str(db).endswith(".db"):
        pytest.skip("the CLI test reads the SQLite file (the same reads are tested on both back-ends above)")
    lv = scored["lv_2018"].doc_id
    with Store(db) as store:
        store.add_decisions([make_decision(lv, "gate:board_approval", "reject", reviewer="Ann"),
                             make_decision(lv, "gate:board_approval", "reject", reviewer="Bob", role="second")])
        unsubmitted = agreement_records(agreement(store, None))  # Bob's review is not submitted yet: not compared
        assert all(r["n"] == 0 for r in unsubmitted if r["comparison"] == "first vs second reviewer")
        store.add_decisions([submission(lv, "Bob", "second")])
        records = agreement_records(agreement(store, None))
    assert any(r["id"] == "board_approval" and r["kappa"] is None and "undefined" in r["note"] for r in records)
    out = tmp_path / "agreement.csv"
    result = CliRunner().invoke(main, ["agreement", "--db", str(db), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "over 2 document(s) (1 reviewed twice)" in result.output
    rows = list(csv.DictReader(out.open()))
    row = next(r for r in rows if r["id"] == "board_approval" and r["comparison"] == "first vs second reviewer")
    assert (row["n"], row["raw_agreement"], row["kappa"]) == ("1", "1.0", "")
    assert row["note"].startswith("undefined")
    export = tmp_path / "export.json"
    assert CliRunner().invoke(main, ["export", "--db", str(db), "--out", str(export)]).exit_code == 0
    item = next(i for i in json.loads(export.read_text()) if i["doc_id"] == lv)
    check = next(x for x in item["statutory"]["checks"] if x["id"] == "board_approval")
    assert check["verification"]["level"] == "verified" and item["verification"]["level"] == "verified"
