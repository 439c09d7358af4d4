"""Reading order on pages cut down from real reports where it went wrong, each drawn line by line
with reportlab at the real page's coordinates (a JPMorgan 10-Q's two-column pages, a fund report
whose scanned pages carry a scrambled font), and the text a careful reader takes from them."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest
from reportlab.pdfbase.pdfmetrics import stringWidth
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


def page_words(pdf: Path) -> list:
    """The words PDFium reads on the first page of ``pdf``, the input of line and box building."""
    document = pdfium.PdfDocument(str(pdf))
    try:
        return read_page(document[0], 1).words
    finally:
        document.close()


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
    words = page_words(pdf)
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


def test_a_stray_wide_space_inside_a_listed_paragraph_does_not_cut_its_line(tmp_path):
    # Standard Chartered's ESG index p. 27: "…the Group and no    representation or warranty…" has one
    # space four times its line's others; the line was cut there and its second half, with the next
    # line's, became a box of its own read before the whole list. The lines above and below run
    # straight across that space, so it is a word space.
    def small(x, top, text):
        return (x, top, text, "Helvetica", 6.0)

    def after(line, text):  # ``text`` set 10 pt (1.7 ems) after the end of ``line`` on its row
        x, top, first, _, _ = line
        return small(x + stringWidth(first, "Helvetica", 6.0) + 10.0, top, text)

    third = small(420.8, 142.5, "the Group and no")
    fourth = small(420.8, 149.7, "fitness for a particular purpose")
    lines = [
        small(409.5, 128.1, "vii. some of the related information appearing in this document may have been obtained from public and other"),
        small(420.8, 135.3, "sources and, while the Group believes such information to be reliable, it has not been independently verified by"),
        third, after(third, "representation or warranty is made by the Group as to its quality, completeness, accuracy,"),
        fourth, after(fourth, "or non-infringement of such information;"),
        small(409.5, 159.7, "viii. for the purposes of the information included in this document, a number of key judgements and assumptions"),
        small(420.7, 166.9, "have been made. It is possible that the assumptions drawn, and the judgement exercised may turn out wrong;"),
    ]
    page = canvas.Canvas(str(tmp_path / "space.pdf"), pagesize=(842, 595), invariant=1)
    for x, top, text, font, size in lines:
        page.setFont(font, size)
        page.drawString(x, 595 - top - 0.8 * size, text)
    page.save()
    doc = pdf_to_document(tmp_path / "space.pdf")
    text = " ".join(b.text for b in doc.blocks)
    assert ("independently verified by the Group and no representation or warranty is made by the Group as to its quality, "
            "completeness, accuracy, fitness for a particular purpose or non-infringement of such information;") in text
    assert text.index("vii. some") < text.index("representation or warranty") < text.index("viii. for")


def test_a_row_ending_on_a_comma_does_not_run_into_the_next_row_set_below_it(tmp_path):
    # Standard Chartered's ESG index p. 12: one row of a GRI index ends "…available at
    # sc.com/sustainabilitylibrary," (a stray comma); the next row's text, set below a paragraph gap in
    # the same column, was taken for the rest of that sentence.
    first = ["We disclose our GHG emissions intensity within the Environment tab of our 2024 ESG",
             "data pack available at sc.com/sustainabilitylibrary,"]
    second = ["We reduced our Scope 1 and 2 emissions by 28 per cent to 24,968 tCO2e during 2024.",
              "See pages 76-77 of our 2024 Annual Report, with detail on the Scopes in which reduction took place."]
    lines = [(300, 334.1 + 8.4 * i, text, "Helvetica", 6.9) for i, text in enumerate(first)]
    lines += [(300, 357.9 + 8.4 * i, text, "Helvetica", 6.9) for i, text in enumerate(second)]
    lines += [(60, 334.1, "Emissions intensity", "Helvetica-Bold", 6.9), (60, 357.9, "Reduction of emissions",
                                                                             "Helvetica-Bold", 6.9)]
    doc = pdf_to_document(draw(tmp_path / "rows.pdf", lines))
    assert [b.text for b in doc.blocks if b.text.startswith("We ")] == [" ".join(first), " ".join(second)]


def test_a_heading_under_a_paragraph_in_its_column_ends_it(tmp_path):
    # Reliance's report p. 3, "Reporting Suite": each link sits under its own bold title; the first
    # link (no full stop) was joined to the next link, which starts in lower case, past the title
    # between them, and the titles came out after all three links.
    lines = [(291.6, 622.5, "Reporting Suite", "Helvetica", 11.0)]
    for top, title, link in ((643.0, "Online Integrated Annual Report", "https://www.ril.com/ar2021-22/index.html"),
                             (703.0, "Business Responsibility Report", "https://www.ril.com/DownloadFiles/BRR202122.pdf"),
                             (754.0, "CSR Report", "https://www.ril.com/DownloadFiles/CSR202122.pdf")):
        lines += [(291.6, top, title, "Helvetica-Bold", 8.5), (291.6, top + 28 - (top == 754.0) * 0, link, "Helvetica", 7.0)]
    lines += [body(45, 640 + 12 * i, text) for i, text in enumerate([
        "The Reliance Integrated Annual Report has been prepared", "in alignment with the Integrated Reporting",
        "Framework laid down by the International Integrated", "Reporting Council, now the Value Reporting Foundation."])]
    doc = pdf_to_document(draw(tmp_path / "links.pdf", lines))
    right = [b.text for b in doc.blocks if b.spans[0].x0 > 280]
    assert right == ["Reporting Suite", "Online Integrated Annual Report", "https://www.ril.com/ar2021-22/index.html",
                     "Business Responsibility Report", "https://www.ril.com/DownloadFiles/BRR202122.pdf",
                     "CSR Report", "https://www.ril.com/DownloadFiles/CSR202122.pdf"]


def test_stacked_column_headings_over_a_section_label_are_read_column_by_column(tmp_path):
    # TFS Financial's 10-K p. 89: the headings "Estimated / Fair Value" and "Unrealized / Loss" stand
    # over each pair of figure columns, under headings that span a pair ("Less Than 12 Months"), with a
    # section label ("Available for sale—") between them and the first row of figures. They were not
    # taken into the table and came out a line at a time across the page ("Estimated Unrealized
    # Estimated Unrealized …").
    def bold(x, top, text, size=8.0):
        return (x, top, text, "Helvetica-Bold", size)

    lines = [bold(353.5, 86.2, "September 30, 2024", 10.0), bold(240.6, 101.5, "Less Than 12 Months", 9.0),
             bold(357.9, 101.5, "12 Months or More", 9.0), bold(498.2, 101.5, "Total", 9.0)]
    for x in (236.9, 350.0, 463.0):
        lines += [bold(x, 115.7, "Estimated"), bold(x, 123.7, "Fair Value")]
    for x, loss in ((291.0, 302.0), (404.0, 415.0), (518.0, 528.0)):
        lines += [bold(x, 115.7, "Unrealized"), bold(loss, 123.7, "Loss")]
    lines.append((52.5, 136.4, "Available for sale—", "Helvetica", 10.0))
    figures = [("REMICs", "9,393", "9", "325,660", "28,472", "335,053", "28,481"),
               ("Fannie Mae certificates", "—", "—", "101", "2", "101", "2"),
               ("Freddie Mac certificates", "—", "—", "1,129", "9", "1,129", "9"),
               ("Total", "9,393", "9", "330,734", "28,667", "340,127", "28,676")]
    for i, (label, *values) in enumerate(figures):
        top = 151.0 + 15.0 * i
        lines.append((59.0, top, label, "Helvetica", 10.0))
        for right, value in zip((276, 332, 389, 445, 503, 558), values, strict=True):
            lines.append((right - 5.56 * len(value), top, value, "Helvetica", 10.0))
    doc = pdf_to_document(draw(tmp_path / "headings.pdf", lines))
    rows = [b.cells for b in doc.blocks if b.kind == "table_row"]
    assert ("Estimated Fair Value", "Unrealized Loss") * 3 in rows
    assert ("Less Than 12 Months", "12 Months or More", "Total") in rows
    assert rows.index(("Estimated Fair Value", "Unrealized Loss") * 3) < rows.index(("Available for sale—",)) < [
        r[0] for r in rows].index("REMICs")


def test_a_ruled_cell_holding_a_column_of_labels_is_read_row_by_row(tmp_path):
    # Comgest's annual report p. 35: rules drawn around the whole body of a table, so one ruled cell
    # holds its column of labels ("ACTIF / Dépôts / Obligations et valeurs / …") and another the one
    # figure level with "Comptes financiers": read cell by cell, every label came before the figure.
    path = tmp_path / "ruled.pdf"
    page = canvas.Canvas(str(path), pagesize=(612, HEIGHT), invariant=1)
    page.setLineWidth(0.5)
    page.rect(56, HEIGHT - 304, 483, 214)
    page.line(56, HEIGHT - 115, 539, HEIGHT - 115)
    for x in (220, 380, 430):
        page.line(x, HEIGHT - 90, x, HEIGHT - 304)
    labels = ["ACTIF", "Dépôts", "Obligations et valeurs", "assimilées", "Titres de créances", "Comptes financiers",
              "PASSIF", "Opérations temporaires sur", "titres", "Comptes financiers", "HORS-BILAN",
              "Opérations de couverture"]
    texts = [(60, 98, "Nature"), (225, 98, "Taux fixe"), (385, 98, "%"), (435, 98, "Autres")]
    texts += [(60, 122 + 12 * i, label) for i, label in enumerate(labels)]
    texts += [(225, 182, "57 970 844,49"), (385, 182, "1,59")]
    # a summary under the table (rows of short cells side by side)
    texts += [(60, 330, "Actif net"), (225, 330, "57 970 844,49"), (60, 342, "Nombre de parts"), (225, 342, "1 234 567"),
              (60, 354, "Valeur liquidative"), (225, 354, "46,97")]
    for x, top, text in texts:
        page.setFont("Helvetica", 8.8)
        page.drawString(x, HEIGHT - top - 0.8 * 8.8, text)
    page.save()
    doc = pdf_to_document(path)
    rows = [b.cells for b in doc.blocks if b.kind == "table_row"]
    assert ("Comptes financiers", "57 970 844,49", "1,59") in rows
    assert ("ACTIF",) in rows and ("HORS-BILAN",) in rows


def test_a_contents_page_of_numbered_sections_is_read_row_by_row(tmp_path):
    # Block's 10-K p. 200, a credit agreement's contents: "Section 1.02" and its title (with its page
    # numbers, old and new, after it: "3941") stand 0.8 ems apart in two columns, so every section
    # number on the page came out before every title ("Section 2.03 Section 2.04 Section 2.05 …").
    entries = [("Section 1.01", "Defined Terms 1"), ("Section 1.02", "Classification of Loans and Borrowings 3941"),
               ("Section 1.03", "Terms Generally 3941"), ("Section 1.04", "Accounting Terms; GAAP; Certain Calculations 4042"),
               ("Section 1.05", "Divisions. 4143"), ("Section 1.06", "Interest Rates; LIBOR Notification. 4244")]
    lines = [body(17.3, 147.0, "ARTICLE 1 DEFINITIONS 1")]
    title_x = 47.9 + stringWidth("Section 1.01", "Helvetica", 10.2) + 8.6
    for i, (key, title) in enumerate(entries):
        top = 157.3 + 10.2 * i
        lines += [(47.9, top, key, "Helvetica", 10.2), (title_x, top, title, "Helvetica", 10.2)]
    doc = pdf_to_document(draw(tmp_path / "contents.pdf", lines))
    assert [b.cells for b in doc.blocks if b.kind == "table_row"] == entries


def _piece(x: float, text: str):
    from disclosure_check.read.layout import make_line
    from disclosure_check.read.page_content import Word

    words, left = [], x
    for token in text.split():
        width = stringWidth(token, "Helvetica", 10.2)
        words.append(Word(token, left, 157.3, left + width, 167.5, 10.2, 0, False, False))
        left += width + stringWidth(" ", "Helvetica", 10.2)
    return make_line(1, words)


@pytest.mark.parametrize("key,tabular", [
    ("Section 1.02", True), ("Item 7A.", True), ("Note 12", True), ("Part IV", True), ("Appendix B", True),
    ("Part of", False), ("Note this", False), ("Item one", False),
])
def test_only_a_number_numeral_or_letter_after_section_or_note_heads_a_contents_row(key, tabular):
    # Review: read case-insensitively, the reference took any word of 1-4 letters, so a piece that read
    # "Part of" or "Note this" beside a title of prose made the pair a numbered contents row.
    from disclosure_check.read.tables import _tabular_row

    title = "the wider group of companies that we own and operate"
    row = [_piece(47.9, key), _piece(140.0, title)]
    assert _tabular_row(row) is tabular


def _justified(page, x0: float, x1: float, top: float, pieces, last: bool = False) -> None:
    """Draw (text, font, size, gap) pieces on one row, words spread to fill [x0, x1] as a justified
    line is (``last``: word spaces only); ``gap``, when not None, is the fixed space before the piece
    (the room a link's arrow icon takes)."""
    words = [(word, font, size, gap if k == 0 else None)
             for text, font, size, gap in pieces for k, word in enumerate(text.split())]
    width = sum(stringWidth(w, font, size) for w, font, size, _ in words)
    fixed = sum(gap for *_, gap in words[1:] if gap is not None)
    flexible = sum(1 for *_, gap in words[1:] if gap is None)
    space = stringWidth(" ", "Helvetica", 9.0) if last else (x1 - x0 - width - fixed) / max(flexible, 1)
    x = x0
    for i, (word, font, size, gap) in enumerate(words):
        if i:
            x += gap if gap is not None else space
        page.setFont(font, size)
        page.drawString(x, HEIGHT - top - 9.6, word)  # every piece on the 9-point text's baseline
        x += stringWidth(word, font, size)


def test_a_cross_reference_in_small_capitals_stays_in_the_line_and_paragraph_it_sits_in(tmp_path):
    # Siemens' sustainability report (pp. 36, 41, 58, 89 and others): a link to another section is set
    # inside the running text in 6-point bold capitals after an arrow icon, "…Guidelines (BCGs)
    # → COMPLIANCE / AND ETHICS. They set out…". The wide space before the capitals (over an em, in
    # another size) cut the line there, and a line holding more capitals than text was taken for a
    # 6-point line, which no 9-point paragraph takes: the sentence around the link came out in pieces
    # ("…Guidelines (BCGs) AND ETHICS.", "program SIEMENS FINANCIAL REPORT…" apart from its sentence).
    # Drawn at the real pages' coordinates (two columns, 9-point text at a 14-point pitch); the words
    # are not the report's.
    caps, text = "Helvetica-Bold", "Helvetica"
    page = canvas.Canvas(str(tmp_path / "links.pdf"), pagesize=(595, HEIGHT), invariant=1)
    left = [
        [("Our commitment to fair dealing is set down in the company's", text, 9.0, None)],
        [("written Rules of Conduct for our Staff (RCS)", text, 9.0, None), ("COMPLIANCE", caps, 6.0, 10.5)],
        [("AND ETHICS.", caps, 6.0, None), ("They set out the basic principles and rules that", text, 9.0, 2.3)],
        [("apply to our dealings with customers, partners, and the", text, 9.0, None)],
    ]
    right = [
        [("Compliance risk management forms an integral part of the", text, 9.0, None)],
        [("company-wide Enterprise Risk Management (ERM) system", text, 9.0, None)],
        [("program", text, 9.0, None), ("GROUP FINANCIAL REPORT FOR FISCAL YEAR 2023, COMBINED", caps, 6.0, 12.3)],
        [("MANAGEMENT REPORT, SECTION 8.3.1 STRATEGIC RISKS,", caps, 6.0, None), ("which provides a", text, 9.0, 5.2)],
    ]
    for i, pieces in enumerate(left):
        _justified(page, 48.2, 291.3, 117.3 + 14 * i, pieces)
    _justified(page, 48.2, 291.3, 117.3 + 14 * len(left), [("public, and they bind every employee.", text, 9.0, None)],
               last=True)
    for i, pieces in enumerate(right):
        _justified(page, 304.0, 547.1, 299.3 + 14 * i, pieces)
    _justified(page, 304.0, 547.1, 299.3 + 14 * len(right),
               [("holistic view of all the risks found across the group.", text, 9.0, None)], last=True)
    page.save()
    doc = pdf_to_document(tmp_path / "links.pdf")
    assert [b.text for b in doc.blocks] == [
        "Our commitment to fair dealing is set down in the company's written Rules of Conduct for our Staff (RCS) "
        "COMPLIANCE AND ETHICS. They set out the basic principles and rules that apply to our dealings with "
        "customers, partners, and the public, and they bind every employee.",
        "Compliance risk management forms an integral part of the company-wide Enterprise Risk Management (ERM) "
        "system program GROUP FINANCIAL REPORT FOR FISCAL YEAR 2023, COMBINED MANAGEMENT REPORT, SECTION 8.3.1 "
        "STRATEGIC RISKS, which provides a holistic view of all the risks found across the group."]


def test_a_paragraph_ending_on_a_footnote_mark_and_a_cross_reference_does_not_run_on(tmp_path):
    # Siemens' sustainability report p. 89: the left column's last paragraph ends "…to foster a diverse
    # work / environment.1 → PROFESSIONAL EDUCATION AND LIFELONG LEARNING", a full line ending in
    # capitals with no full stop after them, so it was taken for a sentence going on in the next
    # column ("…LEARNING We have established…"). The sentence ended at "environment.", the footnote
    # mark and the link after it. Drawn at the real page's coordinates; the words are not the report's.
    caps, text = "Helvetica-Bold", "Helvetica"
    page = canvas.Canvas(str(tmp_path / "end.pdf"), pagesize=(595, HEIGHT), invariant=1)
    left = [
        [("We hold regular open days on which our staff share their", text, 9.0, None)],
        [("experiences with colleagues. This helps us to foster a diverse", text, 9.0, None)],
        [("environment.1", text, 9.0, None), ("PROFESSIONAL EDUCATION AND LIFELONG LEARNING", caps, 6.0, 8.9)],
    ]
    _justified(page, 48.2, 291.3, 215.3, [("Our policies for fairness and belonging apply to all of", text, 9.0, None)])
    _justified(page, 48.2, 291.3, 229.3, [("our people in every country.", text, 9.0, None)], last=True)
    for i, pieces in enumerate(left):
        _justified(page, 48.2, 291.3, 621.3 + 14 * i, pieces)
    right = [[("We have set up a global unit for fairness and belonging that", text, 9.0, None)],
             [("works in many regions of the world and reports to the board", text, 9.0, None)]]
    for i, pieces in enumerate(right):
        _justified(page, 304.0, 547.1, 215.3 + 14 * i, pieces)
    _justified(page, 304.0, 547.1, 215.3 + 14 * len(right), [("every quarter of the year.", text, 9.0, None)], last=True)
    page.save()
    doc = pdf_to_document(tmp_path / "end.pdf")
    assert [b.text for b in doc.blocks] == [
        "Our policies for fairness and belonging apply to all of our people in every country.",
        "We hold regular open days on which our staff share their experiences with colleagues. This helps us to "
        "foster a diverse environment.1 PROFESSIONAL EDUCATION AND LIFELONG LEARNING",
        "We have set up a global unit for fairness and belonging that works in many regions of the world and "
        "reports to the board every quarter of the year."]


def test_a_cross_reference_wrapped_onto_the_next_line_or_ending_a_paragraph_stays_in_it(tmp_path):
    # Siemens' sustainability report pp. 48, 60, 152: a link in small capitals wraps onto the next
    # line ("…on the RMI website → WWW.RESPONSIBLE- / MINERALSINITIATIVE.ORG.", a line of 6-point
    # capitals only, set lower than the text's lines), or stands at the end of a paragraph's last
    # full line ("…in the → ENVIRONMENT / section of this report.", the line below ending short of
    # it). The first made a 6-point paragraph of its own, and the sentence before it ran into the
    # next paragraph; the second cut the line before the link, since no line below ran across the
    # space before it. Drawn at the real pages' coordinates; the words are not the report's.
    caps, text = "Helvetica-Bold", "Helvetica"
    page = canvas.Canvas(str(tmp_path / "wrapped.pdf"), pagesize=(595, HEIGHT), invariant=1)
    _justified(page, 48.2, 291.3, 159.3, [("Results for each smelter are shared with partners and then", text, 9.0, None)])
    _justified(page, 48.2, 291.3, 173.3, [("posted on the public website at", text, 9.0, None),
                                          ("WWW.EXAMPLE-", caps, 6.0, 15.5)])
    page.setFont(caps, 6.0)
    page.drawString(48.2, HEIGHT - 190.3 - 6.6, "MINERALSGROUP.ORG.")
    second = ["We extend our risk assessment to minerals beyond the usual",
              "four, following the definitions that the commission sets for",
              "areas of conflict and of weak governance. You can read more"]
    for i, line in enumerate(second):
        _justified(page, 48.2, 291.3, 215.3 + 14 * i, [(line, text, 9.0, None)])
    _justified(page, 48.2, 291.3, 257.3, [("about our use of water at our sites in the", text, 9.0, None),
                                          ("ENVIRONMENT", caps, 6.0, 11.4)])
    _justified(page, 48.2, 291.3, 271.3, [("section of this report.", text, 9.0, None)], last=True)
    page.save()
    doc = pdf_to_document(tmp_path / "wrapped.pdf")
    assert [b.text for b in doc.blocks] == [
        "Results for each smelter are shared with partners and then posted on the public website at "
        "WWW.EXAMPLE-MINERALSGROUP.ORG.",
        " ".join(second) + " about our use of water at our sites in the ENVIRONMENT section of this report."]


def test_a_bold_figure_beside_a_roman_one_stays_two_columns_however_their_widths_fall(tmp_path):
    # JPMorgan 10-Q p. 100 (cash flows): this year's figures in bold, last year's in roman, right
    # aligned, so a figure in brackets reaches past the one above it. The rows above and below then
    # seem to run across the space between "13,762" and "20,952"; that is no reason to read a bold
    # figure and a roman one as one piece of text.
    page = canvas.Canvas(str(tmp_path / "figures.pdf"), pagesize=(612, HEIGHT), invariant=1)
    rows = [(336.7, 61.1, "Net change in:", None, None),
            (348.0, 72.4, "Loans bought under agreements to sell them back", "(9,816)", "(60,833)"),
            (359.2, 61.1, "Securities held to maturity:", None, None),
            (370.5, 72.4, "Proceeds from repayments and maturities", "13,762", "20,952"),
            (381.7, 72.4, "Purchases", "(4,141)", "(27,490)")]
    for top, x, label, this_year, last_year in rows:
        page.setFont("Helvetica", 8.0)
        page.drawString(x, HEIGHT - top - 7.0, label)
        if this_year:
            page.setFont("Helvetica-Bold", 8.0)
            page.drawRightString(500.2 if this_year.startswith("(") else 497.4, HEIGHT - top - 7.0, this_year)
            page.setFont("Helvetica", 8.0)
            page.drawRightString(552.7 if last_year.startswith("(") else 549.9, HEIGHT - top - 7.0, last_year)
    page.save()
    words = page_words(tmp_path / "figures.pdf")
    texts = [line.text for line in words_to_lines(words, 1)]
    assert "13,762" in texts and "20,952" in texts


def test_a_line_ending_in_a_smaller_stop_or_colon_still_ends_its_sentence():
    # Comgest's scanned pages (OCR): "En outre :" with the colon measured smaller than the words; only
    # capitals set smaller (a cross-reference) are passed over when looking for a sentence's end.
    from disclosure_check.read.layout import make_line
    from disclosure_check.read.page_content import Word
    from disclosure_check.read.paragraphs import _ends_sentence

    def word(text, x0, size):
        return Word(text, x0, 100.0, x0 + 5.0 * len(text), 100.0 + size, size, 1, False, False)

    assert _ends_sentence(make_line(1, [word("En", 50, 9.0), word("outre", 65, 9.0), word(":", 95, 7.0)]))
    assert _ends_sentence(make_line(1, [word("work", 50, 9.0), word("environment.1", 75, 9.0),
                                        word("LIFELONG", 150, 6.0), word("LEARNING", 200, 6.0)]))
    assert not _ends_sentence(make_line(1, [word("a", 50, 9.0), word("diverse", 60, 9.0), word("work", 100, 9.0)]))


def _pieces(page: canvas.Canvas, top: float, pieces: list[tuple[str, str, float]], x: float = 50.0) -> None:
    """Words of several fonts and sizes on one baseline, a 9-point space between them."""
    for text, font, size in pieces:
        for word in text.split():
            page.setFont(font, size)
            page.drawString(x, HEIGHT - top - 9.6, word)
            x += stringWidth(word, font, size) + stringWidth(" ", "Helvetica", 9.0)


def test_small_capitals_or_a_footnote_mark_ending_a_line_do_not_carry_it_into_the_next(tmp_path):
    # An acronym in small capitals ending a sentence ("…the OECD.", "…the ILO."), a heading in small
    # capitals under it, and a footnote mark ending a line over the footnote that opens with it are no
    # cross-reference wrapped onto the next line: the paragraphs stay apart.
    text = "Helvetica"
    page = canvas.Canvas(str(tmp_path / "caps.pdf"), pagesize=(595, HEIGHT), invariant=1)
    _pieces(page, 100, [("We follow the due diligence guidance published by the", text, 9)])
    _pieces(page, 112, [("United Nations and the", text, 9), ("OECD.", text, 7)])
    _pieces(page, 128, [("ILO", text, 7), ("conventions on forced labour are written into every", text, 9)])
    _pieces(page, 140, [("contract we sign with a supplier.", text, 9)])
    _pieces(page, 300, [("Our suppliers must meet the standards set by the", text, 9)])
    _pieces(page, 312, [("United Nations and the", text, 9), ("ILO.", text, 7)])
    _pieces(page, 326, [("HUMAN RIGHTS DUE DILIGENCE", text, 7)])
    _pieces(page, 338, [("We map our supply chain every year and rate each supplier.", text, 9)])
    _pieces(page, 500, [("We audited 87 sites in the year, most of them in Asia,", text, 9)])
    _pieces(page, 512, [("and found no case of forced labour in any of them.", text, 9), ("1", text, 6)])
    _pieces(page, 526, [("1", text, 6), ("Audits were made by an independent firm in each country.", text, 6)])
    page.save()
    texts = [b.text for b in pdf_to_document(tmp_path / "caps.pdf").blocks]
    assert texts[:2] == [
        "We follow the due diligence guidance published by the United Nations and the OECD.",
        "ILO conventions on forced labour are written into every contract we sign with a supplier."]
    assert texts[2:5] == ["Our suppliers must meet the standards set by the United Nations and the ILO.",
                          "HUMAN RIGHTS DUE DILIGENCE",
                          "We map our supply chain every year and rate each supplier."]
    assert texts[5].startswith("We audited 87 sites") and texts[-1] == (
        "1 Audits were made by an independent firm in each country.")


def test_a_large_opening_quote_does_not_set_the_size_of_a_line_of_capitals(tmp_path):
    # A pull quote: a 24-point opening quote before a line of 10-point bold capitals. The capitals are
    # the line's text, not small capitals beside one 24-point glyph.
    page = canvas.Canvas(str(tmp_path / "quote.pdf"), pagesize=(595, HEIGHT), invariant=1)
    page.setFont("Helvetica-Bold", 24)
    page.drawString(50, HEIGHT - 96 - 12, "\u201c")
    page.setFont("Helvetica-Bold", 10)
    page.drawString(66, HEIGHT - 100 - 9.6, "WE WILL NOT WORK WITH ANY SUPPLIER THAT")
    page.save()
    words = page_words(tmp_path / "quote.pdf")
    [line] = words_to_lines(words, 1)
    assert line.size == 10.0 and line.bold


@pytest.mark.parametrize("reference", ["s.54", "No.1", "Art.5", "Fig.3", "p.12"])
def test_a_numbered_reference_ending_a_column_is_no_sentence_end_with_a_footnote_mark(tmp_path, reference):
    # "…as the law requires in s.54" at the foot of the left column, "of the Modern Slavery Act 2015…"
    # at the head of the right: "s.54" is a section number, not "s." and a footnote mark 54, so the
    # sentence goes on in the next column.
    text = "Helvetica"
    page = canvas.Canvas(str(tmp_path / "ref.pdf"), pagesize=(595, HEIGHT), invariant=1)
    left = ["This statement is made for the financial year ending", "31 March 2024 and sets out the steps we have taken",
            f"to prevent modern slavery, as the law requires in {reference}"]
    right = ["of the Modern Slavery Act 2015, in our business and", "in our supply chains. It was approved by the board",
             "on 12 June 2024."]
    for i, line in enumerate(left):
        _justified(page, 50, 275, 100 + 12 * i, [(line, text, 9.0, None)])
    for i, line in enumerate(right):
        _justified(page, 320, 545, 100 + 12 * i, [(line, text, 9.0, None)], last=i == 2)
    page.save()
    assert [b.text for b in pdf_to_document(tmp_path / "ref.pdf").blocks] == [" ".join(left + right)]


def _rows_of_alternating_sizes(per_row: int, rows: int) -> list:
    from disclosure_check.read.page_content import Word

    words = []
    for r in range(rows):
        x, top = 10.0, 20.0 + 12 * r
        for i in range(per_row):
            size = 10.0 if i % 2 == 0 else 8.0
            words.append(Word("ab", x, top + 10 - size, x + 6, top + 10, size, 1, False, False))
            x += 17.0
    return words


def test_lines_are_cut_in_time_linear_in_the_words_of_a_row():
    # Every gap of a row asks whether the rows above and below run across it; scanning each of those
    # rows whole made a page of long rows cost the square of their length (3,000 words x 20 rows:
    # 0.3 CPU s before, 1.9 s). The same words in rows ten times as long take about as long.
    import time

    def cost(per_row: int, rows: int) -> float:
        words = _rows_of_alternating_sizes(per_row, rows)
        start = time.process_time()
        words_to_lines(words, 1)
        return time.process_time() - start

    cost(100, 10)  # warm up
    short_rows, long_rows = min(cost(300, 100) for _ in range(2)), min(cost(3000, 10) for _ in range(2))
    assert long_rows < 2.5 * short_rows
