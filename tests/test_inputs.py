"""Inputs checked before they are read (issue 22): a FIFO, a device, a symbolic-link loop or a huge
sparse file in a batch is a DC100/DC101 failure with a plain reason, decided from ``stat`` (nothing
blocks, nothing is hashed); a file name that is not UTF-8 is stored, exported and printed escaped,
and can be turned back into the path; text with an emoji's surrogate halves is mended."""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3

import pandas as pd
import pytest
from click.testing import CliRunner

from conftest import SAMPLES
from disclosure_check.cli import main
from disclosure_check.read.extract import safe_doc_id
from disclosure_check.sanitize import clean_text, fix_surrogates, path_text, text_path

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX file kinds")


def score(*args: str):
    return CliRunner().invoke(main, ["score", *args, "--jobs", "1"])


@pytest.fixture
def odd_folder(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SAMPLES / "lv_2018.pdf", folder / "lv_2018.pdf")
    os.mkfifo(folder / "pipe.pdf")  # opening it would wait for a writer for ever
    os.symlink("loop_b.pdf", folder / "loop_a.pdf")
    os.symlink("loop_a.pdf", folder / "loop_b.pdf")
    with open(folder / "huge.pdf", "wb") as handle:  # 1 TiB, sparse: hashing it would take about 20 minutes
        handle.truncate(2**40)
    shutil.copy(SAMPLES / "visa_2016.pdf", os.fsencode(folder) + b"/caf\xe9.pdf")  # a Latin-1 name
    return folder


def test_special_files_fail_with_their_reason_and_the_rest_is_scored(odd_folder, tmp_path):
    db, out = tmp_path / "r.db", tmp_path / "out.csv"
    result = score(str(odd_folder), "--db", str(db), "--out", str(out))
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output  # 1: some failed
    frame = pd.read_csv(out)
    by_name = {os.path.basename(p): row for p, row in zip(frame["document"], frame.to_dict("records"), strict=True)}
    assert by_name["lv_2018.pdf"]["status"] == "scored"
    assert by_name["caf\\xe9.pdf"]["status"] == "scored"  # stored and exported escaped
    assert (by_name["pipe.pdf"]["error_code"], by_name["pipe.pdf"]["status"]) == ("DC100", "failed")
    assert "FIFO" in by_name["pipe.pdf"]["error"]
    assert by_name["loop_a.pdf"]["error_code"] == "DC100" and "loop of symbolic links" in by_name["loop_a.pdf"]["error"]
    assert by_name["huge.pdf"]["error_code"] == "DC101"  # the size limit, from stat
    assert "failed: " in result.output and "\\xe9" not in result.output.split("Scoring")[0]
    with sqlite3.connect(db) as conn:
        paths = [row[0] for row in conn.execute("SELECT path FROM documents")]
    latin = next(p for p in paths if p.endswith("caf\\xe9.pdf"))
    assert os.path.isfile(text_path(latin))  # the exact file, found again from what was stored


def test_a_manifest_naming_a_device_a_fifo_and_a_loop_does_not_hang(odd_folder, tmp_path):
    manifest = tmp_path / "m.csv"
    manifest.write_text("path\n/dev/zero\n" + "".join(f"{odd_folder / n}\n" for n in
                                                       ("pipe.pdf", "loop_a.pdf", "lv_2018.pdf")))
    result = score("--manifest", str(manifest), "--db", str(tmp_path / "m.db"))
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    assert "Scored 1, failed 3" in result.output
    assert "/dev/zero: [DC100] not a regular file but a character device" in result.output


def test_the_document_id_of_a_special_or_huge_file_is_never_read_from_it(odd_folder):
    for name in ("pipe.pdf", "loop_a.pdf", "huge.pdf"):
        assert safe_doc_id(odd_folder / name, max_bytes=2**20).startswith("path:")
    assert safe_doc_id("/dev/zero").startswith("path:")
    assert not safe_doc_id(odd_folder / "lv_2018.pdf").startswith("path:")


def test_names_are_shown_escaped_and_turned_back_exactly():
    raw = os.fsdecode(b"/in/caf\xe9\x1b[31mfailed: x\n.pdf")
    shown = path_text(raw)
    assert shown == "/in/caf\\xe9\\x1b[31mfailed: x\\x0a.pdf"  # no terminal escape, no fake line
    assert text_path(shown) == raw
    assert path_text("/in/Société Générale ‮.pdf") == "/in/Société Générale \\u202e.pdf"
    assert text_path(path_text("/in/plain name.pdf")) == "/in/plain name.pdf"


def test_surrogate_halves_are_mended_and_lone_ones_dropped():
    assert fix_surrogates("We \ud83d\ude00 our suppliers") == "We 😀 our suppliers"
    assert clean_text("a \ud800 b") == "a  b"
    clean_text("📦 supply chain").encode("utf-8")  # characters outside the BMP pass through


def test_pages_never_show_the_database_password(monkeypatch):
    """The Failures page showed DISCLOSURE_CHECK_DB with its PostgreSQL password to every reviewer."""
    import re
    from pathlib import Path

    from ui.data import shown_db

    monkeypatch.setenv("DISCLOSURE_CHECK_DB", "postgresql://staff:s3cret@db.internal:5432/dc")
    assert "s3cret" not in shown_db() and "db.internal:5432/dc" in shown_db()
    root = Path(__file__).resolve().parents[1]
    for page in [root / "app.py", *sorted((root / "ui").glob("*.py"))]:
        shown = re.findall(r"\{[^{}]*\bdb_url\(\)[^{}]*\}", page.read_text(encoding="utf-8"))
        assert not shown, f"{page.name} puts the raw database URL into text: {shown}"


@pytest.mark.parametrize("content, encoding, says", [
    ("doc_id,target,decision,reviewer\nabc,element:../../etc,confirm,Dana\n", "utf-8", "is not <kind>:<id>"),
    ("doc_id,target,decision,reviewer\nabc,element:approval,confirm,Dana\n", "utf-16", "not UTF-8"),
    ("doc_id,target,decision,reviewer\nabc,element:approval,confirm,D\xe1na\n", "latin-1", "not UTF-8"),
    ("doc_id,target,decision,reviewer,comment\nabc,element:approval,confirm,Dana," + "x" * 200_000 + "\n", "utf-8",
     "longer than 128 KB|not readable CSV"),
])
def test_a_bad_decisions_file_is_a_coded_error_naming_the_file(tmp_path, content, encoding, says):
    from disclosure_check.store.store import Store

    with Store(tmp_path / "r.db"):
        pass  # the database exists: the file itself must be what is refused
    path = tmp_path / "decisions.csv"
    path.write_bytes(content.encode(encoding))
    result = CliRunner().invoke(main, ["review", "import", str(path), "--db", str(tmp_path / "r.db")])
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit), result.output
    assert "[DC" in result.output and re.search(says, result.output) and str(path) in result.output
    assert "Traceback" not in result.output


# --- every input file a command reads: garbage is one coded line naming the file -------------------
def a_good_part(folder):
    """A real part file, as `score --parquet` writes it (two failures: no scoring needed)."""
    from disclosure_check.rubric import load_rubric
    from disclosure_check.run.manifest import Item
    from disclosure_check.run.parts import ParquetSink
    from disclosure_check.types import Failure

    rubric = load_rubric()
    sink = ParquetSink(folder, rubric, "m")
    for n in range(2):
        sink.save(Failure(doc_id=f"doc-{n}", path=f"/in/{n}.pdf", code="DC103", reason="damaged",
                          rubric_version=rubric.key, model_version="m"), {}, Item(f"/in/{n}.pdf"))
    sink.close()
    [part] = sorted(folder.glob("part-*.parquet"))
    return part


def part_with(path, **columns):
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table({k: [v] for k, v in columns.items()}), str(path))


ROW = dict(doc_id="d", rubric_version="r@1", model_version="m", written_at=1.0, source="/in/d.pdf", status="failed",
           error_code="DC103", options="{}", organisation=None, year=None)


@pytest.mark.parametrize("damage, says", [
    ("random bytes", "cannot read this part file"),
    ("a text file", "cannot read this part file"),
    ("a truncated part", "cannot read this part file"),
    ("other columns", "has no column doc_id, rubric_version, model_version, written_at"),
    ("a time that is text", "row 0 has no document id, rubric or model version, or a written_at"),
    ("a result that is not one", "row 0 holds no readable result"),
    ("options that are not JSON", "row 0 holds no readable result"),
    ("a kept rubric that is not JSON", "cannot read the rubric a run kept here"),
])
def test_load_of_a_bad_part_folder_is_one_coded_line_naming_the_file(tmp_path, damage, says):
    folder = tmp_path / "parts"
    good = a_good_part(folder)
    bad = folder / "part-zz-bad.parquet"
    if damage == "random bytes":
        bad.write_bytes(os.urandom(3000))
    elif damage == "a text file":
        bad.write_text("doc_id,status\nd,failed\n")
    elif damage == "a truncated part":
        data = good.read_bytes()
        good.write_bytes(data[: len(data) // 2])
        bad = good
    elif damage == "other columns":
        part_with(bad, name="x", value=1)
    elif damage == "a time that is text":
        part_with(bad, **{**ROW, "written_at": "yesterday", "result_json": "{}"})
    elif damage == "a result that is not one":
        part_with(bad, **ROW, result_json='{"nothing": "here"}')
    elif damage == "options that are not JSON":
        data = json.loads(pd.read_parquet(good)["result_json"][0])
        part_with(bad, **{**ROW, "doc_id": data["doc_id"], "rubric_version": data["rubric_version"],
                          "options": "{not json", "written_at": 9e9}, result_json=json.dumps(data))
    else:
        bad = next(folder.glob("rubric-*.json"))
        bad.write_bytes(b"\xff\xfe not json")
    db = tmp_path / "r.db"
    result = CliRunner().invoke(main, ["load", str(folder), "--db", str(db)])
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit), result.output
    line = result.output.strip().splitlines()[-1]
    assert re.match(r"Error: \[DC[24]00\]", line) and str(bad) in line and says in line and "Fix:" in line, line
    if damage in ("random bytes", "a text file", "a truncated part", "other columns", "a time that is text"):
        # a run into the folder reads what its parts hold first: the same line (its input must exist:
        # a path that does not is refused before anything else)
        (tmp_path / "none.pdf").write_bytes(b"")
        run = CliRunner().invoke(main, ["score", str(tmp_path / "none.pdf"), "--parquet", str(folder), "-q"])
        assert run.exit_code == 2 and says in run.output and str(bad) in run.output, run.output


@pytest.mark.parametrize("command, says", [
    (["score", "--manifest", "{bad}", "--db", "{tmp}/s.db"], "[DC600] {bad}, line 1: the manifest is not UTF-8"),
    (["score", "{bad}", "--rubric", "{bad}", "--db", "{tmp}/s.db"], "[DC200] {bad}: the rubric file is not UTF-8"),
    (["rubric", "validate", "{bad}"], "[DC200] {bad}: the rubric file is not UTF-8"),
    (["rubric", "validate", "--reviews", "{bad}"], "[DC400] {bad}: the file is not UTF-8"),
    (["rubric", "sample-hits", "--reviews", "{bad}", "--out", "{tmp}/h.csv"], "[DC400] {bad}: the file is not UTF-8"),
    (["rubric", "sample-hits", "--texts", "{bad}", "--out", "{tmp}/h.csv"], "[DC400] {bad}: the file is not UTF-8"),
    (["rubric", "sample-hits", "--texts", "{empty}", "--out", "{tmp}/h.csv"], "[DC400] {empty}: missing column"),
    (["train-audiences", "--data", "{bad}", "--out", "{tmp}/m"], "[DC400] {bad}: cannot read as CSV"),
    (["train-audiences", "--data", "{empty}", "--out", "{tmp}/m"], "[DC400] {empty}: cannot read as CSV"),
], ids=lambda c: " ".join(c[:3]) if isinstance(c, list) else None)
def test_a_file_of_random_bytes_or_nothing_is_one_coded_line_naming_it(tmp_path, command, says):
    bad, empty = tmp_path / "random.bin", tmp_path / "empty.csv"
    bad.write_bytes(b"\xe7" + os.urandom(4095))
    empty.write_bytes(b"")
    names = {"bad": bad, "empty": empty, "tmp": tmp_path}
    result = CliRunner().invoke(main, [part.format(**names) for part in command])
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit), result.output
    assert says.format(**names) in result.output and "Fix:" in result.output
    assert not (tmp_path / "h.csv").exists() and not list(tmp_path.glob("m/**/*.json*"))
