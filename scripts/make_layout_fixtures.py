"""Build tests/fixtures/layouts/: small PDFs with designed layouts, each with a golden JSON.

Run: .venv/bin/python scripts/make_layout_fixtures.py

Every fixture is drawn line by line on a reportlab canvas, so the script knows exactly which text
lands where; the golden file records the text a careful reader extracts, in reading order. The
wording of the statement text is real: it is cut, sentence-complete, out of rows of
``corpus/uk_texts/uk_statement_texts.csv`` (see SOURCES and the README this script writes).
Only layout furniture (running headers, page numbers), figure captions, the signature block and
the approval date of fixture 4 are invented, and each golden file's ``source.note`` says which.

Output is deterministic: reportlab runs with ``invariant=1`` (fixed dates and document id), the
scanned pages are rendered by pdfium and perturbed with a seeded generator, and JSON is written
with rounded coordinates. Running the script twice gives byte-identical files.
"""

from __future__ import annotations

import io
import json
import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pypdfium2 as pdfium
from PIL import Image, ImageFilter
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas as rl_canvas

ROOT = Path(__file__).resolve().parents[1]
CSV = ROOT / "corpus/uk_texts/uk_statement_texts.csv"
OUT = ROOT / "tests/fixtures/layouts"

A4W, A4H = A4  # 595.28 x 841.89 pt
DATASET = "corpus/uk_texts/uk_statement_texts.csv (from dhilgart/ModernSlavery, MIT licence)"

# ---------------------------------------------------------------------------------------------
# Source texts
# ---------------------------------------------------------------------------------------------

# Rows of corpus/uk_texts/uk_statement_texts.csv (0-based position; the `id` column is not unique).
SOURCES = {
    "whitbread": {"row": 453, "company": "Whitbread PLC", "year": "2017/18"},
    "innocent": {"row": 932, "company": "innocent (innocent drinks)", "year": "2017"},
    "nestle": {"row": 693, "company": "Nestlé in the UK", "year": "2016"},
    "samsung": {"row": 185, "company": "Samsung Electronics (UK) Limited", "year": "2016"},
    "mands": {"row": 530, "company": "Marks and Spencer Group plc", "year": "2017/18"},
    "hilton": {"row": 957, "company": "Hilton", "year": "2018"},
    "vodafone": {"row": 465, "company": "Vodafone Group Plc", "year": "2015-16"},
    "sainsbury": {"row": 726, "company": "J Sainsbury plc", "year": "2016/17",
                  # page furniture of the source PDF caught inside paragraphs that run over a page
                  "debris": [r" \d{1,2} J Sainsbury plc Modern Slavery Statement 2016/17 (?=[a-z])"]},
}

_CHAR_MAP = str.maketrans({"\ufb01": "fi", "\ufb02": "fl", "\u00a0": " ", "\u00ad": "", "\x0c": " "})
_TEXTS: dict[str, str] = {}


def _source_text(key: str) -> str:
    if not _TEXTS:
        frame = pd.read_csv(CSV)
        for name, spec in SOURCES.items():
            raw = str(frame["text"].iloc[spec["row"]])
            text = re.sub(r"\s+", " ", raw.translate(_CHAR_MAP)).strip()
            for pattern in spec.get("debris", []):
                text = re.sub(pattern, " ", text)
            _TEXTS[name] = text
    return _TEXTS[key]


def cut(key: str, start: str, end: str | None = None) -> str:
    """The source text of ``key`` from ``start`` to the end of ``end`` (first occurrence).

    Line breaks of the source are normalised to spaces, so hard wraps and page breaks inside a
    paragraph disappear. Without ``end`` the cut is exactly ``start``.
    """
    text = _source_text(key)
    i = text.find(start)
    if i < 0:
        raise LookupError(f"{key}: start {start[:60]!r} not found")
    if end is None:
        out = start
    else:
        j = text.find(end, i)
        if j < 0:
            raise LookupError(f"{key}: end {end[:60]!r} not found after start")
        out = text[i : j + len(end)]
    out.encode("cp1252")  # the standard PDF fonts (WinAnsi) must be able to show every character
    return out


# ---------------------------------------------------------------------------------------------
# Drawing primitives
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Style:
    font: str
    size: float
    leading: float
    align: str = "left"  # left | justify | center | right
    color: tuple[float, float, float] = (0, 0, 0)
    space_before: float = 0.0
    space_after: float = 0.0


@dataclass(frozen=True)
class Rect:
    """A region in PDF points with a TOP-LEFT origin (y grows downwards)."""

    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    def as_list(self) -> list[float]:
        return [round(float(v), 1) for v in (self.x0, self.top, self.x1, self.bottom)]


@dataclass
class Line:
    text: str
    width: float
    last: bool = False  # last line of its paragraph (never stretched)
    hyphenated: bool = False  # ends with a hyphen this script inserted


def break_lines(text: str, style: Style, width: float, hyph: dict[str, int] | None = None,
                budget: list[int] | None = None) -> list[Line]:
    """Greedy line breaking at spaces. A word listed in ``hyph`` (bare word -> split index) may
    be split with a hyphen at a line end while ``budget[0] > 0``; nothing else is hyphenated."""

    def w(s: str) -> float:
        return stringWidth(s, style.font, style.size)

    words = text.split(" ")
    lines: list[Line] = []
    cur: list[str] = []
    for word in words:
        trial = " ".join(cur + [word])
        if w(trial) <= width or not cur:
            if w(trial) > width:
                raise ValueError(f"word {word!r} wider than {width:.0f}pt")
            cur.append(word)
            continue
        bare = word.strip(".,;:()’‘“”")
        if hyph and budget and budget[0] > 0 and bare in hyph:
            k = word.index(bare) + hyph[bare]
            head = word[:k] + "-"
            if w(" ".join(cur + [head])) <= width:
                lines.append(Line(" ".join(cur + [head]), w(" ".join(cur + [head])), hyphenated=True))
                budget[0] -= 1
                cur = [word[k:]]
                continue
        lines.append(Line(" ".join(cur), w(" ".join(cur))))
        cur = [word]
    lines.append(Line(" ".join(cur), w(" ".join(cur)), last=True))
    # The drawn lines must give back the text exactly (hyphens inserted here are removed).
    rebuilt = ""
    for ln in lines:
        rebuilt += ln.text[:-1] if ln.hyphenated else ln.text + " "
    assert rebuilt.strip() == text, (rebuilt, text)
    return lines


class LayoutError(RuntimeError):
    pass


class Doc:
    """A reportlab canvas plus the golden record of what is drawn on it."""

    def __init__(self, pagesize: tuple[float, float], title: str, author: str,
                 furniture: Callable[[Doc], None] | None = None) -> None:
        self.W, self.H = pagesize
        self.buf = io.BytesIO()
        c = rl_canvas.Canvas(self.buf, pagesize=pagesize, invariant=1, pageCompression=1)
        c.setTitle(title)
        c.setAuthor(author)
        c.setSubject("Layout test fixture for disclosure_check")
        c.setCreator("disclosure_check scripts/make_layout_fixtures.py")
        self.c = c
        self.page = 1
        self.furniture_fn = furniture
        self.blocks: list[dict] = []
        self.furniture: list[dict] = []
        self.regions: dict[str, object] = {}
        self.hyphenations: list[dict] = []

    # -- recording
    def block(self, kind: str, text: str, page: int | None = None, **extra) -> dict:
        assert kind in {"heading", "paragraph", "list_item", "table_row", "caption", "signature_block"}
        entry = {"page": page or self.page, "kind": kind, "text": text, **extra}
        self.blocks.append(entry)
        return entry

    def furn(self, kind: str, text: str, page: int | None = None) -> None:
        self.furniture.append({"page": page or self.page, "kind": kind, "text": text})

    def region(self, name: str, rect: Rect, page: int | None = None) -> None:
        self.regions[name] = {"page": page or self.page, "bbox": rect.as_list()}

    # -- drawing
    def text(self, x: float, baseline: float, s: str, font: str, size: float,
             color: tuple[float, float, float] = (0, 0, 0), wordspace: float = 0.0,
             mode: int = 0, hscale: float = 100.0) -> None:
        """Draw ``s`` with its baseline ``baseline`` points below the top of the page."""
        t = self.c.beginText(x, self.H - baseline)
        t.setFont(font, size)
        t.setFillColorRGB(*color)
        # Tw, Tr and Tz are graphics-state parameters that outlive BT/ET: reset them after use.
        if wordspace:
            t.setWordSpace(wordspace)
        if mode:
            t.setTextRenderMode(mode)
        if hscale != 100.0:
            t.setHorizScale(hscale)
        t.textOut(s)
        if wordspace:
            t.setWordSpace(0)
        if mode:
            t.setTextRenderMode(0)
        if hscale != 100.0:
            t.setHorizScale(100)
        self.c.drawText(t)

    def rect(self, r: Rect, fill: float | tuple | None = None, stroke: float | None = None,
             width: float = 0.5) -> None:
        c = self.c
        c.saveState()
        if fill is not None:
            c.setFillColorRGB(*(fill if isinstance(fill, tuple) else (fill, fill, fill)))
        if stroke is not None:
            c.setStrokeGray(stroke)
            c.setLineWidth(width)
        c.rect(r.x0, self.H - r.bottom, r.width, r.bottom - r.top,
               fill=int(fill is not None), stroke=int(stroke is not None))
        c.restoreState()

    def hline(self, x0: float, x1: float, y: float, width: float = 0.5, gray: float = 0.0) -> None:
        c = self.c
        c.saveState()
        c.setStrokeGray(gray)
        c.setLineWidth(width)
        c.line(x0, self.H - y, x1, self.H - y)
        c.restoreState()

    def vline(self, x: float, y0: float, y1: float, width: float = 0.5, gray: float = 0.0) -> None:
        c = self.c
        c.saveState()
        c.setStrokeGray(gray)
        c.setLineWidth(width)
        c.line(x, self.H - y0, x, self.H - y1)
        c.restoreState()

    def draw_line(self, line: Line, style: Style, x0: float, width: float, baseline: float) -> None:
        x, ws = x0, 0.0
        if style.align == "justify" and not line.last and " " in line.text:
            ws = (width - line.width) / line.text.count(" ")
        elif style.align == "center":
            x = x0 + (width - line.width) / 2
        elif style.align == "right":
            x = x0 + width - line.width
        self.text(x, baseline, line.text, style.font, style.size, style.color, wordspace=ws)

    def lines_block(self, text: str, style: Style, x0: float, top: float, width: float) -> float:
        """Draw a paragraph in a fixed place; return the y below it."""
        y = top
        for line in break_lines(text, style, width):
            self.draw_line(line, style, x0, width, baseline_for(y, style))
            y += style.leading
        return y

    def new_page(self) -> None:
        if self.furniture_fn:
            self.furniture_fn(self)
        self.c.showPage()
        self.page += 1

    def save(self) -> bytes:
        if self.furniture_fn:
            self.furniture_fn(self)
        self.c.save()
        return self.buf.getvalue()

    def golden(self, source_key: str, note: str) -> dict:
        spec = SOURCES[source_key]
        return {
            "source": {"company": spec["company"], "year": spec["year"], "note": note,
                       "dataset": DATASET, "row": spec["row"]},
            "pages": self.page,
            "page_size": [round(self.W, 2), round(self.H, 2)],
            "coordinates": "PDF points, origin at the TOP-LEFT of the page, bbox = [x0, top, x1, bottom]",
            "blocks": self.blocks,
            "furniture": self.furniture,
            "regions": self.regions,
            "hyphenated_line_breaks": self.hyphenations,
        }


def baseline_for(top: float, style: Style) -> float:
    """Baseline of a line whose line box starts at ``top``."""
    return top + (style.leading - style.size) / 2 + style.size * 0.8


@dataclass
class Placed:
    page: int
    slot: int
    x0: float
    top: float
    text: str
    block: int


@dataclass
class Flow:
    """Flows paragraphs through a sequence of (page, column rectangle) slots."""

    doc: Doc
    slots: list[tuple[int, Rect]]
    hyph: dict[str, int] | None = None
    hyph_budget: list[int] = field(default_factory=lambda: [0])
    i: int = 0
    cursor: float = 0.0
    placed: list[Placed] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.cursor = self.slots[0][1].top
        assert self.slots[0][0] == self.doc.page

    @property
    def rect(self) -> Rect:
        return self.slots[self.i][1]

    def at_top(self) -> bool:
        return abs(self.cursor - self.rect.top) < 0.01

    def room(self) -> float:
        return self.rect.bottom - self.cursor

    def advance(self) -> None:
        self.i += 1
        if self.i >= len(self.slots):
            raise LayoutError("text does not fit in the slots given")
        page = self.slots[self.i][0]
        while self.doc.page < page:
            self.doc.new_page()
        self.cursor = self.rect.top

    def space(self, h: float) -> None:
        if not self.at_top():
            self.cursor += h

    def paragraph(self, text: str, style: Style, kind: str = "paragraph", keep_next: float = 0.0,
                  interrupt: tuple[int, float, Callable[[float], None]] | None = None,
                  record: bool = True, **extra) -> dict | None:
        """Flow one block. ``interrupt`` = (after_line, height, draw(top)) puts something (a pull
        quote) between two lines of this paragraph, in the same column."""
        lines = break_lines(text, style, self.rect.width, self.hyph, self.hyph_budget)
        self.space(style.space_before)
        first = len(lines) if kind == "heading" else min(2, len(lines))
        if self.room() < first * style.leading + keep_next:
            self.advance()
        entry = self.doc.block(kind, text, **extra) if record else None
        idx = 0
        block_no = len(self.doc.blocks) - 1
        while idx < len(lines):
            n_fit = int((self.room() + 0.01) // style.leading)
            left = len(lines) - idx
            n = min(n_fit, left)
            if n < left and left - n == 1:  # no widow: carry two lines over, or start afresh
                n = n - 1 if n >= 3 else (0 if idx == 0 and not self.at_top() else n)
            if n <= 0:
                self.advance()
                continue
            for k in range(idx, idx + n):
                self.doc.draw_line(lines[k], style, self.rect.x0, self.rect.width,
                                   baseline_for(self.cursor, style))
                self.placed.append(Placed(self.doc.page, self.i, self.rect.x0, self.cursor,
                                          lines[k].text, block_no))
                if lines[k].hyphenated:
                    head, tail = lines[k].text.split(" ")[-1], lines[k + 1].text.split(" ")[0]
                    self.doc.hyphenations.append({
                        "page": self.doc.page, "drawn": f"{head}|{tail}",
                        "word": head[:-1] + tail, "line_top": round(self.cursor, 1),
                        "x1": round(self.rect.x1, 1)})
                self.cursor += style.leading
                if interrupt and k == interrupt[0]:
                    _, height, draw = interrupt
                    if self.room() < height + style.leading:
                        raise LayoutError("interrupting element does not fit in the column")
                    draw(self.cursor)
                    self.cursor += height
                    idx = k + 1
                    break
            else:
                idx += n
            if idx < len(lines) and self.room() < style.leading:
                self.advance()
        self.cursor += style.space_after
        return entry

    def box(self, height: float, draw: Callable[[float], None], space_before: float = 0.0,
            space_after: float = 0.0) -> float:
        """Place a fixed-height element (table, figure); return its top."""
        self.space(space_before)
        if self.room() < height:
            self.advance()
        top = self.cursor
        draw(top)
        self.cursor += height + space_after
        return top

    # -- checks
    def breaks(self) -> list[tuple[int, int, str, str]]:
        """(block, slot_from, last text before the break, first text after) for split blocks."""
        out = []
        for a, b in zip(self.placed, self.placed[1:], strict=False):
            if a.block == b.block and a.slot != b.slot:
                out.append((a.block, a.slot, a.text, b.text))
        return out


def ends_sentence(s: str) -> bool:
    return bool(re.search(r"[.!?:][’”)]?$", s))


def require_mid_sentence_break(flow: Flow, slot_from: int) -> tuple[str, str]:
    for _block, slot, before, after in flow.breaks():
        if slot == slot_from:
            if ends_sentence(before):
                raise LayoutError(f"break after slot {slot_from} falls at a sentence end: {before!r}")
            return before, after
    raise LayoutError(f"no paragraph continues from slot {slot_from} to the next")


# ---------------------------------------------------------------------------------------------
# Fixture 1: three columns
# ---------------------------------------------------------------------------------------------


def fixture_three_columns() -> tuple[bytes, dict, dict]:
    src = "whitbread"
    title = "Whitbread Modern Slavery Statement 17/18"
    doc = Doc(A4, title, "Whitbread PLC")
    margin, gutter = 40.0, 12.0
    col_w = (A4W - 2 * margin - 2 * gutter) / 3
    teal = (0.05, 0.32, 0.38)

    def furniture(d: Doc) -> None:
        d.hline(margin, A4W - margin, 806, 0.4, 0.55)
        d.text(margin, 818, title, "Helvetica", 7.5, (0.35, 0.35, 0.35))
        d.c.setFillGray(0.35)
        d.c.setFont("Helvetica", 7.5)
        d.c.drawRightString(A4W - margin, A4H - 818, "1")
        d.furn("footer", title)
        d.furn("page_number", "1")

    doc.furniture_fn = furniture

    title_style = Style("Helvetica-Bold", 22, 26, color=teal)
    intro_style = Style("Helvetica", 11.5, 15, color=(0.2, 0.2, 0.2))
    doc.text(margin, baseline_for(44, title_style), title, title_style.font, title_style.size, teal)
    doc.block("heading", title, role="title")
    doc.region("title", Rect(margin, 44, margin + stringWidth(title, title_style.font, 22), 70))
    intro = cut(src, "We recognise our responsibility as the UK’s largest", "the customers we serve every day.")
    y = doc.lines_block(intro, intro_style, margin, 80, A4W - 2 * margin)
    doc.block("paragraph", intro, role="intro")
    doc.region("intro", Rect(margin, 80, A4W - margin, y))
    doc.hline(margin, A4W - margin, y + 10, 1.2, 0.2)

    top, bottom = y + 24, 792.0
    cols = [Rect(margin + k * (col_w + gutter), top, margin + k * (col_w + gutter) + col_w, bottom)
            for k in range(3)]
    body = Style("Times-Roman", 9.5, 12, align="justify", space_after=5)
    head = Style("Helvetica-Bold", 9.5, 12, color=teal, space_before=7, space_after=2)
    flow = Flow(doc, [(1, r) for r in cols],
                hyph={"responsibility": 8, "organisation": 5, "hospitality": 5,
                      "accountabilities": 7, "collaboratively": 6, "interrogating": 5,
                      "procurement": 7, "franchised": 6},
                hyph_budget=[2])

    def p(start: str, end: str) -> None:
        flow.paragraph(cut(src, start, end), body)

    def h(text: str) -> None:
        flow.paragraph(cut(src, text), head, kind="heading", keep_next=2 * body.leading)

    p("This has been a year of progress and development", "committing to make changes for the better, together.")
    p("We remain committed to working collaboratively", "demonstrate a persistent disregard for our standards.")
    p("We are pleased to report under the Modern Slavery Act.", "a Force for Good wherever we operate in the world.")
    p("Following our first statement published at the end", "setting the direction of focus for next year.")
    h("1. Our business and supply chain structure")
    p("Whitbread PLC is the UK’s largest hospitality company", "the UK’s favourite coffee shop (Costa).")
    h("Premier Inn & Restaurants")
    p("Premier Inn is the UK’s leading hotel business", "(through a joint venture) and Germany.")
    h("Costa")
    p("Costa is the UK’s favourite coffee shop with over 2,400", "some are in joint ventures.")
    h("Supplier Network and Supply Chain Structure")
    p("We purchase our goods and services from over 2,500", "a complex, global supply chain.")
    p("Within these 2,500 direct suppliers, we have 60", "central to our core brand offerings.")
    p("Procurement in our international businesses is managed", "procured by our central teams.")
    p("This year, we made some changes to our central procurement", "how we buy across the organisation.")
    h("2. Re-assessing where risk of modern slavery lies across our business")
    p("As a hospitality company, there are a number of ways", "within the business or supply chain.")
    p("The fundamental areas of risk and the accountabilities", "unchanged from last year’s report.")
    p("The results of our work this year, the issues we have", "we picked the right areas to focus on.")
    h("Supply Chain")
    p("In last year’s statement, we reported that we had identified", "represented by 80 direct suppliers.")
    p("Our analysis also identified that the majority of risk lies", "would be crucial.")
    p("This year we have focused our efforts on doing just that.", "due diligence process.")
    if flow.i != 2:
        raise LayoutError("three_columns: text must reach the third column")
    b12 = require_mid_sentence_break(flow, 0)
    b23 = require_mid_sentence_break(flow, 1)
    if len(doc.hyphenations) < 1:
        raise LayoutError("three_columns: expected a deliberate hyphenated line break")
    for k, r in enumerate(cols):
        doc.region(f"column_{k + 1}", r)
    pdf = doc.save()
    info = {"breaks": [b12, b23], "columns": [r.as_list() for r in cols]}
    note = ("Text cut sentence-complete from the statement, in source order (some paragraphs "
            "skipped). The footer is added furniture. Up to two long words are deliberately "
            "hyphenated at line ends (see hyphenated_line_breaks); golden text has them whole.")
    return pdf, doc.golden(src, note), info


# ---------------------------------------------------------------------------------------------
# Fixture 2: sidebar, pull quote and figure caption
# ---------------------------------------------------------------------------------------------


def fixture_sidebar() -> tuple[bytes, dict, dict]:
    src = "innocent"
    doc = Doc(A4, "our modern slavery statement", "innocent")
    margin = 50.0
    green = (0.16, 0.42, 0.18)
    body_col = Rect(margin, 0, 372, 0)
    side = Rect(392, 0, A4W - margin, 0)

    title = cut(src, "our modern slavery statement")
    ts = Style("Helvetica-Bold", 26, 30, color=green)
    doc.text(margin, baseline_for(50, ts), title, ts.font, ts.size, green)
    doc.block("heading", title, role="title", region="body")
    doc.region("title", Rect(margin, 50, margin + stringWidth(title, ts.font, ts.size), 80))
    doc.hline(margin, A4W - margin, 92, 2.0, 0.0)

    body = Style("Times-Roman", 10.5, 13.5, space_after=7)
    head = Style("Helvetica-Bold", 12, 15, color=green, space_before=6, space_after=3)
    top, bottom = 110.0, 792.0
    col = Rect(body_col.x0, top, body_col.x1, bottom)
    flow = Flow(doc, [(1, col)])

    def para(start: str, end: str, **kw) -> dict | None:
        return flow.paragraph(cut(src, start, end), body, region="body", **kw)

    flow.paragraph(cut(src, "hello"), head, kind="heading", keep_next=28, region="body")
    para("We started innocent in 1999", "help people live well and die old.")
    para("From humble beginnings we have grown", "good growth across all major categories.")

    # Figure 1: a grey rectangle standing for an image, with its caption underneath.
    caption = ("Figure 1: From growers to customers: the main steps and partners in the supply chain "
               "for our drinks.")
    cap_style = Style("Helvetica-Oblique", 8.5, 11, color=(0.3, 0.3, 0.3))
    cap_lines = break_lines(caption, cap_style, col.width)
    fig_h = 96.0
    fig_total = fig_h + 6 + len(cap_lines) * cap_style.leading

    def draw_figure(t: float) -> None:
        doc.rect(Rect(col.x0, t, col.x1, t + fig_h), fill=0.78)
        y = t + fig_h + 6
        for ln in cap_lines:
            doc.draw_line(ln, cap_style, col.x0, col.width, baseline_for(y, cap_style))
            y += cap_style.leading
        doc.region("figure_1", Rect(col.x0, t, col.x1, t + fig_h))
        doc.region("figure_1_caption", Rect(col.x0, t + fig_h + 6, col.x1, y))

    flow.box(fig_total, draw_figure, space_before=2, space_after=12)
    doc.block("caption", caption, region="body")

    # The pull quote interrupts a sentence of the next paragraph.
    quote = cut(src, "We absolutely hate the idea of any form of slavery",
                "being part of the making of our drinks.")
    qs = Style("Times-Italic", 14, 18, color=green)
    q_lines = break_lines(quote, qs, col.width - 36)
    q_h = 10 + 8 + len(q_lines) * qs.leading + 8 + 10

    def draw_quote(t: float) -> None:
        doc.hline(col.x0 + 18, col.x1 - 18, t + 10, 0.8, 0.3)
        y = t + 18
        for ln in q_lines:
            doc.draw_line(ln, qs, col.x0 + 18, col.width - 36, baseline_for(y, qs))
            y += qs.leading
        doc.hline(col.x0 + 18, col.x1 - 18, y + 8, 0.8, 0.3)
        doc.region("pull_quote", Rect(col.x0 + 18, t + 10, col.x1 - 18, y + 8))
        doc.block("paragraph", quote, role="pull_quote", region="body")

    text3 = cut(src, "But there is more to us than the drinks we make.",
                "think carefully about how they do business on innocent’s behalf.")
    lines3 = break_lines(text3, body, col.width)
    k = next(i for i, ln in enumerate(lines3) if i >= 2 and not ends_sentence(ln.text))
    flow.paragraph(text3, body, interrupt=(k, q_h, draw_quote), region="body")
    quote_break = (lines3[k].text, lines3[k + 1].text)
    para("Whilst we always try to do the right thing", "occurring in our business or supply chains.")
    doc.region("body_column", Rect(col.x0, top, col.x1, flow.cursor))
    if flow.i != 0:
        raise LayoutError("sidebar: body must fit in one column")

    # Sidebar: shaded box beside the body column, drawn last, read after the body.
    ss = Style("Helvetica", 8.5, 11.2)
    sh = Style("Helvetica-Bold", 11, 14, color=green)
    pad = 12.0
    items = [
        cut(src, "We also give 10% of our profits to charity", "primarily to the innocent foundation."),
        cut(src, "Since 2004 the foundation has given over", "to address hunger and food poverty."),
        cut(src, "As of March 2017, 75% of the 95 sites", "closing out non-conformances."),
        cut(src, "All of our primary wood and paper packaging is FSC certified."),
    ]
    text_x = side.x0 + pad + 10
    text_w = side.x1 - pad - text_x
    item_lines = [break_lines(t, ss, text_w) for t in items]
    h_box = pad + sh.leading + 6 + sum(len(ls) * ss.leading + 6 for ls in item_lines) - 6 + pad
    box = Rect(side.x0, top, side.x1, top + h_box)
    doc.rect(box, fill=(0.90, 0.94, 0.88))
    heading = "At a glance"
    doc.text(side.x0 + pad, baseline_for(top + pad, sh), heading, sh.font, sh.size, green)
    doc.block("heading", heading, region="sidebar")
    y = top + pad + sh.leading + 6
    for t, ls in zip(items, item_lines, strict=True):
        doc.text(side.x0 + pad, baseline_for(y, ss), "\u2022", ss.font, ss.size, green)
        for ln in ls:
            doc.draw_line(ln, ss, text_x, text_w, baseline_for(y, ss))
            y += ss.leading
        y += 6
        doc.block("list_item", t, region="sidebar")
    doc.region("sidebar", box)
    pdf = doc.save()
    note = ("Body paragraphs, the pull quote (a sentence repeated from the fourth paragraph, as "
            "pull quotes do) and the four sidebar items are cut from the statement; the title "
            "and headings are the statement's own. The sidebar heading 'At a glance' and the "
            "figure caption are invented; the figure is a grey rectangle. Reading order: body "
            "column first (the pull quote after the paragraph it interrupts), then the sidebar "
            "(blocks carry region='body' or 'sidebar').")
    return pdf, doc.golden(src, note), {"quote_break": quote_break}


# ---------------------------------------------------------------------------------------------
# Fixture 3: ruled and unruled tables inside running text
# ---------------------------------------------------------------------------------------------


def fixture_table_in_text() -> tuple[bytes, dict, dict]:
    src = "nestle"
    header_text = "Modern Slavery and Human Trafficking Report 2016 – Nestlé in the UK"
    doc = Doc(A4, header_text, "Nestlé in the UK")
    margin = 56.0
    width = A4W - 2 * margin
    red = (0.45, 0.12, 0.10)

    def furniture(d: Doc) -> None:
        d.text(margin, 40, header_text, "Helvetica", 8, (0.4, 0.4, 0.4))
        d.hline(margin, A4W - margin, 46, 0.4, 0.6)
        d.c.setFillGray(0.4)
        d.c.setFont("Helvetica", 8)
        d.c.drawRightString(A4W - margin, A4H - 812, "8")
        d.furn("header", header_text)
        d.furn("page_number", "8")

    doc.furniture_fn = furniture
    body = Style("Helvetica", 10, 14, space_after=8)
    head = Style("Helvetica-Bold", 14, 18, color=red, space_before=8, space_after=6)
    flow = Flow(doc, [(1, Rect(margin, 70, A4W - margin, 790))])

    def para(start: str, end: str) -> None:
        flow.paragraph(cut(src, start, end), body)

    flow.paragraph("Policies", head, kind="heading", keep_next=30)
    para("The Nestlé Corporate Business Principles shape the way", "our Creating Shared Value strategy.")
    para("Building on Corporate Business Principle 4, since 2010", "day-to-day activities and responsibilities.")

    # Ruled table: 4 columns, a header row and 5 body rows, drawn grid.
    header = ["Name of policy or procedure", "Approval date", "Rights holders", "Human rights issue addressed"]
    rows = [
        ["Nestlé Employee Relations Policy", "2010", "Nestlé employees",
         "Freedom of association and collective bargaining"],
        ["The Nestlé Policy on transparent interaction with authorities and organisations", "2010",
         "Public officials, Citizens", "Corruption and bribery, Lobbying"],
        ["Flexible Work Environment at Nestlé (Internal document)", "2010", "Nestlé employees",
         "Working time (work life balance)"],
        ["Privacy Policy (Internal document)", "2010",
         "Nestlé employees, Consumers, Other stakeholders (e.g. suppliers, service providers)",
         "Data privacy"],
        ["Nestlé Consumer Communication Principles", "2011", "Consumers (including children)",
         "Right to information, Health"],
    ]
    for r in [header] + rows:
        for cell in r:
            assert all(w in _source_text(src) for w in cell.replace(",", "").split()), cell
    widths = [158.0, 62.0, 130.0, width - 350.0]
    hs = Style("Helvetica-Bold", 8.5, 10.5)
    cs = Style("Helvetica", 8.5, 10.5)
    pad = 4.5
    wrapped = []
    for i, r in enumerate([header] + rows):
        st = hs if i == 0 else cs
        cells = []
        for j, cell in enumerate(r):
            cells.append(break_lines(cell, st, widths[j] - 2 * pad))
        wrapped.append(cells)
    row_h = [max(len(c) for c in cells) * cs.leading + 2 * pad for cells in wrapped]
    table_h = sum(row_h)
    row_rects: list[list[float]] = []

    def draw_ruled(t: float) -> None:
        y = t
        doc.rect(Rect(margin, t, margin + width, t + row_h[0]), fill=(0.93, 0.90, 0.88))
        for i, cells in enumerate(wrapped):
            st = hs if i == 0 else cs
            x = margin
            for j, lines in enumerate(cells):
                ly = y + pad
                for ln in lines:
                    if j == 1 and i > 0:  # numeric column: centred
                        doc.draw_line(ln, Style(st.font, st.size, st.leading, "center"),
                                      x + pad, widths[j] - 2 * pad, baseline_for(ly, st))
                    else:
                        doc.draw_line(ln, st, x + pad, widths[j] - 2 * pad, baseline_for(ly, st))
                    ly += st.leading
                x += widths[j]
            row_rects.append(Rect(margin, y, margin + width, y + row_h[i]).as_list())
            y += row_h[i]
        for yy in [t] + [t + sum(row_h[: i + 1]) for i in range(len(row_h))]:
            doc.hline(margin, margin + width, yy, 0.6)
        x = margin
        for wdt in [0.0] + widths:
            x += wdt
            doc.vline(x, t, t + table_h, 0.6)

    t1 = flow.box(table_h, draw_ruled, space_before=4, space_after=14)
    for i, r in enumerate([header] + rows):
        doc.block("table_row", " | ".join(r), cells=r, table="ruled", header=(i == 0))
    doc.region("ruled_table", Rect(margin, t1, margin + width, t1 + table_h))
    doc.regions["ruled_table"]["rows"] = row_rects
    x_edges = [margin]
    for wdt in widths:
        x_edges.append(x_edges[-1] + wdt)
    doc.regions["ruled_table"]["column_edges"] = [round(x, 1) for x in x_edges]

    flow.paragraph(cut(src, "Within our business operations: The CARE Audit Programme"), head,
                   kind="heading", keep_next=30)
    para("The audits, which take place every three years", "thoroughly and systematically monitored.")
    para("In 2015, we carried out 250 CARE audits", "2,207 audits since 2005.")

    # Unruled table: columns aligned by position only, numbers right-aligned.
    kpi_header = ["CARE gaps identified 2015", "Minor", "Major", "Critical"]
    kpi_rows = [
        ["Human rights and labour practices", "64", "5", "0"],
        ["Safety and health", "40", "2", "0"],
        ["Environmental sustainability", "39", "0", "0"],
        ["Business integrity", "12", "0", "0"],
        ["Security", "21", "1", "0"],
    ]
    assert sum(int(r[1]) + int(r[2]) + int(r[3]) for r in kpi_rows) == 184  # "184 CARE gaps"
    ks = Style("Helvetica", 9.5, 15)
    kh = Style("Helvetica-Bold", 9.5, 15)
    num_right = [margin + 300, margin + 370, margin + 440]
    k_h = (1 + len(kpi_rows)) * ks.leading
    kpi_rects: list[list[float]] = []

    def draw_kpi(t: float) -> None:
        y = t
        for i, r in enumerate([kpi_header] + kpi_rows):
            st = kh if i == 0 else ks
            col = red if i == 0 else (0, 0, 0)
            doc.text(margin, baseline_for(y, st), r[0], st.font, st.size, col)
            for j, xr in enumerate(num_right):
                s = r[j + 1]
                doc.text(xr - stringWidth(s, st.font, st.size), baseline_for(y, st), s, st.font,
                         st.size, col)
            kpi_rects.append(Rect(margin, y, num_right[-1], y + st.leading).as_list())
            y += st.leading

    t2 = flow.box(k_h, draw_kpi, space_before=4, space_after=12)
    for i, r in enumerate([kpi_header] + kpi_rows):
        doc.block("table_row", " | ".join(r), cells=r, table="unruled", header=(i == 0))
    doc.region("unruled_table", Rect(margin, t2, num_right[-1], t2 + k_h))
    doc.regions["unruled_table"]["rows"] = kpi_rects
    doc.regions["unruled_table"]["number_columns_right_edge"] = [round(x, 1) for x in num_right]

    para("At no point throughout our CARE auditing history", "modern slavery or human trafficking.")
    para("By the end of 2015, we had identified 184 CARE gaps", "in the process of being implemented.")
    if flow.i != 0:
        raise LayoutError("table_in_text must fit on one page")
    pdf = doc.save()
    note = ("Paragraphs and headings are cut from the report. Both tables reproduce tables of the "
            "source report (pages 8 and 12), whose cell text the corpus holds in extraction order; "
            "the rows were re-assembled by reading the original layout: the policy table keeps its "
            "first five rows, with multi-item cells joined by commas; the CARE table is transposed "
            "(areas as rows). The running header is the report's own; the page number is added.")
    return pdf, doc.golden(src, note), {}


# ---------------------------------------------------------------------------------------------
# Fixture 3b: a table ruled only around groups of rows
# ---------------------------------------------------------------------------------------------


def fixture_grouped_table() -> tuple[bytes, dict, dict]:
    """A table of figures whose horizontal rules are drawn only around groups of rows (as financial
    statements set them: Sella's and Comgest's annual reports): each ruled cell holds a column of
    two or three rows, so a reader must read across the columns line by line, not cell by cell."""
    src = "nestle"
    doc = Doc(A4, "CARE gaps identified 2015", "Nestlé in the UK")
    margin = 56.0
    body = Style("Helvetica", 10, 14, space_after=8)
    head = Style("Helvetica-Bold", 14, 18, color=(0.45, 0.12, 0.10), space_before=8, space_after=6)
    flow = Flow(doc, [(1, Rect(margin, 70, A4W - margin, 790))])
    flow.paragraph(cut(src, "Within our business operations: The CARE Audit Programme"), head,
                   kind="heading", keep_next=30)
    flow.paragraph(cut(src, "In 2015, we carried out 250 CARE audits", "2,207 audits since 2005."), body)

    header = ["CARE gaps identified 2015", "Minor", "Major", "Critical"]
    groups = [
        [["Human rights and labour practices", "64", "5", "0"],
         ["Safety and health", "40", "2", "0"],
         ["Environmental sustainability", "39", "0", "0"]],
        [["Business integrity", "12", "0", "0"],
         ["Security", "21", "1", "0"]],
    ]
    assert sum(int(v) for g in groups for r in g for v in r[1:]) == 184  # "184 CARE gaps"
    for r in [header] + [r for g in groups for r in g]:
        for cell in r:
            assert all(w in _source_text(src) for w in cell.split()), cell
    st = Style("Helvetica", 9.5, 15)
    sh = Style("Helvetica-Bold", 9.5, 15)
    widths = [220.0, 70.0, 70.0, 70.0]
    pad = 4.0
    heights = [st.leading + 2 * pad] + [len(g) * st.leading + 2 * pad for g in groups]
    table_h = sum(heights)
    group_rects: list[list[float]] = []

    def draw(t: float) -> None:
        doc.rect(Rect(margin, t, margin + sum(widths), t + heights[0]), fill=(0.93, 0.90, 0.88))
        y = t
        for i, rows in enumerate([[header]] + groups):
            style = sh if i == 0 else st
            ly = y + pad
            for r in rows:
                x = margin
                for j, cell in enumerate(r):
                    if j == 0:
                        doc.text(x + pad, baseline_for(ly, style), cell, style.font, style.size)
                    else:  # figures right-aligned in their column
                        doc.text(x + widths[j] - pad - stringWidth(cell, style.font, style.size),
                                 baseline_for(ly, style), cell, style.font, style.size)
                    x += widths[j]
                ly += style.leading
            group_rects.append(Rect(margin, y, margin + sum(widths), y + heights[i]).as_list())
            y += heights[i]
        for yy in [t + sum(heights[:k]) for k in range(len(heights) + 1)]:  # rules around groups only
            doc.hline(margin, margin + sum(widths), yy, 0.6)
        x = margin
        for wdt in [0.0] + widths:
            x += wdt
            doc.vline(x, t, t + table_h, 0.6)

    top = flow.box(table_h, draw, space_before=4, space_after=12)
    for i, r in enumerate([header] + [r for g in groups for r in g]):
        doc.block("table_row", " | ".join(r), cells=r, table="ruled_by_group", header=(i == 0))
    doc.region("grouped_table", Rect(margin, top, margin + sum(widths), top + table_h))
    doc.regions["grouped_table"]["ruled_groups"] = group_rects
    flow.paragraph(cut(src, "By the end of 2015, we had identified 184 CARE gaps",
                       "in the process of being implemented."), body)
    if flow.i != 0:
        raise LayoutError("grouped_table must fit on one page")
    note = ("Heading and paragraphs are cut from the report; the table holds the report's CARE gaps "
            "of 2015 (as in table_in_text, areas as rows), ruled only around a header row and two "
            "groups of rows, as financial statements are set.")
    return doc.save(), doc.golden(src, note), {}


# ---------------------------------------------------------------------------------------------
# Fixture 4: two pages ending with side-by-side signature blocks
# ---------------------------------------------------------------------------------------------


def fixture_signature_block() -> tuple[bytes, dict, dict]:
    src = "samsung"
    company = "Samsung Electronics (UK) Limited"
    doc = Doc(A4, f"{company} Modern Slavery Act Statement 2016", company)
    margin = 64.0

    def furniture(d: Doc) -> None:
        grey = (0.4, 0.4, 0.4)
        d.text(margin, 42, company, "Times-Roman", 8.5, grey)
        d.c.setFillGray(0.4)
        d.c.setFont("Times-Roman", 8.5)
        d.c.drawRightString(A4W - margin, A4H - 42, "Modern Slavery Act Statement 2016")
        d.hline(margin, A4W - margin, 48, 0.4, 0.6)
        d.c.drawCentredString(A4W / 2, A4H - 808, f"{d.page} of 2")
        d.furn("header", company)
        d.furn("header", "Modern Slavery Act Statement 2016")
        d.furn("page_number", f"{d.page} of 2")

    doc.furniture_fn = furniture
    body = Style("Times-Roman", 10.5, 14, align="justify", space_after=7)
    head = Style("Times-Bold", 11.5, 15, space_before=6, space_after=3)
    ts = Style("Times-Bold", 18, 22, space_after=14)
    sig_top = 676.0
    slots = [(1, Rect(margin, 72, A4W - margin, 780)), (2, Rect(margin, 72, A4W - margin, sig_top - 18))]
    flow = Flow(doc, slots)

    def para(start: str, end: str) -> None:
        flow.paragraph(cut(src, start, end), body)

    def h(text: str) -> None:
        flow.paragraph(cut(src, text), head, kind="heading", keep_next=2 * body.leading)

    flow.paragraph(cut(src, "Samsung Electronics (UK) Limited Modern Slavery Act Statement 2016"), ts,
                   kind="heading", role="title")
    para("Samsung Electronics (UK) Limited supports the introduction", "do not in any way support these activities.")
    para("Samsung Electronics (UK) Limited has issued this statement", "criteria listed in the Regulations.")
    h("Organisational structure, our business and supply chain")
    para("Samsung Electronics (UK) Limited’s principal activities", "research and development facility in Israel.")
    para("Samsung Electronics (UK) limited is a subsidiary", "Samsung Electronics Co. Limited and its subsidiaries.")
    para("While approximately ninety percent of Samsung’s products", "in all regions in which we operate.")
    h("Policies and partnerships in relation to slavery and human trafficking")
    para("Samsung respects the guidelines of various international", "and other stakeholder forums.")
    para("Samsung has established corporate policies to protect", "based on principles defined in the EICC Code of Conduct.")
    h("Due diligence processes")
    para("To ensure adherence to our Business Conduct Guidelines", "to resolve them as quickly as possible.")
    para("Samsung conducts comprehensive corporate responsibility risk analysis", "conducted a worksite risk self-assessment.")
    para("The self-assessment tool and audits are also critical components", "we provide additional inputs on proposed tasks, if necessary.")
    para("For new suppliers, our worksite assessment unit conducts", "child labour and discrimination policies.")
    h("Risk management")
    para("To mitigate the risk of any incidences of non-compliance", "achieved compliance by implementing improvement tasks.")
    h("Further action")
    para("Samsung is committed to maintaining a sustainable", "annual sustainability report and modern slavery statement.")
    para("Our Business Conduct Guidelines, Supplier Code of Conduct", "Sustainability Report are publically available.")
    approval = f"This statement was approved by the Board of Directors of {company} on 12 May 2017."
    assert cut(src, f"This statement was approved by the Board of {company}.")  # the source's sentence
    flow.paragraph(approval, body)
    if doc.page != 2 or flow.i != 1:
        raise LayoutError("signature_block: text must run onto page 2")
    if flow.cursor > sig_top - 18:
        raise LayoutError("signature_block: text runs into the signature area")

    signatories = [
        ("Helen Marsh", "Chief Executive Officer"),
        ("Richard Okafor", "Director and Company Secretary"),
    ]
    date = "12 May 2017"
    body_font = "Times-Roman"
    for n, (name, role) in enumerate(signatories):
        x = margin + n * 250
        y0 = sig_top
        doc.text(x, y0 + 22, "Signed:", body_font, 10.5)
        sx = x + stringWidth("Signed: ", body_font, 10.5)
        doc.text(sx + 6, y0 + 20, name, "Times-BoldItalic", 19, (0.08, 0.12, 0.35))
        doc.hline(sx, x + 215, y0 + 25, 0.5)
        doc.text(x, y0 + 42, name, "Times-Bold", 10.5)
        doc.text(x, y0 + 56, role, body_font, 10.5)
        doc.text(x, y0 + 70, f"Date: {date}", body_font, 10.5)
        doc.block("signature_block", f"Signed: {name}\n{name}\n{role}\nDate: {date}")
        doc.region(f"signature_{n + 1}", Rect(x, y0, x + 215, y0 + 74), page=2)
    doc.region("text_frame_page_1", slots[0][1], page=1)
    doc.region("text_frame_page_2", slots[1][1], page=2)
    doc.region("running_header_band", Rect(margin, 32, A4W - margin, 48), page=1)
    pdf = doc.save()
    note = ("Title, headings and paragraphs are cut from the statement. The approval sentence adapts "
            "the source's own ('This statement was approved by the Board of Samsung Electronics (UK) "
            "Limited.') by adding 'Directors of' and an invented date; both signatories, their "
            "signatures and the date lines are invented (the source is signed by one real director). "
            "The running header and page numbers are added furniture.")
    return pdf, doc.golden(src, note), {}


# ---------------------------------------------------------------------------------------------
# Fixture 5: a landscape two-page spread
# ---------------------------------------------------------------------------------------------


def fixture_landscape_spread() -> tuple[bytes, dict, dict]:
    src = "mands"
    W, H = 2 * A4W, A4H
    doc = Doc((W, H), "Marks and Spencer Group plc Modern Slavery Statement 2017/18", "Marks and Spencer Group plc")
    outer, inner, gutter = 48.0, 54.0, 18.0
    top, bottom = 84.0, 784.0
    green = (0.0, 0.33, 0.25)
    left_x0, left_x1 = outer, A4W - inner
    right_x0, right_x1 = A4W + inner, W - outer
    cw = (left_x1 - left_x0 - gutter) / 2
    cols = [Rect(left_x0, top, left_x0 + cw, bottom), Rect(left_x1 - cw, top, left_x1, bottom),
            Rect(right_x0, top, right_x0 + cw, bottom), Rect(right_x1 - cw, top, right_x1, bottom)]

    def furniture(d: Doc) -> None:
        grey = (0.3, 0.3, 0.3)
        d.text(left_x0, 50, "MARKS AND SPENCER GROUP PLC", "Helvetica-Bold", 8, grey)
        d.hline(left_x0, left_x1, 58, 0.5, 0.5)
        d.c.setFillGray(0.3)
        d.c.setFont("Helvetica", 8)
        d.c.drawRightString(right_x1, H - 50, "Modern Slavery Statement 2017/18")
        d.hline(right_x0, right_x1, 58, 0.5, 0.5)
        d.c.setFont("Helvetica-Bold", 9)
        d.c.drawCentredString(A4W / 2, H - 812, "4")
        d.c.drawCentredString(A4W + A4W / 2, H - 812, "5")
        d.furn("header", "MARKS AND SPENCER GROUP PLC")
        d.furn("header", "Modern Slavery Statement 2017/18")
        d.furn("page_number", "4")
        d.furn("page_number", "5")

    doc.furniture_fn = furniture
    body = Style("Helvetica", 9.5, 13, space_after=6)
    head = Style("Helvetica-Bold", 11, 14, color=green, space_before=8, space_after=3)
    section = Style("Helvetica-Bold", 18, 22, color=green, space_after=8)
    flow = Flow(doc, [(1, r) for r in cols])

    def para(start: str, end: str) -> None:
        flow.paragraph(cut(src, start, end), body)

    def h(text: str, style: Style = head) -> None:
        flow.paragraph(cut(src, text), style, kind="heading", keep_next=2 * body.leading)

    h("INTRODUCTION", section)
    para("This is the third M&S Modern Slavery statement", "fishing and domestic work.")
    h("Our business and supply chains")
    para("M&S is one of the UK’s leading retailers", "which has Human Rights integrated into it.")
    para("Our extended product supply chains are extensive", "are not included on the map.")
    h("Governance structure and Strategy for Modern Slavery")
    para("We seek a sector-leading approach to Modern Slavery", "stakeholder dialogue and transparency.")
    para("Core to our approach is a robust governance structure.", "2017/18 on modern slavery and human rights.")
    h("Policies and contractual controls")
    para("As reported in our previous statements, we have several", "to ensure all businesses are captured.")
    para("In 2017-18 we consulted suppliers on a new Global Labour", "plan to report this in the upcoming year.")
    para("During 2016-17, we conducted a critical review of grievance", "to raise Human rights concerns.")
    h("Assessment of Modern Slavery risk within our supply chain")
    para("The manifestations of Modern Slavery are complex and hidden", "on Human Rights and Modern Slavery Risks.")
    para("During the year we became aware we had an inconsistent", "to work on gaps in effective Due diligence.")
    para("The annual Business risk assessment approach was also strengthened", "modern slavery was identified as an increasing risk.")
    h("Continuing to sponsor Modern Slavery Helpline")
    para("In its first year the UK-wide Modern Slavery Helpline", "to inform collective action.")
    para("Through sponsoring the hotline we gain insight", "27% of forced labour victims identified were working in Carwashes.")
    if flow.i != 3:
        raise LayoutError("landscape_spread: text must reach the fourth column")
    fold = None
    for _block, slot, before, after in flow.breaks():
        if slot == 1:
            fold = (before, after)
    for k, r in enumerate(cols):
        doc.region(f"column_{k + 1}", r)
    doc.region("left_half", Rect(0, 0, A4W, H))
    doc.region("right_half", Rect(A4W, 0, W, H))
    pdf = doc.save()
    note = ("One PDF page holding two A4 pages side by side (a printed spread): reading order is "
            "left half column 1, column 2, then right half column 1, column 2. Headings and "
            "paragraphs are cut from the statement in source order (figures and footnotes left "
            "out). The running headers are the statement's own running header split across the "
            "two halves; the page numbers 4 and 5 are added.")
    return pdf, doc.golden(src, note), {"fold_break": fold}


# ---------------------------------------------------------------------------------------------
# Fixtures 6 and 7: scanned pages
# ---------------------------------------------------------------------------------------------

SCAN_DPI = 150
SCAN_ANGLE = 0.45  # degrees, counter-clockwise


def _text_page(src: str, title: str, subtitle: str,
               blocks: list[tuple[str, str]]) -> tuple[Doc, bytes, list[tuple[float, float, str, str, float, float]]]:
    """A clean one-column page: returns the doc (with golden blocks), its PDF bytes and every
    drawn line as (x, baseline, text, font, size, drawn width)."""
    doc = Doc(A4, title, SOURCES[src]["company"])
    margin = 72.0
    width = A4W - 2 * margin
    drawn: list[tuple[float, float, str, str, float, float]] = []
    ts = Style("Helvetica-Bold", 19, 23)
    ss = Style("Helvetica", 12, 16, color=(0.3, 0.3, 0.3))
    body = Style("Times-Roman", 11, 15, align="justify")
    head = Style("Helvetica-Bold", 10.5, 14)

    y = 78.0

    def put(text: str, style: Style, kind: str, gap: float, **extra) -> None:
        nonlocal y
        for ln in break_lines(text, style, width):
            b = baseline_for(y, style)
            doc.draw_line(ln, style, margin, width, b)
            drawn.append((margin, b, ln.text, style.font, style.size,
                          width if (style.align == "justify" and not ln.last) else ln.width))
            y += style.leading
        doc.block(kind, text, **extra)
        y += gap

    put(title, ts, "heading", 2, role="title")
    put(subtitle, ss, "heading", 20, role="subtitle")
    for kind, text in blocks:
        if kind == "heading":
            put(text, head, "heading", 4)
        else:
            put(text, body, "paragraph", 10)
    if y > A4H - 60:
        raise LayoutError("scanned page text does not fit")
    doc.regions["text_block"] = {"page": 1, "bbox": Rect(margin, 78, A4W - margin, y).as_list()}
    c = doc.c
    c.save()
    return doc, doc.buf.getvalue(), drawn


def _scan(pdf: bytes, seed: int) -> bytes:
    """Rasterise page 1 at SCAN_DPI in grayscale, tilt it and add mild noise; return JPEG bytes."""
    page = pdfium.PdfDocument(pdf)[0]
    img = page.render(scale=SCAN_DPI / 72, grayscale=True).to_pil().convert("L")
    img = img.rotate(SCAN_ANGLE, resample=Image.BICUBIC, fillcolor=255)
    arr = np.asarray(img, dtype=np.float32)
    rng = np.random.default_rng(seed)
    arr = arr * 0.93 + 8  # paper is not pure white, ink not pure black
    arr += rng.normal(0.0, 2.5, arr.shape)
    img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), "L")
    img = img.filter(ImageFilter.GaussianBlur(0.35))
    out = io.BytesIO()
    img.save(out, "JPEG", quality=55, optimize=True)
    return out.getvalue()


def _image_pdf(jpeg: bytes, title: str, author: str) -> Doc:
    doc = Doc(A4, title, author)
    doc.c.drawImage(ImageReader(io.BytesIO(jpeg)), 0, 0, width=A4W, height=A4H)
    return doc


def fixture_scanned_page() -> tuple[bytes, dict, dict]:
    src = "hilton"
    blocks = [
        ("p", cut(src, "This statement is published by Hilton in compliance", "collectively referred to as “Hilton”.")),
        ("heading", cut(src, "OUR COMMITMENT TO HUMAN RIGHTS")),
        ("p", cut(src, "At Hilton, we have a shared purpose", "a core part of our mission.")),
        ("heading", cut(src, "OUR BUSINESS STRUCTURE AND SUPPLY CHAIN")),
        ("p", cut(src, "Hilton is a leading global hospitality company", "supported by over 405,000 Team Members*.")),
        ("p", cut(src, "Under management agreements, we use our marks", "are referred to as “Hilton Employees”.")),
        ("p", cut(src, "HSM is the global procurement and supply chain arm", "including construction.")),
    ]
    title = "Hilton Slavery and Human Trafficking Statement"
    clean, pdf0, _ = _text_page(src, title, cut(src, "FINANCIAL YEAR 2018"), blocks)
    jpeg = _scan(pdf0, seed=6)
    doc = _image_pdf(jpeg, title, "Hilton")
    doc.blocks, doc.regions = clean.blocks, clean.regions
    pdf = doc.save()
    note = ("An image-only page (no text layer): a clean page was drawn, rasterised at 150 dpi in "
            "grayscale, tilted 0.45 degrees, given mild noise and blur, and embedded as a JPEG. "
            "The title joins the statement's cover words ('HILTON SLAVERY AND HUMAN TRAFFICKING', "
            "'Statement'); the rest is cut from the statement, in source order (some paragraphs "
            "skipped). Region boxes are those of the clean page (the tilt moves text by up to "
            "about 3 pt).")
    return pdf, doc.golden(src, note), {"jpeg_bytes": len(jpeg)}


_OCR_SUBS = {"m": "rn", "e": "c", "h": "b", "l": "1", "o": "0", "a": "4", "s": "5", "i": "!",
             "t": "f", "n": "ri", "r": "v", "c": "e", "u": "v", "d": "cl", "g": "9", "y": "v",
             "w": "vv", "b": "6", "f": "t", "p": "q", "k": "lc", "v": "y",
             "0": "O", "1": "l", "2": "Z", "5": "S", "6": "b", "8": "B", "3": "8", "7": "?", "9": "g"}
_JUNK = ["~", "¦", "%", ";:", "^", "»", "|", "=", "_", "¬", "‚", "°"]


def garble_word(word: str, rng: random.Random) -> str:
    """A plausible bad-OCR rendering of ``word``: letters confused, shuffled, junk added."""
    chars = list(word)
    for _ in range(12):
        out = []
        for ch in chars:
            low = ch.lower()
            if low in _OCR_SUBS and rng.random() < 0.45:
                sub = _OCR_SUBS[low]
                out.append(sub.upper() if ch.isupper() and rng.random() < 0.5 else sub)
            elif rng.random() < 0.07:
                out.append(rng.choice(_JUNK))
            else:
                out.append(ch)
        s = "".join(out)
        letters = [i for i, ch in enumerate(s) if ch.isalpha()]
        if len(letters) >= 4 and rng.random() < 0.6:  # swap two inner letters
            a, b = rng.sample(letters[1:-1], 2)
            swapped = list(s)
            swapped[a], swapped[b] = swapped[b], swapped[a]
            s = "".join(swapped)
        if s.lower().strip(".,;:") != word.lower().strip(".,;:"):
            return s
    return word[::-1] + rng.choice(_JUNK)


def fixture_garbage_text_layer() -> tuple[bytes, dict, dict]:
    src = "vodafone"
    blocks = [
        ("p", cut(src, "Forced, bonded or compulsory labour, human trafficking", "gravest forms of human rights abuse in any society.")),
        ("p", cut(src, "We will not tolerate any such activities", "their fundamental rights and freedoms are respected.")),
        ("p", cut(src, "While this is our first public statement addressing", "the most salient of which we refer to below.")),
        ("p", cut(src, "Vodafone Group is one of the world’s largest", "in every country in which we have an operating business.")),
        ("p", cut(src, "The Group is domiciled in the UK", "a retail presence on most High Streets in the country.")),
    ]
    title = cut(src, "Vodafone Group Slavery and Human Trafficking Statement")
    clean, pdf0, drawn = _text_page(src, title, cut(src, "Slavery and Human Trafficking Statement 2015-16")
                                    .replace("Slavery and Human Trafficking Statement ", "Financial year "), blocks)
    jpeg = _scan(pdf0, seed=7)
    doc = _image_pdf(jpeg, title, "Vodafone Group Plc")
    c = doc.c
    rng = random.Random(7)
    c.saveState()
    cx, cy = A4W / 2, A4H / 2
    c.translate(cx, cy)
    c.rotate(SCAN_ANGLE)
    c.translate(-cx, -cy)
    for x, base, text, _font, size, width in drawn:
        words = [garble_word(w, rng) for w in text.split(" ")]
        if rng.random() < 0.35:
            words.insert(rng.randrange(len(words) + 1), "".join(rng.choice(_JUNK) for _ in range(rng.randint(2, 5))))
        junk = " ".join(words)
        natural = stringWidth(junk, "Helvetica", size)
        doc.text(x, base, junk, "Helvetica", size, mode=3, hscale=100.0 * width / natural)
    c.restoreState()
    doc.blocks, doc.regions = clean.blocks, clean.regions
    pdf = doc.save()
    note = ("The page image is clean statement text (rasterised at 150 dpi, tilted 0.45 degrees, "
            "mild noise), but the PDF also carries an invisible OCR-style text layer (text render "
            "mode 3, one text line per image line, rotated with the image and stretched to its "
            "width) whose every word is garbled: letters swapped for look-alikes, shuffled, junk "
            "symbols inserted. Golden blocks are the text on the image, cut from the statement; the "
            "subtitle 'Financial year 2015-16' reuses the year of the source title.")
    return pdf, doc.golden(src, note), {"jpeg_bytes": len(jpeg)}


# ---------------------------------------------------------------------------------------------
# Fixture 8: three pages with running header and footer
# ---------------------------------------------------------------------------------------------


def fixture_running_lines() -> tuple[bytes, dict, dict]:
    src = "sainsbury"
    company = "J Sainsbury plc"
    doc = Doc(A4, f"{company} Modern Slavery Statement 2016/17", company)
    margin = 70.0
    orange = (0.85, 0.45, 0.0)

    def furniture(d: Doc) -> None:
        d.text(margin, 40, company, "Helvetica-Bold", 8.5, orange)
        d.c.setFillGray(0.35)
        d.c.setFont("Helvetica", 8.5)
        d.c.drawRightString(A4W - margin, A4H - 40, "Modern Slavery Statement 2016/17")
        d.hline(margin, A4W - margin, 47, 0.5, 0.6)
        d.hline(margin, A4W - margin, 796, 0.5, 0.6)
        d.c.drawRightString(A4W - margin, A4H - 810, f"Page {d.page} of 3")
        d.furn("header", company)
        d.furn("header", "Modern Slavery Statement 2016/17")
        d.furn("footer", f"Page {d.page} of 3")

    doc.furniture_fn = furniture
    body = Style("Helvetica", 10, 14, align="justify", space_after=8)
    head = Style("Helvetica-Bold", 12.5, 16, color=orange, space_before=8, space_after=4)
    ts = Style("Helvetica-Bold", 20, 24, space_after=14)
    frame = lambda: Rect(margin, 72, A4W - margin, 776)  # noqa: E731
    flow = Flow(doc, [(1, frame()), (2, frame()), (3, frame())],
                hyph={"responsibilities": 8, "organisations": 5, "merchandise": 5,
                      "accountability": 7, "procurement": 7, "compliance": 6, "International": 5},
                hyph_budget=[2])

    def para(start: str, end: str) -> None:
        flow.paragraph(cut(src, start, end), body)

    def h(text: str) -> None:
        flow.paragraph(text, head, kind="heading", keep_next=2 * body.leading)
        assert text in _source_text(src)

    flow.paragraph(cut(src, "J Sainsbury plc Modern Slavery Statement 2016/17"), ts, kind="heading", role="title")
    para("Modern slavery and human trafficking are abhorrent practices", "achieve maximum impact.")
    para("This statement is made pursuant to Section 54", "in its business operations and supply chains.")
    h("About Sainsbury’s Group")
    para("Our commitment to helping customers live well for less", "whenever and wherever they want it.")
    para("As our customers’ lives change, so will our business.", "further details in the coming year.")
    para("We are now a multi-product, multi-channel business", "around 195,000 colleagues across the UK and Ireland.")
    para("Sainsbury’s Bank’s range of financial products", "driving our success now and in the future.")
    h("Our supply chain")
    para("We offer a wide range of products in our stores", "through Sainsbury’s Argos.")
    para("The complexity of each supply chain, the number of tiers", "sourced from more than 3,000 suppliers.")
    h("Policies and contractual terms")
    para("We set out the expectations of our suppliers in relation", "the Sainsbury’s Supplier Handbook.")
    para("Sainsbury’s and Argos Codes of Conduct for Ethical Trade", "United Nations Universal Declaration of Human Rights.")
    para("Sainsbury’s direct suppliers are required to show compliance", "any breaches of our ethical standards.")
    para("Recognising that excessive levels of worker indebtedness", "starting with our grocery supply chain.")
    para("At Sainsbury’s this year we amended our contractual terms", "due diligence in more detail.")
    para("Our Sainsbury’s Colleague Handbook highlights our brand values", "bullying and victimisation.")
    para("We also use an independent hotline, Sainsbury's RightLine", "human rights and modern slavery.")
    h("Governance")
    para("We established Sainsbury’s Corporate Responsibility & Sustainability", "accountable for our sourcing with integrity value.")
    para("Our PLC Board oversees our Commercial Risk Map", "such as the Modern Slavery Act.")
    para("In 2015, we established a cross-functional Modern Slavery Working Group", "for their specific area of the business.")
    para("Day-to-day, Sainsbury’s ethical trade team works with suppliers", "who manages the programme of activity.")
    para("Once identified, issues are categorised by level of seriousness", "representation from the corporate responsibility and trading functions.")
    h("Due diligence")
    para("Our commitment to sourcing with integrity is reflected", "to ensure that our standards are maintained.")
    para("We recognise that the greatest risks of modern slavery are in our product", "monitors via Sedex and other internal systems.")
    if doc.page != 3:
        raise LayoutError("running_lines: text must run to page 3")
    b12 = require_mid_sentence_break(flow, 0)
    if not doc.hyphenations:
        raise LayoutError("running_lines: expected a deliberate hyphenated line break")
    for pg in (1, 2, 3):
        doc.region(f"text_frame_page_{pg}", frame(), page=pg)
    doc.region("running_header_band", Rect(margin, 30, A4W - margin, 47), page=1)
    doc.region("footer_band", Rect(margin, 796, A4W - margin, 813), page=1)
    pdf = doc.save()
    note = ("Headings and paragraphs cut from the statement in source order (the statement's "
            "inline headings such as 'Our supply chain' are set as separate headings; its infographic "
            "is left out). Running header and 'Page N of 3' footer are added furniture. Up to two "
            "long words are deliberately hyphenated at line ends (see hyphenated_line_breaks); "
            "golden text has them whole.")
    return pdf, doc.golden(src, note), {"page_break": b12}


# ---------------------------------------------------------------------------------------------

FIXTURES: list[tuple[str, Callable[[], tuple[bytes, dict, dict]]]] = [
    ("three_columns", fixture_three_columns),
    ("sidebar", fixture_sidebar),
    ("table_in_text", fixture_table_in_text),
    ("grouped_table", fixture_grouped_table),
    ("signature_block", fixture_signature_block),
    ("landscape_spread", fixture_landscape_spread),
    ("scanned_page", fixture_scanned_page),
    ("garbage_text_layer", fixture_garbage_text_layer),
    ("two_pages_running_lines", fixture_running_lines),
]


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    results = {}
    for name, build in FIXTURES:
        pdf, golden, info = build()
        (OUT / f"{name}.pdf").write_bytes(pdf)
        (OUT / f"{name}.golden.json").write_text(
            json.dumps(golden, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        results[name] = (golden, info, len(pdf))
        print(f"{name}.pdf  {len(pdf) / 1024:.1f} KB  pages={golden['pages']}  blocks={len(golden['blocks'])}")
    (OUT / "README.md").write_text(readme(results), encoding="utf-8")


WHAT = {
    "three_columns": (
        "Column order. One A4 portrait page: full-width title (Helvetica-Bold 22) and intro "
        "(Helvetica 11.5, three lines), a rule, then body text in three justified columns "
        "(Times-Roman 9.5/12, gutters 12 pt, headings Helvetica-Bold 9.5 inside the columns). A "
        "sentence runs from the foot of column 1 to the top of column 2 and another from column 2 "
        "to column 3; two words are hyphenated at line ends (listed below). A naive extractor interleaves the columns line by line."),
    "sidebar": (
        "Asides that are not part of the main flow. One page: a wide body column (Times-Roman "
        "10.5/13.5) beside a shaded 'At a glance' sidebar (Helvetica 8.5, four bullets). In the body "
        "column: a grey rectangle standing for an image with a 'Figure 1: ...' caption, and a pull "
        "quote (Times-Italic 14 between two rules) that interrupts a sentence: the paragraph's "
        "sentence stops before the quote and continues after it. Golden: the interrupted paragraph "
        "whole, then the pull quote (kind paragraph, role pull_quote), then the rest of the body; "
        "sidebar blocks last (region sidebar)."),
    "table_in_text": (
        "Tables inside running text. One page: heading and two paragraphs, a RULED table (full grid, "
        "shaded header row, 4 columns x 1 header + 5 body rows, cells wrapping to two or three lines, "
        "a centred numeric year column), a heading and two paragraphs, an UNRULED table (no lines: "
        "columns aligned by position, numbers right-aligned; 4 columns x 1 header + 5 rows), then two "
        "closing paragraphs. Each table row is one table_row block with cells."),
    "grouped_table": (
        "A table ruled only around groups of rows, as financial statements are set. One page: heading, "
        "paragraph, a table of figures (4 columns: a label and three right-aligned figures) whose "
        "horizontal rules enclose a header row and two groups of three and two rows, so each ruled "
        "cell holds a column of several rows; then a paragraph. Golden: one table_row per text line, "
        "its cells left to right (a person reads across, not down each ruled cell)."),
    "signature_block": (
        "The end of a statement. Two A4 pages of one-column justified text (Times-Roman 10.5/14) "
        "with running header and 'N of 2' page numbers; page 2 ends with the board approval sentence "
        "and, at the foot, two signature blocks side by side: 'Signed:' plus a large italic "
        "script-like name on a rule, then the name (bold), the title and 'Date: 12 May 2017'. One "
        "signature_block per signatory, lines joined by newlines, left signatory first."),
    "landscape_spread": (
        "A printed spread: one landscape page 1190.55 x 841.89 pt (two A4 pages side by side). Each "
        "half has a running header (left: company, right: statement title), two columns "
        "(Helvetica 9.5/13) and a page number at the foot ('4' and '5'). Reading order: left half "
        "column 1, column 2, right half column 1, column 2. A sentence runs across the fold (from "
        "the foot of column 2 to the top of column 3)."),
    "scanned_page": (
        "A scanned page with no text layer at all: a title, subtitle, two headings and five "
        "paragraphs drawn in one column, rasterised by pdfium at 150 dpi grayscale, tilted 0.45 "
        "degrees, given mild noise and blur and embedded as one full-page JPEG. pypdfium2 finds 0 "
        "text characters: only OCR can read it. The golden is the text on the image."),
    "garbage_text_layer": (
        "A scanned page whose OCR text layer is useless: the image (as in scanned_page, other text) "
        "is clean, but an invisible text layer (render mode 3, as OCR software writes) holds "
        "garbled words (letters swapped for OCR look-alikes such as rn/m, 4/a, 0/o, vv/w, "
        "letters shuffled, junk symbols such as '¦ ~ »' inserted) positioned and stretched over each image line. pdftotext returns about 2% of the golden "
        "words. An extractor must notice that the text layer is garbage (and OCR the page)."),
    "two_pages_running_lines": (
        "Running headers and footers. Three A4 pages of one-column justified text (Helvetica 10/14) "
        "with a running header (company, left; 'Modern Slavery Statement 2016/17', right; rule) and "
        "a footer 'Page N of 3'. A paragraph continues mid-sentence from the foot of page 1 to the "
        "top of page 2 (and another from page 2 to page 3); two words are hyphenated at line ends."),
}


def _fmt_bbox(v: dict) -> str:
    return f"page {v['page']}: [{', '.join(f'{x:g}' for x in v['bbox'])}]"


def readme(results: dict) -> str:
    out = [
        "# Layout fixtures: designed PDFs with golden extractions",
        "",
        "Small PDFs that mimic the layouts real modern slavery statements use (columns, sidebars, "
        "tables, signature blocks, spreads, scans), each with `NAME.golden.json`: the text a careful "
        "human reader extracts, in reading order. They are made by this project with "
        "`scripts/make_layout_fixtures.py` (reportlab for drawing, pypdfium2 + Pillow for the "
        "scanned pages) and are rebuilt byte-for-byte identically by running:",
        "",
        "    .venv/bin/python scripts/make_layout_fixtures.py",
        "",
        "(Byte-identical output assumes the same reportlab, pypdfium2/pdfium, Pillow and numpy "
        "versions; the scanned pages depend on pdfium's rasteriser and Pillow's JPEG encoder.) "
        "The script checks its own layout claims and fails if a change breaks them: text must fit "
        "its frames, the column/page breaks named below must fall mid-sentence, the deliberate "
        "hyphenations must happen.",
        "",
        "## Text and attribution",
        "",
        "The statement text is real: every paragraph, heading, list item and table cell is cut, "
        "sentence-complete and unchanged in wording, out of `corpus/uk_texts/uk_statement_texts.csv` "
        "(979 UK statements from the Project AIMS hackathon repository `dhilgart/ModernSlavery`, MIT "
        "licence; see `corpus/README.md`). Rows are 0-based positions in that CSV. Invented: running "
        "headers, footers and page numbers not in the source, the figure caption and the 'At a "
        "glance' heading in `sidebar`, the two signatories, signatures and dates in "
        "`signature_block`, and the date added to its approval sentence. Each golden's "
        "`source.note` says exactly what was adapted.",
        "",
        "| fixture | statement (company, year) | CSV row |",
        "|---|---|---|",
    ]
    for name, (golden, _info, _size) in results.items():
        src = golden["source"]
        out.append(f"| `{name}` | {src['company']}, {src['year']} | {src['row']} |")
    out += [
        "",
        "## Golden format",
        "",
        "```",
        '{"source": {"company", "year", "note", "dataset", "row"}, "pages": N, "page_size": [w, h],',
        ' "blocks": [{"page", "kind", "text", ...}], "furniture": [{"page", "kind", "text"}],',
        ' "regions": {name: {"page", "bbox", ...}}, "hyphenated_line_breaks": [...]}',
        "```",
        "",
        "- `kind` is one of `heading`, `paragraph`, `list_item`, `table_row`, `caption`, "
        "`signature_block`. Optional keys: `role` (`title`, `subtitle`, `intro`, `pull_quote`), "
        "`region` (`body` / `sidebar` in `sidebar`), `cells`, `table` (`ruled` / `unruled`) and "
        "`header` on table rows.",
        "- A block broken by a column, page or pull quote appears once, whole, at the page where it "
        "starts. A pull quote comes right after the paragraph it interrupts.",
        "- `table_row.text` is the cells joined with ` | `; `signature_block.text` is the drawn "
        "lines joined with newlines.",
        "- Running headers, footers and page numbers are not blocks: they are listed in "
        "`furniture` (kind `header`, `footer` or `page_number`, one entry per page drawn).",
        "- Hyphenation: only the words listed in `hyphenated_line_breaks` are split at a line end "
        "(`drawn` shows the split, `word` the whole word, which is what the golden text has; "
        "`line_top` and `x1` locate the hyphenated line).",
        "- Table regions also carry `rows` (one bbox per drawn row, header first) and "
        "`column_edges` (ruled table) or `number_columns_right_edge` (unruled table).",
        "- Coordinates are PDF points with the origin at the TOP-LEFT of the page; "
        "`bbox = [x0, top, x1, bottom]`. Column and frame boxes are the layout frames (text fills "
        "them from the top, ragged at the bottom); allow a few points of tolerance. In the scanned "
        "fixtures the boxes are those of the page before the 0.45 degree tilt.",
        "",
        "## Fixtures",
        "",
    ]
    for name, (golden, info, size) in results.items():
        src = golden["source"]
        kinds: dict[str, int] = {}
        for b in golden["blocks"]:
            kinds[b["kind"]] = kinds.get(b["kind"], 0) + 1
        w, h = golden["page_size"]
        out += [
            f"### `{name}.pdf`",
            "",
            WHAT[name],
            "",
            f"- Size {size / 1024:.1f} KB; {golden['pages']} page(s) of {w:g} x {h:g} pt; blocks: "
            + ", ".join(f"{k} {v}" for k, v in kinds.items()) + ".",
            f"- Text: {src['company']}, {src['year']} (CSV row {src['row']}). {src['note']}",
        ]
        if golden["regions"]:
            out.append("- Regions (top-left origin, points):")
            for key, val in golden["regions"].items():
                out.append(f"  - `{key}`: {_fmt_bbox(val)}")
        for key, val in info.items():
            if key.endswith("break") or key.endswith("breaks"):
                pairs = val if key.endswith("breaks") else [val]
                for before, after in pairs:
                    out.append(f"  - break: line ends `...{before[-40:]}`, continues `{after[:40]}...`")
        if golden["hyphenated_line_breaks"]:
            out.append("- Hyphenated line ends: " + ", ".join(
                f"`{x['drawn']}` (page {x['page']})" for x in golden["hyphenated_line_breaks"]) + ".")
        out.append("")
    return "\n".join(out)


if __name__ == "__main__":
    main()
