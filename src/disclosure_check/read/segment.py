"""Document -> sentences with page, character offsets and the nearest heading.

spaCy's blank English pipeline with the rule-based sentencizer, plus rules for what PDFs do to
text: list markers, headings glued to the first sentence, numbered clauses and fragments that are
not sentences at all (page furniture, lone numbers).
"""

from __future__ import annotations

import hashlib
import re
import sys
import types
from bisect import bisect_left
from collections.abc import Collection, Iterable, Iterator
from functools import lru_cache
from operator import attrgetter

from disclosure_check.read.paragraphs import CELL_SEPARATOR, paragraph_pieces
from disclosure_check.types import Block, Box, Document, Sentence, spans_to_boxes

MAX_WORDS = 120  # a "sentence" longer than this is a table or run-on text: split it
MAX_CHARS = 2_000  # nor may it be longer than this (120 long words, or one endless "word")
_MARKER = re.compile(r"^\s*(?:[•●▪■◦‣∙·○□➢➤►▸–—\-*]+|\(?(?:\d{1,2}(?:\.\d{1,2})*|[a-z]|[ivx]{1,4})[.)])\s+", re.I)
_GLUED_HEADING = re.compile(
    r"^((?:[A-Z0-9&'’,/()\-]+\s+){1,12}?[A-Z0-9&'’/()\-]*[A-Z]{2,}[A-Z0-9&'’/()\-]*)\s+(?=[A-Z][a-z])"
)
_LETTER = re.compile(r"[^\W\d_]")
# A line that is only a year, a span of years or a month and year ("2016", "2016 - 2017", "December
# 2018"): kept as a sentence (outside tables), because under a title or a "Financial Year Ending 31st
# December" line it is the period the statement covers.
_YEAR_LINE = re.compile(r"(?i)\s*(?:(?:\d{1,2}(?:st|nd|rd|th)?\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
                        r"[a-z]*\.?,?\s+)?(?:19|20)\d\d(?:\s*[/\-–—]\s*(?:19|20)?\d\d)?\s*\.?\s*")
_FOOTNOTE_MARK = re.compile(r"^(?:\d{1,3}|[*†‡§¹²³⁴⁵⁶⁷⁸⁹⁰]+)[.)]?\s+")


@lru_cache(maxsize=1)
def sentence_pipeline():
    """The blank English pipeline with a sentencizer; no download, built once per process."""
    spacy = import_spacy()
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def import_spacy():
    """``import spacy`` without its command-line interface. spaCy's ``__init__`` imports
    ``spacy.cli`` for one name (``spacy.info``), and with it typer, weasel, httpx and rich: about a
    quarter of spaCy's import time, paid by every ``disclosure-check`` start for commands scoring
    never runs. A placeholder stands in for ``spacy.cli`` while spaCy imports and is removed
    afterwards, so a later ``import spacy.cli`` imports the real one (as ``spacy.info`` does)."""
    if "spacy" in sys.modules:
        return sys.modules["spacy"]

    def info(*args, **kwargs):
        from spacy.cli.info import info as spacy_info

        return spacy_info(*args, **kwargs)

    placeholder = types.ModuleType("spacy.cli")
    placeholder.__path__ = []
    placeholder_info = types.ModuleType("spacy.cli.info")
    placeholder_info.info = info
    stand_ins = {"spacy.cli": placeholder, "spacy.cli.info": placeholder_info}
    missing = [name for name in stand_ins if name not in sys.modules]
    sys.modules.update({name: stand_ins[name] for name in missing})
    try:
        import spacy
    finally:
        for name in missing:
            if sys.modules.get(name) is stand_ins[name]:
                del sys.modules[name]
    if getattr(spacy, "cli", None) is placeholder:
        del spacy.cli
    return spacy


def is_sentence_like(text: str) -> bool:
    """At least two words with letters: drops lone numbers, bullets and page furniture."""
    return sum(1 for token in text.split() if _LETTER.search(token)) >= 2


def is_date_line(text: str) -> bool:
    """A line that is only a year, a span of years or a date ("2016", "2016 - 2017", "December 2018."):
    kept for the gate's period, not something the classifiers read."""
    return bool(_YEAR_LINE.fullmatch(text))


def _kept_whole(block) -> bool:
    """A signature block is kept even as one word ("CEO", "Director" on its own line under a name):
    the gate reads it with the name line before it. Other whole blocks need two words."""
    if block.kind == "signature_block":
        return bool(_LETTER.search(block.text))
    return is_sentence_like(block.text)


def split_glued_heading(text: str) -> tuple[str | None, str]:
    """Split an ALL-CAPS heading from the sentence it was glued to ("OUR SUPPLY CHAIN We buy ...")."""
    match = _GLUED_HEADING.match(text)
    if not match:
        return None, text
    heading = match.group(1).strip()
    if len(heading) < 8 or not is_sentence_like(heading):
        return None, text
    return heading, text[match.end():]


def strip_marker(text: str) -> tuple[int, str]:
    """Remove a leading bullet or list number; return how many characters went."""
    match = _MARKER.match(text)
    if not match:
        return 0, text
    return match.end(), text[match.end():]


def _chunks(text: str, start: int) -> Iterator[tuple[int, str]]:
    """Split run-on text into pieces of at most MAX_WORDS words and MAX_CHARS characters, at word
    boundaries (a single word longer than MAX_CHARS is cut into pieces of that length)."""
    first = last = None  # the current piece's span in ``text``
    count = 0
    for word in re.finditer(r"\S+", text):
        a, b = word.span()
        if first is not None and (count == MAX_WORDS or b - first > MAX_CHARS):
            yield start + first, text[first:last]
            first = None
        while b - a > MAX_CHARS:
            yield start + a, text[a : a + MAX_CHARS]
            a += MAX_CHARS
        if first is None:
            first, count = a, 0
        last = b
        count += 1
    if first is not None:
        yield start + first, text[first:last]


def _bounded(pieces: Iterable[tuple[int, str]]) -> list[tuple[int, str]]:
    """``pieces`` with any longer than MAX_CHARS split (a table cell or signature block is kept
    whole unless it is that long)."""
    return [chunk for start, text in pieces
            for chunk in ([(start, text)] if len(text) <= MAX_CHARS else _chunks(text, start))]


def document_to_sentences(doc: Document, pages: Collection[int] | None = None) -> tuple[Sentence, ...]:
    """Segment a Document's blocks into sentences, in reading order, each with its boxes.

    Every block a reader sees is segmented: headings and short lines too, so an "Approved by the
    Board" line or a signature block reaches the classifiers. A signature block or a table row is
    one unit, not split at its full stops. ``pages`` limits the sentences to blocks starting there
    (pages in another language are left out this way)."""
    nlp = sentence_pipeline()
    ocr_pages = {p.number for p in doc.pages if p.source == "ocr"}
    blocks = [b for b in doc.blocks if pages is None or b.page in pages]
    whole = [b.kind in ("signature_block", "table_row") for b in blocks]  # not split at full stops
    # A block longer than a page reaches the sentencizer in pieces (spaCy refuses a text over
    # nlp.max_length, and would hold it all at once).
    windows = [[] if keep else paragraph_pieces(b.text) for b, keep in zip(blocks, whole, strict=True)]
    parsed_windows = iter(nlp.pipe(b.text[s:e] for b, ranges in zip(blocks, windows, strict=True) for s, e in ranges))
    sentences: list[Sentence] = []
    heading: str | None = None
    for block, keep, ranges in zip(blocks, whole, windows, strict=True):
        if block.kind == "table_row":
            pieces = _bounded(_cells(block))  # a table is read cell by cell; its row is the context
        elif keep:
            pieces = _bounded([(block.start, block.text)]) if _kept_whole(block) else []
        else:
            pieces = []
            for window_start, _ in ranges:
                parsed = next(parsed_windows)
                pieces += [piece for sent in parsed.sents
                           for piece in _clean_pieces(sent.text, block.start + window_start + sent.start_char)]
            pieces = join_abbreviation_cuts(pieces)
        if block.kind == "footnote" and pieces:
            # A footnote's number is its mark, not part of what it says.
            start, text = pieces[0]
            mark = _FOOTNOTE_MARK.match(text)
            if mark:
                pieces[0] = (start + mark.end(), text[mark.end():])
        context = heading
        for start, text in pieces:
            glued = None
            if block.kind != "heading" and not keep:
                glued, rest = split_glued_heading(text)
                if glued is not None:
                    context = glued
                    start += len(text) - len(rest)
                    text = rest
            # A one-word signature line ("CEO" under a name) and a year line ("2016" under the title) are
            # kept; a table cell ("12", "n/a") is not.
            if not is_sentence_like(text) and not (block.kind == "signature_block" and _LETTER.search(text)) \
                    and not (block.kind in ("heading", "paragraph") and is_date_line(block.text)):
                continue
            boxes = _boxes(block, start, start + len(text))
            on_pages = {b.page for b in boxes} or {block.page}
            sentences.append(Sentence(
                index=len(sentences), text=text, page=min(on_pages), start=start, end=start + len(text),
                heading=context, kind=block.kind, boxes=boxes, ocr=bool(on_pages & ocr_pages),
                glued_heading=glued is not None))
        heading = block.text if block.kind == "heading" else context
    return tuple(sentences)


def _cells(block: Block) -> list[tuple[int, str]]:
    """(start, text) of each cell of a table row (the row's text joins them with " | ")."""
    pieces = []
    position = block.start
    for cell in block.cells:
        if cell.strip():
            pieces.append((position, cell))
        position += len(cell) + len(CELL_SEPARATOR)
    return pieces


def _boxes(block: Block, start: int, end: int) -> tuple[Box, ...]:
    """Line boxes of the block's words that fall within [start, end)."""
    spans = block.spans
    if not spans:
        return ()
    first = bisect_left(spans, start + 1, key=attrgetter("end"))  # no list of ends per sentence: linear in the block
    chosen = []
    for span in spans[first:]:
        if span.start >= end:
            break
        chosen.append(span)
    return spans_to_boxes(chosen)


# An abbreviation the sentencizer takes for a full stop, when the next piece goes on in lower case:
# "adequate resources (training etc.) and investment to ensure ..." is one sentence.
_ABBREVIATION_END = re.compile(r"(?:\b(?:etc|e\.g|i\.e|incl|approx|cf|viz|vs|no|nos|para|paras|ref|fig|p\.l\.c|ltd|inc|co|corp)\.\)?|\bet al\.)$",
                               re.I)


def join_abbreviation_cuts(pieces: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Pieces cut after an abbreviation ("etc.)", "e.g.", a company's "p.l.c.") joined to the lower-case
    piece that continues them ("approved by the A.G.BARR p.l.c." / "board of directors on 31 May 2017")."""
    out: list[tuple[int, str]] = []
    for start, text in pieces:
        if out and text[:1].islower() and _ABBREVIATION_END.search(out[-1][1]) \
                and len(out[-1][1]) + len(text) < MAX_CHARS:
            first, before = out[-1]
            out[-1] = (first, f"{before} {text}")
        else:
            out.append((start, text))
    return out


def _clean_pieces(text: str, start: int) -> Iterable[tuple[int, str]]:
    cut, body = strip_marker(text)
    start += cut
    stripped = body.strip()
    start += len(body) - len(body.lstrip())
    if not stripped:
        return []
    if len(stripped) <= MAX_CHARS and len(stripped.split()) <= MAX_WORDS:
        return [(start, stripped)]
    return list(_chunks(stripped, start))


def texts_to_sentences(texts: Iterable[str]) -> tuple[Sentence, ...]:
    """Sentences from plain text paragraphs (no pages): used for text-only inputs and tests."""
    sentences: list[Sentence] = []
    nlp = sentence_pipeline()
    windows: list[tuple[int, str]] = []  # each paragraph's pieces, offset in the texts joined by blank lines
    offset = 0
    for text in texts:
        windows += [(offset + start, text[start:end]) for start, end in paragraph_pieces(text)]
        offset += len(text) + 2
    for (offset, _), parsed in zip(windows, nlp.pipe(text for _, text in windows), strict=True):
        for sent in parsed.sents:
            for start, text in _clean_pieces(sent.text, offset + sent.start_char):
                if is_sentence_like(text):
                    sentences.append(Sentence(index=len(sentences), text=text, page=1, start=start,
                                              end=start + len(text)))
    return tuple(sentences)


def sentence_hash(text: str) -> str:
    """A short hash of a sentence's text: what names a sentence in a reviewer's evidence decision and
    in a pattern review (an index alone could point at another sentence after re-extraction)."""
    return hashlib.sha256(text.encode()).hexdigest()[:10]
