"""Input hygiene: what text from a PDF (or an uploader) may contain by the time anything stores,
shows or exports it.

A PDF is untrusted input. Its text and metadata can carry NUL and other control characters,
bidirectional overrides that make a quote read differently on screen than in the data (U+202E),
Markdown and HTML that a browser would act on, spreadsheet formulas, and sizes no reader needs.
Everything here is pure and cheap; callers apply it where text enters (extraction, metadata) and
where it leaves (Markdown, HTML, CSV and Excel cells).
"""

from __future__ import annotations

import html
import os
import re

# C0 controls except tab and newline, DEL, C1 controls; bidirectional embeddings, overrides and
# isolates (U+202A-202E, U+2066-2069) and the implicit marks (U+200E, U+200F, U+061C);
# zero-width and other invisible format characters a quote should not depend on; U+FEFF.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]")
_CR = re.compile("\r\n?")

METADATA_MAX_CHARS = 300  # a title, author or producer longer than this is not a title
PARAGRAPH_MAX_CHARS = 20_000  # longer "paragraphs" are split (a page of 12 pt text holds ~4,000)


_SURROGATE = re.compile("[\ud800-\udfff]")


def fix_surrogates(text: str) -> str:
    """``text`` with UTF-16 surrogate pairs combined into the character they stand for (an emoji a
    PDF library handed over in halves) and lone surrogates dropped: what is left can be encoded,
    stored and shown."""
    if not _SURROGATE.search(text):
        return text
    combined = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")
    return _SURROGATE.sub("", combined)


def clean_text(text: str) -> str:
    """``text`` without control characters, NUL, bidirectional controls, invisible format
    characters or broken surrogates; carriage returns become newlines. Tab and newline are kept."""
    if not text:
        return text
    return _UNSAFE.sub("", _CR.sub("\n", fix_surrogates(text)))


_ESCAPE_IN_NAMES = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def path_text(path: object) -> str:
    """A file path as text that can be stored, exported and printed, whatever its bytes: bytes that
    are not UTF-8 (a Latin-1 name from a Windows archive) become ``\\xe9``, control characters and
    bidirectional overrides (terminal escapes, newlines, U+202E) become ``\\x1b``-style escapes.
    ``text_path`` turns it back into the path (names holding a literal backslash-x and two hex
    digits are the one ambiguity)."""
    raw = path if isinstance(path, bytes) else os.fsencode(str(path))
    text = raw.decode("utf-8", "backslashreplace")
    return _ESCAPE_IN_NAMES.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                                else f"\\u{ord(m.group()):04x}", text)


_ESCAPED = re.compile(r"\\x([0-9a-f]{2})|\\u([0-9a-f]{4})")


def text_path(text: str) -> str:
    """The path ``path_text`` wrote as text (a name it did not escape comes back unchanged)."""
    if "\\" not in text:
        return text
    out = bytearray()
    last = 0
    for m in _ESCAPED.finditer(text):
        out += text[last:m.start()].encode("utf-8")
        out += bytes([int(m.group(1), 16)]) if m.group(1) else chr(int(m.group(2), 16)).encode("utf-8")
        last = m.end()
    out += text[last:].encode("utf-8")
    return os.fsdecode(bytes(out))


def clean_line(text: str) -> str:
    """``clean_text`` on one line: line breaks and tabs become single spaces."""
    return " ".join(clean_text(text).split())


def cap(text: str, limit: int, marker: str = "…") -> str:
    """``text`` cut to at most ``limit`` characters, ending with ``marker`` when it was cut."""
    if len(text) <= limit:
        return text
    return text[: max(0, limit - len(marker))] + marker


def clean_metadata(value: object, limit: int = METADATA_MAX_CHARS) -> str | None:
    """A PDF metadata value as one clean, capped line; None when empty or not text."""
    if value is None:
        return None
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    text = cap(clean_line(str(value)), limit)
    return text or None


def split_long(text: str, limit: int = PARAGRAPH_MAX_CHARS) -> list[str]:
    """``text`` in pieces of at most ``limit`` characters, cut after a sentence end or at a space
    where there is one in the last fifth of a piece (so a million-character "paragraph" still
    reaches the sentence splitter in readable sentences, and never all at once)."""
    if len(text) <= limit:
        return [text]
    pieces = []
    start = 0
    while len(text) - start > limit:
        window = text[start:start + limit]
        floor = int(limit * 0.8)
        cut = max(window.rfind(". ", floor), window.rfind("? ", floor), window.rfind("! ", floor))
        cut = cut + 1 if cut >= 0 else window.rfind(" ", floor)
        if cut <= 0:
            cut = limit
        pieces.append(text[start:start + cut].strip())
        start += cut
    pieces.append(text[start:].strip())
    return [p for p in pieces if p]


# Characters that start Markdown syntax anywhere in a line (emphasis, code, links, images, HTML,
# tables, Streamlit's :color[...] and :material/...: directives) or at its start (headings, lists,
# quotes, rules). Escaping them all is simpler and safer than knowing which context is which.
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|:~=$&])")


# GFM autolinks bare URLs, www. names and e-mail addresses even when their punctuation is escaped
# (Streamlit does): a zero-width space before "://", after "www" and before "@" keeps them text.
_AUTOLINK = re.compile(r"(?=\\://)|(?i:(?<=www)(?=\\\.))|(?=@)")


def escape_markdown(text: object) -> str:
    """``text`` shown literally by a Markdown renderer (Streamlit's st.markdown, st.caption,
    expander labels, a Markdown report): every syntax character backslash-escaped, line breaks
    kept as spaces so a quote cannot open a new block. No link, image, HTML or directive survives,
    nor a bare URL or e-mail address turned into a link."""
    return _AUTOLINK.sub("\u200b", _MARKDOWN.sub(r"\\\1", clean_line(str(text))))


def escape_html(text: object) -> str:
    """``text`` as inert HTML (element content or a quoted attribute)."""
    return html.escape(clean_text(str(text)), quote=True)


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def restore_cell(value: str | None) -> str | None:
    """A cell read back from a file ``neutralise_cell`` wrote: the apostrophe it put before a
    formula-like start is taken off again (a sentence "- we audit..." is that sentence, not "'- we...")."""
    if value and value.startswith("'") and value[1:].startswith(_FORMULA_START):
        return value[1:]
    return value


def neutralise_cell(value: object) -> object:
    """A spreadsheet cell that cannot run as a formula: text starting with = + - @ (or a tab or
    line break, or their full-width forms) gets a leading apostrophe, as OWASP advises for CSV
    injection. Numbers are left alone (a negative number is not a formula)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value
