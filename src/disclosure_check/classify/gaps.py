"""Token patterns with bounded gaps (``{"OP": "{0,14}"}``), matched without spaCy's state explosion.

spaCy's Matcher writes ``{0,14}`` as fourteen optional tokens and follows every way through them
without merging the ways that reach the same token: a gap that could take k of a sentence's words
is walked C(14, k) times, and a pattern with three gaps multiplies them (rule ``c04.ms_in_finance_policy``
took 2 to 4 CPU seconds on one 31-word sentence that held its words). ``GapMatcher`` finds the same
matches from sets of reachable positions: spaCy still decides which token meets which token
specification (one one-token pattern per specification, so every attribute and operator spaCy
knows means what it meant), and the quantifiers are applied here, as bit sets of positions, so a
gap costs one step per word it may take.

It returns what ``spacy.matcher.Matcher`` returns for the pattern: every (key, start, end) such that
the words from start to end meet the pattern, each once. Only patterns it can match exactly are
taken (``supports``): quantifiers ``1``, ``?``, ``{n}``, ``{n,m}`` and ``{,m}``, the first and the last
token required (spaCy ends a match at an optional last token in its own way); others stay with
spaCy's Matcher.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

_BOUNDS = re.compile(r"^\{(\d*),?(\d*)\}$")


def bounds(op: str) -> tuple[int, int] | None:
    """(least, most) tokens a quantifier takes, or None when it is not one ``GapMatcher`` handles."""
    if op == "1":
        return 1, 1
    if op == "?":
        return 0, 1
    found = _BOUNDS.match(op)
    if not found:
        return None
    low, high = found.groups()
    if "," not in op:  # {n}
        return (int(low), int(low)) if low else None
    if not high:  # {n,}: unbounded
        return None
    return int(low or 0), int(high)


def supports(tokens: Sequence[Mapping]) -> bool:
    """Whether ``tokens`` has a bounded gap and only quantifiers ``GapMatcher`` matches exactly."""
    if not tokens:
        return False
    ops = [str(t.get("OP", "1")) for t in tokens]
    if any(bounds(op) is None for op in ops) or ops[0] != "1" or ops[-1] != "1":
        return False
    return any(op.startswith("{") for op in ops)


class GapMatcher:
    """One token pattern (``supports`` it) under one key; called on a Doc like spaCy's Matcher."""

    def __init__(self, vocab, key: str, tokens: Sequence[Mapping]) -> None:
        from spacy.matcher import Matcher

        if not supports(tokens):
            raise ValueError(f"pattern '{key}' needs spaCy's Matcher: {tokens!r}")
        self.key = vocab.strings.add(key)
        self._specs = Matcher(vocab, validate=True)  # which token meets which specification
        self._elements: list[tuple[int, int, int]] = []  # (specification, least, most)
        names: dict[str, int] = {}
        for token in tokens:
            spec = {name: value for name, value in token.items() if name != "OP"}
            name = repr(sorted(spec.items()))
            if name not in names:
                names[name] = vocab.strings.add(f"{key}#{len(names)}")
                self._specs.add(vocab.strings[names[name]], [[spec]])
            low, high = bounds(str(token.get("OP", "1")))  # type: ignore[misc]
            self._elements.append((names[name], low, high))

    def __len__(self) -> int:
        return 1

    def __call__(self, doc) -> list[tuple[int, int, int]]:
        meets: dict[int, int] = {}  # specification -> bit set of the tokens that meet it
        for spec, start, _ in self._specs(doc):
            meets[spec] = meets.get(spec, 0) | (1 << start)
        first_spec = self._elements[0][0]
        starts = meets.get(first_spec, 0)
        if not starts:
            return []
        runs: dict[tuple[int, int], list[int]] = {}  # (spec, k): tokens that start k meeting tokens in a row
        out = []
        position = 0
        while starts:
            if starts & 1:
                for end in self._ends(position, meets, runs):
                    out.append((self.key, position, end))
            starts >>= 1
            position += 1
        return out

    def _ends(self, start: int, meets: dict[int, int], runs: dict[tuple[int, int], list[int]]) -> list[int]:
        """Where the pattern can end when it starts at ``start``, in order (positions as bits: bit p
        is "the next token to read is p")."""
        reach = 1 << start
        for spec, low, high in self._elements:
            rows = runs.get((spec, high))
            if rows is None:  # rows[k]: tokens p with p .. p+k-1 all meeting spec
                rows = [-1]
                bits = meets.get(spec, 0)
                for _ in range(high):
                    rows.append(rows[-1] & (bits >> (len(rows) - 1)))
                runs[(spec, high)] = rows
            nxt = 0
            for k in range(low, high + 1):
                nxt |= (reach & rows[k]) << k
            reach = nxt
            if not reach:
                return []
        ends, position = [], 0
        while reach:
            if reach & 1:
                ends.append(position)
            reach >>= 1
            position += 1
        return ends
