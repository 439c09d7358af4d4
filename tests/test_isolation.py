"""No PDF can take a batch down, stall it or lose a result: hostile files made here from raw PDF
syntax, scored beside real statements, each under small limits so the tests stay quick."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import ROOT, SAMPLES, sample_source, score_into
from disclosure_check.cli import main
from disclosure_check.errors import CancelledError, ConfigError
from disclosure_check.pipeline import Scorer
from disclosure_check.run import attempt_options, needs_retry
from disclosure_check.run.isolation import Limits, WorkerPool, score_isolated
from disclosure_check.store.store import Store
from disclosure_check.types import Assessment, Failure, StoredAttempt
from pdf_builder import FONT, build_pdf, stream

pytestmark = pytest.mark.slow  # AppTest sessions, worker processes, clusters or training: `make test` runs them, `make check` does not

MODEL = str(ROOT / "models" / "default")
GOOD = ("lv_2018", "visa_2016")
TEXT = (b"BT /F1 11 Tf 14 TL 72 720 Td (This statement is made pursuant to section 54 of the Modern Slavery Act) Tj T*"
        b" (2015 and was approved by the Board of Example plc on 1 May 2024.) Tj ET")


# -- hostile PDFs, from raw syntax ----------------------------------------------------------------
def one_page(page: bytes = b"/MediaBox [0 0 612 792]", content: bytes = TEXT, content_dict: bytes = b"",
             *, pdfium_refuses: bool = False) -> bytes:
    """One page of text. ``pdfium_refuses``: the trailer's /Root names the page tree instead of the
    catalog, which PDFium will not open, so the file is read by pdfminer's object scan instead."""
    return build_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R " + page + b" /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        stream(content, content_dict),
        FONT,
    ], root=2 if pdfium_refuses else 1)


def deep_page_tree(depth: int = 5000) -> bytes:
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    for level in range(depth):
        parent = b"/Parent %d 0 R " % (level + 1) if level else b""
        objects.append(b"<< /Type /Pages %s/Kids [%d 0 R] /Count 1 >>" % (parent, level + 3))
    page = depth + 2
    objects.append(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 %d 0 R >> >>"
                   b" /Contents %d 0 R >>" % (page - 1, page + 2, page + 1))
    objects += [stream(TEXT), FONT]
    return build_pdf(objects)


def bad_zlib_checksum(raw_bytes: int = 600_000) -> bytes:
    """A Flate content stream whose Adler-32 checksum is wrong, in a file only pdfminer opens:
    pdfminer then decompresses it a byte at a time, quadratically (measured: 9.7 s for 500 KB,
    the attacker's 262 KB file ran for 45 minutes in an older version)."""
    packed = bytearray(zlib.compress((TEXT + b"\n") * (raw_bytes // len(TEXT)), 9))
    packed[-1] ^= 0xFF
    return one_page(content=bytes(packed), content_dict=b"/Filter /FlateDecode", pdfium_refuses=True)


def decompression_bomb(inflated_mb: int = 768) -> bytes:
    """A content stream of zeros compressed twice: about 10 KB that inflates to ``inflated_mb``."""
    packer = zlib.compressobj(1)
    block = bytes(2**20)
    once = b"".join(packer.compress(block) for _ in range(inflated_mb)) + packer.flush()
    return one_page(content=zlib.compress(once, 9), content_dict=b"/Filter [/FlateDecode /FlateDecode]")


MALFORMED = {
    "malformed_mediabox.pdf": one_page(b"/MediaBox [0 0 612 /Foo]", pdfium_refuses=True),
    "nested_mediabox.pdf": one_page(b"/MediaBox [[0 0 612 792] [0 0 1 1] 0 0]", pdfium_refuses=True),
    "string_mediabox.pdf": one_page(b"/MediaBox (abc)", pdfium_refuses=True),
    "odd_page_dict.pdf": one_page(b"/MediaBox [0 0 612 792] /Rotate /Ninety /CropBox 7", pdfium_refuses=True),
    "deep_page_tree.pdf": deep_page_tree(),
}


def good_copies(folder: Path, names=GOOD) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in names:
        path = folder / f"{name}.pdf"
        path.write_bytes((SAMPLES / f"{name}.pdf").read_bytes())
        paths.append(path)
    return paths


def by_name(results) -> dict[str, Assessment | Failure]:
    return {Path(r.path).name: r for r in results}


def cli(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def slow_and_fatal(monkeypatch):
    """Test-only jobs: a file named slow*.pdf sleeps for a minute, crash*.pdf kills its own
    worker with SIGKILL, bug*.pdf raises a bug. Workers are forked, so they inherit the patch."""
    real = Scorer.score_file

    def score_file(self, path, doc_id=None, given=None):
        name = Path(path).name
        if name.startswith("slow"):
            time.sleep(60)
        elif name.startswith("crash"):
            os.kill(os.getpid(), signal.SIGKILL)
        elif name.startswith("bug"):
            raise ValueError("a bug that only this document reaches")
        return real(self, path, doc_id=doc_id, given=given)

    monkeypatch.setattr(Scorer, "score_file", score_file)


# -- time, memory, crashes ------------------------------------------------------------------------
def test_a_stalled_document_is_stopped_at_the_time_limit_and_the_others_are_scored(scorer, tmp_path, slow_and_fatal):
    good = good_copies(tmp_path)
    (tmp_path / "slow.pdf").write_bytes(one_page())
    started = time.monotonic()
    with Store(":memory:") as store:
        summary = score_into(store, [tmp_path], scorer, jobs=2, limits=Limits(time_limit=3))
        results = {Path(r["document"]).name: r for r in store.reviewed_results(apply=False)}
    assert time.monotonic() - started < 30  # not the minute the slow job asked for
    assert (summary.scored, summary.failed) == (len(good), 1)
    assert results["slow.pdf"]["error_code"] == "DC106" and "time limit of 3 s" in results["slow.pdf"]["error"]
    assert all(results[p.name]["status"] == "scored" for p in good)


def test_a_bad_zlib_checksum_cannot_stall_a_batch(scorer, tmp_path):
    good = good_copies(tmp_path)
    (tmp_path / "bad_zlib.pdf").write_bytes(bad_zlib_checksum())
    started = time.monotonic()
    with WorkerPool(scorer, size=2, limits=Limits(time_limit=3)) as pool:
        results = by_name(pool.score([(str(p), p.name, None) for p in sorted(tmp_path.glob("*.pdf"))]))
    assert time.monotonic() - started < 30
    assert results["bad_zlib.pdf"].status == "failed" and results["bad_zlib.pdf"].code == "DC106"
    assert all(results[p.name].status == "scored" for p in good)


def test_a_decompression_bomb_is_stopped_by_the_memory_limit(scorer, tmp_path):
    good = good_copies(tmp_path)
    bomb = tmp_path / "bomb.pdf"
    bomb.write_bytes(decompression_bomb())
    assert bomb.stat().st_size < 20_000
    with WorkerPool(scorer, size=2, limits=Limits(memory_limit=300)) as pool:
        results = by_name(pool.score([(str(p), p.name, None) for p in [bomb, *good]]))
    assert results["bomb.pdf"].code == "DC107" and "memory limit of 300 MB" in results["bomb.pdf"].reason
    assert all(results[p.name].status == "scored" for p in good)


def test_a_killed_worker_costs_only_its_document(scorer, tmp_path, slow_and_fatal):
    good = good_copies(tmp_path, ("lv_2018", "visa_2016", "ao_world_2018"))
    (tmp_path / "crash.pdf").write_bytes(one_page())
    jobs = [(str(p), p.name, None) for p in [good[0], tmp_path / "crash.pdf", *good[1:]]]
    with WorkerPool(scorer, size=2, limits=Limits(time_limit=30)) as pool:
        results = by_name(pool.score(jobs))
    assert results["crash.pdf"].code == "DC108" and "killed by SIGKILL" in results["crash.pdf"].reason
    assert all(results[p.name].status == "scored" for p in good)


def test_a_bug_becomes_that_documents_failure_naming_the_exception(scorer, tmp_path, slow_and_fatal, caplog):
    good = good_copies(tmp_path, ("lv_2018",))
    (tmp_path / "bug.pdf").write_bytes(one_page())
    with WorkerPool(scorer, size=1) as pool:
        results = by_name(pool.score([(str(tmp_path / "bug.pdf"), "bug", None), (str(good[0]), "lv", None)]))
    assert results["bug.pdf"].code == "DC109"
    assert "ValueError: a bug that only this document reaches" in results["bug.pdf"].reason
    assert results["lv_2018.pdf"].status == "scored"


def test_malformed_files_are_failures_with_reasons_and_the_batch_writes_its_output(tmp_path):
    folder = tmp_path / "inbox"
    good = good_copies(folder)
    for name, data in MALFORMED.items():
        (folder / name).write_bytes(data)
    out = tmp_path / "out.json"
    result = cli("score", str(folder), "--jobs", "2", "--db", str(tmp_path / "r.db"), "--out", str(out),
                 "--model", MODEL, "--time-limit", "30")
    items = {Path(i["document"]).name: i for i in json.loads(out.read_text())}
    assert set(items) == set(MALFORMED) | {p.name for p in good}
    assert all(items[p.name]["status"] == "scored" for p in good)
    for name in MALFORMED:  # a failure with its code and reason, or read despite the damage
        item = items[name]
        assert item["status"] == "scored" or (item["error_code"].startswith("DC1") and item["error"]), item
    assert any(items[name]["status"] == "failed" for name in MALFORMED)
    assert result.exit_code == 1 and "Traceback" not in result.output


def test_killing_the_main_process_leaves_no_worker_behind(tmp_path):
    folder = tmp_path / "inbox"
    good_copies(folder, [p.stem for p in sorted(SAMPLES.glob("*.pdf"))])
    db = tmp_path / "r.db"
    command = [str(Path(sys.executable).with_name("disclosure-check")), "score", str(folder), "--jobs", "2",
               "--db", str(db), "--model", MODEL, "-q"]
    main_process = subprocess.Popen(command, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not (len(children(main_process.pid)) == 2 and stored(db) >= 1):
            time.sleep(0.1)
        workers = children(main_process.pid)
        assert len(workers) == 2, "the batch never had two workers running"
        finished = stored(db)
        assert finished >= 1
    finally:
        main_process.kill()
        main_process.wait()
    time.sleep(3)
    assert [pid for pid in workers if alive(pid)] == []
    assert stored(db) >= finished  # what was finished before the kill is kept


def children(pid: int) -> list[int]:
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":\t", 1) for line in status.read_text().splitlines() if ":\t" in line)
        except OSError:
            continue
        if fields.get("PPid", "").strip() == str(pid):
            found.append(int(status.parent.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = next(line for line in Path(f"/proc/{pid}/status").read_text().splitlines() if line.startswith("State"))
    except (OSError, StopIteration):
        return False
    return "Z" not in state  # a zombie is dead, waiting for init to reap it


def stored(db: Path) -> int:
    try:
        with sqlite3.connect(db) as conn:
            return conn.execute("SELECT COUNT(*) FROM results").fetchone()[0]
    except sqlite3.Error:
        return 0


# -- one upload, for the dashboard ----------------------------------------------------------------
def test_score_isolated_scores_fails_and_can_be_cancelled(scorer, tmp_path, slow_and_fatal):
    [good] = good_copies(tmp_path, ("lv_2018",))
    assert isinstance(score_isolated(scorer, good), Assessment)
    (tmp_path / "bomb.pdf").write_bytes(decompression_bomb(512))
    failed = score_isolated(scorer, tmp_path / "bomb.pdf", Limits(memory_limit=200))
    assert isinstance(failed, Failure) and failed.code == "DC107"
    (tmp_path / "slow.pdf").write_bytes(one_page())
    asked = []

    def cancelled() -> bool:
        asked.append(time.monotonic())
        return len(asked) > 3

    with pytest.raises(CancelledError):
        score_isolated(scorer, tmp_path / "slow.pdf", cancelled=cancelled)
    assert asked[-1] - asked[0] < 10  # stopped when asked, not after the minute the job takes


def test_limits_validate_themselves():
    with pytest.raises(ConfigError, match="time limit must be positive"):
        Limits(time_limit=0)
    with pytest.raises(ConfigError, match="memory limit must be positive"):
        Limits(memory_limit=-1)


# -- retries and exit codes -----------------------------------------------------------------------
def test_which_stored_failures_are_retried():
    options = attempt_options(_options(), Limits())
    failed = lambda code, **changed: StoredAttempt("failed", code, {**options, **changed})  # noqa: E731
    assert not needs_retry(StoredAttempt("scored", None, options), options, retry_failed=True)
    assert needs_retry(StoredAttempt("failed", "DC103", None), options)  # stored before options were recorded
    assert not needs_retry(failed("DC103"), options)
    assert needs_retry(failed("DC103"), options, retry_failed=True)
    assert needs_retry(failed("DC101", max_pages=2), options)
    assert not needs_retry(failed("DC101"), options)
    assert needs_retry(failed("DC106", time_limit=3), options)
    assert needs_retry(failed("DC107", memory_limit=300), options)
    assert not needs_retry(failed("DC105", max_pages=2), options)  # not English: no option changes that
    assert not needs_retry(failed("DC102"), options)
    assert needs_retry(failed("DC102", password=True), {**options, "password": True})  # any password, any time
    assert "secret" not in json.dumps(attempt_options(_options(password="secret"), Limits()))


def _options(**kwargs):
    from disclosure_check.pipeline import ScoreOptions

    return ScoreOptions(**kwargs)


def encrypted(user: str, owner: str) -> bytes:
    import io

    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, encrypt=pdfencrypt.StandardEncryption(user, ownerPassword=owner, strength=128))
    text = page.beginText(72, 760)
    words = " ".join(block["text"] for block in sample_source("lv_2018")["blocks"]).split()[:500]
    for start in range(0, len(words), 14):
        text.textLine(" ".join(words[start:start + 14]))
    page.drawText(text)
    page.showPage()
    page.save()
    return buffer.getvalue()


def test_failures_are_retried_when_the_option_that_caused_them_changes(tmp_path):
    folder = tmp_path / "inbox"
    good_copies(folder, ("lv_2018",))
    (folder / "locked.pdf").write_bytes(encrypted("open-sesame", "owner"))
    (folder / "owner_only.pdf").write_bytes(encrypted("", "owner-secret"))
    db = str(tmp_path / "r.db")
    base = ("score", str(folder), "--db", db, "--model", MODEL, "--time-limit", "60")

    first = cli(*base)
    assert first.exit_code == 1 and "Scored 2, failed 1, already stored 0" in first.output
    assert "locked.pdf: [DC102]" in first.output

    again = cli(*base)  # nothing changed: the stored failure is reused, and still counts
    assert again.exit_code == 1 and "Scored 0, failed 0, already stored 3 (1 failed)" in again.output
    assert "locked.pdf: [DC102]" in again.output

    unlocked = cli(*base, "--password", "open-sesame")  # retried with the password; the others stay stored
    assert unlocked.exit_code == 0, unlocked.output
    assert "Scored 1, failed 0, already stored 2" in unlocked.output

    done = cli(*base)
    assert done.exit_code == 0 and "already stored 3" in done.output


def test_a_wrong_password_does_not_stop_an_owner_password_only_file(tmp_path):
    (tmp_path / "owner_only.pdf").write_bytes(encrypted("", "owner-secret"))
    out = tmp_path / "out.json"
    result = cli("score", str(tmp_path / "owner_only.pdf"), "--password", "not-this-one", "--db", ":memory:",
                 "--model", MODEL, "-q", "--out", str(out))
    [item] = json.loads(out.read_text())
    assert result.exit_code == 0 and item["status"] == "scored"


def test_higher_max_pages_and_retry_failed_retry_stored_failures(tmp_path):
    folder = tmp_path / "inbox"
    [lv] = good_copies(folder, ("lv_2018",))
    (folder / "broken.pdf").write_bytes(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")
    db = str(tmp_path / "r.db")
    base = ("score", str(folder), "--db", db, "--model", MODEL)
    first = cli(*base, "--max-pages", "1")
    assert f"{lv}: [DC101]" in first.output and "broken.pdf: [DC103]" in first.output and first.exit_code == 1
    raised = cli(*base, "--max-pages", "50")  # lv is retried; broken is not (no option could have caused it)
    assert "Scored 1, failed 0, already stored 1 (1 failed)" in raised.output and raised.exit_code == 1
    forced = cli(*base, "--max-pages", "50", "--retry-failed")
    assert "Scored 0, failed 1, already stored 1" in forced.output and forced.exit_code == 1
    with Store(db) as store:
        [broken] = [r for r in store.reviewed_results(apply=False) if r["document"].endswith("broken.pdf")]
        attempt = store.attempt(broken["doc_id"], broken["rubric_version"], broken["model_version"])
    assert attempt.error_code == "DC103" and attempt.options["max_pages"] == 50 and attempt.options["password"] is False


def test_a_free_worker_gets_its_next_document_before_the_caller_saves_the_last(scorer):
    """The caller saves each outcome while the worker that produced it is already scoring the next
    document: saving (a database commit) never leaves a worker idle."""
    jobs = [(str(SAMPLES / f"{name}.pdf"), f"id-{name}", None) for name in (*GOOD, "ao_world_2018")]
    busy_when_yielded = []
    with WorkerPool(scorer, size=1, limits=Limits(time_limit=120)) as pool:
        for result in pool.score(iter(jobs)):
            busy_when_yielded.append((result.doc_id, [w.job[1] for w in pool._workers if w.job]))
    assert busy_when_yielded == [("id-lv_2018", ["id-visa_2016"]), ("id-visa_2016", ["id-ao_world_2018"]),
                                 ("id-ao_world_2018", [])]
