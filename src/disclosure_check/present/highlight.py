"""A PDF page rendered as an image with evidence sentences boxed, for reviewers.

Extraction keeps every word's box, and each evidence sentence carries the boxes of its lines
(``[page, x0, top, x1, bottom]`` in PDF points from the page's top-left corner), so the page is
drawn with exactly those boxes. Results stored before boxes were kept fall back to searching the
page for the sentence's words. The PDF is a path or its bytes (a shared self-assessment's stored
copy). ``evidence_image`` renders sharp and crops to the boxes, so the highlight is in view.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Sequence
from pathlib import Path

Source = str | Path | bytes  # a PDF's path or its bytes

FILL = (255, 215, 0, 80)
STROKE = (210, 110, 0, 255)


def page_image(path: Source, page_number: int, sentences: Sequence[str] = (), *,
               boxes: Sequence[Sequence[float]] | None = None, resolution: int = 110):
    """PIL image of page ``page_number`` (1-based) with the given boxes outlined (those on this
    page), or, without boxes, each sentence's words found on the page."""
    image, _, _ = _marked_page(path, page_number, sentences, boxes, resolution)
    return image


# Around the boxes: enough of the page to read the sentence in its paragraph.
MARGIN_X, MARGIN_Y, MIN_HEIGHT, MIN_WIDTH = 24.0, 60.0, 200.0, 320.0  # PDF points


def evidence_image(path: Source, page_number: int, sentences: Sequence[str] = (), *,
                   boxes: Sequence[Sequence[float]] | None = None, resolution: int = 170):
    """The part of the page around the evidence boxes, rendered at ``resolution`` dpi (shown at
    its natural size it stays sharp): the boxes' extent plus a margin, so the sentence is in view
    with its paragraph. The whole page when nothing is boxed."""
    image, rects, scale = _marked_page(path, page_number, sentences, boxes, resolution)
    if not rects:
        return image
    width, height = image.size[0] / scale, image.size[1] / scale
    x0, x1 = min(r[0] for r in rects) - MARGIN_X, max(r[2] for r in rects) + MARGIN_X
    if x1 - x0 < MIN_WIDTH:
        middle = (x0 + x1) / 2
        x0, x1 = middle - MIN_WIDTH / 2, middle + MIN_WIDTH / 2
    x0, x1 = max(x0, 0), min(x1, width)
    top = min(r[1] for r in rects) - MARGIN_Y
    bottom = max(r[3] for r in rects) + MARGIN_Y
    if bottom - top < MIN_HEIGHT:
        middle = (top + bottom) / 2
        top, bottom = middle - MIN_HEIGHT / 2, middle + MIN_HEIGHT / 2
    top, bottom = max(top, 0), min(bottom, height)
    return image.crop((int(x0 * scale), int(top * scale), int(x1 * scale), int(bottom * scale)))


def _open(pdfium, path: Source):
    return pdfium.PdfDocument(path if isinstance(path, bytes) else str(path))


MAX_PIXELS = 12_000_000  # an A3 page at 170 dpi is 5.2 million pixels; 12 million is ~36 MB of RGB


def _render(path: Source, page_number: int, resolution: int):
    """(RGB image of the page, pixels per PDF point)."""
    import pypdfium2 as pdfium

    pdf = _open(pdfium, path)
    try:
        page = pdf[page_number - 1]
        try:
            # A page's size is the PDF's to choose (a 200-inch page at 170 dpi is a 34,000-pixel
            # square): the render is capped at MAX_PIXELS, cropped to the page's CropBox as pdfium does.
            width, height = page.get_size()
            scale = min(resolution / 72, math.sqrt(MAX_PIXELS / max(width * height, 1.0)))
            return page.render(scale=scale, may_draw_forms=True).to_pil().convert("RGB"), scale
        finally:
            page.close()
    finally:
        pdf.close()


def page_count(path: Source) -> int:
    """How many pages the PDF has."""
    import pypdfium2 as pdfium

    pdf = _open(pdfium, path)
    try:
        return len(pdf)
    finally:
        pdf.close()


def marked_page(path: Source, page_number: int, marks: Sequence[tuple], *, resolution: int = 110):
    """The whole page with several sentences marked, each in its own colour and numbered:
    ``marks`` are (RGB colour, boxes as [page, x0, top, x1, bottom], label) and only boxes on this
    page are drawn; the label ("3") sits in a tab at the left of the sentence's first box, so a
    list beside the page can say which finding each numbered sentence belongs to."""
    from PIL import Image, ImageDraw, ImageFont

    image, scale = _render(path, page_number, resolution)
    overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    size = max(11, round(11 * scale))
    font = ImageFont.load_default(size=size)
    tabs, drawn = [], []
    for colour, boxes, tag in marks:
        rects = [tuple(float(v) * scale for v in b[1:5]) for b in boxes if int(b[0]) == page_number]
        for x0, top, x1, bottom in rects:
            draw.rectangle([x0 - 1, top - 1, x1 + 1, bottom + 1], fill=(*colour, 60), outline=(*colour, 255),
                           width=max(1, round(scale)))
        drawn += rects
        if rects and tag:
            tabs.append((rects, colour, str(tag)))
    for i, (rects, colour, tag) in enumerate(tabs):
        # Left of the sentence's lines, level with its first line; a sentence that starts mid-line after
        # other marked sentences is labelled where that run of boxes starts, not over the words before it.
        first, anchor = rects[0], min(r[0] for r in rects)
        moved = True
        while moved:
            moved = False
            for x0, top, x1, bottom in drawn:
                if top < first[3] and bottom > first[1] and x0 < anchor <= x1 + 6 * scale:
                    anchor, moved = x0, True
        tabs[i] = (anchor, first[1], colour, tag)
    placed: list[tuple[float, float, float, float]] = []
    for x0, top, colour, tag in tabs:  # drawn last: a label is never under another sentence's fill
        left, upper, right, lower = draw.textbbox((0, 0), tag, font=font)
        w, h = right - left + 8, lower - upper + 6
        x = x0 - w - 3
        while any(x < px1 and x + w > px0 and top < pb and top + h > pt for px0, pt, px1, pb in placed):
            x -= w + 2  # two sentences starting on one line: side by side
        x = max(0.0, x)
        placed.append((x, top, x + w, top + h))
        draw.rectangle([x, top, x + w, top + h], fill=(*colour, 255))
        draw.text((x + 4 - left, top + 3 - upper), tag, fill=(255, 255, 255, 255), font=font)
    return Image.alpha_composite(image.convert("RGBA"), overlay).convert("RGB")


def _marked_page(path: Source, page_number: int, sentences: Sequence[str],
                 boxes: Sequence[Sequence[float]] | None, resolution: int):
    from PIL import Image, ImageDraw

    image, scale = _render(path, page_number, resolution)
    if boxes is None:
        rects = search_boxes(path, page_number, sentences)
    else:
        rects = [tuple(b[1:5]) for b in boxes if int(b[0]) == page_number]
    if not rects:
        return image, rects, scale
    overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    for x0, top, x1, bottom in rects:
        draw.rectangle([x0 * scale - 1, top * scale - 1, x1 * scale + 1, bottom * scale + 1], fill=FILL,
                       outline=STROKE, width=max(1, round(scale)))
    return Image.alpha_composite(image.convert("RGBA"), overlay).convert("RGB"), rects, scale


def _probes(sentence: str) -> list[str]:
    """Short word runs from the sentence to search for: long phrases break across lines and columns."""
    words = re.findall(r"\S+", sentence)
    return [" ".join(words[i : i + 4]) for i in range(0, max(len(words) - 3, 1), 4)][:12]


def search_boxes(path: Source, page_number: int, sentences: Sequence[str]) -> list[tuple]:
    """Boxes for sentences without stored boxes: each one's first findable word run anchors it,
    and each later run is taken where it is nearest the previous one."""
    if not sentences:
        return []
    import pdfplumber

    rects = []
    with pdfplumber.open(io.BytesIO(path) if isinstance(path, bytes) else path) as pdf:
        page = pdf.pages[page_number - 1]
        for sentence in sentences:
            chosen: list[dict] = []
            for probe in _probes(sentence):
                try:
                    found = page.search(probe, regex=False, case=False)
                except Exception:  # a probe pdfplumber cannot search (odd characters): skip it
                    continue
                if not found:
                    continue
                if not chosen:
                    chosen.append(found[0])
                    continue
                last = chosen[-1]
                nearest = min(found, key=lambda b: abs(b["top"] - last["top"]) * 3 + abs(b["x0"] - last["x1"]))
                if abs(nearest["top"] - last["top"]) <= 40:  # the next words are on the same or the next lines
                    chosen.append(nearest)
            rects += [(b["x0"], b["top"], b["x1"], b["bottom"]) for b in chosen]
    return rects
