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
from dataclasses import dataclass, replace

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

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
_text_object = _prototype(pdfium_c.FPDFText_GetTextObject, _VOID, _VOID, _INT)
_object_matrix = _prototype(pdfium_c.FPDFPageObj_GetMatrix, _INT, _VOID, _VOID)
_object_font_size = _prototype(pdfium_c.FPDFTextObj_GetFontSize, _INT, _VOID, _VOID)
_object_font = _prototype(pdfium_c.FPDFTextObj_GetFont, _VOID, _VOID)
_render_mode = _prototype(pdfium_c.FPDFTextObj_GetTextRenderMode, _INT, _VOID)
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
        chars = _pdfium_chars(raw, _page_text(raw, n), scene)
    finally:
        textpage.close()
    directions: dict[int, int] = {}
    for index in chars.info:
        if index >= 0:
            direction = chars.infos[index][2]
            directions[direction] = directions.get(direction, 0) + 1
    dominant = max(directions, key=directions.get) if directions else 0
    rotation = (page_rotation + dominant - page_rotation) % 360  # turned by the page's /Rotate, then more
    if (dominant - page_rotation) % 360:
        # Most text runs sideways (a landscape table on a portrait page): turn the page to read it upright.
        transform = _Transform(bbox, dominant)
    rotation = transform.rotation
    width, height = transform.size
    words = _words(chars, transform)
    total = sum(directions.values())
    hidden = sum(1 for index in chars.info if index >= 0 and chars.infos[index][3])
    hidden_words, kinds = _hidden_words(chars, transform) if chars.hidden else (0, ())
    return PageContent(number=number, width=width, height=height, rotation=rotation, words=tuple(words),
                       rotated_chars=total - directions.get(rotation, 0),
                       hidden_share=hidden / total if total else 0.0, hidden_words=hidden_words, hidden_kinds=kinds)


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
    """A page's characters as parallel arrays (no object per character): text, raw PDF-space boxes
    and an index into ``infos`` (size, style, direction in PDF space, invisible), -1 for a space."""

    text: list[str]  # a space, control or format character is left out (``info`` < 0)
    left: array
    bottom: array
    right: array
    top: array
    info: array
    infos: list[tuple]
    hidden: int = 0  # characters a reader cannot see (``info`` _HIDDEN - reason)


def _pdfium_chars(raw, text: str, scene: Scene | None = None) -> _Chars:
    handle = ctypes.cast(raw, ctypes.c_void_p).value
    rect = pdfium_c.FS_RECTF()
    pointer = ctypes.addressof(rect)
    objects = _ObjectInfo(scene)
    hidden = 0
    n = len(text)
    chars = _Chars([" "] * n, array("d", bytes(8 * n)), array("d", bytes(8 * n)), array("d", bytes(8 * n)),
                   array("d", bytes(8 * n)), array("i", [-1]) * n, [])
    index_of: dict[tuple, int] = {}
    track = scene is not None and bool(scene.covers)  # which object each character is in, to find covers
    owners = array("Q", bytes(8 * n)) if track else None
    dropped = [m.start() for m in _FORMAT.finditer(text)]  # one scan of the page, usually finding none
    if dropped:
        text = _FORMAT.sub("\x01", text)  # a control character: skipped below
    for i, ch in enumerate(text):
        if ch in _SPACE or (ch < " " and ch != "\x02") or ch == "\uffff" or not _loose_box(handle, i, pointer):
            continue
        if "\x7f" <= ch <= "\x9f":
            ch = UNREADABLE  # a glyph the font maps to a control code (often a ligature): see ligatures.py
        obj = _text_object(handle, i)
        info, verdict = objects(obj)
        if verdict is not None:
            why = verdict.hides(rect.left, rect.bottom, rect.right, rect.top) if verdict.__class__ is Partial \
                else verdict
            if why is not None:
                chars.info[i] = _HIDDEN - REASONS.index(why)
                chars.left[i], chars.bottom[i], chars.right[i], chars.top[i] = rect.left, rect.bottom, rect.right, \
                    rect.top
                hidden += 1
                continue
        index = index_of.get(info)
        if index is None:
            index = index_of[info] = len(chars.infos)
            chars.infos.append(info)
        chars.text[i] = _HYPHENS.get(ch, ch)
        chars.left[i], chars.bottom[i], chars.right[i], chars.top[i] = rect.left, rect.bottom, rect.right, rect.top
        chars.info[i] = index
        if track:
            owners[i] = obj or 0  # type: ignore[index]
    for i in dropped:
        chars.info[i] = _DROPPED
    if track:
        hidden += _hide_covered(chars, scene, owners)  # type: ignore[arg-type]
    chars.hidden = hidden
    return chars


def _hide_covered(chars: _Chars, scene: Scene, owners: array) -> int:
    """Mark the characters an opaque cover painted after them hides; how many. A scan's OCR
    layer (invisible text, kept) lies under its image by design and is not looked at."""
    import numpy as np

    info = np.frombuffer(chars.info, dtype=np.int32)
    eligible = info >= 0
    layer = [k for k, found in enumerate(chars.infos) if found[3]]
    if layer:
        eligible &= ~np.isin(info, layer)
    if not eligible.any():
        return 0
    covered = scene.covered(owners, chars.left, chars.bottom, chars.right, chars.top, eligible)
    code = _HIDDEN - REASONS.index(COVERED)
    for i in covered:
        chars.info[i] = code
    return len(covered)


def _hidden_words(chars: _Chars, transform: _Transform) -> tuple[int, tuple[str, ...]]:
    """How many words of hidden characters lie on the visible page, and how they are hidden: a
    word is a run of hidden characters up to a space or a seen character."""
    width, height = transform.size
    count = 0
    kinds: set[str] = set()
    in_word = counted = False
    for i, k in enumerate(chars.info):
        if k > _HIDDEN:
            if k != _DROPPED:
                in_word = False
            continue
        if not in_word:
            in_word, counted = True, False
        if not counted:
            x0, top, x1, bottom = transform.box(chars.left[i], chars.bottom[i], chars.right[i], chars.top[i])
            if x1 > 0 and x0 < width and bottom > 0 and top < height:
                count += 1
                counted = True
                kinds.add(REASONS[_HIDDEN - k])
    return count, tuple(r for r in REASONS if r in kinds)


def _words(chars: _Chars, transform: _Transform) -> list[Word]:
    """Characters -> words: a word ends at a space, a jump back or down, or a gap wider than a
    third of the font size. Characters in another direction than the page's (watermarks, spine
    labels) are not read; overprinted copies of a glyph (fake bold) are dropped."""
    width, height = transform.size
    rotation = transform.rotation
    to_box = transform.box
    left0, top0 = transform.left, transform.top
    infos = [(size, style, (direction - rotation) % 360) for size, style, direction, _ in chars.infos]
    text, info = chars.text, chars.info
    words: list[Word] = []
    letters: list[str] = []
    x0 = top = x1 = bottom = 0.0
    last_ch = ""
    last_x0 = last_x1 = last_top = last_size = 0.0
    word_size = 0.0
    word_style = None

    def flush(at_space: bool = False) -> None:
        if letters and x1 > 0 and x0 < width and bottom > 0 and top < height:  # drawn on the visible page
            word = "".join(letters)
            if _NUL_OR_HYPHEN in word:  # a hyphen only where the line breaks after it
                word = word.replace(_NUL_OR_HYPHEN, "") if at_space else \
                    word[:-1].replace(_NUL_OR_HYPHEN, "") + word[-1].replace(_NUL_OR_HYPHEN, "-")
            if word:
                words.append(Word(word, x0, top, x1, bottom, word_size, word_style[0], word_style[1],
                                  word_style[2]))
        letters.clear()

    for i, ch in enumerate(text):
        k = info[i]
        if k < 0:
            if letters and k == _SPACE_INFO:
                flush(at_space=True)
            continue
        size, style, direction = infos[k]
        if direction:
            if letters:
                flush()
            continue
        if rotation == 0:
            cx0, ctop, cx1, cbottom = chars.left[i] - left0, top0 - chars.top[i], chars.right[i] - left0, \
                top0 - chars.bottom[i]
        else:
            cx0, ctop, cx1, cbottom = to_box(chars.left[i], chars.bottom[i], chars.right[i], chars.top[i])
        if letters:
            em = size if size > last_size else last_size
            if em < 1.0:
                em = 1.0
            if (ch == last_ch and abs(cx0 - last_x0) < 0.3 * (last_x1 - last_x0) and abs(ctop - last_top) < 0.3 * em
                    and not (ch == "f" and cx0 == last_x0 and cx1 == last_x1)):
                # The same glyph printed again a hair to the side: fake bold. (An "ff" ligature comes
                # out as two f's sharing one box, and stays.)
                continue
            middle = (ctop + cbottom) / 2
            # A break: another line, a gap, or a jump back past the previous glyph (a ligature's
            # second letter shares its first letter's box and is not a jump).
            if not (top - 0.2 * em <= middle <= bottom + 0.2 * em) or cx0 > last_x1 + 0.33 * em or \
                    cx1 < last_x0 + 0.1 * em:
                flush()
        if not letters:
            x0, top, x1, bottom = cx0, ctop, cx1, cbottom
            word_size, word_style = size, style
        else:
            if cx0 < x0:
                x0 = cx0
            if cx1 > x1:
                x1 = cx1
            if ctop < top:
                top = ctop
            if cbottom > bottom:
                bottom = cbottom
            if len(letters) == 1:  # a word is set in one size and face, but for a leading mark
                word_size, word_style = size, style
        letters.append(ch)
        last_ch, last_x0, last_x1, last_top, last_size = ch, cx0, cx1, ctop, size
    if letters:
        flush()
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
    chars = _Chars([" "] * n, array("d", bytes(8 * n)), array("d", bytes(8 * n)), array("d", bytes(8 * n)),
                   array("d", bytes(8 * n)), array("i", [-1]) * n, [])
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
    upright = sum(1 for k in chars.info if k >= 0 and chars.infos[k][2] == 0)
    visible = sum(1 for k in chars.info if k >= 0)
    hidden_words, kinds = _hidden_words(chars, transform) if chars.hidden else (0, ())
    return PageContent(number=number, width=float(page.width), height=height, rotation=0, words=tuple(words),
                       rotated_chars=visible - upright, hidden_words=hidden_words, hidden_kinds=kinds)
