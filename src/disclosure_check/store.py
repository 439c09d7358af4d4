"""SQLite storage behind one small class, with ordered, recorded migrations.

Results are upserted by (doc_id, rubric_version, model_version): scoring the same file with the
same rubric and model again replaces its row and evidence instead of adding duplicates, so runs
can be repeated or resumed safely. Failures are stored the same way, with their reason.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from .errors import StoreError
from .export import boxes_to_lists, result_to_dict
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
)

@dataclass(frozen=True)
class StoredAttempt:
    """What the store holds for one document, rubric and model: enough to decide on a retry."""

    status: str  # "scored" | "failed"
    error_code: str | None
    options: dict | None  # None: stored before options were recorded


REVIEW_KINDS = ("element", "criterion", "gate", "document")
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

    def __init__(self, url: str | Path = ":memory:") -> None:
        path = parse_db_url(url)
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        try:
            self.conn = sqlite3.connect(path)
            self.conn.execute("PRAGMA foreign_keys = ON")
            if path != ":memory:":
                self.conn.execute("PRAGMA journal_mode = WAL")
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open database ({exc})", where=str(url),
                             fix="check the path and that the directory is writable") from None
        self.conn.row_factory = sqlite3.Row
        self.url = str(url)
        self.migrate()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.conn.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        try:
            yield self.conn
            self.conn.commit()
        except BaseException:
            self.conn.rollback()
            raise

    # -- schema -------------------------------------------------------------------------------
    def schema_version(self) -> int:
        row = self.conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name='schema_migrations'").fetchone()
        if row is None:
            return 0
        return self.conn.execute("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").fetchone()[0]

    def migrate(self) -> int:
        """Apply pending migrations in order; refuse a database from a newer version of the tool."""
        current = self.schema_version()
        if current == len(MIGRATIONS):
            return current  # nothing to do: opening a current database writes nothing
        if current == 0:
            with self.transaction() as conn:
                conn.execute("""CREATE TABLE IF NOT EXISTS schema_migrations (
                    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)""")
        if current > len(MIGRATIONS):
            raise StoreError(f"database schema version {current} is newer than this tool knows ({len(MIGRATIONS)})",
                             where=self.url, fix="upgrade disclosure-check")
        for version, (name, sql) in enumerate(MIGRATIONS, start=1):
            if version <= current:
                continue
            with self.transaction() as conn:
                conn.executescript("BEGIN;" + sql)  # executescript commits; BEGIN keeps it atomic
                conn.execute("INSERT INTO schema_migrations VALUES (?, ?, ?)", (version, name, _now()))
        return self.schema_version()

    # -- writes -------------------------------------------------------------------------------
    def save(self, result: Assessment | Failure, *, origin: str = "batch") -> int:
        """Upsert one result (and its document and evidence); returns the result row id.

        ``origin`` records how the document arrived: "batch" (CLI) or "self-assessment" (shared by
        the business that uploaded it)."""
        now = _now()
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
                " pages_ocr=? WHERE id=?",
                (maturity.profile.doc_type if maturity else None,
                 int(maturity.profile.financial) if maturity else None,
                 maturity.profile.subsector if maturity else None,
                 None if maturity is None or maturity.statutory_met is None else int(maturity.statutory_met),
                 maturity.overall if maturity else None, result.language,
                 json.dumps(payload.get("pages_ocr") or []), result_id))
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
                     for e in result.elements for ev in e.evidence])
        return result_id

    def record_options(self, doc_id: str, rubric_version: str, model_version: str, options: dict) -> None:
        """Note the options a stored result was produced with (see ``pipeline.attempt_options``: a
        password is recorded only as given or not). A result without them is retried if it failed."""
        with self.transaction() as conn:
            conn.execute("UPDATE results SET options=? WHERE doc_id=? AND rubric_version=? AND model_version=?",
                         (json.dumps(options, sort_keys=True), doc_id, rubric_version, model_version))

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
                   previous_value: str | None = None, new_value: str | None = None, comment: str = "") -> int:
        """Record one reviewer decision. Decisions are never changed or deleted: a later one wins."""
        if target_kind not in REVIEW_KINDS:
            raise StoreError(f"unknown review target kind '{target_kind}'", fix=f"use one of {REVIEW_KINDS}")
        if decision not in DECISIONS:
            raise StoreError(f"unknown decision '{decision}'", fix=f"use one of {DECISIONS}")
        if not reviewer.strip():
            raise StoreError("a decision needs the reviewer's name", fix="sign in or enter your name")
        with self.transaction() as conn:
            cursor = conn.execute(
                """INSERT INTO reviews (doc_id, target_kind, target_id, decision, previous_value, new_value, comment,
                                        reviewer, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                (doc_id, target_kind, target_id, decision, previous_value, new_value, comment, reviewer.strip(), _now()))
            return int(cursor.lastrowid)

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

    def table_count(self, table: str) -> int:
        if table not in {"documents", "results", "element_results", "evidence", "criterion_results", "theme_results",
                         "reviews"}:
            raise ValueError(table)
        return self.conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def document_identity(result: Assessment | Failure) -> tuple[str, int | None]:
    """Organisation and statement year: from PDF metadata where present, else the file name."""
    import re

    meta = result.metadata if isinstance(result, Assessment) else None
    stem = Path(result.path).stem
    organisation = (meta.author if meta and meta.author else None) or re.sub(r"[_\-]?(19|20)\d\d$", "", stem)
    organisation = organisation.replace("_", " ").strip().title() if organisation == organisation.lower() else organisation
    text = " ".join(filter(None, [stem, meta.title if meta else None]))
    years = re.findall(r"(?<!\d)(20[0-3]\d)(?!\d)", text)
    return organisation, int(years[-1]) if years else None


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
                    check["reviewed"] = decision
            item["statutory"]["met"] = all(c["met"] for c in item["statutory"]["checks"])
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


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
