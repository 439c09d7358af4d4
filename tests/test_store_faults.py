"""The store when the world gets in the way, made for real: a PostgreSQL server that drops the
connection mid-batch (or stays away), a database its user may only read, a full disk, and files
given as --db that are not databases. Each is one coded line and exit code 2 at the command line,
never a traceback, and what was stored before is kept."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import threading
from contextlib import contextmanager, suppress
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from click.testing import CliRunner

from conftest import SAMPLES, fill, mounted_tmpfs, schema_one_database
from disclosure_check.cli import main
from disclosure_check.errors import StoreError
from disclosure_check.store.store import Store
from disclosure_check.types import Failure

FAILED = Failure(doc_id="doc", path="/in/doc.pdf", code="DC103", reason="damaged", rubric_version="r",
                 model_version="m")


def failure(n: int) -> Failure:
    return replace(FAILED, doc_id=f"doc-{n}", path=f"/in/doc-{n}.pdf")


def terminate(admin, store: Store) -> None:
    """End the store's server process from a second connection, as a server restart would, and wait
    until it is gone (PostgreSQL 14+), so the next statement finds it so."""
    pid = store.conn.raw.info.backend_pid
    assert admin.execute("SELECT pg_terminate_backend(%s, 10000)", (pid,)).fetchone()[0]


@pytest.fixture
def admin(pg_url):
    import psycopg

    with psycopg.connect(pg_url, autocommit=True, connect_timeout=10) as conn:
        yield conn


# -- 1. a PostgreSQL server that drops the connection --------------------------------------------
@pytest.mark.slow
def test_postgres_a_batch_goes_on_when_the_server_drops_its_connection(pg_url, admin, scorer, tmp_path):
    """A real batch (a real statement and three broken files) whose connection is terminated after
    every document: each outcome is stored once, and running it again finds all of them stored."""
    from conftest import score_into
    from disclosure_check.pipeline import ScorerSpec
    from disclosure_check.run import RunOptions, items_from, score_many

    folder = tmp_path / "inbox"
    folder.mkdir()
    shutil.copy(SAMPLES / "lv_2018.pdf", folder / "lv_2018.pdf")
    for n in range(3):
        (folder / f"broken-{n}.pdf").write_text(f"not a PDF, number {n}\n")
    with Store(pg_url) as store:
        items, problems = items_from([folder])
        dropped = []

        def drop(outcome) -> None:
            terminate(admin, store)
            dropped.append(outcome.source)

        summary = score_many(items, problems, ScorerSpec(), store=store, scorer=scorer, run=RunOptions(),
                             on_outcome=drop)
        assert (summary.scored, summary.failed) == (1, 3) and len(dropped) == 4
        assert store.table_count("results") == store.table_count("documents") == 4
        assert store.table_count("element_results") == 11  # the real result's rows, once
    with Store(pg_url) as store:
        again = score_into(store, [folder], scorer)
        assert (again.scored, again.failed, again.skipped) == (0, 0, 4)
        assert store.table_count("results") == 4


def test_postgres_a_write_whose_connection_drops_mid_transaction_is_stored_once(pg_url, admin, monkeypatch):
    with Store(pg_url) as store:
        store.save(failure(0))
        real_write = store.write
        calls = []

        def write_after_a_drop(conn, *args, **kwargs):
            calls.append(1)
            if len(calls) == 1:
                terminate(admin, store)  # the transaction is open: the next statement finds it gone
            return real_write(conn, *args, **kwargs)

        monkeypatch.setattr(store, "write", write_after_a_drop)
        store.save(failure(1))
        assert len(calls) == 2  # tried again on a new connection
        assert store.table_count("results") == store.table_count("documents") == 2


def test_postgres_a_commit_whose_answer_is_lost(pg_url, admin, monkeypatch):
    """A save is an upsert, so it is simply done again; decisions are appended, so a commit nobody
    can say landed is a StoreError telling the reviewer to look first."""
    with Store(pg_url) as store:
        store.save(failure(0))
        real_commit = store.conn.commit
        drops = []

        def commit_after_a_drop():
            if not drops:
                drops.append(1)
                terminate(admin, store)
            real_commit()

        monkeypatch.setattr(store.conn, "commit", commit_after_a_drop)
        store.save(failure(1))
        assert store.table_count("results") == 2
        drops.clear()
        with pytest.raises(StoreError, match="may or may not have been recorded") as caught:
            store.add_review("doc-0", "element", "approval", "confirm", reviewer="Ada")
        assert caught.value.code == "DC500" and "review export" in caught.value.fix
        assert store.table_count("reviews") == 0  # the server never got the COMMIT: nothing was recorded
        store.add_review("doc-0", "element", "approval", "confirm", reviewer="Ada")  # connected again
        assert store.table_count("reviews") == 1


class Proxy:
    """A TCP relay on loopback in front of the test server: ``cut()`` drops every connection and
    refuses new ones, as a server that went down and stays down."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.sockets: list[socket.socket] = []
        self.lock = threading.Lock()
        self.down = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if self.down:
                client.close()
                return
            server = socket.create_connection(self.upstream, timeout=10)
            server.settimeout(None)
            with self.lock:
                self.sockets += [client, server]
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        for end in (source, sink):
            with suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)

    def cut(self) -> None:
        self.down = True
        with suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)  # wakes the accepting thread (close alone does not)
        self.listener.close()
        with self.lock:
            for end in self.sockets:
                with suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)
                end.close()


@contextmanager
def proxied(url: str):
    """``url`` through a Proxy, with a password in it (trust authentication ignores it) that no
    message may show."""
    parts = urlsplit(url)
    proxy = Proxy((parts.hostname, parts.port or 5432))
    try:
        yield proxy, urlunsplit(parts._replace(netloc=f"{parts.username}:s3cret@127.0.0.1:{proxy.port}"))
    finally:
        proxy.cut()


def test_postgres_a_server_that_stays_down_is_one_coded_line_and_keeps_what_was_stored(pg_url, tmp_path,
                                                                                      monkeypatch):
    """`score` into a server that goes away after the first document and does not come back within
    the write patience: exit code 2, one DC500 line naming the database without its password."""
    from disclosure_check.run import batch
    from disclosure_check.store import store as store_module

    monkeypatch.setattr(store_module, "WRITE_PATIENCE_SECONDS", 2.0)
    for n in range(3):
        (tmp_path / f"broken-{n}.pdf").write_text(f"not a PDF, number {n}\n")
    with proxied(pg_url) as (proxy, url):
        real_save = batch.StoreSink.save

        def save_then_go_down(self, *args, **kwargs):
            real_save(self, *args, **kwargs)
            proxy.cut()

        monkeypatch.setattr(batch.StoreSink, "save", save_then_go_down)
        result = CliRunner().invoke(main, ["score", str(tmp_path), "--db", url, "--quiet"])
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)  # no traceback
    [line] = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert "[DC500]" in line and "could not connect again within 2 s" in line and "Fix:" in line
    assert "s3cret" not in result.output and "postgres:***@127.0.0.1" in line
    with Store(pg_url) as store:
        assert store.table_count("results") == 1  # the document stored before is kept


# -- 2. commands that only read open read-only --------------------------------------------------
def scored_db(path: Path) -> Path:
    with Store(path) as store:
        store.save(failure(0))
        store.add_review("doc-0", "element", "approval", "confirm", reviewer="Ada")
    return path


READ_COMMANDS = [["export", "--out", "{out}/x.json"], ["review", "export", "--out", "{out}/x.csv"],
                 ["review", "examples", "--out", "{out}/y.csv"], ["staff", "list"], ["shares", "list"]]


def run_read_commands(db: Path | str, out: Path) -> list:
    return [CliRunner().invoke(main, [a.format(out=out) for a in command] + ["--db", str(db)])
            for command in READ_COMMANDS]


def test_commands_that_only_read_write_nothing_to_the_database(tmp_path):
    """The file's bytes and time stay as they were; a read-only open refuses a write."""
    db = scored_db(tmp_path / "data" / "results.db")
    before = (db.read_bytes(), db.stat().st_mtime_ns)
    out = tmp_path / "out"
    for result in run_read_commands(db, out):
        assert result.exit_code == 0, result.output
    assert (db.read_bytes(), db.stat().st_mtime_ns) == before
    assert '"doc_id": "doc-0"' in (out / "x.json").read_text()
    with Store(db, read_only=True) as store, pytest.raises(StoreError, match="cannot be written"):
        store.save(failure(1))
    assert (db.read_bytes(), db.stat().st_mtime_ns) == before


def test_commands_that_only_read_work_on_a_database_the_user_may_only_read(tmp_path):
    """Really read-only: a file and folder this user may not write (not root), or a read-only
    filesystem (root, who may write anything else). The folder holds no -wal or -shm afterwards."""
    folder = tmp_path / "data"
    db = scored_db(folder / "results.db")
    out = tmp_path / "out"
    with read_only_folder(folder):
        for result in run_read_commands(db, out):
            assert result.exit_code == 0, result.output
        assert sorted(p.name for p in folder.iterdir()) == ["results.db"]
        result = CliRunner().invoke(main, ["staff", "add", "ada", "--password-stdin", "--db", str(db)],
                                    input="a long enough password\n")
        assert result.exit_code == 2 and isinstance(result.exception, SystemExit), result.output
        assert "[DC500]" in result.output and "writable" in result.output
    assert '"doc_id": "doc-0"' in (out / "x.json").read_text()


@contextmanager
def read_only_folder(folder: Path):
    """``folder`` made read-only for real: permissions for a user, a read-only tmpfs for root."""
    if os.geteuid() != 0:
        for path in folder.iterdir():
            path.chmod(0o444)
        folder.chmod(0o555)
        try:
            yield
        finally:
            folder.chmod(0o755)
        return
    with mounted_tmpfs(folder.parent / "ro", "2m") as mount:
        for path in folder.iterdir():
            shutil.copy2(path, mount)
        shutil.rmtree(folder)
        subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True)
        folder.symlink_to(mount)
        try:
            yield
        finally:
            folder.unlink()


def test_a_read_only_open_of_an_older_schema_says_to_open_it_once_with_write_access(tmp_path):
    path = tmp_path / "old.db"
    schema_one_database(path)
    before = path.read_bytes()
    result = CliRunner().invoke(main, ["export", "--db", str(path), "--out", str(tmp_path / "x.json")])
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit)
    assert "[DC500]" in result.output and "schema is version 1" in result.output
    assert "upgrade it once with write access" in result.output
    assert path.read_bytes() == before
    with Store(path) as store:  # opened with write access: upgraded, then read-only opens work
        store.save(failure(0))
    assert CliRunner().invoke(main, ["export", "--db", str(path), "--out", str(tmp_path / "x.json")]).exit_code == 0


def test_postgres_a_read_only_open_writes_nothing(pg_url):
    with Store(pg_url) as store:
        store.save(failure(0))
    with Store(pg_url, read_only=True) as store:
        assert [s.doc_id for s in store.stored()] == ["doc-0"]
        with pytest.raises(StoreError, match="read-only here"):
            store.save(failure(1))
    result = CliRunner().invoke(main, ["staff", "list", "--db", pg_url])
    assert result.exit_code == 0 and "No staff accounts" in result.output


# -- 3. a full disk ----------------------------------------------------------------------------------
def test_a_full_database_is_a_store_error_and_keeps_what_was_stored(tmp_path, lv_result):
    """SQLite's own limit on the file's size (``max_page_count``): the write that does not fit
    fails with SQLITE_FULL, as on a full disk."""
    path = tmp_path / "full.db"
    with Store(path) as store:
        store.save(failure(0))
        pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
        store.conn.execute(f"PRAGMA max_page_count = {pages + 2}")
        with pytest.raises(StoreError, match="disk holding the database is full") as caught:
            store.save(lv_result)
        assert caught.value.code == "DC500" and str(path) in caught.value.message
        assert "free space" in caught.value.fix
    with Store(path) as store:
        assert [s.doc_id for s in store.stored()] == ["doc-0"]


@pytest.fixture(scope="module")
def lv_result(scored_sample):
    return scored_sample("lv_2018")


def test_a_full_disk_under_a_batch_is_one_coded_line_and_keeps_what_was_stored(tmp_path, monkeypatch):
    """`score` into a database on a small tmpfs that fills up after the first document."""
    from disclosure_check.run import batch

    with mounted_tmpfs(tmp_path / "disk", "4m") as disk:
        db = disk / "results.db"
        for n in range(3):
            (tmp_path / f"broken-{n}.pdf").write_text(f"not a PDF, number {n}\n" * 2000)
        real_save = batch.StoreSink.save

        def save_then_fill(self, *args, **kwargs):
            real_save(self, *args, **kwargs)
            if not (disk / "filler").exists():
                fill(disk / "filler")

        monkeypatch.setattr(batch.StoreSink, "save", save_then_fill)
        result = CliRunner().invoke(main, ["score", str(tmp_path), "--db", str(db), "--quiet"])
        assert result.exit_code == 2 and isinstance(result.exception, SystemExit), result.output
        assert "[DC500]" in result.output and "full" in result.output and str(db) in result.output
        (disk / "filler").unlink()
        with Store(db, read_only=True) as store:
            assert store.table_count("results") == 1


# -- 4. a --db that is not a database -----------------------------------------------------------------
def not_databases(folder: Path) -> dict[str, Path]:
    """Files given as --db that are not a results database, each made here."""
    good = folder / "good.db"
    with Store(good) as store:
        for n in range(200):
            store.save(replace(failure(n), reason="damaged " * 40))
    data = good.read_bytes()
    files = {"random bytes": os.urandom(4096), "a text file": b"doc_id,path\nabc,/in/a.pdf\n",
             "a truncated database": data[: len(data) // 2], "a database cut after its header": data[:100],
             "an empty file": b""}
    made = {}
    for n, (name, content) in enumerate(files.items()):
        made[name] = folder / f"bad-{n}.db"
        made[name].write_bytes(content)
    return made


DB_COMMANDS = [*READ_COMMANDS, ["review", "import", "{out}/decisions.csv"], ["shares", "accept", "1"],
               ["staff", "remove", "ada"]]


@pytest.mark.parametrize("command", DB_COMMANDS, ids=lambda c: " ".join(c[:2]))
def test_a_file_that_is_not_a_database_is_one_coded_line_naming_it(tmp_path, command):
    (tmp_path / "decisions.csv").write_text("doc_id,target,decision,level,reviewer,comment\n"
                                            "doc-0,element:approval,confirm,,Ada,\n")
    for name, path in not_databases(tmp_path).items():
        before = path.read_bytes()
        result = CliRunner().invoke(main, [a.format(out=tmp_path) for a in command] + ["--db", str(path)])
        assert result.exit_code == 2 and isinstance(result.exception, SystemExit), (name, result.output)
        [line] = result.output.strip().splitlines()[-1:]
        assert line.startswith("Error: [DC500]") and str(path) in line and "Fix:" in line, (name, line)
        if name != "an empty file" or command[0] in ("export", "review", "staff", "shares"):
            assert path.read_bytes() == before, name
