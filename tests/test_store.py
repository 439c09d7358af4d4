"""The SQLite store: migrations, idempotent upserts, failures, URLs."""

from __future__ import annotations

import sqlite3

import pytest

from conftest import SAMPLES
from disclosure_check.errors import StoreError
from disclosure_check.store import MIGRATIONS, Store, parse_db_url
from disclosure_check.types import Failure


@pytest.fixture(scope="module")
def lv_result(scorer):
    return scorer.score_file(SAMPLES / "lv_2018.pdf")


def test_migrations_are_recorded_in_order(tmp_path):
    path = tmp_path / "results.db"
    with Store(path) as store:
        assert store.schema_version() == len(MIGRATIONS)
    with Store(f"sqlite:///{path}") as store:  # reopening applies nothing new
        rows = store.conn.execute("SELECT version, name FROM schema_migrations").fetchall()
        assert [r[0] for r in rows] == list(range(1, len(MIGRATIONS) + 1))


def test_rescoring_the_same_document_is_idempotent(lv_result):
    with Store(":memory:") as store:
        store.save(lv_result)
        counts = {t: store.table_count(t) for t in ("documents", "results", "element_results", "evidence")}
        store.save(lv_result)
        store.save(lv_result)
        assert {t: store.table_count(t) for t in counts} == counts
        assert counts["results"] == 1 and counts["element_results"] == 11 and counts["evidence"] > 0
        stored = store.result_dict(lv_result.doc_id, lv_result.rubric_version, lv_result.model_version)
        assert stored["elements"]["approval"]["present"] is True
        assert store.stored_status(lv_result.doc_id, lv_result.rubric_version, lv_result.model_version) == "scored"


def test_a_new_model_version_is_stored_beside_the_old(lv_result):
    from dataclasses import replace

    with Store(":memory:") as store:
        store.save(lv_result)
        store.save(replace(lv_result, model_version="tfidf-logreg.v1+other"))
        assert store.table_count("results") == 2
        assert store.table_count("documents") == 1


def test_failures_are_stored_with_their_reason():
    failure = Failure(doc_id="abc", path="/in/bad.pdf", code="DC102", reason="PDF is encrypted",
                      rubric_version="disclosure@1.0.0", model_version="m")
    with Store(":memory:") as store:
        store.save(failure)
        [item] = store.results(status="failed")
        assert item["error"] == "PDF is encrypted" and item["error_code"] == "DC102"
        assert store.counts() == {"failed": 1}


def test_newer_schema_is_refused(tmp_path):
    path = tmp_path / "future.db"
    Store(path).close()
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO schema_migrations VALUES (99, 'from the future', 'x')")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="newer than this tool"):
        Store(path)


def test_database_urls():
    assert parse_db_url("sqlite:///data/x.db") == "data/x.db"
    assert parse_db_url("sqlite://") == ":memory:"
    assert parse_db_url("results.db") == "results.db"
    with pytest.raises(StoreError, match="unsupported database URL"):
        parse_db_url("postgresql://host/db")


FAILED = Failure(doc_id="doc", path="/in/doc.pdf", code="DC103", reason="damaged", rubric_version="r",
                 model_version="m")


def _open_and_review(path: str, n: int) -> int:
    with Store(path) as store:
        store.save(FAILED)
        return store.add_review("doc", "element", "approval", "confirm", reviewer=f"reviewer {n}")


def test_six_processes_opening_a_new_database_at_once_all_succeed(tmp_path):
    """First-time migrations under concurrency: one process applies each, the rest find it done."""
    from concurrent.futures import ProcessPoolExecutor

    path = str(tmp_path / "new.db")
    with ProcessPoolExecutor(6) as pool:
        ids = list(pool.map(_open_and_review, [path] * 6, range(6)))
    assert sorted(ids) == [1, 2, 3, 4, 5, 6]
    with Store(path) as store:
        versions = [r[0] for r in store.conn.execute("SELECT version FROM schema_migrations")]
        assert versions == list(range(1, len(MIGRATIONS) + 1))
        assert sorted(r["reviewer"] for r in store.reviews()) == [f"reviewer {n}" for n in range(6)]


def test_a_decision_waits_for_a_long_write_lock_instead_of_being_lost(tmp_path):
    """Another process holding the write lock for longer than sqlite's default 5 s timeout."""
    import subprocess
    import sys
    import time

    path = tmp_path / "busy.db"
    with Store(path) as store:
        store.save(FAILED)
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sqlite3, sys, time\n"
        f"c = sqlite3.connect({str(path)!r}, isolation_level=None)\n"
        "c.execute('BEGIN IMMEDIATE'); print('locked', flush=True); time.sleep(6.5); c.execute('COMMIT')\n")],
        stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "locked"
    started = time.monotonic()
    with Store(path) as store:
        store.add_review("doc", "gate", "signature", "reject", reviewer="Ada")
        waited = time.monotonic() - started
        assert [r["reviewer"] for r in store.reviews()] == ["Ada"]
    holder.wait(10)
    assert waited > 5  # it really was blocked past the old 5 s limit, and still recorded


def test_an_old_database_is_migrated_in_one_step_per_version(tmp_path):
    """A database at schema 1 (as the first release wrote it) opens and gains every later column."""
    from disclosure_check.store import _statements

    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT)")
    for statement in _statements(MIGRATIONS[0][1]):
        conn.execute(statement)
    conn.execute("INSERT INTO schema_migrations VALUES (1, 'first', 'then')")
    conn.commit()
    conn.close()
    with Store(path) as store:
        assert store.schema_version() == len(MIGRATIONS)
        columns = {r[1] for r in store.conn.execute("PRAGMA table_info(evidence)")}
        assert {"status", "boxes", "ocr"} <= columns
        store.save(FAILED)
        store.add_review("doc", "element", "approval", "confirm", reviewer="x")
        with pytest.raises(sqlite3.IntegrityError, match="audit trail"):
            store.conn.execute("UPDATE reviews SET reviewer='someone else'")


def test_a_manifest_identity_takes_precedence_over_the_statements(lv_result):
    with Store(":memory:") as store:
        store.save(lv_result)
        [before] = store.stored()
        store.save(lv_result, organisation="Liverpool Victoria Financial Services Limited", year=2019)
        [after] = store.stored()
        assert (after.organisation, after.year) == ("Liverpool Victoria Financial Services Limited", 2019)
        assert (before.organisation, before.year) != (after.organisation, after.year)
        store.save(lv_result)  # a later save without one goes back to what the statement says
        assert (store.stored()[0].organisation, store.stored()[0].year) == (before.organisation, before.year)
