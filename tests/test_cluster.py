"""The Dask engine and manifests: a batch on a local Dask cluster of two workers stores exactly what
a local run stores (into the database and into Parquet parts), resumes without scoring anything
again, and stores a manifest's organisation and year; manifests are validated row by row."""

from __future__ import annotations

import functools
import http.server
import json
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from conftest import BAD_PDFS, ROOT, SAMPLES, loopback_server
from disclosure_check.cli import main
from disclosure_check.errors import ConfigError
from disclosure_check.run.manifest import Item, read_manifest
from disclosure_check.store.codec import encode
from disclosure_check.store.store import Store

pytestmark = pytest.mark.slow  # AppTest sessions, worker processes, clusters or training: `make test` runs them, `make check` does not

pytest.importorskip("distributed")

FIXTURES = ROOT / "tests" / "fixtures" / "pdf_samples"
GOOD = ("ao_world_2018", "barclays_2019", "lv_2018", "visa_2016")
BAD = "005-libreoffice-writer-password_libreoffice-writer-password.pdf"  # encrypted: DC102


@pytest.fixture(scope="module")
def batch(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("batch")
    for name in GOOD:
        shutil.copy(SAMPLES / f"{name}.pdf", folder)
    shutil.copy(FIXTURES / BAD, folder)
    return folder


def score(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["score", *args], catch_exceptions=False)
    return result.exit_code, result.output


def stored(db: Path) -> dict[str, dict]:
    """Every stored result as scored, in the codec's form (what Parquet parts hold too)."""
    with Store(db) as store:
        return {s.doc_id: encode(s.machine) for s in store.stored()}


@pytest.fixture(scope="module")
def local_run(batch, tmp_path_factory) -> dict[str, dict]:
    db = tmp_path_factory.mktemp("local") / "local.db"
    code, _ = score(str(batch), "--db", str(db), "--jobs", "2", "-q")
    assert code == 1  # the encrypted file failed
    return stored(db)


@pytest.mark.slow
def test_a_dask_run_stores_what_a_local_run_stores_and_resumes_without_scoring(batch, local_run, tmp_path):
    db = tmp_path / "dask.db"
    code, output = score(str(batch), "--db", str(db), "--engine", "dask", "--workers", "2")
    assert code == 1, output
    assert "Scored 4, failed 1, already stored 0" in output
    on_dask = stored(db)
    assert on_dask == local_run  # doc ids, statuses, codes, levels, evidence: everything stored
    assert {v["status"] for v in on_dask.values()} == {"scored", "failed"}
    [failed] = [v for v in on_dask.values() if v["status"] == "failed"]
    assert failed["error_code"] == BAD_PDFS[BAD] == "DC102"
    assert all(v["overall"] is not None for v in on_dask.values() if v["status"] == "scored")

    code, output = score(str(batch), "--db", str(db), "--engine", "dask", "--workers", "2")
    assert code == 1 and "Scored 0, failed 0, already stored 5 (1 failed)" in output
    assert stored(db) == on_dask


@pytest.mark.slow
def test_a_dask_run_into_postgresql_stores_what_a_local_run_stores(batch, local_run, pg_url):
    """The shared-database case: two cluster workers write straight into one PostgreSQL database."""
    code, output = score(str(batch), "--db", pg_url, "--engine", "dask", "--workers", "2")
    assert code == 1 and "Scored 4, failed 1, already stored 0" in output, output
    assert stored(pg_url) == local_run
    code, output = score(str(batch), "--db", pg_url, "--engine", "dask", "--workers", "2")
    assert "Scored 0, failed 0, already stored 5 (1 failed)" in output


@pytest.mark.slow
def test_a_dask_run_into_parquet_holds_the_local_results_and_resumes(batch, local_run, tmp_path):
    folder = tmp_path / "parts"
    code, output = score(str(batch), "--parquet", str(folder), "--engine", "dask", "--workers", "2")
    assert code == 1 and "Scored 4, failed 1" in output, output
    parts = sorted(folder.glob("part-*.parquet"))
    assert parts and not list(folder.glob(".*.tmp"))  # written beside, renamed into place
    rows = [row for part in parts for row in pq.read_table(part).to_pylist()]
    assert sorted(r["doc_id"] for r in rows) == sorted(local_run)
    for row in rows:
        assert json.loads(row["result_json"]) == local_run[row["doc_id"]]
        assert row["status"] == local_run[row["doc_id"]]["status"]
        assert row["source"].startswith(str(batch.resolve()))
        if row["status"] == "scored":
            assert row["overall_level"] == local_run[row["doc_id"]]["overall"]

    code, output = score(str(batch), "--parquet", str(folder), "--engine", "dask", "--workers", "2")
    assert "Scored 0, failed 0, already stored 5 (1 failed)" in output
    assert sorted(folder.glob("part-*.parquet")) == parts

    # Workers that could not reach the database: the parts load into one, as a local run stores them.
    db = tmp_path / "loaded.db"
    for _ in range(2):  # loading again changes nothing
        result = CliRunner().invoke(main, ["load", str(folder), "--db", str(db)], catch_exceptions=False)
        assert result.exit_code == 0 and "Loaded 5 result(s) (4 scored, 1 failed)" in result.output, result.output
        assert stored(db) == local_run
    code, output = score(str(batch), "--db", str(db), "-q")
    assert code == 1 and stored(db) == local_run  # resumable from the loaded results: nothing scored again


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def web(batch):
    """The batch folder served over HTTP on loopback."""
    with loopback_server(functools.partial(_Quiet, directory=str(batch))) as url:
        yield url


@pytest.mark.slow
def test_a_manifest_scores_paths_and_urls_and_stores_the_registers_organisation_and_year(batch, local_run, web,
                                                                                            tmp_path):
    manifest = tmp_path / "registry.csv"
    manifest.write_text(
        "\ufeffpath,url,organisation,year\n"
        f"{batch / 'ao_world_2018.pdf'},,AO Retail Ltd,2018\n"
        "\n"
        f",{web}/barclays_2019.pdf,Barclays Bank UK PLC,2019\n"
        f",{web}/missing.pdf,Nobody Ltd,2020\n", encoding="utf-8")
    db = tmp_path / "m.db"
    code, output = score("--manifest", str(manifest), "--db", str(db), "--engine", "dask", "--workers", "2",
                         "--allow-host", "127.0.0.1")  # the test server: a registry mirror on loopback
    assert code == 1 and "Scored 2, failed 1" in output, output
    with Store(db) as store:
        found = {s.result.path: s for s in store.stored()}
    assert found[str(batch / "ao_world_2018.pdf")].organisation == "AO Retail Ltd"
    barclays = found[f"{web}/barclays_2019.pdf"]
    assert (barclays.organisation, barclays.year) == ("Barclays Bank UK PLC", 2019)
    with Store(db) as store:  # the URL is the document's path, as given (not resolved as a local file)
        assert store.document_path(barclays.doc_id) == f"{web}/barclays_2019.pdf"
    assert barclays.doc_id in local_run  # fetched bytes: the same document id as the local file
    missing = found[f"{web}/missing.pdf"].result
    assert missing.code == "DC111" and "404" in missing.reason

    # The local engine reads the same manifest; everything it lists is stored already.
    code, output = score("--manifest", str(manifest), "--db", str(db), "-q", "--allow-host", "127.0.0.1")
    assert code == 1
    with Store(db) as store:
        assert store.counts() == {"scored": 2, "failed": 1}


def test_manifest_rows_are_validated_naming_row_and_column(tmp_path):
    manifest = tmp_path / "m.csv"
    manifest.write_text("\ufeffPath,Organisation,Year\n\na.pdf,A Ltd,2021\n/abs/b.pdf,,\n", encoding="utf-8")
    assert read_manifest(manifest) == [Item(str(tmp_path / "a.pdf"), "A Ltd", 2021), Item("/abs/b.pdf")]
    for body, message in [("name\nx\n", "no 'path' or 'url' column"),
                          ("path,year\na.pdf,twenty\n", "column 'year'"),
                          ("url\nftp://x/a.pdf\n", "column 'url'"),
                          ("path,url\na.pdf,https://x/a.pdf\n", "exactly one")]:
        manifest.write_text(body)
        with pytest.raises(ConfigError) as raised:
            read_manifest(manifest)
        assert message in raised.value.message


def test_a_remote_cluster_is_refused_an_sqlite_database(batch, tmp_path):
    code, output = score(str(batch), "--db", str(tmp_path / "x.db"), "--engine", "dask", "--cluster",
                         "tcp://127.0.0.1:1")
    assert code == 2 and "SQLite" in output and "PostgreSQL" in output


@pytest.mark.slow
def test_a_local_run_into_parquet_writes_every_row_and_a_changed_file_is_scored_again(batch, local_run, tmp_path):
    folder = tmp_path / "parts"
    code, output = score(str(batch), "--parquet", str(folder), "--jobs", "2")
    assert code == 1 and "Scored 4, failed 1" in output, output
    rows = [row for part in sorted(folder.glob("part-*.parquet")) for row in pq.read_table(part).to_pylist()]
    assert sorted(r["doc_id"] for r in rows) == sorted(local_run)  # fewer than a part's 200 rows: still written

    # The same path with new content (a statement replaced by its revision) is scored, not skipped.
    changed = tmp_path / "changed"
    shutil.copytree(batch, changed)
    (changed / "lv_2018.pdf").write_bytes((SAMPLES / "lv_2018.pdf").read_bytes() + b"\n%revised\n")
    code, output = score(str(changed), "--parquet", str(folder), "-q")
    code, output = score(str(changed), "--parquet", str(folder))
    assert "Scored 0, failed 0, already stored 5 (1 failed)" in output, output
    rows = [row for part in sorted(folder.glob("part-*.parquet")) for row in pq.read_table(part).to_pylist()]
    assert len({r["doc_id"] for r in rows}) == len(local_run) + 1


@pytest.mark.slow
def test_a_database_password_never_reaches_the_output(pg_url):
    secret = pg_url.replace("postgresql://postgres@", "postgresql://postgres:S3cretPW@", 1)
    assert "S3cretPW" in secret  # the loopback server trusts any password
    code, output = score(str(SAMPLES / "lv_2018.pdf"), "--db", secret)
    assert code == 0 and "Database: postgresql://postgres:***@" in output and "S3cretPW" not in output, output


def test_a_run_whose_client_died_leaves_no_isolation_process_and_no_second_scorer(monkeypatch, tmp_path):
    """A worker keeps one scorer per scorer spec across runs; a run that sent no task for a while
    (its client was killed and never said it had ended) has its isolation process stopped and its
    database closed when another run's first task arrives on that thread."""
    from dataclasses import replace

    from disclosure_check.pipeline import ScorerSpec
    from disclosure_check.run import attempt_options, cluster
    from disclosure_check.run.isolation import Limits

    limits = Limits(time_limit=120)
    scorer_spec = ScorerSpec(model_dir=str(ROOT / "models" / "default"))
    first = cluster.RunSpec(run_id="killed-client", scorer=scorer_spec, limits=limits,
                            options=attempt_options(scorer_spec.options, limits), db=str(tmp_path / "soak.db"))
    try:
        assert cluster.score_item(Item(str(SAMPLES / "lv_2018.pdf")), first).status == "scored"
        old = cluster._state(first)
        [isolation] = old.pool._workers
        monkeypatch.setattr(cluster, "STALE_SECONDS", 0.0)
        second = replace(first, run_id="the-same-command-again")
        assert cluster.score_item(Item(str(SAMPLES / "visa_2016.pdf")), second).status == "scored"
        assert cluster._state(second).scorer is old.scorer
        assert not [key for key in cluster._states if key[0] == "killed-client"]
        assert not isolation.process.is_alive() and not old.pool._workers
    finally:
        cluster.close_worker_state("killed-client")
        cluster.close_worker_state("the-same-command-again")
    with Store(tmp_path / "soak.db") as store:
        assert len(store.stored()) == 2


def test_a_long_run_sends_several_documents_a_task_and_a_short_one_gives_every_thread_a_share():
    from disclosure_check.run.cluster import DOCS_PER_TASK, TASKS_PER_WORKER, docs_per_task

    assert docs_per_task(20000, 48) == DOCS_PER_TASK
    assert docs_per_task(5, 2) == 1  # a handful of documents: one a task, both workers busy
    assert docs_per_task(2 * TASKS_PER_WORKER * 2, 2) == 2
    assert docs_per_task(0, 0) == 1
