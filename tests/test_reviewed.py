"""Learning from reviewers: per-sentence decisions survive an old database's migration, export as
labelled examples (latest decision wins), and join training without entering the test folds."""

from __future__ import annotations

import json
import sqlite3

import pandas as pd
import pytest
from click.testing import CliRunner

from conftest import AIMS
from disclosure_check.assess.decisions import evidence_target
from disclosure_check.cli import main
from disclosure_check.errors import DataError, StoreError
from disclosure_check.store.database import sqlite_statements as _statements
from disclosure_check.store.store import MIGRATIONS, Store
from disclosure_check.train.reviewed import read_examples


def old_database(path) -> None:
    """A database as release 7 left it, with one element decision in the audit trail."""
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT)")
    for version, (name, sql) in enumerate(MIGRATIONS[:7], start=1):
        for statement in _statements(sql):
            conn.execute(statement)
        conn.execute("INSERT INTO schema_migrations VALUES (?, ?, 'then')", (version, name))
    conn.execute("INSERT INTO documents (doc_id, path, file_name, first_seen, last_seen) VALUES ('d', 'p', 'f', 't', 't')")
    conn.execute("""INSERT INTO reviews (doc_id, target_kind, target_id, decision, reviewer, created_at)
                    VALUES ('d', 'element', 'approval', 'reject', 'Ann', '2026-01-01T00:00:00+00:00')""")
    conn.commit()
    conn.close()


def test_migration_8_keeps_old_decisions_and_the_audit_trail(tmp_path):
    path = tmp_path / "old.db"
    old_database(path)
    with Store(path) as store:
        assert store.schema_version() == len(MIGRATIONS) >= 8
        [old] = store.decisions()
        assert (old.kind, old.target_id, old.reviewer, old.text) == ("element", "approval", "Ann", None)
        sentence = "The Board of Directors approved this statement on 12 June 2020."
        store.add_review("d", "evidence", evidence_target("approval", 4, sentence), "confirm", reviewer="Bo",
                         text=sentence)
        with pytest.raises(StoreError, match="needs the sentence"):
            store.add_review("d", "evidence", "approval:4:x", "confirm", reviewer="Bo")
        with pytest.raises(sqlite3.IntegrityError, match="audit trail"):
            store.conn.execute("UPDATE reviews SET reviewer='someone else'")
        with pytest.raises(sqlite3.IntegrityError, match="audit trail"):
            store.conn.execute("DELETE FROM reviews")
        with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
            store.conn.execute("INSERT INTO reviews (doc_id, target_kind, target_id, decision, reviewer, created_at) "
                               "VALUES ('d', 'sentence', 'x', 'confirm', 'Bo', 't')")
        assert [d.kind for d in store.decisions()] == ["element", "evidence"]


APPROVAL = "This statement was approved by the Board of Directors of Acme Ltd on 12 June 2020."
NOT_REMEDIATION = "We did not identify any instances of modern slavery during the reporting period."


def reviewed_db(path, result) -> str:
    """A database at ``path`` holding ``result`` with sentence and element decisions on it."""
    with Store(path) as store:
        store.save(result)
        [item] = store.reviewed_results(apply=False)
        doc = item["doc_id"]
        approval = evidence_target("approval", 3, APPROVAL)
        store.add_review(doc, "evidence", approval, "reject", reviewer="Ann", text=APPROVAL)
        store.add_review(doc, "evidence", approval, "confirm", reviewer="Bo", text=APPROVAL)  # the later one wins
        store.add_review(doc, "evidence", evidence_target("remediation", 9, NOT_REMEDIATION), "reject",
                         reviewer="Ann", text=NOT_REMEDIATION)
        store.add_review(doc, "element", "approval", "confirm", reviewer="Ann")  # not a sentence decision
    return doc


def test_review_examples_exports_the_latest_decision_per_sentence(tmp_path, db_url, scored_sample, rubric):
    db = db_url
    doc = reviewed_db(db, scored_sample("lv_2018"))
    out = tmp_path / "examples.csv"
    result = CliRunner().invoke(main, ["review", "examples", "--db", str(db), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output == f"Wrote 2 reviewed example(s) (1 confirmed, 1 rejected) to {out}\n"
    frame = pd.read_csv(out)
    assert list(frame.columns) == ["doc_id", "sentence", "element", "label", "reviewer", "decided_at"]
    assert frame[["sentence", "element", "label", "reviewer"]].values.tolist() == [
        [APPROVAL, "approval", 1, "Bo"], [NOT_REMEDIATION, "remediation", 0, "Ann"]]
    assert set(frame["doc_id"]) == {doc}
    assert [e.element for e in read_examples(out, rubric)] == ["approval", "remediation"]


def test_bad_reviewed_files_are_refused(tmp_path, rubric):
    bad = tmp_path / "bad.csv"
    bad.write_text("doc_id,sentence,element,label,reviewer,decided_at\nd,Some sentence.,modern_slavery,1,A,t\n")
    with pytest.raises(DataError, match="unknown element 'modern_slavery' at line 2"):
        read_examples(bad, rubric)
    bad.write_text("doc_id,sentence,element,label,reviewer,decided_at\nd,Some sentence.,approval,yes,A,t\n")
    with pytest.raises(DataError, match="line 2 needs a sentence and a label of 0 or 1"):
        read_examples(bad, rubric)


@pytest.mark.slow
def test_train_with_reviewed_examples_records_them_and_keeps_them_out_of_the_folds(tmp_path, rubric):
    from disclosure_check.classify.modelset import SENTENCE
    from disclosure_check.train.reviewed import ReviewedExample, write_examples

    frame = pd.read_csv(AIMS / "aims_au_sentences.csv")
    subset = tmp_path / "subset.csv"
    frame[frame["statement_id"].isin(frame["statement_id"].unique()[:10])].to_csv(subset, index=False)
    reviewed = tmp_path / "reviewed.csv"
    write_examples([ReviewedExample("d", APPROVAL, "approval", 1, "Bo", "t"),
                    ReviewedExample("d", NOT_REMEDIATION, "remediation", 0, "Ann", "t")], reviewed)
    runner = CliRunner()
    plain = runner.invoke(main, ["train", "--data", str(subset), "--out", str(tmp_path / "a"), "--folds", "2", "--jobs", "1"])
    assert plain.exit_code == 0, plain.output
    result = runner.invoke(main, ["train", "--data", str(subset), "--out", str(tmp_path / "b"), "--folds", "2",
                                  "--jobs", "1", "--reviewed", str(reviewed)])
    assert result.exit_code == 0, result.output
    assert "with 2 reviewed example(s)" in result.output
    before = json.loads((tmp_path / "a" / SENTENCE / "meta.json").read_text())
    after = json.loads((tmp_path / "b" / SENTENCE / "meta.json").read_text())
    assert before["reviewed_examples"] == 0 and before["reviewed_sha256"] is None
    assert after["reviewed_examples"] == 2 and len(after["reviewed_sha256"]) == 64
    assert after["model_version"] != before["model_version"]
    # Extra rows never enter a test fold: the cross-validated sentence count is the corpus's alone.
    assert after["cv"]["sentences"] == before["cv"]["sentences"] == len(pd.read_csv(subset))
