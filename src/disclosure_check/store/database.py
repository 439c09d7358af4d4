"""The two database back-ends behind one small connection interface: SQLite (the embedded default)
and PostgreSQL (a shared server for a team), each through its own DB-API driver.

``connect(url)`` returns a ``Connection`` whose ``execute`` takes SQLite's ``?`` placeholders on
both back-ends, returns rows that answer both ``row[0]`` and ``row["col"]`` (like ``sqlite3.Row``),
and whose ``dialect`` says what differs: how to check that a table exists, how to read a JSON
field, which errors mean "another writer holds a lock: try again", and how to serialise writers.

What the disk, the file or the server says is wrong (a full disk, a read-only file, a damaged file,
a file that is not a database, a lost connection) becomes one ``StoreError`` naming the database
and what to do; errors in the SQL itself (bugs) are left as the driver raised them. A PostgreSQL
connection that is lost (the server restarted, the backend was terminated) is opened again: a read
outside a transaction runs again on the new connection; a transaction is run again by the store
(``Store.retry``), which knows whether that is safe.

Why a thin layer over sqlite3 and psycopg rather than SQLAlchemy: the store is hand-written SQL
(upserts, triggers, full-text search, one set of migrations per back-end) that the two databases
mostly agree on. SQLAlchemy Core would translate the placeholders and rows too, but everything
that differs here (FTS5 against tsvector, triggers, advisory locks, the table rebuilds of old
migrations) would still be written per dialect, while it adds a large dependency, its own
connection pooling and transaction semantics between the store and ``BEGIN IMMEDIATE`` / advisory
locks, which the concurrency guarantees depend on. The differences fit in this one module.
"""

from __future__ import annotations

import contextlib
import functools
import sqlite3
import time
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

    def __init__(self, raw, dialect: Dialect, *, url: str = "", busy_timeout: float = 30.0,
                 read_only: bool = False, patience: float = 0.0) -> None:
        self.raw = raw
        self.dialect = dialect
        self.read_only = read_only
        self.patience = patience  # how long a lost PostgreSQL connection is tried again
        self.commit_unknown = False  # the connection was lost while a COMMIT was on its way
        self._url = url
        self._busy_timeout = busy_timeout
        self._explicit = False  # inside begin() ... commit()/rollback()

    @property
    def shown(self) -> str:
        """The database as messages name it (no password)."""
        return redact(self._url)

    def execute(self, sql: str, params: Sequence | None = ()):
        params = tuple(params or ())
        try:
            return self._execute(sql, params)
        except Exception as exc:
            if not (self.lost and not self._explicit and _is_read(sql)):
                self._raise_problem(exc)
                raise
        # A read on its own lost its connection: nothing was half-done; ask again on a new one.
        self.reconnect()
        try:
            return self._execute(sql, params)
        except Exception as exc:
            self._raise_problem(exc)
            raise

    def _execute(self, sql: str, params: tuple):
        if self.dialect.postgres:
            return self.raw.execute(to_format_style(sql), params)
        return self.raw.execute(sql, params)

    def executemany(self, sql: str, rows: Iterable[Sequence]) -> None:
        try:
            if self.dialect.postgres:
                with self.raw.cursor() as cursor:
                    cursor.executemany(to_format_style(sql), [tuple(r) for r in rows])
            else:
                self.raw.executemany(sql, rows)
        except Exception as exc:
            self._raise_problem(exc)
            raise

    def script(self, sql: str) -> None:
        """Several statements, no parameters (a migration step), in the open transaction."""
        if self.dialect.postgres:
            self._raw_execute(sql)  # no parameters: sent as one simple query, functions' $$ bodies intact
        else:
            for statement in sqlite_statements(sql):
                self._raw_execute(statement)

    def _raw_execute(self, sql: str, params: tuple | None = None):
        try:
            return self.raw.execute(sql, params) if params is not None else self.raw.execute(sql)
        except Exception as exc:
            self._raise_problem(exc)
            raise

    def begin(self, *, immediate: bool = True) -> None:
        """Start a transaction. SQLite: ``BEGIN IMMEDIATE`` takes the write lock before the first read,
        so a writer never fails to upgrade a read lock. PostgreSQL: READ COMMITTED; writers that touch
        the same document serialise on an advisory lock (``lock_documents``)."""
        self._raw_execute("BEGIN IMMEDIATE" if immediate and not self.dialect.postgres else "BEGIN")
        self._explicit = True

    def commit(self) -> None:
        """End the transaction; nothing to do outside one (as ``sqlite3.Connection.commit``)."""
        if self.in_transaction:
            try:
                self._raw_execute("COMMIT")
            except Exception:
                self.commit_unknown = self.lost  # sent, perhaps applied, never answered
                raise
        self._explicit = False

    def rollback(self) -> None:
        self._explicit = False
        if self.in_transaction and not self.lost:  # a lost connection's transaction is gone with it
            self._raw_execute("ROLLBACK")

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
            self._raw_execute("SELECT pg_advisory_xact_lock(%s, %s)", (DOCUMENT_LOCK, _key(doc_id)))

    def lock_migrations(self) -> None:
        """Serialise schema migrations of this database (PostgreSQL; per schema) until the transaction ends."""
        if self.dialect.postgres:
            self._raw_execute("SELECT pg_advisory_xact_lock(%s, hashtext(COALESCE(current_schema(), '')))",
                              (MIGRATION_LOCK,))

    def table_exists(self, name: str) -> bool:
        return self.execute(self.dialect.table_exists_sql(), (name,)).fetchone() is not None

    def close(self) -> None:
        self.raw.close()

    # -- a lost connection ------------------------------------------------------------------
    @property
    def lost(self) -> bool:
        """True when the PostgreSQL server dropped this connection (a restart, a terminated backend,
        a network cut): what was not committed is gone, and ``reconnect`` opens a new one."""
        return self.dialect.postgres and bool(self.raw.broken)

    def reconnect(self, deadline: float | None = None) -> None:
        """Open the connection again (PostgreSQL), trying until ``deadline`` (``time.monotonic()``;
        default: ``patience`` from now) while the server cannot be reached; then a StoreError."""
        deadline = time.monotonic() + self.patience if deadline is None else deadline
        delay = 0.1
        while True:
            try:
                raw = _open_postgres(self._url, self._busy_timeout, read_only=self.read_only)
            except StoreError as exc:
                if time.monotonic() + delay > deadline:
                    raise StoreError(f"lost the connection to the database server and could not connect again "
                                     f"within {self.patience:.0f} s ({exc.what})", where=self.shown,
                                     fix="check that the PostgreSQL server is running and reachable, then run the "
                                         "command again: what was stored before is kept, and a batch run again "
                                         "skips the documents already stored") from None
                time.sleep(delay)
                delay = min(delay * 2, 2.0)
                continue
            with contextlib.suppress(Exception):  # the old connection is broken: closing it is only tidying
                self.raw.close()
            self.raw = raw
            self.commit_unknown = False
            self._explicit = False
            return

    # -- errors ---------------------------------------------------------------------------
    @property
    def integrity_errors(self) -> tuple[type[Exception], ...]:
        """What a violated constraint or trigger raises, on either back-end."""
        return integrity_errors()

    def is_contention(self, exc: BaseException) -> bool:
        """True when ``exc`` means another writer got in the way and the whole transaction can be tried
        again: SQLite busy/locked; PostgreSQL deadlock, serialization failure or lock timeout."""
        if isinstance(exc, sqlite3.OperationalError):
            message = str(exc).lower()
            return "locked" in message or "busy" in message
        sqlstate = getattr(exc, "sqlstate", None)
        return sqlstate in ("40001", "40P01", "55P03")

    def problem(self, exc: BaseException) -> StoreError | None:
        """``exc`` as one StoreError naming this database and what to do, when it is about the
        disk, the file, the server or the connection rather than the SQL; else None (a bug: raised
        as it is)."""
        if self.lost:
            reason = _reason(exc)
            return StoreError(f"lost the connection to the database server ({reason})", where=self.shown,
                              fix="check that the PostgreSQL server is running and reachable, then run the command "
                                  "again: what was committed before is kept")
        found = _sqlite_problem(exc) if isinstance(exc, sqlite3.Error) else _postgres_problem(exc)
        if found is None:
            return None
        what, fix = found
        return StoreError(f"{what} ({_reason(exc)})", where=self.shown, fix=fix)

    def _raise_problem(self, exc: BaseException) -> None:
        """Raise ``exc`` as the StoreError it means (``problem``); return when it is none (a bug)."""
        found = self.problem(exc)
        if found is not None:
            raise found from None


KEPT = "what was stored before is kept, and a batch run again skips the documents already stored"

# SQLite's result codes (``sqlite3.Error.sqlite_errorname``) that say the file or disk is the
# trouble, not the SQL: what it means and how to fix it.
SQLITE_PROBLEMS = {
    "SQLITE_FULL": ("the disk holding the database is full",
                    f"free space on that disk (or give --db a place with room) and run the command again: {KEPT}"),
    "SQLITE_READONLY": ("the database cannot be written: the file, its folder or its disk is read-only",
                        "make the file and its folder writable by this user, or give --db a writable place; "
                        "commands that only read (export, review export, staff list, shares list) open it "
                        "read-only"),
    "SQLITE_IOERR": ("the disk reported an input/output error while using the database",
                     f"check the disk (full, removed, a network share that went away) and run the command again: "
                     f"{KEPT}"),
    "SQLITE_CANTOPEN": ("the database file cannot be opened (a folder that cannot be written, a path that is not "
                        "a file, or a file this user may not read)",
                        "check --db, and that the file and its folder are writable by this user (SQLite keeps -wal "
                        "and -shm files beside the database); commands that only read open it read-only"),
    "SQLITE_PERM": ("permission denied while using the database",
                    "check the permissions of the file and its folder"),
    "SQLITE_NOTADB": ("this file is not a SQLite database",
                      "check --db or DISCLOSURE_CHECK_DB: give the database `disclosure-check score` wrote"),
    "SQLITE_CORRUPT": ("the database file is damaged (truncated or overwritten)",
                       "restore it from a backup, or score into a new database; `sqlite3 FILE .recover` may "
                       "rescue its rows"),
}


def _sqlite_problem(exc: sqlite3.Error) -> tuple[str, str] | None:
    name = getattr(exc, "sqlite_errorname", "") or ""
    for code, found in SQLITE_PROBLEMS.items():
        if name == code or name.startswith(code + "_"):
            return found
    return None


def _postgres_problem(exc: BaseException) -> tuple[str, str] | None:
    sqlstate = getattr(exc, "sqlstate", None) or ""
    if sqlstate == "53100":
        return ("the database server's disk is full",
                f"free space on the server's disk and run the command again: {KEPT}")
    if sqlstate.startswith("53"):
        return ("the database server ran out of resources (memory or connections)",
                f"ask its administrator, or run the command again later: {KEPT}")
    if sqlstate.startswith("58"):
        return ("the database server reported a system error (its disk or files)",
                f"ask its administrator to check the server's log, then run the command again: {KEPT}")
    if sqlstate == "25006":
        return ("the database is read-only here (a read-only connection or a standby server)",
                "give --db the primary server, or a user and database that may be written")
    if sqlstate == "42501":
        return ("this database user may not do this (insufficient privilege)",
                "grant the user rights on the database's tables, or give --db another user")
    if sqlstate in ("XX001", "XX002"):
        return ("the database server found damaged data", "ask its administrator to restore or repair the database")
    return None


def _reason(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


def _is_read(sql: str) -> bool:
    return sql.lstrip()[:6].upper() == "SELECT"


def _key(text: str) -> int:
    """A stable signed 32-bit key for an advisory lock (collisions only serialise two writers)."""
    return zlib.crc32(text.encode()) - 2**31


@functools.cache
def integrity_errors() -> tuple[type[Exception], ...]:
    """What a violated constraint or trigger raises, on either back-end (psycopg is imported on
    first use, not by every command that never opens PostgreSQL: a tenth of a second)."""
    try:
        import psycopg
    except ImportError:  # pragma: no cover - psycopg is a core dependency
        return (sqlite3.IntegrityError,)
    return (sqlite3.IntegrityError, psycopg.IntegrityError)


def database_errors() -> tuple[type[Exception], ...]:
    """Every driver's base error class (what a failed connection or statement raises)."""
    try:
        import psycopg
    except ImportError:  # pragma: no cover
        return (sqlite3.Error,)
    return (sqlite3.Error, psycopg.Error)


def connect(url: str | Path, *, create: bool = True, busy_timeout: float = 30.0, read_only: bool = False,
            patience: float = 0.0) -> Connection:
    """Open the database at ``url`` (see ``parse_db_url``). ``create=False``: a SQLite file that does
    not exist is an error, not a new empty database (a PostgreSQL database must always exist).
    ``read_only``: nothing can be written through the connection, and nothing is written to open
    it (SQLite: ``mode=ro``, no new file or folder; PostgreSQL: read-only transactions).
    ``patience``: how long a lost PostgreSQL connection is tried again before a StoreError."""
    target = parse_db_url(url)
    if is_postgres(target):
        raw = _open_postgres(target, busy_timeout, read_only=read_only)
        return Connection(raw, POSTGRESQL, url=target, busy_timeout=busy_timeout, read_only=read_only,
                          patience=patience)
    if target != ":memory:" and (read_only or not create):
        if not Path(target).is_file():
            raise StoreError("no database at this path", where=str(url),
                             fix="check --db or DISCLOSURE_CHECK_DB; `disclosure-check score` creates the database")
        if Path(target).stat().st_size == 0:  # SQLite would take it for a new database and fill it
            raise StoreError("this file is empty, not a results database", where=str(url),
                             fix="check --db or DISCLOSURE_CHECK_DB; `disclosure-check score` creates the database")
    if read_only and target != ":memory:":
        raw = _open_sqlite_read_only(Path(target), str(url), busy_timeout)
    else:
        if target != ":memory:":
            try:
                Path(target).parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"cannot make the database's folder ({exc.strerror or exc})", where=str(url),
                                 fix="give --db a path in a folder this user may create and write") from None
        try:
            raw = sqlite3.connect(target, timeout=busy_timeout, isolation_level=None)
            raw.execute("PRAGMA foreign_keys = ON")
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open database ({exc})", where=str(url),
                             fix="check the path and that the directory is writable") from None
    raw.row_factory = sqlite3.Row
    return Connection(raw, SQLITE, url=str(url), busy_timeout=busy_timeout, read_only=read_only)


def _open_sqlite_read_only(path: Path, shown: str, busy_timeout: float) -> sqlite3.Connection:
    """The file through SQLite's ``mode=ro``: the database cannot be written through it. A database
    in WAL mode on a read-only folder or disk cannot be opened so (SQLite needs its ``-shm`` beside
    it); it is opened ``immutable`` then, which is safe there: nobody can be writing it."""
    uri = path.absolute().as_uri()
    for query in ("?mode=ro", "?mode=ro&immutable=1"):
        raw = sqlite3.connect(uri + query, uri=True, timeout=busy_timeout, isolation_level=None)
        try:
            raw.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
            raw.execute("PRAGMA foreign_keys = ON")
            return raw
        except sqlite3.Error as exc:
            raw.close()
            if (getattr(exc, "sqlite_errorname", "") or "").startswith("SQLITE_CANTOPEN") and "immutable" not in query:
                continue
            found = _sqlite_problem(exc)
            if found is None:
                raise
            what, fix = found
            raise StoreError(f"{what} ({_reason(exc)})", where=shown, fix=fix) from None
    raise AssertionError("unreachable")  # pragma: no cover


def _open_postgres(url: str, busy_timeout: float, *, read_only: bool = False):
    """A new psycopg connection in autocommit mode with the store's settings, or a StoreError."""
    import psycopg

    try:
        raw = psycopg.connect(url, autocommit=True, row_factory=_pg_row_factory, connect_timeout=10)
        # A statement waiting for another writer's lock gives up after the busy timeout, as SQLite's does;
        # the store then retries the whole transaction.
        raw.execute(f"SET lock_timeout = '{_lock_timeout_ms(busy_timeout)}ms'")
        if read_only:
            raw.execute("SET default_transaction_read_only = on")
    except psycopg.Error as exc:
        raise StoreError(f"cannot connect to PostgreSQL ({_reason(exc)})", where=redact(url),
                         fix="check the URL (postgresql://user@host:port/database), that the server is "
                             "running and that the database exists") from None
    return raw


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
