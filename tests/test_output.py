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
def items(scorer):
    results = [scorer.score_file(SAMPLES / "lv_2018.pdf"), scorer.score_file(SAMPLES / "visa_2016.pdf"),
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
def test_evidence_boxes_and_ocr_flags_are_stored(tmp_path, scorer):
    from disclosure_check.store.store import Store

    result = scorer.score_file(SAMPLES / "lloyds_banking_group_2018.pdf")
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
