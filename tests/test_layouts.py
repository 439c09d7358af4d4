"""Extraction of designed layouts, against what a careful reader extracts (tests/fixtures/layouts/*.golden.json).

The fixtures are small PDFs made by scripts/make_layout_fixtures.py from real statement text:
columns, a sidebar with a pull quote, tables, signature blocks, a landscape spread, running lines.
"""

from __future__ import annotations

import difflib
import json
import re
from pathlib import Path

import pytest

from disclosure_check.read.extract import pdf_to_document
from disclosure_check.read.segment import document_to_sentences

LAYOUTS = Path(__file__).parent / "fixtures" / "layouts"
TEXT_LAYOUTS = ("three_columns", "sidebar", "table_in_text", "grouped_table", "signature_block", "landscape_spread",
                "two_pages_running_lines")


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def golden(name: str) -> dict:
    return json.loads((LAYOUTS / f"{name}.golden.json").read_text())


@pytest.fixture(scope="module")
def extracted():
    return {name: pdf_to_document(LAYOUTS / f"{name}.pdf") for name in TEXT_LAYOUTS}


@pytest.mark.slow
@pytest.mark.parametrize("name", TEXT_LAYOUTS)
def test_every_block_comes_out_whole_with_its_kind_in_reading_order(extracted, name):
    doc = extracted[name]
    expected = [(b["kind"], norm(b["text"])) for b in golden(name)["blocks"]]
    got = [(b.kind, norm(b.text)) for b in doc.blocks]
    # Running headers and footers are the only extra text allowed (a one-page spread cannot tell its
    # header from a title by repetition).
    furniture = {norm(f["text"]) for f in golden(name).get("furniture", [])}
    assert [g for g in got if g in expected or g[1] not in furniture] == expected


@pytest.mark.parametrize("name", TEXT_LAYOUTS)
def test_every_word_has_its_box_on_its_page(extracted, name):
    doc = extracted[name]
    for block in doc.blocks:
        assert block.spans, block
        for span in block.spans:
            page = doc.pages[span.page - 1]
            assert doc.text[span.start:span.end].strip()
            assert 0 <= span.x0 < span.x1 <= page.width + 1 and 0 <= span.top < span.bottom <= page.height + 1


def test_three_columns_read_column_by_column_with_sentences_across_the_gutters(extracted):
    doc = extracted["three_columns"]
    assert doc.pages[0].columns == 3
    sentences = document_to_sentences(doc)
    # "…brands that include | the UK's largest hotel business…" runs from column 1 into column 2.
    crossing = next(s for s in sentences if "brands that include the UK’s largest hotel business" in s.text)
    columns = {round(b.x0) for b in crossing.boxes}
    assert min(columns) < 60 and max(columns) > 200  # boxes in the first and the second column
    assert all(b.page == 1 for b in crossing.boxes)


def test_running_headers_footers_and_page_numbers_are_dropped(extracted):
    doc = extracted["two_pages_running_lines"]
    assert all(f"Page {n} of 3" not in doc.text for n in (1, 2, 3))
    # The running header repeats at the top of all three pages; only the title, once, is left.
    assert doc.text.count("Modern Slavery Statement 2016/17") == 1
    assert doc.blocks[0].kind == "heading" and doc.blocks[0].spans[0].top > 60  # the title, below the header band
    # The paragraph cut by the page break is one block that starts on page 1 and ends on page 2.
    [block] = [b for b in doc.blocks if "Our non-food products are mainly procured" in b.text]
    assert block.page == 1 and {s.page for s in block.spans} == {1, 2}


def test_tables_come_out_as_rows_of_cells_outside_the_running_text(extracted):
    doc = extracted["table_in_text"]
    rows = [b for b in doc.blocks if b.kind == "table_row"]
    expected = [b for b in golden("table_in_text")["blocks"] if b["kind"] == "table_row"]
    assert [list(r.cells) for r in rows] == [b["cells"] for b in expected]
    assert rows[0].cells == ("Name of policy or procedure", "Approval date", "Rights holders",
                             "Human rights issue addressed")
    # The paragraph after the table is whole and no cell text ran into it.
    paragraphs = [b.text for b in doc.blocks if b.kind == "paragraph"]
    assert not any("Approval date" in p or "2010 |" in p for p in paragraphs)
    # Each cell is its own sentence, with its row in the document text.
    cells = [s.text for s in document_to_sentences(doc) if s.kind == "table_row"]
    assert "Freedom of association and collective bargaining" in cells


def test_signature_blocks_are_found_beside_each_other_with_their_boxes(extracted):
    doc = extracted["signature_block"]
    blocks = [b for b in doc.blocks if b.kind == "signature_block"]
    assert [b.text for b in blocks] == [
        "Signed: Helen Marsh\nHelen Marsh\nChief Executive Officer\nDate: 12 May 2017",
        "Signed: Richard Okafor\nRichard Okafor\nDirector and Company Secretary\nDate: 12 May 2017"]
    regions = ([64, 676, 279, 750], [314, 676, 529, 750])  # where the fixture draws them, page 2
    for block, (x0, top, x1, bottom) in zip(blocks, regions, strict=True):
        boxes = block.boxes
        assert len(boxes) >= 4 and all(b.page == 2 for b in boxes)  # a line per box, or more for mixed type
        assert all(x0 - 2 <= b.x0 and b.x1 <= x1 + 2 and top - 12 <= b.top and b.bottom <= bottom + 4 for b in boxes)
    # The approval sentence before them reaches the classifiers as a sentence of its own.
    sentences = [s.text for s in document_to_sentences(doc)]
    assert any(s.startswith("This statement was approved by the Board of Directors") for s in sentences)


def test_pull_quote_and_caption_do_not_break_the_sentence_they_interrupt(extracted):
    doc = extracted["sidebar"]
    texts = [b.text for b in doc.blocks]
    body = next(t for t in texts if t.startswith("But there is more to us than the drinks we make."))
    assert "“tastes good, does good” and that means good for your body" in body
    kinds = {b.text: b.kind for b in doc.blocks}
    assert kinds[next(t for t in texts if t.startswith("Figure 1:"))] == "caption"
    # The sidebar is read after the body column, not interleaved with it.
    assert texts.index(next(t for t in texts if t.startswith("At a glance"))) > texts.index(body)


def test_a_landscape_spread_reads_left_page_then_right_page(extracted):
    doc = extracted["landscape_spread"]
    assert doc.pages[0].width > doc.pages[0].height and doc.pages[0].columns == 4
    text = norm(doc.text)
    assert "Global Sourcing Principles (GSP) have applied to product suppliers" in text  # across the fold
    order = [b["text"][:40] for b in golden("landscape_spread")["blocks"]]
    positions = [text.find(norm(t)) for t in order]
    assert -1 not in positions and positions == sorted(positions)


@pytest.mark.slow
def test_a_table_ruled_around_groups_of_rows_reads_row_by_row(extracted):
    """Rules drawn only around groups of rows put a column of rows in each ruled cell (Sella's and
    Comgest's statements): a person reads each line across, label then its figures."""
    doc = extracted["grouped_table"]
    rows = [list(b.cells) for b in doc.blocks if b.kind == "table_row"]
    assert rows == [b["cells"] for b in golden("grouped_table")["blocks"] if b["kind"] == "table_row"]
    assert rows[1] == ["Human rights and labour practices", "64", "5", "0"]
    assert rows[3] == ["Environmental sustainability", "39", "0", "0"]
    assert len(golden("grouped_table")["regions"]["grouped_table"]["ruled_groups"]) == 3  # header + 2 groups
    paragraphs = [b.text for b in doc.blocks if b.kind == "paragraph"]
    assert paragraphs[-1].startswith("By the end of 2015") and "|" not in paragraphs[-1]


def test_our_reading_order_beats_a_plain_extraction_on_every_layout(extracted):
    """The point of the layout analysis: pdfplumber's extract_text() (rows across the page) gets
    the column layouts wrong, ours gets their words in the golden order."""
    import pdfplumber

    for name in ("three_columns", "landscape_spread"):
        reference = words(" ".join(b["text"] for b in golden(name)["blocks"]))
        ours = difflib.SequenceMatcher(None, reference, words(extracted[name].text), autojunk=False).ratio()
        with pdfplumber.open(LAYOUTS / f"{name}.pdf") as pdf:
            plain = " ".join(page.extract_text() or "" for page in pdf.pages)
        theirs = difflib.SequenceMatcher(None, reference, words(plain), autojunk=False).ratio()
        assert ours >= 0.99 and ours > theirs + 0.2, (name, ours, theirs)
