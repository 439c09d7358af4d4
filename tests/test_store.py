"""The store on both back-ends (``db_url``: SQLite and PostgreSQL): migrations, idempotent upserts,
failures, URLs, concurrent writers; and what is SQLite's alone (file paths, its write lock) or
PostgreSQL's (advisory-locked migrations, the append-only trigger)."""

from __future__ import annotations

import sqlite3

import pytest

from conftest import schema_one_database
from disclosure_check.errors import StoreError
from disclosure_check.store.accounts import Accounts
from disclosure_check.store.database import parse_db_url
from disclosure_check.store.schema import MIGRATIONS
from disclosure_check.store.store import Store
from disclosure_check.types import Failure


@pytest.fixture(scope="module")
def lv_result(scored_sample):
    return scored_sample("lv_2018")


def test_migrations_are_recorded_in_order(db_url):
    with Store(db_url) as store:
        assert store.schema_version() == len(MIGRATIONS)
    reopen = db_url if "://" in db_url else f"sqlite:///{db_url}"
    with Store(reopen) as store:  # reopening applies nothing new
        rows = store.conn.execute("SELECT version, name FROM schema_migrations ORDER BY version").fetchall()
        assert [r[0] for r in rows] == list(range(1, len(MIGRATIONS) + 1))
        assert [r["name"] for r in rows] == [name for name, _ in MIGRATIONS]


def test_rescoring_the_same_document_is_idempotent(lv_result, db_url):
    with Store(db_url) as store:
        store.save(lv_result)
        counts = {t: store.table_count(t) for t in ("documents", "results", "element_results", "evidence")}
        store.save(lv_result)
        store.save(lv_result)
        assert {t: store.table_count(t) for t in counts} == counts
        assert counts["results"] == 1 and counts["element_results"] == 11 and counts["evidence"] > 0
        [stored] = store.stored(doc_id=lv_result.doc_id, versions=(lv_result.rubric_version, lv_result.model_version))
        assert stored.machine == lv_result and stored.result == lv_result
        assert store.attempt(lv_result.doc_id, lv_result.rubric_version, lv_result.model_version).status == "scored"


def test_a_new_model_version_is_stored_beside_the_old(lv_result, db_url):
    from dataclasses import replace

    with Store(db_url) as store:
        store.save(lv_result)
        store.save(replace(lv_result, model_version="tfidf-logreg.v1+other"))
        assert store.table_count("results") == 2
        assert store.table_count("documents") == 1


def test_failures_are_stored_with_their_reason(db_url):
    failure = Failure(doc_id="abc", path="/in/bad.pdf", code="DC102", reason="PDF is encrypted",
                      rubric_version="disclosure@1.0.0", model_version="m")
    with Store(db_url) as store:
        store.save(failure)
        [item] = store.reviewed_results(apply=False, status="failed")
        assert item["error"] == "PDF is encrypted" and item["error_code"] == "DC102"
        assert store.counts() == {"failed": 1}


def test_newer_schema_is_refused(db_url):
    with Store(db_url) as store:
        store.conn.execute("INSERT INTO schema_migrations VALUES (99, 'from the future', 'x')")
    with pytest.raises(StoreError, match="newer than this tool"):
        Store(db_url)


def test_database_urls():
    assert parse_db_url("sqlite:///data/x.db") == "data/x.db"
    assert parse_db_url("sqlite://") == ":memory:"
    assert parse_db_url("results.db") == "results.db"
    assert parse_db_url("postgresql://me@db:5432/results") == "postgresql://me@db:5432/results"
    assert parse_db_url("postgres://me@db/results") == "postgres://me@db/results"
    with pytest.raises(StoreError, match="unsupported database URL"):
        parse_db_url("mysql://host/db")


def test_an_unreachable_server_is_one_clean_error_without_the_password():
    with pytest.raises(StoreError, match="cannot connect to PostgreSQL") as caught:
        Store("postgresql://analyst:s3cret@127.0.0.1:1/results")
    assert "s3cret" not in str(caught.value) and "analyst:***@127.0.0.1:1" in str(caught.value)


FAILED = Failure(doc_id="doc", path="/in/doc.pdf", code="DC103", reason="damaged", rubric_version="r",
                 model_version="m")


def _open_and_review(path: str, n: int) -> int:
    with Store(path) as store:
        store.save(FAILED)
        return store.add_review("doc", "element", "approval", "confirm", reviewer=f"reviewer {n}")


def test_six_processes_opening_a_new_database_at_once_all_succeed(db_url):
    """First-time migrations under concurrency: one process applies each, the rest find it done
    (SQLite: its write lock; PostgreSQL: a transaction-scoped advisory lock)."""
    from concurrent.futures import ProcessPoolExecutor

    path = db_url
    with ProcessPoolExecutor(6) as pool:
        ids = list(pool.map(_open_and_review, [path] * 6, range(6)))
    assert sorted(ids) == [1, 2, 3, 4, 5, 6]
    with Store(path) as store:
        versions = [r[0] for r in store.conn.execute("SELECT version FROM schema_migrations")]
        assert versions == list(range(1, len(MIGRATIONS) + 1))
        assert sorted(d.reviewer for d in store.decisions()) == [f"reviewer {n}" for n in range(6)]


@pytest.mark.slow
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
        assert [d.reviewer for d in store.decisions()] == ["Ada"]
    holder.wait(10)
    assert waited > 5  # it really was blocked past the old 5 s limit, and still recorded


def test_an_old_database_is_migrated_in_one_step_per_version(tmp_path):
    """A database at schema 1 (as the first release wrote it) opens and gains every later column."""
    path = tmp_path / "old.db"
    schema_one_database(path)
    with Store(path) as store:
        assert store.schema_version() == len(MIGRATIONS)
        columns = {r[1] for r in store.conn.execute("PRAGMA table_info(evidence)")}
        assert {"status", "boxes", "ocr"} <= columns
        store.save(FAILED)
        store.add_review("doc", "element", "approval", "confirm", reviewer="x")
        with pytest.raises(sqlite3.IntegrityError, match="audit trail"):
            store.conn.execute("UPDATE reviews SET reviewer='someone else'")


def test_a_manifest_identity_takes_precedence_over_the_statements(lv_result, db_url):
    with Store(db_url) as store:
        store.save(lv_result)
        [before] = store.stored()
        store.save(lv_result, organisation="Liverpool Victoria Financial Services Limited", year=2019)
        [after] = store.stored()
        assert (after.organisation, after.year) == ("Liverpool Victoria Financial Services Limited", 2019)
        assert (before.organisation, before.year) != (after.organisation, after.year)
        store.save(lv_result)  # a later save without one goes back to what the statement says
        assert (store.stored()[0].organisation, store.stored()[0].year) == (before.organisation, before.year)


def _write_batch(url: str, worker: int, lv_result) -> int:
    """A batch writer: its own documents, documents every writer saves, and one real result again."""
    from dataclasses import replace

    with Store(url) as store:
        for n in range(8):
            store.save(replace(FAILED, doc_id=f"own-{worker}-{n}", path=f"/in/own-{worker}-{n}.pdf"))
            store.save(replace(FAILED, doc_id=f"shared-{n % 4}", path=f"/in/shared-{n % 4}.pdf",
                               reason=f"damaged, seen by writer {worker}"))
            if n % 3 == 0:
                store.save(lv_result)
    return worker


def _review(url: str, reviewer: int, doc_id: str) -> list[int]:
    """A reviewer deciding on one document while the batch rewrites it."""
    with Store(url) as store:
        return [store.add_review(doc_id, "element", "approval", "reject" if n % 2 else "confirm",
                                 reviewer=f"reviewer {reviewer}") for n in range(4)]


@pytest.mark.slow
def test_concurrent_writers_and_reviewers_lose_nothing_and_duplicate_nothing(db_url, lv_result):
    """Four batch processes saving their own and the same documents while two reviewers add
    decisions to one of them: every write lands once, no error surfaces, and the reviewed rows
    hold every decision (a save never writes the truth from a stale audit trail)."""
    from concurrent.futures import ProcessPoolExecutor

    with Store(db_url) as store:
        store.save(lv_result)
    with ProcessPoolExecutor(6) as pool:
        writers = [pool.submit(_write_batch, db_url, w, lv_result) for w in range(4)]
        reviewers = [pool.submit(_review, db_url, r, lv_result.doc_id) for r in range(2)]
        assert sorted(f.result() for f in writers) == [0, 1, 2, 3]
        ids = sorted(i for f in reviewers for i in f.result())
    assert len(ids) == len(set(ids)) == 8
    with Store(db_url) as store:
        assert store.table_count("results") == store.table_count("documents") == 1 + 4 * 8 + 4
        assert store.counts() == {"scored": 1, "failed": 4 * 8 + 4}
        assert store.table_count("element_results") == 11  # one real result's rows, once
        assert store.table_count("reviews") == 8
        row = store.conn.execute("SELECT decisions FROM results WHERE doc_id=?", (lv_result.doc_id,)).fetchone()
        assert row["decisions"] == 8
        [stored] = store.stored(doc_id=lv_result.doc_id)
        latest = stored.decisions[-1]
        present = next(e.present for e in stored.result.elements if e.element == "approval")
        assert present is (latest.decision == "confirm")


def test_the_audit_trail_is_append_only_in_the_database(db_url):
    with Store(db_url) as store:
        store.save(FAILED)
        store.add_review("doc", "element", "approval", "confirm", reviewer="Ada")
        with pytest.raises(store.conn.integrity_errors, match="audit trail"):
            store.conn.execute("UPDATE reviews SET reviewer='someone else'")
        with pytest.raises(store.conn.integrity_errors, match="audit trail"):
            store.conn.execute("DELETE FROM reviews")
        if store.dialect.postgres:
            with pytest.raises(store.conn.integrity_errors, match="audit trail"):
                store.conn.execute("TRUNCATE reviews CASCADE")
        assert [d.reviewer for d in store.decisions()] == ["Ada"]


def test_a_duplicate_staff_account_is_a_store_error_on_both(db_url):
    with Store(db_url) as store:
        Accounts(store).add("ada", "Ada", "hash")
        with pytest.raises(StoreError, match="already exists"):
            Accounts(store).add("ada", "ADA", "hash")


def test_postgres_migrations_give_sqlites_tables_and_columns(pg_url, tmp_path):
    """The same schema on both: every table's columns by name (FTS5's shadow tables and the
    word and stem tsvector columns are each back-end's own keyword index)."""
    with Store(tmp_path / "s.db") as lite, Store(pg_url) as pg:
        tables = [r[0] for r in lite.conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'document_search%'"
            " AND name NOT LIKE 'document_stems%' AND name NOT LIKE 'sqlite%'")]
        pg_tables = [r[0] for r in pg.conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")]
        assert sorted(tables) == sorted(pg_tables)
        for table in tables:
            lite_columns = [r["name"] for r in lite.conn.execute(f"PRAGMA table_info({table})")]
            pg_columns = [r[0] for r in pg.conn.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema()"
                " AND table_name = ? AND column_name NOT IN ('words', 'stems') ORDER BY ordinal_position", (table,))]
            assert lite_columns == pg_columns, table


def test_postgres_a_decision_waits_for_a_long_lock_instead_of_being_lost(pg_url, monkeypatch):
    """Another session holding the document's row lock beyond the lock timeout: the store retries."""
    import threading
    import time

    import psycopg

    from disclosure_check.store import database

    with Store(pg_url) as store:
        store.save(FAILED)
    holder = psycopg.connect(pg_url, autocommit=False)
    holder.execute("SELECT * FROM results WHERE doc_id='doc' FOR UPDATE")
    threading.Timer(3.0, holder.commit).start()
    monkeypatch.setattr(database, "_lock_timeout_ms", lambda busy: 500)  # give up on a lock quickly, retry
    started = time.monotonic()
    with Store(pg_url) as store:
        store.add_review("doc", "gate", "signature", "reject", reviewer="Ada")
        assert [d.reviewer for d in store.decisions()] == ["Ada"]
    assert time.monotonic() - started > 2.5
    holder.close()


def test_one_sql_on_both_placeholders_percent_literals_and_rows(db_url):
    """``?`` placeholders, a LIKE pattern's literal ``%`` and a ``?`` inside a string literal mean the
    same on both; rows answer by position and by name, and ``dict(row)`` works."""
    with Store(db_url) as store:
        store.save(FAILED)
        store.save(replace_doc("other", "/in/other.txt"))
        rows = store.conn.execute("SELECT doc_id, file_name, '?%' AS mark FROM documents"
                                  " WHERE path LIKE '%.pdf' AND doc_id <> ? ORDER BY doc_id", ("nothing",)).fetchall()
        assert [(r[0], r["file_name"], r["mark"]) for r in rows] == [("doc", "doc.pdf", "?%")]
        assert dict(rows[0]) == {"doc_id": "doc", "file_name": "doc.pdf", "mark": "?%"}


def replace_doc(doc_id: str, path: str) -> Failure:
    from dataclasses import replace

    return replace(FAILED, doc_id=doc_id, path=path)
