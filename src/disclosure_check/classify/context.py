"""What a sentence classifier sees: the sentence with its neighbours, heading, position and rule hits."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from disclosure_check.read.segment import split_glued_heading


@dataclass(frozen=True)
class SentenceContext:
    text: str
    prev: str = ""
    next: str = ""
    heading: str = ""
    position: float = 0.0  # 0 = first sentence of the document, 1 = last
    rules: tuple[str, ...] = ()  # element ids whose rules fired on this sentence
    section: str = ""  # the nearest heading-like line above the sentence (``section_headings``)


def build_contexts(
    texts: Sequence[str],
    headings: Sequence[str | None] | None = None,
    rule_hits: Sequence[dict] | None = None,
) -> list[SentenceContext]:
    """Contexts for one document's sentences, given in reading order."""
    n = len(texts)
    sections = section_headings(texts)
    contexts = []
    for i, text in enumerate(texts):
        contexts.append(SentenceContext(
            text=text,
            prev=texts[i - 1] if i > 0 else "",
            next=texts[i + 1] if i + 1 < n else "",
            heading=(headings[i] or "") if headings is not None else "",
            position=i / (n - 1) if n > 1 else 0.0,
            rules=tuple(sorted(rule_hits[i])) if rule_hits is not None else (),
            section=sections[i],
        ))
    return contexts


def split_headings(texts: Sequence[str]) -> tuple[list[str], list[str | None]]:
    """For text-only inputs (labelled CSVs): carry each glued ALL-CAPS heading forward as context."""
    bodies: list[str] = []
    headings: list[str | None] = []
    current: str | None = None
    for text in texts:
        heading, body = split_glued_heading(text)
        if heading is not None:
            current = heading
        bodies.append(body if body.strip() else text)
        headings.append(current)
    return bodies, headings


_WORD = re.compile(r"[^\W\d_][\w'’&-]*")
_MINOR = frozenset({"and", "of", "the", "to", "in", "for", "on", "a", "an", "at", "by", "with", "or", "its", "&"})
_LEGAL_NAME = re.compile(r"\b(?:pty|ltd|limited|inc|llc|plc|corp|corporation|gmbh|l\.?p)\b\.?", re.I)
_CLAUSE = frozenset({"we", "it", "this", "these", "they", "he", "she", "there", "i", "is", "are", "was", "were", "has",
                     "have", "had", "will", "can", "may", "must", "should", "does", "do", "includes", "include"})
FURNITURE_REPEATS = 3  # a line seen this often in one document is a running header, not a section


def heading_like(text: str) -> bool:
    """A short line that reads as a section title ("Our Supply Chains", "RISK ASSESSMENT",
    "Due diligence"): no closing punctuation, no colon, no trailing number (contents lines, page
    marks), no company name (lists of entities), capitalised words or at most five words."""
    text = text.strip()
    if not text or len(text) > 90 or text[-1] in ".:;,!?)" or ":" in text or text[-1].isdigit():
        return False
    words = text.split()
    if len(words) > 10 or _LEGAL_NAME.search(text):
        return False
    letters = [w for w in words if _WORD.match(w)]
    if not letters or len(letters) < len(words) - 1 or not letters[0][0].isupper():
        return False
    if letters[-1].lower() in _MINOR:  # "Working Hours and" is a line cut mid-phrase
        return False
    if text.isupper():
        return len(text) >= 4
    content = [w for w in letters if w.lower() not in _MINOR]
    capitals = sum(w[0].isupper() for w in content)
    if capitals == len(content):
        return True
    return len(words) <= 5 and not any(w.lower() in _CLAUSE for w in letters)  # "Due diligence", not "We are"


def section_headings(texts: Sequence[str]) -> list[str]:
    """For each sentence of one document (reading order), the nearest heading-like line before
    it. Computed from the sentences alone, so labelled CSVs (one sentence a line) and segmented
    PDFs (where heading blocks are sentences too) give a model the same feature; a line repeated
    ``FURNITURE_REPEATS`` times or more (a running header) never starts a section."""
    counts = Counter(" ".join(t.lower().split()) for t in texts)
    out, current = [], ""
    for text in texts:
        out.append(current)
        if heading_like(text) and counts[" ".join(text.lower().split())] < FURNITURE_REPEATS:
            current = text.strip()
    return out
