"""PDF -> Document: text in reading order, cleaned of running headers, footers and hyphenation.

The chain: ``pdf_words`` (pdfplumber words per page) -> ``words_to_lines`` (columns found by their
gutter, read left column first) -> ``drop_running_lines`` (headers, footers, page numbers) ->
``lines_to_blocks`` (headings, paragraphs and list items, lines rejoined and de-hyphenated).
"""

from __future__ import annotations

import hashlib
import logging
import re
import statistics
from collections import Counter
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

from .errors import CorruptPDFError, EncryptedPDFError, FileTooLargeError, InputError, NoTextLayerError
from .types import Block, Document, Metadata, Page

# pdfminer logs every font quirk at WARNING; a batch of thousands would drown in them.
logging.getLogger("pdfminer").setLevel(logging.ERROR)

DEFAULT_MAX_BYTES = 100 * 1024 * 1024
DEFAULT_MAX_PAGES = 500

_BULLET_GLYPHS = "•●▪■◦‣∙·○□➢➤►▸–—-*"
_BULLET_START = re.compile(rf"^(?:(?:[{re.escape(_BULLET_GLYPHS)}]\s*)+|\(?(?:\d{{1,2}}|[a-z]|[ivx]{{1,4}})[.)]\s+)", re.I)
_PAGE_NUMBER = re.compile(
    r"^\s*(?:page\s*)?[-–—(\[]?\s*\d{1,4}\s*[-–—)\]]?\s*(?:(?:of|/)\s*\d{1,4})?\s*$", re.I
)
_SYMBOL_FONTS = ("dingbat", "symbol", "wingding", "webding")
_CID = re.compile(r"\(cid:\d+\)")
_TERMINAL = (".", "!", "?", ":", ";", "”", '"', "’")


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool


@dataclass(frozen=True)
class Line:
    page: int
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool
    column: int  # 0 full width or single column, 1 left, 2 right
    page_height: float
    page_width: float


def file_digest(path: Path) -> str:
    """The document id: sha256 of the file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def pdf_to_document(
    path: str | Path,
    *,
    password: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_pages: int = DEFAULT_MAX_PAGES,
    doc_id: str | None = None,
) -> Document:
    """Extract a PDF into a Document, raising an ``InputError`` subclass for unusable files."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psparser import PSException
    from pdfplumber.utils.exceptions import PdfminerException

    path = Path(path)
    where = str(path)
    if not path.is_file():
        raise InputError("file not found", where=where, fix="check the path")
    size = path.stat().st_size
    if size == 0:
        raise CorruptPDFError("file is empty (0 bytes)", where=where, fix="re-download or re-export the PDF")
    if size > max_bytes:
        raise FileTooLargeError(
            f"file is {size / 2**20:.0f} MiB, over the {max_bytes / 2**20:.0f} MiB limit",
            where=where, fix="raise --max-mb if the file really is a statement",
        )
    with path.open("rb") as handle:
        if b"%PDF" not in handle.read(1024):
            raise CorruptPDFError("not a PDF (no %PDF header)", where=where,
                                  fix="convert the document to PDF first")
    doc_id = doc_id or file_digest(path)
    try:
        pdf = pdfplumber.open(path, password=password or "")
    except PdfminerException as exc:
        cause = exc.args[0] if exc.args else exc
        if isinstance(cause, PDFPasswordIncorrect | PDFEncryptionError):
            raise EncryptedPDFError(
                "PDF is encrypted and no (or a wrong) password was given", where=where,
                fix="pass --password, or ask the publisher for an unprotected copy",
            ) from exc
        raise CorruptPDFError(f"PDF cannot be parsed ({type(cause).__name__})", where=where,
                              fix="re-export the PDF or repair it (e.g. with qpdf)") from exc
    except (PDFSyntaxError, PSException, ValueError, KeyError, TypeError) as exc:
        raise CorruptPDFError(f"PDF cannot be parsed ({type(exc).__name__}: {exc})", where=where,
                              fix="re-export the PDF or repair it (e.g. with qpdf)") from exc
    with pdf:
        n_pages = _page_count(pdf, where)
        if n_pages > max_pages:
            raise FileTooLargeError(
                f"PDF has {n_pages} pages, over the {max_pages}-page limit", where=where,
                fix="raise --max-pages if the file really is a statement",
            )
        metadata = _metadata(pdf.metadata or {})
        page_words = []
        geometry = []
        broken = []
        for number, page in enumerate(pdf.pages, start=1):
            geometry.append((float(page.width), float(page.height)))
            try:
                page_words.append(_page_words(page))
            except Exception as exc:  # pdfminer raises anything on a damaged content stream
                broken.append(f"page {number}: {type(exc).__name__}")
                page_words.append([])
    if broken and len(broken) == n_pages:
        raise CorruptPDFError(f"no page could be parsed ({'; '.join(broken[:3])})", where=where,
                              fix="re-export the PDF or repair it (e.g. with qpdf)")
    if not any(page_words):
        raise NoTextLayerError(
            f"none of the {n_pages} page(s) has a text layer (scanned or image-only PDF)", where=where,
            fix="run OCR (e.g. ocrmypdf) and score the OCR'd file",
        )
    body_words = drop_running_words(page_words, [height for _, height in geometry])
    lines: list[Line] = []
    columns: dict[int, int] = {}
    for number, (words, (width, height)) in enumerate(zip(body_words, geometry, strict=True), start=1):
        page_lines = words_to_lines(words, page=number, width=width, height=height)
        columns[number] = 2 if any(line.column == 2 for line in page_lines) else 1
        lines.extend(page_lines)
    blocks = lines_to_blocks(lines)
    text, blocks = _join_blocks(blocks)
    pages = tuple(
        Page(
            number=number, width=width, height=height, has_text_layer=bool(page_words[number - 1]),
            text="\n\n".join(b.text for b in blocks if b.page == number), columns=columns[number],
        )
        for number, (width, height) in enumerate(geometry, start=1)
    )
    return Document(doc_id=doc_id, path=str(path), metadata=metadata, pages=pages,
                    blocks=tuple(blocks), text=text)


def _page_count(pdf, where: str) -> int:
    try:
        return len(pdf.pages)
    except Exception as exc:  # pdfminer raises assorted types on broken page trees
        raise CorruptPDFError(f"page tree cannot be read ({type(exc).__name__})", where=where,
                              fix="re-export the PDF or repair it (e.g. with qpdf)") from exc


def _page_words(page) -> list[Word]:
    from pdfplumber.utils import extract_words

    raw = extract_words(_dedupe_chars(page.chars), extra_attrs=["fontname", "size"],
                        keep_blank_chars=False, x_tolerance=2)
    width, height = float(page.width), float(page.height)
    words = []
    for w in raw:
        if not w.get("upright", True):
            continue  # rotated marginal text (watermarks, spine labels) is not body text
        if w["bottom"] <= 0 or w["top"] >= height or w["x1"] <= 0 or w["x0"] >= width:
            continue  # drawn outside the visible page
        text = w["text"]
        font = str(w.get("fontname", "")).lower()
        if _CID.fullmatch(text) or (len(text) <= 2 and any(f in font for f in _SYMBOL_FONTS)):
            text = "•"  # an unmapped glyph standing alone is almost always a bullet
        else:
            text = _CID.sub("", text)
            if not text:
                continue
        words.append(Word(
            text=text, x0=float(w["x0"]), x1=float(w["x1"]), top=float(w["top"]),
            bottom=float(w["bottom"]), size=round(float(w.get("size", 0.0)), 1),
            bold=_is_bold(str(w.get("fontname", ""))),
        ))
    return words


def _dedupe_chars(chars: list[dict]) -> list[dict]:
    """Drop overprinted copies of a glyph (fake bold: "DDaattaa"); pdfplumber's own is 10x slower."""
    seen = set()
    kept = []
    for char in chars:
        key = (char["text"], round(char["x0"]), round(char["top"]))
        if key in seen:
            continue
        seen.add(key)
        kept.append(char)
    return kept


def _is_bold(fontname: str) -> bool:
    name = fontname.split("+")[-1].lower()
    return any(tag in name for tag in ("bold", "black", "heavy", "semibold", "demi"))


def _cluster_rows(words: list[Word]) -> list[list[Word]]:
    """Group words whose vertical middles fall within one another's line box."""
    rows: list[list[Word]] = []
    boxes: list[tuple[float, float]] = []
    for word in sorted(words, key=lambda w: (w.top, w.x0)):
        middle = (word.top + word.bottom) / 2
        if rows and boxes[-1][0] - 0.5 <= middle <= boxes[-1][1] + 0.5:
            rows[-1].append(word)
            top, bottom = boxes[-1]
            boxes[-1] = (min(top, word.top), max(bottom, word.bottom))
        else:
            rows.append([word])
            boxes.append((word.top, word.bottom))
    return [sorted(row, key=lambda w: w.x0) for row in rows]


def find_gutter(words: list[Word], width: float) -> float | None:
    """The x of a vertical gap that splits many rows into two columns, or None for one column."""
    rows = _cluster_rows(words)
    if len(rows) < 6:
        return None
    best_x, best_score, best_split = None, 0, 0
    for step in range(int(width * 0.3), int(width * 0.7), 2):
        x = float(step)
        split = cross = 0
        for row in rows:
            left = [w.x1 for w in row if w.x1 <= x]
            right = [w.x0 for w in row if w.x0 >= x]
            if len(left) + len(right) < len(row):
                cross += 1
            elif left and right and min(right) - max(left) >= 7:
                split += 1
            elif left and right:
                cross += 1
        score = split - 3 * cross
        if score > best_score:
            best_x, best_score, best_split = x, score, split
    if best_x is None or best_split < max(4, 0.15 * len(rows)):
        return None
    return best_x


def words_to_lines(words: list[Word], *, page: int, width: float, height: float) -> list[Line]:
    """Lines in reading order: full-width lines in place, two-column regions left then right."""
    if not words:
        return []
    gutter = find_gutter(words, width)
    if gutter is None:
        return [_make_line(row, page, 0, width, height) for row in _cluster_rows(words)]
    ordered: list[Line] = []
    region: list[list[Word]] = []

    def flush() -> None:
        flat = [w for row in region for w in row]
        for column, side in ((1, [w for w in flat if w.x1 <= gutter]), (2, [w for w in flat if w.x0 >= gutter])):
            ordered.extend(_make_line(row, page, column, width, height) for row in _cluster_rows(side))
        region.clear()

    for row in _cluster_rows(words):
        if any(w.x0 < gutter < w.x1 for w in row):
            flush()
            ordered.append(_make_line(row, page, 0, width, height))
        else:
            region.append(row)
    flush()
    return ordered


def _make_line(row: list[Word], page: int, column: int, width: float, height: float) -> Line:
    sizes = Counter()
    for w in row:
        sizes[w.size] += len(w.text)
    bold_chars = sum(len(w.text) for w in row if w.bold)
    return Line(
        page=page, text=" ".join(w.text for w in row), x0=min(w.x0 for w in row),
        x1=max(w.x1 for w in row), top=min(w.top for w in row), bottom=max(w.bottom for w in row),
        size=sizes.most_common(1)[0][0], bold=bold_chars >= 0.6 * sum(sizes.values()), column=column,
        page_height=height, page_width=width,
    )


def _running_key(text: str) -> str:
    return re.sub(r"\d+", "#", text.lower()).strip()


def drop_running_words(
    page_words: list[list[Word]], heights: list[float], *, margin: float = 0.12, depth: int = 2
) -> list[list[Word]]:
    """Remove running headers, footers and page numbers.

    A candidate is one of the ``depth`` top or bottom rows of a page that lies in the page's
    outer ``margin``. It goes when it is a bare page number, or when the same text (digits
    ignored) is a candidate on at least half the pages. Rows are taken across the full width,
    before columns are split, so a footer reads the same on every page.
    """
    candidates: list[list[tuple[list[Word], str]]] = []
    for words, height in zip(page_words, heights, strict=True):
        rows = _cluster_rows(words)
        top = [r for r in rows[:depth] if r[0].bottom < height * margin]
        bottom = [r for r in rows[-depth:] if r[0].top > height * (1 - margin)]
        unique = {id(r): r for r in top + bottom}.values()
        candidates.append([(r, _running_key(" ".join(w.text for w in r))) for r in unique])
    pages_with = Counter(key for page in candidates for key in {k for _, k in page})
    threshold = max(2, (len(page_words) + 1) // 2)
    cleaned = []
    for words, page in zip(page_words, candidates, strict=True):
        drop = set()
        for row, key in page:
            text = " ".join(w.text for w in row)
            if _PAGE_NUMBER.match(text) or (len(page_words) >= 2 and pages_with[key] >= threshold):
                drop.update(id(w) for w in row)
        cleaned.append([w for w in words if id(w) not in drop])
    return cleaned


def _body_size(lines: list[Line]) -> float:
    weights: Counter[float] = Counter()
    for line in lines:
        weights[line.size] += len(line.text)
    return weights.most_common(1)[0][0] if weights else 0.0


def _is_heading_line(line: Line, body: float) -> bool:
    words = line.text.split()
    if not words or len(words) > 16 or line.text.endswith((".", ",", ";")):
        return False
    if line.size >= body + 1.0:
        return True
    return line.bold and line.size >= body - 0.5 and any(ch.isalpha() for ch in line.text)


def lines_to_blocks(lines: list[Line]) -> list[Block]:
    """Rejoin lines into headings, paragraphs and list items (offsets are filled in later)."""
    body = _body_size(lines)
    gaps = [
        b.top - a.top for a, b in zip(lines, lines[1:], strict=False)
        if a.page == b.page and a.column == b.column and a.size == b.size == body and 0 < b.top - a.top < 3 * body
    ]
    leading = statistics.median(gaps) if gaps else body * 1.3
    right_edges = _right_edges(lines)
    vocabulary = _Vocabulary.from_lines(lines)
    indented = _uses_first_line_indent(lines, right_edges)
    blocks: list[dict] = []
    prev: Line | None = None
    for line in lines:
        kind = "heading" if _is_heading_line(line, body) else "paragraph"
        bullet = kind == "paragraph" and _BULLET_START.match(line.text) and len(line.text.split()) > 1
        current = blocks[-1] if blocks else None
        if (
            current is not None and prev is not None and not bullet
            and (kind == "heading" or not _ends_short(prev, right_edges))
            and _continues(prev, line, current, kind, leading, right_edges, indented)
        ):
            current["text"] = _join_lines(current["text"], line.text, vocabulary)
            current["x0"] = min(current["x0"], line.x0)
        else:
            text = line.text
            block_kind = kind
            if bullet:
                block_kind = "list_item"
                text = _BULLET_START.sub("", text, count=1).strip() if _is_glyph_bullet(text) else text
            blocks.append({"page": line.page, "kind": block_kind, "text": text, "x0": line.x0,
                           "bullet_x": line.x0})
        prev = line
    return [Block(page=b["page"], kind=b["kind"], text=b["text"], start=0, end=0) for b in blocks if b["text"].strip()]


def _right_edges(lines: list[Line]) -> dict[int, tuple[float, float]]:
    """(left, right) extent of each column position over the whole document, to tell full lines
    from short ones even on a last page that holds only a signature block."""
    extents: dict[int, tuple[float, float]] = {}
    for line in lines:
        key = line.column
        left, right = extents.get(key, (line.x0, line.x1))
        extents[key] = (min(left, line.x0), max(right, line.x1))
    return extents


def _uses_first_line_indent(lines: list[Line], extents: dict[int, tuple[float, float]]) -> bool:
    """Whether paragraphs start with an indent (as in LaTeX), judged from lines after a short line."""
    starts = indented = 0
    for prev, line in zip(lines, lines[1:], strict=False):
        if prev.page == line.page and prev.column == line.column and _ends_short(prev, extents):
            starts += 1
            indented += line.x0 > extents[line.column][0] + 3
    return starts >= 3 and indented >= 0.5 * starts


def _ends_short(line: Line, extents: dict[int, tuple[float, float]]) -> bool:
    """A line that stops well before the column's right edge ends its paragraph (or is a name/title
    line of a signature block); wrapped lines run to the edge."""
    left, right = extents[line.column]
    width = right - left
    return width > 0 and right - line.x1 > 0.3 * width


def _is_glyph_bullet(text: str) -> bool:
    return text[:1] in _BULLET_GLYPHS


def _continues(prev: Line, line: Line, current: dict, kind: str, leading: float,
               extents: dict[int, tuple[float, float]], indented_style: bool) -> bool:
    """Whether ``line`` continues the block that ``prev`` ended."""
    if current["kind"] == "heading" or kind == "heading":
        return (
            current["kind"] == kind == "heading" and prev.page == line.page and prev.size == line.size
            and 0 < line.top - prev.bottom < prev.size * 0.5
        )
    same_flow = prev.page == line.page and prev.column == line.column
    if same_flow:
        gap = line.top - prev.top
        if gap <= 0 or gap > leading * 1.35:
            return False
        if current["kind"] == "list_item":
            # Wrapped bullet text is indented past the bullet glyph.
            return line.x0 > current["bullet_x"] + 2
        return abs(line.size - prev.size) < 0.6
    # Column or page break: continue a sentence that was visibly cut off, or a paragraph whose
    # last line ran to the column edge when the next line is not indented as a new paragraph.
    if not prev.text.rstrip().endswith(_TERMINAL) and line.text[:1].islower():
        return True
    return (
        indented_style and current["kind"] == "paragraph" and not _ends_short(prev, extents)
        and abs(line.size - prev.size) < 0.6 and abs(line.x0 - extents[line.column][0]) < 3
    )


@dataclass(frozen=True)
class _Vocabulary:
    """Words and hyphenated compounds the document writes on one line, to judge line-end hyphens."""

    words: frozenset[str]
    compounds: frozenset[str]

    @classmethod
    def from_lines(cls, lines: list[Line]) -> _Vocabulary:
        words, compounds = set(), set()
        after_hyphen = False
        for line in lines:
            body = line.text
            # Fragments of words broken at a line end are not words: leave them out.
            if after_hyphen:
                body = body.split(" ", 1)[1] if " " in body else ""
            after_hyphen = body.endswith("-")
            if after_hyphen:
                body = body.rsplit(" ", 1)[0] if " " in body else ""
            compounds.update(t.lower() for t in re.findall(r"[^\W\d_]+(?:-[^\W\d_]+)+", body))
            words.update(t.lower() for t in re.findall(r"[^\W\d_]+", body))
        return cls(frozenset(words), frozenset(compounds))


def _join_lines(left: str, right: str, vocabulary: _Vocabulary) -> str:
    match = re.search(r"([^\W\d_]+)-$", left)
    tail = re.match(r"[^\W\d_]+", right)
    if match and tail:
        head = match.group(1)
        joined, compound = f"{head}{tail.group(0)}".lower(), f"{head}-{tail.group(0)}".lower()
        if compound in vocabulary.compounds:
            return left + right  # a real hyphen at the line end: keep it, no space
        if joined in vocabulary.words or not right[:1].isupper():
            return left[:-1] + right  # a soft hyphen: rejoin the word
        return left + right
    return f"{left} {right}"


def _join_blocks(blocks: list[Block]) -> tuple[str, list[Block]]:
    out = []
    position = 0
    for block in blocks:
        text = re.sub(r"\s+", " ", block.text).strip()
        out.append(replace(block, text=text, start=position, end=position + len(text)))
        position += len(text) + 2
    return "\n\n".join(b.text for b in out), out


def _decode(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, bytes):
        for encoding in ("utf-16", "utf-8", "latin-1"):
            try:
                value = value.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
    text = str(value).strip().strip("\x00")
    if text.startswith("/"):
        text = text[1:]
    return text or None


_PDF_DATE = re.compile(r"D?:?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?([Zz+\-])?(\d{2})?'?(\d{2})?")


def parse_pdf_date(value: str | None) -> str | None:
    """Turn a PDF date (``D:20190412101500+01'00'``) into ISO 8601, or None if it does not parse."""
    if not value:
        return None
    match = _PDF_DATE.match(value.strip())
    if not match:
        return None
    year, month, day, hour, minute, second, sign, tz_h, tz_m = match.groups()
    try:
        moment = datetime(int(year), int(month or 1), int(day or 1), int(hour or 0), int(minute or 0),
                          int(second or 0))
    except ValueError:
        return None
    if sign in ("+", "-") and tz_h:
        offset = timedelta(hours=int(tz_h), minutes=int(tz_m or 0))
        moment = moment.replace(tzinfo=timezone(offset if sign == "+" else -offset))
    elif sign in ("Z", "z"):
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.isoformat()


def _metadata(raw: dict) -> Metadata:
    def get(key: str) -> str | None:
        try:
            return _decode(raw.get(key))
        except Exception:  # unreadable metadata must not cost the document
            return None

    return Metadata(
        title=get("Title"), author=get("Author"), subject=get("Subject"), producer=get("Producer"),
        creator=get("Creator"), created=parse_pdf_date(get("CreationDate")),
        modified=parse_pdf_date(get("ModDate")),
    )
