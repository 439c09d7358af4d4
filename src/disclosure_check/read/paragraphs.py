"""Text boxes in reading order -> the blocks a reader sees: headings, paragraphs, list items,
captions, footnotes, table rows and signature blocks, each with its words' boxes.

The chain: ``box_units`` (a box's lines cut into paragraphs, list items and headings by bullets,
short last lines, indents, gaps and type) -> ``mark_signatures`` (name, title, date and "Signed"
lines at the end of the document) -> ``join_continuations`` (a paragraph cut by a column or page
break, or interrupted by a pull quote or caption, continues where its sentence does) ->
``units_to_blocks`` (text with line-end hyphens resolved, and a box per word).
"""

from __future__ import annotations

import re
import statistics
from bisect import bisect_left
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

from disclosure_check.read.layout import Line, TextBox, carries_on, small_capitals
from disclosure_check.sanitize import PARAGRAPH_MAX_CHARS, split_long
from disclosure_check.types import Block, Span

KINDS = ("heading", "paragraph", "list_item", "table_row", "caption", "footnote", "signature_block")

_BULLET_GLYPHS = "•●▪■◦‣∙·○□➢➤►▸✓✔–—*"
_BULLET = re.compile(rf"^(?:[{re.escape(_BULLET_GLYPHS)}-]|\(?(?:\d{{1,2}}|[a-z]|[ivx]{{1,4}})[.)])$", re.I)
_GLYPH = re.compile(rf"^[{re.escape(_BULLET_GLYPHS)}]+$")
_TERMINAL = (".", "!", "?", ":", ";", "”", '"', "’")
# a sentence's end with a footnote mark after it ("…environment.1"): a word of two letters or more
# before the stop, not an abbreviation that a number follows ("s.54", "No.1", "Art.5", "Fig.3")
_NOTED_END = re.compile(r"(?<![^\W\d_])([^\W\d_]{2,})[.!?][\d⁰¹²³⁴⁵⁶⁷⁸⁹]{1,2}$")
_NUMBERED = frozenset({"no", "nos", "nr", "art", "arts", "fig", "figs", "p", "pp", "para", "paras", "s", "ss", "sec",
                       "sect", "ch", "chap", "vol", "reg", "regs", "cl", "sch", "pt", "tab", "ed", "op", "ref", "ex",
                       "app", "annex", "rule", "item", "note", "page", "step", "v", "ver", "vs"})
_CAPTION = re.compile(r"^(?:figure|fig\.|table|chart|graph|exhibit|diagram|photo|image|source|note)s?\b\s*[\dA-Z:.(]",
                      re.I)
_FOOTNOTE_MARK = re.compile(r"^(?:\d{1,2}|[*†‡§¹²³⁴⁵⁶⁷⁸⁹])(?:\s|[.)]\s|[A-Za-z])")
_TITLE = re.compile(
    r"\b(?:chief\s+\w+(?:\s+officer)?|ceo|cfo|coo|managing\s+director|(?:executive|non-executive|group|finance)?\s*director"
    r"|chair(?:man|woman|person)?|company\s+secretary|president|founder|partner|owner|general\s+counsel"
    r"|designated\s+member"
    r"|head\s+of\b|general\s+manager|secretary|treasurer|trustee|principal|proprietor|on\s+behalf\s+of)\b", re.I)
_SIGNED = re.compile(r"^(?:signed(?!\s+off)|signature|/s/|docusign|e-?signed|approved\s+by)\b", re.I)
_DATE = re.compile(
    r"^(?:date[d]?\b|\d{1,2}(?:st|nd|rd|th)?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\s+\d{4}"
    r"|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}"
    r"|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\s+\d{1,2},?\s+\d{4})", re.I)
_PARTICLES = frozenset({"van", "von", "de", "der", "den", "da", "di", "le", "la", "du", "bin", "al", "of"})


_OPEN_ENDED = frozenset({"the", "a", "an", "of", "to", "in", "for", "with", "by", "from", "on", "at", "and", "or",
                         "nor", "but", "its", "their", "our", "this", "these", "that", "which", "whose", "into",
                         "under", "between", "than", "as", "such", "is", "are", "was", "were", "be", "has", "have"})


@dataclass
class Unit:
    """A block under construction: its kind and lines, in reading order."""

    kind: str
    lines: list[Line]
    box: TextBox | None = None
    first_in_box: bool = True  # starts at the top of its box (so a column or page break precedes it)
    cells: tuple[str, ...] = ()
    row: tuple[tuple[Line, ...], ...] = ()  # a table row's cells, each the lines inside it
    trailing: list[Unit] = field(default_factory=list)  # interruptions moved after a joined paragraph

    @property
    def page(self) -> int:
        return self.lines[0].page

    @property
    def size(self) -> float:
        return statistics.median(line.size for line in self.lines)

    @property
    def text(self) -> str:
        return " ".join(line.text for line in self.lines)


def body_size(lines: Sequence[Line]) -> float:
    """The size most of the document's characters are set in."""
    weights: Counter[float] = Counter()
    for line in lines:
        weights[line.size] += sum(len(w.text) for w in line.words)
    return weights.most_common(1)[0][0] if weights else 0.0


def _starts_bullet(line: Line) -> bool:
    first = line.words[0].text
    return len(line.words) > 1 and bool(_BULLET.match(first)) or (len(first) > 1 and first[0] in _BULLET_GLYPHS
                                                                   and first[1].isalnum())


def _is_heading(lines: Sequence[Line], body: float, body_bold: bool) -> bool:
    text = " ".join(line.text for line in lines)
    words = text.split()
    if not words or len(words) > 16 or len(lines) > 3 or text.rstrip().endswith((".", ",", ";")):
        return False
    if not any(ch.isalpha() for ch in text):
        return False
    size = min(line.size for line in lines)
    if size >= body + 1.0:
        return True
    if all(line.bold for line in lines) and not body_bold and size >= body - 0.5:
        return True
    letters = [ch for ch in text if ch.isalpha()]
    return len(words) >= 2 and len(letters) >= 6 and all(ch.isupper() for ch in letters) and size >= body - 0.5


def box_units(box: TextBox, body: float, body_bold: bool) -> list[Unit]:
    """Cut a box's lines into paragraphs, list items and headings; a table into its rows."""
    if box.rows:
        return [Unit("table_row", [line for cell in row for line in cell], box, first_in_box=not n,
                     cells=tuple(" ".join(line.text for line in cell) for cell in row), row=row)
                for n, row in enumerate(box.rows)]
    lines = list(box.lines)
    if len(lines) >= 3 and all(len(ln.words) <= 6 and not ln.text.rstrip().endswith((".", ",", ";")) and
                               _opens(ln) and not ln.bold and ln.size < body + 1.0 for ln in lines):
        # A stack of short labels (a column of row headings, a list without bullets): one unit each.
        units = [Unit("paragraph", [ln], box, first_in_box=not n) for n, ln in enumerate(lines)]
        for unit in units:
            if _is_heading(unit.lines, body, body_bold):
                unit.kind = "heading"
        return units
    width = box.x1 - box.x0
    pitches = [b.top - a.top for a, b in zip(lines, lines[1:], strict=False)]
    # The box's own line spacing when it has enough lines to tell, else a usual 1.25.
    usual_pitch = statistics.median(pitches) if len(pitches) >= 3 else None
    indented_style = _first_line_indents(lines, box)
    units: list[Unit] = []
    for i, line in enumerate(lines):
        if not units:
            units.append(Unit("list_item" if _starts_bullet(line) else "paragraph", [line], box))
            continue
        prev = lines[i - 1]
        current = units[-1]
        em = max(line.size, 1.0)
        new_kind = None
        carried = carries_on(prev, line, usual_pitch)
        if carried:
            em = max(em, prev.size)
        if _starts_bullet(line) and not (_GLYPH.match(line.words[0].text) is None and _heading_run(current, line, body)):
            new_kind = "list_item"
        elif _heading_run(current, line, body):
            new_kind = None  # a heading set over two or three lines
        elif (min(line.top - prev.top, line.bottom - prev.bottom) if carried else line.top - prev.top) > (
                usual_pitch or 1.25 * max(prev.size, 1.0)) + 0.35 * em:
            new_kind = "paragraph"  # paragraph spacing (small capitals carried on stand lower: their baseline)
        elif carried:
            new_kind = None  # the rest of a cross-reference in small capitals (set lower than the text)
        elif abs(line.size - prev.size) >= 1.0 or line.bold != prev.bold and (
                _is_heading([prev], body, body_bold) or _is_heading([line], body, body_bold)):
            new_kind = "paragraph"
        elif current.kind == "list_item":
            # Wrapped text of a bullet hangs past the bullet; a line back at the bullet ends the item.
            if line.x0 <= current.lines[0].x0 + 0.5 * em and prev.x1 < box.x1 - 0.15 * width:
                new_kind = "paragraph"
        elif _ends_short(prev, box) and _opens(line):
            new_kind = "paragraph"
        elif indented_style and line.x0 > box.x0 + 0.8 * em and _opens(line):
            new_kind = "paragraph"
        if new_kind is None:
            current.lines.append(line)
        else:
            units.append(Unit(new_kind, [line], box, first_in_box=False))
    for unit in units:
        if unit.kind in ("paragraph", "list_item") and _is_heading(unit.lines, body, body_bold):
            unit.kind = "heading"  # a bulleted heading ("• PEOPLE") is a heading
    return units


def paragraph_unit(box: TextBox, body: float, body_bold: bool) -> Unit:
    """A box that is one paragraph already (as OCR gives them): a heading, list item or paragraph."""
    lines = list(box.lines)
    kind = "list_item" if _starts_bullet(lines[0]) else "paragraph"
    if _is_heading(lines, body, body_bold):
        kind = "heading"
    return Unit(kind, lines, box)


def _heading_run(current: Unit, line: Line, body: float) -> bool:
    """``line`` goes on a heading: all bold or all larger than body text, same size, close below,
    and short so far."""
    last = current.lines[-1]
    display = all(ln.size >= body + 1.0 for ln in current.lines) and line.size >= body + 1.0
    return ((display or line.bold and all(ln.bold for ln in current.lines)) and abs(line.size - last.size) < 0.5
            and len(current.lines) < 3 and line.top - last.top <= 1.3 * max(line.size, 1.0)  # set solid: wrapped
            and not last.text.rstrip().endswith((".", ":", ";")))


def _opens(line: Line) -> bool:
    first = line.words[0].text
    return first[:1].isupper() or first[:1].isdigit() or first[:1] in "“\"‘'(["


def _ends_short(line: Line, box: TextBox) -> bool:
    width = box.x1 - box.x0
    return width > 0 and box.x1 - line.x1 > 0.25 * width


def _first_line_indents(lines: Sequence[Line], box: TextBox) -> bool:
    starts = indented = 0
    for prev, line in zip(lines, lines[1:], strict=False):
        if _ends_short(prev, box):
            starts += 1
            indented += line.x0 > box.x0 + 3
    return starts >= 2 and indented >= 0.5 * starts


def classify_units(units: list[Unit], page_heights: dict[int, float], body: float) -> None:
    """Captions and footnotes, from their wording, size and place on the page."""
    for unit in units:
        if unit.kind not in ("paragraph", "heading"):
            continue
        text = unit.text
        if _CAPTION.match(text) and len(text.split()) <= 60 and unit.kind == "paragraph" or (
                unit.kind == "heading" and _CAPTION.match(text) and unit.size < body + 2):
            unit.kind = "caption"
            continue
        height = page_heights.get(unit.page, 0.0)
        if (unit.kind == "paragraph" and unit.size < body - 0.4 and height
                and unit.lines[0].top > 0.7 * height and _FOOTNOTE_MARK.match(text)):
            unit.kind = "footnote"


def _name_token(token: str) -> bool:
    """A capitalised word (any script), an initial ("C."), or a particle ("van", "de")."""
    token = token.rstrip(",.")
    if token in _PARTICLES:
        return True
    return bool(token) and token[0].isupper() and all(ch.isalpha() or ch in "-'’." for ch in token)


def _is_name(text: str) -> bool:
    tokens = [t for t in text.replace(",", " , ").split() if t != ","]
    return 2 <= len(tokens) <= 6 and len(text) <= 48 and all(_name_token(t) for t in tokens)


_CLOSING = re.compile(r"^(?:yours\s+(?:sincerely|faithfully|truly)|(?:kind|best|warm)\s+regards|sincerely"
                      r"|(?:signed\s+)?(?:for\s+and\s+)?on\s+behalf\s+of)\b", re.I)
_COMPANY = re.compile(r"\b(?:limited|ltd|plc|llp|inc|group|holdings|corporation|company|bank|society|s\.?a\.?|ag|n\.?v\.?)\.?$",
                      re.I)


def _signature_line(line: Line) -> str | None:
    """The part a short line plays in a signature block, if any."""
    text = line.text.strip()
    if len(text.split()) > 12:
        return None
    if _SIGNED.match(text):
        return "signed"
    if _CLOSING.match(text):
        return "closing"
    if _TITLE.search(text) and len(text.split()) <= 10:
        return "title"
    if _DATE.match(text):
        return "date"
    if _is_name(text):
        return "company" if _COMPANY.search(text) else "name"
    if _COMPANY.search(text) and len(text.split()) <= 6:
        return "company"
    return None


def _named_title(text: str) -> bool:
    """A name and title on one line ("Lord Blackwell Chairman", "Jane Doe, Chief Executive")."""
    match = _TITLE.search(text)
    return bool(match) and _is_name(text[:match.start()].strip(" ,–-"))


def mark_signatures(units: list[Unit], last_pages: set[int]) -> list[Unit]:
    """Signature blocks on the last pages become one ``signature_block`` unit per signatory.

    A block is anchored on a title line ("Chief Executive Officer") or a "Signed" line, and takes
    the name, closing ("Yours sincerely", "Signed on behalf of the Board") and date lines just
    above it and the title, company and date lines just below it, within a run of short lines
    (signatories side by side are separate runs)."""
    out: list[Unit] = []
    i = 0
    while i < len(units):
        unit = units[i]
        if unit.page not in last_pages or not _short_unit(unit):
            out.append(unit)
            i += 1
            continue
        run = [unit]
        j = i + 1
        while j < len(units) and _short_unit(units[j]) and units[j].page == unit.page and _near(run[-1], units[j]):
            run.append(units[j])
            j += 1
        out.extend(_split_signatures(run))
        i = j
    return out


def _split_signatures(run: list[Unit]) -> list[Unit]:
    entries = [(u, line) for u in run for line in u.lines]
    roles = [_signature_line(line) for _, line in entries]
    group = [-1] * len(entries)
    groups = 0
    for k, role in enumerate(roles):
        if role not in ("title", "signed") or group[k] >= 0:
            continue
        start = k
        while start > 0 and k - start < 3 and group[start - 1] < 0 and roles[start - 1] in (
                "name", "signed", "closing", "date"):
            start -= 1
            if roles[start] in ("signed", "closing"):
                break
        end = k
        titles = int(role == "title")
        while end + 1 < len(entries) and end - k < 3 and roles[end + 1] in ("title", "date", "company", "name") and \
                group[end + 1] < 0 and not (roles[end + 1] == "name" and roles[end] == "title" and end > k):
            if roles[end + 1] == "title":
                if titles:
                    break  # a second title: the next signatory
                titles += 1
            end += 1
        members = roles[start:end + 1]
        named = any(_named_title(entries[m][1].text) for m in range(start, end + 1) if roles[m] == "title")
        # Only lines of units made of such lines: a "Signed ..." line inside a paragraph is prose.
        pure = all(all(roles[m] is not None for m, (u, _) in enumerate(entries) if u is entries[n][0])
                   for n in range(start, end + 1))
        if pure and (role == "signed" or named or any(r in ("name", "closing", "date") for r in members)):
            for m in range(start, end + 1):
                group[m] = groups
            groups += 1
    if not groups:
        return run
    out: list[Unit] = []
    for k, (unit, line) in enumerate(entries):
        previous = entries[k - 1][0] if k else None
        if group[k] >= 0:
            if k and group[k - 1] == group[k]:
                out[-1].lines.append(line)
            else:
                out.append(Unit("signature_block", [line], unit.box, unit.first_in_box and unit.lines[0] is line))
        elif k and group[k - 1] < 0 and previous is unit:
            out[-1].lines.append(line)
        else:
            out.append(Unit(unit.kind, [line], unit.box, unit.first_in_box and unit.lines[0] is line))
    return out


def _short_unit(unit: Unit) -> bool:
    return len(unit.lines) <= 12 and all(len(line.words) <= 12 for line in unit.lines) and unit.kind in (
        "paragraph", "heading", "caption", "signature_block")


def _near(a: Unit, b: Unit) -> bool:
    """b sits just below a, in the same column (a signature image may leave a gap)."""
    last, first = a.lines[-1], b.lines[0]
    overlap = min(last.x1, first.x1) - max(last.x0, first.x0)
    return 0 <= first.top - last.bottom <= 90 and overlap > -5


def join_continuations(units: list[Unit], tree_ordered: Collection[int] = ()) -> list[Unit]:
    """Rejoin paragraphs cut by a column or page break: a paragraph that stops mid-sentence goes on
    in the next paragraph that opens its box in lower case, in the same size, looking past up to
    three interruptions (pull quotes, captions, footnotes, sidebar text), which then follow it. On
    ``tree_ordered`` pages (read in a structure tree's order) what stands between on the same page is
    where the tree reads it, not an interruption: the paragraph goes on there only in the next unit."""
    out: list[Unit] = []
    skip: set[int] = set()
    for i, unit in enumerate(units):
        if i in skip:
            continue
        out.append(unit)
        current = unit
        while current.kind in ("paragraph", "list_item") and not _ends_sentence(current.lines[-1]):
            found = None
            for j in range(i + 1, min(i + 4, len(units))):
                if j in skip:
                    continue
                candidate = units[j]
                page = current.lines[-1].page
                passed = candidate.page == page and page in tree_ordered and any(
                    k not in skip and units[k].page == page for k in range(i + 1, j))
                if _continues(current, candidate) and not passed and not _set_below(current, candidate,
                                                                                    units[i + 1:j]):
                    found = j
                    break
                if not _interruption(current, candidate) or _section_break(current, candidate):
                    break  # body text of the same flow, or a heading over the column: the paragraph ended
            if found is None:
                break
            continuation = units[found]
            for k in range(i + 1, found):
                if k not in skip:
                    current.trailing.append(units[k])
                    skip.add(k)
            current.lines.extend(continuation.lines)
            skip.add(found)
            i = found
        for moved in current.trailing:
            out.append(moved)
        current.trailing = []
    return out


def _ends_sentence(line: Line) -> bool:
    """Whether the line ends a sentence: on a full stop or the like, a footnote mark after it allowed
    ("…work environment.1"), and a cross-reference set after it in small capitals left out ("…work
    environment.1 → PROFESSIONAL EDUCATION AND LIFELONG LEARNING", where the capitals are no
    sentence of their own that goes on in the next column)."""
    words = list(line.words)
    while len(words) > 1 and small_capitals(words[-1], line.size):
        words.pop()
    text = words[-1].text if len(words) < len(line.words) else line.text.rstrip()
    noted = _NOTED_END.search(text)
    return text.endswith(_TERMINAL) or noted is not None and noted.group(1).lower() not in _NUMBERED


def _same_column_below(current: Unit, other: Unit) -> bool:
    """``other`` starts below ``current``'s last line on the same page, at the same left edge."""
    last, first = current.lines[-1], other.lines[0]
    return (other.page == current.page and first.top >= last.bottom - 0.3 * max(last.size, 1.0)
            and abs(first.x0 - min(line.x0 for line in current.lines)) <= max(last.size, 1.0))


def _set_below(current: Unit, candidate: Unit, between: Sequence[Unit]) -> bool:
    """The candidate is the next paragraph of the same column, set below a paragraph gap (wider than
    ``layout`` lets a box's lines stand apart) with nothing in between: the paragraph ended there,
    whatever its last mark ("…available at sc.com/sustainabilitylibrary," over the next row of an
    index). A sentence that goes on in the same column keeps its line spacing."""
    gap = candidate.lines[0].top - current.lines[-1].bottom
    return not between and _same_column_below(current, candidate) and gap > 0.8 * max(current.lines[-1].size, 1.0)


def _section_break(current: Unit, other: Unit) -> bool:
    """A heading set under the paragraph in its own column, flush with it: it opens a new section of
    that column, so text after it does not continue the paragraph (a link under "Online Integrated
    Annual Report", the next link under "Business Responsibility Report")."""
    return other.kind == "heading" and _same_column_below(current, other)


def _interruption(current: Unit, other: Unit) -> bool:
    """Whether ``other`` can sit inside a paragraph's flow without being part of it: a pull quote,
    caption, footnote, heading or sidebar (another size, or beside the paragraph's column)."""
    if other.kind in ("caption", "footnote", "heading", "table_row", "signature_block"):
        return True
    if abs(other.size - current.size) > 0.6 or other.lines[0].italic != current.lines[-1].italic:
        return True
    last = current.lines[-1]
    return min(last.x1, other.lines[0].x1) - max(last.x0, other.lines[0].x0) <= 0  # in another column


def _continues(current: Unit, candidate: Unit) -> bool:
    if candidate.kind != "paragraph" or not candidate.first_in_box:
        return False
    if abs(candidate.size - current.size) > 0.6:
        return False
    first = candidate.lines[0].words[0].text
    last = current.lines[-1].words[-1].text
    if first[:1].islower() or last.endswith(("-", ",")) and first[:1].isalpha():
        return True
    # A sentence may also go on with a capitalised word ("... Steering | Group, which meets ..."):
    # trust that when the paragraph's last line ran to its column edge and the type is the same.
    # It must look like a column or page break: the paragraph fills lines to the end of its box,
    # and the next one starts higher up (the next column) or on a later page.
    box = current.box
    full = box is not None and len(box.lines) >= 3 and current.lines[-1].x1 >= box.x1 - 0.08 * (box.x1 - box.x0)
    moved_on = candidate.page > current.page or candidate.lines[0].top < current.lines[-1].top
    # A paragraph never ends on an article, preposition or conjunction ("... from the IHC. The |
    # Firm's non-bank subsidiaries ..."), however short its last line.
    open_ended = last.lower() in _OPEN_ENDED
    return (current.kind == "paragraph" and (full or open_ended) and moved_on and first[:1].isalpha()
            and not _starts_bullet(candidate.lines[0])
            and current.lines[-1].bold == candidate.lines[0].bold and current.lines[-1].italic ==
            candidate.lines[0].italic)


@dataclass(frozen=True)
class _Vocabulary:
    """Words and hyphenated compounds the document writes within a line, to judge line-end hyphens."""

    words: frozenset[str]
    compounds: frozenset[str]

    @classmethod
    def from_units(cls, units: Sequence[Unit]) -> _Vocabulary:
        words, compounds = set(), set()
        compound, word = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)+"), re.compile(r"[^\W\d_]+")
        for unit in units:
            for line in unit.lines:
                tokens = line.words
                if len(tokens) <= 2:
                    continue
                # Fragments of words broken at a line end are not words: leave out the line's ends.
                inner = " ".join(w.text for w in tokens[1:-1]).lower()
                compounds.update(compound.findall(inner))
                words.update(word.findall(inner))
        return cls(frozenset(words), frozenset(compounds))

    def join(self, head: str, tail: str) -> str:
        """How a word broken as ``head-`` / ``tail`` is written: with or without its hyphen."""
        h = re.search(r"([^\W\d_]+)-$", head)
        t = re.match(r"[^\W\d_]+", tail)
        if not h or not t:
            return head + tail
        joined, compound = f"{h.group(1)}{t.group(0)}".lower(), f"{h.group(1)}-{t.group(0)}".lower()
        if compound in self.compounds:
            return head + tail
        if joined in self.words or not tail[:1].isupper():
            return head[:-1] + tail
        return head + tail


def units_to_blocks(units: Sequence[Unit], vocabulary: _Vocabulary, start: int = 0) -> tuple[str, list[Block]]:
    """Document text (blocks separated by blank lines) and the blocks with offsets and word boxes."""
    pieces: list[str] = []
    blocks: list[Block] = []
    position = start
    for unit in units:
        text, spans = _unit_text(unit, vocabulary, position)
        if not text.strip():
            continue
        if len(text) <= PARAGRAPH_MAX_CHARS or unit.kind == "table_row":  # a row's cells are bounded in segment.py
            blocks.append(Block(page=unit.page, kind=unit.kind, text=text, start=position, end=position + len(text),
                                spans=tuple(spans), cells=unit.cells))
        else:
            blocks.extend(_long_blocks(unit, text, spans, position))
        pieces.append(text)
        position += len(text) + 2
    return "\n\n".join(pieces), blocks


def paragraph_pieces(text: str, limit: int = PARAGRAPH_MAX_CHARS) -> list[tuple[int, int]]:
    """(start, end) of ``text``'s pieces of at most ``limit`` characters, cut at sentence ends
    where possible (``sanitize.split_long``): [(0, len(text))] for any ordinary paragraph."""
    if len(text) <= limit:
        return [(0, len(text))]
    ranges = []
    position = 0
    for piece in split_long(text, limit):
        start = text.find(piece, position)  # pieces are stripped, in order: the next match is the piece
        ranges.append((start, start + len(piece)))
        position = start + len(piece)
    return ranges


def _long_blocks(unit: Unit, text: str, spans: list[Span], offset: int) -> list[Block]:
    """A "paragraph" longer than any page holds (a whole document without a break, or text made to
    be long) as consecutive blocks of the same kind, each with its own words' boxes."""
    starts = [span.start for span in spans]
    blocks = []
    for start, end in paragraph_pieces(text):
        chosen = tuple(spans[bisect_left(starts, offset + start):bisect_left(starts, offset + end)])
        blocks.append(Block(page=chosen[0].page if chosen else unit.page, kind=unit.kind, text=text[start:end],
                            start=offset + start, end=offset + end, spans=chosen))
    return blocks


def _unit_text(unit: Unit, vocabulary: _Vocabulary, offset: int) -> tuple[str, list[Span]]:
    """A unit's text and word spans. Signature blocks keep their line breaks; elsewhere lines are
    joined with spaces, and a word hyphenated at a line end is rejoined unless the document writes
    it with a hyphen. A list item's bullet glyph is left out."""
    if unit.kind == "table_row" and unit.row:
        return _row_text(unit, offset)
    separator = "\n" if unit.kind == "signature_block" else " "
    words = [(line, w) for line in unit.lines for w in line.words]
    if unit.kind in ("list_item", "heading") and len(words) > 1 and _GLYPH.match(words[0][1].text):
        words = words[1:]
    parts: list[str] = []
    spans: list[Span] = []
    position = offset  # where the next character goes in the document's text
    previous_line = None
    raw_top = raw_bottom = top = bottom = 0.0  # the last word's level, rounded: a line's words mostly share it
    for line, word in words:
        text = word.text
        if previous_line is line:
            parts.append(" ")
            position += 1
        elif previous_line is not None:
            head = parts[-1]  # the last word of the line before
            if head.endswith("-") and len(head) > 1 and head[-2].isalpha():  # hyphenated at the line end
                if vocabulary.join(head, text) == head[:-1] + text:  # a soft hyphen: rejoin the word
                    parts[-1] = head[:-1]
                    position -= 1
                    last = spans[-1]
                    spans[-1] = Span(last.start, last.end - 1, last.page, last.x0, last.top, last.x1, last.bottom)
            else:
                parts.append(separator)
                position += len(separator)
        previous_line = line
        end = position + len(text)
        parts.append(text)
        if word.top != raw_top or not raw_top:  # (0.0 and -0.0 are equal but round apart)
            raw_top = word.top
            top = round(raw_top, 1)
        if word.bottom != raw_bottom or not raw_bottom:
            raw_bottom = word.bottom
            bottom = round(raw_bottom, 1)
        spans.append(Span(position, end, line.page, round(word.x0, 1), top, round(word.x1, 1), bottom))
        position = end
    return "".join(parts), spans


CELL_SEPARATOR = " | "


def _row_text(unit: Unit, offset: int) -> tuple[str, list[Span]]:
    """A table row's text: its cells left to right, joined by " | ", each cell's words in order."""
    parts: list[str] = []
    spans: list[Span] = []
    position = offset
    page = unit.page
    for index, cell in enumerate(unit.row):
        if index:
            parts.append(CELL_SEPARATOR)
            position += len(CELL_SEPARATOR)
        first = True
        for line in cell:
            for word in line.words:
                if first:
                    first = False
                else:
                    parts.append(" ")
                    position += 1
                text = word.text
                end = position + len(text)
                parts.append(text)
                spans.append(Span(position, end, page, round(word.x0, 1), round(word.top, 1), round(word.x1, 1),
                                  round(word.bottom, 1)))
                position = end
    return "".join(parts), spans
