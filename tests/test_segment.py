"""Sentence segmentation on extracted real statements."""

from __future__ import annotations

from disclosure_check.read.segment import (
    _YEAR_LINE,
    document_to_sentences,
    is_sentence_like,
    split_glued_heading,
    strip_marker,
    texts_to_sentences,
)


def test_sentences_carry_page_offsets_and_heading(documents):
    doc = documents["lloyds_banking_group_2018"]
    sentences = document_to_sentences(doc)
    assert len(sentences) > 100
    for s in sentences:
        assert doc.text[s.start:s.end] == s.text
        assert 1 <= s.page <= len(doc.pages)
    # Headings are sentences too (so "Approved by the Board" lines reach the classifiers), and head
    # the sentences under them.
    assert (sentences[0].kind, sentences[0].text) == ("heading", "MODERN SLAVERY AND HUMAN TRAFFICKING STATEMENT")
    first = next(s for s in sentences if s.kind == "paragraph" and s.text.startswith("We are"))
    assert first.heading == "About Lloyds Banking Group"
    assert first.text == ("We are a UK financial services provider with around 26 million customers and a "
                          "presence in nearly every community.")
    assert [s.index for s in sentences] == list(range(len(sentences)))
    pages = [s.page for s in sentences]
    assert pages == sorted(pages)


def test_list_items_lose_their_markers_and_no_junk_sentences(documents):
    for name, doc in documents.items():
        for s in document_to_sentences(doc):
            assert not s.text.startswith(("•", "-", "–", "(cid")), (name, s.text)
            # a line that is only a date or year ("February 2019" under the title) is kept for the gate's period
            assert is_sentence_like(s.text) or _YEAR_LINE.fullmatch(s.text), (name, s.text)
    texts = [s.text for s in document_to_sentences(documents["lloyds_banking_group_2018"])]
    assert "Reviewing our supply chain risk assessment processes" in texts


def test_signature_blocks_are_one_sentence_each_with_their_boxes(documents):
    doc = documents["lloyds_banking_group_2018"]
    signatures = [s for s in document_to_sentences(doc) if s.kind == "signature_block"]
    assert [s.text for s in signatures] == ["Signed by\nLord Blackwell Chairman",
                                            "António Horta-Osório Group Chief Executive"]
    for s in signatures:
        assert s.page == 7 and s.boxes and all(b.page == 7 for b in s.boxes)
        assert len(s.boxes) == s.text.count("\n") + 1  # one box per line


def test_glued_heading_is_split_from_the_sentence():
    # A real sentence from the AIMS.au corpus (statement 248), heading glued by the PDF-to-text step.
    heading, rest = split_glued_heading(
        "OUR STRUCTURE, OPERATIONS AND SUPPLY CHAINS Organisational structure Southern Cross Media Group "
        "Limited is an Australian public company listed on the Australian Securities Exchange")
    assert heading == "OUR STRUCTURE, OPERATIONS AND SUPPLY CHAINS"
    assert rest.startswith("Organisational structure Southern Cross")
    assert split_glued_heading("UK law requires companies to report.") == (None, "UK law requires companies to report.")
    assert split_glued_heading("The ABC of risk") == (None, "The ABC of risk")


def test_markers_and_fragments():
    assert strip_marker("• Supplier audits") == (2, "Supplier audits")
    assert strip_marker("(a) Supplier audits")[1] == "Supplier audits"
    assert strip_marker("3. Training")[1] == "Training"
    assert strip_marker("2018 was a year")[1] == "2018 was a year"
    assert not is_sentence_like("12")
    assert not is_sentence_like("• 3")
    assert is_sentence_like("Chief Executive")


def test_abbreviations_do_not_split_sentences():
    sentences = texts_to_sentences(["Our suppliers, e.g. cleaning and catering firms, sign our code. We audit them."])
    assert [s.text for s in sentences] == [
        "Our suppliers, e.g. cleaning and catering firms, sign our code.", "We audit them."]


def _doc(blocks):
    from disclosure_check.types import Block, Document, Metadata, Page
    out, offset = [], 0
    for kind, body, cells in blocks:
        out.append(Block(page=1, kind=kind, text=body, start=offset, end=offset + len(body), cells=cells))
        offset += len(body) + 2
    text = "\n\n".join(b for _, b, _ in blocks)
    return Document(doc_id="d", path="d", metadata=Metadata(), pages=(Page(1, 595.0, 842.0, True, text),),
                    blocks=tuple(out), text=text, language="en")


def test_table_cells_of_numbers_are_not_sentences_but_a_one_word_signature_line_is():
    doc = _doc([("paragraph", "We audited our suppliers during the year.", ()),
                ("table_row", "Supplier audits | 12 | 15", ("Supplier audits", "12", "15")),
                ("table_row", "Cases | 0 | n/a", ("Cases", "0", "n/a")),
                ("table_row", "Role | CEO", ("Role", "CEO")),
                ("signature_block", "Director", ())])
    texts = [(s.kind, s.text) for s in document_to_sentences(doc)]
    assert texts == [("paragraph", "We audited our suppliers during the year."),
                     ("table_row", "Supplier audits"), ("signature_block", "Director")]


def test_a_year_or_date_line_is_kept_but_not_in_a_table():
    # UK gate test2 rows 21 and 168, dev row 200: the period on a line of its own under the title or cue
    doc = _doc([("heading", "Slavery and human trafficking statement", ()),
                ("paragraph", "2016 - 2017", ()),
                ("paragraph", "This statement is made for the financial year ending 31", ()),
                ("heading", "December 2018", ()),
                ("table_row", "Year | 2016 | 2017", ("Year", "2016", "2017")),
                ("paragraph", "12", ())])
    texts = [s.text for s in document_to_sentences(doc)]
    assert texts == ["Slavery and human trafficking statement", "2016 - 2017",
                     "This statement is made for the financial year ending 31", "December 2018"]


def test_a_date_line_closing_its_sentence_is_kept():
    # UK test5 row 790: "... for the financial year 1st January - 31st" / "December 2018." (the text's last line)
    doc = _doc([("paragraph", "This statement relates to actions and activities for the financial year 1st January - 31st",
                 ()), ("paragraph", "December 2018.", ())])
    assert [s.text for s in document_to_sentences(doc)][-1] == "December 2018."


def test_a_company_name_ending_in_plc_with_full_stops_does_not_end_the_sentence():
    # UK gate test2 row 885: "approved by the A.G.BARR p.l.c." / "board of directors on 31 May 2017"
    doc = _doc([("paragraph", "This statement was approved by the A.G.BARR p.l.c. board of directors on 31 May 2017. "
                              "Roger White signed it.", ())])
    assert [s.text for s in document_to_sentences(doc)] == [
        "This statement was approved by the A.G.BARR p.l.c. board of directors on 31 May 2017.", "Roger White signed it."]
