"""The reviewer's page view: a real statement page with an evidence sentence boxed."""

from __future__ import annotations

import pytest
from PIL import ImageChops

from conftest import SAMPLES
from disclosure_check.present.export import result_to_dict
from disclosure_check.present.highlight import page_image


@pytest.mark.slow
def test_evidence_is_boxed_exactly_where_extraction_found_it(scorer):
    pdf = SAMPLES / "lloyds_banking_group_2018.pdf"
    item = result_to_dict(scorer.score_file(pdf))
    evidence = next(e for e in item["elements"]["approval"]["evidence"] if e["page"] == 1)
    boxes = evidence["boxes"]
    assert boxes and all(len(b) == 5 for b in boxes)
    plain = page_image(pdf, 1, boxes=[])
    marked = page_image(pdf, 1, boxes=boxes)
    assert plain.size == marked.size
    changed = ImageChops.difference(plain, marked).getbbox()
    scale = 110 / 72
    x0 = min(b[1] for b in boxes if b[0] == 1) * scale
    top = min(b[2] for b in boxes if b[0] == 1) * scale
    x1 = max(b[3] for b in boxes if b[0] == 1) * scale
    bottom = max(b[4] for b in boxes if b[0] == 1) * scale
    assert abs(changed[0] - x0) <= 3 and abs(changed[1] - top) <= 3
    assert abs(changed[2] - x1) <= 3 and abs(changed[3] - bottom) <= 3
    # Boxes on another page are not drawn on this one.
    assert page_image(pdf, 2, boxes=boxes).tobytes() == page_image(pdf, 2, boxes=[]).tobytes()


@pytest.mark.slow
def test_results_stored_without_boxes_fall_back_to_finding_the_words():
    pdf = SAMPLES / "lloyds_banking_group_2018.pdf"
    sentence = ("This Statement was approved by the Board of Lloyds Banking Group plc, and that of its principal "
                "subsidiaries Lloyds Bank plc, Bank of Scotland plc and HBOS plc")
    plain = page_image(pdf, 1, [])
    marked = page_image(pdf, 1, [sentence])
    assert ImageChops.difference(plain, marked).getbbox() is not None
    assert page_image(pdf, 1, ["words that are not on this page at all"]).tobytes() == plain.tobytes()


def test_a_huge_page_is_rendered_within_the_pixel_cap(tmp_path):
    """A 200-inch page (the PDF maximum) rendered at 170 dpi would be 34,000 pixels square (4.6 GB
    for a 100-inch page in the old code); the render is capped, the highlight still drawn."""
    from reportlab.pdfgen import canvas

    from disclosure_check.present.highlight import MAX_PIXELS, evidence_image

    path = tmp_path / "huge_page.pdf"
    pdf = canvas.Canvas(str(path), pagesize=(14400, 14400))
    pdf.setFont("Helvetica", 400)
    pdf.drawString(1000, 7000, "We audit our suppliers every year.")
    pdf.showPage()
    pdf.save()
    whole = evidence_image(path, 1)
    assert whole.width * whole.height <= MAX_PIXELS * 1.01
    boxed = evidence_image(path, 1, boxes=[[1, 1000, 7000, 9000, 7400]])
    assert boxed.width * boxed.height <= MAX_PIXELS * 1.01 and boxed.width > 100
