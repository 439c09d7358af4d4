"""A PDF page rendered as an image with evidence sentences boxed, for reviewers."""

from __future__ import annotations

import re
from pathlib import Path


def _probes(sentence: str) -> list[str]:
    """Short word runs from the sentence to search for: long phrases break across lines and columns."""
    words = re.findall(r"\S+", sentence)
    return [" ".join(words[i : i + 4]) for i in range(0, max(len(words) - 3, 1), 4)][:12]


def _search(page, probe: str) -> list[dict]:
    try:
        return page.search(probe, regex=False, case=False)
    except Exception:  # a probe pdfplumber cannot search (odd characters): skip it
        return []


def _chain(page, probes: list[str]) -> list[dict]:
    """Boxes for the sentence: its first findable run anchors it, and each later run is taken where it
    is nearest the previous one, so the same words elsewhere on the page are not marked."""
    chosen: list[dict] = []
    for probe in probes:
        found = _search(page, probe)
        if not found:
            continue
        if not chosen:
            chosen.append(found[0])
            continue
        last = chosen[-1]
        nearest = min(found, key=lambda b: abs(b["top"] - last["top"]) * 3 + abs(b["x0"] - last["x1"]))
        if abs(nearest["top"] - last["top"]) <= 40:  # the next words are on the same or the next lines
            chosen.append(nearest)
    return chosen


def page_image(path: str | Path, page_number: int, sentences: list[str], *, resolution: int = 90):
    """PIL image of page ``page_number`` (1-based) with each sentence's words outlined."""
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        page = pdf.pages[page_number - 1]
        image = page.to_image(resolution=resolution)
        boxes = []
        for sentence in sentences:
            boxes += _chain(page, _probes(sentence))
        if boxes:
            image.draw_rects([(b["x0"], b["top"], b["x1"], b["bottom"]) for b in boxes],
                             fill=(255, 230, 0, 90), stroke=(220, 120, 0), stroke_width=1)
        return image.annotated
