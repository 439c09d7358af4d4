"""Text a reader cannot see is no evidence (read/visibility.py).

Each PDF is made here with reportlab: the same short modern slavery statement, whose approval,
signature and period sentences (everything the three statutory checks need) are drawn one way or
another. Drawn so a reader sees them, the checks are met; hidden (invisible render mode, white on
the white page, fully transparent, clipped away, covered by an opaque rectangle or image painted
after them, or too small to read) they are left out, and the result says how many words were.
A scan's invisible OCR layer and white text on a dark banner are read as before.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest

from disclosure_check.present.export import flat_row, result_to_dict
from disclosure_check.read.extract import pdf_to_document
from disclosure_check.read.visibility import CLIPPED, COVERED, INVISIBLE, PALE, TINY, TRANSPARENT
from disclosure_check.store.codec import decode, encode

BODY = [
    "Example Trading Limited: Modern Slavery Statement",
    "This statement is made pursuant to section 54 of the Modern Slavery Act 2015 and sets out the steps",
    "Example Trading Limited has taken to ensure that slavery and human trafficking are not taking place",
    "in its supply chains or in any part of its business. We buy packaging, office supplies and logistics",
    "services from about two hundred suppliers, most of them in the United Kingdom and Ireland.",
    "Our Supplier Code of Conduct prohibits forced, bonded and child labour, and every new supplier",
    "completes a questionnaire on labour practices before we contract with them. We carried out three",
    "audits of higher-risk suppliers and trained our procurement team on the signs of modern slavery.",
    "Workers and suppliers can raise concerns through our confidential whistleblowing line.",
]
HIDDEN = [
    "This statement covers the financial year ended 31 December 2020.",
    "This statement was approved by the Board of Directors of Example Trading Limited on 20 March 2021.",
    "Signed by Jane Smith, Director, on behalf of the Board.",
]
HIDDEN_WORDS = sum(len(line.split()) for line in HIDDEN)
TOP, LEADING, LEFT = 760, 16, 72
FIRST_HIDDEN = TOP - LEADING * (len(BODY) + 1)  # baseline of the first hidden line
HIDDEN_BOX = (LEFT - 6, FIRST_HIDDEN - LEADING * (len(HIDDEN) - 1) - 6, 540, FIRST_HIDDEN + 14)  # x0, y0, x1, y1


def write(canvas, lines: list[str], y: float, **state) -> None:
    """``lines`` from baseline ``y`` down, in 10 pt Helvetica, with the text state given."""
    text = canvas.beginText(LEFT, y)
    text.setFont("Helvetica", state.get("size", 10))
    if "mode" in state:
        text.setTextRenderMode(state["mode"])
    if "scale" in state:
        text.setHorizScale(state["scale"])
    for line in lines:
        text.textLine(line)
    canvas.drawText(text)


def image(colour: tuple[int, ...], mode: str = "RGB"):
    from PIL import Image
    from reportlab.lib.utils import ImageReader

    return ImageReader(Image.new(mode, (60, 12), colour))


def statement(path: Path, draw: Callable) -> Path:
    """The statement: body in black, then ``draw(canvas)`` draws the approval, signature and period."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas as rl_canvas

    canvas = rl_canvas.Canvas(str(path), pagesize=A4, invariant=True)
    write(canvas, BODY, TOP)
    canvas.saveState()
    draw(canvas)
    canvas.restoreState()
    canvas.showPage()
    canvas.save()
    return path


def visible(canvas) -> None:
    write(canvas, HIDDEN, FIRST_HIDDEN)


def invisible_mode(canvas) -> None:
    write(canvas, HIDDEN, FIRST_HIDDEN, mode=3)


def white_on_white(canvas) -> None:
    canvas.setFillColorRGB(1, 1, 1)
    write(canvas, HIDDEN, FIRST_HIDDEN)


def near_white(canvas) -> None:
    canvas.setFillColorRGB(0.98, 0.98, 0.98)
    write(canvas, HIDDEN, FIRST_HIDDEN)


def transparent(canvas) -> None:
    canvas.setFillAlpha(0)
    write(canvas, HIDDEN, FIRST_HIDDEN)


def clipped(canvas) -> None:
    path = canvas.beginPath()
    path.rect(300, 100, 20, 20)  # far from the text
    canvas.clipPath(path, stroke=0, fill=0)
    write(canvas, HIDDEN, FIRST_HIDDEN)


def covered_by_rectangle(canvas) -> None:
    write(canvas, HIDDEN, FIRST_HIDDEN)
    x0, y0, x1, y1 = HIDDEN_BOX
    canvas.setFillColorRGB(1, 1, 1)
    canvas.rect(x0, y0, x1 - x0, y1 - y0, fill=1, stroke=0)


def covered_by_image(canvas) -> None:
    write(canvas, HIDDEN, FIRST_HIDDEN)
    x0, y0, x1, y1 = HIDDEN_BOX
    canvas.drawImage(image((255, 255, 255)), x0, y0, x1 - x0, y1 - y0)


def tiny(canvas) -> None:
    write(canvas, HIDDEN, FIRST_HIDDEN, size=1)


def squeezed(canvas) -> None:
    write(canvas, HIDDEN, FIRST_HIDDEN, scale=1)  # 1% horizontal scale: 10 pt letters 0.06 pt wide


def white_on_dark_banner(canvas) -> None:
    x0, y0, x1, y1 = HIDDEN_BOX
    canvas.setFillColorRGB(0.05, 0.15, 0.35)
    canvas.rect(x0, y0, x1 - x0, y1 - y0, fill=1, stroke=0)
    canvas.setFillColorRGB(1, 1, 1)
    write(canvas, HIDDEN, FIRST_HIDDEN)


def under_see_through_image(canvas) -> None:
    write(canvas, HIDDEN, FIRST_HIDDEN)
    x0, y0, x1, y1 = HIDDEN_BOX
    canvas.drawImage(image((255, 255, 255, 0), "RGBA"), x0, y0, x1 - x0, y1 - y0, mask="auto")


def under_light_tint(canvas) -> None:
    """Black text under a 30%-opaque white box (a tint): still legible."""
    write(canvas, HIDDEN, FIRST_HIDDEN)
    x0, y0, x1, y1 = HIDDEN_BOX
    canvas.setFillColorRGB(1, 1, 1)
    canvas.setFillAlpha(0.3)
    canvas.rect(x0, y0, x1 - x0, y1 - y0, fill=1, stroke=0)


HIDING = {
    "invisible render mode": (invisible_mode, INVISIBLE),
    "white on white": (white_on_white, PALE),
    "near-white on white": (near_white, PALE),
    "fully transparent": (transparent, TRANSPARENT),
    "clipped away": (clipped, CLIPPED),
    "covered by a rectangle": (covered_by_rectangle, COVERED),
    "covered by an image": (covered_by_image, COVERED),
    "1 pt": (tiny, TINY),
    "squeezed to 1%": (squeezed, TINY),
}
SEEN = {
    "plain": visible,
    "white on a dark banner": white_on_dark_banner,
    "under a see-through image": under_see_through_image,
    "under a light tint": under_light_tint,
}


def gate_states(result) -> dict[str, str]:
    return {g.id: g.state for g in result.maturity.gate}


@pytest.mark.parametrize("name", SEEN)
def test_statutory_sentences_a_reader_sees_meet_the_checks(scorer, tmp_path, name):
    result = scorer.score_file(statement(tmp_path / "seen.pdf", SEEN[name]))
    assert result.maturity.profile.doc_type == "statement"
    assert gate_states(result) == {"board_approval": "met", "director_signature": "met", "period_covered": "met"}
    assert result.maturity.statutory_met is True
    assert result.hidden_text == ()


@pytest.mark.parametrize("name", HIDING)
def test_hidden_statutory_sentences_meet_no_check_and_are_reported(scorer, tmp_path, name):
    draw, how = HIDING[name]
    path = statement(tmp_path / "hidden.pdf", draw)
    doc = pdf_to_document(path)
    assert "approved" not in doc.text and "Jane Smith" not in doc.text and "Example Trading Limited" in doc.text
    result = scorer.score_document(doc)
    assert result.maturity.profile.doc_type == "statement"
    states = gate_states(result)
    assert "met" not in states.values(), states
    assert result.maturity.statutory_met is not True
    [hidden] = result.hidden_text
    assert (hidden.page, hidden.words, hidden.how) == (1, HIDDEN_WORDS, (how,))
    item = result_to_dict(result)
    assert item["pages_hidden_text"] == [{"page": 1, "words": HIDDEN_WORDS, "how": [how]}]
    assert flat_row(item)["hidden_words"] == HIDDEN_WORDS
    assert decode(encode(result)).hidden_text == result.hidden_text


def scan(path: Path, layer: Callable | None) -> Path:
    """The visible statement as a picture filling the page (a scan), and over it, when given,
    the words drawn by ``layer`` as OCR software lays them."""
    import pypdfium2 as pdfium
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas as rl_canvas

    source = statement(path.with_suffix(".source.pdf"), visible)
    pdf = pdfium.PdfDocument(str(source))
    picture = pdf[0].render(scale=150 / 72, grayscale=True).to_pil()
    pdf.close()
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    canvas = rl_canvas.Canvas(str(path), pagesize=A4, invariant=True)
    canvas.drawImage(ImageReader(io.BytesIO(buffer.getvalue())), 0, 0, *A4)
    if layer is not None:
        layer(canvas)
    canvas.showPage()
    canvas.save()
    return path


def ocr_layer(canvas) -> None:
    write(canvas, BODY, TOP, mode=3)
    write(canvas, HIDDEN, FIRST_HIDDEN, mode=3)


def test_a_scans_invisible_ocr_layer_is_read(scorer, tmp_path):
    path = scan(tmp_path / "scan.pdf", ocr_layer)
    doc = pdf_to_document(path, ocr=False)  # the layer, not OCR, is what is read
    [page] = doc.pages
    assert page.source == "text" and page.hidden_words == 0
    assert "approved by the Board of Directors" in doc.text
    result = scorer.score_document(doc)
    assert gate_states(result) == {"board_approval": "met", "director_signature": "met", "period_covered": "met"}
    assert result.hidden_text == ()


def test_invisible_text_over_a_small_picture_is_no_ocr_layer(tmp_path):
    """A logo is no scan: invisible words laid over it are hidden text."""

    def logo_with_words(canvas) -> None:
        x0, y0, x1, y1 = HIDDEN_BOX
        canvas.drawImage(image((200, 30, 30)), x0, y0, x1 - x0, y1 - y0)
        write(canvas, HIDDEN, FIRST_HIDDEN, mode=3)

    doc = pdf_to_document(statement(tmp_path / "logo.pdf", logo_with_words))
    assert "approved" not in doc.text
    assert [(h.words, h.how) for h in doc.hidden_text] == [(HIDDEN_WORDS, (INVISIBLE,))]


def test_only_the_hidden_part_of_a_line_is_left_out(tmp_path):
    """A clip or a cover that takes part of a text object hides only the characters under it."""

    from reportlab.pdfbase.pdfmetrics import stringWidth

    shown = "Approved by the Board of "

    def half_covered(canvas) -> None:
        write(canvas, [shown + "Directors on 20 March 2021."], FIRST_HIDDEN)
        canvas.setFillColorRGB(1, 1, 1)
        canvas.rect(LEFT + stringWidth(shown, "Helvetica", 10) - 1, FIRST_HIDDEN - 4, 300, 16, fill=1, stroke=0)

    doc = pdf_to_document(statement(tmp_path / "half.pdf", half_covered))
    assert "Approved by the Board of" in doc.text and "Directors" not in doc.text and "March" not in doc.text
    assert doc.pages[0].hidden_words == 5 and doc.pages[0].hidden_how == (COVERED,)


def test_the_pdfplumber_fallback_judges_size_and_colour(tmp_path):
    """pdfminer keeps a character's size and fill colour, and the page's filled shapes, but not
    the render mode, clipping, alpha or paint order: the fallback leaves out tiny and pale text
    only (documented in visibility.PlumberScene)."""
    import pdfplumber

    from disclosure_check.read.page_content import read_plumber_page

    def read(draw) -> tuple[str, int]:
        with pdfplumber.open(statement(tmp_path / f"{draw.__name__}.pdf", draw)) as pdf:
            content = read_plumber_page(pdf.pages[0], 1)
        return " ".join(w.text for w in content.words), content.hidden_words

    for draw in (white_on_white, tiny):
        text, hidden = read(draw)
        assert "approved" not in text and hidden == HIDDEN_WORDS
    for draw in (visible, white_on_dark_banner, invisible_mode):  # the last: what pdfminer cannot see
        text, hidden = read(draw)
        assert "approved by the Board" in text and hidden == 0


def test_a_document_of_hidden_text_only_says_so(tmp_path):
    from reportlab.pdfgen import canvas as rl_canvas

    from disclosure_check.errors import NoTextLayerError

    path = tmp_path / "only_hidden.pdf"
    canvas = rl_canvas.Canvas(str(path), invariant=True)
    canvas.setFillColorRGB(1, 1, 1)
    write(canvas, BODY + HIDDEN, TOP)
    canvas.showPage()
    canvas.save()
    with pytest.raises(NoTextLayerError) as info:
        pdf_to_document(path)
    assert f"{len(' '.join(BODY + HIDDEN).split())} word(s) a reader cannot see were left out" in info.value.message


@pytest.mark.slow  # an AppTest session
def test_the_review_page_warns_of_hidden_text(scorer, tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from app_support import database_with, ok
    from conftest import ROOT

    result = scorer.score_file(statement(tmp_path / "hidden.pdf", white_on_white))
    database_with(monkeypatch, tmp_path / "review.db", [result])
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    at.switch_page("ui/review.py").run()
    ok(at)
    [warning] = [w.value for w in at.warning if "cannot be seen by a reader" in w.value]
    assert f"{HIDDEN_WORDS} word(s)" in warning and "p. 1" in warning and "same colour as the background" in warning
