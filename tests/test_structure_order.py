"""Reading order from a tagged PDF's structure tree (structure.py): small tagged pages written here
byte by byte (reportlab writes no structure tree), each paragraph its own marked content, drawn in
one order and listed in the tree in another, as designed reports do (a sidebar drawn first)."""

from __future__ import annotations

import time
from pathlib import Path

from reportlab.pdfbase.pdfmetrics import stringWidth

from disclosure_check.read.extract import pdf_to_document

HEIGHT = 792.0
SIZE = 10.0

# A report page: a narrow "key facts" sidebar on the left, the story in a wide column on the right.
SIDEBAR = (40.0, 120.0, ["Key facts at a glance", "Our suppliers are audited", "every year by an",
                         "independent firm.", "No case of forced labour", "was found in 2024."])
TITLE = (220.0, 100.0, ["Modern Slavery Statement for the year 2024"])
STORY_1 = (220.0, 130.0, ["This statement sets out the steps the Group has taken during the",
                          "financial year to ensure that slavery and human trafficking are not",
                          "taking place in its supply chains or in any part of its business."])
STORY_2 = (220.0, 190.0, ["The Board reviews the policy on modern slavery every year and the",
                          "Chief Executive approves the statement after that review is done."])


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _paragraph(pieces: tuple | list[tuple], mcid: int | None) -> str:
    """Content-stream operators drawing each piece's ``lines`` from its (x, top), in its size and
    justified to its width when it gives them, inside marked content ``mcid`` (one piece, or several:
    a row of a letterhead drawn as one marked content)."""
    ops = []
    for x, top, lines, *rest in pieces if isinstance(pieces, list) else [pieces]:
        size, width = rest + [SIZE, None][len(rest):]
        ops.append(f"BT /F1 {size:g} Tf {size * 1.3:g} TL {x:g} {HEIGHT - top - 0.8 * size:g} Td")
        for line in lines:  # justified to ``width`` when given
            spacing = (width - stringWidth(line, "Helvetica", size)) / line.count(" ") if width else 0.0
            ops.append(f"{spacing:.3f} Tw ({_escape(line)}) Tj T*")
        ops.append("ET")
    body = "\n".join(ops)
    return body if mcid is None else f"/P <</MCID {mcid}>> BDC\n{body}\nEMC"


def tagged_pdf(path: Path, drawn: list[tuple], tree: list[list[int]]) -> Path:
    """A one-page tagged PDF: ``drawn`` paragraphs ((x, top, lines), in content order, the k-th in
    marked content k) and a structure tree of one P element per entry of ``tree``, in its order, each
    holding the MCIDs listed (a paragraph listed nowhere is drawn outside marked content)."""
    listed = {mcid for element in tree for mcid in element}
    stream = "\n".join(_paragraph(pieces, k if k in listed else None) for k, pieces in enumerate(drawn)).encode(
        "latin-1")
    first_element = 9
    elements = [f"<< /Type /StructElem /S /P /P 7 0 R /Pg 3 0 R /K [{' '.join(map(str, mcids))}] >>"
                for mcids in tree]
    parent_of = {mcid: first_element + e for e, mcids in enumerate(tree) for mcid in mcids}
    parents = " ".join(f"{parent_of[m]} 0 R" if m in parent_of else "null" for m in range(len(drawn)))
    kids = " ".join(f"{first_element + e} 0 R" for e in range(len(tree)))
    return _write_tagged_page(path, stream, kids, parents, elements)


def _write_tagged_page(path: Path, stream: bytes, document_kids: str, parents: str, elements: list[str]) -> Path:
    """Write a one-page tagged PDF: catalog, page tree, page, font, structure tree root, the content
    ``stream``, a Document element over ``document_kids``, the parent tree (``parents`` for the page's
    marked content) and the structure ``elements`` (objects 9 on)."""
    objects = [
        "<< /Type /Catalog /Pages 2 0 R /MarkInfo << /Marked true >> /StructTreeRoot 5 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 {HEIGHT:g}] /Resources << /Font << /F1 4 0 R >> >> "
        "/Contents 6 0 R /StructParents 0 >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        "<< /Type /StructTreeRoot /K [7 0 R] /ParentTree 8 0 R >>",
        f"<< /Length {len(stream)} >>\nstream\n".encode("latin-1") + stream + b"\nendstream",
        f"<< /Type /StructElem /S /Document /P 5 0 R /K [{document_kids}] >>",
        f"<< /Nums [0 [{parents}]] >>",
        *elements,
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode("latin-1") + (body if isinstance(body, bytes) else body.encode("latin-1"))
        out += b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode("latin-1")
    out += b"".join(f"{offset:010d} 00000 n \n".encode("latin-1") for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode("latin-1")
    path.write_bytes(bytes(out))
    return path


def _order(text: str, *phrases: str) -> list[int]:
    return [text.index(phrase) for phrase in phrases]


def test_a_sidebar_drawn_first_is_read_where_the_structure_tree_puts_it(tmp_path):
    # The sidebar is drawn first and stands left of the story, so content order and layout both
    # read it first; the author's tree reads the title and the story, then the sidebar.
    pdf = tagged_pdf(tmp_path / "sidebar.pdf", [SIDEBAR, TITLE, STORY_1, STORY_2], [[1], [2], [3], [0]])
    text = pdf_to_document(pdf, ocr=False).text
    title, story, review, sidebar = _order(text, "Modern Slavery Statement", "This statement sets out",
                                           "The Board reviews", "Key facts at a glance")
    assert title < story < review < sidebar
    assert "supply chains or in any part of its business." in text  # our lines and words, whole


def test_an_untagged_copy_of_the_page_reads_in_layout_order(tmp_path):
    pdf = tagged_pdf(tmp_path / "untagged.pdf", [SIDEBAR, TITLE, STORY_1, STORY_2], [])
    text = pdf_to_document(pdf, ocr=False).text
    sidebar, title = _order(text, "Key facts at a glance", "Modern Slavery Statement")
    assert sidebar < title


def test_a_tree_that_covers_too_little_of_the_page_is_not_followed(tmp_path):
    # Only the last story paragraph and the sidebar are tagged (a tree of a few elements over an
    # untagged page): it lists the story before the sidebar, but says nothing of most of the words.
    pdf = tagged_pdf(tmp_path / "partial.pdf", [SIDEBAR, TITLE, STORY_1, STORY_2], [[3], [0]])
    text = pdf_to_document(pdf, ocr=False).text
    sidebar, review = _order(text, "Key facts at a glance", "The Board reviews")
    assert sidebar < review


def test_marked_content_drawn_across_two_boxes_leaves_them_in_layout_order(tmp_path):
    # MTF Holding's letterhead: each row of the address block is one marked content holding the
    # street on the left and the company's registration or phone number far to the right (the numbers
    # start a row higher), so the tree cannot say which of the two columns comes first: the address
    # reads whole, then the numbers, as our layout reads them.
    rows = [(None, "REG NO. 09127578"), ("NO 4 CASTLE COURT", "TEL: 01789-761240"),
            ("CASTLE COURT 2", "FAX: 01789-761205"), ("DUDLEY", None), ("WEST MIDLANDS", None)]
    drawn: list = [([(40.0, 60.0 + 13 * k, [left])] if left else []) + ([(420.0, 60.0 + 13 * k, [right])] if right
                                                                       else []) for k, (left, right) in enumerate(rows)]
    drawn += [TITLE, STORY_1, STORY_2]
    tree = [[0], [1], [2], [3], [4], [5], [6], [7]]
    text = pdf_to_document(tagged_pdf(tmp_path / "letterhead.pdf", drawn, tree), ocr=False).text
    street, midlands, reg, fax, title = _order(text, "NO 4 CASTLE COURT", "WEST MIDLANDS", "REG NO.", "FAX:",
                                               "Modern Slavery Statement")
    assert street < midlands < reg < fax < title


def test_a_paragraph_does_not_run_on_past_what_the_tree_reads_after_it_on_the_page(tmp_path):
    # Moncler p. 141: the story's last paragraph stops mid-sentence at the foot of the page ("…an
    # increase in low", going on overleaf); the tree reads a boxed sidebar set at the top of the page
    # after it, its heading then its text. Looking past the heading as if it were a pull quote, the
    # story ran on into the sidebar's text ("…an increase in low According to the United Nations…").
    width = 372.0
    sidebar_heading = (220.0, 90.0, ["OUR APPROACH TO NET ZERO"], 14.0)
    sidebar_text = (220.0, 115.0, ["According to the United Nations panel on climate change, net zero is",
                                   "achieved when emissions are balanced by removals over a period."])
    story = (220.0, 200.0, ["In 2023, despite an increase in total energy consumption, driven by the",
                            "expansion of the production site in Romania, there was a reduction of",
                            "scope 1 and 2 emissions due to a greater use of renewable energy, more",
                            "efficient lighting and heating systems and an increase in low"], SIZE, width)
    pdf = tagged_pdf(tmp_path / "runon.pdf", [sidebar_heading, sidebar_text, story], [[2], [0], [1]])
    doc = pdf_to_document(pdf, ocr=False)
    story_at, heading_at, sidebar_at = _order(doc.text, "In 2023, despite", "OUR APPROACH", "According to")
    assert story_at < heading_at < sidebar_at
    assert any(block.text.startswith("According to the United Nations") for block in doc.blocks)


def _shared_kids_pdf(path: Path, depth: int, copies: int) -> Path:
    """A hostile tagged page: a chain of ``depth`` elements under the Document element, each listing
    the next ``copies`` times in its /K (a tree that shares its children is a graph: walked as a tree
    it has ``copies ** depth`` paths), the last holding the page's marked content in the story's order."""
    drawn = [SIDEBAR, TITLE, STORY_1, STORY_2]
    stream = "\n".join(_paragraph(pieces, k) for k, pieces in enumerate(drawn)).encode("latin-1")
    first, bottom = 9, 9 + depth - 1
    elements = [f"<< /Type /StructElem /S /Div /P {7 if e == 0 else first + e - 1} 0 R /Pg 3 0 R /K ["
                + ("1 2 3 0" if e == depth - 1 else " ".join([f"{first + e + 1} 0 R"] * copies)) + "] >>"
                for e in range(depth)]
    return _write_tagged_page(path, stream, " ".join([f"{first} 0 R"] * copies),
                              " ".join(f"{bottom} 0 R" for _ in drawn), elements)


def test_a_tree_that_shares_its_children_is_walked_once_per_element(tmp_path):
    # Each element listed three times by its parent, 25 deep: walked path by path that is 3**25 visits
    # (the page never finished; at 18 deep and twice each it took 1.4 s of CPU). Each element is read
    # once, and the tree's order still holds: the story, then the sidebar.
    pdf = _shared_kids_pdf(tmp_path / "shared.pdf", depth=25, copies=3)
    started = time.process_time()
    text = pdf_to_document(pdf, ocr=False).text
    assert time.process_time() - started < 5
    title, sidebar = _order(text, "Modern Slavery Statement", "Key facts at a glance")
    assert title < sidebar


def test_a_page_of_many_boxes_is_ordered_in_linear_time():
    # A map or chart page: 20,000 labels, each its own box and marked content, listed in the tree in
    # the reverse of their layout order. Grouping boxes by sweeping all boxes once per group took
    # about 36 s of CPU for such a page.
    from types import SimpleNamespace

    from disclosure_check.read.structure import order_by_structure
    boxes = [SimpleNamespace(lines=[SimpleNamespace(words=[SimpleNamespace(mcid=k)])]) for k in range(20_000)]
    started = time.process_time()
    ordered = order_by_structure(boxes, list(range(20_000))[::-1])
    assert time.process_time() - started < 5
    assert ordered == boxes[::-1]
