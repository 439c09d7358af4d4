"""A `score` run as a person or a scheduler meets it: a real `disclosure-check score` process, its
output not a terminal. Ctrl-C (SIGINT) after the first document is stored stops it with exit 130
and says how many are stored and how many are left; the same command then scores only the rest.
Without a terminal it writes progress lines (done, failed, rate, ETA), for both engines. A path
that does not exist is a usage error (exit 2) and nothing is stored."""

from __future__ import annotations

import io
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import ROOT, SAMPLES
from disclosure_check.cli import main
from disclosure_check.cli.progress import Counts, Ticker, duration
from disclosure_check.run.batch import Outcome

MODEL = str(ROOT / "models" / "default")
PROGRESS = re.compile(r"^scored (\d+)/(\d+)(?: \((\d+) already stored\))?, (\d+) failed, (\d+) docs/min, "
                      r"ETA (\d+ s|\d+ min|\d+ h \d+ min|unknown|done)$", re.M)
INTERRUPTED = re.compile(r"Interrupted: (?:at least )?(\d+) stored, (?:at most )?(\d+) left: run the same command "
                         r"to resume")


def command(folder: Path, db: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "disclosure_check", "score", str(folder), "--db", str(db), "--model", MODEL,
            "--progress-every", "1", *extra]


def environment() -> dict:
    return {**os.environ, "PYTHONPATH": str(ROOT / "src")}


def stored(db: Path) -> dict[str, str]:
    """doc_id -> scored_at of every stored result (empty while the database is not there yet)."""
    if not db.exists():
        return {}
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return dict(conn.execute("SELECT doc_id, scored_at FROM results").fetchall())
    except sqlite3.OperationalError:  # not created yet
        return {}


def interrupt_after_first(folder: Path, db: Path, *extra: str) -> tuple[int, str]:
    """Start a run, send SIGINT as soon as one result is stored; its exit code and stderr."""
    process = subprocess.Popen(command(folder, db, *extra), env=environment(), stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        deadline = time.monotonic() + 300
        while not stored(db) and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)
        # the store is written before the main process hears of the result and prints its progress line: on
        # a loaded machine an interrupt at once could land in between (the test asserts a progress line)
        time.sleep(0.3)
        assert process.poll() is None, "the run ended before it could be interrupted"
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    return process.returncode, err


@pytest.fixture
def folder(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for pdf in sorted(SAMPLES.glob("*.pdf")):
        shutil.copy(pdf, inbox / pdf.name)
    return inbox


def check_interrupt_then_resume(folder: Path, db: Path, *extra: str) -> None:
    total = len(list(folder.glob("*.pdf")))
    code, err = interrupt_after_first(folder, db, *extra)
    assert code == 130, err
    assert "Aborted!" not in err and "Traceback" not in err, err
    match = INTERRUPTED.search(err)
    assert match, err
    done, left = int(match[1]), int(match[2])
    before = stored(db)
    assert done + left == total and len(before) >= done
    if "dask" in extra:  # workers store before the client hears of it, a task of several documents at a time
        assert "at least" in match[0] and "at most" in match[0]
    else:
        assert done >= 1 and "at least" not in match[0]
    assert PROGRESS.search(err), err  # no terminal: progress lines, not a bar

    finished = subprocess.run(command(folder, db, *extra), env=environment(), capture_output=True, text=True,
                              cwd=ROOT, timeout=600)
    assert finished.returncode == 0, finished.stderr
    summary = re.search(r"Scored (\d+), failed 0, already stored (\d+)", finished.stderr)
    assert summary and int(summary[2]) == len(before) and int(summary[1]) + int(summary[2]) == total, finished.stderr
    after = stored(db)
    assert len(after) == total and {doc: after[doc] for doc in before} == before  # none scored again
    lines = [m.groups() for m in PROGRESS.finditer(finished.stderr)]
    assert lines and all(int(m[1]) == total for m in lines), finished.stderr
    assert int(lines[-1][2] or 0) == len(before), finished.stderr  # the stored ones found, not scored again


@pytest.mark.slow
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ctrl_c_stops_cleanly_and_the_same_command_resumes(folder, tmp_path, jobs):
    check_interrupt_then_resume(folder, tmp_path / "runs.db", "--jobs", jobs)


@pytest.mark.slow
def test_ctrl_c_stops_a_dask_run_cleanly_and_it_resumes(folder, tmp_path):
    pytest.importorskip("distributed")
    check_interrupt_then_resume(folder, tmp_path / "dask.db", "--engine", "dask", "--workers", "2")


@pytest.mark.parametrize("args", [["typo.pdf"], ["{sample}", "typo.pdf"], ["no-such-folder"]])
def test_a_path_that_does_not_exist_is_a_usage_error_and_nothing_is_stored(tmp_path, args):
    db = tmp_path / "typo.db"
    given = [a.format(sample=SAMPLES / "lv_2018.pdf") for a in args]
    result = CliRunner().invoke(main, ["score", *given, "--db", str(db), "--model", MODEL])
    assert result.exit_code == 2, result.output
    assert f"'{given[-1]}' does not exist" in result.output
    assert not db.exists()


def test_a_manifest_path_that_does_not_exist_is_a_usage_error(tmp_path):
    db = tmp_path / "typo.db"
    manifest = tmp_path / "register.csv"
    manifest.write_text(f"path,organisation\n{SAMPLES / 'lv_2018.pdf'},LV\nmistyped.pdf,Nobody\n")
    result = CliRunner().invoke(main, ["score", "--manifest", str(manifest), "--db", str(db), "--model", MODEL])
    assert result.exit_code == 2 and "mistyped.pdf' does not exist" in result.output, result.output
    assert not db.exists()
    result = CliRunner().invoke(main, ["score", "--manifest", str(tmp_path / "nope.csv"), "--db", str(db)])
    assert result.exit_code == 2 and "nope.csv' does not exist" in result.output and not db.exists()


def test_a_link_that_points_nowhere_is_still_a_stored_failure(tmp_path):
    link = tmp_path / "gone.pdf"
    link.symlink_to(tmp_path / "moved-away.pdf")
    db = tmp_path / "link.db"
    result = CliRunner().invoke(main, ["score", str(link), "--db", str(db), "--model", MODEL, "-q"])
    assert result.exit_code == 1, result.output  # it exists (as a link): a failure with its reason, as before
    assert len(stored(db)) == 1


def test_progress_lines_count_rate_and_time_left():
    now = [0.0]
    counts = Counts(clock=lambda: now[0])
    counts.start(1000)
    assert counts.line() == "scored 0/1000, 0 failed, 0 docs/min, ETA unknown"
    for i in range(40):
        counts.add(Outcome(str(i), f"/in/{i}.pdf", "scored", reused=True))  # already stored: no rate
    for i in range(80):
        counts.add(Outcome(str(i), f"/in/{i}.pdf", "failed" if i < 3 else "scored"))
    now[0] = 120.0
    assert counts.line() == "scored 120/1000 (40 already stored), 3 failed, 40 docs/min, ETA 22 min"
    assert counts.interrupted() == ("Interrupted: 120 stored, 880 left: run the same command to resume (what is "
                                    "stored is skipped).")
    assert [duration(s) for s in (0.2, 45, 1290, 7500)] == ["1 s", "45 s", "22 min", "2 h 5 min"]


def test_a_run_shorter_than_the_interval_still_leaves_its_final_progress_line():
    # without a terminal the ticker writes every N seconds; a resumed run that finishes in under N seconds
    # used to leave no progress line at all in the log
    counts, stream = Counts(), io.StringIO()
    counts.start(3)
    ticker = Ticker(counts, stream, seconds=3600).start()
    for i in range(3):
        counts.add(Outcome(str(i), f"/in/{i}.pdf", "scored", reused=i < 2))
    ticker.stop()
    ticker.stop()  # once only
    lines = [m.groups() for m in PROGRESS.finditer(stream.getvalue())]
    assert len(lines) == 1 and lines[0][:3] == ("3", "3", "2") and lines[0][5] == "done"


def test_ctrl_c_in_any_command_exits_130_without_aborted(monkeypatch, tmp_path):
    from disclosure_check.cli import results

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(results, "open_store", interrupted)
    result = CliRunner().invoke(main, ["export", "--db", str(tmp_path / "x.db"), "--out", str(tmp_path / "x.csv")])
    assert result.exit_code == 130 and "Interrupted." in result.output and "Aborted" not in result.output
