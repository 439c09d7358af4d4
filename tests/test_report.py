"""The report command on a rendered real statement, in every format."""

from __future__ import annotations

import pdfplumber
import pytest
from click.testing import CliRunner

from conftest import ROOT, SAMPLES
from disclosure_check.cli import main

MODEL = str(ROOT / "models" / "default")


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["md", "html", "pdf"])
def test_report_has_gate_themes_gaps_and_quoted_evidence(tmp_path, fmt):
    out = tmp_path / f"lloyds.{fmt}"
    result = CliRunner().invoke(main, ["report", str(SAMPLES / "lloyds_banking_group_2018.pdf"), "--format", fmt,
                                       "--out", str(out), "--model", MODEL])
    assert result.exit_code == 0, result.output
    if fmt == "pdf":
        with pdfplumber.open(out) as pdf:
            text = "\n".join(page.extract_text(layout=False) or "" for page in pdf.pages)
    else:
        text = out.read_text()
    for expected in ("Statutory requirements", "Maturity by theme", "Gaps and recommendations",
                     "Financial levers", "C14 Portfolio coverage in the statement", "recommendation 5"):
        assert expected in text, expected
    flat = " ".join(text.split())
    # PDF table cells wrap and interleave when read back, so check the quote's opening words there.
    quote = "This Statement was approved" if fmt == "pdf" else "This Statement was approved by the Board of Lloyds"
    assert quote in flat
    assert "(p. 1" in text


@pytest.mark.slow
def test_a_report_is_titled_by_organisation_and_year_dated_noticed_numbered_and_readable(tmp_path, monkeypatch):
    """Visa's statement names Visa Inc.: the title says so with the year (not the file name); every
    format says when it was made and that it is an automated assessment to check; every PDF page is
    numbered "page N of M"; the file is readable by others under the usual umask (not mkstemp's 0600)."""
    import datetime
    import os
    import stat

    os.umask(0o022)
    today = datetime.date.today().isoformat()
    for fmt in ("md", "pdf"):
        out = tmp_path / f"visa.{fmt}"
        result = CliRunner().invoke(main, ["report", str(SAMPLES / "visa_2016.pdf"), "--format", fmt, "--out", str(out),
                                           "--model", MODEL])
        assert result.exit_code == 0, result.output
        assert stat.S_IMODE(out.stat().st_mode) == 0o644
        if fmt == "md":
            text = out.read_text()
            assert text.splitlines()[0] == "# Modern slavery assessment: Visa Inc\\. 2016"
            made = "Report made " + today.replace("-", "\\-") + " from visa\\_2016\\.pdf"
            assert made in text
            assert "Automated assessment: decision support" in text and "before you rely on it" in text
        else:
            with pdfplumber.open(out) as pdf:
                pages = [" ".join((page.extract_text() or "").split()) for page in pdf.pages]
                assert pdf.metadata["Title"] == "Modern slavery assessment: Visa Inc. 2016"
            assert len(pages) > 1
            for number, text in enumerate(pages, 1):
                assert f"page {number} of {len(pages)}" in text
                assert "automated assessment: decision support, check before you rely on it" in text


def test_report_on_a_bad_file_is_a_clean_error(tmp_path):
    pdf = ROOT / "tests/fixtures/pdf_samples/007-imagemagick-images_imagemagick-images.pdf"
    result = CliRunner().invoke(main, ["report", str(pdf), "--out", str(tmp_path / "x.md"), "--model", MODEL])
    assert result.exit_code == 1 and "[DC104]" in result.output and "text layer" in result.output
    assert not (tmp_path / "x.md").exists()


def test_maturity_is_stored_for_queries(scored_sample):
    from disclosure_check.store.store import Store

    result = scored_sample("lv_2018")
    with Store(":memory:") as store:
        store.save(result)
        store.save(result)
        row = store.conn.execute("SELECT doc_type, financial, subsector, statutory_met, overall_level FROM results"
                                 ).fetchone()
        assert tuple(row) == ("statement", 1, "insurer", 1, result.maturity.overall)
        assert store.table_count("criterion_results") == 20 and store.table_count("theme_results") == 7


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["md", "html", "pdf"])
def test_a_report_that_fails_halfway_leaves_the_previous_one(tmp_path, scored_sample, rubric, monkeypatch, fmt):
    from disclosure_check.present import report
    from disclosure_check.present.export import result_to_dict

    item = result_to_dict(scored_sample("lv_2018"))
    path = tmp_path / f"lv.{fmt}"
    report.write_report(item, rubric, path, fmt)
    before = path.read_bytes()

    def broken(*args):
        if fmt == "pdf":
            args[1].write_bytes(b"%PDF-1.4 half a report")
        raise MemoryError("killed halfway")

    monkeypatch.setattr(report, {"md": "to_markdown", "html": "to_html", "pdf": "to_pdf"}[fmt], broken)
    with pytest.raises(MemoryError):
        report.write_report(item, rubric, path, fmt)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == [path.name]
