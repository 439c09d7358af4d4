"""Document -> sentences with page, character offsets and the nearest heading.

spaCy's blank English pipeline with the rule-based sentencizer, plus rules for what PDFs do to
text: list markers, headings glued to the first sentence, numbered clauses and fragments that are
not sentences at all (page furniture, lone numbers).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache

from .types import Document, Sentence

MAX_WORDS = 120  # a "sentence" longer than this is a table or run-on text: split it
_MARKER = re.compile(r"^\s*(?:[•●▪■◦‣∙·○□➢➤►▸–—\-*]+|\(?(?:\d{1,2}(?:\.\d{1,2})*|[a-z]|[ivx]{1,4})[.)])\s+", re.I)
_GLUED_HEADING = re.compile(
    r"^((?:[A-Z0-9&'’,/()\-]+\s+){1,12}?[A-Z0-9&'’/()\-]*[A-Z]{2,}[A-Z0-9&'’/()\-]*)\s+(?=[A-Z][a-z])"
)
_LETTER = re.compile(r"[^\W\d_]")


@lru_cache(maxsize=1)
def sentence_pipeline():
    """The blank English pipeline with a sentencizer; no download, built once per process."""
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def is_sentence_like(text: str) -> bool:
    """At least two words with letters: drops lone numbers, bullets and page furniture."""
    return sum(1 for token in text.split() if _LETTER.search(token)) >= 2


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
    """Split run-on text into pieces of at most MAX_WORDS words, at word boundaries."""
    words = list(re.finditer(r"\S+", text))
    for i in range(0, len(words), MAX_WORDS):
        part = words[i : i + MAX_WORDS]
        yield start + part[0].start(), text[part[0].start() : part[-1].end()]


def document_to_sentences(doc: Document) -> tuple[Sentence, ...]:
    """Segment a Document's paragraphs and list items into sentences, in reading order."""
    nlp = sentence_pipeline()
    bodies = [b for b in doc.blocks if b.kind != "heading"]
    headings: dict[int, str] = {}
    current: str | None = None
    for block in doc.blocks:
        if block.kind == "heading":
            current = block.text
        else:
            headings[block.start] = current
    sentences: list[Sentence] = []
    for block, parsed in zip(bodies, nlp.pipe(b.text for b in bodies), strict=True):
        heading = headings.get(block.start)
        for sent in parsed.sents:
            for start, text in _clean_pieces(sent.text, block.start + sent.start_char):
                glued, rest = split_glued_heading(text)
                if glued is not None:
                    heading = glued
                    start += len(text) - len(rest)
                    text = rest
                if not is_sentence_like(text):
                    continue
                sentences.append(Sentence(index=len(sentences), text=text, page=block.page, start=start,
                                          end=start + len(text), heading=heading))
    return tuple(sentences)


def _clean_pieces(text: str, start: int) -> Iterable[tuple[int, str]]:
    cut, body = strip_marker(text)
    start += cut
    stripped = body.strip()
    start += len(body) - len(body.lstrip())
    if not stripped:
        return []
    if len(stripped.split()) <= MAX_WORDS:
        return [(start, stripped)]
    return list(_chunks(stripped, start))


def texts_to_sentences(texts: Iterable[str]) -> tuple[Sentence, ...]:
    """Sentences from plain text paragraphs (no pages): used for text-only inputs and tests."""
    sentences: list[Sentence] = []
    offset = 0
    nlp = sentence_pipeline()
    for parsed in nlp.pipe(texts):
        for sent in parsed.sents:
            for start, text in _clean_pieces(sent.text, offset + sent.start_char):
                if is_sentence_like(text):
                    sentences.append(Sentence(index=len(sentences), text=text, page=1, start=start,
                                              end=start + len(text)))
        offset += len(parsed.text) + 2
    return tuple(sentences)
