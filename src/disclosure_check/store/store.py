"""Results storage behind one small class, with ordered, recorded migrations: SQLite (the default,
one file) or PostgreSQL (a shared server), through the connection layer in ``database.py``.

Results are upserted by (doc_id, rubric_version, model_version): scoring the same file with the
same rubric and model again replaces its row and evidence instead of adding duplicates, so runs
can be repeated or resumed safely. Failures are stored the same way, with their reason.

Typed on both sides: ``save`` takes an ``Assessment`` or ``Failure``, ``stored`` gives them back
(``codec`` turns them into the JSON kept in ``results``, losslessly). Reviewers' decisions are an
append-only trail; the store writes the reviewed truth (``assess.decisions.apply``) into the rows
every reader uses, with the rubric the result was scored with: kept in the ``rubrics`` table when
the result is saved, so whoever opens the database applies decisions the same way. The store never
loads a rubric file itself; results stored before rubrics were kept use the rubrics its opener
passes (``rubrics=``), else only decisions that need no rubric apply.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path

from disclosure_check.assess.decisions import Decision, apply, check_levels, make_decision, overrides
from disclosure_check.assess.identity import document_identity
from disclosure_check.errors import DataError, StoreError
from disclosure_check.rubric import Rubric, rubric_from_data, rubric_to_data
from disclosure_check.store import postgres_schema
from disclosure_check.store.codec import boxes_to_lists, decode, encode
from disclosure_check.store.database import Connection, connect, is_postgres, parse_db_url, redact
from disclosure_check.store.schema import (
    MIGRATIONS,
    REFRESH_AFTER,
    REVIEWED_TRUTH_MIGRATION,
    SEARCH_STEMS_MIGRATION,
)
from disclosure_check.store.words import index_words
from disclosure_check.types import Assessment, Failure, StoredAttempt

assert len(postgres_schema.MIGRATIONS) == len(MIGRATIONS), "every migration needs its PostgreSQL step"

BUSY_TIMEOUT_SECONDS = 30.0  # how long one statement waits for another writer's lock
WRITE_PATIENCE_SECONDS = 120.0  # how long a write keeps retrying a busy database before giving up
ORIGINS = ("batch", "self-assessment")


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


class Store:
    """The results database. Use as a context manager, or call ``close()``."""

    def __init__(self, url: str | Path = ":memory:", *, create: bool = True, read_only: bool = False,
                 rubrics: Rubric | Sequence[Rubric] = ()) -> None:
        """``create=False`` for commands that only read: a mistyped path is an error, not a new,
        empty database. ``read_only``: for commands that only read: nothing is written, not even to
        open it (no journal mode set, no migrations; SQLite ``mode=ro``), so a database its user may
        only read, on a read-only disk, can be read; a schema older than this tool's is an error
        saying to open it once with write access. ``rubrics``: rubrics the caller scores or reviews
        with, for results stored before the store kept each result's rubric (a result's own kept
        rubric always wins)."""
        self._known = {r.key: r for r in ([rubrics] if isinstance(rubrics, Rubric) else rubrics)}
        self._kept: dict[str, Rubric | None] = {}
        self._confirmed: list[Rubric] = []  # rubric objects found equal to the one kept under their key
        self.url = redact(url)
        self.read_only = read_only
        self.conn: Connection = connect(url, create=create, busy_timeout=BUSY_TIMEOUT_SECONDS, read_only=read_only,
                                        patience=WRITE_PATIENCE_SECONDS)
        self.dialect = self.conn.dialect
        try:
            if read_only:
                self._check_readable()
                return
            if not is_postgres(url) and parse_db_url(url) != ":memory:":
                self._retry(lambda: self.conn.execute("PRAGMA journal_mode = WAL"))
            self.migrate()
        except BaseException:
            self.conn.close()
            raise

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

    def retry(self, write: Callable[[], object], *, idempotent: bool = True):
        """Run ``write`` (a whole transaction), trying again while the database stays locked by
        another process beyond the busy timeout (PostgreSQL: also after a deadlock or serialization
        failure): a reviewer's decision waits, it is not dropped. A lost PostgreSQL connection (the
        server restarted) is opened again and ``write`` run again, all within the write patience.
        ``idempotent=False``: ``write`` must not run twice, so a connection lost while its COMMIT was
        on its way (applied or not, nobody can say) is a StoreError instead."""
        deadline = time.monotonic() + WRITE_PATIENCE_SECONDS
        delay = 0.05
        while True:
            try:
                return write()
            except Exception as exc:
                if self.conn.lost:
                    if self.conn.commit_unknown and not idempotent:
                        raise StoreError("lost the connection to the database server while committing: the change "
                                         "may or may not have been recorded", where=self.url,
                                         fix="look before doing it again (the audit trail: `disclosure-check review "
                                             "export`, or the document's review page)") from None
                    self.conn.reconnect(deadline)  # waits for the server; a StoreError past the patience
                    continue
                if not self.conn.is_contention(exc):
                    raise
                if time.monotonic() >= deadline:
                    raise StoreError(f"the database stayed locked by another writer for "
                                     f"{WRITE_PATIENCE_SECONDS:.0f} s ({exc})", where=self.url,
                                     fix="find the process holding it (a long-running query or a crashed "
                                         "tool) and try again") from None
                time.sleep(delay)
                delay = min(delay * 2, 2.0)

    _retry = retry

    # -- schema -------------------------------------------------------------------------------
    def schema_version(self) -> int:
        if not self.conn.table_exists("schema_migrations"):
            return 0
        return self.conn.execute("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").fetchone()[0]

    def _check_readable(self) -> None:
        """A read-only open: the schema must be this tool's (nothing can be migrated)."""
        current = self.schema_version()
        if current > len(MIGRATIONS):
            raise StoreError(f"database schema version {current} is newer than this tool knows ({len(MIGRATIONS)})",
                             where=self.url, fix="upgrade disclosure-check")
        if current == 0:
            raise StoreError("this database holds no disclosure-check results (it has none of their tables)",
                             where=self.url,
                             fix="check --db or DISCLOSURE_CHECK_DB: give the database `disclosure-check score` wrote")
        if current < len(MIGRATIONS):
            raise StoreError(f"the database's schema is version {current}, older than this tool reads "
                             f"({len(MIGRATIONS)}), and this command opens it read-only", where=self.url,
                             fix="upgrade it once with write access (as a user who may write it, run a command "
                                 "that writes, such as `disclosure-check load` or `score`, or open the dashboard "
                                 "on it); the upgrade keeps every result")

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
        return self.retry(self._apply_pending)

    def _apply_pending(self) -> int:
        with self.transaction() as conn:
            conn.lock_migrations()
            conn.execute("""CREATE TABLE IF NOT EXISTS schema_migrations (
                version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)""")
            current = self.schema_version()
            refresh = False
            for version, (name, sql) in enumerate(MIGRATIONS, start=1):
                if version <= current:
                    continue
                conn.script(postgres_schema.MIGRATIONS[version - 1] if self.dialect.postgres else sql)
                conn.execute("INSERT INTO schema_migrations VALUES (?, ?, ?)", (version, name, _now()))
                if version == REVIEWED_TRUTH_MIGRATION:
                    self._refresh_truth(conn, None)  # the later steps' tables need the reviewed rows first
                if version == SEARCH_STEMS_MIGRATION and self.dialect.postgres:
                    self._index_texts(conn)
                refresh = refresh or version in REFRESH_AFTER[1:]
            if refresh:
                self._refresh_truth(conn, None)  # results stored before: their reviewed rows, once
        return self.schema_version()

    def _index_texts(self, conn: Connection, batch: int = 200) -> None:
        """PostgreSQL's search columns (distinct words, their stems) for texts stored before them."""
        while True:
            rows = conn.execute("SELECT doc_id, text FROM document_texts WHERE words IS NULL ORDER BY doc_id"
                                f" LIMIT {int(batch)}").fetchall()
            if not rows:
                return
            for doc_id, text in rows:
                found, stems = index_words(text)
                conn.execute("UPDATE document_texts SET words=array_to_tsvector(?::text[]),"
                             " stems=array_to_tsvector(?::text[]) WHERE doc_id=?", (found, stems, doc_id))

    # -- the rubrics results were scored with ---------------------------------------------------
    def keep_rubric(self, rubric: Rubric) -> None:
        """Keep ``rubric`` as data under its key (once), so decisions on results scored with it are
        applied with it by whoever opens the database. A different rubric under a key already kept
        is refused: results under one key must mean one rubric."""
        if any(r is rubric for r in self._confirmed):
            return  # this very object was checked already (a batch saves each result with it)
        data = rubric_to_data(rubric)
        self.retry(lambda: self._insert_rubric(rubric.key, json.dumps(data, ensure_ascii=False, sort_keys=True)))
        self._kept.pop(rubric.key, None)
        if self.rubric(rubric.key) != rubric:
            raise StoreError(f"this database keeps another rubric under {rubric.key}: the rubric given was edited "
                             "without a new version", where=self.url,
                             fix="give the edited rubric a new 'version:' (results are stored per rubric version)")
        self._confirmed.append(rubric)

    def _insert_rubric(self, key: str, data: str) -> None:
        with self.transaction() as conn:
            conn.execute("INSERT INTO rubrics VALUES (?, ?, ?) ON CONFLICT(key) DO NOTHING", (key, data, _now()))

    def rubric(self, key: str) -> Rubric | None:
        """The rubric results under ``key`` (``<id>@<version>``) were scored with: as kept with them,
        else one the opener passed; None when neither is known."""
        if key not in self._kept:
            row = self.conn.execute("SELECT data FROM rubrics WHERE key=?", (key,)).fetchone()
            self._kept[key] = rubric_from_data(json.loads(row[0]), where=f"{self.url}: rubric {key}") if row else None
        return self._kept[key] or self._known.get(key)

    def _gate_elements(self) -> dict[str, str]:
        """Check id -> element, from every rubric the store knows, for checks stored without it."""
        known = [r for r in (*self._known.values(), *self._kept.values()) if r is not None]
        return {g.id: g.element for r in known for g in r.gate if g.element}

    def rubric_like(self, key: str) -> Rubric | None:
        """``rubric(key)``, else a known rubric of the same id in another version (to name its codes:
        ``C14`` is the same criterion across versions of one rubric); None when none is known."""
        found = self.rubric(key)
        if found is not None:
            return found
        rubric_id = key.split("@", 1)[0]
        known = [r for r in (*self._known.values(), *self._kept.values()) if r is not None and r.id == rubric_id]
        return known[0] if known else None

    # -- writes -------------------------------------------------------------------------------
    def save(self, result: Assessment | Failure, *, origin: str = "batch", options: dict | None = None,
             text: str | None = None, organisation: str | None = None, year: int | None = None,
             rubric: Rubric | None = None) -> int:
        """Upsert one result (and its document and evidence); returns the result row id.

        ``origin`` records how the document arrived: "batch" (CLI) or "self-assessment" (shared by
        the business that uploaded it). ``options`` are those the result was produced with (see
        ``run.resume.attempt_options``: a password only as given or not), stored in the same
        transaction; a failure stored without them is retried. ``text``: the document's text for
        keyword search (default: the scorer's, ``Assessment.text``). ``organisation`` and ``year``: as
        a manifest gives them (a registry's own record), taking precedence over what the statement
        says. ``rubric``: the one the result was scored with, kept beside it."""
        if origin not in ORIGINS:
            raise StoreError(f"unknown origin '{origin}'", fix=f"use one of {ORIGINS}")
        if rubric is not None:
            if rubric.key != result.rubric_version:
                raise StoreError(f"the result was scored with {result.rubric_version}, not {rubric.key}",
                                 where=result.path, fix="pass the rubric the result was scored with")
            self.keep_rubric(rubric)
        if text is None and isinstance(result, Assessment) and result.text:
            text = result.text
        return self.retry(lambda: self._save(result, origin, options, text, (organisation, year)))

    def _save(self, result: Assessment | Failure, origin: str, options: dict | None,
              text: str | None = None, identity: tuple[str | None, int | None] = (None, None)) -> int:
        if origin != "batch" and self.document_origin(result.doc_id) == "batch":
            # The same bytes were scored in a batch: that record (path, file name, origin, result) stands.
            row = self.conn.execute("SELECT id FROM results WHERE doc_id=? ORDER BY scored_at DESC, id DESC",
                                    (result.doc_id,)).fetchone()
            if row is not None:
                return int(row[0])
        with self.transaction(result.doc_id) as conn:
            return self.write(conn, result, origin, options, text=text, identity=identity)

    def _write_text(self, conn: Connection, result: Assessment | Failure, text: str) -> None:
        """The text keyword search reads, with where each of its pages starts when the result carries
        them (its own text); PostgreSQL's word and stem columns beside it (SQLite's triggers index it)."""
        starts = result.text_pages if isinstance(result, Assessment) and text == result.text else ()
        pages = json.dumps([list(p) for p in starts]) if starts else None
        if self.dialect.postgres:
            found, stems = index_words(text)
            conn.execute("INSERT INTO document_texts (doc_id, text, pages, words, stems) VALUES (?, ?, ?,"
                         " array_to_tsvector(?::text[]), array_to_tsvector(?::text[])) ON CONFLICT(doc_id) DO UPDATE"
                         " SET text=excluded.text, pages=excluded.pages, words=excluded.words, stems=excluded.stems",
                         (result.doc_id, text, pages, found, stems))
        else:
            conn.execute("INSERT INTO document_texts (doc_id, text, pages) VALUES (?, ?, ?) ON CONFLICT(doc_id)"
                         " DO UPDATE SET text=excluded.text, pages=excluded.pages", (result.doc_id, text, pages))

    def write(self, conn: Connection, result: Assessment | Failure, origin: str, options: dict | None, *,
              text: str | None = None, replace_existing: bool = True,
              identity: tuple[str | None, int | None] = (None, None)) -> int:
        """Insert or replace one result in an open transaction (``transaction``), then its reviewed
        rows. For the store's own modules (``shares``); everyone else calls ``save``."""
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
            # an accepted share's "shared/<name>" is a label (its bytes are in document_files); a URL as given.
            (result.doc_id, os.path.abspath(result.path) if origin == "batch" and "://" not in result.path
             else result.path,
             Path(result.path).name,
             meta.title if meta else None, meta.author if meta else None, meta.producer if meta else None,
             meta.creator if meta else None, meta.created if meta else None, meta.modified if meta else None,
             pages, now, now),
        )
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
             json.dumps(encode(result), ensure_ascii=False)),
        )
        organisation, year, source, suggestion = document_identity(result)
        if identity[0]:  # a register's record outranks what the statement says
            organisation, source, suggestion = identity[0], "manifest", None
        year = identity[1] if identity[1] is not None else year
        conn.execute("UPDATE documents SET organisation=?, year=?, origin=?, organisation_source=?, suggestion=?"
                     " WHERE doc_id=?", (organisation, year, origin, source, suggestion, result.doc_id))
        if text is not None:
            self._write_text(conn, result, text)
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
        self._write_truth(conn, result_id, result, self._decisions(conn, result.doc_id))
        return result_id

    # -- the reviewed truth: what every page, export and report reads -------------------------
    def _write_truth(self, conn: Connection, result_id: int, machine: Assessment | Failure,
                     found: Sequence[Decision]) -> None:
        """The result's SQL rows with decisions applied (the machine's values kept beside them)."""
        reviewed = apply(machine, found, self.rubric(machine.rubric_version), gate_elements=self._gate_elements()) \
            if found else machine
        latest = overrides(found)
        for table in ("element_results", "criterion_results", "theme_results", "gate_results", "letter_results"):
            conn.execute(f"DELETE FROM {table} WHERE result_id=?", (result_id,))
        m, before = (reviewed.maturity, machine.maturity) if isinstance(reviewed, Assessment) else (None, None)
        value_decisions = sum(1 for d in found if d.changes_value)
        if isinstance(reviewed, Assessment) and reviewed.identity is not None:
            # a reviewer's organisation and year are the document's from now on
            named = reviewed.identity
            if named.source("organisation") == "reviewer":
                conn.execute("UPDATE documents SET organisation=?, organisation_source='reviewer', suggestion=NULL"
                             " WHERE doc_id=?", (named.organisation, machine.doc_id))
            if named.source("year") == "reviewer":
                conn.execute("UPDATE documents SET year=? WHERE doc_id=?", (named.year, machine.doc_id))
        conn.execute(
            "UPDATE results SET doc_type=?, financial=?, subsector=?, industry=?, jurisdictions=?, statutory_met=?,"
            " statutory_state=?, overall_level=?, machine_overall_level=?, gaps=?, top_gap=?, decisions=?,"
            " reviewed_json=? WHERE id=?",
            (m.profile.doc_type if m else None, int(m.profile.financial) if m else None,
             m.profile.subsector if m else None, m.profile.industry if m else None,
             (";".join(m.profile.jurisdictions) or "none") if m else None,
             None if m is None or m.statutory_met is None else int(m.statutory_met),
             m.statutory_state if m else None, m.overall if m else None, before.overall if before else None,
             len(m.gaps) if m else None, m.gaps[0].criterion if m and m.gaps else None, len(found),
             json.dumps(encode(reviewed), ensure_ascii=False) if value_decisions else None, result_id))
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
            self._write_truth(conn, row[0], decode(json.loads(row[2])), by_doc.get(row[1], []))
        return len(rows)

    def _decisions(self, conn: Connection, doc_id: str | None) -> list[Decision]:
        sql = "SELECT * FROM reviews" + (" WHERE doc_id=?" if doc_id else "") + " ORDER BY id"
        return [_decision_from_row(dict(r)) for r in conn.execute(sql, (doc_id,) if doc_id else ()).fetchall()]

    # -- decisions ----------------------------------------------------------------------------
    def add_decisions(self, decisions: Sequence[Decision]) -> list[int]:
        """Record decisions in one transaction and write the reviewed rows of every document they
        touch; all or none (an unknown document or a level off its result's scale records nothing)."""
        decisions = list(decisions)
        if not decisions:
            return []
        doc_ids = sorted({d.doc_id for d in decisions})
        rows = self.conn.execute(
            f"SELECT doc_id, rubric_version, result_json FROM results WHERE doc_id IN ({','.join('?' * len(doc_ids))})",
            doc_ids).fetchall()
        unknown = sorted(set(doc_ids) - {r[0] for r in rows}
                         - {r[0] for r in self.conn.execute(
                             f"SELECT doc_id FROM documents WHERE doc_id IN ({','.join('?' * len(doc_ids))})",
                             doc_ids).fetchall()})
        if unknown:
            raise StoreError(f"no stored document with doc_id {unknown[0]}"
                             + (f" (and {len(unknown) - 1} more)" if len(unknown) > 1 else ""), where=self.url,
                             fix="take doc_id from `disclosure-check export` or the dashboard; nothing was recorded")
        scales: dict[str, set[int]] = {}
        for doc_id, rubric_version, result_json in rows:
            rubric = self.rubric(rubric_version)
            levels = set(rubric.levels) if rubric is not None else {
                int(s["level"]) for s in json.loads(result_json).get("scale") or ()}
            scales.setdefault(doc_id, set()).update(levels)
        try:
            check_levels(decisions, scales)
        except DataError as exc:
            raise StoreError(exc.message, where=exc.where, fix=exc.fix) from None

        def write() -> list[int]:
            with self.transaction(*doc_ids) as conn:
                ids = []
                for d in decisions:
                    cursor = conn.execute(
                        """INSERT INTO reviews (doc_id, target_kind, target_id, decision, previous_value, new_value,
                                                comment, reviewer, created_at, text, role)
                           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""",
                        (d.doc_id, d.kind, d.target_id, d.decision, d.previous_value,
                         d.value if d.value is not None else None if d.level is None else str(d.level),
                         d.comment, d.reviewer.strip(), _now(), d.text, d.role))
                    ids.append(int(cursor.fetchone()[0]))
                for doc_id in doc_ids:
                    self._refresh_truth(conn, doc_id)
                return ids

        return self.retry(write, idempotent=False)

    def add_review(self, doc_id: str, target_kind: str, target_id: str, decision: str, *, reviewer: str,
                   level: int | str | None = None, previous_value: str | None = None, comment: str = "",
                   text: str | None = None, value: str | None = None) -> int:
        """Record one decision given by its parts (``assess.decisions.make_decision`` checks them:
        confirm, reject, set_level with ``level``, set_value with ``value`` (a document judgement),
        or comment). ``text``: the sentence an evidence decision is about (required for that kind)."""
        if target_kind == "evidence" and not (text or "").strip():
            raise StoreError("an evidence decision needs the sentence it is about", fix="pass the sentence text")
        try:
            made = make_decision(doc_id, f"{target_kind}:{target_id}", decision, reviewer=reviewer, level=level,
                                 comment=comment, text=text, value=value)
        except DataError as exc:
            raise StoreError(exc.message, where=exc.where, fix=exc.fix) from None
        return self.add_decisions([replace(made, previous_value=previous_value)])[0]

    def decisions(self, doc_id: str | None = None) -> list[Decision]:
        """The audit trail as typed decisions, oldest first."""
        return self._decisions(self.conn, doc_id)

    def reviewed_doc_ids(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT DISTINCT doc_id FROM reviews ORDER BY doc_id").fetchall()]

    # -- reads --------------------------------------------------------------------------------
    def attempt(self, doc_id: str, rubric_version: str, model_version: str) -> StoredAttempt | None:
        """The stored outcome's status, error code and options (what resuming needs), or None."""
        row = self.conn.execute(
            "SELECT status, error_code, options FROM results WHERE doc_id=? AND rubric_version=? AND model_version=?",
            (doc_id, rubric_version, model_version)).fetchone()
        if row is None:
            return None
        return StoredAttempt(row[0], row[1], json.loads(row[2]) if row[2] else None)

    def stored(self, *, status: str | None = None, doc_id: str | None = None,
               versions: tuple[str, str] | None = None) -> list[StoredResult]:
        """Stored results, typed, newest first: the reviewed result (decisions applied), the machine's,
        the document's organisation, year and origin, and its decisions. ``versions``: only results
        of this (rubric, model)."""
        by_doc = self._decisions_by_doc(doc_id)
        out = []
        for row in self._result_rows(status, doc_id, versions):
            machine = decode(json.loads(row["result_json"]))
            reviewed = decode(json.loads(row["reviewed_json"])) if row["reviewed_json"] else machine
            out.append(StoredResult(result=reviewed, machine=machine, organisation=row["organisation"],
                                    year=row["year"], origin=row["origin"] or "batch", scored_at=row["scored_at"],
                                    decisions=tuple(by_doc.get(row["doc_id"], ()))))
        return out

    def reviewed_results(self, *, status: str | None = None, doc_id: str | None = None, apply: bool = True,
                         versions: tuple[str, str] | None = None) -> list[dict]:
        """Stored results as dicts (the codec's form, which exports trim: ``present.export``), with
        reviewers' decisions applied (they take precedence everywhere), plus ``scored_at``,
        ``organisation``, ``year``, ``origin``, ``reviews`` (how many decisions) and, on each decided
        element, criterion, check and letter item, the latest decision (``reviewed``). ``apply=False``:
        the machine's results. Read as stored (no result is typed and serialised again): the reviewed
        dict was written with the decisions."""
        by_doc = self._decisions_by_doc(doc_id)
        out = []
        for row in self._result_rows(status, doc_id, versions):
            found = by_doc.get(row["doc_id"], [])
            item = json.loads(row["reviewed_json"] if apply and row["reviewed_json"] else row["result_json"])
            item.update(scored_at=row["scored_at"], organisation=row["organisation"], year=row["year"],
                        origin=row["origin"] or "batch", reviews=len(found))
            if apply:
                _mark_decisions(item, found, row["result_json"])
            out.append(item)
        return out

    def _result_rows(self, status: str | None, doc_id: str | None, versions: tuple[str, str] | None) -> list:
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
        if versions:
            clauses.append("r.rubric_version=? AND r.model_version=?")
            params += list(versions)
        if clauses:
            sql += " WHERE " + " AND ".join(clauses)
        return self.conn.execute(sql + " ORDER BY r.scored_at DESC, r.id DESC", params).fetchall()

    def _decisions_by_doc(self, doc_id: str | None) -> dict[str, list[Decision]]:
        by_doc: dict[str, list[Decision]] = {}
        for d in self.decisions(doc_id):
            by_doc.setdefault(d.doc_id, []).append(d)
        return by_doc

    def versions(self) -> tuple[tuple, int]:
        """Cheap change markers: (results version, reviews version). Readers cache on them."""
        results = tuple(self.conn.execute("SELECT COUNT(*), MAX(id), MAX(scored_at) FROM results").fetchone())
        reviews = self.conn.execute("SELECT COALESCE(MAX(id), 0) FROM reviews").fetchone()[0]
        return results, int(reviews)

    def counts(self) -> dict[str, int]:
        rows = self.conn.execute("SELECT status, COUNT(*) FROM results GROUP BY status").fetchall()
        return {status: n for status, n in rows}

    def document_origin(self, doc_id: str) -> str | None:
        """How the document arrived ('batch' or 'self-assessment'), or None when it is not stored."""
        row = self.conn.execute("SELECT origin FROM documents WHERE doc_id=?", (doc_id,)).fetchone()
        return row[0] if row else None

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

    def table_count(self, table: str) -> int:
        if table not in {"documents", "results", "element_results", "evidence", "criterion_results", "theme_results",
                         "reviews", "shares", "accounts", "sessions", "rubrics", "assignments"}:
            raise ValueError(table)
        return self.conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def _decision_from_row(row: dict) -> Decision:
    """A stored review row as a typed decision (the row's words are the decision's: migration 11)."""
    value = row.get("new_value")
    return Decision(doc_id=row["doc_id"], kind=row["target_kind"], target_id=row["target_id"],
                    decision=row["decision"], reviewer=row["reviewer"],
                    level=int(value) if row["decision"] == "set_level" and value is not None else None,
                    value=value if row["decision"] == "set_value" or (
                        row["target_kind"] == "evidence" and row["decision"] == "confirm") else None,
                    comment=row.get("comment") or "", previous_value=row.get("previous_value"), text=row.get("text"),
                    created_at=row.get("created_at") or "", id=row.get("id"), role=row.get("role") or "first")


def _decided(latest, kind: str, target_id: str) -> str | None:
    d = latest.get(kind, target_id)
    return None if d is None else d.decision


def _mark_decisions(item: dict, found: Sequence[Decision], machine_json: str) -> None:
    """On a result dict: ``reviewed`` (any decision), the document's ``verification`` (its level,
    reviewers, decision count and time of the last decision; per document judgement under
    ``judgements``) and, on each element, criterion, check and letter item, its ``verification``
    and, where decided, the latest decision's name (``reviewed``)."""
    from disclosure_check.assess.verification import DocumentVerification, machine_values, verify

    latest = overrides(found)
    item["reviewed"] = bool(found)
    machine = decode(json.loads(machine_json)) if found else None
    checked = verify(found, machine_values(machine)) if isinstance(machine, Assessment) else DocumentVerification(
        "reviewed" if found else "machine", reviewers=tuple(dict.fromkeys(d.reviewer for d in found)),
        decisions=len(found), last_decided_at=max((d.created_at for d in found), default=""))

    def mark(entry: dict, kind: str, target_id: str) -> None:
        if (d := latest.get(kind, target_id)) is not None:
            entry["reviewed"] = d.decision
        entry["verification"] = _verification(checked.of(kind, target_id))

    for element, entry in (item.get("elements") or {}).items():
        mark(entry, "element", element)
    for criterion in item.get("criteria", []):
        mark(criterion, "criterion", criterion["id"])
    for check in (item.get("statutory") or {}).get("checks", []):
        mark(check, "gate", check["id"])
    for entry in item.get("letter", []):
        mark(entry, "letter", entry["id"])
    item["verification"] = {"level": checked.level, "reviewers": list(checked.reviewers),
                            "decisions": checked.decisions, "last_decided_at": checked.last_decided_at or None,
                            "judgements": {t: _verification(f) for (k, t), f in sorted(checked.findings.items())
                                           if k == "document" and f.decisions}}


def _verification(found) -> dict:
    """A finding's verification as exported: level, reviewers, decision count, time of the last decision."""
    return {"level": found.level, "reviewers": list(found.reviewers), "decisions": found.decisions,
            "last_decided_at": found.last_decided_at or None}


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")



