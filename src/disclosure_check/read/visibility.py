"""Which of a page's text a reader can see: PDFium's page objects, in the order they are painted,
turned into a verdict per text object (and per character where a clip, a cover or a background
takes only part of one).

Text a reader cannot see is no evidence: a sentence drawn invisibly could otherwise meet the
statutory checks. Text is hidden when it is

- drawn in an invisible render mode (3, or 7: clip only), unless it is a scan's OCR layer: on a
  page that images cover for the most part (``SCAN_COVERAGE``), invisible text over an image is
  what OCR software lays over the picture of the words a reader sees;
- fully transparent (fill alpha 0), or pale (under ``MIN_CONTRAST`` against white) with nothing
  under it that it shows on: no filled shape, thick stroke, image or shading painted before it
  in a colour it contrasts with (an opaque rectangle that holds it all hides what lies below).
  White text on a dark banner is common and genuine; only pale text is looked at;
- clipped away: outside the box of its clip path (a box holds the whole path, so no text the
  path shows is taken for clipped);
- covered: its loose box inside an opaque image or opaque filled rectangle painted after it;
- too small to read: under ``MIN_LEGIBLE_SIZE`` points high or wide (a horizontal scale of 1%
  squeezes 11 pt text to 0.1 pt widths).

Shapes are judged by their boxes: a dark shape whose box, not its ink, lies under pale text
counts as its background, and text of another colour on a shape of its own colour (black on
black) is not looked at. Optional content switched off (a hidden layer) is not seen here either:
PDFium's text API reads it and its public API does not say whether a layer is on.

The costs follow the hot path (most text is filled, dark and unclipped): one walk over the
page's objects (a type each, bounds for images and filled shapes), three calls per text object
(fill colour, clip path), more only for pale, clipped or invisible text, and covers found for
all characters at once in numpy. A cover's opacity and shape are checked only when characters
lie under it. When a call fails the text counts as seen: a wrong "hidden" costs a document its
evidence, a wrong "seen" is what every reader did before.
"""

from __future__ import annotations

import ctypes
from array import array
from itertools import compress, repeat

import pypdfium2.raw as pdfium_c

# Points: fine print is rarely under 4 pt and chart labels in real reports go down to 2 pt; 1.5 pt
# is 2 pixels at 100% on screen, unreadable, and below all text in the real PDFs measured.
MIN_LEGIBLE_SIZE = 1.5
MIN_CONTRAST = 1.15  # WCAG contrast ratio: about #F0F0F0 on white; legible pale text starts well above it
SCAN_COVERAGE = 0.5  # share of the page images must cover for invisible text over them to be an OCR layer
_TOLERANCE = 1.0  # points a cover may fall short of a glyph's loose box and still hide it
_MIN_SHAPE = 1.5  # a filled shape thinner than this in either direction hides or backs no legible glyph
_BAND = 32.0  # height of the bands shapes are filed under, in points
_MAX_SHAPES = 20_000  # more filled shapes than this on one page are not checked (a vector map, not a cover)
_INVISIBLE_MODES = (3, 7)
_STROKE_MODES = (1, 5)  # stroke only: the stroke colour is the ink
_BOTH_MODES = (2, 6)  # fill and stroke: hidden only when both are
_OBJ_TEXT, _OBJ_PATH, _OBJ_IMAGE, _OBJ_SHADING, _OBJ_FORM = 1, 2, 3, 4, 5
_STROKE = 6  # a path's thick stroke (an arc of a ring chart): a background in the stroke colour, never a cover
_MAX_DEPTH = 3
_MIN_SQUARE = MIN_LEGIBLE_SIZE * MIN_LEGIBLE_SIZE
_NOWHERE = float("inf")  # the paint order of a text object the walk did not meet (nothing after it)

# Why text is hidden: the names a page reports.
INVISIBLE, TRANSPARENT, PALE, CLIPPED, COVERED, TINY = (
    "invisible render mode", "transparent", "same colour as the background", "clipped away", "covered",
    "too small to read")
REASONS = (INVISIBLE, TRANSPARENT, PALE, CLIPPED, COVERED, TINY)


def _prototype(function, restype, *argtypes):
    """The PDFium function with plain ``void*`` handles and pointers passed as addresses: ctypes
    converts ints far faster than pointer objects (see page_content._prototype)."""
    return ctypes.CFUNCTYPE(restype, *argtypes)(ctypes.cast(function, ctypes.c_void_p).value)


_V, _I = ctypes.c_void_p, ctypes.c_int
_get_object = _prototype(pdfium_c.FPDFPage_GetObject, _V, _V, _I)
_count_objects = _prototype(pdfium_c.FPDFPage_CountObjects, _I, _V)
_form_object = _prototype(pdfium_c.FPDFFormObj_GetObject, _V, _V, ctypes.c_ulong)
_form_count = _prototype(pdfium_c.FPDFFormObj_CountObjects, _I, _V)
_type = _prototype(pdfium_c.FPDFPageObj_GetType, _I, _V)
_bounds = _prototype(pdfium_c.FPDFPageObj_GetBounds, _I, _V, _V, _V, _V, _V)
_matrix = _prototype(pdfium_c.FPDFPageObj_GetMatrix, _I, _V, _V)
_fill = _prototype(pdfium_c.FPDFPageObj_GetFillColor, _I, _V, _V, _V, _V, _V)
_stroke = _prototype(pdfium_c.FPDFPageObj_GetStrokeColor, _I, _V, _V, _V, _V, _V)
_transparent = _prototype(pdfium_c.FPDFPageObj_HasTransparency, _I, _V)
_draw_mode = _prototype(pdfium_c.FPDFPath_GetDrawMode, _I, _V, _V, _V)
_stroke_width = _prototype(pdfium_c.FPDFPageObj_GetStrokeWidth, _I, _V, _V)
_path_count = _prototype(pdfium_c.FPDFPath_CountSegments, _I, _V)
_path_segment = _prototype(pdfium_c.FPDFPath_GetPathSegment, _V, _V, _I)
_segment_point = _prototype(pdfium_c.FPDFPathSegment_GetPoint, _I, _V, _V, _V)
_segment_type = _prototype(pdfium_c.FPDFPathSegment_GetType, _I, _V)
_clip_path = _prototype(pdfium_c.FPDFPageObj_GetClipPath, _V, _V)
_clip_count = _prototype(pdfium_c.FPDFClipPath_CountPaths, _I, _V)
_clip_segments = _prototype(pdfium_c.FPDFClipPath_CountPathSegments, _I, _V, _I)
_clip_segment = _prototype(pdfium_c.FPDFClipPath_GetPathSegment, _V, _V, _I, _I)
_rendered_image = _prototype(pdfium_c.FPDFImageObj_GetRenderedBitmap, _V, _V, _V, _V)
_BEZIER = 1  # FPDF_SEGMENT_BEZIERTO


def _linear(channel: int) -> float:
    c = channel / 255.0
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


_LINEAR = tuple(_linear(c) for c in range(256))


def luminance(r: int, g: int, b: int) -> float:
    """WCAG relative luminance of an sRGB colour (0-255 channels)."""
    return 0.2126 * _LINEAR[r & 255] + 0.7152 * _LINEAR[g & 255] + 0.0722 * _LINEAR[b & 255]


def contrast(l1: float, l2: float) -> float:
    """WCAG contrast ratio of two luminances: 1 (the same) to 21 (black on white)."""
    return (max(l1, l2) + 0.05) / (min(l1, l2) + 0.05)


_WHITE = 1.0
_PALE_FLOOR = (_WHITE + 0.05) / MIN_CONTRAST - 0.05  # text lighter than this is too pale on white


class _Numbers:
    """Reusable out-parameters, passed to PDFium by address: ``array`` buffers, which Python reads
    many times faster than ctypes arrays or structures."""

    def __init__(self) -> None:
        self.floats = array("f", bytes(4 * 6))
        self.uints = array("I", bytes(4 * 4))
        self.ints = array("i", bytes(4 * 2))
        f, u, i = self.floats.buffer_info()[0], self.uints.buffer_info()[0], self.ints.buffer_info()[0]
        self.f = (f, f + 4, f + 8, f + 12)
        self.u = (u, u + 4, u + 8, u + 12)
        self.i = (i, i + 4)
        self.m = f  # an FS_MATRIX is six floats

    def bounds(self, obj) -> tuple[float, float, float, float] | None:
        if not _bounds(obj, *self.f):
            return None
        left, bottom, right, top = self.floats[:4]
        return left, bottom, right, top

    def colour(self, obj, stroke: bool = False) -> tuple[int, int, int, int] | None:
        if not (_stroke if stroke else _fill)(obj, *self.u):
            return None
        r, g, b, a = self.uints
        return r, g, b, a

    def object_matrix(self, obj) -> tuple[float, ...] | None:
        if not _matrix(obj, self.m):
            return None
        return tuple(self.floats)

    def point(self, segment) -> tuple[float, float]:
        _segment_point(segment, self.f[0], self.f[1])
        return self.floats[0], self.floats[1]


Box = tuple[float, float, float, float]  # left, bottom, right, top in page space (PDF points, y up)


def _apply(m: tuple[float, ...] | None, x: float, y: float) -> tuple[float, float]:
    if m is None:
        return x, y
    a, b, c, d, e, f = m
    return a * x + c * y + e, b * x + d * y + f


def _compose(inner: tuple[float, ...], outer: tuple[float, ...] | None) -> tuple[float, ...]:
    """``inner`` then ``outer``, as one matrix."""
    if outer is None:
        return inner
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F


def _box(m: tuple[float, ...] | None, box: Box) -> Box:
    if m is None:
        return box
    left, bottom, right, top = box
    xs, ys = zip(*(_apply(m, x, y) for x, y in ((left, bottom), (right, bottom), (left, top), (right, top))),
                 strict=True)
    return min(xs), min(ys), max(xs), max(ys)


def _meet(a: Box | None, b: Box | None) -> Box | None:
    """The intersection of two boxes (None: no limit); an empty one has left > right."""
    if a is None:
        return b
    if b is None:
        return a
    return max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3])


def _inside(box: Box, outer: Box, tolerance: float = 0.0) -> bool:
    return (box[0] >= outer[0] - tolerance and box[1] >= outer[1] - tolerance and box[2] <= outer[2] + tolerance
            and box[3] <= outer[3] + tolerance)


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _clip_box(numbers: _Numbers, clip, m: tuple[float, ...] | None) -> tuple[Box | None, bool]:
    """The box holding a clip path (``_clip_path`` of an object; None: not clipped) and whether
    the clip is exactly that box (one axis-aligned rectangle). Its points are in the space the
    object sits in (``m`` takes them to the page)."""
    if not clip:
        return None, True
    paths = _clip_count(clip)
    if paths <= 0:
        return None, True
    found: Box | None = None
    exact = paths == 1
    for p in range(paths):
        n = _clip_segments(clip, p)
        points = []
        for s in range(n):
            segment = _clip_segment(clip, p, s)
            if not segment:
                continue
            if _segment_type(segment) == _BEZIER:
                exact = False
            points.append(_apply(m, *numbers.point(segment)))
        if not points:
            continue
        xs, ys = [x for x, _ in points], [y for _, y in points]
        box = (min(xs), min(ys), max(xs), max(ys))
        exact = exact and _is_rectangle(points, box)
        found = _meet(found, box)
    return found, exact


def _is_rectangle(points: list[tuple[float, float]], box: Box) -> bool:
    """Whether a closed path's points are all corners of its box (at most five: four and the close)."""
    if len(points) > 5:
        return False
    corners = [(x, y) for x in (box[0], box[2]) for y in (box[1], box[3])]
    return all(any(abs(x - cx) < 0.01 and abs(y - cy) < 0.01 for cx, cy in corners) for x, y in points)


class _Shape:
    """An image, a shading, a filled path or a thick stroke: something that may cover text painted
    before it or back text painted after it. What takes more PDFium calls is found when first asked."""

    __slots__ = ("seq", "box", "obj", "kind", "matrix", "hidden_under", "_cover", "_ground")

    def __init__(self, seq: float, box: Box, obj, kind: int, matrix, hidden_under: bool) -> None:
        self.seq, self.box, self.obj, self.kind, self.matrix = seq, box, obj, kind, matrix
        self.hidden_under = hidden_under  # inside a transparency group: never taken for a cover
        self._cover: Box | None | bool = False  # False: not worked out yet
        self._ground: tuple[Box, float | None, bool] | None | bool = False

    def may_cover(self, numbers: _Numbers) -> bool:
        """What a few calls tell: an opaque image, or a path of four or five segments filled in an
        opaque colour, outside any transparency group (``cover`` looks closer)."""
        obj = self.obj
        if self.hidden_under or self.kind == _OBJ_SHADING or self.kind == _STROKE or _transparent(obj):
            self._cover = None
            return False
        if self.kind == _OBJ_PATH:
            colour = numbers.colour(obj)
            if colour is None or colour[3] < 255 or not 4 <= _path_count(obj) <= 5:
                self._cover = None
                return False
        return True

    def cover(self, scene: Scene) -> Box | None:
        """The box this shape paints opaquely, or None when it may let what is under it show
        (asked only of shapes ``may_cover`` let through)."""
        if self._cover is False:
            self._cover = self._work_out_cover(scene)
        return self._cover  # type: ignore[return-value]

    def _work_out_cover(self, scene: Scene) -> Box | None:
        obj, numbers = self.obj, scene.numbers
        clip, exact = _clip_box(numbers, _clip_path(obj), self.matrix)
        if clip is not None and not exact:
            return None  # a rounded or shaped clip: the box would claim more than is painted
        if self.kind == _OBJ_PATH:
            if not self._rectangle(numbers):
                return None
        elif not scene.image_is_opaque(obj):
            return None
        box = _meet(self.box, clip)
        return box if box is not None and box[0] < box[2] and box[1] < box[3] else None

    def _rectangle(self, numbers: _Numbers) -> bool:
        obj = self.obj
        n = _path_count(obj)
        if n < 4 or n > 5:
            return False
        m = numbers.object_matrix(obj)
        if m is None:
            return False
        m = _compose(m, self.matrix)
        points = []
        for s in range(n):
            segment = _path_segment(obj, s)
            if not segment or _segment_type(segment) == _BEZIER:
                return False
            points.append(_apply(m, *numbers.point(segment)))
        return _is_rectangle(points, self.box)

    def ground(self, scene: Scene) -> tuple[Box, float | None, bool] | None:
        """(box, luminance, exact) of the background this shape makes for text painted over it:
        luminance None for an image, a shading or a pattern (any colour: pale text on it is taken
        as seen); exact when the shape fills all of its box (a rectangle, clipped to a rectangle),
        so that it hides what lies under it. A circle's or an arc's box holds more than it paints."""
        if self._ground is False:
            clip, exact = _clip_box(scene.numbers, _clip_path(self.obj), self.matrix)
            box = _meet(self.box, clip)
            if box is None or box[0] >= box[2] or box[1] >= box[3]:
                self._ground = None
            elif self.kind not in (_OBJ_PATH, _STROKE):
                self._ground = (box, None, False)
            else:
                colour = scene.numbers.colour(self.obj, stroke=self.kind == _STROKE)
                if colour is None:
                    self._ground = (box, None, False)
                elif colour[3] == 0:
                    self._ground = None  # an invisible fill backs nothing
                else:
                    exact = exact and self.kind == _OBJ_PATH and colour[3] == 255 and self._rectangle(scene.numbers)
                    self._ground = (box, luminance(*colour[:3]), exact)
        return self._ground  # type: ignore[return-value]


class Partial:
    """A text object hidden in part: which of its characters are, by their loose boxes."""

    __slots__ = ("clip", "grounds", "ink", "scan")

    def __init__(self, clip: Box | None, grounds: list[tuple[Box, float | None, bool]] | None, ink: float,
                 scan: list[Box] | None) -> None:
        self.clip, self.grounds, self.ink, self.scan = clip, grounds, ink, scan

    def hides(self, left: float, bottom: float, right: float, top: float) -> str | None:
        """Why the character in this loose box is hidden, or None when a reader sees it. Loose
        boxes run from the font's ascent to its descent, taller than the glyph and sometimes far
        off it (a damaged font), so a box that touches what would show it counts as seen."""
        box = (left, bottom, right, top)
        if self.scan is not None:
            return None if any(_overlaps(box, image) for image in self.scan) else INVISIBLE
        if self.clip is not None and not _overlaps(box, self.clip):
            return CLIPPED
        if self.grounds is not None and not any(
                _overlaps(box, ground) and (shade is None or contrast(self.ink, shade) >= MIN_CONTRAST)
                for ground, shade, _ in self.grounds):
            return PALE
        return None


Verdict = None | str | Partial  # seen, hidden (why), or hidden in part


class Scene:
    """One page's objects as far as seeing its text goes: text objects' paint order, and the
    images, shadings and filled shapes that may cover or back them."""

    def __init__(self, page, pdf, crop: Box) -> None:
        self.numbers = _Numbers()
        self.page, self.pdf = page, pdf
        self._order: dict[int, float] = {}  # text in forms -> its place in paint order (``order``)
        self._top: tuple[list, list[int]] = ([], [])  # the page's own objects and their kinds
        self._first_text = _NOWHERE
        self.nested: dict[int, tuple[tuple[float, ...], Box | None]] = {}  # text in forms: (matrix, form's clip)
        self.shapes: list[_Shape] = []
        self.images: list[Box] = []
        self._opaque: dict[int, bool] = {}
        self._walk(None, 0, None, None, False, 0.0, float(_count_objects(page) + 1))
        self.crowded = len(self.shapes) > _MAX_SHAPES  # backgrounds unknown: pale text is taken as seen
        shapes = [] if self.crowded else self.shapes
        self.bands = _file(shapes)  # what may back pale text
        # What may cover text painted before it, topmost last (``covered``).
        self.covers = [shape for shape in shapes if shape.seq > self._first_text and shape.may_cover(self.numbers)]
        self.scan = _coverage(self.images, crop) >= SCAN_COVERAGE

    def _walk(self, form, depth: int, m, clip: Box | None, grouped: bool, base: float, span: float) -> None:
        """Objects in paint order: a form's objects are numbered between the form's number and
        the next object's, so numbers compare across forms."""
        if form is None:
            n = _count_objects(self.page)
            objects = list(map(_get_object, repeat(self.page, n), range(n)))
        else:
            n = _form_count(form)
            objects = list(map(_form_object, repeat(form, n), range(n)))
        kinds = list(map(_type, objects))  # one C call per object: most pages are mostly text
        step = span / (n + 1)
        if form is None:  # the page's own text is numbered when it is first needed (``order``)
            self._top = (objects, kinds)
            if _OBJ_TEXT in kinds:
                self._first_text = kinds.index(_OBJ_TEXT) + 1.0
        else:
            texts = [k for k, kind in enumerate(kinds) if kind == _OBJ_TEXT]
            self._order.update((objects[k], base + (k + 1) * step) for k in texts)
            self.nested.update((objects[k], (m, clip)) for k in texts)
            if texts:
                self._first_text = min(self._first_text, base + (texts[0] + 1) * step)
        numbers = self.numbers
        for k in [k for k, kind in enumerate(kinds) if kind != _OBJ_TEXT]:
            obj, kind, seq = objects[k], kinds[k], base + (k + 1) * step
            if kind in (_OBJ_PATH, _OBJ_IMAGE, _OBJ_SHADING):
                thick = False
                if kind == _OBJ_PATH:
                    if not _draw_mode(obj, *numbers.i):
                        continue
                    filled, stroked = numbers.ints
                    thick = bool(stroked) and _stroke_width(obj, numbers.f[0]) and numbers.floats[0] >= _MIN_SHAPE
                    if not filled and not thick:
                        continue  # thin lines neither cover nor back text
                box = numbers.bounds(obj)
                if box is None:
                    continue
                box = _meet(_box(m, box), clip)
                if box is None or box[2] - box[0] < _MIN_SHAPE or box[3] - box[1] < _MIN_SHAPE:
                    continue
                if kind == _OBJ_IMAGE:
                    self.images.append(box)
                if kind != _OBJ_PATH or filled:
                    self.shapes.append(_Shape(seq, box, obj, kind, m, grouped))
                if thick:
                    self.shapes.append(_Shape(seq, box, obj, _STROKE, m, grouped))
            elif kind == _OBJ_FORM and depth < _MAX_DEPTH:
                inner = numbers.object_matrix(obj)
                if inner is None:
                    continue
                form_clip = _meet(clip, _clip_box(numbers, _clip_path(obj), m)[0])
                self._walk(obj, depth + 1, _compose(inner, m), form_clip, grouped or bool(_transparent(obj)),
                           seq, step)

    @property
    def order(self) -> dict[int, float]:
        """Text object -> its place in paint order (the page's own objects are numbered 1, 2, ...)."""
        if self._top[0]:
            objects, kinds = self._top
            text = [kind == _OBJ_TEXT for kind in kinds]
            self._order.update(zip(compress(objects, text), compress(range(1, len(kinds) + 1), text), strict=False))
            self._top = ([], [])
        return self._order

    def covered(self, objects: array, left: array, bottom: array, right: array, top: array, eligible) -> list[int]:
        """The characters (indices) that an opaque image or rectangle painted after their text
        object hides: each one's loose box within the cover (give or take ``_TOLERANCE``).
        ``objects`` holds each character's text object (0: none), ``eligible`` (a numpy bool
        array) the characters to look at. One pass over all characters per cover, in numpy;
        a cover's opacity and shape are checked only once some character lies under it."""
        import numpy as np

        handles = np.frombuffer(objects, dtype=np.uint64)
        x0, y0 = np.frombuffer(left, dtype=np.float64), np.frombuffer(bottom, dtype=np.float64)
        x1, y1 = np.frombuffer(right, dtype=np.float64), np.frombuffer(top, dtype=np.float64)
        hidden = np.zeros(len(handles), dtype=bool)
        seqs = None
        for shape in self.covers:
            left_, bottom_, right_, top_ = shape.box
            under = eligible & (x0 >= left_ - _TOLERANCE) & (x1 <= right_ + _TOLERANCE) & \
                (y0 >= bottom_ - _TOLERANCE) & (y1 <= top_ + _TOLERANCE)
            if not under.any():
                continue
            if seqs is None:  # paint order, once some character lies under a cover
                unique, inverse = np.unique(handles, return_inverse=True)
                order = self.order
                seqs = np.array([order.get(h, _NOWHERE) for h in unique.tolist()], dtype=np.float64)[inverse]
            under &= seqs < shape.seq
            if not under.any():
                continue
            cover = shape.cover(self)
            if cover is None:
                continue
            if cover != shape.box:
                under &= (x0 >= cover[0] - _TOLERANCE) & (x1 <= cover[2] + _TOLERANCE) & \
                    (y0 >= cover[1] - _TOLERANCE) & (y1 <= cover[3] + _TOLERANCE)
            hidden |= under
        return np.flatnonzero(hidden).tolist()

    def image_is_opaque(self, obj) -> bool:
        """Whether an image paints every pixel of its box (no soft mask, no stencil, no alpha):
        drawn once, only for an image that lies over text painted before it."""
        found = self._opaque.get(obj)
        if found is None:
            found = self._opaque[obj] = _opaque_image(self.pdf, self.page, obj)
        return found

    def judge(self, obj, mode: int, size: float, matrix: tuple[float, float, float, float]) -> Verdict:
        """Whether a text object is seen: ``mode`` its render mode, ``size`` its font size and
        ``matrix`` the (a, b, c, d) of its own matrix.

        Most text is filled, dark and unclipped: that is told with three or four calls; bounds and
        backgrounds are looked at only for the rest. Covers are found for characters (``covered``)."""
        if mode == 0 and obj not in self.nested:  # the usual: filled text on the page itself
            a, b, c, d = matrix
            square = size * size
            if square * (a * a + b * b) < _MIN_SQUARE or square * (c * c + d * d) < _MIN_SQUARE:
                return TINY
            numbers = self.numbers
            ink: float | None = None
            if _fill(obj, *numbers.u):
                red, green, blue, alpha = numbers.uints
                if alpha == 0:
                    return TRANSPARENT
                if green > 200:  # pale text needs a light green
                    ink = luminance(red, green, blue)
            handle = _clip_path(obj)
            if not (handle and _clip_count(handle) > 0) and (ink is None or ink <= _PALE_FLOOR):
                return None
            return self._judge(obj, mode, size, matrix)
        return self._judge(obj, mode, size, matrix)

    def _judge(self, obj, mode: int, size: float, matrix: tuple[float, float, float, float]) -> Verdict:
        nested = self.nested.get(obj)
        m = outer_clip = None
        if nested is not None:
            m, outer_clip = nested
            matrix = _compose((*matrix, 0.0, 0.0), m)[:4]  # type: ignore[assignment]
        if mode in _INVISIBLE_MODES:
            return self._ocr_layer(obj, m)
        a, b, c, d = matrix
        square = size * size
        if square * (a * a + b * b) < _MIN_SQUARE or square * (c * c + d * d) < _MIN_SQUARE:
            return TINY
        numbers = self.numbers
        found = self._ink(obj, mode)
        if found is TRANSPARENT:
            return TRANSPARENT
        ink = found  # type: ignore[assignment]
        handle = _clip_path(obj)
        clip = _clip_box(numbers, handle, m)[0] if handle and _clip_count(handle) > 0 else None
        clip = _meet(clip, outer_clip)
        pale = ink is not None and ink > _PALE_FLOOR and not self.crowded
        if clip is None and not pale:
            return None
        box = numbers.bounds(obj)
        if box is None:
            return None
        box = _box(m, box)
        if clip is not None:
            if clip[0] >= clip[2] or clip[1] >= clip[3] or not _overlaps(box, clip):
                return CLIPPED
            if _inside(box, clip, 0.5):
                clip = None
        grounds = None
        if pale:
            grounds = [g for g in self._grounds(box, self.order.get(obj, _NOWHERE))
                       if g[1] is None or contrast(ink, g[1]) >= MIN_CONTRAST]  # type: ignore[arg-type]
            if not grounds:
                return PALE  # nothing under it that it shows on: white on white
            if any(_inside(box, ground) for ground, _, _ in grounds):
                grounds = None
        if clip is None and grounds is None:
            return None
        return Partial(clip, grounds, ink or 0.0, None)

    def _ocr_layer(self, obj, m) -> Verdict:
        """Invisible text: seen only as the OCR layer of a scan, where it lies over the image."""
        if not self.scan:
            return INVISIBLE
        box = self.numbers.bounds(obj)
        if box is None:
            return INVISIBLE
        box = _box(m, box)
        if any(_inside(box, image, _TOLERANCE) for image in self.images):
            return None
        under = [image for image in self.images if _overlaps(box, image)]
        return Partial(None, None, 0.0, under) if under else INVISIBLE

    def _grounds(self, box: Box, seq: float) -> list[tuple[Box, float | None, bool]]:
        """The backgrounds under ``box`` painted before ``seq``, topmost first, down to the first
        rectangle that holds all of it (what lies under that cannot be seen). Text the walk did
        not meet (in a form nested too deep) is taken to be on whatever is there."""
        if seq == _NOWHERE:
            return [(box, None, False)]
        grounds = []
        for shape in reversed(_near(self.bands, box)):
            if shape.seq < seq and _overlaps(box, shape.box):
                ground = shape.ground(self)
                if ground is not None and _overlaps(box, ground[0]):
                    grounds.append(ground)
                    if ground[2] and _inside(box, ground[0]):
                        break
        return grounds

    def _ink(self, obj, mode: int) -> float | str | None:
        """The luminance of the text's ink, TRANSPARENT when it has none, None when unknown."""
        numbers = self.numbers
        stroke = mode in _STROKE_MODES
        colour = numbers.colour(obj, stroke=stroke)
        if colour is None:
            return None
        if colour[3] == 0:
            if mode in _BOTH_MODES:
                other = numbers.colour(obj, stroke=True)
                if other is not None and other[3] > 0:
                    return luminance(*other[:3])
            return TRANSPARENT
        shade = luminance(*colour[:3])
        if mode in _BOTH_MODES and shade > _PALE_FLOOR:
            other = numbers.colour(obj, stroke=True)
            if other is not None and other[3] > 0:
                shade = min(shade, luminance(*other[:3]))
        return shade


def _file(shapes: list[_Shape]) -> dict[int, list[_Shape]]:
    """Shapes filed under the horizontal bands of the page they span."""
    bands: dict[int, list[_Shape]] = {}
    for shape in shapes:
        for band in range(int(shape.box[1] // _BAND), int(shape.box[3] // _BAND) + 1):
            bands.setdefault(band, []).append(shape)
    return bands


def _near(bands: dict[int, list[_Shape]], box: Box) -> list[_Shape]:
    """The shapes filed under the bands ``box`` spans, each once, in paint order."""
    if not bands:
        return []
    first, last = int(box[1] // _BAND), int(box[3] // _BAND)
    if first == last:
        return bands.get(first, [])
    seen: dict[int, _Shape] = {}
    for band in range(first, last + 1):
        for shape in bands.get(band, ()):
            seen[id(shape)] = shape
    return sorted(seen.values(), key=lambda shape: shape.seq)


def _coverage(boxes: list[Box], crop: Box) -> float:
    """Share of the crop box covered by ``boxes`` (overlaps counted once, on a 24x24 grid)."""
    left, bottom, right, top = crop
    width, height = right - left, top - bottom
    if not boxes or width <= 0 or height <= 0:
        return 0.0
    n = 24
    cells = set()
    for b in boxes:
        i0, i1 = int(max(0.0, b[0] - left) / width * n), int(min(width, b[2] - left) / width * n - 1e-9)
        j0, j1 = int(max(0.0, b[1] - bottom) / height * n), int(min(height, b[3] - bottom) / height * n - 1e-9)
        cells.update((i, j) for i in range(i0, min(i1, n - 1) + 1) for j in range(j0, min(j1, n - 1) + 1))
    return len(cells) / (n * n)


def _opaque_image(pdf, page, obj) -> bool:
    """Whether PDFium draws the image with no transparent pixel (its soft mask, stencil or alpha
    applied). Not knowing is "not opaque": it then covers nothing."""
    handle = _rendered_image(pdf, page, obj)
    if not handle:
        return False
    bitmap = ctypes.cast(handle, pdfium_c.FPDF_BITMAP)
    try:
        if pdfium_c.FPDFBitmap_GetFormat(bitmap) != pdfium_c.FPDFBitmap_BGRA:
            return True  # no alpha channel at all
        import numpy as np

        width, height = pdfium_c.FPDFBitmap_GetWidth(bitmap), pdfium_c.FPDFBitmap_GetHeight(bitmap)
        stride = pdfium_c.FPDFBitmap_GetStride(bitmap)
        if width <= 0 or height <= 0:
            return False
        buffer = ctypes.cast(pdfium_c.FPDFBitmap_GetBuffer(bitmap), ctypes.POINTER(ctypes.c_ubyte * (stride * height)))
        pixels = np.frombuffer(buffer.contents, dtype=np.uint8).reshape(height, stride)[:, : width * 4]
        return bool((pixels[:, 3::4] == 255).all())
    finally:
        pdfium_c.FPDFBitmap_Destroy(bitmap)


def pdfminer_luminance(colour) -> float | None:
    """The luminance of a colour as pdfminer gives it: gray (g,), RGB (r, g, b) or CMYK
    (c, m, y, k), 0-1 each; None for a pattern or anything else."""
    if not isinstance(colour, tuple | list) or not all(isinstance(v, int | float) for v in colour):
        return None
    values = [min(1.0, max(0.0, float(v))) for v in colour]
    if len(values) == 1:
        rgb = values * 3
    elif len(values) == 3:
        rgb = values
    elif len(values) == 4:
        c, m, y, k = values
        rgb = [(1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k)]
    else:
        return None
    r, g, b = (round(v * 255) for v in rgb)
    return luminance(r, g, b)


class PlumberScene:
    """The same judgement from what pdfplumber exposes (for files PDFium cannot open): a
    character's size and fill colour, and the filled rectangles, curves and images that may back
    pale text. pdfminer keeps neither the text render mode, nor clipping paths, nor fill alpha,
    nor the order objects are painted in, so text hidden by an invisible render mode, a clip, a
    transparent fill or a cover is read as seen on this path."""

    def __init__(self, page) -> None:
        self.page = page
        self._grounds: list[tuple[float, float, float, float, float | None]] | None = None

    def hides(self, char: dict) -> str | None:
        """Why a pdfplumber character cannot be seen, or None."""
        size = char.get("size")
        if isinstance(size, int | float) and 0 < size < MIN_LEGIBLE_SIZE:
            return TINY
        ink = pdfminer_luminance(char.get("non_stroking_color"))
        if ink is None or contrast(ink, _WHITE) >= MIN_CONTRAST:
            return None
        x0, top, x1, bottom = (float(char[k]) for k in ("x0", "top", "x1", "bottom"))
        for left, up, right, down, shade in self.grounds():
            if left < x1 and x0 < right and up < bottom and top < down and (
                    shade is None or contrast(ink, shade) >= MIN_CONTRAST):
                return None
        return PALE

    def grounds(self) -> list[tuple[float, float, float, float, float | None]]:
        """(x0, top, x1, bottom, luminance) of filled shapes and images (luminance None: any colour)."""
        if self._grounds is None:
            found: list[tuple[float, float, float, float, float | None]] = []
            for shape in list(self.page.rects) + list(self.page.curves):
                if shape.get("fill"):
                    found.append((float(shape["x0"]), float(shape["top"]), float(shape["x1"]), float(shape["bottom"]),
                                  pdfminer_luminance(shape.get("non_stroking_color"))))
            for image in self.page.images:
                found.append((float(image["x0"]), float(image["top"]), float(image["x1"]), float(image["bottom"]), None))
            self._grounds = found
        return self._grounds
