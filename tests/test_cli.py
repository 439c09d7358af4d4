"""The command line end to end, on rendered real statements and real-world bad PDFs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from conftest import AIMS, BAD_PDFS, PDF_SAMPLES, ROOT, SAMPLES
from disclosure_check.cli import main
from disclosure_check.rubric import ELEMENT_IDS
from rubric_copies import bundled_data, write_rubric

MODEL = str(ROOT / "models" / "default")
# The real-world samples set in Lorem ipsum: detected as Latin.
LOREM_IPSUM = ("001-trivial_minimal-document.pdf", "002-trivial-libre-office-writer_002-trivial-libre-office-writer.pdf",
               "026-latex-multicolumn_multicolumn.pdf")


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def scored_samples(tmp_path_factory):
    out = tmp_path_factory.mktemp("score") / "results.json"
    db = out.parent / "results.db"
    result = run("score", str(SAMPLES), "--out", str(out), "--db", str(db), "--model", MODEL)
    return result, json.loads(out.read_text()), db


@pytest.mark.slow
def test_score_every_sample_with_evidence_and_pages(scored_samples):
    result, items, _ = scored_samples
    assert result.exit_code == 0, result.output
    assert len(items) == len(list(SAMPLES.glob("*.pdf"))) == 12
    for item in items:
        assert item["status"] == "scored" and item["error"] is None
        assert set(item) >= {"document", "doc_id", "status", "error", "pages", "elements"}
        assert list(item["elements"]) == list(ELEMENT_IDS)
        for element in item["elements"].values():
            assert set(element) == {"present", "confidence", "evidence", "negative"}
            assert 0.0 <= element["confidence"] <= 1.0
            assert element["present"] == bool(element["evidence"])
            assert all(ev["status"] != "negative" for ev in element["evidence"])
            assert all(ev["status"] == "negative" for ev in element["negative"])
            for ev in element["evidence"]:
                assert set(ev) >= {"text", "page", "classifier", "score"}
                assert 1 <= ev["page"] <= item["pages"]
                assert ev["classifier"] in ("rules.v1", "tfidf-logreg.v1")
    by_name = {item["document"].rsplit("/", 1)[-1]: item for item in items}
    lloyds = by_name["lloyds_banking_group_2018.pdf"]["elements"]
    # "This Statement was approved by the Board of Lloyds Banking Group plc ..." is on page 1.
    assert lloyds["approval"]["present"] and lloyds["approval"]["evidence"][0]["page"] == 1
    # The signature block ("Lord Blackwell Chairman") is on the last page, 7.
    assert lloyds["signature"]["present"] and {e["page"] for e in lloyds["signature"]["evidence"]} == {7}
    lv = by_name["lv_2018.pdf"]["elements"]
    assert any("approved by the Board of Liverpool Victoria" in e["text"] for e in lv["approval"]["evidence"])
    assert "Scored 12, failed 0, already stored 0" in result.output


@pytest.mark.slow
def test_rerun_skips_stored_documents_and_rescore_repeats(scored_samples, tmp_path):
    _, _, db = scored_samples
    again = run("score", str(SAMPLES / "lv_2018.pdf"), "--db", str(db), "--model", MODEL,
                "--out", str(tmp_path / "again.json"))
    assert again.exit_code == 0
    assert "Scored 0, failed 0, already stored 1" in again.output
    assert json.loads((tmp_path / "again.json").read_text())[0]["elements"]["approval"]["present"] is True
    forced = run("score", str(SAMPLES / "lv_2018.pdf"), "--db", str(db), "--model", MODEL, "--rescore")
    assert "Scored 1, failed 0, already stored 0" in forced.output


@pytest.mark.slow
def test_bad_files_are_recorded_and_the_rest_scored(mixed_folder, tmp_path):
    out = tmp_path / "mixed.json"
    result = run("score", str(mixed_folder), "--out", str(out), "--db", str(tmp_path / "m.db"), "--model", MODEL)
    assert result.exit_code == 1
    items = {item["document"].rsplit("/", 1)[-1]: item for item in json.loads(out.read_text())}
    expected_failures = {**BAD_PDFS, "empty.pdf": "DC103", "truncated.pdf": "DC103", "not_really.pdf": "DC103",
                         **dict.fromkeys(LOREM_IPSUM, "DC105")}
    failed = {name: item["error_code"] for name, item in items.items() if item["status"] == "failed"}
    assert failed == expected_failures
    good = {name for name, item in items.items() if item["status"] == "scored"}
    assert {"lloyds_banking_group_2018.pdf", "lv_2018.pdf", "bluebay_asset_management_2019.pdf"} <= good
    assert len(good) == 3 + len(list(PDF_SAMPLES.glob("*.pdf"))) - len(BAD_PDFS) - len(LOREM_IPSUM)
    assert items["lv_2018.pdf"]["elements"]["approval"]["present"] is True
    assert all(items[name]["error"] for name in failed)
    assert "failed: " in result.output and "[DC102] PDF is encrypted" in result.output
    # Lorem ipsum is reported in its language, not scored as an empty English statement.
    assert all(items[name]["language"] == "la" and "Latin" in items[name]["error"] for name in LOREM_IPSUM)


@pytest.mark.slow
def test_password_option_opens_encrypted_pdf(tmp_path):
    pdf = PDF_SAMPLES / "005-libreoffice-writer-password_libreoffice-writer-password.pdf"
    out = tmp_path / "opened.json"
    result = run("score", str(pdf), "--password", "openpassword", "--db", ":memory:", "--model", MODEL, "-q",
                 "--out", str(out))
    [item] = json.loads(out.read_text())
    # It opens, and then reads as what it is: Lorem ipsum, so DC105 (not English), not DC102 (encrypted).
    assert result.exit_code == 1 and item["error_code"] == "DC105" and item["language"] == "la"


@pytest.mark.slow
def test_csv_and_parquet_exports(tmp_path):
    for suffix in (".csv", ".parquet"):
        out = tmp_path / f"results{suffix}"
        result = run("score", str(SAMPLES / "lv_2018.pdf"), str(SAMPLES / "visa_2016.pdf"), "--out", str(out),
                     "--db", ":memory:", "--model", MODEL, "-q")
        assert result.exit_code == 0
        frame = pd.read_csv(out) if suffix == ".csv" else pd.read_parquet(out)
        assert len(frame) == 2
        for element in ELEMENT_IDS:
            assert {f"{element}_present", f"{element}_confidence", f"{element}_page"} <= set(frame.columns)
        assert bool(frame.loc[frame["document"].str.endswith("lv_2018.pdf"), "approval_present"].iloc[0])


def test_unknown_output_format_is_a_clean_error(tmp_path):
    result = run("score", str(SAMPLES / "lv_2018.pdf"), "--out", str(tmp_path / "x.xlsx"), "--db", ":memory:",
                 "--model", MODEL, "-q")
    assert result.exit_code == 2
    assert "Error: [DC600]" in result.output and "unknown output format '.xlsx'" in result.output


def test_missing_model_is_a_clean_error(tmp_path):
    result = run("score", str(SAMPLES / "lv_2018.pdf"), "--db", ":memory:", "--model", str(tmp_path))
    assert result.exit_code == 2
    assert "[DC300]" in result.output and "disclosure-check train" in result.output


@pytest.mark.slow
def test_evaluate_json_and_predictions(tmp_path):
    frame = pd.read_csv(AIMS / "aims_au_sentences.csv")
    subset = frame[frame["statement_id"].isin(frame["statement_id"].unique()[:5])]
    labels = tmp_path / "labels.csv"
    subset.to_csv(labels, index=False)
    predictions = tmp_path / "pred.csv"
    result = run("evaluate", str(labels), "--json", "--predictions", str(predictions), "--model", MODEL)
    assert result.exit_code == 0
    report = json.loads(result.output)
    assert set(report) == {"criteria", "macro_f1"}
    assert set(report["criteria"]["Approval"]) == {"precision", "recall", "f1", "support"}
    with_positives = [v["f1"] for v in report["criteria"].values() if v["support"] > 0]
    assert report["macro_f1"] == pytest.approx(sum(with_positives) / len(with_positives), abs=1e-3)
    out = pd.read_csv(predictions)
    assert len(out) == len(subset)
    assert {"pred_Approval", "prob_Approval", "pred_C6 (consultation)"} <= set(out.columns)
    assert set(out["pred_Approval"].unique()) <= {0, 1}


@pytest.mark.slow
def test_evaluate_table_on_a_file_with_some_labels(tmp_path):
    frame = pd.read_csv(AIMS / "aims_ca_sentences.csv")[["statement_id", "sentence_index", "sentence", "Approval"]]
    labels = tmp_path / "approval_only.csv"
    frame.head(400).to_csv(labels, index=False)
    result = run("evaluate", str(labels), "--model", MODEL)
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].split() == ["label", "precision", "recall", "f1", "support"]
    assert lines[1].startswith("Approval")
    assert lines[-1].startswith("macro F1 (labels with positives)")


def test_rubric_validate(tmp_path):
    ok = run("rubric", "validate")
    assert ok.exit_code == 0
    assert ok.output == ("OK: maturity@1.8.1 (bundled): 11 elements, 113 patterns, 5 cue groups, "
                         "146 example sentences checked, 7 themes, 20 criteria, 5 levels\n")
    base = ROOT / "src/disclosure_check/rubrics/disclosure.v1.yaml"
    assert run("rubric", "validate", str(base)).output == (
        f"OK: disclosure@1.3.3 ({base}): 11 elements, 41 patterns, 5 cue groups, 54 example sentences checked, "
        "0 themes, 0 criteria, 0 levels\n")
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\nversion: '1'\ntitle: t\nelements: [{id: approval}]\n")
    result = run("rubric", "validate", str(bad))
    assert result.exit_code == 2
    # what (every missing field, named by its place and id), where (the file) and how to fix, on one line
    assert result.output == (f"Error: [DC200] {bad}: invalid rubric: elements[0] (id 'approval').label: Field required; "
                             "elements[0] (id 'approval').name: Field required; elements[0] (id 'approval').definition: "
                             "Field required Fix: correct the named field (see docs/rubric.md for the format)\n")
    # a pattern that no longer matches the real sentence it was written for fails too, naming both
    edited = tmp_path / "edited.yaml"
    data = bundled_data("disclosure")
    pattern = next(p for e in data["elements"] for p in e.get("patterns", ()) if p.get("examples") and p.get("phrases"))
    pattern["phrases"] = ["a phrase no statement uses"]
    write_rubric(edited, data)
    broken = run("rubric", "validate", str(edited))
    assert broken.exit_code == 2 and f"pattern '{pattern['id']}' does not match its example" in broken.output
    assert "Fix: correct the pattern, or the example if it was wrong" in broken.output


@pytest.mark.parametrize("command", [[], ["score"], ["evaluate"], ["train"], ["rubric"], ["rubric", "validate"]])
def test_help_everywhere(command):
    result = run(*command, "--help")
    assert result.exit_code == 0 and "Usage:" in result.output


def test_module_entry_point():
    done = subprocess.run([sys.executable, "-m", "disclosure_check", "--version"], capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout.startswith("disclosure-check, version")


@pytest.mark.slow
def test_export_applies_reviewer_decisions(tmp_path):
    db = tmp_path / "r.db"
    run("score", str(SAMPLES / "lv_2018.pdf"), "--db", str(db), "--model", MODEL, "-q")
    from disclosure_check.store.store import Store

    with Store(db) as store:
        [item] = store.reviewed_results(apply=False)
        store.add_review(item["doc_id"], "element", "approval", "reject", reviewer="A. Reviewer",
                         previous_value="True", comment="approval was by a committee")
    out = tmp_path / "reviewed.csv"
    result = run("export", "--db", str(db), "--out", str(out))
    assert result.output == f"Exported 1 result(s), 1 reviewed (0 verified, 0 disputed), to {out}\n"
    frame = pd.read_csv(out)
    assert bool(frame.loc[0, "reviewed"]) and not bool(frame.loc[0, "approval_present"])
    # verification: the document and the decided element by one reviewer; an undecided check by the machine
    assert (frame.loc[0, "verification"], frame.loc[0, "decisions"]) == ("reviewed", 1)
    assert (frame.loc[0, "approval_verification"], frame.loc[0, "approval_reviewers"]) == ("reviewed", "A. Reviewer")
    assert frame.loc[0, "approval_decided_at"].startswith("20")
    assert frame.loc[0, "C02_verification"] == "machine" and frame.loc[0, "C02_decisions"] == 0


def test_report_fails_with_the_documents_own_code_and_exit_1(tmp_path):
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")
    result = run("report", str(bad), "--out", str(tmp_path / "r.md"), "--model", MODEL, "--db", str(tmp_path / "r.db"))
    assert result.exit_code == 1 and not (tmp_path / "r.md").exists()
    assert f"Error: [DC103] {bad}: " in result.output
    too_long = run("report", str(SAMPLES / "lv_2018.pdf"), "--out", str(tmp_path / "lv.md"), "--model", MODEL,
                   "--max-pages", "1")
    assert too_long.exit_code == 1 and "[DC101]" in too_long.output and "over the 1-page limit" in too_long.output


@pytest.mark.slow
def test_report_scores_under_the_limits_in_a_worker(tmp_path):
    out = tmp_path / "lv.md"
    result = run("report", str(SAMPLES / "lv_2018.pdf"), "--out", str(out), "--model", MODEL, "--time-limit", "120",
                 "--memory-limit", "1024", "--password", "not-needed")
    assert result.exit_code == 0 and result.output == f"Wrote {out}\n"
    assert "Liverpool Victoria" in out.read_text()


def test_score_help_shows_the_limits_and_their_defaults():
    result = run("score", "--help")
    text = " ".join(result.output.split())
    assert "--time-limit SECONDS" in text and "[default: 300; x>0]" in text
    assert "--memory-limit MB" in text and "[default: 2048; x>=1]" in text and "--retry-failed" in text


# --- options checked before any work; read commands never create a database ------------------------

@pytest.mark.parametrize("command", [["export", "--out", "{tmp}/x.json"], ["review", "examples", "--out", "{tmp}/x.csv"],
                                     ["agreement", "--out", "{tmp}/x.csv"],
                                     ["staff", "list"], ["shares", "list"]])
def test_a_read_command_with_a_mistyped_database_refuses_and_creates_nothing(tmp_path, command):
    typo = tmp_path / "disclosure_chek.db"
    args = [a.format(tmp=tmp_path) for a in command] + ["--db", str(typo)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    assert "no database at this path" in result.output and "disclosure-check score" in result.output
    assert not typo.exists() and not (tmp_path / "x.json").exists()


@pytest.mark.parametrize("out, fmt, message", [
    ("r.docx", None, "cannot write a report as '.docx'"),
    ("r", None, "no extension"),
    ("r.md", "html", "--format html does not match"),
])
def test_report_refuses_an_output_it_cannot_write_before_scoring(tmp_path, out, fmt, message):
    args = ["report", str(SAMPLES / "lv_2018.pdf"), "--out", str(tmp_path / out)] + (["--format", fmt] if fmt else [])
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2 and message in result.output
    assert not (tmp_path / out).exists()


def test_report_format_follows_the_output_extension():
    from disclosure_check.cli.report import report_output

    assert report_output(None, Path("out/lv.HTML"), Path("lv.pdf")) == ("html", Path("out/lv.HTML"))
    assert report_output(None, None, Path("a/lv_2018.pdf")) == ("md", Path("lv_2018.report.md"))
    assert report_output("pdf", None, Path("lv.pdf")) == ("pdf", Path("lv.report.pdf"))


@pytest.mark.parametrize("command", [["review", "export", "--db", "{tmp}/none.db", "--out", "{tmp}/trail.xlsx"],
                                     ["review", "examples", "--db", "{tmp}/none.db", "--out", "{tmp}/ex.json"],
                                     ["rubric", "sample-hits", "--out", "{tmp}/hits.txt"]])
def test_a_csv_output_with_another_extension_is_refused_before_any_work(tmp_path, command):
    result = run(*[part.format(tmp=tmp_path) for part in command])
    assert result.exit_code == 2 and "this writes CSV" in result.output and "end --out with .csv" in result.output
    assert list(tmp_path.iterdir()) == []  # no database opened, nothing sampled or written
