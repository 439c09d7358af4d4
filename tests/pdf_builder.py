"""Raw PDFs written byte by byte, for tests that need what no PDF library would write: damaged,
hostile or exactly-specified files. One builder for every test that makes them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

HEADER = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"


def build_pdf(objects: Mapping[int, bytes] | Sequence[bytes], *, root: int = 1, info: int | None = None,
              trailer: bytes = b"", header: bytes = HEADER) -> bytes:
    """A PDF of object bodies (numbered from 1 in a list, or by their keys) with a correct
    cross-reference table; numbers missing from a mapping are free entries."""
    numbered = dict(objects) if isinstance(objects, Mapping) else dict(enumerate(objects, start=1))
    out = bytearray(header)
    offsets = {}
    for number in sorted(numbered):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + numbered[number] + b"\nendobj\n"
    xref = len(out)
    size = max(numbered) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        out += b"%010d 00000 n \n" % offsets[number] if number in offsets else b"0000000000 65535 f \n"
    out += b"trailer\n<< /Size %d /Root %d 0 R" % (size, root)
    if info:
        out += b" /Info %d 0 R" % info
    out += trailer + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def stream(data: bytes, extra: bytes = b"", *, length: int | None = None) -> bytes:
    """A stream object's body; ``length`` overrides the true /Length (a lying length)."""
    return b"<< /Length %d %s >>\nstream\n" % (len(data) if length is None else length, extra) + data + b"\nendstream"
