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
