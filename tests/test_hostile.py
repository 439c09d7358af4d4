"""Hostile PDFs in a real batch: each gets its outcome within the limits, nothing else is lost.

The files come from tests/hostile.py (one per class of input that has taken PDF tools down) and
from damaging real PDFs (a bounded, seeded fuzz of the ingestion boundary). Both run through the
command line with two workers, as an analyst would run them.
"""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import hostile
from conftest import PDF_SAMPLES, SAMPLES

pytestmark = pytest.mark.slow  # AppTest sessions, worker processes, clusters or training: `make test` runs them, `make check` does not

CLI = str(Path(sys.executable).with_name("disclosure-check"))
LIMITS = ["--time-limit", "15", "--memory-limit", "1024"]
GOOD = ["lv_2018.pdf", "barclays_2019.pdf"]


def score(folder: Path, tmp_path: Path, *extra: str) -> tuple[subprocess.CompletedProcess, dict[str, dict]]:
    out = tmp_path / "out.json"
    proc = subprocess.run([CLI, "score", str(folder), "--jobs", "2", "--db", str(tmp_path / "db.sqlite"),
                           "--out", str(out), "-q", *LIMITS, *extra], capture_output=True, text=True, timeout=600)
    assert out.exists(), proc.stderr[-2000:]
    return proc, {Path(item["document"]).name: item for item in json.loads(out.read_text())}


def outcome(item: dict) -> str:
    return "scored" if item["status"] == "scored" else item["error_code"]


@pytest.fixture(scope="module")
def hostile_batch(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    hostile.write_cases(folder)
    for name in GOOD:
        shutil.copy(SAMPLES / name, folder / name)
    return folder, *score(folder, tmp_path_factory.mktemp("hostile-run"))


@pytest.mark.parametrize("case", hostile.CASES, ids=lambda c: c.name)
def test_each_hostile_file_gets_its_outcome_in_a_batch(hostile_batch, case):
    _, _, found = hostile_batch
    item = found.get(f"{case.name}.pdf")
    assert item is not None, f"{case.name}: no outcome recorded"
    assert outcome(item) in case.expect, (case.name, outcome(item), item.get("error"))
    if item["status"] == "failed":
        assert item["error"], "a failure always says why"


def test_the_good_files_beside_them_are_scored_and_the_run_says_some_failed(hostile_batch):
    folder, proc, found = hostile_batch
    assert len(found) == len(list(folder.glob("*.pdf")))
    for name in GOOD:
        assert found[name]["status"] == "scored"
        assert found[name]["elements"]["approval"]["present"]
    assert proc.returncode == 1  # some inputs failed
    assert "Traceback" not in proc.stderr


def test_hostile_text_never_reaches_the_results(hostile_batch):
    """NUL, bidi overrides and controls are gone; a 10 MB title is capped."""
    _, _, found = hostile_batch
    text = json.dumps(found["control_characters.pdf"], ensure_ascii=False)
    for bad in ("\x00", "\u202e", "\u202c", "\x07", "\x1b"):
        assert bad not in text
    assert "approved by the board" in text.lower()
    metadata = found["hostile_metadata.pdf"]
    assert len(json.dumps(metadata)) < 200_000


def test_a_fuzzed_batch_of_damaged_real_pdfs_never_crashes(tmp_path):
    """Forty seeded mutations of real PDFs: every file gets an outcome with a reason, none is an
    internal error (an exception our code did not expect), and an undamaged sample is scored."""
    rng = random.Random(9)
    sources = sorted(SAMPLES.glob("*.pdf")) + sorted(PDF_SAMPLES.glob("*.pdf"))
    folder = tmp_path / "fuzz"
    folder.mkdir()
    for n in range(40):
        source = rng.choice(sources)
        (folder / f"mutant_{n:02d}.pdf").write_bytes(hostile.mutate(source.read_bytes(), rng))
    shutil.copy(SAMPLES / GOOD[0], folder / GOOD[0])
    proc, found = score(folder, tmp_path)
    assert len(found) == 41, proc.stderr[-2000:]
    assert found[GOOD[0]]["status"] == "scored"
    internal = {name: item["error"] for name, item in found.items() if item["status"] == "failed"
                and item["error_code"] not in ("DC101", "DC102", "DC103", "DC104", "DC105", "DC106", "DC107")}
    assert not internal
    # Some damage is survivable (PDFium rebuilds a broken cross-reference table): those are scored.
    assert sum(item["status"] == "scored" for name, item in found.items() if name.startswith("mutant_")) >= 1
