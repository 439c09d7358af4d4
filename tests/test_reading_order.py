"""Reading order on pages cut down from real reports where it went wrong, each drawn line by line
with reportlab at the real page's coordinates (a JPMorgan 10-Q's two-column pages, a fund report
whose scanned pages carry a scrambled font), and the text a careful reader takes from them."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest
from reportlab.pdfgen import canvas

from disclosure_check.read.extract import pdf_to_document
from disclosure_check.read.language import is_garbage
from disclosure_check.read.layout import lines_to_boxes, order_boxes, words_to_lines
from disclosure_check.read.page_content import read_page

HEIGHT = 792.0


def draw(path: Path, lines: list[tuple[float, float, str, str, float]]) -> Path:
    """(x, top, text, font, size) lines on a US Letter page."""
    page = canvas.Canvas(str(path), pagesize=(612, HEIGHT), invariant=1)
    for x, top, text, font, size in lines:
        page.setFont(font, size)
        page.drawString(x, HEIGHT - top - 0.8 * size, text)
    page.save()
    return path


def body(x: float, top: float, text: str) -> tuple[float, float, str, str, float]:
    return (x, top, text, "Helvetica", 9.0)


def test_a_line_joined_across_a_narrow_gutter_beside_a_bulleted_column_is_cut(tmp_path):
    # JPMorgan 10-Q p. 56: "…the wholesale" and the next column's indented "international consumer
    # initiatives." stood 5 ems apart, but the rows above and below ran across that gap (the left
    # column's longer lines, the right column's bullet and unindented text), so the gap passed for a
    # justified word space and the two columns' lines became one.
    pdf = draw(tmp_path / "gutter.pdf", [
        body(50, 100, "The Firm believes that deposits provide a stable source of"),
        body(322.5, 98, "\u2022"), body(329, 98, "an increase in Corporate related to the Firm's"),
        body(50, 112, "funding and reduce its reliance on the wholesale"),
        body(329, 112, "international consumer initiatives."),
        body(50, 124, "funding markets. A significant portion of the deposits"),
        body(320, 124, "Average deposits were lower for the six months ended"),
        body(50, 136, "are consumer deposits and wholesale operating deposits."),
        body(320, 136, "June 30, 2023 compared with the six months before."),
    ])
    doc = pdf_to_document(pdf)
    text = " ".join(b.text for b in doc.blocks)
    assert "reliance on the wholesale funding markets. A significant portion" in text
    assert "related to the Firm's international consumer initiatives." in text


def test_a_full_width_title_does_not_pull_the_right_column_into_the_left_columns_box(tmp_path):
    # JPMorgan 10-Q p. 20: the title over both columns made the left column's box as wide as the
    # page, so the right column's lines, set three quarters of a line lower, joined that box or closed
    # it under them; the paragraphs came out right only where rejoining repaired them.
    left = ["The Firm prepares its Consolidated Financial Statements in", "accordance with U.S. GAAP and this is",
            "referred to as the reported basis; these statements", "appear on pages 96-100 of this report.",
            "In addition to analyzing the results on a reported", "basis, the Firm also reviews and uses certain",
            "non-GAAP financial measures at the Firmwide and", "segment level. These measures include the ones",
            "listed in the column to the right of this one."]
    right = ["Pre-provision profit, which represents total net", "revenue less total noninterest expense; and",
             "net interest income, net yield, and noninterest", "revenue excluding Markets; and adjusted",
             "expense, which represents noninterest expense", "excluding Firmwide legal expense; and the",
             "allowance for loan losses to period-end loans", "retained, excluding trade finance and conduits."]
    title = "EXPLANATION AND RECONCILIATION OF THE FIRM'S USE OF NON-GAAP MEASURES"
    lines = [(52, 48, title, "Helvetica-Bold", 10.5)]
    lines += [body(50, 66 + 12 * i, text) for i, text in enumerate(left)]
    lines += [body(320, 75 + 12 * i, text) for i, text in enumerate(right)]
    pdf = draw(tmp_path / "title.pdf", lines)
    document = pdfium.PdfDocument(str(pdf))
    try:
        words = read_page(document[0], 1).words
    finally:
        document.close()
    boxes = order_boxes(lines_to_boxes(words_to_lines(words, 1)))
    assert [[line.text for line in box.lines] for box in boxes] == [[title, *left], right]
    doc = pdf_to_document(pdf)
    assert " ".join(b.text for b in doc.blocks) == " ".join([title, *left, *right])


def test_a_heading_under_the_left_column_heads_the_full_width_text_below_not_the_column(tmp_path):
    # JPMorgan 10-Q p. 56: "Deposits" sits under the left column, above a paragraph across the whole
    # page; the left column's last line is short, so "…from the IHC. The | Firm's non-bank…" was not
    # rejoined across the column break (a paragraph never ends on "The").
    left = ["The Firm funds its global balance sheet through", "diverse sources of funding including stable",
            "deposits, secured and unsecured funding in the", "capital markets and stockholders' equity. It may",
            "access funding through long-term secured", "borrowings, through the issuance of unsecured",
            "long-term debt, or from the IHC. The"]
    right = ["Firm's non-bank subsidiaries are primarily funded", "from long-term unsecured borrowings and",
             "short-term secured borrowings, which are mostly", "securities loaned or sold under repurchase",
             "agreements."]
    wide = ("The table below summarizes, by line of business and Corporate, the period-end deposit balances "
            "as of June 30, 2023.")
    lines = [body(50, 72 + 12 * i, text) for i, text in enumerate(left)]
    lines += [body(320, 72 + 12 * i, text) for i, text in enumerate(right)]
    lines += [(50, 156, "Deposits", "Helvetica-Bold", 9.0), body(50, 168, wide)]
    doc = pdf_to_document(draw(tmp_path / "heading.pdf", lines))
    assert [(b.kind, b.text) for b in doc.blocks] == [
        ("paragraph", " ".join(left + right)), ("heading", "Deposits"), ("paragraph", wide)]


@pytest.mark.parametrize(("text", "garbage"), [
    # Comgest's audit report pages (a Type 3 font with no usable Unicode map) as PDFium decodes them
    ("M-P Q 3k -M kP3 3 \"3 #(*$7 :S P*5%&#%$, #ST P*5(7,& &S$ ,& R*5(7,& #++S, & 3T,$R%R, R *& ,O. 'R,5i$,N N "
     "#(*$7 :S P*5%&#%$, #ST P*5(7,& %+9*$5#7%*+& :#+& ,& R*5(7,& #+S, & #S &Sfi,7 :, R,7, %+R,$7%7S:,", True),
    ("- - ! \"#$%& ' '()*+, - ./0 /.1/ !/2 345#% - (#$%&67# ,+89%:* ;#$#+7%$ :, R,$7%9%R#7%*+ ($*9,&%*+, "
     "&%;+%9%R#7%, :, # 5'7)*:, %7' :, R*5(7,& :'R%&%*+& 'R*+*5%cS,& cS, ,& S7% %&#7,S$&", True),
    # real pages: a French balance sheet, an English table of figures
    ("BILAN AU 31/12/2020 en EUR Actif 31/12/2020 31/12/2019 IMMOBILISATIONS NETTES DÉPÔTS INSTRUMENTS "
     "FINANCIERS Actions et valeurs assimilées 57 970 844,49 61 215 003,12 Négociées sur un marché réglementé", False),
    ("Consumer & Community Banking $ 1,173,514 $ 1,131,611 Corporate & Investment Bank 735,576 689,893 "
     "Commercial Banking 269,026 271,342 Asset & Wealth Management 199,763 233,130 Total Firm $ 2,398,962", False),
])
def test_a_scrambled_font_is_garbage_and_figures_and_other_languages_are_not(text, garbage):
    assert is_garbage(text) is garbage


def test_a_column_of_prose_level_with_a_table_beside_it_stays_prose(tmp_path):
    # JPMorgan 10-Q p. 173: the left column's last lines stood level with the rows of a small table
    # in the right column, and the unruled-table finder took them as the table's first column.
    left = ["Changes in fair value based on variations in assumptions", "generally cannot be easily extrapolated because",
            "the relationship of the change in the assumptions to", "the change in fair value may not be linear. In the",
            "following table, the effect of a change in one", "assumption is calculated without changing any",
            "other assumption. In reality, changes in one factor", "may result in changes in another, which would",
            "either magnify or counteract the", "impact of the initial change."]
    lines = [body(50, 100 + 12 * i, text) for i, text in enumerate(left)]
    rows = [("Weighted-average prepayment speed", "6.27 %", "6.12 %"), ("Impact of 10% adverse change", "(186)", "(183)"),
            ("Impact of 20% adverse change", "(361)", "(356)"), ("Weighted-average option spread", "5.77 %", "5.77 %"),
            ("Impact of 100 basis points", "(348)", "(341)")]
    for i, (label, a, b) in enumerate(rows):
        top = 160 + 12 * i
        lines += [(322, top, label, "Helvetica", 8.0), (495, top, a, "Helvetica", 8.0), (535, top, b, "Helvetica", 8.0)]
    doc = pdf_to_document(draw(tmp_path / "beside.pdf", lines))
    assert doc.blocks[0].kind == "paragraph" and doc.blocks[0].text == " ".join(left)
    assert [b.kind for b in doc.blocks[1:]] == ["table_row"] * len(rows)
