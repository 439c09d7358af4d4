"""A list of phrases as one case-insensitive regex, with a cheap test that rules a text out first.

Python's regex engine finds no literal prefix in a case-insensitive alternation, and none at all when
the alternatives open with a look-behind (a whole-word test), so it tries every phrase at every
character of the text. The gate and the rubric's claims and subjects ask such lists of every sentence
of a long report, and most sentences hold none of their words. Every phrase has a word it cannot
match without; if the text's lower case holds none of them (searched case-sensitively, so the engine
skips ahead by their first letters), the regex cannot match either, and is not run.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# Characters other than ASCII that a case-insensitive regex matches to an ASCII letter ("İ" to "i",
# "ı" to "I", "ſ" to "s", the Kelvin sign to "k"); where one occurs the lower case proves nothing.
_FOLDS_TO_ASCII = re.compile("[\u0130\u0131\u017f\u212a]")


class PhrasePattern:
    """``pattern`` (case-insensitive), and ``words``: for each of its phrases, one word (ASCII, as
    written in the phrase) that any match of that phrase contains. A word that is not ASCII may match
    text whose lower case does not hold it: then there is no test, and ``pattern`` always runs."""

    def __init__(self, pattern: re.Pattern, words: Iterable[str]) -> None:
        self.pattern = pattern
        words = {word.lower() for word in words}
        usable = bool(words) and all(word and word.isascii() for word in words)
        # "board" already rules out every text that "boards" would: keep the shortest that cover all
        anchors = sorted(w for w in words if not any(other != w and other in w for other in words))
        self._anchors = re.compile("|".join(re.escape(w) for w in anchors)) if usable else None

    def absent(self, text: str) -> bool:
        """True when the pattern cannot match ``text`` (False says nothing)."""
        if self._anchors is None or (not text.isascii() and _FOLDS_TO_ASCII.search(text)):
            return False
        return self._anchors.search(text.lower()) is None

    def search(self, text: str) -> re.Match | None:
        return None if self.absent(text) else self.pattern.search(text)

    def spans(self, text: str) -> list[tuple[int, int]]:
        return [] if self.absent(text) else [m.span() for m in self.pattern.finditer(text)]


def longest_word(phrase: str) -> str:
    """The phrase's longest word (usually its rarest): what ``PhrasePattern`` looks for."""
    return max(phrase.split(), key=len, default="")


def standalone_at(text: str, term: str) -> list[int]:
    """Where ``term`` starts in ``text`` with no letter a-z touching it, left to right and not
    overlapping: what ``re.finditer(r"(?<![a-z])term(?![a-z])")`` finds, by ``str.find`` (a regex
    that opens with a look-behind is tried at every character of the text)."""
    if not term:
        return [m.start() for m in re.finditer(r"(?<![a-z])(?![a-z])", text)]
    found, size, length = [], len(term), len(text)
    at = text.find(term)
    while at != -1:
        end = at + size
        if (at == 0 or not "a" <= text[at - 1] <= "z") and (end == length or not "a" <= text[end] <= "z"):
            found.append(at)
            at = text.find(term, end)
        else:
            at = text.find(term, at + 1)
    return found
