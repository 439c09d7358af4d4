"""Results written as they are scored: JSON, CSV and Parquet, put in place only when complete."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from click.testing import CliRunner

from conftest import PDF_SAMPLES, ROOT, SAMPLES
from disclosure_check.cli import main
from disclosure_check.errors import ConfigError
from disclosure_check.present.export import ResultsWriter, flat_columns, result_to_dict


@pytest.fixture(scope="module")
def items(scored_sample, scorer):
    results = [scored_sample("lv_2018"), scored_sample("visa_2016"),
               scorer.score_file(PDF_SAMPLES / "005-libreoffice-writer-password_libreoffice-writer-password.pdf")]
    return [result_to_dict(r) for r in results]


@pytest.mark.slow
@pytest.mark.parametrize("suffix", [".json", ".csv", ".parquet"])
def test_results_stream_to_every_format(tmp_path, items, rubric, suffix):
    path = tmp_path / f"out{suffix}"
    with ResultsWriter(path, flat_columns(rubric)) as writer:
        for item in items:
            writer.write(item)
            assert not path.exists()  # nothing in place until the file is complete
    assert path.exists() and not list(tmp_path.glob(".*.part"))
    if suffix == ".json":
        back = json.loads(path.read_text())
        assert back == items
        return
    frame = pd.read_csv(path) if suffix == ".csv" else pd.read_parquet(path)
    assert list(frame.columns) == flat_columns(rubric)
    assert list(frame["status"]) == ["scored", "scored", "failed"]
    assert frame["language"].tolist()[:2] == ["en", "en"]
    assert frame.loc[2, "error_code"] == "DC102"
    assert bool(frame.loc[0, "approval_present"]) and frame.loc[0, "overall_level"] >= 0


def test_an_interrupted_write_leaves_the_previous_file(tmp_path, items, rubric):
    path = tmp_path / "out.csv"
    path.write_text("previous results\n")
    with pytest.raises(KeyboardInterrupt), ResultsWriter(path, flat_columns(rubric)) as writer:
        writer.write(items[0])
        raise KeyboardInterrupt
    assert path.read_text() == "previous results\n"
    assert not list(tmp_path.glob(".*.part"))


def test_unknown_format_is_refused_before_any_scoring(tmp_path):
    with pytest.raises(ConfigError, match="xlsx"):
        ResultsWriter(tmp_path / "out.xlsx", [])
    db = tmp_path / "never.db"
    result = CliRunner().invoke(main, ["score", str(SAMPLES), "--out", str(tmp_path / "out.xlsx"), "--db", str(db),
                                       "--model", str(ROOT / "models" / "default")])
    assert result.exit_code == 2 and "[DC600]" in result.output
    assert not db.exists()  # refused before the database was opened or anything scored


@pytest.mark.slow
def test_evidence_boxes_and_ocr_flags_are_stored(tmp_path, scored_sample):
    from disclosure_check.store.store import Store

    result = scored_sample("lloyds_banking_group_2018")
    with Store(tmp_path / "s.db") as store:
        store.save(result)
        rows = store.conn.execute("SELECT text, page, boxes, ocr FROM evidence WHERE element='approval'").fetchall()
        language = store.conn.execute("SELECT language FROM results").fetchone()[0]
    assert rows and language == "en"
    for _text, page, boxes, ocr in rows:
        boxes = json.loads(boxes)
        assert boxes and all(b[0] == page or b[0] == page + 1 for b in boxes) and ocr == 0


def test_write_results_that_fails_halfway_leaves_the_previous_export(tmp_path, items):
    from disclosure_check.present.export import write_results

    path = tmp_path / "out.json"
    write_results(items[:1], path)
    before = path.read_text()
    broken = [*items, {"document": "x", "status": "scored", "unserialisable": object()}]
    with pytest.raises(TypeError):
        write_results(broken, path)
    assert path.read_text() == before and json.loads(before)[0]["doc_id"] == items[0]["doc_id"]
    assert not list(tmp_path.glob(".*.part"))


def test_csv_cells_cannot_run_as_formulas(tmp_path, items, rubric):
    import csv

    hostile = json.loads(json.dumps(items[2]))  # a failure: its document and error are free text
    hostile.update(document="=1+2", error='@SUM(A1)', language="+44", error_code="-DC102")
    path = tmp_path / "out.csv"
    with ResultsWriter(path, flat_columns(rubric)) as writer:
        writer.write(hostile)
    with path.open(newline="") as handle:
        row = list(csv.DictReader(handle))[0]
    assert row["document"] == "'=1+2" and row["error"] == "'@SUM(A1)" and row["language"] == "'+44"
    assert row["error_code"] == "'-DC102"


# --- a place that cannot be written, a disk that fills up: one coded line, the previous file kept ----
def a_stored_database(path):
    from disclosure_check.store.store import Store
    from disclosure_check.types import Failure

    with Store(path) as store:
        store.save(Failure(doc_id="doc", path="/in/doc.pdf", code="DC103", reason="damaged", rubric_version="r",
                           model_version="m"))
        store.add_review("doc", "element", "approval", "confirm", reviewer="Ada")
    return path


@pytest.mark.parametrize("command", [
    ["export", "--db", "{db}", "--out", "{bad}/x.json"],
    ["review", "export", "--db", "{db}", "--out", "{bad}/x.csv"],
    ["review", "examples", "--db", "{db}", "--out", "{bad}/x.csv"],
    ["rubric", "describe", "--out", "{bad}/x.md"],
    ["evaluate", str(ROOT / "corpus" / "aims" / "aims_au_sentences.csv"), "--predictions", "{bad}/x.csv"],
    ["score", str(PDF_SAMPLES / "001-trivial_minimal-document.pdf"), "--parquet", "{bad}/parts", "-q"],
    ["score", str(PDF_SAMPLES / "001-trivial_minimal-document.pdf"), "--db", "{db}", "--out", "{bad}/x.csv", "-q"],
    ["train-sector", "--out", "{bad}/models"],
    ["train-identity", "--out", "{bad}/ranker.json"],
], ids=["export", "review-export", "review-examples", "rubric-describe", "evaluate-predictions", "score-parquet",
        "score-out", "train-sector", "train-identity"])
def test_an_output_place_that_cannot_be_written_is_one_coded_line(tmp_path, command):
    """A folder in the path that is a file: refused with DC600 naming it, before the work is done."""
    db = a_stored_database(tmp_path / "r.db")
    bad = tmp_path / "a file"
    bad.write_text("not a folder\n")
    result = CliRunner().invoke(main, [a.format(db=db, bad=bad) for a in command])
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit), result.output
    line = result.output.strip().splitlines()[-1]
    assert line.startswith("Error: [DC600]") and str(bad) in line and "not a folder" in line and "Fix:" in line


def test_a_full_disk_under_an_export_or_a_report_keeps_the_previous_file(tmp_path):
    """Exports and a report written to a small tmpfs that is full: DC500, the previous files as they
    were, no temporary file left."""
    from conftest import fill, mounted_tmpfs

    db = a_stored_database(tmp_path / "r.db")
    with mounted_tmpfs(tmp_path / "disk", "1m") as disk:
        for name in ("x.json", "x.csv", "trail.csv", "lv.md"):
            (disk / name).write_text(f"previous {name}\n")
        fill(disk / "filler")
        commands = [["export", "--db", str(db), "--out", str(disk / "x.json")],
                    ["export", "--db", str(db), "--out", str(disk / "x.csv")],
                    ["review", "export", "--db", str(db), "--out", str(disk / "trail.csv")],
                    ["report", str(SAMPLES / "lv_2018.pdf"), "--out", str(disk / "lv.md"),
                     "--model", str(ROOT / "models" / "default")]]
        for command in commands:
            result = CliRunner().invoke(main, command)
            assert result.exit_code == 2 and isinstance(result.exception, SystemExit), result.output
            line = result.output.strip().splitlines()[-1]
            assert line.startswith("Error: [DC500]") and "disk is full" in line and str(disk) in line, line
        for name in ("x.json", "x.csv", "trail.csv", "lv.md"):
            assert (disk / name).read_text() == f"previous {name}\n"
        assert sorted(p.name for p in disk.iterdir()) == ["filler", "lv.md", "trail.csv", "x.csv", "x.json"]


def test_writing_to_a_device_that_is_full_is_a_store_error():
    """/dev/full answers every write with ENOSPC, as a full disk does."""
    from disclosure_check.errors import StoreError
    from disclosure_check.files import writing

    with pytest.raises(StoreError, match="disk is full") as caught, writing("/dev/full"), \
            open("/dev/full", "wb", buffering=0) as handle:
        handle.write(b"results")
    assert caught.value.where == "/dev/full" and "write the file elsewhere" in caught.value.fix


def test_a_full_disk_under_parquet_parts_keeps_the_parts_written_before(tmp_path, rubric):
    """`score --parquet` on a small tmpfs: the first run's part stays; the second run, on a full
    disk, is one DC500 line and leaves no temporary part."""
    from conftest import fill, mounted_tmpfs
    from disclosure_check.run.parts import latest_part_rows

    model = str(ROOT / "models" / "default")
    with mounted_tmpfs(tmp_path / "disk", "2m") as disk:
        (tmp_path / "first.pdf").write_text("not a PDF\n")
        first = CliRunner().invoke(main, ["score", str(tmp_path / "first.pdf"), "--parquet", str(disk / "parts"),
                                          "--model", model, "-q"])
        assert first.exit_code == 1, first.output  # the document failed (it is not a PDF), its row was written
        parts = sorted((disk / "parts").glob("part-*.parquet"))
        fill(disk / "filler")
        (tmp_path / "second.pdf").write_text("not a PDF either\n")
        second = CliRunner().invoke(main, ["score", str(tmp_path / "second.pdf"), "--parquet",
                                           str(disk / "parts"), "--model", model, "-q"])
        assert second.exit_code == 2 and isinstance(second.exception, SystemExit), second.output
        assert "[DC500]" in second.output and "disk is full" in second.output
        assert sorted((disk / "parts").glob("part-*.parquet")) == parts
        assert not list((disk / "parts").glob(".*.tmp"))
        assert latest_part_rows(disk / "parts")[1] == 1
