from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "corpus" / "samples"
PDF_SAMPLES = Path(__file__).parent / "fixtures" / "pdf_samples"
AIMS = ROOT / "corpus" / "aims"
# The staff account the dashboard tests sign in with: a name and password well outside ASCII.
STAFF, PASSWORD = "Dana Ó Súilleabháin", "Grüße aus Łódź — 安全な合言葉"

# The real-world PDFs that cannot be scored, and why (see fixtures/pdf_samples/README.md).
BAD_PDFS = {
    "005-libreoffice-writer-password_libreoffice-writer-password.pdf": "DC102",  # encrypted
    "007-imagemagick-images_imagemagick-images.pdf": "DC104",  # images only
}


def sample_source(name: str) -> dict:
    return json.loads((SAMPLES / f"{name}.source.json").read_text())


@pytest.fixture(scope="session", autouse=True)
def _own_cache_folder(tmp_path_factory):
    """The tests' caches (py3langid's inflated model, 68 MB) go to a folder of their own, not the user's."""
    before = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("xdg_cache", numbered=False))
    yield
    if before is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = before


@pytest.fixture(scope="session")
def rubric():
    from disclosure_check.rubric import load_rubric

    return load_rubric()


MODELS = ROOT / "models" / "default"  # the shipped model set


@pytest.fixture(scope="session")
def models():
    from disclosure_check.classify.modelset import load_model_set

    return load_model_set(MODELS)


@pytest.fixture(scope="session")
def bundle(models):
    """The shipped sentence model."""
    return models.sentence


@pytest.fixture(scope="session")
def scorer(rubric, models):
    from disclosure_check.pipeline import Scorer

    return Scorer(rubric, models)


@pytest.fixture(scope="session")
def scored_sample(scorer):
    """A bundled sample's result by name (``scored_sample("lv_2018")``), scored once a session by the
    shipped scorer: results are frozen, so tests share one instead of scoring the statement again."""
    return functools.cache(lambda name: scorer.score_file(SAMPLES / f"{name}.pdf"))


def score_into(store, paths, scorer, *, jobs: int = 1, limits=None, **options):
    """Score the PDFs under ``paths`` into ``store`` with a built ``scorer`` (``run.score_many``)."""
    from disclosure_check.pipeline import ScorerSpec
    from disclosure_check.run import Limits, RunOptions, items_from, score_many

    items, problems = items_from(paths)
    run = RunOptions(jobs=jobs, limits=limits or Limits(), **options)
    return score_many(items, problems, ScorerSpec(), store=store, scorer=scorer, run=run)


@pytest.fixture(scope="session")
def documents():
    """Every rendered sample, extracted once."""
    from disclosure_check.read.extract import pdf_to_document

    return {pdf.stem: pdf_to_document(pdf) for pdf in sorted(SAMPLES.glob("*.pdf"))}


@pytest.fixture
def mixed_folder(tmp_path: Path) -> Path:
    """Three real statements among the real-world bad PDFs and some broken files."""
    folder = tmp_path / "inbox"
    (folder / "nested").mkdir(parents=True)
    for name in ("lloyds_banking_group_2018", "lv_2018", "bluebay_asset_management_2019"):
        shutil.copy(SAMPLES / f"{name}.pdf", folder / f"{name}.pdf")
    for pdf in PDF_SAMPLES.glob("*.pdf"):
        shutil.copy(pdf, folder / "nested" / pdf.name)
    (folder / "empty.pdf").write_bytes(b"")
    data = (SAMPLES / "travelers_europe_2018.pdf").read_bytes()
    (folder / "truncated.pdf").write_bytes(data[: len(data) // 3])
    (folder / "not_really.pdf").write_text("This is a text file with a .pdf name.\n")
    return folder


# -- the store's back-ends ------------------------------------------------------------------
PG_ENV = "DISCLOSURE_CHECK_TEST_PG"  # a postgresql:// URL of a server the tests may create schemas on
BACKENDS = ["sqlite", "postgresql"]


def postgres_server() -> str:
    """The test server's URL, or skip (not configured); set but unreachable is a failure, so CI
    cannot go green without PostgreSQL."""
    server = os.environ.get(PG_ENV)
    if not server:
        pytest.skip(f"no PostgreSQL server: set {PG_ENV}=postgresql://... or run `make test`, which starts one")
    return server


def with_search_path(server: str, schema: str) -> str:
    """``server`` with every connection's search_path set to ``schema`` (libpq's ``options``)."""
    return f"{server}{'&' if '?' in server else '?'}options=-csearch_path%3D{schema}"


@pytest.fixture
def pg_url():
    """A fresh, empty PostgreSQL schema on the test server as a store URL; dropped afterwards."""
    import psycopg

    server = postgres_server()
    try:
        admin = psycopg.connect(server, autocommit=True, connect_timeout=10)
    except psycopg.Error as exc:
        pytest.fail(f"{PG_ENV} is set but the server cannot be reached: {exc}")
    schema = f"test_{uuid.uuid4().hex[:16]}"
    admin.execute(f"CREATE SCHEMA {schema}")
    try:
        yield with_search_path(server, schema)
    finally:
        admin.execute(f"DROP SCHEMA {schema} CASCADE")
        admin.close()


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path):
    """A fresh database URL on each back-end: a SQLite file, or an empty PostgreSQL schema."""
    if request.param == "sqlite":
        return str(tmp_path / "store.db")
    return request.getfixturevalue("pg_url")


# -- disks that fill up or cannot be written --------------------------------------------------
@contextmanager
def mounted_tmpfs(mount: Path, size: str):
    """A small tmpfs at ``mount`` (root with mount rights only: skips otherwise)."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("needs root to mount a tmpfs")
    mount.mkdir(parents=True)
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount)],
                          capture_output=True, text=True)
    if made.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {made.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(path: Path) -> None:
    """Write ``path`` until the disk is full."""
    with open(path, "wb", buffering=0) as handle:  # unbuffered: nothing left to flush on closing
        try:
            while True:
                handle.write(b"\0" * 65536)
        except OSError:
            pass


@contextmanager
def loopback_server(handler):
    """An HTTP server on 127.0.0.1 answering with ``handler`` in a thread; yields its base URL."""
    import http.server
    import threading

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def schema_one_database(path: Path) -> None:
    """A SQLite database at schema 1, as the first release wrote it."""
    import sqlite3

    from disclosure_check.store.database import sqlite_statements
    from disclosure_check.store.schema import MIGRATIONS

    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT)")
    for statement in sqlite_statements(MIGRATIONS[0][1]):
        conn.execute(statement)
    conn.execute("INSERT INTO schema_migrations VALUES (1, 'first', 'then')")
    conn.commit()
    conn.close()
