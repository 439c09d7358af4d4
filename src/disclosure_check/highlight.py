"""A PDF page rendered as an image with evidence sentences boxed, for reviewers."""

from __future__ import annotations

import re
from pathlib import Path


def _probes(sentence: str) -> list[str]:
    """Short word runs from the sentence to search for: long phrases break across lines and columns."""
    words = re.findall(r"\S+", sentence)
    return [" ".join(words[i : i + 4]) for i in range(0, max(len(words) - 3, 1), 4)][:12]


def page_image(path: str | Path, page_number: int, sentences: list[str], *, resolution: int = 90):
    """PIL image of page ``page_number`` (1-based) with each sentence's words outlined."""
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        page = pdf.pages[page_number - 1]
        image = page.to_image(resolution=resolution)
        boxes = []
        for sentence in sentences:
            for probe in _probes(sentence):
                try:
                    boxes += page.search(probe, regex=False, case=False)
                except Exception:  # a probe pdfplumber cannot search (odd characters): skip it
                    continue
        if boxes:
            image.draw_rects([(b["x0"], b["top"], b["x1"], b["bottom"]) for b in boxes],
                             fill=(255, 230, 0, 90), stroke=(220, 120, 0), stroke_width=1)
        return image.annotated
