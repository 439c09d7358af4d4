"""Results storage behind one small class, with ordered, recorded migrations: SQLite (the default,
one file) or PostgreSQL (a shared server), through the connection layer in ``database.py``.

Results are upserted by (doc_id, rubric_version, model_version): scoring the same file with the
same rubric and model again replaces its row and evidence instead of adding duplicates, so runs
can be repeated or resumed safely. Failures are stored the same way, with their reason.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path

from disclosure_check.assess.decisions import Decision, check_levels, make_decision, overrides
from disclosure_check.assess.decisions import apply as apply_decisions
from disclosure_check.errors import DataError, StoreError
from disclosure_check.present.export import boxes_to_lists, result_from_dict, result_to_dict
from disclosure_check.run.manifest import is_url
from disclosure_check.store import postgres_schema
from disclosure_check.store.database import Connection, connect, is_postgres, redact
from disclosure_check.store.database import parse_db_url as parse_db_url
from disclosure_check.types import Assessment, Failure

MIGRATIONS: tuple[tuple[str, str], ...] = (
    ("create documents, results and evidence", """
        CREATE TABLE documents (
            doc_id TEXT PRIMARY KEY,
            path TEXT NOT NULL,
            file_name TEXT NOT NULL,
            title TEXT, author TEXT, producer TEXT, creator TEXT, created TEXT, modified TEXT,
            pages INTEGER,
            first_seen TEXT NOT NULL,
            last_seen TEXT NOT NULL
        );
        CREATE TABLE results (
            id INTEGER PRIMARY KEY,
            doc_id TEXT NOT NULL REFERENCES documents(doc_id),
            rubric_version TEXT NOT NULL,
            model_version TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('scored', 'failed')),
            error_code TEXT,
            error TEXT,
            scored_at TEXT NOT NULL,
            result_json TEXT NOT NULL,
            UNIQUE (doc_id, rubric_version, model_version)
        );
        CREATE TABLE element_results (
            result_id INTEGER NOT NULL REFERENCES results(id) ON DELETE CASCADE,
            element TEXT NOT NULL,
            present INTEGER NOT NULL,
            confidence REAL NOT NULL,
            PRIMARY KEY (result_id, element)
        );
        CREATE TABLE evidence (
            id INTEGER PRIMARY KEY,
            result_id INTEGER NOT NULL REFERENCES results(id) ON DELETE CASCADE,
            element TEXT NOT NULL,
            sentence_index INTEGER NOT NULL,
            page INTEGER NOT NULL,
            text TEXT NOT NULL,
            classifier TEXT NOT NULL,
            score REAL NOT NULL,
            detail TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX evidence_result ON evidence(result_id, element);
        CREATE INDEX results_status ON results(status);
    """),
    ("evidence status: implemented, planned or negative", """
        ALTER TABLE evidence ADD COLUMN status TEXT NOT NULL DEFAULT 'implemented'
            CHECK (status IN ('implemented', 'planned', 'negative'));
    """),
    ("maturity: profile, overall level, criterion and theme levels", """
        ALTER TABLE results ADD COLUMN doc_type TEXT;
        ALTER TABLE results ADD COLUMN financial INTEGER;
        ALTER TABLE results ADD COLUMN subsector TEXT;
        ALTER TABLE results ADD COLUMN statutory_met INTEGER;
        ALTER TABLE results ADD COLUMN overall_level INTEGER;
        CREATE TABLE criterion_results (
            result_id INTEGER NOT NULL REFERENCES results(id) ON DELETE CASCADE,
            criterion TEXT NOT NULL,
            theme TEXT NOT NULL,
            level INTEGER NOT NULL,
            applies INTEGER NOT NULL,
            PRIMARY KEY (result_id, criterion)
        );
        CREATE TABLE theme_results (
            result_id INTEGER NOT NULL REFERENCES results(id) ON DELETE CASCADE,
            theme TEXT NOT NULL,
            level INTEGER,
            PRIMARY KEY (result_id, theme)
        );
    """),
    ("reviewer decisions: an append-only audit trail; organisation, year and origin of each document", """
        CREATE TABLE reviews (
            id INTEGER PRIMARY KEY,
            doc_id TEXT NOT NULL REFERENCES documents(doc_id),
            target_kind TEXT NOT NULL CHECK (target_kind IN ('element', 'criterion', 'gate', 'document')),
            target_id TEXT NOT NULL,
            decision TEXT NOT NULL CHECK (decision IN ('confirm', 'reject', 'adjust', 'comment')),
            previous_value TEXT,
            new_value TEXT,
            comment TEXT NOT NULL DEFAULT '',
            reviewer TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE INDEX reviews_doc ON reviews(doc_id, target_kind, target_id, id);
        CREATE TRIGGER reviews_append_only_update BEFORE UPDATE ON reviews
            BEGIN SELECT RAISE(ABORT, 'reviews are an audit trail: add a new decision instead'); END;
        CREATE TRIGGER reviews_append_only_delete BEFORE DELETE ON reviews
            BEGIN SELECT RAISE(ABORT, 'reviews are an audit trail: add a new decision instead'); END;
        ALTER TABLE documents ADD COLUMN organisation TEXT;
        ALTER TABLE documents ADD COLUMN year INTEGER;
        ALTER TABLE documents ADD COLUMN origin TEXT NOT NULL DEFAULT 'batch';
    """),
    ("extraction provenance: the document's language, pages read by OCR, and each evidence sentence's boxes", """
        ALTER TABLE results ADD COLUMN language TEXT;
        ALTER TABLE results ADD COLUMN pages_ocr TEXT NOT NULL DEFAULT '[]';
        ALTER TABLE evidence ADD COLUMN boxes TEXT NOT NULL DEFAULT '[]';
        ALTER TABLE evidence ADD COLUMN ocr INTEGER NOT NULL DEFAULT 0;
    """),
    ("the options each result was produced with (whether a password was given, never the password), so a "
     "failure is retried when an option that could have caused it changes", """
        ALTER TABLE results ADD COLUMN options TEXT;
    """),
    ("self-assessment shares wait for staff; staff accounts, sign-in sessions and sign-in throttling", """
        CREATE TABLE shares (
            id INTEGER PRIMARY KEY,
            doc_id TEXT NOT NULL,
            file_name TEXT NOT NULL,
            result_json TEXT NOT NULL,
            shared_at TEXT NOT NULL,
            source TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'rejected')),
            duplicate INTEGER NOT NULL DEFAULT 0,
            decided_by TEXT,
            decided_at TEXT
        );
        CREATE INDEX shares_status ON shares(status, shared_at);
        CREATE INDEX shares_source ON shares(source, shared_at);
        CREATE TABLE accounts (
            key TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            password_hash TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE TABLE sessions (
            token_hash TEXT PRIMARY KEY,
            account TEXT NOT NULL REFERENCES accounts(key) ON DELETE CASCADE,
            created_at TEXT NOT NULL,
            expires_at REAL NOT NULL
        );
        CREATE TABLE sign_in_failures (
            key TEXT PRIMARY KEY,
            failures INTEGER NOT NULL,
            last_failure REAL NOT NULL
        );
    """),
    ("reviewer decisions on single evidence sentences (target kind 'evidence', id 'element:index:hash') keep the "
     "sentence text, so they can be exported as training examples; the table is rebuilt because SQLite cannot "
     "alter a CHECK constraint, keeping every row and the append-only triggers", """
        CREATE TABLE reviews_v8 (
            id INTEGER PRIMARY KEY,
            doc_id TEXT NOT NULL REFERENCES documents(doc_id),
            target_kind TEXT NOT NULL CHECK (target_kind IN ('element', 'criterion', 'gate', 'document', 'evidence')),
            target_id TEXT NOT NULL,
            decision TEXT NOT NULL CHECK (decision IN ('confirm', 'reject', 'adjust', 'comment')),
            previous_value TEXT,
            new_value TEXT,
            comment TEXT NOT NULL DEFAULT '',
            reviewer TEXT NOT NULL,
            created_at TEXT NOT NULL,
            text TEXT
        );
        INSERT INTO reviews_v8 (id, doc_id, target_kind, target_id, decision, previous_value, new_value, comment,
                                reviewer, created_at)
            SELECT id, doc_id, target_kind, target_id, decision, previous_value, new_value, comment, reviewer,
                   created_at FROM reviews;
        DROP TABLE reviews;
        ALTER TABLE reviews_v8 RENAME TO reviews;
        CREATE INDEX reviews_doc ON reviews(doc_id, target_kind, target_id, id);
        CREATE TRIGGER reviews_append_only_update BEFORE UPDATE ON reviews
            BEGIN SELECT RAISE(ABORT, 'reviews are an audit trail: add a new decision instead'); END;
        CREATE TRIGGER reviews_append_only_delete BEFORE DELETE ON reviews
            BEGIN SELECT RAISE(ABORT, 'reviews are an audit trail: add a new decision instead'); END;
    """),
    ("one reviewed truth: reviewers' decisions are applied by re-scoring (decisions.py) and the result's SQL rows "
     "hold the reviewed values (the machine's kept beside them); gate checks and letter items get rows; the "
     "'letter' review kind; each document's text (keyword search) and a stored copy of shared PDFs", """
        ALTER TABLE results ADD COLUMN reviewed_json TEXT;
        ALTER TABLE results ADD COLUMN statutory_state TEXT;
        ALTER TABLE results ADD COLUMN industry TEXT;
        ALTER TABLE results ADD COLUMN decisions INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE results ADD COLUMN gaps INTEGER;
        ALTER TABLE results ADD COLUMN top_gap TEXT;
        ALTER TABLE results ADD COLUMN machine_overall_level INTEGER;
        ALTER TABLE criterion_results ADD COLUMN machine_level INTEGER;
        ALTER TABLE criterion_results ADD COLUMN decision TEXT;
        ALTER TABLE element_results ADD COLUMN machine_present INTEGER;
        ALTER TABLE element_results ADD COLUMN decision TEXT;
        CREATE TABLE gate_results (
            result_id INTEGER NOT NULL REFERENCES results(id) ON DELETE CASCADE,
            check_id TEXT NOT NULL,
            state TEXT NOT NULL CHECK (state IN ('met', 'not_explicit', 'not_met')),
            machine_state TEXT NOT NULL,
            decision TEXT,
            PRIMARY KEY (result_id, check_id)
        );
        CREATE TABLE letter_results (
            result_id INTEGER NOT NULL REFERENCES results(id) ON DELETE CASCADE,
            item TEXT NOT NULL,
            kind TEXT NOT NULL,
            level INTEGER NOT NULL,
            machine_level INTEGER NOT NULL,
            decision TEXT,
            PRIMARY KEY (result_id, item)
        );
        CREATE INDEX criterion_results_criterion ON criterion_results(criterion, level);
        CREATE INDEX results_doc ON results(doc_id, status);
        CREATE TABLE document_texts (
            doc_id TEXT PRIMARY KEY REFERENCES documents(doc_id),
            text TEXT NOT NULL
        );
        CREATE TABLE document_files (
            doc_id TEXT PRIMARY KEY REFERENCES documents(doc_id),
            content BLOB NOT NULL
        );
        ALTER TABLE shares ADD COLUMN content BLOB;
        CREATE TABLE reviews_v9 (
            id INTEGER PRIMARY KEY,
            doc_id TEXT NOT NULL REFERENCES documents(doc_id),
            target_kind TEXT NOT NULL CHECK (target_kind IN ('element', 'criterion', 'gate', 'document', 'evidence',
                                                             'letter')),
            target_id TEXT NOT NULL,
            decision TEXT NOT NULL CHECK (decision IN ('confirm', 'reject', 'adjust', 'comment')),
            previous_value TEXT,
            new_value TEXT,
            comment TEXT NOT NULL DEFAULT '',
            reviewer TEXT NOT NULL,
            created_at TEXT NOT NULL,
            text TEXT
        );
        INSERT INTO reviews_v9 SELECT id, doc_id, target_kind, target_id, decision, previous_value, new_value, comment,
                                      reviewer, created_at, text FROM reviews;
        DROP TABLE reviews;
        ALTER TABLE reviews_v9 RENAME TO reviews;
        CREATE INDEX reviews_doc ON reviews(doc_id, target_kind, target_id, id);
        CREATE TRIGGER reviews_append_only_update BEFORE UPDATE ON reviews
            BEGIN SELECT RAISE(ABORT, 'reviews are an audit trail: add a new decision instead'); END;
        CREATE TRIGGER reviews_append_only_delete BEFORE DELETE ON reviews
            BEGIN SELECT RAISE(ABORT, 'reviews are an audit trail: add a new decision instead'); END;
    """),
    ("keyword search: a full-text index (SQLite FTS5) over document_texts, kept in step by triggers, texts "
     "stored before indexed once; a covering index of the columns the overview aggregates, so its queries "
     "never read the stored JSON's overflow pages", """
        CREATE VIRTUAL TABLE document_search USING fts5(text, content='document_texts', content_rowid='rowid');
        CREATE TRIGGER document_texts_search_insert AFTER INSERT ON document_texts BEGIN
            INSERT INTO document_search(rowid, text) VALUES (new.rowid, new.text);
        END;
        CREATE TRIGGER document_texts_search_delete AFTER DELETE ON document_texts BEGIN
            INSERT INTO document_search(document_search, rowid, text) VALUES ('delete', old.rowid, old.text);
        END;
        CREATE TRIGGER document_texts_search_update AFTER UPDATE ON document_texts BEGIN
            INSERT INTO document_search(document_search, rowid, text) VALUES ('delete', old.rowid, old.text);
            INSERT INTO document_search(rowid, text) VALUES (new.rowid, new.text);
        END;
        INSERT INTO document_search(document_search) VALUES ('rebuild');
        CREATE INDEX results_scored_at ON results(scored_at);
        CREATE INDEX results_overview ON results(status, scored_at, subsector, overall_level, statutory_state,
                                                 financial, doc_type, decisions, statutory_met, top_gap,
                                                 machine_overall_level, doc_id);
        CREATE INDEX theme_results_levels ON theme_results(result_id, theme, level);
        CREATE INDEX criterion_results_levels ON criterion_results(result_id, criterion, applies, level);
    """),
)

assert len(postgres_schema.MIGRATIONS) == len(MIGRATIONS), "every migration needs its PostgreSQL step"

REVIEWED_TRUTH_MIGRATION = 9  # after it, every stored result's reviewed rows are written once
BUSY_TIMEOUT_SECONDS = 30.0  # how long one statement waits for another writer's lock
WRITE_PATIENCE_SECONDS = 120.0  # how long a write keeps retrying a busy database before giving up
SHARE_STATUSES = ("pending", "accepted", "rejected")


@dataclass(frozen=True)
class StoredAttempt:
    """What the store holds for one document, rubric and model: enough to decide on a retry."""

    status: str  # "scored" | "failed"
    error_code: str | None
    options: dict | None  # None: stored before options were recorded


@dataclass(frozen=True)
class StoredResult:
    """One stored result as readers get it: typed, decisions applied, with what the store knows
    about the document."""

    result: Assessment | Failure  # reviewed: every decision applied
    machine: Assessment | Failure  # as scored
    organisation: str | None
    year: int | None
    origin: str  # "batch" | "self-assessment"
    scored_at: str
    decisions: tuple[Decision, ...] = ()  # the audit trail, oldest first

    @property
    def doc_id(self) -> str:
        return self.result.doc_id


REVIEW_KINDS = ("element", "criterion", "gate", "document", "evidence", "letter")
DECISIONS = ("confirm", "reject", "adjust", "comment")


class Store:
    """The results database. Use as a context manager, or call ``close()``."""

    def __init__(self, url: str | Path = ":memory:", *, create: bool = True, rubric=None) -> None:
        """``create=False`` for commands that only read: a mistyped path is an error, not a new,
        empty database. ``rubric``: the one decisions are applied with (default: the bundled rubric;
        a result scored with another rubric version gets its decisions without re-scoring)."""
        self._rubric_obj = rubric
        self.url = redact(url)
        self.conn: Connection = connect(url, create=create, busy_timeout=BUSY_TIMEOUT_SECONDS)
        self.dialect = self.conn.dialect
        if not is_postgres(url) and parse_db_url(url) != ":memory:":
            self._retry(lambda: self.conn.execute("PRAGMA journal_mode = WAL"))
        self.migrate()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.conn.close()

    @contextmanager
    def transaction(self, *documents: str) -> Iterator[Connection]:
        """One write transaction. SQLite: it holds the database's write lock from its first statement
        (``BEGIN IMMEDIATE``, waiting up to the busy timeout for another writer). PostgreSQL: it holds
        the advisory locks of ``documents`` (the ones whose rows it rewrites), so two writers of one
        document take turns and each reads what the other committed."""
        self.conn.begin()
        try:
            self.conn.lock_documents(documents)
            yield self.conn
            self.conn.commit()
        except BaseException:
            self.conn.rollback()
            raise

    def _retry(self, write: Callable[[], object]):
        """Run ``write`` (a whole transaction), trying again while the database stays locked by
        another process beyond the busy timeout (PostgreSQL: also after a deadlock or serialization
        failure): a reviewer's decision waits, it is not dropped."""
        deadline = time.monotonic() + WRITE_PATIENCE_SECONDS
        delay = 0.05
        while True:
            try:
                return write()
            except Exception as exc:
                if not self.conn.is_contention(exc):
                    raise
                if time.monotonic() >= deadline:
                    raise StoreError(f"the database stayed locked by another writer for "
                                     f"{WRITE_PATIENCE_SECONDS:.0f} s ({exc})", where=self.url,
                                     fix="find the process holding it (a long-running query or a crashed "
                                         "tool) and try again") from None
                time.sleep(delay)
                delay = min(delay * 2, 2.0)

    # -- schema -------------------------------------------------------------------------------
    def schema_version(self) -> int:
        if not self.conn.table_exists("schema_migrations"):
            return 0
        return self.conn.execute("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").fetchone()[0]

    def migrate(self) -> int:
        """Apply pending migrations in order; refuse a database from a newer version of the tool.

        Safe when several processes open a new database at once: the migrations run in a write
        transaction that reads the schema version again after taking the lock (SQLite's write lock,
        PostgreSQL's transaction-scoped advisory lock), so exactly one process applies each and the
        others find it done."""
        current = self.schema_version()
        if current > len(MIGRATIONS):
            raise StoreError(f"database schema version {current} is newer than this tool knows ({len(MIGRATIONS)})",
                             where=self.url, fix="upgrade disclosure-check")
        if current == len(MIGRATIONS):
            return current  # nothing to do: opening a current database writes nothing
        return self._retry(self._apply_pending)

    def _apply_pending(self) -> int:
        with self.transaction() as conn:
            conn.lock_migrations()
            conn.execute("""CREATE TABLE IF NOT EXISTS schema_migrations (
                version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)""")
            current = self.schema_version()
            for version, (name, sql) in enumerate(MIGRATIONS, start=1):
                if version <= current:
                    continue
                conn.script(postgres_schema.MIGRATIONS[version - 1] if self.dialect.postgres else sql)
                conn.execute("INSERT INTO schema_migrations VALUES (?, ?, ?)", (version, name, _now()))
                if version == REVIEWED_TRUTH_MIGRATION:
                    self._refresh_truth(conn, None)  # results stored before: their reviewed rows, once
        return self.schema_version()

    # -- writes -------------------------------------------------------------------------------
    def save(self, result: Assessment | Failure, *, origin: str = "batch", options: dict | None = None,
             text: str | None = None, organisation: str | None = None, year: int | None = None) -> int:
        """Upsert one result (and its document and evidence); returns the result row id.
        ``text``: the document's text, kept for keyword search.

        ``origin`` records how the document arrived: "batch" (CLI) or "self-assessment" (shared by
        the business that uploaded it). ``options`` are those the result was produced with (see
        ``pipeline.attempt_options``: a password only as given or not), stored in the same
        transaction; a failure stored without them is retried. ``organisation`` and ``year``: as a
        manifest gives them (a registry's own record), taking precedence over what the statement says."""
        if text is None and isinstance(result, Assessment) and result.text:
            text = result.text  # the scorer's document text: every path that saves keeps it for search
        return self._retry(lambda: self._save(result, origin, options, text, (organisation, year)))

    def _save(self, result: Assessment | Failure, origin: str, options: dict | None,
              text: str | None = None, identity: tuple[str | None, int | None] = (None, None)) -> int:
        if origin != "batch" and self.document_origin(result.doc_id) == "batch":
            # The same bytes were scored in a batch: that record (path, file name, origin, result) stands.
            row = self.conn.execute("SELECT id FROM results WHERE doc_id=? ORDER BY scored_at DESC, id DESC",
                                    (result.doc_id,)).fetchone()
            if row is not None:
                return int(row[0])
        with self.transaction(result.doc_id) as conn:
            return self._write(conn, result, origin, options, text=text, identity=identity)

    def _write(self, conn: Connection, result: Assessment | Failure, origin: str, options: dict | None, *,
               text: str | None = None, replace_existing: bool = True,
               identity: tuple[str | None, int | None] = (None, None)) -> int:
        """Insert or replace one result in an open transaction, then its reviewed rows (``_write_truth``)."""
        now = _now()
        meta = result.metadata if isinstance(result, Assessment) else None
        pages = result.pages if isinstance(result, Assessment) else None
        conn.execute(
            """INSERT INTO documents (doc_id, path, file_name, title, author, producer, creator, created,
                                      modified, pages, first_seen, last_seen)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT(doc_id) DO UPDATE SET path=excluded.path, file_name=excluded.file_name,
                 title=COALESCE(excluded.title, documents.title), author=COALESCE(excluded.author, documents.author),
                 producer=COALESCE(excluded.producer, documents.producer),
                 creator=COALESCE(excluded.creator, documents.creator),
                 created=COALESCE(excluded.created, documents.created),
                 modified=COALESCE(excluded.modified, documents.modified),
                 pages=COALESCE(excluded.pages, documents.pages), last_seen=excluded.last_seen""",
            # A batch's path is stored absolute, so page views work whichever folder the app starts in;
            # an accepted share's "shared/<name>" is a label (its bytes are in document_files).
            (result.doc_id, str(Path(result.path).resolve()) if origin == "batch" and not is_url(result.path)
             else result.path,
             Path(result.path).name,
             meta.title if meta else None, meta.author if meta else None, meta.producer if meta else None,
             meta.creator if meta else None, meta.created if meta else None, meta.modified if meta else None,
             pages, now, now),
        )
        payload = result_to_dict(result)
        exists = conn.execute("SELECT id FROM results WHERE doc_id=? AND rubric_version=? AND model_version=?",
                              (result.doc_id, result.rubric_version, result.model_version)).fetchone()
        if exists is not None and not replace_existing:
            return int(exists[0])
        conn.execute(
            """INSERT INTO results (doc_id, rubric_version, model_version, status, error_code, error,
                                    scored_at, result_json)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT(doc_id, rubric_version, model_version) DO UPDATE SET status=excluded.status,
                 error_code=excluded.error_code, error=excluded.error, scored_at=excluded.scored_at,
                 result_json=excluded.result_json""",
            (result.doc_id, result.rubric_version, result.model_version, result.status,
             getattr(result, "code", None), getattr(result, "reason", None), now,
             json.dumps(payload, ensure_ascii=False)),
        )
        organisation, year = document_identity(result)
        organisation, year = identity[0] or organisation, identity[1] if identity[1] is not None else year
        conn.execute("UPDATE documents SET organisation=?, year=?, origin=? WHERE doc_id=?",
                     (organisation, year, origin, result.doc_id))
        if text is not None:
            conn.execute("INSERT INTO document_texts VALUES (?, ?) ON CONFLICT(doc_id) DO UPDATE SET text=excluded.text",
                         (result.doc_id, text))
        result_id = conn.execute(
            "SELECT id FROM results WHERE doc_id=? AND rubric_version=? AND model_version=?",
            (result.doc_id, result.rubric_version, result.model_version)).fetchone()[0]
        conn.execute("UPDATE results SET language=?, pages_ocr=?, options=? WHERE id=?",
                     (result.language, json.dumps([{"page": p, "confidence": c} for p, c in result.pages_ocr]
                                                  if isinstance(result, Assessment) else []),
                      None if options is None else json.dumps(options, sort_keys=True), result_id))
        conn.execute("DELETE FROM evidence WHERE result_id=?", (result_id,))
        if isinstance(result, Assessment):
            conn.executemany(
                """INSERT INTO evidence (result_id, element, sentence_index, page, text, classifier, score,
                                         detail, status, boxes, ocr) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                [(result_id, ev.element, ev.sentence_index, ev.page, ev.text, ev.classifier, ev.score,
                  ev.detail, ev.status, json.dumps(boxes_to_lists(ev.boxes)), int(ev.ocr))
                 for e in result.elements for ev in e.evidence + e.negative])  # negative: kept, flagged
        # The truth is computed from the result as stored (its dict keeps MAX_CRITERION_EVIDENCE per
        # criterion), exactly as a later decision recomputes it: the same decisions, the same truth.
        self._write_truth(conn, result_id, result_from_dict(payload),
                          self._decisions(conn, result.doc_id))
        return result_id

    # -- the reviewed truth: what every page, export and report reads -------------------------
    def _rubric(self):
        if self._rubric_obj is None:
            from disclosure_check.rubric import load_rubric

            self._rubric_obj = load_rubric()
        return self._rubric_obj

    def _write_truth(self, conn: Connection, result_id: int, machine: Assessment | Failure,
                     found: Sequence[Decision]) -> None:
        """The result's SQL rows with decisions applied (the machine's values kept beside them)."""
        reviewed = apply_decisions(machine, found, self._rubric()) if found else machine
        latest = overrides(found)
        for table in ("element_results", "criterion_results", "theme_results", "gate_results", "letter_results"):
            conn.execute(f"DELETE FROM {table} WHERE result_id=?", (result_id,))
        m, before = (reviewed.maturity, machine.maturity) if isinstance(reviewed, Assessment) else (None, None)
        value_decisions = sum(1 for d in found if d.changes_value)
        conn.execute(
            "UPDATE results SET doc_type=?, financial=?, subsector=?, industry=?, statutory_met=?, statutory_state=?,"
            " overall_level=?, machine_overall_level=?, gaps=?, top_gap=?, decisions=?, reviewed_json=? WHERE id=?",
            (m.profile.doc_type if m else None, int(m.profile.financial) if m else None,
             m.profile.subsector if m else None, m.profile.industry if m else None,
             None if m is None or m.statutory_met is None else int(m.statutory_met),
             m.statutory_state if m else None, m.overall if m else None, before.overall if before else None,
             len(m.gaps) if m else None, m.gaps[0].criterion if m and m.gaps else None, len(found),
             json.dumps(result_to_dict(reviewed), ensure_ascii=False) if value_decisions else None, result_id))
        if not isinstance(reviewed, Assessment):
            return
        present = {e.element: e.present for e in machine.elements}
        conn.executemany("INSERT INTO element_results VALUES (?, ?, ?, ?, ?, ?)",
                         [(result_id, e.element, int(e.present), e.confidence, int(present.get(e.element, False)),
                           _decided(latest, "element", e.element)) for e in reviewed.elements])
        if m is None or before is None:
            return
        machine_levels = {c.id: c.level for c in before.criteria}
        conn.executemany("INSERT INTO criterion_results VALUES (?, ?, ?, ?, ?, ?, ?)",
                         [(result_id, c.id, c.theme, c.level, int(c.applies), machine_levels.get(c.id, c.level),
                           _decided(latest, "criterion", c.id)) for c in m.criteria])
        conn.executemany("INSERT INTO theme_results VALUES (?, ?, ?)", [(result_id, t.id, t.level) for t in m.themes])
        machine_states = {g.id: g.state for g in before.gate}
        conn.executemany("INSERT INTO gate_results VALUES (?, ?, ?, ?, ?)",
                         [(result_id, g.id, g.state, machine_states.get(g.id, g.state), _decided(latest, "gate", g.id))
                          for g in m.gate])
        letter_levels = {i.id: i.level for i in before.letter}
        conn.executemany("INSERT INTO letter_results VALUES (?, ?, ?, ?, ?, ?)",
                         [(result_id, i.id, i.kind, i.level, letter_levels.get(i.id, i.level),
                           _decided(latest, "letter", i.id)) for i in m.letter])

    def _refresh_truth(self, conn: Connection, doc_id: str | None) -> int:
        """Write the reviewed rows again for one document's results (or every result); returns how many."""
        rows = conn.execute("SELECT id, doc_id, result_json FROM results"
                            + (" WHERE doc_id=?" if doc_id else ""), (doc_id,) if doc_id else ()).fetchall()
        by_doc: dict[str, list[Decision]] = {}
        for d in self._decisions(conn, doc_id):
            by_doc.setdefault(d.doc_id, []).append(d)
        for row in rows:
            self._write_truth(conn, row[0], result_from_dict(json.loads(row[2])), by_doc.get(row[1], []))
        return len(rows)

    def _decisions(self, conn: Connection, doc_id: str | None) -> list[Decision]:
        sql = "SELECT * FROM reviews" + (" WHERE doc_id=?" if doc_id else "") + " ORDER BY id"
        return [decision_from_row(dict(r)) for r in conn.execute(sql, (doc_id,) if doc_id else ()).fetchall()]

    # -- reads --------------------------------------------------------------------------------
    def stored_attempt(self, doc_id: str, rubric_version: str, model_version: str) -> StoredAttempt | None:
        """The stored outcome's status, error code and options, or None when nothing is stored."""
        row = self.conn.execute(
            "SELECT status, error_code, options FROM results WHERE doc_id=? AND rubric_version=? AND model_version=?",
            (doc_id, rubric_version, model_version)).fetchone()
        if row is None:
            return None
        return StoredAttempt(row[0], row[1], json.loads(row[2]) if row[2] else None)

    def stored_status(self, doc_id: str, rubric_version: str, model_version: str) -> str | None:
        row = self.conn.execute(
            "SELECT status FROM results WHERE doc_id=? AND rubric_version=? AND model_version=?",
            (doc_id, rubric_version, model_version)).fetchone()
        return row[0] if row else None

    def result_dict(self, doc_id: str, rubric_version: str, model_version: str) -> dict | None:
        row = self.conn.execute(
            "SELECT result_json FROM results WHERE doc_id=? AND rubric_version=? AND model_version=?",
            (doc_id, rubric_version, model_version)).fetchone()
        return json.loads(row[0]) if row else None

    def results(self, *, status: str | None = None, doc_id: str | None = None) -> list[dict]:
        """Every stored result (or one document's) as the same dict the CLI exports, newest first."""
        return [{**json.loads(row["result_json"]), "scored_at": row["scored_at"]}
                for row in self._result_rows(status, doc_id)]

    def _result_rows(self, status: str | None, doc_id: str | None) -> list:
        """Stored results with their document's organisation, year and origin, newest first."""
        sql = ("SELECT r.doc_id, r.result_json, r.reviewed_json, r.scored_at, d.organisation, d.year, d.origin"
               " FROM results r LEFT JOIN documents d ON d.doc_id = r.doc_id")
        clauses, params = [], []
        if status:
            clauses.append("r.status=?")
            params.append(status)
        if doc_id:
            clauses.append("r.doc_id=?")
            params.append(doc_id)
        if clauses:
            sql += " WHERE " + " AND ".join(clauses)
        return self.conn.execute(sql + " ORDER BY r.scored_at DESC, r.id DESC", params).fetchall()

    def _decisions_by_doc(self, doc_id: str | None) -> dict[str, list[Decision]]:
        by_doc: dict[str, list[Decision]] = {}
        for d in self.decisions(doc_id):
            by_doc.setdefault(d.doc_id, []).append(d)
        return by_doc

    def add_review(self, doc_id: str, target_kind: str, target_id: str, decision: str, *, reviewer: str,
                   previous_value: str | None = None, new_value: str | None = None, comment: str = "",
                   text: str | None = None) -> int:
        """Record one reviewer decision (the dashboard's form of ``add_decisions``). ``decision``
        'adjust' with ``new_value`` is set_level; 'comment' records a note that changes nothing.
        ``text``: the sentence an 'evidence' decision is about (required for that kind)."""
        if target_kind not in REVIEW_KINDS:
            raise StoreError(f"unknown review target kind '{target_kind}'", fix=f"use one of {REVIEW_KINDS}")
        if decision not in DECISIONS:
            raise StoreError(f"unknown decision '{decision}'", fix=f"use one of {DECISIONS}")
        if not reviewer.strip():
            raise StoreError("a decision needs the reviewer's name", fix="sign in or enter your name")
        if target_kind == "evidence" and not (text or "").strip():
            raise StoreError("an evidence decision needs the sentence it is about", fix="pass the sentence text")
        try:
            made = make_decision(doc_id, f"{target_kind}:{target_id}",
                                 "set_level" if decision == "adjust" else decision, reviewer=reviewer,
                                 level=new_value if decision == "adjust" else None, comment=comment, text=text)
        except DataError as exc:
            raise StoreError(exc.message, where=exc.where, fix=exc.fix) from None
        return self.add_decisions([replace(made, previous_value=previous_value)])[0]

    def add_decisions(self, decisions: Sequence[Decision]) -> list[int]:
        """Record decisions in one transaction and write the reviewed rows of every document they
        touch; all or none (an unknown document or a level off the scale records nothing)."""
        decisions = list(decisions)
        if not decisions:
            return []
        try:
            check_levels(decisions, self._rubric())
        except DataError as exc:
            raise StoreError(exc.message, where=exc.where, fix=exc.fix) from None
        known = {r[0] for r in self.conn.execute(
            f"SELECT doc_id FROM documents WHERE doc_id IN ({','.join('?' * len({d.doc_id for d in decisions}))})",
            sorted({d.doc_id for d in decisions})).fetchall()}
        unknown = sorted({d.doc_id for d in decisions} - known)
        if unknown:
            raise StoreError(f"no stored document with doc_id {unknown[0]}"
                             + (f" (and {len(unknown) - 1} more)" if len(unknown) > 1 else ""), where=self.url,
                             fix="take doc_id from `disclosure-check export` or the dashboard; nothing was recorded")

        def write() -> list[int]:
            with self.transaction(*{d.doc_id for d in decisions}) as conn:
                ids = []
                for d in decisions:
                    cursor = conn.execute(
                        """INSERT INTO reviews (doc_id, target_kind, target_id, decision, previous_value, new_value,
                                                comment, reviewer, created_at, text)
                           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""",
                        (d.doc_id, d.kind, d.target_id, "adjust" if d.decision == "set_level" else d.decision,
                         d.previous_value, None if d.level is None else str(d.level), d.comment, d.reviewer.strip(),
                         _now(), d.text))
                    ids.append(int(cursor.fetchone()[0]))
                for doc_id in sorted({d.doc_id for d in decisions}):
                    self._refresh_truth(conn, doc_id)
                return ids

        return self._retry(write)

    def reviews(self, doc_id: str | None = None) -> list[dict]:
        """The audit trail as stored rows, oldest first."""
        sql = "SELECT * FROM reviews" + (" WHERE doc_id=?" if doc_id else "") + " ORDER BY id"
        return [dict(r) for r in self.conn.execute(sql, (doc_id,) if doc_id else ()).fetchall()]

    def decisions(self, doc_id: str | None = None) -> list[Decision]:
        """The audit trail as typed decisions, oldest first."""
        return self._decisions(self.conn, doc_id)

    def stored(self, *, status: str | None = None, doc_id: str | None = None) -> list[StoredResult]:
        """Stored results, typed, newest first: the reviewed result (decisions applied), the machine's,
        the document's organisation, year and origin, and its decisions."""
        by_doc = self._decisions_by_doc(doc_id)
        out = []
        for row in self._result_rows(status, doc_id):
            machine = result_from_dict(json.loads(row["result_json"]))
            reviewed = result_from_dict(json.loads(row["reviewed_json"])) if row["reviewed_json"] else machine
            out.append(StoredResult(result=reviewed, machine=machine, organisation=row["organisation"],
                                    year=row["year"], origin=row["origin"] or "batch", scored_at=row["scored_at"],
                                    decisions=tuple(by_doc.get(row["doc_id"], ()))))
        return out

    def reviewed_results(self, *, status: str | None = None, doc_id: str | None = None,
                         apply: bool = True) -> list[dict]:
        """Stored results as the dicts ``export`` writes, with reviewers' decisions applied (they take
        precedence everywhere), plus organisation, year, origin, the number of decisions and, on each
        decided element, criterion, check and letter item, the latest decision (``reviewed``).
        ``apply=False``: the machine's results. Read as stored: the reviewed dict was written with the
        decisions (``_write_truth``), so nothing is scored or converted again here."""
        by_doc = self._decisions_by_doc(doc_id)
        out = []
        for row in self._result_rows(status, doc_id):
            found = by_doc.get(row["doc_id"], [])
            item = json.loads(row["reviewed_json"] if apply and row["reviewed_json"] else row["result_json"])
            item.update(scored_at=row["scored_at"], organisation=row["organisation"], year=row["year"],
                        origin=row["origin"] or "batch", reviews=len(found))
            if apply:
                mark_decisions(item, found)
            out.append(item)
        return out

    def versions(self) -> tuple[tuple, int]:
        """Cheap change markers: (results version, reviews version). Readers cache on them."""
        results = tuple(self.conn.execute("SELECT COUNT(*), MAX(id), MAX(scored_at) FROM results").fetchone())
        reviews = self.conn.execute("SELECT COALESCE(MAX(id), 0) FROM reviews").fetchone()[0]
        return results, int(reviews)

    def reviewed_doc_ids(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT DISTINCT doc_id FROM reviews ORDER BY doc_id").fetchall()]

    def counts(self) -> dict[str, int]:
        rows = self.conn.execute("SELECT status, COUNT(*) FROM results GROUP BY status").fetchall()
        return {status: n for status, n in rows}

    def document_origin(self, doc_id: str) -> str | None:
        """How the document arrived ('batch' or 'self-assessment'), or None when it is not stored."""
        row = self.conn.execute("SELECT origin FROM documents WHERE doc_id=?", (doc_id,)).fetchone()
        return row[0] if row else None

    # -- self-assessment shares: a queue staff accept before a share joins the results ---------
    def add_share(self, payload: dict, *, file_name: str, source: str = "", content: bytes | None = None) -> int:
        """Queue one shared self-assessment (its exported result dict, and the PDF's bytes so staff see
        its pages) for staff; returns the share id."""
        with self.transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO shares (doc_id, file_name, result_json, shared_at, source, content)"
                " VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                (payload["doc_id"], file_name, json.dumps(payload, ensure_ascii=False), _now(), source, content))
            return int(cursor.fetchone()[0])

    def shares(self, status: str | None = None) -> list[dict]:
        """Shares, newest first, each with its result dict under ``result`` and ``batch``: whether the
        same document already has a batch-scored record."""
        sql = ("SELECT s.*, d.origin AS stored_origin FROM shares s LEFT JOIN documents d ON d.doc_id = s.doc_id"
               + (" WHERE s.status=?" if status else "") + " ORDER BY s.id DESC")
        out = []
        for row in self.conn.execute(sql, (status,) if status else ()).fetchall():
            share = dict(row)
            share["result"] = json.loads(share.pop("result_json"))
            share["batch"] = share.pop("stored_origin") == "batch"
            out.append(share)
        return out

    def share(self, share_id: int) -> dict | None:
        return next((s for s in self.shares() if s["id"] == share_id), None)

    def count_shares(self, since: str, *, source: str | None = None) -> int:
        """Shares made at or after ``since`` (ISO time), from one browser session or from anyone."""
        sql = "SELECT COUNT(*) FROM shares WHERE shared_at >= ?" + (" AND source = ?" if source is not None else "")
        return self.conn.execute(sql, (since, source) if source is not None else (since,)).fetchone()[0]

    def pending_share(self, doc_id: str) -> int | None:
        row = self.conn.execute("SELECT id FROM shares WHERE doc_id=? AND status='pending'", (doc_id,)).fetchone()
        return row[0] if row else None

    def decide_share(self, share_id: int, decision: str, *, decided_by: str) -> dict:
        """Accept or reject a pending share; returns it decided. Accepting stores its result with
        origin 'self-assessment', unless the document already has a batch-scored record: then the
        share is accepted as a duplicate and the batch record stays as it was."""
        if decision not in ("accepted", "rejected"):
            raise StoreError(f"unknown share decision '{decision}'", fix="use 'accepted' or 'rejected'")
        if not decided_by.strip():
            raise StoreError("a share decision needs the staff member's name", fix="sign in first")
        share = self.share(share_id)
        if share is None:
            raise StoreError(f"no share with id {share_id}", fix="list them with `disclosure-check shares list`")
        if share["status"] != "pending":
            raise StoreError(f"share {share_id} was already {share['status']} by {share['decided_by']}",
                             fix="decisions on shares are final")
        duplicate = decision == "accepted" and self.document_origin(share["doc_id"]) == "batch"
        with self.transaction(share["doc_id"]) as conn:
            # Conditional: of two staff deciding one share at once, exactly one succeeds (the other's
            # transaction, result insert included, rolls back).
            changed = conn.execute("UPDATE shares SET status=?, duplicate=?, decided_by=?, decided_at=? "
                                   "WHERE id=? AND status='pending'",
                                   (decision, int(duplicate), decided_by.strip(), _now(), share_id)).rowcount
            if not changed:
                raise StoreError(f"share {share_id} was decided by someone else a moment ago",
                                 fix="reload the list of shares; decisions on shares are final")
            if decision == "accepted" and not duplicate:
                self._insert_shared_result(conn, share["result"], share["file_name"], share.get("content"))
        return self.share(share_id)

    def _insert_shared_result(self, conn: Connection, item: dict, file_name: str,
                              content: bytes | None = None) -> None:
        """Store an accepted share's result as ``save`` stores an Assessment, origin 'self-assessment',
        with the uploaded PDF's bytes (the page views need them; the upload's temporary file is gone)."""
        result = replace(result_from_dict(item), path=f"shared/{file_name}")
        self._write(conn, result, "self-assessment", None, replace_existing=False)
        if content:
            conn.execute("INSERT INTO document_files VALUES (?, ?) ON CONFLICT(doc_id) DO NOTHING",
                         (result.doc_id, content))

    def document_file(self, doc_id: str) -> bytes | None:
        """A stored copy of the document's PDF (shared self-assessments), or None."""
        row = self.conn.execute("SELECT content FROM document_files WHERE doc_id=?", (doc_id,)).fetchone()
        return bytes(row[0]) if row else None

    def document_paths(self) -> dict[str, str]:
        """Every stored document's path by doc_id (the dashboard's page views)."""
        return {r[0]: r[1] for r in self.conn.execute("SELECT doc_id, path FROM documents").fetchall()}

    def document_path(self, doc_id: str) -> str | None:
        row = self.conn.execute("SELECT path FROM documents WHERE doc_id=?", (doc_id,)).fetchone()
        return row[0] if row else None

    # -- staff accounts, sign-in sessions and throttling (policy in accounts.py) ---------------
    # An account's ``key`` is its name folded for lookup (accounts.account_key): SQLite's NOCASE
    # folds ASCII only, and "Ó" and "ó" must be the same person.
    def add_account(self, key: str, name: str, password_hash: str) -> None:
        try:
            with self.transaction() as conn:
                conn.execute("INSERT INTO accounts VALUES (?, ?, ?, ?)", (key, name, password_hash, _now()))
        except self.conn.integrity_errors:
            raise StoreError(f"a staff account named '{name}' already exists", where=self.url,
                             fix=f"choose another name, or `disclosure-check staff remove \"{name}\"` first") from None

    def account(self, key: str) -> dict | None:
        row = self.conn.execute("SELECT * FROM accounts WHERE key=?", (key,)).fetchone()
        return dict(row) if row else None

    def accounts(self) -> list[dict]:
        return [dict(r) for r in self.conn.execute("SELECT name, created_at FROM accounts ORDER BY name").fetchall()]

    def remove_account(self, key: str) -> bool:
        """Remove an account and end its sessions; False when there was none."""
        with self.transaction() as conn:
            conn.execute("DELETE FROM sessions WHERE account=?", (key,))
            return conn.execute("DELETE FROM accounts WHERE key=?", (key,)).rowcount > 0

    def add_session(self, token_hash: str, account_key: str, expires_at: float) -> None:
        with self.transaction() as conn:
            conn.execute("DELETE FROM sessions WHERE expires_at < ?", (expires_at - 10 * 86400,))
            conn.execute("INSERT INTO sessions VALUES (?, ?, ?, ?)", (token_hash, account_key, _now(), expires_at))

    def session_account(self, token_hash: str, now: float) -> str | None:
        """The account a live session belongs to (the name as stored), or None."""
        row = self.conn.execute(
            "SELECT a.name FROM sessions s JOIN accounts a ON a.key = s.account WHERE s.token_hash=? AND s.expires_at>?",
            (token_hash, now)).fetchone()
        return row[0] if row else None

    def remove_session(self, token_hash: str) -> None:
        with self.transaction() as conn:
            conn.execute("DELETE FROM sessions WHERE token_hash=?", (token_hash,))

    def sign_in_failures(self, key: str) -> tuple[int, float]:
        """(failures, time of the last one) recorded under ``key``; (0, 0.0) when none."""
        row = self.conn.execute("SELECT failures, last_failure FROM sign_in_failures WHERE key=?", (key,)).fetchone()
        return (int(row[0]), float(row[1])) if row else (0, 0.0)

    def record_sign_in_failure(self, key: str, now: float, *, forget_after: float) -> None:
        """One more failure under ``key``; a count idle for ``forget_after`` seconds starts again."""
        with self.transaction() as conn:
            conn.execute(
                """INSERT INTO sign_in_failures VALUES (?, 1, ?) ON CONFLICT(key) DO UPDATE SET
                   failures = CASE WHEN ? - sign_in_failures.last_failure > ? THEN 1
                                   ELSE sign_in_failures.failures + 1 END,
                   last_failure = excluded.last_failure""",
                (key, now, now, forget_after))

    def clear_sign_in_failures(self, key: str) -> None:
        with self.transaction() as conn:
            conn.execute("DELETE FROM sign_in_failures WHERE key=?", (key,))

    def table_count(self, table: str) -> int:
        if table not in {"documents", "results", "element_results", "evidence", "criterion_results", "theme_results",
                         "reviews", "shares", "accounts", "sessions"}:
            raise ValueError(table)
        return self.conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def document_identity(result: Assessment | Failure) -> tuple[str, int | None]:
    """Organisation and statement year: as the statement states them (``Assessment.identity``),
    else from PDF metadata or the file name (results scored before identity was read, failures)."""
    if isinstance(result, Assessment) and result.identity is not None:
        fallback, _ = identity_from(result.path, result.metadata.author, result.metadata.title)
        return result.identity.organisation or fallback, result.identity.year
    meta = result.metadata if isinstance(result, Assessment) else None
    return identity_from(result.path, meta.author if meta else None, meta.title if meta else None)


def identity_from(path: str, author: str | None, title: str | None) -> tuple[str, int | None]:
    """``document_identity`` from a path and the PDF's author and title only: a title naming the
    organisation, an Author that looks like one (never a user name such as "jsmith"), else the file name."""
    from disclosure_check.assess.identity import with_fallback
    from disclosure_check.types import Identity, Metadata

    found = with_fallback(Identity(), path, Metadata(author=author, title=title))
    return found.organisation or Path(path).stem, found.year


def item_identity(item: dict, path: str) -> tuple[str, int | None]:
    """``document_identity`` for a stored result dict (a shared self-assessment)."""
    meta = item.get("metadata") or {}
    fallback, year = identity_from(path, meta.get("author"), meta.get("title"))
    identity = item.get("identity") or {}
    return identity.get("organisation") or fallback, identity["year"] if "identity" in item else year


def decision_from_row(row: dict) -> Decision:
    """A stored review row as a typed decision ('adjust' is set_level; an element's old 'adjust'
    to "true"/"false" is confirm/reject)."""
    decision, level = row["decision"], None
    if decision == "adjust":
        value = row.get("new_value")
        if row["target_kind"] == "element":
            decision = "confirm" if value == "true" else "reject"
        else:
            try:
                decision, level = "set_level", int(value)
            except (TypeError, ValueError):
                decision, level = "comment", None  # a value no level can be read from changes nothing
    elif decision == "reject" and row["target_kind"] == "criterion":
        decision, level = "set_level", 0  # stored before a criterion could only be set to a level
    return Decision(doc_id=row["doc_id"], kind=row["target_kind"], target_id=row["target_id"], decision=decision,
                    reviewer=row["reviewer"], level=level, comment=row.get("comment") or "",
                    previous_value=row.get("previous_value"), text=row.get("text"),
                    created_at=row.get("created_at") or "", id=row.get("id"))


def _decided(latest, kind: str, target_id: str) -> str | None:
    d = latest.get(kind, target_id)
    return None if d is None else d.decision


def mark_decisions(item: dict, found: Sequence[Decision]) -> None:
    """On an exported dict: ``reviewed`` (any decision) and, on each decided element, criterion,
    check and letter item, the latest decision's name."""
    latest = overrides(found)
    item["reviewed"] = bool(found)
    for element, entry in (item.get("elements") or {}).items():
        if (d := latest.get("element", element)) is not None:
            entry["reviewed"] = d.decision
    for criterion in item.get("criteria", []):
        if (d := latest.get("criterion", criterion["id"])) is not None:
            criterion["reviewed"] = d.decision
    for check in (item.get("statutory") or {}).get("checks", []):
        if (d := latest.get("gate", check["id"])) is not None:
            check["reviewed"] = d.decision
    for entry in item.get("letter", []):
        if (d := latest.get("letter", entry["id"])) is not None:
            entry["reviewed"] = d.decision


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
