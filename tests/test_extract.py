"""Extraction on rendered real statements and on real-world PDFs (good and bad)."""

from __future__ import annotations

import difflib
import hashlib
import re
import shutil

import pytest

from conftest import BAD_PDFS, PDF_SAMPLES, SAMPLES, sample_source
from disclosure_check.errors import (
    CorruptPDFError,
    FileTooLargeError,
    InputError,
    NoTextLayerError,
)
from disclosure_check.read.dates import parse_pdf_date
from disclosure_check.read.extract import pdf_to_document


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def words(text: str) -> list[str]:
    return re.findall(r"\w+(?:[-'’]\w+)*", text.lower())


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(p.stem for p in SAMPLES.glob("*.pdf")))
def test_sample_text_matches_the_rendered_source(documents, name):
    source = sample_source(name)
    doc = documents[name]
    source_words = words(" ".join(b["text"] for b in source["blocks"]))
    ratio = difflib.SequenceMatcher(None, source_words, words(doc.text), autojunk=False).ratio()
    assert ratio >= 0.99, f"{name}: word sequence similarity {ratio:.4f}"
    blocks = {norm(b.text) for b in doc.blocks}
    recall = sum(norm(b["text"]) in blocks for b in source["blocks"]) / len(source["blocks"])
    assert recall >= 0.85, f"{name}: only {recall:.0%} of source paragraphs came out whole"


@pytest.mark.slow
def test_two_column_pages_read_left_column_first(documents):
    doc = documents["barclays_2019"]
    assert [p.columns for p in doc.pages] == [2, 2, 2, 2, 2]
    # This paragraph wraps over many lines of the left column of page 1, next to the right column.
    paragraph = next(b["text"] for b in sample_source("barclays_2019")["blocks"]
                     if b["text"].startswith("This statement1 covers our direct operations"))
    assert norm(paragraph) in {norm(b.text) for b in doc.blocks}


def test_real_world_two_column_latex_paper_is_read_in_column_order():
    doc = pdf_to_document(PDF_SAMPLES / "026-latex-multicolumn_multicolumn.pdf")
    assert doc.pages[0].columns == 2
    paragraphs = [b.text for b in doc.blocks if b.kind == "paragraph"]
    # Starts at the foot of the left column and ends at the top of the right one: one paragraph.
    crossing = next(p for p in paragraphs if p.startswith("Nulla malesuada porttitor diam."))
    assert crossing.endswith("Vestibulum pellentesque felis eu massa.")
    assert "Proin fermentum massa ac quam" in crossing
    # Paragraphs that the author started (first-line indent) stay separate.
    assert any(p.startswith("Nam dui ligula") and p.endswith("luctus mauris.") for p in paragraphs)


def test_running_headers_footers_and_page_numbers_are_removed(documents):
    for name, doc in documents.items():
        organisation = sample_source(name)["organisation"]
        assert f"{organisation} - Modern Slavery Statement" not in doc.text, name
        assert not re.search(r"\bPage \d+\b", doc.text), name
        assert not re.search(r"^- \d+ -$", doc.text, re.M), name


def test_words_hyphenated_across_lines_are_rejoined(documents):
    # The renderer hyphenates long words at line ends (pyphen); they must come back whole. A compound
    # broken exactly at its own hyphen ("cloud-/based") that the document never writes whole elsewhere
    # is undecidable without a dictionary, so two such words per document are tolerated.
    for name, doc in documents.items():
        source_vocabulary = set(words(" ".join(b["text"] for b in sample_source(name)["blocks"])))
        missing = {w for w in source_vocabulary - set(words(doc.text)) if len(w) > 3}
        assert len(missing) <= 2, f"{name}: {sorted(missing)}"
    assert "BlueBay" in documents["bluebay_asset_management_2019"].text
    assert "Blue-Bay" not in documents["bluebay_asset_management_2019"].text


def test_bullets_become_list_items_and_headings_are_found(documents):
    doc = documents["lloyds_banking_group_2018"]
    kinds = {b.kind for b in doc.blocks}
    assert kinds == {"heading", "paragraph", "list_item", "signature_block"}
    assert any(b.kind == "heading" and b.text == "About Lloyds Banking Group" for b in doc.blocks)
    items = [b.text for b in doc.blocks if b.kind == "list_item"]
    assert "Reviewing our supply chain risk assessment processes" in items
    assert not any(t.startswith(("•", "(cid")) for t in items)


def test_signature_blocks_are_found_one_per_signatory(documents):
    blocks = [b for b in documents["lloyds_banking_group_2018"].blocks if b.kind == "signature_block"]
    assert [b.text for b in blocks] == ["Signed by\nLord Blackwell Chairman", "António Horta-Osório Group Chief Executive"]
    assert {b.page for b in blocks} == {7}
    bluebay = [b.text for b in documents["bluebay_asset_management_2019"].blocks if b.kind == "signature_block"]
    assert len(bluebay) == 3 and bluebay[0].startswith("James Brace Designated Member")
    assert bluebay[-1].endswith("Date: 31 March 2019")


def test_metadata_offsets_and_content_hash(documents):
    doc = documents["munich_re_2018"]
    path = SAMPLES / "munich_re_2018.pdf"
    assert doc.doc_id == hashlib.sha256(path.read_bytes()).hexdigest()
    assert doc.metadata.title == "Munich Re - Modern Slavery Statement"
    assert doc.metadata.producer and "ReportLab" in doc.metadata.producer
    assert doc.metadata.created == "2000-01-01T00:00:00+00:00"  # reportlab's invariant mode date
    for block in doc.blocks:
        assert doc.text[block.start:block.end] == block.text
    assert doc.pages_without_text == ()
    assert [p.number for p in doc.pages] == [1, 2, 3]


@pytest.mark.parametrize("name,code", sorted(BAD_PDFS.items()))
def test_bad_real_world_pdfs_raise_clear_errors(name, code):
    with pytest.raises(InputError) as info:
        pdf_to_document(PDF_SAMPLES / name)
    assert info.value.code == code
    assert name in info.value.message and "Fix:" in info.value.message


def test_encrypted_pdf_opens_with_its_password():
    doc = pdf_to_document(PDF_SAMPLES / "005-libreoffice-writer-password_libreoffice-writer-password.pdf",
                          password="openpassword")
    assert doc.text.strip()


def test_scanned_pdf_is_reported_as_having_no_text_layer():
    with pytest.raises(NoTextLayerError, match="scanned"):
        pdf_to_document(PDF_SAMPLES / "007-imagemagick-images_imagemagick-images.pdf")


@pytest.mark.parametrize("name", sorted(p.name for p in PDF_SAMPLES.glob("*.pdf") if p.name not in BAD_PDFS))
def test_other_real_world_pdfs_extract(name):
    doc = pdf_to_document(PDF_SAMPLES / name)
    assert doc.pages and doc.text.strip()


def test_unreadable_metadata_costs_nothing():
    doc = pdf_to_document(PDF_SAMPLES / "017-unreadable-meta-data_unreadablemetadata.pdf")
    assert "Rotary Potentiometer" in doc.text
    assert "DDaattaa" not in doc.text  # overprinted fake-bold glyphs are deduplicated


def test_empty_truncated_and_fake_pdfs(tmp_path):
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    fake = tmp_path / "fake.pdf"
    fake.write_text("hello")
    data = (SAMPLES / "lv_2018.pdf").read_bytes()
    truncated = tmp_path / "truncated.pdf"
    truncated.write_bytes(data[: len(data) // 3])
    for path in (empty, fake, truncated):
        with pytest.raises(CorruptPDFError):
            pdf_to_document(path)
    with pytest.raises(InputError, match="not found"):
        pdf_to_document(tmp_path / "missing.pdf")


def test_size_and_page_limits(tmp_path):
    path = tmp_path / "big.pdf"
    shutil.copy(SAMPLES / "lloyds_banking_group_2018.pdf", path)
    with pytest.raises(FileTooLargeError, match="MiB"):
        pdf_to_document(path, max_bytes=1000)
    with pytest.raises(FileTooLargeError, match="7 pages"):
        pdf_to_document(path, max_pages=5)


def test_pdf_dates():
    assert parse_pdf_date("D:20190412101500+01'00'") == "2019-04-12T10:15:00+01:00"
    assert parse_pdf_date("D:20190412") == "2019-04-12T00:00:00"
    assert parse_pdf_date("D:20191312") is None
    assert parse_pdf_date("garbage") is None


def test_ligatures_pdfium_cannot_decode_are_mended_from_the_word_list():
    """Seen in real PDFs: an EDGAR filing's "ffi" read as "f" plus an invented space ("Of icer"), a
    designed report's "ff" mapped to a control code ("Su\\x80icient")."""
    from disclosure_check.read.ligatures import mend
    from disclosure_check.read.page_content import UNREADABLE, Word

    def word(text, x0, x1):
        return Word(text, x0, 100.0, x1, 110.0, 9.0, 1, False, False)

    mended = mend([word("Executive", 350, 402), word("Of", 404.9, 415.6), word("icer", 416.4, 430.5),
                   word("and", 432.1, 447.0), word("in", 450, 457), word("to", 459.5, 467)])
    assert [w.text for w in mended] == ["Executive", "Officer", "and", "in", "to"]  # a real space stays
    assert (mended[1].x0, mended[1].x1) == (404.9, 430.5)
    assert [w.text for w in mend([word(f"Su{UNREADABLE}icient", 72, 94)])] == ["Sufficient"]
    assert [w.text for w in mend([word(f"Xq{UNREADABLE}zz,", 72, 94)])] == ["Xqzz,"]  # no word: glyph dropped


# --- a file the process may not read; metadata one field of which cannot be decoded -------------
def unreadable_pdf(tmp_path):
    """A .pdf path the process cannot read: a copy with no permissions (not root), or, for root (who
    may read anything else), a link to a write-only sysfs attribute, which the kernel refuses to
    open for reading whoever asks."""
    import os

    path = tmp_path / "statement.pdf"
    if os.geteuid() != 0:
        shutil.copy(SAMPLES / "lv_2018.pdf", path)
        path.chmod(0)
        return path
    for target in ("/sys/bus/pci/rescan", "/sys/bus/pci/drivers_probe", "/sys/power/wakeup_count"):
        try:
            with open(target, "rb"):
                continue
        except PermissionError:
            path.symlink_to(target)
            return path
        except OSError:
            continue
    pytest.skip("no file here that root may not read")


def test_a_pdf_the_process_may_not_read_is_dc100_not_an_internal_error(tmp_path, scorer):
    path = unreadable_pdf(tmp_path)
    with pytest.raises(InputError, match=r"the file cannot be read \(Permission denied\)") as caught:
        pdf_to_document(path)
    assert caught.value.code == "DC100" and "permissions" in caught.value.fix
    failure = scorer.score_file(path)
    assert failure.code == "DC100" and failure.reason.startswith("the file cannot be read (Permission denied)")


def test_a_pdf_that_refuses_reading_after_its_checks_is_dc100(tmp_path, monkeypatch):
    """The permission bits allowed it, the open did not (a root-squashed share, an LSM)."""
    from pathlib import Path

    path = tmp_path / "statement.pdf"
    shutil.copy(SAMPLES / "lv_2018.pdf", path)
    real_open = Path.open

    def refusing_open(self, *args, **kwargs):
        if self == path:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refusing_open)
    with pytest.raises(InputError, match="cannot be read") as caught:
        pdf_to_document(path)
    assert type(caught.value) is InputError and caught.value.code == "DC100"


def test_one_metadata_field_that_cannot_be_decoded_keeps_the_others(tmp_path):
    """An Author in UTF-16 with a lone surrogate (D800): the Title, Producer and date are still read,
    and the Author keeps what can be read of it."""
    import hostile

    info = (b"<< /Title " + hostile.pdf_string("Acme Ltd Modern Slavery Statement 2023")
            + b" /Author <feffd800004100630020004c00740064> /Producer (Writer)"
            + b" /CreationDate (D:20230105120000Z) >>")
    path = tmp_path / "metadata.pdf"
    path.write_bytes(hostile.one_page(info=info))
    meta = pdf_to_document(path).metadata
    assert meta.title == "Acme Ltd Modern Slavery Statement 2023"
    assert meta.producer == "Writer" and meta.created == "2023-01-05T12:00:00+00:00"
    assert meta.author == "\ufffdAc Ltd"
