"""Words on a page -> lines -> text boxes in reading order. Pure geometry: no PDF library here.

The chain: ``words_to_rows`` (words whose middles share a line band) -> ``rows_to_lines`` (a row
split where a gap is wide, or where a narrower gap lines up with gaps in the rows above and below:
a column gutter or a table column) -> ``lines_to_boxes`` (lines stacked closely, overlapping
horizontally and set in the same size) -> ``order_boxes`` (reading order).

Reading order follows Breuel's rules ("High performance document layout analysis", 2003): box *a*
comes before *b* when they overlap horizontally and *a* is higher, or when *a* lies wholly left of
*b* and no third box between them vertically spans both. That reads any number of columns top to
bottom, left to right, with full-width titles and figures in place, and keeps sidebars and pull
quotes out of the text they sit beside.
"""

from __future__ import annotations

import heapq
import math
import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from disclosure_check.read.page_content import Word

HARD_GAP = 4.0  # ems: a gap this wide always separates two lines on one row (justified text can space
# words 3 ems apart in a narrow column)
SMALL_CAPITALS_BELOW = 0.5  # points: small capitals are set at least this much smaller than the text
SMALL_CAPITALS_MIN = 2  # capitals: a word with fewer ("1", "*", "a") is a mark, not an acronym or a link
KEPT_SHARE = 0.3  # of a line's characters: the text left when its small capitals are set aside
SOFT_GAP = 0.6  # ems: a gap this wide separates them when it lines up with gaps in nearby rows


@dataclass(frozen=True, slots=True)
class Line:
    page: int
    words: tuple[Word, ...]
    x0: float
    top: float
    x1: float
    bottom: float
    size: float  # the size most of its characters are set in
    bold: bool  # most characters bold
    italic: bool
    text: str  # the words joined by spaces (kept: every later stage reads it)

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass(frozen=True, slots=True)
class TextBox:
    """Lines that belong together on a page (a paragraph, a column chunk, a caption, a cell)."""

    page: int
    lines: tuple[Line, ...]
    x0: float
    top: float
    x1: float
    bottom: float
    rows: tuple[tuple[tuple[Line, ...], ...], ...] = ()  # a table's rows of cells, when the box is a table

    @property
    def size(self) -> float:
        return _dominant((line.size, sum(len(w.text) for w in line.words)) for line in self.lines)


def _dominant(weighted) -> float:
    totals: dict[float, int] = {}
    for value, weight in weighted:
        totals[value] = totals.get(value, 0) + weight
    return max(totals, key=totals.get) if totals else 0.0


def make_line(page: int, words: Sequence[Word]) -> Line:
    """A line of ``words``: their extent, the size most of its characters are set in (the first
    such size on a tie), bold or italic when 60% of its characters are, and its text. One pass."""
    words = tuple(words)
    first = words[0]
    x0, top, x1, bottom = first.x0, first.top, first.x1, first.bottom
    sizes: dict[float, int] = {}
    total = bold = italic = 0
    for w in words:
        n = len(w.text)
        total += n
        sizes[w.size] = sizes.get(w.size, 0) + n
        if w.bold:
            bold += n
        if w.italic:
            italic += n
        # min() and max() keep the first of equal values and compare the same way
        if w.x0 < x0:
            x0 = w.x0
        if w.top < top:
            top = w.top
        if w.x1 > x1:
            x1 = w.x1
        if w.bottom > bottom:
            bottom = w.bottom
    if len(sizes) > 1:
        sizes, total, bold, italic = _text_type(words, sizes, total, bold, italic)
    return Line(page=page, words=words, x0=x0, top=top, x1=x1, bottom=bottom, size=max(sizes, key=sizes.get),
                bold=bold >= 0.6 * total, italic=italic >= 0.6 * total, text=" ".join([w.text for w in words]))


def small_capitals(word: Word, size: float) -> bool:
    """Whether ``word`` is set in small capitals in text of ``size`` points: no lowercase letter, at
    least two capitals ("OECD", "WWW.EXAMPLE-"; not a footnote mark or a figure), and smaller type."""
    return (word.size < size - SMALL_CAPITALS_BELOW and not any(c.islower() for c in word.text)
            and sum(c.isupper() for c in word.text) >= SMALL_CAPITALS_MIN)


def _text_type(words: Sequence[Word], sizes: dict[float, int], total: int, bold: int,
               italic: int) -> tuple[dict[float, int], int, int, int]:
    """Characters per size, in all, in bold and in italic, leaving out words in capitals set smaller
    than the line's largest type: small capitals (a cross-reference, an acronym) are set to the
    x-height of the text around them, so the line's size and weight are its text's ("program →
    SIEMENS FINANCIAL REPORT FOR FISCAL 2023, COMBINED" is a line of 9-point roman text, not of
    6-point bold capitals). Unchanged for a line of nothing else, and when what is left is too little
    to be the line's text: one glyph or figure with under ``KEPT_SHARE`` of the characters (a 24-point
    opening quote before a line of 10-point bold capitals is a line of 10-point type)."""
    largest = max(sizes)
    kept: dict[float, int] = {}
    kept_total = kept_bold = kept_italic = kept_words = 0
    worded = False
    for w in words:
        if small_capitals(w, largest):
            continue
        n = len(w.text)
        kept[w.size] = kept.get(w.size, 0) + n
        kept_total += n
        kept_words += 1
        worded = worded or sum(c.isalpha() for c in w.text) >= 2
        kept_bold += n if w.bold else 0
        kept_italic += n if w.italic else 0
    if kept_total and (kept_words >= 2 or worded or kept_total >= KEPT_SHARE * total):
        return kept, kept_total, kept_bold, kept_italic
    return sizes, total, bold, italic


def _same_line(a: Word, b: Word) -> bool:
    """Two words on one line: their middles nearly level, or the smaller inside the larger's band
    (a superscript, a footnote mark)."""
    small, large = (a, b) if a.bottom - a.top <= b.bottom - b.top else (b, a)
    height = small.bottom - small.top
    if abs((a.top + a.bottom) - (b.top + b.bottom)) / 2 <= 0.35 * height:
        return True
    return small.size < 0.85 * large.size and small.top >= large.top - 1 and small.bottom <= large.bottom + 1


def words_to_fragments(words: Sequence[Word]) -> list[list[Word]]:
    """Runs of words that follow one another in the content stream along one line."""
    fragments: list[list[Word]] = []
    current: list[Word] = []
    last = None
    for word in words:
        if last is not None:
            size = word.size
            em = last.size  # max(last.size, word.size, 1.0), without the call
            if size > em:
                em = size
            if em < 1.0:
                em = 1.0
            gap = word.x0 - last.x1
            if -0.5 * em <= gap <= HARD_GAP * em and _same_line(last, word):
                current.append(word)
                last = word
                continue
            fragments.append(current)
        current = [word]
        last = word
    if current:
        fragments.append(current)
    return fragments


def words_to_rows(words: Sequence[Word]) -> list[list[Word]]:
    """Group words into rows top to bottom, each sorted left to right.

    Words are first chained in content order (so a superscript stays with its line), then the
    chains whose main words share a level are put in one row; a chain joins a row only when it
    is level with the row's first chain, so rows never creep down the page."""
    bands = []
    for fragment in words_to_fragments(words):
        main = fragment[0] if len(fragment) == 1 else max(fragment, key=_prominence)
        bands.append(((main.top + main.bottom) / 2, main.bottom - main.top, fragment))
    bands.sort(key=lambda item: item[0])
    rows: list[list[Word]] = []
    seed_middle = seed_height = 0.0
    for middle, height, fragment in bands:
        if rows and abs(middle - seed_middle) <= 0.35 * min(height, seed_height):
            rows[-1].extend(fragment)
        else:
            rows.append(list(fragment))
            seed_middle, seed_height = middle, height
    return [_dedupe(sorted(row, key=lambda w: w.x0)) for row in rows]


def _prominence(word: Word) -> tuple[float, int]:
    return word.size, len(word.text)


def _dedupe(row: list[Word]) -> list[Word]:
    """Drop a word printed twice in (nearly) the same place: shadows and overprinted layers."""
    kept: list[Word] = []
    for word in row:
        if kept and word.text == kept[-1].text and abs(word.x0 - kept[-1].x0) < 0.3 * max(word.size, 1.0):
            continue
        kept.append(word)
    return kept


def rows_to_lines(rows: list[list[Word]], page: int) -> list[Line]:
    """Split rows into lines at wide gaps, and at narrower gaps that form a vertical corridor of
    white space with the rows around them (a gutter between columns, or between table cells)."""
    soft: list[list[tuple[int, float, float]]] = []  # per row: (index of the word after the gap, gap x0, x1)
    hard: list[set[int]] = []
    for row in rows:
        s, h = [], set()
        for i in range(1, len(row)):
            a, b = row[i - 1], row[i]
            gap = b.x0 - a.x1
            em = a.size  # max(a.size, b.size, 1.0), without the call
            if b.size > em:
                em = b.size
            if em < 1.0:
                em = 1.0
            if gap > HARD_GAP * em:
                h.add(i)
            elif gap > SOFT_GAP * em:
                s.append((i, a.x1, b.x0))
        soft.append(s)
        hard.append(h)
    extents = [_Extent.of(row) for row in rows]
    edges: list[_Edges | None] = [None] * len(rows)
    lines: list[Line] = []
    for r, row in enumerate(rows):
        # A justified line of a few words spreads them far apart: a wide gap that the lines just above
        # and below run straight across is a word space, not a gutter.
        cuts = {i for i in hard[r] if not _spanned(rows, extents, r, row[i - 1].x1, row[i].x0)}
        for i, x0, x1 in soft[r]:
            usual = _usual_gap(row, i)
            em = max(row[i - 1].size, row[i].size, 1.0)
            gap = x1 - x0
            if (
                # Word spaces are even along a line, ragged or justified: one far wider is a break,
                # unless the lines just above and below run straight across it (a stray wide space
                # inside a paragraph, "…the Group and no    representation or warranty…").
                (usual is not None and gap >= 3 * usual and gap >= usual + 0.8 * em
                 and not _spanned(rows, extents, r, x0, x1))
                # Set in another size or face beyond a wide space: a caption or a name beside the
                # text, unless it is set smaller and the lines just above and below run straight
                # across the space (a cross-reference in small capitals inside a line of a column,
                # "…Guidelines (BCGs) → COMPLIANCE / AND ETHICS. They set out…", a run-in footnote's
                # number). Figures in bold beside figures in roman are a table's columns.
                or (gap > 1.0 * em and _other_type(row[i - 1], row[i])
                    and not (row[i].size < row[i - 1].size
                             and _spanned(rows, extents, r, x0, x1, short_end=row[i])))
                or _corridor(rows, extents, edges, r, x0, x1, em)  # (the costliest test last)
            ):
                cuts.add(i)
        # A bullet or list number stands apart from its text (a tab), in a corridor of its own
        # bullets: keep it with the text it marks.
        cuts = {i for i in cuts if not (_marker(row[i - 1]) and (i - 1 == 0 or i - 1 in cuts))}
        start = 0
        for i in sorted(cuts) + [len(row)]:
            if i > start:
                lines.append(make_line(page, row[start:i]))
            start = i
    return lines


@dataclass(frozen=True, slots=True)
class _Extent:
    """A row's top and bottom and its largest font size, worked out once for every gap that asks."""

    top: float
    bottom: float
    size: float
    starts: list[float]  # the words' left edges, in order (a row is sorted by them)
    widest: float

    @classmethod
    def of(cls, row: list[Word]) -> _Extent:
        return cls(min([w.top for w in row]), max([w.bottom for w in row]), max([w.size for w in row]),
                   [w.x0 for w in row], max([w.x1 - w.x0 for w in row]))

    def near(self, row: list[Word], left: float, right: float) -> list[Word]:
        """The row's words that reach into (left, right), found by bisection, not a scan of the row
        (a row of thousands of words asked about each of its gaps would cost their square)."""
        lo = bisect_right(self.starts, left - self.widest)
        hi = bisect_left(self.starts, right)
        return [w for w in row[lo:hi] if w.x1 > left and w.x0 < right]


def _spanned(rows: list[list[Word]], extents: list[_Extent], r: int, g0: float, g1: float,
             short_end: Word | None = None) -> bool:
    """Whether the nearest rows above and below with text near the gap [g0, g1] run on across both
    its ends (no space wider than a word space just inside them): the gap is then a justified
    line's spread-out word space, not a gutter, which would leave a hole at the next column's edge.
    With ``short_end`` (the word after the gap), the next row starting where this one does and
    ending short of the gap stands for a row below that runs across it when it is set in the same
    size (a paragraph's last line) or starts in capitals of that word's size (the rest of a link)."""
    extent = extents[r]
    height = max(extent.bottom - extent.top, 1.0)
    em = max(extent.size, 1.0)
    reach = 3 * height
    for step in (-1, 1):
        k = r + step
        if (short_end is not None and step == 1 and k < len(rows) and extents[k].top - extent.bottom < height
                and abs(rows[k][0].x0 - rows[r][0].x0) <= 1.0
                and (abs(extents[k].size - extent.size) <= 0.5 or abs(rows[k][0].size - short_end.size) <= 0.3
                     and not any(ch.islower() for ch in rows[k][0].text + short_end.text))
                and not extents[k].near(rows[k], g0 - reach, g1 + reach)):
            continue
        while 0 <= k < len(rows):
            other = rows[k]
            if abs(extents[k].top - extent.top) > 2.5 * height:
                return False
            k += step
            near = extents[k - step].near(other, g0 - reach, g1 + reach)
            if not near:
                continue
            if _hole(near, g0 + 0.3 * em) > 0.6 * em or _hole(near, g1 - 0.3 * em) > 0.6 * em:
                return False
            break
        else:
            return False
    return True


def _hole(words: list[Word], x: float) -> float:
    """The width of the white space around x between the (sorted) words, 0 inside a word."""
    left, right = -1e9, 1e9
    for w in words:
        if w.x0 <= x <= w.x1:
            return 0.0
        if w.x1 < x:
            left = max(left, w.x1)
        elif w.x0 > x:
            right = min(right, w.x0)
    return right - left


def _usual_gap(row: list[Word], i: int) -> float | None:
    """The median word space of the line pieces either side of the gap before ``row[i]`` (up to six
    spaces each way, stopping at a wide one); None with fewer than four to go on."""
    gaps = []
    for step, start in ((-1, i - 1), (1, i + 1)):
        k = start
        taken = 0
        while 0 < k < len(row) and taken < 6:
            gap = row[k].x0 - row[k - 1].x1
            if gap > SOFT_GAP * max(row[k].size, row[k - 1].size, 1.0):
                break
            gaps.append(gap)
            taken += 1
            k += step
    gaps.sort()
    return max(gaps[len(gaps) // 2], 0.5) if len(gaps) >= 4 else None


def _other_type(a: Word, b: Word) -> bool:
    """Set in another size or face: a wide gap before such a word ends a line (a caption or a name
    set beside the text), where in running text it would be a justified space."""
    return max(a.size, b.size) > 1.15 * min(a.size, b.size) or (a.font != b.font and a.bold != b.bold)


_MARKER = re.compile(r"^(?:[•●▪■◦‣∙·○□➢➤►▸✓✔–—*o-]|\(?(?:\d{1,2}|[a-zA-Z]|[ivx]{1,4})[.)])$")


def _marker(word: Word) -> bool:
    return bool(_MARKER.match(word.text))


@dataclass(frozen=True, slots=True)
class _Edges:
    """A row's word edges in order, so the words at or across an x position are found by bisection
    instead of a pass over the row for every gap that asks."""

    starts: list[float]  # every word's x0, ascending
    reach: list[float]  # reach[j]: the largest x1 of the j words that start furthest left (-inf for none)
    ends: list[float]  # every word's x1, ascending

    @classmethod
    def of(cls, row: list[Word]) -> _Edges:
        pairs = sorted([(w.x0, w.x1) for w in row])
        reach = [-math.inf]
        furthest = -math.inf
        for _, x1 in pairs:
            if x1 > furthest:
                furthest = x1
            reach.append(furthest)
        return cls([x0 for x0, _ in pairs], reach, sorted([w.x1 for w in row]))

    def crossed(self, before: float, beyond: float) -> bool:
        """Whether a word starting left of ``before`` ends right of ``beyond``."""
        return self.reach[bisect_left(self.starts, before)] > beyond


def _near(values: list[float], edge: float) -> bool:
    """Whether one of the sorted ``values`` lies within 1 pt of ``edge`` (``abs(v - edge) <= 1.0``,
    tested as such on the few values a slightly wider bisection leaves)."""
    lo, hi = bisect_left(values, edge - 1.001), bisect_right(values, edge + 1.001)
    return any(abs(v - edge) <= 1.0 for v in values[lo:hi])


def _corridor(rows: list[list[Word]], extents: list[_Extent], edges: list[_Edges | None], r: int, g0: float,
              g1: float, em: float) -> bool:
    """Whether the gap [g0, g1] in row ``r`` is a column gutter or a table's column gap rather
    than a wide word space: the rows within four line heights above and below have a word
    starting at the gap's right edge (the next column's left margin) or ending at its left edge
    (a justified column's right margin), with white space beside it, in three rows. A row with
    text running across that edge ends the search in that direction. (``edges``: each row's
    ``_Edges``, filled in as rows are first looked at.)"""
    top, bottom = extents[r].top, extents[r].bottom
    reach = 4 * max(bottom - top, 1.0)
    for edge, starts in ((g1, True), (g0, False)):
        found = 0
        for step in (-1, 1):
            k = r + step
            while 0 <= k < len(rows) and found < 3:
                if (top - extents[k].bottom if step < 0 else extents[k].top - bottom) > reach:
                    break
                other = edges[k]
                if other is None:
                    other = edges[k] = _Edges.of(rows[k])
                k += step
                if starts:  # a word across the edge (x0 < edge - 1, x1 > edge - 0.3 em); one starting at it
                    blocked = other.crossed(edge - 1.0, edge - 0.3 * em)
                    hit = _near(other.starts, edge)
                else:  # a word across the edge (x0 < edge + 0.3 em, x1 > edge + 1); one ending at it
                    blocked = other.crossed(edge + 0.3 * em, edge + 1.0)
                    hit = _near(other.ends, edge)
                if blocked:
                    break
                found += hit
        if found >= 3:
            return True
    return False


def words_to_lines(words: Sequence[Word], page: int) -> list[Line]:
    return rows_to_lines(words_to_rows(words), page)


def lines_to_boxes(lines: Sequence[Line]) -> list[TextBox]:
    """Stack lines into text boxes: a line joins the box above it when it is close below that box's
    last line, overlaps it horizontally, is set in nearly the same size, and is the only box it
    could join (a line under two columns is a new, spanning box)."""
    open_boxes: list[list[Line]] = []
    closed: list[list[Line]] = []
    # Each box's left and right edges, kept as lines join (working them out from all its lines for
    # every new line made a page of many lines quadratic). A box is alive until the end, so its id
    # is never reused meanwhile.
    edges: dict[int, tuple[float, float]] = {}
    for line in sorted(split_uneven_gaps(lines), key=lambda ln: (ln.top, ln.x0)):
        still_open = []
        for box in open_boxes:
            (closed if line.top - box[-1].bottom > 3 * max(box[-1].size, 1.0) else still_open).append(box)
        open_boxes = still_open
        candidates = [box for box in open_boxes if _continues_box(box, line, edges[id(box)])]
        if len(candidates) == 1:
            target = candidates[0]
            target.append(line)
            left, right = edges[id(target)]
            edges[id(target)] = (min(left, line.x0), max(right, line.x1))
        else:
            target = [line]
            open_boxes.append(target)
            edges[id(target)] = (line.x0, line.x1)
        # Boxes this line sits under can take no more lines: the next line would jump over it.
        for box in open_boxes:
            if box is not target and box[-1].bottom <= line.top + 0.5 * line.size and _overlaps(box, line):
                closed.append(box)
        open_boxes = [box for box in open_boxes if box is target or not (
            box[-1].bottom <= line.top + 0.5 * line.size and _overlaps(box, line))]
    closed.extend(open_boxes)
    return [_box(box) for box in closed]


def split_uneven_gaps(lines: Sequence[Line]) -> list[Line]:
    """Cut a line at a gap of four ems or more that is either three times its other word spaces, or
    ends where other lines of another column start: two columns' lines joined across a narrow
    gutter. Justification spreads all of a line's spaces alike, so one space far wider than the
    rest is never a word space, even where the lines above and below run across it (a bulleted
    column beside one that is not)."""
    out: list[Line] = []
    for line in lines:
        words = line.words
        gaps = [b.x0 - a.x1 for a, b in zip(words, words[1:], strict=False)]
        if not gaps or max(gaps) <= HARD_GAP * max(line.size, 1.0):
            out.append(line)
            continue
        cuts = []
        for i, gap in enumerate(gaps, start=1):
            em = max(words[i - 1].size, words[i].size, 1.0)
            if gap <= HARD_GAP * em or (i == 1 and _marker(words[0])):  # a list mark stays with its item
                continue
            others = sorted(g for k, g in enumerate(gaps, start=1) if k != i and g <= SOFT_GAP * em)
            if (len(others) >= 4 and gap >= 3 * max(others[len(others) // 2], 0.5) + em) or _column_edge(
                    lines, line, words[i - 1].x1, words[i].x0):
                cuts.append(i)
        if not cuts:
            out.append(line)
            continue
        start = 0
        for i in [*cuts, len(words)]:
            out.append(make_line(line.page, words[start:i]))
            start = i
    return out


def _column_edge(lines: Sequence[Line], line: Line, left: float, x: float) -> bool:
    """Whether two or more other lines near ``line`` start at ``x`` and wholly right of ``left``:
    the left margin of a column beside it."""
    reach = 15 * max(line.size, 1.0)
    found = 0
    for other in lines:
        if other is not line and abs(other.x0 - x) <= 1.0 and other.x0 > left and abs(other.top - line.top) <= reach:
            found += 1
            if found >= 2:
                return True
    return False


def carries_on(last: Line, line: Line, pitch: float | None = None) -> bool:
    """Whether ``line`` starts with the rest of the small capitals that ``last`` ends with (a
    cross-reference wrapped onto the next line, "…can be found in → SUSTAINABLE SUPPLY / CHAIN
    PRACTICES."): it belongs to the paragraph of the line above, whatever its own size. Not when
    the capitals end a sentence ("…the OECD." over "ILO conventions…"), nor for a footnote mark
    ("…any of them. 1" over "1 Audits were made…"), nor when the line stands further below than the
    text's line spacing ``pitch`` (baseline to baseline; 1.25 ems when not known)."""
    end, start = last.words[-1], line.words[0]
    size = max(last.size, line.size, 1.0)
    if not (small_capitals(end, size) and small_capitals(start, size) and abs(start.size - end.size) <= 0.3
            and start.bold == end.bold) or end.text.endswith(_SENTENCE_END):
        return False
    return line.bottom - last.bottom <= (pitch or 1.25 * size) + 0.35 * size


_SENTENCE_END = (".", "!", "?", ":", ";")


def _overlaps(box: list[Line], line: Line) -> bool:
    # Against the box's last line, not its whole width: a full-width title heading the left column's
    # box must not make every line of the right column look as if it sat under that box.
    last = box[-1]
    return min(last.x1, line.x1) - max(last.x0, line.x0) > 1.0


def _continues_box(box: list[Line], line: Line, edges: tuple[float, float]) -> bool:
    last = box[-1]
    carried = False
    if small_capitals(last.words[-1], max(last.size, line.size, 1.0)):  # (before the box's spacing is worked out)
        pitches = sorted(b.bottom - a.bottom for a, b in zip(box, box[1:], strict=False))
        carried = carries_on(last, line, pitches[len(pitches) // 2] if pitches else None)
    size = (max(last.size, line.size) if carried else min(last.size, line.size)) or 1.0
    gap = line.top - last.bottom
    if gap > 0.8 * size or gap < -0.6 * size or line.top < last.top + 0.3 * size:
        return False
    if max(last.size, line.size) > 1.18 * size + 0.3 and not carried:
        return False
    overlap = min(last.x1, line.x1) - max(last.x0, line.x0)
    if overlap <= 0.5 * min(line.width, last.width):
        return False
    # A line much wider than the box (a full-width line under one column) starts its own box.
    left, right = edges
    return line.width <= (right - left) * 1.35 + 2 * size


def order_boxes(boxes: Sequence[TextBox]) -> list[TextBox]:
    """Boxes of one page in reading order (see the module docstring)."""
    boxes = _detach_headings(boxes)
    n = len(boxes)
    if n <= 1:
        return list(boxes)
    x0 = np.array([b.x0 for b in boxes])
    x1 = np.array([b.x1 for b in boxes])
    top = np.array([b.top for b in boxes])
    bottom = np.array([b.bottom for b in boxes])
    middle = (top + bottom) / 2
    tolerance = 2.0
    overlap = (np.minimum(x1[:, None], x1[None, :]) - np.maximum(x0[:, None], x0[None, :])) > tolerance
    above = middle[:, None] < middle[None, :]
    before = overlap & above
    left_of = x1[:, None] <= x0[None, :] + tolerance
    if left_of.any():
        blocked = np.zeros((n, n), dtype=bool)
        for c in range(n):
            spans = overlap[c]
            if spans.sum() < 2:
                continue
            # c lies vertically between a and b (entirely below one and above the other)
            below_a = top[c] >= bottom - tolerance
            above_b = bottom[c] <= top + tolerance
            between = (below_a[:, None] & above_b[None, :]) | (above_b[:, None] & below_a[None, :])
            blocked |= spans[:, None] & spans[None, :] & between
        # A box wholly below and left of another comes first only when their columns (boxes sharing
        # a left edge) stand side by side, not when the other is a title set above the whole region
        # (a centred title over a left-aligned "Abstract" and the columns under it).
        same_column = np.abs(x0[:, None] - x0[None, :]) <= 2 * tolerance
        column_top = np.where(same_column, top[None, :], np.inf).min(axis=1)
        column_bottom = np.where(same_column, bottom[None, :], -np.inf).max(axis=1)
        beside = (column_top[:, None] <= column_bottom[None, :]) & (column_top[None, :] <= column_bottom[:, None])
        below = top[:, None] >= bottom[None, :] - tolerance  # [a, b]: a wholly below b
        ahead = left_of & ~blocked & ~overlap & (~below | beside)
        # A heading under the left column that heads full-width text below both columns ("Deposits"
        # over a page-wide paragraph) comes after the right column, like the text it heads.
        heads = _heads_spanning(boxes, overlap, top, bottom, tolerance)
        if heads.any():
            spans_below = overlap & (top[None, :] >= bottom[:, None] - tolerance)  # [b, c]: c spans b, below it
            late = ahead & below & (heads.astype(np.int32) @ spans_below.T.astype(np.int32) > 0)
            ahead &= ~late
            before |= late.T
        before |= ahead
    np.fill_diagonal(before, False)
    return [boxes[i] for i in _topological(before, top, x0)]


def _box(lines: Sequence[Line], rows=()) -> TextBox:
    return TextBox(page=lines[0].page, lines=tuple(lines), x0=min(ln.x0 for ln in lines), top=min(ln.top for ln in lines),
                   x1=max(ln.x1 for ln in lines), bottom=max(ln.bottom for ln in lines), rows=rows)


def _detach_headings(boxes: Sequence[TextBox]) -> list[TextBox]:
    """A column's box whose last line is a heading (bold or larger than the line above, short, no
    full stop) set just above a box wider than the column gets that line as a box of its own: it
    heads the wide text below, not the column above."""
    out = list(boxes)
    for k, box in enumerate(boxes):
        if box.rows or len(box.lines) < 2:
            continue
        last, prev = box.lines[-1], box.lines[-2]
        size = max(last.size, 1.0)
        if (len(last.words) > 12 or last.text.rstrip().endswith((".", ",", ";"))
                or not (last.bold and not prev.bold or last.size > prev.size + 1.0)):
            continue
        if any(0 <= other.top - last.bottom <= 1.5 * size and other.x0 < last.x1 and other.x1 > last.x0
               and other.x1 - other.x0 > (box.x1 - box.x0) * 1.35 + 2 * size for other in boxes if other is not box):
            out[k] = _box(box.lines[:-1])
            out.append(_box([last]))
    return out


def _heads_spanning(boxes: Sequence[TextBox], overlap: np.ndarray, top: np.ndarray, bottom: np.ndarray,
                    tolerance: float) -> np.ndarray:
    """[a, c]: box a is a heading (one or two short lines, no full stop) set just above box c."""
    n = len(boxes)
    heads = np.zeros((n, n), dtype=bool)
    for a, box in enumerate(boxes):
        text = " ".join(line.text for line in box.lines).rstrip()
        if len(box.lines) > 2 or len(text.split()) > 12 or text.endswith((".", ",", ";")):
            continue
        gap = top - bottom[a]
        heads[a] = overlap[a] & (gap >= -tolerance) & (gap <= 1.5 * max(box.size, 1.0))
    heads[np.arange(n), np.arange(n)] = False
    return heads


def _topological(before: np.ndarray, top: np.ndarray, x0: np.ndarray) -> list[int]:
    """Kahn's algorithm, taking the highest (then leftmost) ready box first; a cycle (boxes that
    overlap oddly) is broken at its highest box."""
    n = len(top)
    indegree = before.sum(axis=0).astype(int)
    done = np.zeros(n, dtype=bool)
    ready = [(top[i], x0[i], i) for i in range(n) if indegree[i] == 0]
    heapq.heapify(ready)
    order: list[int] = []
    while len(order) < n:
        if not ready:
            rest = [i for i in range(n) if not done[i]]
            i = min(rest, key=lambda k: (top[k], x0[k]))
            indegree[i] = 0
            ready.append((top[i], x0[i], i))
        _, _, i = heapq.heappop(ready)
        if done[i]:
            continue
        done[i] = True
        order.append(i)
        for j in np.flatnonzero(before[i]):
            if not done[j]:
                indegree[j] -= 1
                if indegree[j] == 0:
                    heapq.heappush(ready, (top[j], x0[j], j))
    return order
