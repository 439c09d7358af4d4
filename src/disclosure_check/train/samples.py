"""Render real statement texts into PDFs with varied layouts, for tests and benchmarks.

The texts come from ``corpus/uk_texts/uk_statement_texts.csv`` (real UK statements). Nothing is
added to their wording: the renderer only cleans extraction debris (stray page numbers, hard
wraps), decides which lines are headings, bullets or the closing signature block, and lays them
out. The cleaned blocks are written beside each PDF as the ground truth for extraction fidelity.

reportlab is a development dependency (extra ``samples``); the library never imports this module.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path
from xml.sax.saxutils import escape

# Layouts cycle through the samples so every variant is covered.
LAYOUTS = ("one_column", "two_column", "one_column_serif", "two_column_title")

_PAGE_MARKER = re.compile(r"^\s*(page\s*)?\d{1,3}(\s*(of|/)\s*\d{1,3})?\s*$", re.I)
_BULLET = re.compile(r"^\s*(?:[•●▪■◦‣∙·\-–—*]|o(?=\s)|\(?[a-z0-9]{1,2}[.)])\s+", re.I)
_SIGN_CUE = re.compile(
    r"^(signed|signature|for and on behalf of|on behalf of the board|by order of the board)\b", re.I
)
_TITLE_WORDS = re.compile(
    r"\b(chief executive|chief executive officer|ceo|chair(man|woman|person)?|director|"
    r"designated member|managing director|group chief executive|company secretary|president|"
    r"general manager|chief operating officer|chief financial officer)\b",
    re.I,
)
_DATE = re.compile(r"\b(19|20)\d\d\b|\bdate\b", re.I)
# Characters the standard PDF fonts (WinAnsi) cannot show, mapped to their plain equivalents.
_CHAR_MAP = str.maketrans(
    {
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2212": "-", "\u00ad": "",
        "\ufb01": "fi", "\ufb02": "fl", "\ufb00": "ff", "\ufb03": "ffi", "\ufb04": "ffl",
        "\u25aa": "\u2022", "\u25cf": "\u2022", "\u25a0": "\u2022", "\u2023": "\u2022",
        "\u2219": "\u2022", "\u25e6": "\u2022", "\u00a0": " ", "\u200b": "",
    }
)


@dataclass(frozen=True)
class SourceBlock:
    """One block of the source text as rendered: its kind and exact text."""

    kind: str  # "title" | "heading" | "paragraph" | "bullet" | "signature"
    text: str


@dataclass(frozen=True)
class SampleSpec:
    """Which corpus row to render, under which file name and layout."""

    row: int
    name: str
    organisation: str
    sector: str
    layout: str


def _clean_char(text: str) -> str:
    text = text.translate(_CHAR_MAP)
    text = "".join(" " if (ord(ch) < 32 and ch not in "\n\t") else ch for ch in text)
    return "".join(ch if ch.isascii() or _winansi_ok(ch) else " " for ch in text)


def _winansi_ok(ch: str) -> bool:
    try:
        ch.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


def _is_heading(line: str) -> bool:
    words = line.split()
    if not words or len(line) > 80 or len(words) > 12:
        return False
    if line.rstrip().endswith((".", ",", ";", ":")) and not line.isupper():
        return False
    alpha = [w for w in words if w[:1].isalpha()]
    if not alpha:
        return False
    capitalised = sum(w[:1].isupper() for w in alpha) / len(alpha)
    return line.isupper() or capitalised >= 0.6


def text_to_blocks(text: str) -> list[SourceBlock]:
    """Split a raw statement text into renderable blocks, repairing hard line wraps."""
    lines = [_clean_char(line).strip() for line in text.replace("\r", "").split("\n")]
    lines = [re.sub(r"\s+", " ", line) for line in lines]
    lines = [line for line in lines if line and not _PAGE_MARKER.match(line)]
    blocks: list[SourceBlock] = []
    for line in lines:
        bullet = _BULLET.match(line)
        if bullet and len(line) > bullet.end() + 3:
            blocks.append(SourceBlock("bullet", line[bullet.end():].strip()))
            continue
        prev = blocks[-1] if blocks else None
        # A hard wrap: the previous paragraph stops mid-sentence and this line continues it.
        if (
            prev is not None
            and prev.kind in ("paragraph", "bullet")
            and not prev.text.endswith((".", ":", "!", "?", ";"))
            and line[:1].islower()
        ):
            blocks[-1] = SourceBlock(prev.kind, f"{prev.text} {line}")
            continue
        kind = "heading" if _is_heading(line) else "paragraph"
        blocks.append(SourceBlock(kind, line))
    if blocks and blocks[0].kind in ("heading", "paragraph") and len(blocks[0].text) <= 120:
        blocks[0] = SourceBlock("title", blocks[0].text)
    return _mark_signature(blocks)


def _mark_signature(blocks: list[SourceBlock]) -> list[SourceBlock]:
    """Mark the closing name/title/date lines as the signature block, when the text has one."""
    start = end = None
    for i in range(len(blocks) - 1, max(len(blocks) - 9, -1), -1):
        text = blocks[i].text
        if len(text) > 120:
            break
        if _SIGN_CUE.match(text) or _TITLE_WORDS.search(text) or (end is not None and _DATE.search(text)):
            start = i
            end = i if end is None else end
    if start is None or end is None:
        return blocks
    # Include a cue line ("Signed by", "For and on behalf of") just above the names.
    if start > 0 and _SIGN_CUE.match(blocks[start - 1].text) and len(blocks[start - 1].text) <= 120:
        start -= 1
    # A date line right below the names belongs to the block too.
    if end + 1 < len(blocks) and _DATE.search(blocks[end + 1].text) and len(blocks[end + 1].text) <= 40:
        end += 1
    signed = [SourceBlock("signature", b.text) for b in blocks[start : end + 1]]
    return blocks[:start] + signed + blocks[end + 1 :]


def render_pdf(blocks: list[SourceBlock], path: Path, *, layout: str, title: str, author: str) -> None:
    """Write ``blocks`` to ``path`` as a PDF in one of ``LAYOUTS``."""
    from reportlab.lib.enums import TA_JUSTIFY, TA_LEFT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import (
        BaseDocTemplate,
        Frame,
        HRFlowable,
        KeepTogether,
        PageTemplate,
        Paragraph,
        Spacer,
    )
    from reportlab.platypus.flowables import ListFlowable, ListItem

    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}; choose one of {LAYOUTS}")
    serif = layout == "one_column_serif"
    two_col = layout.startswith("two_column")
    body_font = "Times-Roman" if serif else "Helvetica"
    bold_font = "Times-Bold" if serif else "Helvetica-Bold"
    size = 10.5 if serif else (9 if two_col else 10)
    body = ParagraphStyle(
        "body", fontName=body_font, fontSize=size, leading=size * 1.3, spaceAfter=size * 0.7,
        alignment=TA_JUSTIFY if two_col else TA_LEFT, hyphenationLang="en_GB",
        embeddedHyphenation=1, uriWasteReduce=0.3,
    )
    heading = ParagraphStyle(
        "heading", fontName=bold_font, fontSize=size + 2.5, leading=(size + 2.5) * 1.25,
        spaceBefore=size * 0.6, spaceAfter=size * 0.5,
    )
    title_style = ParagraphStyle(
        "title", fontName=bold_font, fontSize=18, leading=22, spaceAfter=12
    )
    signature = ParagraphStyle(
        "signature", fontName="Helvetica-Oblique" if not serif else "Times-Italic",
        fontSize=size, leading=size * 1.35,
    )
    width, height = A4
    margin = 20 * mm
    header_text = escape(title[:90])

    def decorate(canvas, doc) -> None:  # running header and footer with page number
        canvas.saveState()
        canvas.setFont(body_font, 8)
        canvas.drawString(margin, height - 12 * mm, header_text)
        canvas.line(margin, height - 13.5 * mm, width - margin, height - 13.5 * mm)
        if layout == "one_column_serif":
            canvas.drawCentredString(width / 2, 10 * mm, f"- {doc.page} -")
        else:
            canvas.drawRightString(width - margin, 10 * mm, f"Page {doc.page}")
            canvas.drawString(margin, 10 * mm, escape(author[:60]))
        canvas.restoreState()

    frame_h = height - 2 * margin
    gap = 8 * mm
    col_w = (width - 2 * margin - gap) / 2
    if two_col:
        frames = [
            Frame(margin, margin, col_w, frame_h, id="left"),
            Frame(margin + col_w + gap, margin, col_w, frame_h, id="right"),
        ]
    else:
        frames = [Frame(margin, margin, width - 2 * margin, frame_h, id="body")]
    templates = [PageTemplate(id="body", frames=frames, onPage=decorate)]
    story: list = []
    if layout == "two_column_title":
        title_h = 30 * mm
        first = [
            Frame(margin, height - margin - title_h, width - 2 * margin, title_h, id="title"),
            Frame(margin, margin, col_w, frame_h - title_h, id="left1"),
            Frame(margin + col_w + gap, margin, col_w, frame_h - title_h, id="right1"),
        ]
        templates.insert(0, PageTemplate(id="first", frames=first, onPage=decorate,
                                         autoNextPageTemplate="body"))
    doc = BaseDocTemplate(
        str(path), pagesize=A4, leftMargin=margin, rightMargin=margin, topMargin=margin,
        bottomMargin=margin, title=title, author=author, subject="Modern slavery statement",
        creator="disclosure_check sample renderer", invariant=1,
    )
    doc.addPageTemplates(templates)

    pending_bullets: list = []

    def flush_bullets() -> None:
        if pending_bullets:
            story.append(ListFlowable(list(pending_bullets), bulletType="bullet", start="\u2022",
                                      leftIndent=12, bulletFontSize=size))
            pending_bullets.clear()

    signature_lines: list = []

    def flush_signature() -> None:
        if signature_lines:
            story.append(Spacer(1, 10))
            story.append(KeepTogether([HRFlowable(width="40%", hAlign="LEFT", spaceAfter=6)]
                                      + signature_lines))
            signature_lines.clear()

    for block in blocks:
        text = escape(block.text)
        if block.kind != "bullet":
            flush_bullets()
        if block.kind != "signature":
            flush_signature()
        if block.kind == "title":
            story.append(Paragraph(text, title_style))
            if layout == "two_column_title":
                from reportlab.platypus import FrameBreak

                story.append(FrameBreak())
        elif block.kind == "heading":
            story.append(Paragraph(text, heading))
        elif block.kind == "bullet":
            pending_bullets.append(ListItem(Paragraph(text, body), leftIndent=12))
        elif block.kind == "signature":
            signature_lines.append(Paragraph(text, signature))
        else:
            story.append(Paragraph(text, body))
    flush_bullets()
    flush_signature()
    doc.build(story)


def load_texts(csv_path: Path) -> list[str]:
    import pandas as pd

    frame = pd.read_csv(csv_path)
    return frame["text"].fillna("").tolist()


def build_samples(specs: list[SampleSpec], csv_path: Path, out_dir: Path) -> list[Path]:
    """Render each spec into ``out_dir`` with a ``.source.json`` of its blocks beside it."""
    texts = load_texts(csv_path)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for spec in specs:
        blocks = text_to_blocks(texts[spec.row])
        pdf = out_dir / f"{spec.name}.pdf"
        render_pdf(blocks, pdf, layout=spec.layout,
                   title=f"{spec.organisation} - Modern Slavery Statement",
                   author=spec.organisation)
        meta = {**asdict(spec), "source": f"corpus/uk_texts/uk_statement_texts.csv row {spec.row}",
                "blocks": [asdict(b) for b in blocks]}
        (out_dir / f"{spec.name}.source.json").write_text(json.dumps(meta, indent=1, ensure_ascii=False))
        written.append(pdf)
    return written
