"""A tagged PDF's structure tree as a reading order for a page's text boxes.

A tagged PDF says in its structure tree in what order its marked content is read (an element's
marked-content ids, MCIDs, depth first). Designed pages draw their text in another order than a
person reads it often enough (a sidebar drawn first, a column continued after a pull quote), and
the author's tree knows the story. ``structure_order`` reads the tree of one page through PDFium;
``order_by_structure`` sorts the page's boxes, as layout.py built and ordered them, by it. Our words,
lines, boxes, furniture and tables are kept: only the order of boxes changes, and only where the
tree can say it:

- the tree must cover the page: at least ``MIN_COVERED`` of the words in the boxes carry an MCID
  the tree lists (a tree of a few figures' alt texts, or untagged text, says nothing of the rest);
- boxes that share marked content (one MCID drawn as a row across two of our boxes, an address
  and a phone number side by side on a letterhead), or whose spans in the tree interleave, are
  a group the tree cannot order: they keep our layout order, and the group sits where the tree
  puts its first word;
- a box without tagged words (untagged or artifact text that is not page furniture) stays right
  after the box it follows in our layout order.

On a page so ordered, the tree has put out-of-flow text (a sidebar, a pull quote, a table's cells)
where it is read, so ``paragraphs.join_continuations`` no longer looks past it for a paragraph's
continuation on the same page (Moncler p. 141: "…an increase in low" went on in a sidebar's
paragraph after its heading; Standard Chartered p. 12: a GRI index row ending in a comma ran into
the next row's text past its code and heading).
"""

from __future__ import annotations

import ctypes
from collections.abc import Sequence
from typing import Protocol, TypeVar

import pypdfium2.raw as pdfium_c


class _Word(Protocol):
    @property
    def mcid(self) -> int: ...


class _Line(Protocol):
    @property
    def words(self) -> Sequence[_Word]: ...


class _Box(Protocol):
    """A layout.TextBox, named by what is used of it: layout imports page_content, which reads the
    tree here, so this module imports neither."""

    @property
    def lines(self) -> Sequence[_Line]: ...


_B = TypeVar("_B", bound=_Box)

MIN_COVERED = 0.9  # share of a page's words (in boxes) whose marked content the tree must list
_MAX_DEPTH = 64  # nesting deeper than this is a broken or hostile tree: read no further down


def structure_order(page) -> tuple[int, ...]:
    """The MCIDs of a page (a raw ``FPDF_PAGE``) in its structure tree's order, each once; empty
    when the page has no tree."""
    tree = pdfium_c.FPDF_StructTree_GetForPage(page)
    if not tree:
        return ()
    order: list[int] = []
    seen: set[int] = set()
    visited: set[int] = set()  # elements already walked: a hostile tree lists one child many times

    def add(mcid: int) -> None:
        if mcid >= 0 and mcid not in seen:
            seen.add(mcid)
            order.append(mcid)

    def visit(element, depth: int) -> None:
        address = ctypes.cast(element, ctypes.c_void_p).value
        if address in visited:  # walked as a tree, a graph of shared children has exponentially many paths
            return
        visited.add(address)
        children = pdfium_c.FPDF_StructElement_CountChildren(element)
        if children <= 0:
            for i in range(pdfium_c.FPDF_StructElement_GetMarkedContentIdCount(element)):
                add(pdfium_c.FPDF_StructElement_GetMarkedContentIdAtIndex(element, i))
            return
        for i in range(children):
            child = pdfium_c.FPDF_StructElement_GetChildAtIndex(element, i)
            if not child:  # a marked-content reference, not an element
                add(pdfium_c.FPDF_StructElement_GetChildMarkedContentID(element, i))
            elif depth < _MAX_DEPTH:
                visit(child, depth + 1)

    try:
        for i in range(pdfium_c.FPDF_StructTree_CountChildren(tree)):
            element = pdfium_c.FPDF_StructTree_GetChildAtIndex(tree, i)
            if element:
                visit(element, 0)
    finally:
        pdfium_c.FPDF_StructTree_Close(tree)
    return tuple(order)


def is_tagged(pdf) -> bool:
    """Whether the document (a raw ``FPDF_DOCUMENT``) says it is tagged (/MarkInfo /Marked)."""
    return bool(pdfium_c.FPDFCatalog_IsTagged(ctypes.cast(pdf, pdfium_c.FPDF_DOCUMENT)))


def order_by_structure(boxes: Sequence[_B], order: Sequence[int]) -> list[_B] | None:
    """``boxes`` (in layout order) in the order the structure tree ``order`` reads them (unchanged
    where it cannot order them apart), or None where the tree does not cover the page."""
    if not order:
        return None
    rank = {mcid: k for k, mcid in enumerate(order)}
    marks: list[set[int]] = []
    words = ranked = 0
    for box in boxes:
        own: set[int] = set()
        for line in box.lines:
            for word in line.words:
                words += 1
                if word.mcid in rank:
                    ranked += 1
                    own.add(word.mcid)
        marks.append(own)
    if not words or ranked < MIN_COVERED * words:
        return None
    groups = _groups(marks, rank)
    if len(groups) < 2:
        return list(boxes)
    # A box without tagged words joins the group of the box before it (the first group if none).
    group_of = {b: g for g, (_, members) in enumerate(groups) for b in members}
    current = group_of.get(next(b for b in range(len(boxes)) if marks[b]), 0)
    members: list[list[int]] = [[] for _ in groups]
    for b in range(len(boxes)):
        current = group_of.get(b, current)
        members[current].append(b)
    sequence = sorted(range(len(groups)), key=lambda g: groups[g][0])
    return [boxes[b] for g in sequence for b in members[g]]


def _groups(marks: list[set[int]], rank: dict[int, int]) -> list[tuple[int, list[int]]]:
    """Boxes the tree can order apart, as (first rank, box indices) per group: boxes sharing an MCID
    are one group, and so are groups whose ranges of ranks overlap."""
    owner: dict[int, int] = {}
    parent = list(range(len(marks)))

    def root(b: int) -> int:
        while parent[b] != b:
            parent[b] = parent[parent[b]]
            b = parent[b]
        return b

    for b, own in enumerate(marks):
        for mcid in own:
            other = owner.setdefault(mcid, b)
            if other != b:
                parent[root(b)] = root(other)
    spans: dict[int, list[int]] = {}
    for b, own in enumerate(marks):
        if own:
            ranks = [rank[m] for m in own]
            r = root(b)
            lo, hi = min(ranks), max(ranks)
            found = spans.setdefault(r, [lo, hi, b])
            found[0], found[1] = min(found[0], lo), max(found[1], hi)
    intervals = sorted((lo, hi, r) for r, (lo, hi, _) in spans.items())
    merged: list[tuple[int, int, list[int]]] = []
    for lo, hi, r in intervals:
        if merged and lo <= merged[-1][1]:
            first, last, roots = merged[-1]
            roots.append(r)
            merged[-1] = (first, max(last, hi), roots)
        else:
            merged.append((lo, hi, [r]))
    group_of = {r: g for g, (_, _, roots) in enumerate(merged) for r in roots}
    groups: list[tuple[int, list[int]]] = [(lo, []) for lo, _, _ in merged]
    for b, own in enumerate(marks):  # one pass: a page of thousands of boxes is no quadratic sweep
        if own:
            groups[group_of[root(b)]][1].append(b)
    return groups
