"""One PDF page -> its words, images and ruling lines, read with pypdfium2 (PDFium, Chrome's engine).

PDFium supplies the characters: their text, loose boxes (font ascent to descent, so the boxes of a
line line up) and the text object each belongs to, whose matrix and font give the size, weight,
slant and direction. Reading them through PDFium's C API is several times faster than building
pdfminer's or pdfplumber's per-character objects, and PDFium copes with damaged files that
pdfminer loops on. Characters are turned into words on the fly; nothing per character is kept.

Text a reader cannot see (invisible, transparent, white on white, clipped away, covered or too
small; visibility.py decides) is left out of the words and counted, except a scan's OCR layer.

Coordinates are PDF points from the top-left corner of the page as displayed (after the page's
/Rotate and crop box), the convention pdfplumber uses, so boxes can be drawn on a page image.
"""

from __future__ import annotations

import ctypes
import math
import re
from array import array
from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import repeat

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from disclosure_check.read.structure import is_tagged, structure_order
from disclosure_check.read.visibility import COVERED, REASONS, Partial, PlumberScene, Scene
from disclosure_check.sanitize import clean_text

UNREADABLE = "\ufffd"  # stands for a glyph whose text the font does not give
_SPACE = frozenset(" \t\r\n\x00\xa0\u2002\u2003\u2009\u200b")
# PDFium marks a soft hyphen at a line end as U+0002 or U+FFFE. It gives U+FFFE for a NUL in the
# text as well: one inside a word or before a space is no hyphen, and ``_words`` drops it.
_NUL_OR_HYPHEN = "\ufffe"
_HYPHENS = {"\x02": "-", "\xad": "-", "\u2010": "-", "\u2011": "-"}
# Bidirectional embeddings, overrides, isolates and marks, and invisible format characters (what
# sanitize.clean_text removes that the loop below would keep): a PDF can make a quote read
# differently on screen than in the data with them. They are left out without ending the word.
_FORMAT = re.compile("[\u061c\u200c-\u200f\u202a-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]")
_SPACE_INFO = -1  # ``_Chars.info`` of a space, which ends a word
_DROPPED = -2  # ``_Chars.info`` of a character left out inside a word
_HIDDEN = -3  # ``_Chars.info`` of a character a reader cannot see, minus its reason's index in REASONS
_BOLD_NAMES = ("bold", "black", "heavy", "semibold", "demi", "extrab", "ultrab")
_ITALIC_NAMES = ("italic", "oblique")
_FORCE_BOLD = 1 << 18
_ITALIC_FLAG = 1 << 6
_OBJ_TEXT, _OBJ_PATH, _OBJ_IMAGE, _OBJ_FORM = 1, 2, 3, 5


def _prototype(function, restype, *argtypes):
    """The same PDFium function with plain ``void*`` handles: a handle comes back as an int that can
    key a cache, and calls skip ctypes' pointer-type checks (the inner loop makes millions)."""
    return ctypes.CFUNCTYPE(restype, *argtypes)(ctypes.cast(function, ctypes.c_void_p).value)


_VOID, _INT, _FLOAT = ctypes.c_void_p, ctypes.c_int, ctypes.c_float
# Out-parameters are passed as plain addresses too (``ctypes.addressof``): ctypes converts an int
# several times faster than a pointer object.
_loose_box = _prototype(pdfium_c.FPDFText_GetLooseCharBox, _INT, _VOID, _INT, _VOID)
# A handle as a plain int (0 for none), so a page's handles fill a numpy array in one C-level pass.
_text_object = _prototype(pdfium_c.FPDFText_GetTextObject, ctypes.c_size_t, _VOID, _INT)
_object_matrix = _prototype(pdfium_c.FPDFPageObj_GetMatrix, _INT, _VOID, _VOID)
_object_font_size = _prototype(pdfium_c.FPDFTextObj_GetFontSize, _INT, _VOID, _VOID)
_object_font = _prototype(pdfium_c.FPDFTextObj_GetFont, _VOID, _VOID)
_render_mode = _prototype(pdfium_c.FPDFTextObj_GetTextRenderMode, _INT, _VOID)
_marked_content = _prototype(pdfium_c.FPDFPageObj_GetMarkedContentID, _INT, _VOID)
_INVISIBLE = 3  # text render mode "neither fill nor stroke": the hidden layer OCR software writes
_font_name = _prototype(pdfium_c.FPDFFont_GetBaseFontName, ctypes.c_size_t, _VOID, ctypes.c_char_p, ctypes.c_size_t)
_font_weight = _prototype(pdfium_c.FPDFFont_GetWeight, _INT, _VOID)
_font_flags = _prototype(pdfium_c.FPDFFont_GetFlags, _INT, _VOID)


@dataclass(frozen=True, slots=True)
class Word:
    """A run of characters between spaces on one line, with its typography."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float  # font size in points, from the text object's matrix
    font: int  # an id shared by words set in the same font (style, not family)
    bold: bool
    italic: bool
    mcid: int = -1  # the marked content it is drawn in, on tagged pages (structure.py); else -1

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass(frozen=True, slots=True)
class Rect:
    x0: float
    top: float
    x1: float
    bottom: float


@dataclass(frozen=True)
class PageContent:
    """What one page shows: upright words in content order, image boxes, ruling lines."""

    number: int
    width: float
    height: float
    rotation: int  # the page's /Rotate plus the turn of its dominant text direction
    words: tuple[Word, ...]
    rotated_chars: int = 0  # characters in another direction than the page's text (left out)
    hidden_share: float = 0.0  # share of characters drawn invisibly: an OCR layer over a scanned image
    hidden_words: int = 0  # words on the page that a reader cannot see (left out)
    hidden_kinds: tuple[str, ...] = ()  # how they are hidden (visibility.REASONS)
    images: tuple[Rect, ...] = ()  # filled in by ``with_graphics`` when a later stage needs them
    rules: tuple[Rect, ...] = ()  # thin horizontal and vertical lines and rectangle edges (for tables)
    structure: tuple[int, ...] = ()  # tagged pages: MCIDs in structure-tree order (structure.py)

    @property
    def image_coverage(self) -> float:
        """Share of the page covered by images (overlaps counted once, on a 24x24 grid)."""
        if not self.images or self.width <= 0 or self.height <= 0:
            return 0.0
        cells = set()
        n = 24
        for r in self.images:
            i0, i1 = int(max(0, r.x0) / self.width * n), int(min(self.width, r.x1) / self.width * n - 1e-9)
            j0, j1 = int(max(0, r.top) / self.height * n), int(min(self.height, r.bottom) / self.height * n - 1e-9)
            cells.update((i, j) for i in range(i0, i1 + 1) for j in range(j0, j1 + 1))
        return len(cells) / (n * n)


class _Transform:
    """Maps PDF user space to displayed page space (top-left origin) for a crop box and rotation."""

    def __init__(self, bbox: tuple[float, float, float, float], rotation: int) -> None:
        self.left, self.bottom, self.right, self.top = bbox
        self.rotation = rotation % 360

    @property
    def size(self) -> tuple[float, float]:
        w, h = self.right - self.left, self.top - self.bottom
        return (h, w) if self.rotation in (90, 270) else (w, h)

    def box(self, left: float, bottom: float, right: float, top: float) -> tuple[float, float, float, float]:
        """(x0, top, x1, bottom) in display space of a user-space rectangle."""
        r = self.rotation
        if r == 0:
            return left - self.left, self.top - top, right - self.left, self.top - bottom
        if r == 90:
            return bottom - self.bottom, left - self.left, top - self.bottom, right - self.left
        if r == 180:
            return self.right - right, bottom - self.bottom, self.right - left, top - self.bottom
        return self.top - top, self.right - right, self.top - bottom, self.right - left


def _font_info(font: int | None, cache: dict) -> tuple[int, bool, bool]:
    found = cache.get(font)
    if found is None:
        name, weight, flags = "", -1, 0
        if font:
            buffer = ctypes.create_string_buffer(128)
            if _font_name(font, buffer, 128):
                name = buffer.value.decode("latin-1", "replace").split("+")[-1].lower()
            weight, flags = _font_weight(font), _font_flags(font)
        bold = weight >= 600 or bool(flags & _FORCE_BOLD) or any(t in name for t in _BOLD_NAMES)
        italic = bool(flags & _ITALIC_FLAG) or any(t in name for t in _ITALIC_NAMES)
        found = cache[font] = (len(cache) + 1, bold, italic)
    return found


class _ObjectInfo:
    """(size, style, direction, invisible) of text objects, cached by handle and, since some
    producers (EDGAR, Workiva) give every character its own text object, by matrix and font as
    well; with whether a reader sees the object (``scene.judge``), cached by handle."""

    def __init__(self, scene: Scene | None = None) -> None:
        self.scene = scene
        self.by_handle: dict[int | None, tuple] = {}
        self.by_value: dict[tuple, tuple] = {}
        self.fonts: dict[int | None, tuple] = {}
        self.numbers = array("f", bytes(4 * 7))  # an FS_MATRIX (six floats), then a font size
        self.matrix_pointer = self.numbers.buffer_info()[0]
        self.size_pointer = self.matrix_pointer + 24

    def __call__(self, obj: int | None) -> tuple:
        """(info, verdict): the object's (size, style, direction, invisible) and None when it is
        seen, why not when it is hidden, or a ``Partial`` when only some of it is."""
        found = self.by_handle.get(obj)
        if found is not None:
            return found
        numbers = self.numbers
        if obj and _object_matrix(obj, self.matrix_pointer):
            a, b, c, d = numbers[:4]
        else:
            a, b, c, d = 1.0, 0.0, 0.0, 1.0
        numbers[6] = 0.0
        font = None
        mode = 0
        if obj:
            _object_font_size(obj, self.size_pointer)
            font = _object_font(obj)
            mode = _render_mode(obj)
        invisible = mode == _INVISIBLE
        size = numbers[6]
        key = (a, b, c, d, size, font, invisible)
        info = self.by_value.get(key)
        if info is None:
            scaled = abs(size) * math.sqrt(abs(a * d - b * c))
            direction = round(math.degrees(math.atan2(b, a)) / 90.0) % 4 * 90
            info = self.by_value[key] = (round(scaled, 1), _font_info(font, self.fonts), direction, invisible)
        verdict = self.scene.judge(obj, mode, size, (a, b, c, d)) if obj and self.scene else None
        found = (info, verdict)
        if len(self.by_handle) < 100_000:
            self.by_handle[obj] = found
        return found


def _page_text(raw, n: int) -> str:
    """All of the page's characters at once (one call), or one by one when UTF-16 pairs shift them."""
    if n <= 0:
        return ""
    buffer = ctypes.create_string_buffer((n + 1) * 2)
    written = pdfium_c.FPDFText_GetText(raw, 0, n, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)))
    text = buffer.raw[: max(written - 1, 0) * 2].decode("utf-16-le", "replace")
    if len(text) != n:
        text = "".join(chr(pdfium_c.FPDFText_GetUnicode(raw, i)) for i in range(n))
    return text


def read_page(page: pdfium.PdfPage, number: int) -> PageContent:
    """The page's upright words, in content order."""
    bbox, page_rotation = page.get_bbox(), page.get_rotation()
    transform = _Transform(bbox, page_rotation)
    textpage = page.get_textpage()
    try:
        raw = textpage.raw
        n = pdfium_c.FPDFText_CountChars(raw)
        scene = Scene(_handle(page.raw), _handle(page.pdf.raw), bbox) if n > 0 else None
        structure = structure_order(page.raw) if n > 0 and is_tagged(page.pdf.raw) else ()
        chars = _pdfium_chars(raw, _page_text(raw, n), scene, marked=bool(structure))
    finally:
        textpage.close()
    directions = _directions(chars)
    dominant = max(directions, key=directions.get) if directions else 0
    rotation = (page_rotation + dominant - page_rotation) % 360  # turned by the page's /Rotate, then more
    if (dominant - page_rotation) % 360:
        # Most text runs sideways (a landscape table on a portrait page): turn the page to read it upright.
        transform = _Transform(bbox, dominant)
    rotation = transform.rotation
    width, height = transform.size
    words = _words(chars, transform)
    total = sum(directions.values())
    invisible = np.array([found[3] for found in chars.infos] + [False], dtype=bool)
    hidden = int(np.count_nonzero(invisible[chars.info[chars.info >= 0]]))
    hidden_words, kinds = _hidden_words(chars, transform) if chars.hidden else (0, ())
    return PageContent(number=number, width=width, height=height, rotation=rotation, words=tuple(words),
                       rotated_chars=total - directions.get(rotation, 0),
                       hidden_share=hidden / total if total else 0.0, hidden_words=hidden_words, hidden_kinds=kinds,
                       structure=structure)


def _directions(chars: _Chars) -> dict[int, int]:
    """How many seen characters run in each direction, the directions in order of first character
    (which decides a tie for the most)."""
    seen = chars.info[chars.info >= 0]
    if not len(seen):
        return {}
    direction_of = np.array([found[2] for found in chars.infos], dtype=np.int64)
    found, first, counts = np.unique(direction_of[seen], return_index=True, return_counts=True)
    order = np.argsort(first, kind="stable")
    return {int(found[k]): int(counts[k]) for k in order}


def _handle(raw) -> int:
    return ctypes.cast(raw, ctypes.c_void_p).value


def with_graphics(page: pdfium.PdfPage, content: PageContent) -> PageContent:
    """``content`` with the page's image boxes and ruling lines (walking every page object costs
    as much as reading the text on some files, so it is done only for pages that need it)."""
    transform = _Transform(page.get_bbox(), content.rotation)
    images: list[Rect] = []
    rules: list[Rect] = []
    raw = page.raw
    for i in range(pdfium_c.FPDFPage_CountObjects(raw)):
        _graphic(pdfium_c.FPDFPage_GetObject(raw, i), transform, images, rules, depth=0)
    return replace(content, images=tuple(images), rules=tuple(rules))


@dataclass
class _Chars:
    """A page's characters as parallel numpy arrays (no object per character): text, raw PDF-space
    boxes and an index into ``infos`` (size, style, direction in PDF space, invisible), -1 for a space."""

    text: Sequence[str]  # a space, control or format character is left out (``info`` < 0)
    left: np.ndarray
    bottom: np.ndarray
    right: np.ndarray
    top: np.ndarray
    info: np.ndarray  # int32
    infos: list[tuple]
    hidden: int = 0  # characters a reader cannot see (``info`` _HIDDEN - reason)
    mcid: np.ndarray | None = None  # int32, on tagged pages: each character's marked content (-1: none)

    @classmethod
    def empty(cls, n: int) -> _Chars:
        return cls([" "] * n, np.zeros(n), np.zeros(n), np.zeros(n), np.zeros(n), np.full(n, _SPACE_INFO, np.int32),
                   [])


# What the loop over characters used to skip without asking PDFium for a box: spaces, control
# characters (but U+0002, a soft hyphen), U+FFFF and the format characters _FORMAT finds.
_SKIPPED = np.array(sorted({ord(ch) for ch in _SPACE} | set(range(0x20)) - {0x02} | {0xFFFF}), dtype=np.uint32)
# A glyph the font maps to a control code (often a ligature) reads as UNREADABLE (see ligatures.py);
# soft hyphens as hyphens.
_SHOWN_AS = {**{code: UNREADABLE for code in range(0x7F, 0xA0)}, **{ord(k): v for k, v in _HYPHENS.items()}}


def _codes(text: str) -> np.ndarray:
    """The text's code points (a lone UTF-16 surrogate kept as its own code)."""
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def _pdfium_chars(raw, text: str, scene: Scene | None = None, marked: bool = False) -> _Chars:
    """The page's characters: boxes and text objects asked of PDFium in two C-level passes (``map``
    over the characters that are not spaces or controls), each text object judged once; with
    ``marked``, each character's marked-content id, asked once per text object."""
    handle = ctypes.cast(raw, ctypes.c_void_p).value
    n = len(text)
    chars = _Chars.empty(n)
    dropped = [m.start() for m in _FORMAT.finditer(text)]  # one scan of the page, usually finding none
    asked = np.flatnonzero(~np.isin(_codes(text), _SKIPPED))
    if dropped:
        asked = np.setdiff1d(asked, dropped)
    boxed, boxes = _loose_boxes(handle, asked)
    objects = np.fromiter(map(_text_object, repeat(handle, len(boxed)), boxed.tolist()), dtype=np.uint64,
                          count=len(boxed))
    left, top, right, bottom = (boxes[:, k].astype(np.float64) for k in range(4))
    codes = _judge_chars(objects, left, bottom, right, top, _ObjectInfo(scene), chars.infos)
    chars.left[boxed], chars.bottom[boxed], chars.right[boxed], chars.top[boxed] = left, bottom, right, top
    chars.info[boxed] = codes
    if marked:
        unique, inverse = np.unique(objects, return_inverse=True)
        ids = np.fromiter(map(_marked_content, unique.tolist()), dtype=np.int32, count=len(unique))
        chars.mcid = np.full(n, -1, dtype=np.int32)
        chars.mcid[boxed] = ids[inverse.ravel()]
    seen = boxed[codes >= 0]
    chars.text = _seen_text(text, seen)
    chars.info[dropped] = _DROPPED
    hidden = int(np.count_nonzero(codes < 0))
    if scene is not None and scene.covers:  # which object each character is in, to find covers
        owners = np.zeros(n, dtype=np.uint64)
        owners[seen] = objects[codes >= 0]
        hidden += _hide_covered(chars, scene, owners)
    chars.hidden = hidden
    return chars


def _loose_boxes(handle: int, asked: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The characters PDFium gives a loose box for, and those boxes (FS_RECTF: left, top, right,
    bottom), written by PDFium straight into one float32 array."""
    boxes = np.zeros((len(asked), 4), dtype=np.float32)
    addresses = (boxes.ctypes.data + 16 * np.arange(len(asked), dtype=np.int64)).tolist()
    found = np.fromiter(map(_loose_box, repeat(handle, len(asked)), asked.tolist(), addresses), dtype=np.int32,
                        count=len(asked)) != 0
    return asked[found], boxes[found]


def _judge_chars(objects: np.ndarray, left, bottom, right, top, judge: _ObjectInfo, infos: list[tuple]) -> np.ndarray:
    """Each character's index into ``infos`` (filled here, in order of first seen character), or
    _HIDDEN minus the reason it is hidden. Each text object is looked at once, in order of first
    character, so font ids come out as the character-by-character reading gave them."""
    unique, first, inverse = np.unique(objects, return_index=True, return_inverse=True)
    order = np.argsort(first, kind="stable")
    keys: dict[tuple, int] = {}
    key_of = np.zeros(len(unique), dtype=np.int64)
    code_of = np.zeros(len(unique), dtype=np.int32)  # 0: seen; else _HIDDEN - reason; 1: partly
    partial: dict[int, Partial] = {}
    for u in order.tolist():
        info, verdict = judge(int(unique[u]))
        key_of[u] = keys.setdefault(info, len(keys))
        if verdict.__class__ is Partial:
            partial[u], code_of[u] = verdict, 1
        elif verdict is not None:
            code_of[u] = _HIDDEN - REASONS.index(verdict)
    codes = code_of[inverse.ravel()]
    for u, verdict in partial.items():
        for i in np.flatnonzero(inverse.ravel() == u).tolist():
            why = verdict.hides(left[i].item(), bottom[i].item(), right[i].item(), top[i].item())
            codes[i] = 0 if why is None else _HIDDEN - REASONS.index(why)
    seen = codes >= 0
    char_keys = key_of[inverse.ravel()][seen]
    present, first_seen = np.unique(char_keys, return_index=True)
    ranked = present[np.argsort(first_seen, kind="stable")]
    by_key = {k: info for info, k in keys.items()}
    infos.extend(by_key[k] for k in ranked.tolist())
    index_of = np.zeros(len(keys), dtype=np.int32)
    index_of[ranked] = np.arange(len(ranked), dtype=np.int32)
    codes[seen] = index_of[char_keys]
    return codes


def _seen_text(text: str, seen: np.ndarray) -> str:
    """The page's text with every character not seen as a space, and what is shown as another."""
    codes = np.full(len(text), ord(" "), dtype=np.uint32)
    codes[seen] = _codes(text)[seen]
    return codes.tobytes().decode("utf-32-le", "surrogatepass").translate(_SHOWN_AS)


def _hide_covered(chars: _Chars, scene: Scene, owners: np.ndarray) -> int:
    """Mark the characters an opaque cover painted after them hides; how many. A scan's OCR
    layer (invisible text, kept) lies under its image by design and is not looked at."""
    info = chars.info
    eligible = info >= 0
    layer = [k for k, found in enumerate(chars.infos) if found[3]]
    if layer:
        eligible &= ~np.isin(info, layer)
    if not eligible.any():
        return 0
    covered = scene.covered(owners, chars.left, chars.bottom, chars.right, chars.top, eligible)
    chars.info[covered] = _HIDDEN - REASONS.index(COVERED)
    return len(covered)


def _hidden_words(chars: _Chars, transform: _Transform) -> tuple[int, tuple[str, ...]]:
    """How many words of hidden characters lie on the visible page, and how they are hidden: a
    word is a run of hidden characters up to a space or a seen character."""
    width, height = transform.size
    count = 0
    kinds: set[str] = set()
    in_word = counted = False
    left, bottom, right, top = (values.tolist() for values in (chars.left, chars.bottom, chars.right, chars.top))
    for i, k in enumerate(chars.info.tolist()):
        if k > _HIDDEN:
            if k != _DROPPED:
                in_word = False
            continue
        if not in_word:
            in_word, counted = True, False
        if not counted:
            x0, y0, x1, y1 = transform.box(left[i], bottom[i], right[i], top[i])
            if x1 > 0 and x0 < width and y1 > 0 and y0 < height:
                count += 1
                counted = True
                kinds.add(REASONS[_HIDDEN - k])
    return count, tuple(r for r in REASONS if r in kinds)


@dataclass
class _Letters:
    """The upright, seen characters of a page in content order, as arrays: their displayed boxes,
    size and style (an index into ``styles``), and where a run between spaces ends."""

    text: list[str]
    x0: np.ndarray
    top: np.ndarray
    x1: np.ndarray
    bottom: np.ndarray
    size: np.ndarray
    style: np.ndarray
    styles: list[tuple]
    run_start: np.ndarray  # bool: the first letter after a space, a sideways character or the page start
    at_space: np.ndarray  # bool: the run this letter ends (when it does) ends at a space
    mcid: np.ndarray | None = None  # each letter's marked content, on tagged pages


def _letters(chars: _Chars, transform: _Transform) -> _Letters:
    rotation = transform.rotation
    info = chars.info
    upright = np.array([(found[2] - rotation) % 360 == 0 for found in chars.infos] + [False], dtype=bool)
    seen = info >= 0
    letter = np.zeros(len(info), dtype=bool)
    letter[seen] = upright[info[seen]]
    # What ends a run of letters: a space, or a character set in another direction.
    events = np.flatnonzero((info == _SPACE_INFO) | seen)
    is_letter = letter[events]
    after_break = np.ones(len(events), dtype=bool)
    after_break[1:] = ~is_letter[:-1]
    ends_at_space = np.zeros(len(events), dtype=bool)
    ends_at_space[:-1] = info[events[1:]] == _SPACE_INFO
    index = events[is_letter]
    # ``box``'s arithmetic works on numpy arrays as on floats: every letter's box at once.
    x0, top, x1, bottom = transform.box(chars.left[index], chars.bottom[index], chars.right[index], chars.top[index])
    sizes = np.array([found[0] for found in chars.infos] + [0.0], dtype=np.float64)
    text = chars.text
    return _Letters([text[i] for i in index.tolist()], x0, top, x1, bottom, sizes[info[index]], info[index],
                    [found[1] for found in chars.infos], after_break[is_letter], ends_at_space[is_letter],
                    None if chars.mcid is None else chars.mcid[index])


def _words(chars: _Chars, transform: _Transform) -> list[Word]:
    """Characters -> words: a word ends at a space, a jump back or down, or a gap wider than a
    third of the font size. Characters in another direction than the page's (watermarks, spine
    labels) are not read; overprinted copies of a glyph (fake bold) are dropped.

    Decided for all letters at once from each letter and the one before it; a run of letters
    where that is not enough (a letter printed twice, one off the previous letter's line but
    perhaps within its word's) is decided letter by letter (``_decide_run``)."""
    letters = _letters(chars, transform)
    n = len(letters.text)
    if not n:
        return []
    starts, kept = _word_starts(letters)
    width, height = transform.size
    return _build_words(letters, starts, kept, width, height)


def _em(size: np.ndarray, last_size: np.ndarray) -> np.ndarray:
    em = np.where(size > last_size, size, last_size)
    return np.where(em < 1.0, 1.0, em)


def _word_starts(letters: _Letters) -> tuple[np.ndarray, np.ndarray]:
    """Which letters start a word, and which are kept (not a fake-bold copy)."""
    x0, top, x1, bottom, size = letters.x0, letters.top, letters.x1, letters.bottom, letters.size
    n = len(x0)
    start = letters.run_start.copy()
    kept = np.ones(n, dtype=bool)
    if n < 2:
        return start, kept
    em = _em(size[1:], size[:-1])
    text = np.array(letters.text, dtype=object)
    same = text[1:] == text[:-1]
    twice = same & (np.abs(x0[1:] - x0[:-1]) < 0.3 * (x1[:-1] - x0[:-1])) & (np.abs(top[1:] - top[:-1]) < 0.3 * em) \
        & ~((text[1:] == "f") & (x0[1:] == x0[:-1]) & (x1[1:] == x1[:-1]))
    middle = (top[1:] + bottom[1:]) / 2
    gap = (x0[1:] > x1[:-1] + 0.33 * em) | (x1[1:] < x0[:-1] + 0.1 * em)
    level = (top[:-1] - 0.2 * em <= middle) & (middle <= bottom[:-1] + 0.2 * em)
    start[1:] |= gap | ~level
    # Off the previous letter's line but not apart from it: within its word's band only if the word
    # reaches higher or lower than that letter. And a copy of the previous glyph is dropped.
    unsure = (twice | (~gap & ~level)) & ~letters.run_start[1:]
    if unsure.any():
        run = np.cumsum(letters.run_start) - 1
        bounds = np.flatnonzero(letters.run_start).tolist() + [n]
        for r in np.unique(run[1:][unsure]).tolist():
            _decide_run(letters, bounds[r], bounds[r + 1], start, kept)
    return start, kept


def _decide_run(letters: _Letters, first: int, end: int, start: np.ndarray, kept: np.ndarray) -> None:
    """Letter by letter, the word starts and fake-bold copies in letters ``first`` to ``end``."""
    text, size = letters.text, letters.size.tolist()
    x0s, tops, x1s, bottoms = (values.tolist() for values in (letters.x0, letters.top, letters.x1, letters.bottom))
    last = first
    top, bottom = tops[first], bottoms[first]
    for i in range(first + 1, end):
        ch, cx0, ctop, cx1, cbottom = text[i], x0s[i], tops[i], x1s[i], bottoms[i]
        em = size[i] if size[i] > size[last] else size[last]
        if em < 1.0:
            em = 1.0
        if (ch == text[last] and abs(cx0 - x0s[last]) < 0.3 * (x1s[last] - x0s[last])
                and abs(ctop - tops[last]) < 0.3 * em and not (ch == "f" and cx0 == x0s[last] and cx1 == x1s[last])):
            # The same glyph printed again a hair to the side: fake bold. (An "ff" ligature comes
            # out as two f's sharing one box, and stays.)
            start[i], kept[i] = False, False
            continue
        middle = (ctop + cbottom) / 2
        # A break: another line, a gap, or a jump back past the previous glyph (a ligature's
        # second letter shares its first letter's box and is not a jump).
        start[i] = not (top - 0.2 * em <= middle <= bottom + 0.2 * em) or cx0 > x1s[last] + 0.33 * em or \
            cx1 < x0s[last] + 0.1 * em
        if start[i]:
            top, bottom = ctop, cbottom
        else:
            top, bottom = min(top, ctop), max(bottom, cbottom)
        last = i


def _ends_at_space(letters: _Letters, index: np.ndarray, bounds: list[int], w: int) -> bool:
    """Whether word ``w`` is the last of its run of letters and that run ends at a space."""
    run = np.cumsum(letters.run_start) - 1
    first = index[bounds[w]]
    if bounds[w + 1] < len(index) and run[index[bounds[w + 1]]] == run[first]:
        return False
    ends = np.flatnonzero(letters.run_start).tolist()[1:] + [len(letters.text)]
    return bool(letters.at_space[ends[run[first]] - 1])


def _build_words(letters: _Letters, starts: np.ndarray, kept: np.ndarray, width: float, height: float) -> list[Word]:
    """Words from the kept letters, each starting at a letter marked in ``starts``: its box the
    letters' extent, its size and face its second letter's (a leading mark is often set apart)."""
    index = np.flatnonzero(kept)
    first = np.flatnonzero(starts[index])
    bounds = first.tolist() + [len(index)]
    x0 = np.minimum.reduceat(letters.x0[index], first)
    top = np.minimum.reduceat(letters.top[index], first)
    x1 = np.maximum.reduceat(letters.x1[index], first)
    bottom = np.maximum.reduceat(letters.bottom[index], first)
    shown = np.flatnonzero((x1 > 0) & (x0 < width) & (bottom > 0) & (top < height))  # on the visible page
    typical = index[np.where(np.diff(bounds) > 1, first + 1, first)]
    sizes, styles = letters.size[typical][shown].tolist(), letters.style[typical][shown].tolist()
    mcids = letters.mcid[typical][shown].tolist() if letters.mcid is not None else None
    text = letters.text
    chosen = index.tolist()
    kept_text = "".join([text[i] for i in chosen])
    # One character per letter (always so from PDFium): each word is a slice of the kept letters' text.
    sliced = len(kept_text) == len(chosen)
    marks = _NUL_OR_HYPHEN in kept_text
    faces = letters.styles
    words: list[Word] = []
    for k, (w, wx0, wtop, wx1, wbottom, size, face) in enumerate(zip(
            shown.tolist(), x0[shown].tolist(), top[shown].tolist(), x1[shown].tolist(), bottom[shown].tolist(), sizes,
            styles, strict=True)):
        a, b = bounds[w], bounds[w + 1]
        word = kept_text[a:b] if sliced else "".join([text[i] for i in chosen[a:b]])
        if marks and _NUL_OR_HYPHEN in word:  # a hyphen only where the line breaks after it
            word = word.replace(_NUL_OR_HYPHEN, "") if _ends_at_space(letters, index, bounds, w) else \
                word[:-1].replace(_NUL_OR_HYPHEN, "") + word[-1].replace(_NUL_OR_HYPHEN, "-")
        if word:
            style = faces[face]
            words.append(Word(word, wx0, wtop, wx1, wbottom, size, style[0], style[1], style[2]) if mcids is None
                         else Word(word, wx0, wtop, wx1, wbottom, size, style[0], style[1], style[2], mcids[k]))
    return words


def _graphic(obj, transform: _Transform, images: list, rules: list, depth: int) -> None:
    kind = pdfium_c.FPDFPageObj_GetType(obj)
    if kind not in (_OBJ_PATH, _OBJ_IMAGE, _OBJ_FORM):
        return
    left, bottom, right, top = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
    if not pdfium_c.FPDFPageObj_GetBounds(obj, ctypes.byref(left), ctypes.byref(bottom), ctypes.byref(right),
                                          ctypes.byref(top)):
        return
    x0, y0, x1, y1 = transform.box(left.value, bottom.value, right.value, top.value)
    if kind == _OBJ_IMAGE:
        if x1 - x0 > 2 and y1 - y0 > 2:
            images.append(Rect(x0, y0, x1, y1))
    elif kind == _OBJ_PATH:
        width, height = x1 - x0, y1 - y0
        page_w, page_h = transform.size
        if width >= 0.95 * page_w and height >= 0.95 * page_h:
            return  # a page background
        if height <= 2.5 and width >= 4 or width <= 2.5 and height >= 4:
            rules.append(Rect(x0, y0, x1, y1))
        elif width >= 4 and height >= 4 and len(rules) < 5000:
            rules.append(Rect(x0, y0, x1, y0))
            rules.append(Rect(x0, y1, x1, y1))
            rules.append(Rect(x0, y0, x0, y1))
            rules.append(Rect(x1, y0, x1, y1))
    elif kind == _OBJ_FORM and depth < 2:
        # Bounds inside a form are in the form's own space: an image inside counts with the form's box;
        # ruling lines inside forms are not used.
        n = pdfium_c.FPDFFormObj_CountObjects(obj)
        inner_images: list = []
        for i in range(min(n, 2000)):
            _graphic(pdfium_c.FPDFFormObj_GetObject(obj, i), transform, inner_images, [], depth + 1)
        if inner_images:
            images.append(Rect(x0, y0, x1, y1))


def read_plumber_page(page, number: int) -> PageContent:
    """The same from a pdfplumber page: for files PDFium will not open (a cross-reference table
    it cannot rebuild) but pdfminer, which scans for objects, can. Slower, and only upright text.
    Tiny and pale text is left out as on PDFium's path; what pdfminer does not keep (render mode,
    clipping, alpha, paint order) cannot be judged here (``visibility.PlumberScene``)."""
    height = float(page.height)
    scene = PlumberScene(page)
    raw = [c for c in page.chars if c.get("text")]
    n = len(raw) * 2  # room for a space after each character
    chars = _Chars.empty(n)
    fonts: dict[str, tuple[int, bool, bool]] = {}
    index_of: dict[tuple, int] = {}
    previous = None
    i = 0
    for c in raw:
        text = clean_text(c["text"])
        if not text:
            continue  # a control or format character: left out, the word goes on
        if previous is not None and c["top"] > previous["bottom"]:
            i += 1  # pdfminer gives no line breaks: a new line starts a new word
        previous = c
        if text in _SPACE:
            i += 1
            continue
        # pdfplumber's boxes are from the top-left: store them as PDF space against a page of this height.
        chars.left[i], chars.right[i] = float(c["x0"]), float(c["x1"])
        chars.top[i], chars.bottom[i] = height - float(c["top"]), height - float(c["bottom"])
        why = scene.hides(c)
        if why is not None:
            chars.info[i] = _HIDDEN - REASONS.index(why)
            chars.hidden += 1
            i += 1
            continue
        name = str(c.get("fontname", "")).split("+")[-1].lower()
        style = fonts.setdefault(name, (len(fonts) + 1, any(t in name for t in _BOLD_NAMES),
                                        any(t in name for t in _ITALIC_NAMES)))
        info = (round(float(c.get("size", 0.0)), 1), style, 0 if c.get("upright", True) else 90, False)
        index = index_of.setdefault(info, len(index_of))
        if index == len(chars.infos):
            chars.infos.append(info)
        chars.text[i] = _HYPHENS.get(text, text)
        chars.info[i] = index
        i += 1
    transform = _Transform((0.0, 0.0, float(page.width), height), 0)
    words = _words(chars, transform)
    directions = _directions(chars)
    upright, visible = directions.get(0, 0), sum(directions.values())
    hidden_words, kinds = _hidden_words(chars, transform) if chars.hidden else (0, ())
    return PageContent(number=number, width=float(page.width), height=height, rotation=0, words=tuple(words),
                       rotated_chars=visible - upright, hidden_words=hidden_words, hidden_kinds=kinds)
