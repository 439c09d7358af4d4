"""The two database back-ends behind one small connection interface: SQLite (the embedded default)
and PostgreSQL (a shared server for a team), each through its own DB-API driver.

``connect(url)`` returns a ``Connection`` whose ``execute`` takes SQLite's ``?`` placeholders on
both back-ends, returns rows that answer both ``row[0]`` and ``row["col"]`` (like ``sqlite3.Row``),
and whose ``dialect`` says what differs: how to check that a table exists, how to read a JSON
field, which errors mean "another writer holds a lock: try again", and how to serialise writers.

Why a thin layer over sqlite3 and psycopg rather than SQLAlchemy: the store is hand-written SQL
(upserts, triggers, full-text search, one set of migrations per back-end) that the two databases
mostly agree on. SQLAlchemy Core would translate the placeholders and rows too, but everything
that differs here (FTS5 against tsvector, triggers, advisory locks, the table rebuilds of old
migrations) would still be written per dialect, while it adds a large dependency, its own
connection pooling and transaction semantics between the store and ``BEGIN IMMEDIATE`` / advisory
locks, which the concurrency guarantees depend on. The differences fit in this one module.
"""

from __future__ import annotations

import functools
import sqlite3
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from disclosure_check.errors import StoreError

POSTGRES_SCHEMES = ("postgresql://", "postgres://")
MIGRATION_LOCK = 71  # pg_advisory_xact_lock namespaces (the first key) of this tool
DOCUMENT_LOCK = 72


def is_postgres(url: str | Path) -> bool:
    return str(url).startswith(POSTGRES_SCHEMES)


def parse_db_url(url: str | Path) -> str:
    """``sqlite:///path.db``, a plain path, or ``:memory:`` / ``sqlite://`` for a private in-memory db
    (returned as a path); ``postgresql://`` or ``postgres://`` URLs are returned as they are."""
    text = str(url)
    if is_postgres(text):
        return text
    if text in (":memory:", "sqlite://", "sqlite:///:memory:"):
        return ":memory:"
    if text.startswith("sqlite:///"):
        return text[len("sqlite:///"):]
    if "://" in text:
        raise StoreError(f"unsupported database URL '{redact(text)}'",
                         fix="use sqlite:///path/to/file.db, a file path, or postgresql://user@host:port/database")
    return text


def redact(url: str | Path) -> str:
    """The URL without its password, for messages."""
    text = str(url)
    if "://" not in text:
        return text  # a file path
    try:
        parts = urlsplit(text)
        if parts.password is None:
            return text
    except ValueError:
        return text.split("://", 1)[0] + "://***"  # unparseable: keep only the scheme
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


class Row(tuple):
    """A result row readable by position and by column name, as ``sqlite3.Row`` is (``dict(row)`` works)."""

    __slots__ = ()
    _index: dict[str, int] = {}

    def __getitem__(self, key):
        if isinstance(key, str):
            return tuple.__getitem__(self, type(self)._index[key])
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(type(self)._index)


@functools.lru_cache(maxsize=256)
def _row_class(names: tuple[str, ...]) -> type[Row]:
    return type("Row", (Row,), {"__slots__": (), "_index": {n: i for i, n in enumerate(names)}})


def _pg_row_factory(cursor):
    names = tuple(c.name for c in cursor.description or ())
    cls = _row_class(names)
    return lambda values: cls(values)


@functools.lru_cache(maxsize=2048)
def to_format_style(sql: str) -> str:
    """SQLite's ``?`` placeholders as psycopg's ``%s``; a literal ``%`` (a LIKE pattern) doubled.
    ``?`` inside quoted literals or identifiers is left alone."""
    out, quote = [], None
    for char in sql:
        if quote:
            if char == quote:
                quote = None
            out.append("%%" if char == "%" else char)
        elif char in ("'", '"'):
            quote = char
            out.append(char)
        elif char == "?":
            out.append("%s")
        elif char == "%":
            out.append("%%")
        else:
            out.append(char)
    return "".join(out)


@dataclass(frozen=True)
class Dialect:
    """What differs between the back-ends, as data and small SQL builders."""

    name: str  # "sqlite" | "postgresql"

    @property
    def postgres(self) -> bool:
        return self.name == "postgresql"

    def table_exists_sql(self) -> str:
        """One row when the table (or virtual table) named by the single parameter exists."""
        if self.postgres:
            return "SELECT 1 FROM pg_catalog.pg_tables WHERE schemaname = current_schema() AND tablename = ?"
        return "SELECT 1 FROM sqlite_master WHERE name = ?"

    def json_text(self, column: str, *keys: str) -> str:
        """A JSON text column's field (nested ``keys``) as text."""
        if self.postgres:
            return f"({column}::jsonb #>> '{{{','.join(keys)}}}')"
        return f"json_extract({column}, '$.{'.'.join(keys)}')"


SQLITE = Dialect("sqlite")
POSTGRESQL = Dialect("postgresql")


class Connection:
    """One connection, in autocommit mode: transactions are explicit (``begin``/``commit``/``rollback``).
    ``execute`` and ``executemany`` take ``?`` placeholders on both back-ends."""

    def __init__(self, raw, dialect: Dialect) -> None:
        self.raw = raw
        self.dialect = dialect

    def execute(self, sql: str, params: Sequence | None = ()):
        if self.dialect.postgres:
            return self.raw.execute(to_format_style(sql), tuple(params or ()))
        return self.raw.execute(sql, tuple(params or ()))

    def executemany(self, sql: str, rows: Iterable[Sequence]) -> None:
        if self.dialect.postgres:
            with self.raw.cursor() as cursor:
                cursor.executemany(to_format_style(sql), [tuple(r) for r in rows])
        else:
            self.raw.executemany(sql, rows)

    def script(self, sql: str) -> None:
        """Several statements, no parameters (a migration step), in the open transaction."""
        if self.dialect.postgres:
            self.raw.execute(sql)  # no parameters: sent as one simple query, functions' $$ bodies intact
        else:
            for statement in sqlite_statements(sql):
                self.raw.execute(statement)

    def begin(self, *, immediate: bool = True) -> None:
        """Start a transaction. SQLite: ``BEGIN IMMEDIATE`` takes the write lock before the first read,
        so a writer never fails to upgrade a read lock. PostgreSQL: READ COMMITTED; writers that touch
        the same document serialise on an advisory lock (``lock_documents``)."""
        self.raw.execute("BEGIN IMMEDIATE" if immediate and not self.dialect.postgres else "BEGIN")

    def commit(self) -> None:
        """End the transaction; nothing to do outside one (as ``sqlite3.Connection.commit``)."""
        if self.in_transaction:
            self.raw.execute("COMMIT")

    def rollback(self) -> None:
        if self.in_transaction:
            self.raw.execute("ROLLBACK")

    @property
    def in_transaction(self) -> bool:
        if self.dialect.postgres:  # an explicit BEGIN in autocommit mode: the server's status says
            from psycopg import pq

            return self.raw.info.transaction_status != pq.TransactionStatus.IDLE
        return self.raw.in_transaction

    def lock_documents(self, doc_ids: Iterable[str]) -> None:
        """Serialise writers of the same documents until this transaction ends (PostgreSQL; SQLite's
        ``BEGIN IMMEDIATE`` already serialises every writer). Ids are locked in order: no deadlock
        between two writers taking several."""
        if not self.dialect.postgres:
            return
        for doc_id in sorted(set(doc_ids)):
            self.raw.execute("SELECT pg_advisory_xact_lock(%s, %s)", (DOCUMENT_LOCK, _key(doc_id)))

    def lock_migrations(self) -> None:
        """Serialise schema migrations of this database (PostgreSQL; per schema) until the transaction ends."""
        if self.dialect.postgres:
            self.raw.execute("SELECT pg_advisory_xact_lock(%s, hashtext(COALESCE(current_schema(), '')))",
                             (MIGRATION_LOCK,))

    def table_exists(self, name: str) -> bool:
        return self.execute(self.dialect.table_exists_sql(), (name,)).fetchone() is not None

    def close(self) -> None:
        self.raw.close()

    # -- errors -----------------------------------------------------------------------------
    @property
    def integrity_errors(self) -> tuple[type[Exception], ...]:
        """What a violated constraint or trigger raises, on either back-end."""
        return INTEGRITY_ERRORS

    def is_contention(self, exc: BaseException) -> bool:
        """True when ``exc`` means another writer got in the way and the whole transaction can be tried
        again: SQLite busy/locked; PostgreSQL deadlock, serialization failure or lock timeout."""
        if isinstance(exc, sqlite3.OperationalError):
            message = str(exc).lower()
            return "locked" in message or "busy" in message
        sqlstate = getattr(exc, "sqlstate", None)
        return sqlstate in ("40001", "40P01", "55P03")


def _key(text: str) -> int:
    """A stable signed 32-bit key for an advisory lock (collisions only serialise two writers)."""
    return zlib.crc32(text.encode()) - 2**31


def _integrity_errors() -> tuple[type[Exception], ...]:
    try:
        import psycopg
    except ImportError:  # pragma: no cover - psycopg is a core dependency
        return (sqlite3.IntegrityError,)
    return (sqlite3.IntegrityError, psycopg.IntegrityError)


INTEGRITY_ERRORS = _integrity_errors()


def database_errors() -> tuple[type[Exception], ...]:
    """Every driver's base error class (what a failed connection or statement raises)."""
    try:
        import psycopg
    except ImportError:  # pragma: no cover
        return (sqlite3.Error,)
    return (sqlite3.Error, psycopg.Error)


def connect(url: str | Path, *, create: bool = True, busy_timeout: float = 30.0) -> Connection:
    """Open the database at ``url`` (see ``parse_db_url``). ``create=False``: a SQLite file that does
    not exist is an error, not a new empty database (a PostgreSQL database must always exist)."""
    target = parse_db_url(url)
    if is_postgres(target):
        return _connect_postgres(target, busy_timeout)
    if target != ":memory:" and not create and not Path(target).is_file():
        raise StoreError("no database at this path", where=str(url),
                         fix="check --db or DISCLOSURE_CHECK_DB; `disclosure-check score` creates the database")
    if target != ":memory:":
        Path(target).parent.mkdir(parents=True, exist_ok=True)
    try:
        raw = sqlite3.connect(target, timeout=busy_timeout, isolation_level=None)
        raw.execute("PRAGMA foreign_keys = ON")
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open database ({exc})", where=str(url),
                         fix="check the path and that the directory is writable") from None
    raw.row_factory = sqlite3.Row
    return Connection(raw, SQLITE)


def _connect_postgres(url: str, busy_timeout: float) -> Connection:
    import psycopg

    try:
        raw = psycopg.connect(url, autocommit=True, row_factory=_pg_row_factory, connect_timeout=10)
    except psycopg.Error as exc:
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise StoreError(f"cannot connect to PostgreSQL ({reason})", where=redact(url),
                         fix="check the URL (postgresql://user@host:port/database), that the server is "
                             "running and that the database exists") from None
    # A statement waiting for another writer's lock gives up after the busy timeout, as SQLite's does;
    # the store then retries the whole transaction.
    raw.execute(f"SET lock_timeout = '{_lock_timeout_ms(busy_timeout)}ms'")
    return Connection(raw, POSTGRESQL)


def _lock_timeout_ms(busy_timeout: float) -> int:
    return int(busy_timeout * 1000)


def sqlite_statements(script: str) -> list[str]:
    """A SQLite migration script as single statements (a trigger's body stays whole), so it can run
    inside one transaction: ``executescript`` would commit first and drop the lock."""
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
