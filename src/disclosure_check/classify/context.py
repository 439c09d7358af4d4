"""What a sentence classifier sees: the sentence with its neighbours, heading, position and rule hits."""

from __future__ import annotations

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


def build_contexts(
    texts: Sequence[str],
    headings: Sequence[str | None] | None = None,
    rule_hits: Sequence[dict] | None = None,
) -> list[SentenceContext]:
    """Contexts for one document's sentences, given in reading order."""
    n = len(texts)
    contexts = []
    for i, text in enumerate(texts):
        contexts.append(SentenceContext(
            text=text,
            prev=texts[i - 1] if i > 0 else "",
            next=texts[i + 1] if i + 1 < n else "",
            heading=(headings[i] or "") if headings is not None else "",
            position=i / (n - 1) if n > 1 else 0.0,
            rules=tuple(sorted(rule_hits[i])) if rule_hits is not None else (),
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
