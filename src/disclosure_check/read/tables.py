"""Tables on a page: found, kept out of the running text, and read row by row, cell by cell.

Two kinds are found. Ruled tables come from the page's ruling lines through pdfplumber's own
table algorithm (``merge_edges`` -> ``edges_to_intersections`` -> ``intersections_to_cells`` ->
``cells_to_tables``, its "lines" strategy), fed with lines PDFium reads, so pdfplumber need not
parse the page again. Tables without rules are found from their text: three or more rows of
short cells that keep to the same columns.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from disclosure_check.read.layout import Line, make_line
from disclosure_check.read.page_content import Rect

_NUMERIC = re.compile(r"^[\s$€£¥(\-–—+]*[\d.,]+\s*[%)xX]?[\s)]*$|^[-–—]$|^n/?a$", re.I)
# a date (30/12/2024, 2023-24) or a figure grouped by spaces (625 843 440,99)
_FIGURE = re.compile(r"^\d[\d/.\-–]*\d$|^[\s$€£¥(\-–—+]*\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:[.,]\d+)?\s*[%)]?$")
# a numbered reference heading a row of a contents list or index ("Section 1.01", "Item 7A.", "Note 12",
# "Part IV", "Appendix B"): the word in any case, the reference a number, a Roman numeral or one capital
# letter in the case written, so "Part of" or "Note this" (a word, which re.I let through) is none
_KEY = re.compile(r"^(?i:section|item|note|article|part|schedule|exhibit|clause|chapter|appendix|annex)\s+"
                  r"(?:\d{1,3}[A-Z]?|[IVXL]{1,6}|[ivxl]{1,6}|[A-Z])(?:\.\d+)*[A-Z]?\.?$")
MIN_ROWS = 3
MAX_GRID_POINTS = 400  # rule crossings a ruled table may have (20 rows x 20 columns)


@dataclass(frozen=True)
class TableGrid:
    """A table: its box and its rows, each a tuple of cells, each cell the lines inside it."""

    page: int
    x0: float
    top: float
    x1: float
    bottom: float
    rows: tuple[tuple[tuple[Line, ...], ...], ...]
    ruled: bool
    consumed: tuple[Line, ...] = ()  # the page's lines the table took (cells may be pieces of them)

    @property
    def lines(self) -> tuple[Line, ...]:
        return tuple(line for row in self.rows for cell in row for line in cell)


def looks_tabular(lines: Sequence[Line]) -> bool:
    """A cheap first look: three rows in a row holding two or more short pieces of text side by side
    (worth reading the page's ruling lines for)."""
    rows = lines_to_rows(lines)
    run = 0
    for row in rows:
        if len(row) >= 2 and min(len(line.words) for line in row) <= 4:
            run += 1
            if run >= MIN_ROWS:
                return True
        else:
            run = 0
    return False


def lines_to_rows(lines: Sequence[Line]) -> list[list[Line]]:
    """Lines on the same level, top to bottom, each row left to right."""
    rows: list[list[Line]] = []
    seed_middle = seed_height = 0.0
    for line in sorted(lines, key=lambda ln: (ln.middle, ln.x0)):
        height = max(line.bottom - line.top, 0.5)
        if rows and abs(line.middle - seed_middle) <= 0.35 * min(height, seed_height):
            rows[-1].append(line)
        else:
            rows.append([line])
            seed_middle, seed_height = line.middle, height
    return [sorted(row, key=lambda ln: ln.x0) for row in rows]


def find_tables(lines: Sequence[Line], rules: Sequence[Rect], page: int) -> tuple[list[TableGrid], list[Line]]:
    """The page's tables, and its lines that are not in a table."""
    tables: list[TableGrid] = []
    rest = list(lines)
    for cells in ruled_cells(rules):
        grid = _fill(cells, rest, page)
        if grid is not None:
            covered = _covered(rest, grid)
            tables.append(replace(grid, consumed=tuple(covered)))
            inside = {id(line) for line in covered}
            rest = [line for line in rest if id(line) not in inside]
    for grid in aligned_tables(rest, page):
        tables.append(grid)
        taken = {id(line) for line in grid.consumed}
        rest = [line for line in rest if id(line) not in taken]
    return tables, rest


def ruled_cells(rules: Sequence[Rect]) -> list[list[tuple[float, float, float, float]]]:
    """Tables (lists of cell boxes) that the ruling lines draw, by pdfplumber's algorithm."""
    if len(rules) < 4:
        return []
    from pdfplumber.table import cells_to_tables, edges_to_intersections, intersections_to_cells, merge_edges

    edges = []
    for r in rules:
        if r.bottom - r.top <= 2.5 and r.x1 - r.x0 >= 3:
            middle = (r.top + r.bottom) / 2
            edges.append({"x0": r.x0, "x1": r.x1, "top": middle, "bottom": middle, "width": r.x1 - r.x0,
                          "height": 0.0, "orientation": "h", "object_type": "line"})
        elif r.x1 - r.x0 <= 2.5 and r.bottom - r.top >= 3:
            middle = (r.x0 + r.x1) / 2
            edges.append({"x0": middle, "x1": middle, "top": r.top, "bottom": r.bottom, "width": 0.0,
                          "height": r.bottom - r.top, "orientation": "v", "object_type": "line"})
    if len(edges) > 4000:  # a chart or a hatched drawing, not a table
        return []
    edges = merge_edges(edges, snap_x_tolerance=3, snap_y_tolerance=3, join_x_tolerance=3, join_y_tolerance=3)
    edges = [e for e in edges if (e["width"] if e["orientation"] == "h" else e["height"]) >= 3]
    vertical = sum(1 for e in edges if e["orientation"] == "v")
    if vertical < 2 or len(edges) - vertical < 2 or vertical * (len(edges) - vertical) > 250_000:
        return []  # no grid (rules only under text), or a drawing too dense to be a table
    points = edges_to_intersections(edges, 3, 3)
    if len(points) > MAX_GRID_POINTS:
        return []  # pdfplumber's cell search grows with the square of the points: a chart, not a table
    cells = intersections_to_cells(points)
    return [t for t in cells_to_tables(cells) if len({c[0] for c in t}) >= 2 and len({c[1] for c in t}) >= 2]


def _covered(lines: Sequence[Line], grid: TableGrid) -> list[Line]:
    return [line for line in lines if grid.x0 - 1 <= (line.x0 + line.x1) / 2 <= grid.x1 + 1
            and grid.top - 1 <= line.middle <= grid.bottom + 1]


def _fill(cells: list[tuple[float, float, float, float]], lines: Sequence[Line], page: int) -> TableGrid | None:
    """Put the words inside a ruled table into its cells; None when it holds too little text to be
    a table (a frame around a picture, a box around a paragraph)."""
    x0 = min(c[0] for c in cells)
    top = min(c[1] for c in cells)
    x1 = max(c[2] for c in cells)
    bottom = max(c[3] for c in cells)
    words_in: dict[tuple, list] = {c: [] for c in cells}
    for line in lines:
        if not (x0 - 1 <= (line.x0 + line.x1) / 2 <= x1 + 1 and top - 1 <= line.middle <= bottom + 1):
            continue
        for word in line.words:
            cx, cy = (word.x0 + word.x1) / 2, (word.top + word.bottom) / 2
            for cell in cells:
                if cell[0] - 1 <= cx <= cell[2] + 1 and cell[1] - 1 <= cy <= cell[3] + 1:
                    words_in[cell].append(word)
                    break
    filled = [c for c in cells if words_in[c]]
    if len(filled) < 3:
        return None
    lines_in = {c: _cell_lines(words_in[c], page) for c in filled}
    rows: list[tuple[tuple[Line, ...], ...]] = []
    labels = _labels_stacked(lines_in)
    if any(sum(1 for line in lines if _is_figure(line)) >= 2 for lines in lines_in.values()):
        # figures stacked in a ruled cell: rules drawn around groups of rows, read at the text lines
        body = lines_in
    elif labels:
        # a column of labels stacked in a ruled cell: the rows from there on are read at the text
        # lines, the header cells above as drawn
        start = min(cell[1] for cell in labels) - 1
        body = {cell: lines for cell, lines in lines_in.items() if cell[1] >= start}
    else:
        body = {}
    for row_top in sorted({round(c[1]) for c in filled if c not in body}):
        # one row per ruled row, as drawn (a header cell's words centred over two lines stay one cell)
        row_cells = sorted((c for c in filled if round(c[1]) == row_top and c not in body), key=lambda c: c[0])
        row = tuple(piece for c in row_cells for piece in _split_wide(lines_in[c], page))
        if row:
            rows.append(row)
    for text_row in _text_rows(body, labels) if body else ():
        rows.append(tuple(piece for cell, lines in sorted(text_row.items(), key=lambda item: item[0][0])
                          for piece in _split_wide(lines, page)))
    if len(rows) < 2:
        return None
    return TableGrid(page, x0, top, x1, bottom, tuple(rows), ruled=True)


Cell = tuple[float, float, float, float]


def _labels_stacked(cells: dict[Cell, tuple[Line, ...]]) -> set[Cell]:
    """Ruled cells that hold a column of three or more labels, most of them capitalised, with a figure
    in a cell to the right level with one of their lines after the first (Comgest p. 35: "ACTIF /
    Dépôts / Obligations et valeurs / assimilées / …" beside a single "57 970 844,49"): the
    rules are drawn around a group of rows, not around one row's cells."""
    figures = [(cell, line) for cell, lines in cells.items() for line in lines if _is_figure(line)]
    found: set[Cell] = set()
    if not figures:
        return found
    for cell, lines in cells.items():
        if len(lines) < 3 or sum(1 for line in lines if line.words[0].text[:1].isupper()) < 0.6 * len(lines):
            continue
        if any(other != cell and other[0] >= cell[2] - 1 and any(
                abs(figure.middle - line.middle) <= 0.35 * max(line.bottom - line.top, 1.0) for line in lines[1:])
               for other, figure in figures):
            found.add(cell)
    return found


def _text_rows(cells: dict[Cell, tuple[Line, ...]], labels: set[Cell] = frozenset()) -> list[dict[Cell, tuple[Line, ...]]]:
    """A ruled table's rows as a person reads them when its rules are drawn only around groups of
    rows (a section of a statement, "H. ONERI DI GESTIONE / H1. PROVVIGIONE ... | -1.026.235 /
    -929.067 ..."), so that one ruled cell holds a column of several rows (read cell by cell, that
    column would come out whole before its figures): its text lines, level across the table, each
    a row of the cells it crosses, left to right. A line that wraps the text of the cell above it
    (see ``_wraps``) joins that row instead of starting one. ``labels``: cells known to hold a
    column of labels (``_labels_stacked``)."""
    cell_of = {id(line): cell for cell, lines in cells.items() for line in lines}
    levels: list[dict[Cell, tuple[Line, ...]]] = []
    for level in lines_to_rows([line for lines in cells.values() for line in lines]):
        row: dict[Cell, tuple[Line, ...]] = {}
        for line in level:
            row[cell_of[id(line)]] = row.get(cell_of[id(line)], ()) + (line,)
        levels.append(row)
    # a cell level with figures in other cells on two or more of its lines holds a column of rows
    stacked = {cell for cell in cells if sum(1 for row in levels if cell in row and any(
        _is_figure(line) for other, lines in row.items() if other != cell for line in lines)) >= 2} | set(labels)
    rows: list[dict[Cell, tuple[Line, ...]]] = []
    for row in levels:
        above = rows[-1] if rows else {}
        shared = [cell for cell in row if cell in above]
        if shared and not (_has_figure(above) and _has_figure(row)) and all(
                _wraps(above[cell][-1], row[cell][0], None if cell in stacked else cell) for cell in shared):
            for cell, lines in row.items():
                above[cell] = above.get(cell, ()) + lines
        else:
            rows.append(row)
    return rows


def _wraps(above: Line, line: Line, cell: Cell | None) -> bool:
    """``line`` goes on with the text of ``above``, the line over it in the same cell: it starts in
    lower case ("Opérations de cession sur / instruments financiers") or a bracket ("(Internal
    document)"), ``above`` ends on a joining
    mark, it is a figure under a heading ("Relazione al / 30/12/2024"), or, in a ``cell`` that holds
    one entry, its first word would not have fitted at the end of ``above`` ("Nestlé Consumer
    Communication / Principles"). A figure under a figure, or a label under a label in a cell
    that holds a column of rows ("ACTIF / Dépôts", ``cell`` None: such a column is ruled as wide as
    its longest label, so the fit says nothing there), starts a row."""
    if _is_figure(line):
        return not _is_figure(above)
    first = line.text[:1]
    if first.islower() or first in "([" or above.text.rstrip().endswith(("-", ",", "/", "&", "(", "–")):
        return True
    word = line.words[0]
    em = max(line.size, 1.0)
    return cell is not None and abs(line.x0 - above.x0) <= em and above.x1 + 0.3 * em + word.x1 - word.x0 > cell[2] - 3


def _is_figure(line: Line) -> bool:
    """A figure, also one grouped by spaces (625 843 440,99), or a date (30/12/2024, 2023-24)."""
    return _is_number(line) or bool(_FIGURE.match(line.text))


def _has_figure(row: dict[Cell, tuple[Line, ...]]) -> bool:
    return any(_is_figure(line) for lines in row.values() for line in lines)


def _split_wide(cell: tuple[Line, ...], page: int) -> list[tuple[Line, ...]]:
    """A one-line cell with a wide gap inside (a missing rule between a label and its figure)
    is two cells."""
    if len(cell) != 1:
        return [cell]
    pieces = _split_cells(list(cell), page)
    return [(piece,) for piece in pieces]


def _cell_lines(words: list, page: int) -> tuple[Line, ...]:
    from disclosure_check.read.layout import words_to_rows

    return tuple(make_line(page, row) for row in words_to_rows(words))


def aligned_tables(lines: Sequence[Line], page: int) -> list[TableGrid]:
    """Tables without rules: runs of three or more rows of short, side-by-side cells that keep to
    the same columns. Columns of prose (long lines side by side) are not tables, and a column of prose
    beside a table does not become its first column."""
    prose = _prose_column(lines)
    rows = lines_to_rows([line for line in lines if id(line) not in prose] if prose else lines)
    tables = []
    i = 0
    floor = 0  # the row after the last table found: a table's headings are looked for below it
    while i < len(rows):
        if not _tabular_row(rows[i]):
            i += 1
            continue
        j = i + 1
        singles = 0
        while j < len(rows) and _close(rows[j - 1], rows[j]):
            if _tabular_row(rows[j]):
                singles = 0
            elif len(rows[j]) == 1 and len(rows[j][0].words) <= 8 and singles < 1:
                singles += 1
            else:
                break
            j += 1
        while j > i and not _tabular_row(rows[j - 1]):
            j -= 1  # a table ends on a row of cells
        grid = _grid(rows[i:j], page) if sum(_tabular_row(r) for r in rows[i:j]) >= MIN_ROWS else None
        if grid is not None:
            header = _header_rows(rows, i, grid, page, floor)
            if header:
                grid = _grid(header + rows[i:j], page, consumed=[ln for r in rows[i - len(header):j] for ln in r]) or grid
            tables.append(grid)
            i = floor = j
        else:
            i += 1
    return tables


def _prose_column(lines: Sequence[Line]) -> set[int]:
    """Lines of a column of running text: lines stacked at one left edge in one size at the usual line
    pitch, most of them (four or more) of six words or more, at least two of those on rows with no table cells
    (so a table's long row labels, each on a row of figures, are not taken for prose). JPMorgan's
    10-Q p. 173: the left column's last lines stood level with a table in the right column."""
    rows = lines_to_rows(lines)
    tabular = {id(line): _tabular_row(row) for row in rows for line in row}
    stacks: dict[tuple[int, float], list[Line]] = {}
    for line in lines:
        stacks.setdefault((round(line.x0), round(line.size * 2) / 2), []).append(line)
    prose: set[int] = set()
    for stack in stacks.values():
        stack.sort(key=lambda ln: ln.top)
        run = [stack[0]]
        for line in [*stack[1:], None]:
            if line is not None and line.top - run[-1].top <= 1.6 * max(line.size, 1.0):
                run.append(line)
                continue
            long = [ln for ln in run if len(ln.words) >= 6]
            if len(long) >= 4 and len(long) >= 0.6 * len(run) and sum(1 for ln in long if not tabular[id(ln)]) >= 2:
                prose.update(id(ln) for ln in run)
            if line is not None:
                run = [line]
    return prose


def _header_rows(rows: list[list[Line]], first: int, grid: TableGrid, page: int, floor: int = 0) -> list[list[Line]]:
    """Up to five rows just above a table whose text lies over its columns (column headings set
    as one run of words): cut at the table's column gaps where their words stand apart, they
    become its header rows. Up to two section labels in the table's first column may stand between
    the headings and the first row of figures ("Available for sale—", "Real estate loans:"); they
    become rows of the table where they stand."""
    gaps = _column_gaps(grid)
    header: list[list[Line]] = []
    labels: list[list[Line]] = []
    k = first - 1
    below = rows[first]
    while k >= floor and len(header) < 5 and _close(rows[k], below):
        row = rows[k]
        if not header and len(labels) < 2 and _section_label(row, grid, gaps):
            labels.insert(0, row)
            below = row
            k -= 1
            continue
        if not all(grid.x0 - 5 <= ln.x0 and ln.x1 <= grid.x1 + 12 and len(ln.words) <= 14
                   and not ln.text.rstrip().endswith(".") for ln in row):
            break
        pieces = [piece for ln in row for piece in _cut_at(ln, gaps, page)]
        if len(pieces) < 2 and not (header and _over_columns(row, grid, gaps)):
            break
        header.insert(0, pieces)
        below = row
        k -= 1
    return header + labels if header else []


def _section_label(row: list[Line], grid: TableGrid, gaps: list[float]) -> bool:
    """A row that is one short label in the table's first column, no figure (a label over a group of
    rows, or the date a group of figures is at, set under the column headings)."""
    return (len(row) == 1 and bool(gaps) and len(row[0].words) <= 6 and row[0].x0 <= grid.x0 + 12
            and row[0].x1 < gaps[0] and not _is_number(row[0]))


def _over_columns(row: list[Line], grid: TableGrid, gaps: list[float]) -> bool:
    """A heading set over two or more of the table's columns ("Less Than 12 Months", "Recurring Fair
    Value Measurements at Reporting Date Using"), above headings already found: short, and narrower
    than the table (a line of the paragraph above runs across it)."""
    return all(any(ln.x0 < x < ln.x1 for x in gaps) and len(ln.words) <= 10
               and ln.x1 - ln.x0 <= 0.6 * (grid.x1 - grid.x0) for ln in row)


def _column_gaps(grid: TableGrid) -> list[float]:
    """x positions between the table's columns (middles of the white space between its cells)."""
    spans = sorted((min(ln.x0 for ln in cell), max(ln.x1 for ln in cell)) for row in grid.rows for cell in row)
    covered: list[list[float]] = []
    for x0, x1 in spans:
        if covered and x0 <= covered[-1][1]:
            covered[-1][1] = max(covered[-1][1], x1)
        else:
            covered.append([x0, x1])
    return [(a[1] + b[0]) / 2 for a, b in zip(covered, covered[1:], strict=False)]


def _cut_at(line: Line, gaps: list[float], page: int) -> list[Line]:
    """``line`` cut where the white space between two words is wider than a word space and holds one
    of the column gaps, or is wider still and has the two words either side of one (headings wider
    than their figures, "Number of    Average"). A heading over two columns, "Less Than 12
    Months", stays whole."""
    pieces: list[list] = [[]]
    for word in line.words:
        if pieces[-1]:
            last = pieces[-1][-1]
            space, em = word.x0 - last.x1, max(word.size, 1.0)
            if space > 0.5 * em and any(last.x1 <= x <= word.x0 for x in gaps) or space > 1.2 * em and any(
                    (last.x0 + last.x1) / 2 < x < (word.x0 + word.x1) / 2 for x in gaps):
                pieces.append([])
        pieces[-1].append(word)
    return [make_line(page, words) for words in pieces if words]


def _tabular_row(row: list[Line]) -> bool:
    """Two or more pieces side by side, at least one of them a figure, or all of them a few words
    (columns of prose have longer lines), or the first a numbered reference (a contents page's
    "Section 1.02 | Classification of Loans and Borrowings 39", read row by row)."""
    if len(row) < 2:
        return False
    words = sorted(len(line.words) for line in row)
    numeric = sum(1 for line in row if _NUMERIC.match(line.text)) + bool(_KEY.match(row[0].text))
    return words[-1] <= 12 and (numeric >= 1 or words[len(words) // 2] <= 3)


def _close(above: list[Line], below: list[Line]) -> bool:
    height = max(max(line.bottom - line.top for line in above), 1.0)
    return min(line.top for line in below) - max(line.bottom for line in above) <= 1.6 * height


def _grid(rows: list[list[Line]], page: int, consumed: list[Line] | None = None) -> TableGrid | None:
    """Columns from the white space shared by the rows of cells; each row's lines put in them."""
    consumed = consumed if consumed is not None else [line for row in rows for line in row]
    multi = [row for row in rows if len(row) >= 2]
    left = min(line.x0 for row in rows for line in row)
    right = max(line.x1 for row in rows for line in row)
    width = int(right - left) + 2
    cover = [0] * width
    for row in multi:
        for line in row:
            for x in range(int(line.x0 - left), int(line.x1 - left) + 1):
                cover[x] += 1
    limit = max(1, len(multi) // 10)  # a heading cell spanning columns may cross a gap
    columns: list[tuple[float, float]] = []
    start = None
    for x, n in enumerate(cover):
        if n > limit and start is None:
            start = x
        elif n <= limit and start is not None:
            columns.append((left + start, left + x))
            start = None
    if start is not None:
        columns.append((left + start, left + width))
    if len(columns) < 2:
        return None
    rows = [_split_cells(row, page) for row in rows]
    multi = [row for row in rows if len(row) >= 2]
    words = [len(line.words) for row in multi for line in row]
    numeric = sum(1 for row in multi for line in row if _NUMERIC.match(line.text))
    if sum(words) / len(words) > 4.5 and numeric < 0.3 * len(words):
        return None  # side-by-side prose, not cells
    grid_rows = []
    for row in rows:
        cells: dict[float, tuple[Line, ...]] = {}
        for line in sorted(row, key=lambda ln: ln.x0):
            middle = (line.x0 + line.x1) / 2
            index: float = min(range(len(columns)), key=lambda k: 0 if columns[k][0] <= middle <= columns[k][1]
                               else min(abs(middle - columns[k][0]), abs(middle - columns[k][1])))
            while index in cells:  # two pieces of one row in one column (a header spans it): two cells
                index += 0.01
            cells[index] = (line,)
        grid_rows.append(cells)
    grid_rows = _merge_wrapped(_merge_header(grid_rows))
    return TableGrid(page, left, min(line.top for row in rows for line in row), right,
                     max(line.bottom for row in rows for line in row),
                     tuple(tuple(row[k] for k in sorted(row)) for row in grid_rows), ruled=False,
                     consumed=tuple(consumed))


def _is_number(line_or_text) -> bool:
    text = line_or_text if isinstance(line_or_text, str) else line_or_text.text
    return bool(_NUMERIC.match(text))


def _split_cells(row: list[Line], page: int) -> list[Line]:
    """Inside a table a wide space, or a space before a figure, separates cells even where it
    would not separate columns of text."""
    out: list[Line] = []
    for line in row:
        start = 0
        words = line.words
        for i in range(1, len(words)):
            gap = words[i].x0 - words[i - 1].x1
            em = max(words[i].size, 1.0)
            if gap > 0.8 * em or (gap > 0.4 * em and _is_number(words[i].text) != _is_number(words[i - 1].text)):
                out.append(make_line(page, words[start:i]))
                start = i
        out.append(make_line(page, words[start:]) if start else line)
    return out


def _merge_header(rows: list[dict[float, tuple[Line, ...]]]) -> list[dict[float, tuple[Line, ...]]]:
    """Header cells set over several lines ("Percent of / loans in / category") come out as several
    rows before the first row with figures: make them one header row, each heading's lines stacked
    over the column they stand over (by where the words are: the grid's columns are too coarse
    where "$" signs stand apart from their figures). A heading over two or more columns ("Less
    Than 12 Months", "For the Year Ended September 30, 2024") stays a row of its own above them
    (or below, a note such as "(Dollars in thousands)"), and section labels in the first column just above the figures ("Real estate
    loans:") stay rows of their own."""
    first_numbers = next((i for i, row in enumerate(rows) if any(_is_number(ln) for c in row.values() for ln in c)),
                         None)
    if not first_numbers or first_numbers < 2:
        return rows
    end = first_numbers
    while end > 2 and list(rows[end - 1]) == [0]:
        end -= 1
    # the fullest heading row (the lowest of equals) gives the columns; the other rows' cells go
    # on the one they stand over, or stay a row of their own where they stand over several
    base = max(range(end), key=lambda r: (len(rows[r]), r))
    stacks = [list(cell) for _, cell in sorted(rows[base].items())]
    extents = [(min(ln.x0 for ln in stack), max(ln.x1 for ln in stack)) for stack in stacks]
    above: list[dict[float, tuple[Line, ...]]] = []
    below: list[dict[float, tuple[Line, ...]]] = []
    for r in sorted(range(end), key=lambda r: (abs(r - base), r))[1:]:  # nearest rows first
        wide: dict[float, tuple[Line, ...]] = {}
        for k, cell in sorted(rows[r].items()):
            x0, x1 = min(line.x0 for line in cell), max(line.x1 for line in cell)
            under = [i for i, (s0, s1) in enumerate(extents) if min(x1, s1) - max(x0, s0) > -2.0]
            if len(under) >= 2:
                wide[k] = cell
            elif under:
                i = under[0]
                stacks[i].extend(cell)
                extents[i] = (min(extents[i][0], x0), max(extents[i][1], x1))
            else:
                stacks.append(list(cell))
                extents.append((x0, x1))
        if wide:
            if r < base:
                above.insert(0, wide)
            else:
                below.append(wide)
    if any(len(line.words) > 5 for stack in stacks for line in stack):
        return rows  # a title or a note above the table, not header cells
    stacks = [sorted(stack, key=lambda ln: ln.top) for stack in stacks]
    stacks.sort(key=lambda stack: min(ln.x0 for ln in stack))
    header: dict[float, tuple[Line, ...]] = {float(i): tuple(stack) for i, stack in enumerate(stacks)}
    return [*above, header, *below, *rows[end:]]


def _merge_wrapped(rows: list[dict[float, tuple[Line, ...]]]) -> list[dict[float, tuple[Line, ...]]]:
    """A row label that wraps ("Net cash provided by / operating activities  1,234") comes out as a
    row with only its first line: join it to the row that carries the figures."""
    out: list[dict[float, tuple[Line, ...]]] = []
    for row in rows:
        if out and list(out[-1]) == [0] and 0 in row and len(row) >= 2 and not any(
                _is_number(line) for line in out[-1][0]) and row[0][0].words[0].text[:1].islower():
            row = {**row, 0: out[-1][0] + row[0]}
            out[-1] = row
            continue
        out.append(row)
    return out
