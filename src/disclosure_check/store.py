"""SQLite storage behind one small class, with ordered, recorded migrations.

Results are upserted by (doc_id, rubric_version, model_version): scoring the same file with the
same rubric and model again replaces its row and evidence instead of adding duplicates, so runs
can be repeated or resumed safely. Failures are stored the same way, with their reason.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from .errors import StoreError
from .export import boxes_to_lists, gate_state, result_to_dict
from .types import Assessment, Failure

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
)

BUSY_TIMEOUT_SECONDS = 30.0  # how long one statement waits for another writer's lock
WRITE_PATIENCE_SECONDS = 120.0  # how long a write keeps retrying a busy database before giving up
SHARE_STATUSES = ("pending", "accepted", "rejected")


@dataclass(frozen=True)
class StoredAttempt:
    """What the store holds for one document, rubric and model: enough to decide on a retry."""

    status: str  # "scored" | "failed"
    error_code: str | None
    options: dict | None  # None: stored before options were recorded


REVIEW_KINDS = ("element", "criterion", "gate", "document", "evidence")
DECISIONS = ("confirm", "reject", "adjust", "comment")


def parse_db_url(url: str | Path) -> str:
    """``sqlite:///path.db``, a plain path, or ``:memory:`` / ``sqlite://`` for a private in-memory db."""
    text = str(url)
    if text in (":memory:", "sqlite://", "sqlite:///:memory:"):
        return ":memory:"
    if text.startswith("sqlite:///"):
        return text[len("sqlite:///"):]
    if "://" in text:
        raise StoreError(f"unsupported database URL '{text}'", fix="use sqlite:///path/to/file.db or a file path")
    return text


class Store:
    """The results database. Use as a context manager, or call ``close()``."""

    def __init__(self, url: str | Path = ":memory:", *, create: bool = True) -> None:
        """``create=False`` for commands that only read: a mistyped path is an error, not a new,
        empty database."""
        path = parse_db_url(url)
        if path != ":memory:" and not create and not Path(path).is_file():
            raise StoreError("no database at this path", where=str(url),
                             fix="check --db or DISCLOSURE_CHECK_DB; `disclosure-check score` creates the database")
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.url = str(url)
        try:
            # isolation_level=None: transactions are explicit (BEGIN IMMEDIATE in ``transaction``), so a
            # writer takes the write lock before it reads and never fails to upgrade a read lock.
            self.conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
            self.conn.execute("PRAGMA foreign_keys = ON")
            if path != ":memory:":
                self._retry(lambda: self.conn.execute("PRAGMA journal_mode = WAL"))
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open database ({exc})", where=str(url),
                             fix="check the path and that the directory is writable") from None
        self.conn.row_factory = sqlite3.Row
        self.migrate()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.conn.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction holding the database's write lock from its first statement
        (``BEGIN IMMEDIATE``, waiting up to the busy timeout for another writer)."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
            self.conn.execute("COMMIT")
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise

    def _retry(self, write: Callable[[], object]):
        """Run ``write`` (a whole transaction), trying again while the database stays locked by
        another process beyond the busy timeout: a reviewer's decision waits, it is not dropped."""
        deadline = time.monotonic() + WRITE_PATIENCE_SECONDS
        delay = 0.05
        while True:
            try:
                return write()
            except sqlite3.OperationalError as exc:
                message = str(exc).lower()
                if "locked" not in message and "busy" not in message:
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
        row = self.conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name='schema_migrations'").fetchone()
        if row is None:
            return 0
        return self.conn.execute("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").fetchone()[0]

    def migrate(self) -> int:
        """Apply pending migrations in order; refuse a database from a newer version of the tool.

        Safe when several processes open a new database at once: each migration runs in a write
        transaction that reads the schema version again after taking the lock, so exactly one
        process applies it and the others find it done."""
        current = self.schema_version()
        if current > len(MIGRATIONS):
            raise StoreError(f"database schema version {current} is newer than this tool knows ({len(MIGRATIONS)})",
                             where=self.url, fix="upgrade disclosure-check")
        if current == len(MIGRATIONS):
            return current  # nothing to do: opening a current database writes nothing
        return self._retry(self._apply_pending)

    def _apply_pending(self) -> int:
        with self.transaction() as conn:
            conn.execute("""CREATE TABLE IF NOT EXISTS schema_migrations (
                version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)""")
            current = self.schema_version()
            for version, (name, sql) in enumerate(MIGRATIONS, start=1):
                if version <= current:
                    continue
                for statement in _statements(sql):
                    conn.execute(statement)
                conn.execute("INSERT INTO schema_migrations VALUES (?, ?, ?)", (version, name, _now()))
        return self.schema_version()

    # -- writes -------------------------------------------------------------------------------
    def save(self, result: Assessment | Failure, *, origin: str = "batch", options: dict | None = None) -> int:
        """Upsert one result (and its document and evidence); returns the result row id.

        ``origin`` records how the document arrived: "batch" (CLI) or "self-assessment" (shared by
        the business that uploaded it). ``options`` are those the result was produced with (see
        ``pipeline.attempt_options``: a password only as given or not), stored in the same
        transaction; a failure stored without them is retried."""
        return self._retry(lambda: self._save(result, origin, options))

    def _save(self, result: Assessment | Failure, origin: str, options: dict | None) -> int:
        now = _now()
        if origin != "batch" and self.document_origin(result.doc_id) == "batch":
            # The same bytes were scored in a batch: that record (path, file name, origin, result) stands.
            row = self.conn.execute("SELECT id FROM results WHERE doc_id=? ORDER BY scored_at DESC, id DESC",
                                    (result.doc_id,)).fetchone()
            if row is not None:
                return int(row[0])
        payload = result_to_dict(result)
        meta = result.metadata if isinstance(result, Assessment) else None
        pages = result.pages if isinstance(result, Assessment) else None
        with self.transaction() as conn:
            conn.execute(
                """INSERT INTO documents (doc_id, path, file_name, title, author, producer, creator, created,
                                          modified, pages, first_seen, last_seen)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT(doc_id) DO UPDATE SET path=excluded.path, file_name=excluded.file_name,
                     title=COALESCE(excluded.title, title), author=COALESCE(excluded.author, author),
                     producer=COALESCE(excluded.producer, producer), creator=COALESCE(excluded.creator, creator),
                     created=COALESCE(excluded.created, created), modified=COALESCE(excluded.modified, modified),
                     pages=COALESCE(excluded.pages, pages), last_seen=excluded.last_seen""",
                (result.doc_id, result.path, Path(result.path).name,
                 meta.title if meta else None, meta.author if meta else None, meta.producer if meta else None,
                 meta.creator if meta else None, meta.created if meta else None, meta.modified if meta else None,
                 pages, now, now),
            )
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
            conn.execute("UPDATE documents SET organisation=?, year=?, origin=? WHERE doc_id=?",
                         (organisation, year, origin, result.doc_id))
            result_id = conn.execute(
                "SELECT id FROM results WHERE doc_id=? AND rubric_version=? AND model_version=?",
                (result.doc_id, result.rubric_version, result.model_version)).fetchone()[0]
            for table in ("element_results", "evidence", "criterion_results", "theme_results"):
                conn.execute(f"DELETE FROM {table} WHERE result_id=?", (result_id,))
            maturity = result.maturity if isinstance(result, Assessment) else None
            conn.execute(
                "UPDATE results SET doc_type=?, financial=?, subsector=?, statutory_met=?, overall_level=?, language=?,"
                " pages_ocr=?, options=? WHERE id=?",
                (maturity.profile.doc_type if maturity else None,
                 int(maturity.profile.financial) if maturity else None,
                 maturity.profile.subsector if maturity else None,
                 None if maturity is None or maturity.statutory_met is None else int(maturity.statutory_met),
                 maturity.overall if maturity else None, result.language,
                 json.dumps(payload.get("pages_ocr") or []),
                 None if options is None else json.dumps(options, sort_keys=True), result_id))
            if maturity is not None:
                conn.executemany("INSERT INTO criterion_results VALUES (?, ?, ?, ?, ?)",
                                 [(result_id, c.id, c.theme, c.level, int(c.applies)) for c in maturity.criteria])
                conn.executemany("INSERT INTO theme_results VALUES (?, ?, ?)",
                                 [(result_id, t.id, t.level) for t in maturity.themes])
            if isinstance(result, Assessment):
                conn.executemany(
                    "INSERT INTO element_results VALUES (?, ?, ?, ?)",
                    [(result_id, e.element, int(e.present), e.confidence) for e in result.elements])
                conn.executemany(
                    """INSERT INTO evidence (result_id, element, sentence_index, page, text, classifier, score,
                                             detail, status, boxes, ocr) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                    [(result_id, ev.element, ev.sentence_index, ev.page, ev.text, ev.classifier, ev.score,
                      ev.detail, ev.status, json.dumps(boxes_to_lists(ev.boxes)), int(ev.ocr))
                     for e in result.elements for ev in e.evidence + e.negative])  # negative: kept, flagged
        return result_id

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
        sql = "SELECT result_json, scored_at FROM results"
        clauses, params = [], []
        if status:
            clauses.append("status=?")
            params.append(status)
        if doc_id:
            clauses.append("doc_id=?")
            params.append(doc_id)
        if clauses:
            sql += " WHERE " + " AND ".join(clauses)
        rows = self.conn.execute(sql + " ORDER BY scored_at DESC, id DESC", params).fetchall()
        out = []
        for row in rows:
            item = json.loads(row["result_json"])
            item["scored_at"] = row["scored_at"]
            out.append(item)
        return out

    def add_review(self, doc_id: str, target_kind: str, target_id: str, decision: str, *, reviewer: str,
                   previous_value: str | None = None, new_value: str | None = None, comment: str = "",
                   text: str | None = None) -> int:
        """Record one reviewer decision. Decisions are never changed or deleted: a later one wins.
        ``text``: the sentence an 'evidence' decision is about (required for that kind)."""
        if target_kind not in REVIEW_KINDS:
            raise StoreError(f"unknown review target kind '{target_kind}'", fix=f"use one of {REVIEW_KINDS}")
        if decision not in DECISIONS:
            raise StoreError(f"unknown decision '{decision}'", fix=f"use one of {DECISIONS}")
        if not reviewer.strip():
            raise StoreError("a decision needs the reviewer's name", fix="sign in or enter your name")
        if target_kind == "evidence" and not (text or "").strip():
            raise StoreError("an evidence decision needs the sentence it is about", fix="pass the sentence text")
        def write() -> int:
            with self.transaction() as conn:
                cursor = conn.execute(
                    """INSERT INTO reviews (doc_id, target_kind, target_id, decision, previous_value, new_value, comment,
                                            reviewer, created_at, text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                    (doc_id, target_kind, target_id, decision, previous_value, new_value, comment, reviewer.strip(),
                     _now(), text))
                return int(cursor.lastrowid)

        return self._retry(write)

    def reviews(self, doc_id: str | None = None) -> list[dict]:
        """The audit trail, oldest first."""
        sql = "SELECT * FROM reviews" + (" WHERE doc_id=?" if doc_id else "") + " ORDER BY id"
        return [dict(r) for r in self.conn.execute(sql, (doc_id,) if doc_id else ()).fetchall()]

    def reviewed_results(self, *, status: str | None = None, doc_id: str | None = None,
                         apply: bool = True) -> list[dict]:
        """Stored results with reviewers' latest decisions applied (they take precedence everywhere),
        plus the document's organisation, year and origin. ``apply=False`` skips the decisions (for a
        reader that overlays reviewed documents itself)."""
        items = self.results(status=status, doc_id=doc_id)
        latest: dict[tuple[str, str, str], dict] = {}
        for review in self.reviews(doc_id):
            latest[(review["doc_id"], review["target_kind"], review["target_id"])] = review
        identity = {r["doc_id"]: dict(r) for r in self.conn.execute(
            "SELECT doc_id, organisation, year, origin FROM documents" + (" WHERE doc_id=?" if doc_id else ""),
            (doc_id,) if doc_id else ()).fetchall()}
        by_doc: dict[str, list[dict]] = {}
        for (doc_id, _, _), review in latest.items():
            by_doc.setdefault(doc_id, []).append(review)
        for item in items:
            ident = identity.get(item["doc_id"], {})
            item["organisation"] = ident.get("organisation")
            item["year"] = ident.get("year")
            item["origin"] = ident.get("origin", "batch")
            item["reviews"] = len(by_doc.get(item["doc_id"], []))
            if apply:
                apply_reviews(item, by_doc.get(item["doc_id"], []))
        return items

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
    def add_share(self, payload: dict, *, file_name: str, source: str = "") -> int:
        """Queue one shared self-assessment (its exported result dict) for staff; returns the share id."""
        with self.transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO shares (doc_id, file_name, result_json, shared_at, source) VALUES (?, ?, ?, ?, ?)",
                (payload["doc_id"], file_name, json.dumps(payload, ensure_ascii=False), _now(), source))
            return int(cursor.lastrowid)

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
        with self.transaction() as conn:
            if decision == "accepted" and not duplicate:
                self._insert_shared_result(conn, share["result"], share["file_name"])
            conn.execute("UPDATE shares SET status=?, duplicate=?, decided_by=?, decided_at=? WHERE id=?",
                         (decision, int(duplicate), decided_by.strip(), _now(), share_id))
        return self.share(share_id)

    def _insert_shared_result(self, conn: sqlite3.Connection, item: dict, file_name: str) -> None:
        """Store an accepted share's result dict as ``save`` stores an Assessment, origin 'self-assessment'."""
        now = _now()
        meta = item.get("metadata") or {}
        path = f"shared/{file_name}"
        conn.execute(
            """INSERT INTO documents (doc_id, path, file_name, title, author, producer, creator, created, modified,
                                      pages, first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT(doc_id) DO UPDATE SET last_seen=excluded.last_seen""",
            (item["doc_id"], path, file_name, meta.get("title"), meta.get("author"), meta.get("producer"),
             meta.get("creator"), meta.get("created"), meta.get("modified"), item.get("pages"), now, now))
        organisation, year = item_identity(item, path)
        conn.execute("UPDATE documents SET organisation=?, year=?, origin='self-assessment' WHERE doc_id=?",
                     (organisation, year, item["doc_id"]))
        item = {**item, "document": path}
        statutory = item.get("statutory")
        cursor = conn.execute(
            """INSERT INTO results (doc_id, rubric_version, model_version, status, scored_at, result_json, doc_type,
                                    financial, subsector, statutory_met, overall_level, language, pages_ocr)
               VALUES (?, ?, ?, 'scored', ?, ?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT(doc_id, rubric_version, model_version) DO NOTHING""",
            (item["doc_id"], item["rubric_version"], item["model_version"], now, json.dumps(item, ensure_ascii=False),
             item.get("doc_type"), None if "sector" not in item else int(bool(item["sector"]["financial"])),
             (item.get("sector") or {}).get("subsector"),
             None if not statutory or statutory.get("met") is None else int(statutory["met"]),
             item.get("overall"), item.get("language"), json.dumps(item.get("pages_ocr") or [])))
        if not cursor.rowcount:
            return  # already stored from an earlier share of the same bytes
        result_id = cursor.lastrowid
        conn.executemany("INSERT INTO criterion_results VALUES (?, ?, ?, ?, ?)",
                         [(result_id, c["id"], c["theme"], c["level"], int(c["applies"]))
                          for c in item.get("criteria", [])])
        conn.executemany("INSERT INTO theme_results VALUES (?, ?, ?)",
                         [(result_id, t["id"], t["level"]) for t in item.get("themes", [])])
        elements = item.get("elements") or {}
        conn.executemany("INSERT INTO element_results VALUES (?, ?, ?, ?)",
                         [(result_id, e, int(v["present"]), v["confidence"]) for e, v in elements.items()])
        conn.executemany(
            """INSERT INTO evidence (result_id, element, sentence_index, page, text, classifier, score, detail, status,
                                     boxes, ocr) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [(result_id, e, ev["sentence_index"], ev["page"], ev["text"], ev["classifier"], ev["score"],
              ev.get("detail", ""), ev.get("status", "implemented"), json.dumps(ev.get("boxes") or []),
              int(bool(ev.get("ocr")))) for e, v in elements.items() for ev in v["evidence"] + v.get("negative", [])])

    # -- staff accounts, sign-in sessions and throttling (policy in accounts.py) ---------------
    # An account's ``key`` is its name folded for lookup (accounts.account_key): SQLite's NOCASE
    # folds ASCII only, and "Ó" and "ó" must be the same person.
    def add_account(self, key: str, name: str, password_hash: str) -> None:
        try:
            with self.transaction() as conn:
                conn.execute("INSERT INTO accounts VALUES (?, ?, ?, ?)", (key, name, password_hash, _now()))
        except sqlite3.IntegrityError:
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
                   failures = CASE WHEN ? - last_failure > ? THEN 1 ELSE failures + 1 END, last_failure = excluded.last_failure""",
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
    from .identity import with_fallback
    from .types import Identity, Metadata

    found = with_fallback(Identity(), path, Metadata(author=author, title=title))
    return found.organisation or Path(path).stem, found.year


def item_identity(item: dict, path: str) -> tuple[str, int | None]:
    """``document_identity`` for a stored result dict (a shared self-assessment)."""
    meta = item.get("metadata") or {}
    fallback, year = identity_from(path, meta.get("author"), meta.get("title"))
    identity = item.get("identity") or {}
    return identity.get("organisation") or fallback, identity["year"] if "identity" in item else year


def apply_reviews(item: dict, reviews: list[dict]) -> None:
    """Overlay reviewer decisions on an exported result dict, in place (latest decision per target)."""
    item["reviewed"] = bool(reviews)
    for review in reviews:
        kind, target, decision, value = review["target_kind"], review["target_id"], review["decision"], review["new_value"]
        if kind == "element" and target in item.get("elements", {}):
            entry = item["elements"][target]
            if decision in ("confirm", "reject", "adjust"):
                entry["present"] = decision == "confirm" or (decision == "adjust" and value == "true")
                entry["reviewed"] = decision
        elif kind == "criterion":
            for criterion in item.get("criteria", []):
                if criterion["id"] == target and decision == "adjust" and value is not None:
                    criterion["level"] = int(value)
                    criterion["reviewed"] = "adjust"
                elif criterion["id"] == target and decision in ("confirm", "reject"):
                    criterion["reviewed"] = decision
                    if decision == "reject":
                        criterion["level"] = 0
        elif kind == "gate" and item.get("statutory"):
            for check in item["statutory"]["checks"]:
                if check["id"] == target and decision in ("confirm", "reject"):
                    check["met"] = decision == "confirm"
                    check["state"] = "met" if check["met"] else "not_met"
                    check["reviewed"] = decision
            item["statutory"]["met"] = all(c["met"] for c in item["statutory"]["checks"])
            item["statutory"]["state"] = gate_state(item["statutory"])
    if any(r["target_kind"] == "criterion" for r in reviews) and "themes" in item:
        recompute_levels(item)


def recompute_levels(item: dict) -> None:
    """Theme and overall levels again after reviewed criterion levels (same rule as maturity.py)."""
    from .maturity import floor_median

    by_theme: dict[str, list[int]] = {}
    for criterion in item["criteria"]:
        if criterion["applies"]:
            by_theme.setdefault(criterion["theme"], []).append(criterion["level"])
    for theme in item["themes"]:
        if theme["level"] is not None and theme["id"] in by_theme:
            theme["level"] = floor_median(by_theme[theme["id"]])
    item["overall"] = floor_median([t["level"] for t in item["themes"] if t["level"] is not None])


def _statements(script: str) -> list[str]:
    """A migration script as single statements (a trigger's body stays whole), so it can run inside
    one transaction: ``executescript`` would commit first and drop the lock."""
    statements, buffer = [], ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
