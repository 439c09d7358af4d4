"""Reading order on real corporate PDFs, against an independent extractor (poppler's pdftotext).

Run: .venv/bin/python benchmarks/real_layout.py [--pdfs ../shared/real_pdfs] [--json benchmarks/results/real_layout.json]

The PDFs are third-party documents that stay outside the repository: the benchmark reads them when
the folder exists and skips otherwise. Per file it reports:

- intact: the share of our sentences of six words or more whose words appear, in the same order
  and contiguous, in pdftotext's text of the same page (compared on letters and digits only, so
  hyphenation, spacing and punctuation do not count). A sentence that continues onto the next page
  is checked page by page, since the reference puts running headers and footers in between.
- coverage: the share of pdftotext's sentences of six words or more that appear in our text (so
  dropping text cannot buy a high intact score), and words_ratio: our words per pdftotext word.
- intact_any and line_coverage, two checks that lean less on pdftotext's own reading order (which
  interleaves some two-column pages line by line): a sentence counts as intact when it is
  contiguous in pdftotext's text or in ``pdftotext -raw`` (content-stream order, the story order of
  most designed reports); line_coverage is the share of pdftotext's lines of six words or more found
  in our text, so neither its paragraphs nor the running headers it glues to them count.
- the same intact figures and line coverage for pdfminer's layout analysis (``LAParams()``, the engine under pdfplumber)
  and for pdfplumber's ``extract_text()``, on the same pages, with the same sentence splitter.

Pages we read by OCR are left out of the comparison (pdftotext sees no text, or a bad OCR layer
there); they are counted separately. Reference and baseline texts are cached in benchmarks/.cache.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import shutil
import statistics
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PDFS = ROOT.parent / "shared" / "real_pdfs"
CACHE = ROOT / "benchmarks" / ".cache"
MIN_WORDS = 6


def squash(text: str) -> str:
    """Letters and digits only, lower case: what 'the same words in the same order' compares."""
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", text).lower())


def word_count(text: str) -> int:
    return len(re.findall(r"\w+", text))


def file_key(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def cached(path: Path, tool: str, compute) -> list[str]:
    """Per-page texts of ``path`` by ``tool``, computed once."""
    CACHE.mkdir(parents=True, exist_ok=True)
    target = CACHE / f"{path.stem}.{file_key(path)}.{tool}.json"
    if target.is_file():
        return json.loads(target.read_text())
    pages = compute(path)
    target.write_text(json.dumps(pages))
    return pages


def pdftotext_pages(path: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=False,
                         timeout=600).stdout.decode("utf-8", "replace")
    pages = out.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def pdftotext_raw_pages(path: Path) -> list[str]:
    """pdftotext -raw: the text in content-stream order, which is the story order of most designed
    reports (InDesign writes each text frame's story in one run): a second, independent reading."""
    out = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=False,
                         timeout=600).stdout.decode("utf-8", "replace")
    pages = out.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def interleaved_pages(path: Path) -> list[int]:
    """Pages where pdftotext's own layout analysis reads two columns of prose across, a line of each
    in turn (Siemens' two-column pages): five or more times, a block that is one line of six words
    or more is followed by another such block beside it at the same level. Found from pdftotext's
    blocks alone (``-bbox-layout``), whatever any extractor under test reads."""
    out = subprocess.run(["pdftotext", "-bbox-layout", str(path), "-"], capture_output=True, check=False,
                         timeout=600).stdout.decode("utf-8", "replace")
    found = []
    for number, page in enumerate(out.split("<page ")[1:], start=1):
        blocks = []
        for block in re.findall(r"<block (.*?)</block>", page, re.S):
            box = [float(v) for v in re.findall(r'"([-\d.]+)"', block.split(">", 1)[0])]
            blocks.append((box, block.count("<line "), block.count("<word ")))
        pairs = sum(1 for (a, lines_a, words_a), (b, lines_b, words_b) in zip(blocks, blocks[1:], strict=False)
                    if lines_a == lines_b == 1 and min(words_a, words_b) >= MIN_WORDS and b[0] > a[2]
                    and abs(b[1] - a[1]) < 2)
        if pairs >= 5:
            found.append(number)
    return found


def checked_reference(reference: list[str], raw: list[str], interleaved: list[int]) -> list[str]:
    """pdftotext's reading, except on the pages where it reads two columns across
    (``interleaved_pages``): there its content-stream order (``-raw``)."""
    flagged = set(interleaved)
    return [raw[i] if i + 1 in flagged and i < len(raw) else text for i, text in enumerate(reference)]


def pdfminer_pages(path: Path) -> list[str]:
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTTextContainer

    pages = []
    for layout in extract_pages(str(path), laparams=LAParams()):
        pages.append("\n\n".join(box.get_text() for box in layout if isinstance(box, LTTextContainer)))
    return pages


def pdfplumber_pages(path: Path) -> list[str]:
    import pdfplumber

    pages = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            pages.append(page.extract_text() or "")
            page.close()
    return pages


def text_sentences(page_text: str) -> list[str]:
    """Sentences of a plain-text page: paragraphs at blank lines, then our sentence splitter."""
    from disclosure_check.read.segment import texts_to_sentences

    paragraphs = [re.sub(r"\s+", " ", p).strip() for p in re.split(r"\n\s*\n", page_text)]
    return [s.text for s in texts_to_sentences([p for p in paragraphs if p])]


def intact_share(pieces: list[tuple[int, str]], reference: list[str],
                 *others: list[str]) -> tuple[int, int, list[str]]:
    """(intact, total, examples of broken ones) for (page, text) pieces of sentences of 6+ words;
    with ``others``, intact in any of the references."""
    squashed = [squash(p) for p in reference]
    alternatives = [[squash(p) for p in other] for other in others]
    total = intact = 0
    broken = []
    for page, text in pieces:
        if word_count(text) < MIN_WORDS or not 1 <= page <= len(squashed):
            continue
        total += 1
        key = squash(text)
        if key in squashed[page - 1] or any(page <= len(alt) and key in alt[page - 1] for alt in alternatives):
            intact += 1
        elif len(broken) < 8:
            broken.append(f"p{page}: {text[:160]}")
    return intact, total, broken


def line_coverage(reference: list[str], text: str, skip: set[int]) -> float | None:
    """The share of the reference's lines of six words or more found, letters and digits in order, in
    ``text``: text lost or cut inside a line, whatever the reference's paragraphs and furniture."""
    lines = [line for i, page in enumerate(reference, start=1) if i not in skip
             for line in page.splitlines() if word_count(line) >= MIN_WORDS]
    if not lines:
        return None
    squashed = squash(text)
    return round(sum(1 for line in lines if squash(line) in squashed) / len(lines), 4)


def our_pieces(doc, sentences) -> list[tuple[int, str]]:
    """Our sentences cut where they cross a page, as (page, text), using the blocks' word spans."""
    pieces = []
    for sentence in sentences:
        boxes = getattr(sentence, "boxes", ())
        pages = sorted({box.page for box in boxes}) if boxes else [sentence.page]
        if len(pages) == 1:
            pieces.append((pages[0], sentence.text))
            continue
        for page in pages:
            words = [doc.text[s.start:s.end] for block in doc.blocks for s in block.spans
                     if s.page == page and s.start >= sentence.start and s.end <= sentence.end]
            if words:
                pieces.append((page, " ".join(words)))
    return pieces


def measure(path: Path, compare: tuple[str, ...]) -> dict:
    from disclosure_check.read.extract import pdf_to_document
    from disclosure_check.read.segment import document_to_sentences

    reference = cached(path, "pdftotext", pdftotext_pages)
    started = time.perf_counter()
    doc = pdf_to_document(path, max_pages=2000)
    sentences = document_to_sentences(doc)
    seconds = time.perf_counter() - started
    ocr_pages = {p.number for p in doc.pages if getattr(p, "source", "text") == "ocr"}
    pieces = [(page, text) for page, text in our_pieces(doc, sentences) if page not in ocr_pages]
    intact, total, broken = intact_share(pieces, reference)
    raw = cached(path, "pdftotext-raw", pdftotext_raw_pages)
    any_intact, _, _ = intact_share(pieces, reference, raw)
    interleaved = cached(path, "pdftotext-interleaved", interleaved_pages)
    checked = checked_reference(reference, raw, interleaved)
    checked_intact, _, _ = intact_share(pieces, checked)
    ours_squashed = squash(" ".join(text for _, text in pieces))
    ref_sentences = [s for i, page in enumerate(reference, start=1) if i not in ocr_pages
                     for s in text_sentences(page) if word_count(s) >= MIN_WORDS]
    covered = sum(1 for s in ref_sentences if squash(s) in ours_squashed)
    reference_words = sum(word_count(text) for i, text in enumerate(reference, start=1) if i not in ocr_pages)
    our_words = sum(word_count(p.text) for p in doc.pages if p.number not in ocr_pages)
    row = {
        "file": path.name, "pages": len(doc.pages), "ocr_pages": sorted(ocr_pages),
        # words we keep per word pdftotext reads: under 1 for dropped furniture (headers, footers,
        # page numbers) and sideways text; over 1 would mean text read twice.
        "words_ratio": round(our_words / reference_words, 3) if reference_words else None,
        "language": getattr(doc, "language", None),
        "sentences": total, "intact": round(intact / total, 4) if total else None,
        "coverage": round(covered / len(ref_sentences), 4) if ref_sentences else None,
        # reference-independent checks: intact in pdftotext's reading or in its content-stream
        # order (-raw), and pdftotext's lines found in our text
        "intact_any": round(any_intact / total, 4) if total else None,
        # pdftotext's reading, but its content-stream order on the pages where it reads two columns
        # of prose across (found from its own blocks: the same pages for every extractor)
        "intact_checked": round(checked_intact / total, 4) if total else None,
        "interleaved_pages": len(interleaved),
        "line_coverage": line_coverage(reference, " ".join(p.text for p in doc.pages if p.number not in ocr_pages),
                                       ocr_pages),
        "seconds": round(seconds, 2), "broken_examples": broken,
    }
    for tool in compare:
        pages = cached(path, tool, {"pdfminer": pdfminer_pages, "pdfplumber": pdfplumber_pages}[tool])
        tool_pieces = [(i, s) for i, text in enumerate(pages, start=1) if i not in ocr_pages
                       for s in text_sentences(text)]
        t_intact, t_total, _ = intact_share(tool_pieces, reference)
        t_any, _, _ = intact_share(tool_pieces, reference, raw)
        t_checked, _, _ = intact_share(tool_pieces, checked)
        row[f"{tool}_intact_checked"] = round(t_checked / t_total, 4) if t_total else None
        row[f"{tool}_intact"] = round(t_intact / t_total, 4) if t_total else None
        row[f"{tool}_intact_any"] = round(t_any / t_total, 4) if t_total else None
        row[f"{tool}_line_coverage"] = line_coverage(
            reference, " ".join(text for i, text in enumerate(pages, start=1) if i not in ocr_pages), ocr_pages)
        row[f"{tool}_sentences"] = t_total
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pdfs", type=Path, default=DEFAULT_PDFS)
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--compare", default="pdfminer,pdfplumber",
                        help="baselines to measure too (comma-separated; '' for none)")
    parser.add_argument("--only", help="only files whose name contains this")
    args = parser.parse_args(argv)
    if not args.pdfs.is_dir():
        print(f"skipped: {args.pdfs} does not exist (the real PDFs are not part of the repository)")
        return 0
    if shutil.which("pdftotext") is None:
        print("skipped: pdftotext (Debian package poppler-utils) is not installed")
        return 0
    compare = tuple(t for t in args.compare.split(",") if t)
    rows = []
    for pdf in sorted(args.pdfs.glob("*.pdf")):
        if args.only and args.only not in pdf.name:
            continue
        row = measure(pdf, compare)
        rows.append(row)
        extra = " ".join(f"{t}={row[f'{t}_intact']}/{row[f'{t}_intact_any']}/{row[f'{t}_intact_checked']}/"
                         f"{row[f'{t}_line_coverage']}"
                         for t in compare)
        print(f"{row['file'][:52]:<52} pages={row['pages']:<4} sentences={row['sentences']:<6} "
              f"intact={row['intact']}/{row['intact_any']}/{row['intact_checked']} coverage={row['coverage']}/{row['line_coverage']} words={row['words_ratio']} {extra} "
              f"({row['seconds']} s)", flush=True)
    total = sum(r["sentences"] for r in rows)
    summary = {
        "files": len(rows),
        "sentences": total,
        "intact_pooled": round(sum((r["intact"] or 0) * r["sentences"] for r in rows) / total, 4) if total else None,
        "intact_mean_per_file": round(statistics.mean(r["intact"] for r in rows if r["intact"] is not None), 4),
        "coverage_mean_per_file": round(statistics.mean(r["coverage"] for r in rows if r["coverage"] is not None), 4),
        "intact_any_pooled": round(sum((r["intact_any"] or 0) * r["sentences"] for r in rows) / total, 4) if total else None,
        "intact_checked_pooled": round(sum((r["intact_checked"] or 0) * r["sentences"] for r in rows) / total, 4)
        if total else None,
        "line_coverage_mean_per_file": round(statistics.mean(
            r["line_coverage"] for r in rows if r["line_coverage"] is not None), 4),
    }
    for tool in compare:
        n = sum(r[f"{tool}_sentences"] for r in rows)
        summary[f"{tool}_intact_pooled"] = round(
            sum((r[f"{tool}_intact"] or 0) * r[f"{tool}_sentences"] for r in rows) / n, 4) if n else None
        summary[f"{tool}_intact_mean_per_file"] = round(
            statistics.mean(r[f"{tool}_intact"] for r in rows if r[f"{tool}_intact"] is not None), 4)
        summary[f"files_below_{tool}"] = [r["file"] for r in rows if r["intact"] is not None
                                          and r[f"{tool}_intact"] is not None and r["intact"] < r[f"{tool}_intact"]]
        summary[f"{tool}_intact_any_pooled"] = round(
            sum((r[f"{tool}_intact_any"] or 0) * r[f"{tool}_sentences"] for r in rows) / n, 4) if n else None
        summary[f"{tool}_intact_checked_pooled"] = round(
            sum((r[f"{tool}_intact_checked"] or 0) * r[f"{tool}_sentences"] for r in rows) / n, 4) if n else None
        summary[f"files_below_{tool}_checked"] = [
            r["file"] for r in rows if r["intact_checked"] is not None and r[f"{tool}_intact_checked"] is not None
            and r["intact_checked"] < r[f"{tool}_intact_checked"]]
        summary[f"{tool}_line_coverage_mean_per_file"] = round(statistics.mean(
            r[f"{tool}_line_coverage"] for r in rows if r[f"{tool}_line_coverage"] is not None), 4)
        summary[f"files_below_{tool}_any"] = [
            r["file"] for r in rows if r["intact_any"] is not None and r[f"{tool}_intact_any"] is not None
            and r["intact_any"] < r[f"{tool}_intact_any"]]
    print(json.dumps(summary, indent=1))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"summary": summary, "files": rows}, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
