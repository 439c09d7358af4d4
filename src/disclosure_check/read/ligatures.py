"""Words whose ligature PDFium cannot decode, mended with the English word list.

Designed PDFs set "ff", "fi", "ffi" and the like as one glyph. When a font maps such a glyph to a
control code, PDFium returns that code ("Su\x80icient"); when the map is partial it returns part
of it and then invents a space, the glyph being wider than the letter it read ("Of icer"). Such
words mislead the classifiers and cannot be found on the page. A word with an unreadable glyph, or
two pieces of a line closer than any word space, is mended when putting back one of the ligatures
makes a word of the English word list (language.py); otherwise it is left as it was read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from disclosure_check.read.language import english_words
from disclosure_check.read.page_content import UNREADABLE, Word

LIGATURES = ("ff", "fi", "fl", "ffi", "ffl", "f")


def _known(text: str) -> bool:
    letters = "".join(ch for ch in text.lower() if ch.isalpha())
    return bool(letters) and letters in english_words()


def _trailing(text: str) -> str:
    """The text's trailing punctuation ("Officer," -> ","), looked past when checking the word."""
    end = len(text)
    while end and not text[end - 1].isalnum():
        end -= 1
    return text[end:]


def mend(words: Sequence[Word]) -> list[Word]:
    """The words with broken ligatures mended (words in content order, as PDFium gives them)."""
    out: list[Word] = []
    for word in words:
        if UNREADABLE in word.text:
            word = replace(word, text=_fill(word.text))
        if out:
            last = out[-1]
            gap = word.x0 - last.x1
            if (-0.5 < gap < 0.15 * max(word.size, 1.0) and abs(word.top - last.top) < 1.0
                    and last.text[-1:].isalpha() and word.text[:1].islower()):
                joined = _join(last.text, word.text)
                if joined is not None:
                    out[-1] = replace(last, text=joined, x1=max(last.x1, word.x1), top=min(last.top, word.top),
                                      bottom=max(last.bottom, word.bottom))
                    continue
        out.append(word)
    return out


def _fill(text: str) -> str:
    head, _, tail = text.partition(UNREADABLE)
    for ligature in (*LIGATURES, ""):
        candidate = head + ligature + tail
        if _known(candidate[: len(candidate) - len(_trailing(candidate))]):
            return candidate
    return text.replace(UNREADABLE, "")


def _join(left: str, right: str) -> str | None:
    """``left`` and ``right`` as one word with a lost ligature put back, if that makes a word.
    (Never joined bare: the word list, drawn from real extracted statements, holds run-together
    errors such as "ofthe".)"""
    core = right[: len(right) - len(_trailing(right))]
    for ligature in LIGATURES:
        if _known(left + ligature + core):
            return left + ligature + right
    return None
