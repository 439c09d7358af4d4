"""Page furniture: running headers, running footers and page numbers, found across the pages.

A line is furniture when it sits in the top or bottom margin of its page and either reads as a
page number, or repeats (digits ignored, so "Annual Report 2023 | 14" matches "... | 15") in the
margins of many pages. Everything else a reader sees is kept.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from disclosure_check.read.layout import Line

MARGIN = 0.1  # share of the page height at the top and at the bottom
_ROMAN = r"(?=[ivxlc])c{0,3}(?:x[cl]|l?x{0,3})(?:i[xv]|v?i{0,3})"
_PAGE_NUMBER = re.compile(
    rf"^\s*(?:page\s*)?[-–—(\[|]?\s*(?:\d{{1,4}}|{_ROMAN})\s*[-–—)\]|]?\s*(?:(?:of|/)\s*\d{{1,4}})?\s*$", re.I)


def furniture_key(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"\d+", "#", text.lower())).strip()


def is_page_number(text: str) -> bool:
    return bool(_PAGE_NUMBER.match(text))


def _in_margin(line: Line, height: float) -> bool:
    return line.bottom <= height * MARGIN or line.top >= height * (1 - MARGIN)


def drop_furniture(pages: Sequence[Sequence[Line]], heights: Sequence[float]) -> list[list[Line]]:
    """The pages' lines without running headers, footers and page numbers."""
    keys_per_page = []
    for lines, height in zip(pages, heights, strict=True):
        keys_per_page.append({furniture_key(line.text) for line in lines if _in_margin(line, height)})
    counts = Counter(key for keys in keys_per_page for key in keys)
    repeated = max(2, round(0.3 * len(pages)))
    cleaned = []
    for lines, height in zip(pages, heights, strict=True):
        kept = []
        for line in lines:
            if _in_margin(line, height):
                text = line.text
                if is_page_number(text) or (len(pages) >= 2 and counts[furniture_key(text)] >= repeated):
                    continue
            kept.append(line)
        cleaned.append(kept)
    if not any(cleaned) and any(pages):
        return [list(lines) for lines in pages]  # the only text there is repeats on every page: it is the text
    return cleaned
