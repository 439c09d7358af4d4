"""Words and stems for keyword search, one definition for both back-ends.

A text's words are its runs of letters and digits, lower-cased (what SQLite FTS5's ``unicode61``
tokenizer reads, diacritics kept). A word's stem is the Porter stemmer as SQLite FTS5's ``porter``
tokenizer applies it: SQLite indexes stems itself; PostgreSQL is given the stems computed here
(its own Snowball stemmers differ: "technology" is "technologi" there, "technolog" in SQLite), so
the two back-ends find the same documents. ``tests/test_search.py`` checks this stemmer against
SQLite's on every word of the bundled samples.

What a person types is a ``Term``: a word (matched by its stem: "survivors" finds "survivor"), a
prefix (``traffick*``: any word that begins so) or a phrase (``"forced labour"``, or a word with a
hyphen or apostrophe in it: the words exactly, in order)."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

WORD = re.compile(r"(?:[^\W_]|[\ue000-\uf8ff])+")  # letters, digits, private-use glyphs (as unicode61)
FOLD = {"µ": "μ", "ς": "σ"}  # unicode61's case folding where it differs from Python's
MAX_STEMMED = 64  # bytes: longer words (and words under 3 bytes) are their own stem, as in SQLite
PG_TSVECTOR_BYTES = 900_000  # a tsvector holds at most 1 MB of lexemes
PG_MAX_WORD = 500  # bytes: PostgreSQL refuses lexemes over 2 KiB; longer "words" are never searched for


def fold(word: str) -> str:
    """Lower case as SQLite's unicode61 folds it (one letter for one, diacritics kept)."""
    if word.isascii():
        return word.lower()
    return "".join(FOLD.get(c) or (c.lower() if len(c.lower()) == 1 else c) for c in word)


def words(text: str) -> list[str]:
    return [fold(w) for w in WORD.findall(text)]


# -- the Porter stemmer (M. F. Porter, 1980), with SQLite FTS5's departures -----------------------
def _consonants(word: str) -> list[bool]:
    """Whether each letter is a consonant: 'y' is one unless it follows a consonant."""
    flags: list[bool] = []
    for c in word:
        flags.append(not (c in "aeiou" or (c == "y" and bool(flags) and flags[-1])))
    return flags


def _measure(stem: str) -> int:
    """Porter's m: how many vowel-consonant sequences the stem holds."""
    m, previous = 0, True
    for consonant in _consonants(stem):
        if consonant and not previous:
            m += 1
        previous = consonant
    return m


def _has_vowel(stem: str) -> bool:  # SQLite counts any 'y' after the first letter a vowel here
    return any(c in "aeiou" or (c == "y" and i > 0) for i, c in enumerate(stem))


def _cvc(stem: str) -> bool:
    """Ends consonant-vowel-consonant, the last not w, x or y."""
    flags = _consonants(stem)
    return len(stem) >= 3 and stem[-1] not in "wxy" and flags[-3:] == [True, False, True]


STEP2 = (("ational", "ate"), ("tional", "tion"), ("enci", "ence"), ("anci", "ance"), ("izer", "ize"),
         ("logi", "log"), ("bli", "ble"), ("alli", "al"), ("entli", "ent"), ("eli", "e"), ("ousli", "ous"),
         ("ization", "ize"), ("ation", "ate"), ("ator", "ate"), ("alism", "al"), ("iveness", "ive"),
         ("fulness", "ful"), ("ousness", "ous"), ("aliti", "al"), ("iviti", "ive"), ("biliti", "ble"))
STEP3 = (("icate", "ic"), ("ative", ""), ("alize", "al"), ("iciti", "ic"), ("ical", "ic"), ("ful", ""),
         ("ness", ""))
STEP4 = ("al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ion", "ou", "ism",
         "ate", "iti", "ous", "ive", "ize")


def _rule(word: str, rules: Sequence[tuple[str, str]]) -> tuple[str, str] | None:
    """The step's rule for this word: the first whose suffix it ends with among those sharing its
    last-but-one letter (Porter's switch), the stem left non-empty."""
    for suffix, replacement in rules:
        if len(word) > len(suffix) and suffix[-2] == word[-2] and word.endswith(suffix):
            return suffix, replacement
    return None


def _replace(word: str, rules: Sequence[tuple[str, str]], minimum: int) -> str:
    found = _rule(word, rules)
    if found is None:
        return word
    stem = word[:-len(found[0])]
    if found[0] == "ion" and stem[-1:] not in ("s", "t"):
        return word
    return stem + found[1] if _measure(stem) > minimum else word


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The stem SQLite FTS5's ``porter`` tokenizer indexes for ``word`` (lower-case letters)."""
    size = len(word.encode("utf-8"))
    if size < 3 or size > MAX_STEMMED:
        return word
    w = word.encode("utf-8").decode("latin-1")  # SQLite stems bytes: a non-ASCII byte is a consonant
    # Step 1a: plurals.
    if w.endswith("s"):
        if w.endswith("es"):
            w = w[:-2] if (len(w) > 4 and w.endswith("sses")) or (len(w) > 3 and w.endswith("ies")) else w[:-1]
        elif not w.endswith("ss"):
            w = w[:-1]
    # Step 1b: -ed, -ing.
    removed = False
    if len(w) > 3 and w.endswith("eed"):
        if _measure(w[:-3]) > 0:
            w = w[:-1]
    elif len(w) > 2 and w.endswith("ed") and _has_vowel(w[:-2]):
        w, removed = w[:-2], True
    elif len(w) > 3 and w.endswith("ing") and _has_vowel(w[:-3]):
        w, removed = w[:-3], True
    if removed and len(w) >= 2:
        if w[-2:] in ("at", "bl", "iz") and len(w) > 2:
            w += "e"
        elif w[-1] not in "aeioulsz" and w[-1] == w[-2]:
            w = w[:-1]
        elif _measure(w) == 1 and _cvc(w):
            w += "e"
    # Step 1c: y after a vowel-bearing stem is i.
    if w.endswith("y") and _has_vowel(w[:-1]):
        w = w[:-1] + "i"
    if len(w) >= 2:
        w = _replace(w, STEP2, 0)
        w = _replace(w, STEP3, 0)
        w = _replace(w, [(s, "") for s in STEP4], 1)
    # Step 5: a final e, a double l.
    if w.endswith("e") and (_measure(w[:-1]) > 1 or (_measure(w[:-1]) == 1 and not _cvc(w[:-1]))):
        w = w[:-1]
    if len(w) > 1 and w.endswith("ll") and _measure(w[:-1]) > 1:
        w = w[:-1]
    return w.encode("latin-1").decode("utf-8")


# -- what a person types ------------------------------------------------------------------------
@dataclass(frozen=True)
class Term:
    text: str  # as typed (the label shown and put in a viewer link)
    words: tuple[str, ...]  # lower-cased
    kind: str  # "word" (any word with its stem), "prefix" (any word beginning so) or "phrase" (exact words in order)

    @property
    def stem(self) -> str:
        return stem(self.words[0])

    def matches(self, word: str) -> bool:
        """Whether one word of a text is this word or prefix term (phrases: ``find``)."""
        if self.kind == "prefix":
            return word.startswith(self.words[0])
        return word == self.words[0] or stem(word) == self.stem


def to_term(typed: str, *, quoted: bool = False) -> Term | None:
    """A term from one thing typed (in "quotes": a phrase, even of one word); None when it has no word
    in it."""
    if len(typed) > 1 and typed.startswith('"') and typed.endswith('"'):
        typed, quoted = typed[1:-1].strip(), True
    found = words(typed)
    if not found:
        return None
    if quoted or len(found) > 1:
        return Term(typed, tuple(found), "phrase")
    prefix = not quoted and typed.rstrip().endswith("*")
    return Term(typed, tuple(found), "prefix" if prefix else "word")


def parse(text: str) -> tuple[Term, ...]:
    """Terms from what a person types: comma- or space-separated words, "quoted phrases" kept whole,
    ``word*`` a prefix. A term with no word in it ("*", "-") is dropped: it would match everything or
    nothing, not what was meant. Repeats are dropped."""
    terms: list[Term] = []
    for phrase, word in re.findall(r'"([^"]+)"|([^\s,"]+)', text or ""):
        typed = " ".join((phrase or word).split()).strip()
        term = to_term(typed, quoted=bool(phrase))
        if term is not None and phrase and len(term.words) == 1:  # "word": exactly that word, quotes kept
            term = replace(term, text=f'"{typed}"')
        if term is not None and (term.kind, term.words) not in ((t.kind, t.words) for t in terms):
            terms.append(term)
    return tuple(terms)


# -- hits in one text -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Hit:
    start: int  # offsets in the stored text
    end: int
    term: str  # the term as typed
    page: int | None  # None: the text was stored without its pages


def tokens(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), fold(m.group())) for m in WORD.finditer(text)]


PLAIN = re.compile(r"[^\W_]+")  # WORD for the usual text, with no private-use glyph (three times faster)
PRIVATE = re.compile(r"[\ue000-\uf8ff]")
AFTER = r"(?![^\W_])(?![\ue000-\uf8ff])"  # no word character after a match (before it: checked apart)
GAP = r"(?:(?![\ue000-\uf8ff])[\W_])+"  # what separates two words


def _either(forms: Iterable[str]) -> str:
    return "(?:" + "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True)) + ")"


def _word_character(c: str) -> bool:
    return (c.isalnum() and c != "_") or "\ue000" <= c <= "\uf8ff"


def find(text: str, terms: Iterable[Term], pages: Sequence[tuple[int, int]] | None = None) -> list[Hit]:
    """Every place in ``text`` a term matches, in reading order (one hit per word, or per phrase).
    The text's distinct words are matched against the terms once; the places are then found by a
    regular expression of the words as they are written there."""
    forms: dict[str, list[str]] = {}  # each distinct word, folded -> as written
    for written in set((WORD if PRIVATE.search(text) else PLAIN).findall(text)):
        forms.setdefault(fold(written), []).append(written)
    offsets = [p[0] for p in pages] if pages else []
    hits: list[Hit] = []
    for term in terms:
        if term.kind == "phrase":
            if not all(w in forms for w in term.words):
                continue
            pattern = GAP.join(_either(forms[w]) for w in term.words)
        else:
            matching = [written for word, each in forms.items() if term.matches(word) for written in each]
            if not matching:
                continue
            pattern = _either(matching)
        for m in re.finditer(pattern + AFTER, text):  # a literal first: the regex engine scans for it fast
            if m.start() and _word_character(text[m.start() - 1]):
                continue  # the end of a longer word
            page = pages[max(bisect_right(offsets, m.start()) - 1, 0)][1] if pages else None
            hits.append(Hit(m.start(), m.end(), term.text, page))
    return sorted(hits, key=lambda h: (h.start, h.end))


def page_at(pages: Sequence[tuple[int, int]] | None, offset: int) -> int | None:
    """The page an offset of the text is on, from (offset where a page starts, page) pairs."""
    if not pages:
        return None
    at = bisect_right([p[0] for p in pages], offset) - 1
    return pages[max(at, 0)][1]


def snippet(text: str, hit: Hit, width: int = 80, pages: Sequence[tuple[int, int]] | None = None) -> str:
    """Some words either side of a hit, on its own page, the hit marked [[ ]], on one line."""
    low, high = 0, len(text)
    if pages:
        offsets = [p[0] for p in pages]
        at = max(bisect_right(offsets, hit.start) - 1, 0)
        low, high = offsets[at], offsets[at + 1] if at + 1 < len(offsets) else len(text)
    start, end = max(hit.start - width, low), min(hit.end + width, high)
    if start > low and not text[start - 1].isspace():  # begin and end on a word boundary
        space = text.find(" ", start, hit.start)
        start = space + 1 if space >= 0 else start
    if end < high and not text[end].isspace():
        space = text.rfind(" ", hit.end, end)
        end = space if space >= 0 else end
    piece = text[start:hit.start] + "[[" + text[hit.start:hit.end] + "]]" + text[hit.end:end]
    return ("…" if start > 0 else "") + " ".join(piece.split()) + ("…" if end < len(text) else "")


# -- PostgreSQL's index values ---------------------------------------------------------------------
def index_words(text: str) -> tuple[list[str], list[str]]:
    """The distinct words and the distinct stems of a text (PostgreSQL's ``words`` and ``stems``)."""
    distinct = {w for w in words(text) if len(w.encode("utf-8")) <= PG_MAX_WORD}
    return _fitting(distinct), _fitting({stem(w) for w in distinct})


def _fitting(lexemes: set[str]) -> list[str]:
    """Sorted, and no more than a ``tsvector`` holds (1 MB): past that (a text of hundreds of thousands
    of distinct "words", OCR noise), the longest are left out rather than the document refused."""
    if sum(len(w) for w in lexemes) < PG_TSVECTOR_BYTES // 8:  # far below the limit whatever the encoding
        return sorted(lexemes)
    kept, total = [], 0
    for w in sorted(lexemes, key=lambda w: (len(w.encode("utf-8")), w)):
        total += len(w.encode("utf-8")) + 8  # the lexeme and its entry
        if total > PG_TSVECTOR_BYTES:
            break
        kept.append(w)
    return sorted(kept)


def tsquery_lexeme(word: str, *, prefix: bool = False) -> str:
    """One lexeme as a ``tsquery`` literal (quoted: no parser, no dictionary)."""
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'" + (":*" if prefix else "")
