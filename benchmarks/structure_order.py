"""Experiment: the reading order a tagged PDF's structure tree gives, by real_layout.py's measure.

Run: PYTHONPATH=src .venv/bin/python benchmarks/structure_order.py [--pdfs ../shared/real_pdfs]

Not used by the extractor. For each tagged PDF (``FPDFCatalog_IsTagged``), each page's text is read
from its structure tree through PDFium: the tree is walked depth first; an element's marked content
(MCIDs) with that of its inline children (Span, Link, Note, ...) makes one paragraph, so a link
inside a sentence stays in it; marked content no element claims follows, in MCID order. Each text
object's text is taken whole, in content order within an MCID (no positions, no furniture removal).
The paragraphs are split into sentences and checked against pdftotext exactly as real_layout.py
checks ours, so the two can be compared file by file; ``words`` is words per pdftotext word (text
the tree leaves out, or reads twice).
"""

from __future__ import annotations

import argparse
import ctypes
import sys
import time
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

sys.path.insert(0, str(Path(__file__).resolve().parent))
import real_layout  # noqa: E402

INLINE = {"Span", "Link", "Quote", "Reference", "Note", "BibEntry", "Code", "Lbl", "Annot", "Ruby", "Warichu",
          "Em", "Strong", "Sub"}


def _utf16(call, *args) -> str:
    """A PDFium string getter's UTF-16LE result (``call(*args, buffer, length)`` returns its size)."""
    n = call(*args, None, 0)
    if n <= 2:
        return ""
    buffer = (ctypes.c_ushort * (n // 2))()
    call(*args, buffer, n)
    return bytes(buffer)[: n - 2].decode("utf-16-le", "replace")


def marked_texts(page, textpage) -> dict[int, str]:
    """Each MCID's text on the page, text objects in content order (form XObjects included)."""
    texts: dict[int, list[str]] = {}

    def walk(count, get):
        for i in range(count):
            obj = get(i)
            kind = pdfium_c.FPDFPageObj_GetType(obj)
            if kind == pdfium_c.FPDF_PAGEOBJ_FORM:
                walk(pdfium_c.FPDFFormObj_CountObjects(obj), lambda k, o=obj: pdfium_c.FPDFFormObj_GetObject(o, k))
            elif kind == pdfium_c.FPDF_PAGEOBJ_TEXT:
                mcid = pdfium_c.FPDFPageObj_GetMarkedContentID(obj)
                if mcid >= 0:
                    texts.setdefault(mcid, []).append(_utf16(pdfium_c.FPDFTextObj_GetText, obj, textpage))

    walk(pdfium_c.FPDFPage_CountObjects(page), lambda k: pdfium_c.FPDFPage_GetObject(page, k))
    return {mcid: "".join(parts) for mcid, parts in texts.items()}


def tree_paragraphs(page, textpage) -> list[str]:
    """The page's paragraphs in structure-tree order, then untagged marked content in MCID order."""
    texts = marked_texts(page, textpage)
    paragraphs: list[str] = []
    used: set[int] = set()

    def flush(own: list[int]) -> None:
        if own:
            paragraphs.append("".join(texts.get(m, "") for m in own))
            used.update(own)

    def visit(element, into: list[int] | None = None) -> None:
        own = into if into is not None else []
        children = pdfium_c.FPDF_StructElement_CountChildren(element)
        if children == 0:
            for i in range(pdfium_c.FPDF_StructElement_GetMarkedContentIdCount(element)):
                mcid = pdfium_c.FPDF_StructElement_GetMarkedContentIdAtIndex(element, i)
                if mcid >= 0 and mcid not in own:
                    own.append(mcid)
        for i in range(children):
            child = pdfium_c.FPDF_StructElement_GetChildAtIndex(element, i)
            if not child:
                mcid = pdfium_c.FPDF_StructElement_GetChildMarkedContentID(element, i)
                if mcid >= 0 and mcid not in own:
                    own.append(mcid)
            elif _utf16(pdfium_c.FPDF_StructElement_GetType, child) in INLINE:
                visit(child, own)
            else:
                if into is None:
                    flush(own)
                    own = []
                visit(child)
        if into is None:
            flush(own)

    tree = pdfium_c.FPDF_StructTree_GetForPage(page)
    if tree:
        try:
            for i in range(pdfium_c.FPDF_StructTree_CountChildren(tree)):
                element = pdfium_c.FPDF_StructTree_GetChildAtIndex(tree, i)
                if element:
                    visit(element)
        finally:
            pdfium_c.FPDF_StructTree_Close(tree)
    paragraphs += [texts[m] for m in sorted(texts) if m not in used]
    return [p for p in paragraphs if p.strip()]


def measure(path: Path) -> dict | None:
    pdf = pdfium.PdfDocument(str(path))
    try:
        if not pdfium_c.FPDFCatalog_IsTagged(pdf.raw):
            return None
        started = time.process_time()
        pages = []
        for i in range(len(pdf)):
            page = pdf[i]
            textpage = page.get_textpage()
            pages.append("\n\n".join(tree_paragraphs(page.raw, textpage.raw)))
            textpage.close()
            page.close()
        seconds = time.process_time() - started
    finally:
        pdf.close()
    reference = real_layout.cached(path, "pdftotext", real_layout.pdftotext_pages)
    raw = real_layout.cached(path, "pdftotext-raw", real_layout.pdftotext_raw_pages)
    pieces = [(i, s) for i, text in enumerate(pages, start=1) for s in real_layout.text_sentences(text)]
    intact, total, broken = real_layout.intact_share(pieces, reference)
    either, _, _ = real_layout.intact_share(pieces, reference, raw)
    words = sum(real_layout.word_count(p) for p in pages) / max(1, sum(real_layout.word_count(p) for p in reference))
    return {"file": path.name, "sentences": total, "intact": round(intact / total, 4) if total else None,
            "intact_any": round(either / total, 4) if total else None, "words": round(words, 3),
            "cpu_seconds": round(seconds, 2), "broken_examples": broken[:3]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pdfs", type=Path, default=real_layout.DEFAULT_PDFS)
    args = parser.parse_args(argv)
    if not args.pdfs.is_dir():
        print(f"skipped: {args.pdfs} does not exist (the real PDFs are not part of the repository)")
        return 0
    for path in sorted(args.pdfs.glob("*.pdf")):
        row = measure(path)
        if row is None:
            continue
        print(f"{row['file'][:52]:<52} sentences={row['sentences']:<5} intact={row['intact']}/{row['intact_any']} "
              f"words={row['words']} ({row['cpu_seconds']} CPU s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
