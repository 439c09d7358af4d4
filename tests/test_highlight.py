"""The reviewer's page view: a real statement page with an evidence sentence boxed."""

from __future__ import annotations

from PIL import ImageChops

from conftest import SAMPLES
from disclosure_check.highlight import page_image


def test_evidence_sentence_is_boxed_on_its_page():
    pdf = SAMPLES / "lloyds_banking_group_2018.pdf"
    sentence = ("This Statement was approved by the Board of Lloyds Banking Group plc, and that of its principal "
                "subsidiaries Lloyds Bank plc, Bank of Scotland plc and HBOS plc")
    plain = page_image(pdf, 1, [])
    marked = page_image(pdf, 1, [sentence])
    assert plain.size == marked.size
    box = ImageChops.difference(plain.convert("RGB"), marked.convert("RGB")).getbbox()
    assert box is not None  # something was drawn
    # The highlight is where pdfplumber finds the sentence's opening words on the page.
    import pdfplumber

    with pdfplumber.open(pdf) as doc:
        page = doc.pages[0]
        [found] = page.search("This Statement was approved")
        scale = plain.size[1] / float(page.height)
    assert box[1] <= found["top"] * scale + 2 and box[3] >= found["bottom"] * scale - 2
    assert page_image(pdf, 1, ["words that are not on this page at all"]).tobytes() == plain.tobytes()
