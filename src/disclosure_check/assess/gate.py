"""Sentences -> the statutory gate: board approval, director signature and the period covered.

Pure: no I/O, no spaCy or PDF imports (the standard library's ``re`` and ``datetime``, and the
project's phrase and date helpers). Each check is decided from the document's
sentences (their text, kind and position) with the term lists of its rubric ``gate:`` entry, and
ends in one of four states: "met" (with the sentence); "not_explicit" when the wording is there but
does not say what the law asks (approved by a committee, signed by someone who is not a director);
"not_met" only when the text says so ("this statement has not been approved"); or "not_found" when
nothing was found, with the nearest sentences as candidates for the reader: a miss of ours is never
a legal failure. Evidence is whole sentences, each once, in reading order; the reason is one short line.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache

from disclosure_check.phrases import PhrasePattern, longest_word
from disclosure_check.read.dates import (
    DAY,
    FISCAL_YEAR,
    MONTH,
    SHORT_SPLIT_YEAR,
    YEAR,
    YEAR_OR_SPAN,
    date_ranges,
    parse_dates,
)
from disclosure_check.rubric import GateCheck, Rubric
from disclosure_check.types import GateResult, Quote, Sentence

MAX_QUOTES = 3
TAIL_SHARE = 0.3  # a name-and-title line only counts as a signature in the last third of a statement
TAIL_MIN = 12  # ... or in the last dozen sentences of a short one
SHORT_WORDS = 25  # a signature line is short
LETTERHEAD_FIELDS = 3  # "|" separators that make a line a letterhead's or footer's fields
GLUED_NAME_WORDS = 12  # a title line a glued name heading signs: "Chief Executive Officer 19 August 2020"
RANK = {"met": 0, "not_explicit": 1, "not_met": 2}  # a finding's states, best first
MAX_CANDIDATES = 3
TITLE_SENTENCES = 8  # a period in the title ("Modern Slavery Statement 2018") is read from the opening lines


@dataclass(frozen=True)
class Finding:
    """One sentence's verdict for a check."""

    state: str  # "met" | "not_explicit" | "not_met" (the text says so)
    reason: str
    index: int  # the sentence's position in the document
    period: tuple[str | None, str | None] | None = None
    who: str = ""  # a signer, so several signatories are named once each
    weak: bool = False  # a period read from a date span without a period cue: ranks below any cue finding
    open: bool = False  # a signing cue or a signer with no title: the lines under it may complete it
    also: tuple[int, ...] = ()  # further sentences of the same evidence (a title line under a name line)
    unnamed: bool = False  # a title-and-company line with no name: counts under a signing cue or as the last line
    committee: str = ""  # the committee whose chair signed ("Corporate Sustainability Committee")


# ---------------------------------------------------------------- term matching


@lru_cache(maxsize=256)
def _compile(phrases: tuple[str, ...]) -> PhrasePattern:
    """One case-insensitive regex of whole-word phrases, longest first (so "board of directors" wins)."""
    parts = []
    for phrase in sorted(set(phrases), key=len, reverse=True):
        body = r"\s+".join(re.escape(word) for word in phrase.split())
        start = r"(?<!\w)" if phrase[:1].isalnum() else ""
        end = r"(?!\w)" if phrase[-1:].isalnum() else ""
        parts.append(f"{start}{body}{end}")
    return PhrasePattern(re.compile("|".join(parts), re.I), map(longest_word, phrases))


_TERMS: dict[tuple[int, str], tuple[GateCheck, PhrasePattern]] = {}


def _terms(check: GateCheck, name: str) -> PhrasePattern:
    """The check's compiled term list (cached by the check object: it is asked for per sentence)."""
    key = (id(check), name)
    cached = _TERMS.get(key)
    if cached is None or cached[0] is not check:
        cached = _TERMS[key] = (check, _compile(tuple(check.terms[name])))
    return cached[1]


def _outside(spans: list[tuple[int, int]], blocked: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``spans`` not inside any of ``blocked`` (a "director" inside "assistant director")."""
    return [s for s in spans if not any(b[0] <= s[0] and s[1] <= b[1] for b in blocked)]


# ---------------------------------------------------------------- names

_PARTICLES = {"van", "von", "de", "der", "den", "da", "di", "le", "la", "du", "bin", "al", "mc", "st"}
_HONORIFIC = re.compile(r"^(?:mr|mrs|ms|miss|dr|sir|dame|lord|lady|baroness|baron|prof|professor|rt|hon)\.?$", re.I)
# Capitalised words that start statements, headings and company names, never a person's name.
_NOT_NAMES = frozenset((
    "this", "the", "our", "its", "we", "in", "on", "for", "and", "of", "by", "to", "a", "an", "at", "statement",
    "statements", "modern", "slavery", "act", "board", "directors", "director", "company", "group", "limited",
    "ltd", "plc", "llp", "inc", "corporation", "society", "bank", "building", "trust", "foundation", "university",
    "council", "holdings", "services", "date", "dated", "signed", "signature", "name", "title", "approved",
    "approval", "report", "annual", "human", "trafficking", "policy", "uk", "europe", "international", "global",
    "chief", "executive", "officer", "chairman", "chair", "envelope", "docusign", "id", "last", "updated", "next",
    "review", "reviewed", "version", "page"))


def _name_token(token: str) -> bool:
    """A word of a person's name: capitalised (any script), an initial, or in capitals."""
    bare = token.strip(",.:;()")
    if not bare or bare.lower() in _NOT_NAMES or any(ch.isdigit() for ch in bare):
        return False
    if len(bare) <= 2 and bare[0].isupper() and bare.replace(".", "").isalpha():
        return True  # an initial: "H", "H.", "J.R"
    return bare[0].isupper() and all(ch.isalpha() or ch in "-'’." for ch in bare)


def has_name(text: str, exclude: Sequence[tuple[int, int]] = ()) -> str | None:
    """The first run of 2-5 capitalised words (a person's name) outside ``exclude``, or None.
    A run never crosses a line break or a slash ("Keith Skeoch/Martin Gilbert" is two names)."""
    run: list[str] = []
    for match in re.finditer(r"[^\s/]+|\n|/", text):
        token = match.group()
        inside = any(a <= match.start() < b for a, b in exclude)
        bare = token.strip(",.:;()")
        if token in ("\n", "/") or inside:
            ok = False
        else:
            ok = bool(_name_token(token) or _HONORIFIC.match(bare) or (run and bare.lower() in _PARTICLES))
        if ok and _LEGAL_FORM.fullmatch(bare):
            # "Siemens Energy AG", "Acme S.A.", "Bosch GmbH": a legal form ends a company's name; the
            # capitalised words before it are the company, not a person ("AG" would pass as initials)
            run = []
            continue
        if ok:
            run.append(bare)
            if token.endswith((",", ":", ";")):
                if _name_run(run):
                    return " ".join(run)
                run = []
            continue
        if _name_run(run) and not _COMPANY_WORD.fullmatch(bare):  # "Standard Life Aberdeen plc" is a company
            return " ".join(run)
        run = []
    return " ".join(run) if _name_run(run) else None


# A legal form after capitalised words makes them a company ("Group" may open a title: "Group Chief Executive").
_COMPANY_WORD = re.compile(r"(?i)limited|ltd|plc|p\.l\.c|llp|inc|corp|corporation|gmbh|ag|sa|s\.a|nv|n\.v|se")
# The same inside a run, as written (case kept: "Sa" or "Se" may be part of a name, "AG" and "SA" are not).
_LEGAL_FORM = re.compile(r"AG|SA|SE|NV|S\.A|N\.V|S\.E|GmbH|GMBH|Corp|CORP|Inc|INC|Ltd|LTD|LLP|LLC|PLC|Plc|Pty|PTY|"
                         r"Limited|LIMITED|Corporation|CORPORATION|S\.p\.A|SpA|BV|B\.V")


def _name_run(run: list[str]) -> bool:
    words = [w for w in run if not _HONORIFIC.match(w)]
    if len(words) == 1 and len(run) > 1:  # "Lord Blackwell", "Mr Kang"
        return len(words[0]) > 1
    return 2 <= len(words) <= 5 and sum(len(w.rstrip(".")) > 1 for w in words) >= 1


# ---------------------------------------------------------------- approval


def _approval(check: GateCheck, s: Sentence, position: float, short: bool) -> Finding | None:
    text = s.text
    head = _APPROVAL_HEADING.match(text)
    if head and not re.match(r"(?i)\s*(?:by|of|from|dated?|on|for|\d)", text[head.end():]):
        # "BOARD APPROVAL: This statement was signed by the Managing Director", "BOARD APPROVAL Ian
        # Smith, Director": a heading glued to the line under it; only that line can say who approved
        text = text[head.end():]
    if check.terms.get("refusals") and _terms(check, "refusals").search(text) and _terms(check, "objects").search(text):
        return Finding("not_met", "the statement says it has not been approved", s.index)
    glued = _GLUED_APPROVAL.search(text)
    if glued and _mostly_capitalised(text[:glued.start(1)]):
        # "Philip Keller, Chief Finance and Operating Officer Approved by the Board of Directors of ...": a
        # signing line ran into the approval line under it; the approval opens where its capital stands
        # (unless the words before it say the approval is to come: "Draft To Be Approved by the Board")
        if _terms(check, "not_yet").search(text):
            return None
        before = text[:glued.start(1)]
        if _terms(check, "other_objects").search(before) and not _terms(check, "objects").search(before):
            return None  # "Whistleblowing Policy Approved by the Board ...": another document's approval
        text = text[glued.start(1):]
    verbs = _terms(check, "verbs").spans(text)
    if not verbs or _terms(check, "not_yet").search(text):
        return None
    if _heading_only(text, verbs, s.kind == "heading"):
        return None  # "BOARD APPROVAL", "Approval": a heading over the approval, not the approval
    heading = (s.heading or "").lower()
    opens = verbs[0][0] <= 2  # "Approved by the Board ...", "Approval: ..."
    # a line opening in lower case ("been approved by the Board ...") is the rest of a sentence cut
    # by extraction: it is about the statement only when it names it, or when read with its subject
    # (``_join_approval_fragments``)
    fragment = text.lstrip()[:1].islower()
    about_statement = bool(_terms(check, "objects").search(text)) or "approv" in heading \
        or (not fragment and (opens or len(text.split()) <= 12))
    if not about_statement or (_terms(check, "other_objects").search(text) and not _terms(check, "objects").search(text)):
        return None
    # "Argo has adopted a whistleblowing policy", "the delegation of authority approved by the Board":
    # a verb whose own object is something else says nothing about the statement.
    verbs = [v for v in verbs if not _approves_other(check, text, v)]
    # "following the process agreed by the Board", "the approach endorsed by the Board", "as agreed by
    # John Smith": a later verb counts only when it is coordinated with the first ("... and was then
    # approved by the Board"); a verb qualifying another noun never approves the statement.
    named = _terms(check, "objects").spans(text) + _terms(check, "bodies").spans(text) \
        + _terms(check, "delegates").spans(text)
    verbs = [v for i, v in enumerate(verbs) if not _qualifies_a_noun(text, v, named)
             and (i == 0 or _COORDINATED.search(text[max(0, v[0] - 60):v[0]]))]
    if not verbs:
        return None
    bodies = _terms(check, "bodies").spans(text)
    delegates = _terms(check, "delegates").spans(text)
    agents = [_by_agent(text, v, bodies + delegates) for v in verbs]
    if any(a is not None and a[0] == "person" for a in agents) and not any(a and a[0] == "term" for a in agents):
        # "this Statement has been approved by Masashi Imamura, Executive Vice President": a person
        return Finding("not_explicit", f"approved by {next(a[1] for a in agents if a)}, not the board itself", s.index)
    # "approved by our Executive Committee and was approved by the Whitbread plc Board": every
    # approval in the sentence counts, the board's first.
    by_body = [a[2] for a in agents if a and a[0] == "term" and a[2] in bodies]
    agent = (by_body[0][0], by_body[0][1], text[by_body[0][0]:by_body[0][1]]) if by_body \
        else _agent(text, verbs, bodies + delegates)
    if agent is None:
        if not _terms(check, "objects").search(text):
            return None  # "approved" in a short line about something else
        return Finding("not_explicit", "approval stated, but no approving body is named", s.index)
    start, end, phrase = agent
    kind = "body" if any(b == (start, end) for b in bodies) else "delegate"
    phrase = _expand(text, start, end)
    # "the Audit Committee of the Board", "the Board's Risk Committee": the committee approved.
    if kind == "body":
        # ("the TUI Executive Board and the TUI Group Executive Committee" are two: the board approved;
        # "the Board Audit & Risk Committee", "the Board's Audit and Risk Committee" are one committee)
        near = [d for d in delegates if d[0] >= end and d[0] - end <= 25 and not _NEW_NOUN.search(text[end:d[0]])
                and not re.search(r"(?i)\bof\b", text[end:d[0]])]  # "Board of Management", "board of directors of Planit Test Management"
        if near:
            kind, phrase = "delegate", _expand(text, *near[0])
    if kind == "body" and _on_behalf(check, text[max(0, start - 40):start]):
        # "approved on behalf of the Board ... by Jeff Brinley, CEO", "approved on behalf of the members
        # of X LLP": someone approved it for the board; whether the board itself did is not said
        return Finding("not_explicit", f"approved on behalf of {_article(phrase)}, not said to be by the board "
                                       "itself", s.index)
    if kind == "body":
        return Finding("met", f"approved by {_article(phrase)}", s.index)
    return Finding("not_explicit", f"approved by {_article(phrase)}, not the board itself", s.index)


# What may stand between "on behalf of" and the body: a determiner and up to five capitalised words
# ("on behalf of the members of Knight Frank LLP", "on behalf of the ACME Ltd Board").
_BEHALF_GAP = re.compile(r"\s*(?:(?i:the|its|our|their)\s+)?(?:(?:[A-Z][\w.'’-]*|&)\s+){0,5}$")


def _on_behalf(check: GateCheck, before: str) -> bool:
    """Whether ``before`` (the text just before an approving body) ends in the check's ``on_behalf``
    wording ("approved on behalf of the Board"): someone approved it for the body."""
    if not check.terms.get("on_behalf"):
        return False
    return any(_BEHALF_GAP.match(before, end) for _, end in _terms(check, "on_behalf").spans(before))


# Between a body and a committee: a conjunction that opens another noun phrase makes them two bodies
# ("the Board and the Executive Committee", "the Board, the Audit Committee"), one inside a committee's
# name does not ("the Board Audit and Risk Committee").
_NEW_NOUN = re.compile(r"(?i)(?:\b(?:and|or)\b|&|[,;])\s*(?:(?:and|or)\s+)?(?:the|its|our|their|by|then|was|were|"
                       r"has|have|is|are|also|subsequently)\b|;")


_OBJECT_END = re.compile(r"\b(?:by|and|to|for|on|in|which|that|who)\b|[,.;:()]", re.I)


def _approves_other(check: GateCheck, text: str, verb: tuple[int, int]) -> bool:
    """The verb approves something other than the statement: its direct object ("adopted a
    whistleblowing policy", "approved Risk Appetite statements") or the noun it qualifies ("the
    delegation of authority approved by ...") is one of ``other_objects`` and not the statement."""
    after = text[verb[1]:verb[1] + 120]
    stop = _OBJECT_END.search(after)
    direct = after[:stop.start()] if stop else after
    if direct.strip() and _terms(check, "other_objects").search(direct[:60]):
        # "approved the policy and this statement", "approved the Group's policies, including this
        # statement": the statement is approved with the other object, not instead of it
        rest = after[stop.start():] if stop else ""
        also = _ALSO_OBJECT.match(rest)
        if also:
            end = _CLAUSE_END.search(rest, also.end())
            if _terms(check, "objects").search(rest[:end.start() if end else len(rest)]):
                return False
        return True
    before = text[max(0, verb[0] - 30):verb[0]]
    # the statement anywhere in the clause before the verb ("This statement, together with our
    # policies, was approved", "This statement and our Supplier Code were approved") is approved too
    clause = re.split(r"[;.]\s", text[max(0, verb[0] - 300):verb[0]])[-1]
    return bool(re.search(r"\w\s*$", before)) and bool(_terms(check, "other_objects").search(before)) \
        and not _terms(check, "objects").search(clause)


_COORDINATED = re.compile(r"(?i)\band\s+(?:(?:was|were|is|are|has|have|been|then|subsequently|also|formally|"
                          r"finally|later|duly|it|was\s+then)\s+){0,3}$")
_AUXILIARY = frozenset(("was", "were", "is", "are", "be", "been", "being", "has", "have", "had", "and", "then", "also",
                        "we", "they", "it", "who", "which", "that", "formally", "duly", "subsequently", "or", "and/or",
                        "unanimously", "fully", "both", "jointly", "since", "recently", "finally", "to", "not", "as",
                        "so", "now", "hereby", "previously", "once", "when", "after", "where"))


def _qualifies_a_noun(text: str, verb: tuple[int, int], named: list[tuple[int, int]]) -> bool:
    """The verb qualifies the lower-case noun right before it ("the process agreed by the Board",
    "terms authorised by the Board"), not the statement: no auxiliary, nor a body or statement word
    (``named``) there."""
    offset = max(0, verb[0] - 40)
    before = re.search(r"([^\W\d_][\w'’-]*)\s*$", text[offset:verb[0]])
    if not before or not re.match(r"\s*by\b", text[verb[1]:]):  # "the boards ... entities approved this statement"
        return False
    word = before.group(1)
    if not word[:1].islower() or word.lower() in _AUXILIARY or word.endswith("ly"):
        return False
    at = offset + before.start(1)
    return not any(a <= at < b for a, b in named)


_ALSO_OBJECT = re.compile(r"\s*,?\s*(?:and|including|together with|as well as|along with|&)\b", re.I)
_CLAUSE_END = re.compile(r"[.;]|\b(?:which|that|who|where|by|referred|described|set out|outlined|mentioned|"
                         r"referenced|under|following)\b", re.I)


def _by_agent(text: str, verb: tuple[int, int], names: list[tuple[int, int]]) -> tuple | None:
    """Who the verb says approved, when "by" follows it: ("term", phrase, span) for a body or
    delegate named within 60 characters, ("person", name, None) for a person's name, else None."""
    lead = re.match(r"\s*(?:and\s+\w+\s+)?by\s+", text[verb[1]:verb[1] + 40])
    if not lead:
        return None
    at = verb[1] + lead.end()
    after = sorted((n for n in names if 0 <= n[0] - at <= 60), key=lambda n: (n[0], n[0] - n[1]))
    if after:
        return "term", text[after[0][0]:after[0][1]], after[0]
    person = has_name(text[at:at + 60])
    if person and text[at:].startswith(person.split()[0]):
        return "person", person, None
    return None


def _heading_only(text: str, verbs: list[tuple[int, int]], heading: bool = False) -> bool:
    """A heading-like line of at most five words whose only approval word is the noun, with no date,
    "by" or full stop ("BOARD APPROVAL", "Board approval and sign-off"; laid out as a heading, also
    "Approval by the Board"): it names a section, it does not say that anyone approved anything."""
    nouns = all(text[a:b].lower() == "approval" for a, b in verbs)
    return nouns and len(text.split()) <= 5 and not re.search(r"\d", text) and not text.rstrip().endswith(".") \
        and (heading or not re.search(r"(?i)\bby\b", text))


# An approval line glued to the line above it (a signer's name and title, no prose): the approval verb,
# capitalised as a line's first word in mixed-case text, and "by" or "on" after it ("... Operating Officer
# Approved by the Board of ...").
_GLUED_APPROVAL = re.compile(r"\S[ \t]+((?:Approved|Adopted|Endorsed)[ \t]+(?:by|on)\b)")

# A section heading glued to the sentence under it: "BOARD APPROVAL", "Approval and sign-off:",
# "Statement approval -", followed by a capital (the heading's own "Approval by ..." is not one).
_APPROVAL_HEADING = re.compile(r"^\W*(?i:(?:(?:board|statement|directors[’']?|governance)\s+)?approvals?"
                               r"(?:\s+(?:and|&)\s+(?:sign[- ]?off|signatures?|signing))?)"
                               r"(?:\s*[:\-–—]\s*|\s*\n\s*|\s+(?=[A-Z]))")


def _agent(text: str, verbs: list[tuple[int, int]], names: list[tuple[int, int]]) -> tuple[int, int, str] | None:
    """The body that approved: the first named after "approved by"/"approval of", else the subject
    of "the Board approved", else the nearest named anywhere in the sentence."""
    names = sorted(set(names), key=lambda n: (n[0], -(n[1] - n[0])))
    names = [n for i, n in enumerate(names) if not any(o[0] <= n[0] and n[1] <= o[1] and o != n for o in names)]
    if not names:
        return None
    for _, v1 in verbs:
        tail = text[v1:v1 + 120]
        lead = re.match(r"\s*(?:and\s+\w+\s+)?(?:by|of|from)\s+", tail) or re.match(r"\s*\w+\s+(?:by|of)\s+", tail)
        if lead:
            after = [n for n in names if n[0] >= v1 + lead.end() and n[0] - (v1 + lead.end()) <= 60]
            if after:
                n = after[0]
                return n[0], n[1], text[n[0]:n[1]]
    v0 = verbs[0][0]
    before = [n for n in names if n[1] <= v0 and v0 - n[1] <= 300]
    if before:
        # "... of the Board of Directors, as represented by the Managing Director, who has duly approved
        # this statement": a relative clause's verb is the nearest body's, else the subject's
        n = before[-1] if _RELATIVE.fullmatch(text, before[-1][1], v0) else before[0]
        return n[0], n[1], text[n[0]:n[1]]
    n = min(names, key=lambda n: min(abs(n[0] - v[0]) for v in verbs))
    return n[0], n[1], text[n[0]:n[1]]


# The words a relative clause may put between its body and its approval verb: "..., who has reviewed and
# approved", "..., which, on 3 May, approved", "... that has duly approved".
_RELATIVE = re.compile(rf"(?i)[ \t]*,?\s*(?:who|which|that)[\s,]+(?:(?:has|have|had|was|were|is|are|also|then|been|"
                       rf"[a-z]+ly|[a-z]+ed\s+and|(?:on|in)\s+(?:{DAY}\s+)?{MONTH}\.?(?:\s+{DAY})?(?:,?\s+{YEAR})?)"
                       r"[\s,]+){0,4}")


def _article(phrase: str) -> str:
    phrase = re.sub(r"^(?:the|its|our)\s+", "", phrase.strip(), flags=re.I)
    return f"'{phrase}'" if phrase.lower().startswith(("on behalf", "members of")) else f"the {phrase}"


def _expand(text: str, start: int, end: int, left: bool = True) -> str:
    """A matched term with the capitalised words around it: "Audit Committee", "Head of Procurement"."""
    left = left and re.search(r"((?:[A-Z][\w&'’\-]*[ \t]+){0,3})$", text[:start])
    # up to six words to the right, so a body's whole name survives: "Board of Liverpool Victoria Friendly Society Limited"
    # (never into the next line's opening word: "Operating Officer Approved by the Board")
    right = re.match(r"((?:[ \t]+(?:of|and|&)?[ \t]*(?!(?:Approved|Signed|Dated)\b)"
                     r"(?:[A-Z][a-z][\w&'’\-]*|plc|PLC|LLP|Ltd\.?|Limited)){0,6})", text[end:])
    words = (left.group(1) if left else "") + text[start:end] + (right.group(1) if right else "")
    words = re.sub(r"\s+", " ", words).strip()
    return re.sub(r"^(?:(?:this|the|our|its|signed|approved|by|was|were)\s+)+", "", words, flags=re.I)


# ---------------------------------------------------------------- signature


def _signature(check: GateCheck, s: Sentence, position: float, short: bool) -> Finding | None:
    # a letterhead or footer line of fields ("Hapimag AG | Sumpfstrasse 18 | ... | COB: Dr. Giatgen Peder
    # Fontana | CEO: Hassan Kadbi") lists the officers, it signs nothing: its name and title need not pair
    text = "\n".join(_letterhead_fields(check, line, s.kind == "table_row") for line in s.text.split("\n"))
    if not text.strip():
        return None
    heading = (s.heading or "").strip()
    if s.glued_heading and heading and len(heading.split()) <= 4 and has_name(heading) == heading \
            and len(text.split()) <= GLUED_NAME_WORDS and _mostly_capitalised(text) and _opens_with_title(check, text):
        # "GRANT BLACKLEY" split off as a glued capitals heading from "Chief Executive Officer 19 August 2020"
        # (only a heading cut from this same short line: a section's heading "Due Diligence" over
        # "Chief Executive Officer oversees our programme" names no signer)
        text = f"{heading} {text}"
    line = _SIGNATURE_RULE.search(text)
    signer = has_name(text[line.end():]) if line else None
    if line and signer and text[line.end():].startswith(signer.split()[0]):
        # "Modern Slavery Act Statement 2017 ____ Dave Brosnan Chief Executive Officer, CNA Hardy": the
        # signature rule starts the signing line; what runs into it before is other text
        text = text[line.end():]
    block = s.kind in ("signature_block", "signature") or bool(s.heading and _SIGNATURE_HEADING.match(s.heading))
    cue = _terms(check, "cues").search(text)
    if cue and _terms(check, "not_signature").search(text) and not block:
        cue = None
    if not block and not cue and not _terms(check, "director_titles").search(text) \
            and not _terms(check, "other_titles").search(text):
        return None  # no cue and no title: none of the ways below can find a signature
    directors = _director_titles(check, text)
    # a committee's chair ("Chair of the Audit Committee") is a signer with another title
    chairs = [t for t in _outside(_terms(check, "director_titles").spans(text), _terms(check, "not_director").spans(text))
              if t not in directors]
    others = sorted(_outside(_terms(check, "other_titles").spans(text), directors) + chairs)
    titles = directors + others
    cue_spans = _terms(check, "cues").spans(text)
    name = has_name(text, exclude=titles + cue_spans)
    if name and (_GROUP_AFTER.match(text, text.find(name) + len(name)) or _GROUP_AFTER.search(name)):
        # "Chair of the ESG Steering Group", "Chairman, Audit and Risk Committee": a group's name, not a
        # person's ("Angela Darling Group Compliance Director" is a person with a group title)
        name = None
    tail = position >= 1 - TAIL_SHARE
    lineish = short and _mostly_capitalised(text)
    company = _titled_company(text, directors) if tail and directors and s.kind != "table_row" else None
    if company is not None and name is not None and name not in company:
        company = None  # a named signer: the ways above decide
    elif company is not None:
        name = None  # "Ed Broking" is the company's name, not a person's
    if not block and not (cue and short) and not (cue and titles and name) and not (tail and lineish and titles and name) \
            and not _name_then_title(text, name, directors, others) and company is None:
        return None
    if directors:
        title = text[directors[0][0]:directors[0][1]]
        who = f"{name}, {title}" if name else title
        if name or block or cue:
            return Finding("met", f"signed by {who} (a director or equivalent)", s.index, who=who)
        if company is not None:
            # "Chief Executive Officer Ed Broking LLP 14 May 2019", "Director of AIG Europe Limited": a
            # signing line whose signature (an image) left no name in the text
            return Finding("met", f"signed by the {title} of {company} (a director or equivalent; no name in "
                           "the text)", s.index, who=f"{title}, {company}", unnamed=True)
    if others:
        committee_end = _chairs_a_committee(check, text, others[0][1]) if others[0] in chairs else None
        if committee_end is not None:
            # "Chair of the Corporate Sustainability Committee": a committee's chair; a director when the
            # committee is the board's, which the title or another sentence may say
            title = " ".join(text[others[0][0]:committee_end].split())
            who = f"{name}, {title}" if name else title
            committee = re.sub(r"(?i)^.*?\b(?:of|,)\s+(?:(?:the|our|its)\s+)?(?:board['’]s\s+)?", "", title)
            of_board = bool(re.search(r"(?i)\bboard\b", title) or _OF_THE_BOARD.match(text, committee_end))
            return Finding("not_explicit", _committee_chair_reason(who, of_board), s.index, who=who, committee=committee)
        title = _expand(text, *others[0], left=False)
        who = f"{name}, {title}" if name else title
        return Finding("not_explicit", f"signature block: {who}, but no director title", s.index, who=who)
    if name and (cue or block):
        # "Signatures" / "Bryan McMurdo", "Signed: Jane Doe": a signer, for the reader to check
        return Finding("not_explicit", f"signed by {name}, but the signer's title is not given", s.index, who=name,
                       open=True)
    if cue:
        return Finding("not_explicit", "signing wording, but no signer named", s.index, open=True)
    return None


_LABELLED_FIELD = re.compile(r"\s*([A-Za-z][\w .&]{0,30}?)\s*:\s*\S")
LETTERHEAD_TITLES = 2  # labelled title fields ("COB: ...", "CEO: ...") that make a line of fields a letterhead


def _letterhead_fields(check: GateCheck, line: str, table: bool) -> str:
    """A line of "|"-separated fields: dropped when two or more of them are an officer's title as a
    label ("COB: Dr. Giatgen Peder Fontana | CEO: Hassan Kadbi": a letterhead or footer lists the
    officers, it signs nothing), else its fields as lines of their own ("Signed by John Smith, Director |
    Date: 12 June 2020 | For and on behalf of Acme Ltd | Page 5"). A table's row of four or more cells
    is dropped as before: "John Smith | Chief Executive Officer | Jane Doe | Chief Financial Officer"
    may list a board as well as sign."""
    if line.count("|") < LETTERHEAD_FIELDS:
        return line
    if table:
        return ""
    fields = [field.strip() for field in line.split("|")]
    titles = _terms(check, "director_titles")
    others = _terms(check, "other_titles")
    labelled = 0
    for field in fields:
        label = _LABELLED_FIELD.match(field)
        if label and (re.fullmatch(r"[A-Z]{2,5}", label.group(1)) or titles.search(label.group(1))
                      or others.search(label.group(1))):
            labelled += 1
    return "" if labelled >= LETTERHEAD_TITLES else "\n".join(field for field in fields if field)


_OF_THE_BOARD = re.compile(r"(?i)[ \t]+of[ \t]+(?:the|our|its)[ \t]+board\b")


def _committee_chair_reason(who: str, of_board: bool) -> str:
    if of_board:
        return (f"signed by {who}: the chair of a committee of the board (a board member, but no director "
                "title is given)")
    return f"signed by {who}: a committee's chair, not said to be a director"


def _board_committees(sentences: Sequence[Sentence], findings: list[Finding]) -> list[Finding]:
    """A committee chair's signature whose committee another sentence calls the board's ("approved by the
    Corporate Sustainability Committee of the Board of Directors") says so in its reason."""
    out = []
    for f in findings:
        if f.committee and f.reason.endswith("not said to be a director"):
            of_board = re.compile(rf"(?i){re.escape(f.committee)}[ \t]+of[ \t]+(?:the|our|its)[ \t]+board\b")
            if any(of_board.search(s.text) for s in sentences):
                f = replace(f, reason=_committee_chair_reason(f.who, True))
        out.append(f)
    return out


def _director_titles(check: GateCheck, text: str) -> list[tuple[int, int]]:
    """Spans of the director titles in ``text``: not inside a ``not_director`` phrase ("assistant
    director"), nor the title of a committee's or group's chair ("Chairman of the Corporate Social
    Responsibility Committee": a director title, "of", capitalised words, one of the ``committees``)."""
    spans = _outside(_terms(check, "director_titles").spans(text), _terms(check, "not_director").spans(text))
    if not check.terms.get("committees"):
        return spans
    return [span for span in spans if _chairs_a_committee(check, text, span[1]) is None]


# "Chair of the Audit Committee", "Chair, Audit Committee"
_OF_THE = re.compile(r"[ \t]+of[ \t]+(?:(?:the|our|its)[ \t]+)?|[ \t]*,[ \t]*(?:(?:the|our|its)[ \t]+)?")
_BOARD_AND = re.compile(r"(?i)board(?:[ \t]+of[ \t]+directors)?[ \t]*(?:and|&)[ \t]")
_NAME_WORD = re.compile(r"(?:[A-Z][\w'’.-]*|&|and)[ \t]+")  # a word of a committee's name
COMMITTEE_NAME_WORDS = 6


def _chairs_a_committee(check: GateCheck, text: str, end: int) -> int | None:
    """The title ending at ``end`` goes on "of" a committee: "of the Board's Audit & Risk Committee",
    up to six capitalised words and then one of the check's ``committees``; where that committee's
    name ends, else None."""
    at = _OF_THE.match(text, end)
    if at is None or _BOARD_AND.match(text, at.end()):
        return None  # "Chair of the Board and Nomination Committee": the board's chair, and a committee's
    position = at.end()
    committees = _terms(check, "committees")
    for _ in range(COMMITTEE_NAME_WORDS + 1):
        found = committees.spans(text[position:position + 30])
        if found and found[0][0] == 0:
            return position + found[0][1]
        word = _NAME_WORD.match(text, position)
        if word is None:
            return None
        position = word.end()
    return None


_GROUP_AFTER = re.compile(r"\s*\b(?:Group|Committee|Forum|Council|Team|Board|Network|Taskforce|Task\s+Force)\b"
                          r"(?![ \t]+[A-Z])")
_SIGNATURE_RULE = re.compile(r"_{3,}[\s_]*(?=\S)")
_SIGNATURE_HEADING = re.compile(r"\s*(?:signatures?|signed|signatory|signatories|sign-off)\s*:?\s*$", re.I)
NAME_LINE_WORDS = 40  # "Darren Milligan Director, Responsible Member of ... Pty Ltd's Principal Governing Body"
# Words after "Name, Title" that make it prose about the person, not a signature line.
_PROSE_AFTER = re.compile(r"\b(?:said|says|commented|comments|joined|joins|is|was|has|have|had|will|leads|led|"
                          r"added|explained|noted|stated|chairs|chaired|sits|serves|served)\b", re.I)


def _name_then_title(text: str, name: str | None, directors: list[tuple[int, int]],
                     others: Sequence[tuple[int, int]] = ()) -> bool:
    """A signature line wherever it stands: the sentence opens with a person's name (after any
    signature rule) and a director title follows at once ("GRANT BLACKLEY Chief Executive Officer
    19 August 2020", "Carl Carrington, CEO 7 August 2023"; or after another title joined to it: "Mark
    Laurence - Chief Operating Officer & Member of the LLP"), and it does not go on as prose."""
    if not name or not directors or len(text.split()) > NAME_LINE_WORDS:
        return False
    opening = re.match(r"[\s_.\-–—]*(?:(?:signed|signature|name)\s*:?\s*)?", text, re.I)
    rest = text[opening.end():] if opening else text
    if not rest.startswith(name.split()[0]):
        return False
    after_name = opening.end() + len(" ".join(rest.split()[:len(name.split())]))
    if not re.fullmatch(r"[\s,;:\-–—]*", text[after_name:directors[0][0]]) and not any(
            re.fullmatch(r"[\s,;:\-–—]*(?:[A-Z][\w'’-]*\s+){0,3}", text[after_name:a])
            and re.fullmatch(r"\s*(?:&|and|,|/)\s*", text[b:directors[0][0]]) for a, b in others):
        return False
    after = text[directors[0][1]:]
    # "Ian Mcllroy, Managing Director This statement was approved ...": the signing line ran into the
    # next sentence (the layout joined the lines); only what comes before that sentence can be prose
    # ("Jane Smith, Chief Executive Officer In her role as Chief Executive, Jane is responsible ...", "...
    # At the launch of our programme, Jane said ...": a board biography goes on as prose, so the cut is
    # made only where the next sentence is about the statement or its signing)
    joined = _NEXT_SENTENCE.search(after)
    return not _PROSE_AFTER.search(after[:joined.start()] if joined else after)


_NEXT_SENTENCE = re.compile(r"\s(?:This|These|The|Our)\s+(?:[\w'’-]+\s+){0,4}?(?:statement|report|disclosure)s?\b"
                            r"|\s(?:Approved|Signed|Dated)\b")


_COMPANY = re.compile(r"\b(?:limited|ltd|plc|llp|inc|corporation|company|holdings|services|group|bank)\b\.?", re.I)
# After a director title: the company it is the title of ("Director of AIG Europe Limited", "Chief
# Executive Officer, Ed Broking LLP"), its capitalised name ending in a company word.
# Only a legal form makes a company: "Acme Group", "Acme Bank", "Group Holdings" may be a title's
# division or a team ("President, Acme Bank", "Chair of the ESG Steering Group").
_OF_COMPANY = re.compile(r"(?:\s+of\s+(?:the\s+)?|[ \t]*[,\-–—]?[ \t]*)((?:[A-Z][\w&.'’-]*[ \t]+){1,5}?"
                         r"(?:Limited|Ltd|LIMITED|LTD|plc|PLC|Plc|LLP|Inc|INC|LLC|GmbH|AG|SE|SA|NV|S\.A|N\.V|Pty)\b\.?)")
_NOT_A_COMPANY = re.compile(r"(?i)\b(?:working|steering)\s+group|\b(?:committee|forum|council)\b")
_URL = re.compile(r"\S*(?:https?://|www\.)\S*")
# A line that is a date and nothing else: "2017", "Date: 14 May 2019", "14/05/2019", "May 2019".
_SIGNING_DATE = re.compile(r"(?i)(?:dated?\s*:?\s*)?(?:\d{1,2}(?:st|nd|rd|th)?\s+)?(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|"
                           r"nov|dec)[a-z]*\.?\s+(?:\d{1,2}(?:st|nd|rd|th)?,?\s+)?)?(?:19|20)\d\d|\d{1,2}[/.]\d{1,2}[/.]\d{2,4}")
SIGNING_LINE_WORDS = 16


def _titled_company(text: str, directors: list[tuple[int, int]]) -> str | None:
    """The company of a signing line that names no one: a short line, mostly capitalised (links
    aside), that opens with a director title followed at once by a company's name."""
    bare = _URL.sub("", text)
    if len(bare.split()) > SIGNING_LINE_WORDS or not _mostly_capitalised(bare) \
            or text[:directors[0][0]].strip(" \t,.-–—:_"):
        return None
    match = _OF_COMPANY.match(text, directors[0][1])
    if match is None or _NOT_A_COMPANY.search(text[directors[0][1]:match.end()]):
        return None  # "Chair of the Audit Committee of Acme plc": a committee's chair
    return match.group(1)


def _place_unnamed(check: GateCheck, sentences: Sequence[Sentence], findings: list[Finding]) -> list[Finding]:
    """A title-and-company line with no name ("Chief Executive Officer Ed Broking LLP 14 May 2019")
    signs only under a signing cue (within two lines above), as the statement's closing line (only
    short capitalised lines after it: an address, a link, a page number) or over a line that is a
    date and nothing else, the signing date ("Director of AIG Europe Limited" / "2017"); elsewhere it
    may be a caption, a contact line or a section heading, and what it shows is left for the reader.
    A line laid out as a heading signs only over its date."""
    position = {s.index: i for i, s in enumerate(sentences)}
    cues = _terms(check, "cues")
    out = []
    for f in findings:
        if f.unnamed:
            i = position[f.index]
            above = any(cues.search(s.text) for s in sentences[max(0, i - 2):i])
            last = all(len(_URL.sub("", s.text).split()) <= 12 and _mostly_capitalised(_URL.sub("", s.text))
                       and s.kind != "signature_block" for s in sentences[i + 1:])
            dated = i + 1 < len(sentences) and bool(_SIGNING_DATE.fullmatch(sentences[i + 1].text.strip()))
            if sentences[i].kind == "heading":
                above = last = False
            if not above and not last and not dated:
                f = replace(f, state="not_explicit", reason=f"a title and company ({f.who}) with no name, not "
                            "under a signing line: check the signature", unnamed=False)
        out.append(f)
    return out


def _mostly_capitalised(text: str) -> bool:
    """A signature line, not prose: at most two lower-case words other than small joining words."""
    lower = [w for w in re.findall(r"[^\W\d_]+", text) if w[:1].islower()
             and w not in ("of", "and", "the", "for", "on", "behalf", "by", "to", "at", "in", "date", "dated", "day")]
    return len(lower) <= 2


# ---------------------------------------------------------------- period

_RANGE = re.compile(r"^\s*(?:to|until|till|through|and|[-–—])(?:\s+the)?\s*$", re.I)
# Words that make a year-long span of two full dates the statement's period even without a period
# cue ("This statement covers January 1, 2016 to December 31, 2016", "during the [fi]nancial year
# 1st April 2016 to the 31st March 2017" with its ligature lost in extraction).
_SPAN_WORDS = re.compile(r"(?i)\b(?:statement|report|year|period|covers|covering|relates)\b")
SPAN_DAYS = (300, 550)  # a reporting period: about a year (52 weeks, or a longer first period)


# A year alone (no date) in a sentence that plans ahead ("Steps to take during our 2018 financial
# year": the check's ``plans`` words) or reports the firm's figures ("In FY 2016, JLL's consolidated
# revenue exceeded $6.8 billion": a ``figures`` word with an amount after it) is not the year the
# statement covers.
_AMOUNT_AFTER = re.compile(r"[^\n]{0,40}[$£€]")  # a currency sign on the same line, just after a figures word
# A bare year that something starts from or is due by is a point in time, not the period covered:
# "a Supplier Code ... progressively implemented starting in fiscal 2016", "since FY2015", "by FY2020".
_SINCE = re.compile(r"(?i)\b(?:starting|beginning|commencing|since|from|by|until|till)\s+(?:in\s+)?(?:(?:the|our)\s+)?"
                    r"(?:(?:fiscal|financial)(?:\s+year)?\s+|fy\s*)?$")
PLAN_BEFORE, PLAN_AFTER = 40, 25  # characters around a year that a plan word must fall within
# A span of dates that is another statement's or a contract's period (the check's ``other_periods``:
# "our previous statement", "contracts", "leases"), not this statement's.


# What makes a date after a period's cue the statement's signing or publication date, not the period's end.
_SIGNED = re.compile(r"(?i)\b(?:approved|signed|published|dated|issued|adopted|reported|released)\b")
# A statement named with its year: "Statement for 2017", "statement of the full year 2017".
_STATEMENT_FOR_YEAR = re.compile(rf"(?i)\bstatement\s+(?:for|of)\s+(?:the\s+)?(?:(?:full|calendar)\s+)?(?:year\s+)?"
                                 rf"({YEAR}(?:\s*[/\-–]\s*(?:19|20)?\d\d)?)(?![\d%])")
# An earlier statement named by what this one does since or with it: "Since our Modern Slavery Statement
# for 2017 was published", "This statement builds on our Statement for 2017", "Following our statement for 2017".
_AFTER_ANOTHER = re.compile(r"(?i)\b(?:since|following|after|builds?\s+on|built\s+on|updates?|compared\s+(?:with|to)|"
                            r"than)\s+(?:[\w&'’-]+\s+){0,6}$")


def _other_period(check: GateCheck, text: str) -> bool:
    return bool(_terms(check, "other_periods").search(text))


def _not_the_period(check: GateCheck, text: str, start: int, end: int, after: bool = True) -> bool:
    """A year or date at text[start:end] for plans ("Steps to take during our 2018 financial year",
    "actions we will take in the period 1 April 2024 ...") or the firm's figures ("In FY 2016, ...
    revenue exceeded $6.8 billion"): a plan word just before or after it, or figures just after."""
    plans = _terms(check, "plans")
    if plans.search(text[max(0, start - PLAN_BEFORE):start]) or (after and plans.search(text[end:end + PLAN_AFTER])):
        return True
    around = text[max(0, start - PLAN_BEFORE):end + 60]
    return any(_AMOUNT_AFTER.match(around, b) for _, b in _terms(check, "figures").spans(around))


def _period(check: GateCheck, s: Sentence, position: float, short: bool) -> Finding | None:
    text = s.text
    fiscal = FISCAL_YEAR.search(text)
    if fiscal and (_not_the_period(check, text, *fiscal.span()) or _SINCE.search(text[:fiscal.start()])) \
            and not parse_dates(text):
        fiscal = None
    cues = _terms(check, "cues").spans(text)
    named = _STATEMENT_FOR_YEAR.search(text)
    if named and not cues and not _other_period(check, text[:named.end()]) \
            and not _not_the_period(check, text, named.start(1), named.end(1)) \
            and not _AFTER_ANOTHER.search(text, 0, named.start()):
        # "Our Modern Day Slavery Statement for 2017 sets out ...", "This annual statement of the full year 2017"
        return Finding("met", f"period covered: {named.group(1)}", s.index)
    if fiscal and not any(-10 <= d[0] - c[1] <= 80 and not _SIGNED.search(text, c[1], d[0])
                          for d in parse_dates(text) for c in cues):
        # "FY2015/2016", "(FY17-18)": the year is the cue; a date after a cue outranks it ("for the
        # financial year 2016, ended on 31st January 2017, ("FY2016")"), but not a signing or
        # publication date ("FY2018 and was approved by the Board on 12 June 2019")
        return Finding("met", f"period covered: {fiscal.group()}", s.index)
    if not cues:
        span = _date_span(text) if _SPAN_WORDS.search(text) else None
        if span is None:
            return None
        if _other_period(check, text[:span[2]]) or _not_the_period(check, text, span[2], span[3], after=False):
            # "Our first statement covered ...", "Our supplier contract period runs ...", "the actions we
            # will take in the period 1 April 2024 to 31 March 2025"
            return Finding("not_explicit", "dates are given, for another statement, a contract or plans, not as "
                           "the period this statement covers", s.index)
        return Finding("met", f"period covered: {span[0]} to {span[1]}", s.index, span[:2], weak=True)
    ranges = [r for r in date_ranges(text) if any(-10 <= r[0] - c[1] <= 80 for c in cues)]
    if ranges and not _other_period(check, text[:ranges[0][0]]) \
            and not _not_the_period(check, text, ranges[0][0], ranges[0][1], after=False):
        # "the financial year 1st January - 31st December 2018", "the year commencing 1 January 2017 and
        # ending 31 December 2017": both ends, the first taking the last one's year where it has none
        return Finding("met", f"period covered: {ranges[0][2]} to {ranges[0][3]}", s.index, ranges[0][2:])
    dates = parse_dates(text)
    window = [d for d in dates if any(-10 <= d[0] - c[1] <= 80 for c in cues)]
    if window and (_other_period(check, text[:window[0][0]])
                   or _not_the_period(check, text, window[0][0], window[0][1], after=False)):
        return Finding("not_explicit", "dates are given, for another statement, a contract or plans, not as the "
                       "period this statement covers", s.index)
    if window:
        first = window[0]
        nxt = next((d for d in window[1:] if _RANGE.match(text[first[1]:d[0]])), None)
        before = text[max(0, first[0] - 12):first[0]].lower()
        if nxt is not None:
            period = (first[2], nxt[2])
        elif re.search(r"\b(?:from|starting|beginning|commencing)\s*$", before):
            period = (first[2], None)
        else:
            period = (None, first[2])
        shown = " to ".join(p for p in period if p)
        return Finding("met", f"period covered: {shown}", s.index, period)
    years = [m for m in YEAR_OR_SPAN.finditer(text) if any(-12 <= m.start() - c[1] <= 40 or 0 <= c[0] - m.end() <= 12
                                                    for c in cues) and not _ACT_BEFORE.search(text, 0, m.start())]
    if years and not _not_the_period(check, text, *years[0].span()) and not _SINCE.search(text[:years[0].start()]):
        return Finding("met", f"period covered: {years[0].group().strip()}", s.index)
    if years:
        return Finding("not_explicit", "a year is mentioned, for plans, the firm's figures or as a starting point, "
                       "not as the period the statement covers", s.index)
    return Finding("not_explicit", "a period is mentioned, but no dates or year", s.index, open=True)


def _date_span(text: str) -> tuple[str, str, int, int] | None:
    """The first range of dates ("1 April 2016 to 31 March 2017", "1st January - 31st December 2018")
    about a year long, as ISO dates, with where the range starts and ends in ``text``."""
    for start, end, first, last in date_ranges(text):
        days = date.fromisoformat(last).toordinal() - date.fromisoformat(first).toordinal()
        if SPAN_DAYS[0] <= days <= SPAN_DAYS[1]:
            return first, last, start, end
    return None


DECISIONS: dict[str, Callable[[GateCheck, Sentence, float, bool], Finding | None]] = {
    "approval": _approval, "signature": _signature, "period": _period,
}


# ---------------------------------------------------------------- the gate


def decide_check(check: GateCheck, sentences: Sequence[Sentence]) -> tuple[str, str, tuple[int, ...],
                                                                          tuple[str | None, str | None] | None]:
    """(state, reason, indexes of the evidence sentences, period) for one check with ``decide``."""
    decide = DECISIONS[check.decide or ""]
    n = len(sentences)
    findings: list[Finding] = []
    for position, s in enumerate(sentences):
        relative = 1.0 if n <= TAIL_MIN or position >= n - TAIL_MIN else position / n
        found = decide(check, s, relative, len(s.text.split()) <= SHORT_WORDS)
        if found is not None:
            findings.append(found)
    if check.decide == "approval":
        findings = _join_approval_fragments(check, sentences, findings)
    if check.decide == "signature":
        findings = _board_committees(sentences, _place_unnamed(check, sentences,
                                                               _join_signature_runs(check, sentences, findings)))
    if check.decide == "period":
        findings = _join_period_lines(check, sentences, findings)
    if check.decide == "period" and not any(f.state == "met" for f in findings):
        findings += _title_period(check, sentences)
    if not findings:
        return "not_found", _NOT_FOUND[check.decide or ""], (), None
    best = min(RANK[f.state] for f in findings)
    chosen = [f for f in findings if RANK[f.state] == best]
    if check.decide == "period":
        # The statement's own period: the first dated mention, usually in its opening or title.
        # A span of dates with no period cue counts only when no cue gave the period ("made for our
        # financial year 2017" beats "Our first statement covered the year 1 January 2016 to ...").
        chosen.sort(key=lambda f: (f.weak, f.period is None or f.period[1] is None, f.index))
        if not chosen[0].weak:
            chosen = [f for f in chosen if not f.weak]
    period = next((f.period for f in chosen if f.period), None)
    # the reason names a signer where one was found ("By order of the Board" / "Jane Smith, Company Secretary")
    reason = next((f.reason for f in chosen if f.who), chosen[0].reason)
    signers = list(dict.fromkeys(f.who for f in chosen if f.who))
    if len(signers) > 1:
        reason = f"signed by {'; '.join(signers[:3])}" + (" (a director or equivalent)" if best == 0 else "")
    return chosen[0].state, reason, tuple(dict.fromkeys(i for f in chosen for i in (f.index, *f.also))), period


# A sentence cut after its auxiliary ("This ... statement for the financial year ending 31 December
# 2018 has") and the rest of it, which extraction put elsewhere ("been approved by the board of
# directors of TSHL on 13 March 2019."): the perfect's "has" / "been", or "was" / "approved".
_CUT_AUXILIARY = re.compile(r"(?i)\b(has|have|had|was|were|is|are)\s*$")
_CUT_REST = {"has": "been", "have": "been", "had": "been"}


def _join_approval_fragments(check: GateCheck, sentences: Sequence[Sentence], findings: list[Finding]) -> list[Finding]:
    """A sentence that opens in lower case with its approval verb ("been approved by the board ...")
    is the end of a sentence extraction cut: it is read with the nearest earlier sentence that names
    the statement and stops at the matching auxiliary ("... statement ... has")."""
    found = {f.index for f in findings}
    out = list(findings)
    for i, s in enumerate(sentences):
        text = s.text.lstrip()
        if s.index in found or not text[:1].islower():
            continue
        verbs = _terms(check, "verbs").spans(text)
        if not verbs:
            continue
        lead = text[:verbs[0][0]].split()
        if len(lead) > 1 or (lead and lead[0].lower() not in ("been", "being")):
            continue
        for earlier in reversed(sentences[max(0, i - CUT_SENTENCES):i]):
            cut = _CUT_AUXILIARY.search(earlier.text)
            if cut is None:
                continue
            # the first cut sentence above is the only candidate: it joins when the statement is the
            # subject of its auxiliary ("This ... statement for the financial year ending 31 December 2018
            # has"), not an object before it ("This statement sets out the policies that have", "The Code
            # described in this statement has")
            if (_CUT_REST.get(cut.group(1).lower()) == "been") == bool(lead) \
                    and _statement_is_subject(check, earlier.text, cut.start()):
                joined = Sentence(index=earlier.index, text=f"{earlier.text.rstrip()} {text}", page=earlier.page,
                                  start=0, end=0, kind=earlier.kind)
                again = _approval(check, joined, 1.0, False)
                if again is not None:
                    out.append(replace(again, also=(s.index,)))
            break
    return sorted(out, key=lambda f: f.index)


# How far above a cut approval its subject may stand: a two-column page put the rest of a column between
# (uk_texts id 28: ten sentences); only the first cut sentence above is read, so the window only bounds it.
CUT_SENTENCES = 12
_NOT_SUBJECT_BETWEEN = re.compile(r"(?i)\b(?:that|which|who|whom|whose)\b|[,;:]")
_PREPOSITION_BEFORE = re.compile(r"(?i)\b(?:in|into|throughout|of|to|by|with|within|under|from|for|on|about)[ \t]+"
                                 r"(?:(?:this|the|our|its|each|every)[ \t]+)?(?:[\w'’-]+[ \t]+){0,4}$")


def _statement_is_subject(check: GateCheck, text: str, auxiliary: int) -> bool:
    """The statement, named before the auxiliary at ``auxiliary``, is the subject that auxiliary goes
    with: no relative pronoun or comma between them, and not the object of a preposition ("The Code
    described in this statement has", "Each supplier listed in this report was")."""
    objects = [span for span in _terms(check, "objects").spans(text) if span[1] <= auxiliary]
    if not objects:
        return False
    start, end = objects[-1]
    return not _NOT_SUBJECT_BETWEEN.search(text, end, auxiliary) and not _PREPOSITION_BEFORE.search(text, 0, start)


_NOT_FOUND = {
    "approval": "no sentence found saying that the board (or equivalent) approved it: check the nearest "
                "sentences and the pages",
    "signature": "no signature block or signing statement found: check the last pages",
    "period": "no financial year or reporting period found: check the title and opening",
}


_DATE_LINE = re.compile(rf"(?i)^\W*(?:{DAY}\b|{YEAR}\b|{MONTH}\b)")
# What a cue's end and the line under it must make together: a day and month, or a month and year
# ("ending 31" / "December 2017", "Ending 31st December" / "2016"), not a figure opening a sentence
# ("... for the financial year are set out in table 2" / "2020 saw us train 400 staff").
_JOINED_DATE = re.compile(rf"(?i)\b(?:{DAY}(?:\s+of)?\s+{MONTH}\b|{MONTH}\b\.?\s+{DAY}\b|{MONTH}\b\.?,?\s+{YEAR}\b)")
JOIN_TAIL_WORDS = 3
DATE_LINE_WORDS = 5
# A cue left unfinished at the line's end, that the date line under it completes ("... for the
# financial year ending 31" / "December 2018", "Financial Year Ending 31st December" / "2016"); a
# finished sentence ("... during the financial year.") is not completed by the signing date under it.
_DANGLING = re.compile(rf"(?i)(?:\b(?:ending|ended|ends|end|to|from|until|till|through|for|of)|\b{DAY}|"
                       rf"\b{MONTH}\b\.?(?:\s+{DAY})?)"
                       r"[\s,:\-–—]*$")


def _join_period_lines(check: GateCheck, sentences: Sequence[Sentence], findings: list[Finding]) -> list[Finding]:
    """A period cue whose date went on to the next line ("... for the financial year ended 31" /
    "December 2017 for Man Group plc ..."): a cue with no date, left unfinished, is read again with the
    first words of the next sentence's first line (the sentence splitter may have run the date line
    into the signing line under it: "March 2019.\nKeith Meekins - Chief Executive Officer"). When
    extraction put the date further away (a two-column page: "... for the financial year ending" ...
    "31st March 2017." above the signature), a cue ending in its period word takes the one line later
    in the document that is a full date closing a sentence and nothing else."""
    position = {s.index: i for i, s in enumerate(sentences)}
    out = []
    for f in findings:
        i = position[f.index]
        nxt = sentences[i + 1] if f.open and i + 1 < len(sentences) else None
        line = nxt.text.strip().split("\n")[0] if nxt is not None else ""
        dangling = f.open and bool(_DANGLING.search(sentences[i].text))
        borrowed = " ".join(line.split()[:DATE_LINE_WORDS])
        if line and _DATE_LINE.match(line) and dangling and _makes_a_date(sentences[i].text, borrowed):
            again = _period_with(check, sentences[i], borrowed)
            if again is not None:
                f = replace(again, also=(nxt.index,))
        if f.open and dangling and _CUE_AT_END.search(sentences[i].text):
            orphans = [j for j in range(i + 1, len(sentences))
                       if _ORPHAN_DATE.fullmatch(sentences[j].text.strip().split("\n")[0])]
            # a date under a signer's name or title, or after "Date:", is the signing date, not the period's end
            if len(orphans) == 1 and not _signing_date(check, sentences, orphans[0]):
                orphans = [sentences[orphans[0]]]
            else:
                orphans = []
            if orphans:
                again = _period_with(check, sentences[i], orphans[0].text.strip().split("\n")[0])
                if again is not None:
                    f = replace(again, also=(orphans[0].index,))
        out.append(f)
    return out


SIGNER_LINE_WORDS = 8  # a name or title line above a signing date


def _signing_date(check: GateCheck, sentences: Sequence[Sentence], position: int) -> bool:
    """The date line opening ``sentences[position]`` stands in a signature: the line above it is a
    short line with a signer's title or a signing word ("Director", "Chief Executive Officer",
    "Date:"), or a bare name ("John Smith"); a date over the signer ("31st March 2017." / "Keith Meekins -
    Chief Executive Officer") closes the text above it."""
    if position == 0:
        return False
    above = sentences[position - 1].text.strip().split("\n")[-1].strip()
    if not above or len(above.split()) > SIGNER_LINE_WORDS:
        return False
    if check.terms.get("signing_words") and _terms(check, "signing_words").search(above):
        return True
    # a bare name line ("John Smith"), not a list item or heading closed by a full stop ("Information Security.")
    name = has_name(above) if not above.endswith(".") else None
    return name is not None and len(name.split()) >= len(above.rstrip(",:").split()) - 1


def _makes_a_date(text: str, borrowed: str) -> bool:
    """``borrowed`` (the next line's first words) completes a date begun at the end of ``text`` or
    is one: a day and month or a month and year runs into it from the cue's last words."""
    tail = " ".join(text.split()[-JOIN_TAIL_WORDS:])
    joined = f"{tail} {borrowed}"
    starts = [m.start() for m in re.finditer(r"\S+", joined) if m.start() <= len(tail) + 1]
    return any((m := _JOINED_DATE.match(joined, at)) is not None and m.end() > len(tail) + 1 for at in starts)


def _period_with(check: GateCheck, s: Sentence, line: str) -> Finding | None:
    """The period read from ``s`` with ``line`` put after it, when that meets the check."""
    joined = Sentence(index=s.index, text=f"{s.text} {line}", page=s.page, start=0, end=0, kind=s.kind)
    again = _period(check, joined, 0.0, True)
    return again if again is not None and again.state == "met" else None


# A cue that ends its line still waiting for its date: "... for the financial year ending", "... year ended".
_CUE_AT_END = re.compile(r"(?i)\b(?:ending|ended|ends|end(?:ing)?\s+on|to)\s*[,:\-–—]?\s*$")
# A line that is a full date closing a sentence and nothing else: "31st March 2017.", "March 31, 2017."
_ORPHAN_DATE = re.compile(rf"(?i)(?:{DAY}\s+{MONTH}\.?|{MONTH}\.?\s+{DAY},?)\s+{YEAR}\.")


_TITLE_WORD = re.compile(r"(?i)\b(?:statement|report|disclosure)\b")
_YEAR_LINE = re.compile(r"\s*(?:19|20)\d\d(?:\s*[/\-–—]\s*(?:19|20)?\d\d)?\s*")


def _statement_title(check: GateCheck, text: str) -> bool:
    """A statement's title: a short line naming a statement or report, not another one, nor a policy
    (the year under "Human Rights Policy Statement" is the policy's version, not a period covered)."""
    return bool(_TITLE_WORD.search(text)) and len(text.split()) <= 12 and not YEAR_OR_SPAN.search(text) \
        and not _other_period(check, text) and not _POLICY.search(text)


_POLICY = re.compile(r"(?i)\bpolic(?:y|ies)\b")
# A clause, not a title: "We will review this statement during the next financial year".
_CLAUSE_WORD = re.compile(r"(?i)\b(?:we|will|shall|is|are|was|were|be|been|has|have|had|covers|sets|describes|"
                          r"outlines|explains|review|reviews|reviewed|took|taken|takes)\b")
_ENDS_WITH_ACT = re.compile(r"(?i)(?:\bact|\bsection|\bs\.|\bsection\s+\d+(?:\(\d\))?\s+of\s+the\s+act)\s*(?:of)?\s*$")


def _title_over_year(check: GateCheck, title: Sentence, year: str) -> bool:
    """A year line under a title is the title's year only when the title is one (a heading, or a line
    with no verb and no full stop) and does not end with the Act, whose year it would be ("Statement
    pursuant to the Modern Slavery Act" / "2015"), nor plan ahead ("... during the next financial year" / "2021")."""
    text = title.text.rstrip()
    if _ENDS_WITH_ACT.search(text):
        return False
    if title.kind != "heading" and (text.endswith(".") or _CLAUSE_WORD.search(text)):
        return False
    joined = f"{text} {year.strip()}"
    return not _not_the_period(check, joined, len(text) + 1, len(joined))


def _title_period(check: GateCheck, sentences: Sequence[Sentence]) -> list[Finding]:
    """The period in a statement's title or opening lines: "Modern Slavery Statement 2018",
    "Statement 2019/20", "Transparency statement FY23" (never the Act's own year: "Act 2015")."""
    out = []
    for i, s in enumerate(sentences[:TITLE_SENTENCES]):
        if s.page > 2:
            break
        if i and _YEAR_LINE.fullmatch(s.text) and _statement_title(check, sentences[i - 1].text) \
                and _title_over_year(check, sentences[i - 1], s.text):
            # "Slavery and human trafficking statement" / "2016": the title's year on a line of its own
            out.append(Finding("met", f"period covered: {s.text.strip()} (from the title)", sentences[i - 1].index,
                               also=(s.index,)))
            break
        span = _date_span(s.text)
        if i and span and not s.text[:span[2]].strip() and not s.text[span[3]:].strip(" .") \
                and _statement_title(check, sentences[i - 1].text):
            # "Modern Slavery and Ethical Trading Statement" / "September 2016 – August 2017"
            out.append(Finding("met", f"period covered: {s.text.strip()} (from the title)", sentences[i - 1].index,
                               span[:2], also=(s.index,)))
            break
        titles = [t.span() for t in _TITLE_WORD.finditer(s.text)]
        if not titles or len(s.text.split()) > 30 or _other_period(check, s.text):
            continue
        for m in YEAR_OR_SPAN.finditer(s.text):
            if _ACT_BEFORE.search(s.text, 0, m.start()) or _EVENT_YEAR.search(s.text, 0, m.start()):
                continue  # the Act's own year ("Act (2015)", "Act, 2015", "MSA 2015"), an event's ("since 2016")
            # beside the title word: "Statement 2018", "Statement for FY2023/24", "2019 Modern Slavery
            # Statement"; or closing a title line ("Statement on Slavery and Human Trafficking 2017"); not
            # "The Act came into force in 2015" later in the same line
            if not any(0 <= m.start() - b <= 25 or 0 <= a - m.end() <= 40 for a, b in titles) \
                    and not _closes_title_line(s.text, m.start(), m.end()):
                continue
            out.append(Finding("met", f"period covered: {m.group().strip()} (from the title)", s.index))
            break
        split = next((m for m in SHORT_SPLIT_YEAR.finditer(s.text) if int(m.group(2)) == int(m.group(1)) + 1
                      and any(0 <= m.start() - b <= 25 for _, b in titles)
                      and not _PAGE_BEFORE.search(s.text, 0, m.start())), None)
        if not out and split:  # "MODERN SLAVERY STATEMENT 18/19"
            out.append(Finding("met", f"period covered: {split.group()} (from the title)", s.index))
        if out:
            break
    return out


TITLE_LINE_WORDS = 12
_MONTH_BEFORE = re.compile(rf"(?i)\b{MONTH}\b\.?,?\s*(?:{DAY},?\s*)?$")


_PAGE_BEFORE = re.compile(r"(?i)\b(?:pages?|pp?\.)\s*$")  # "pages 24/25", "Page 12/13": page numbers, no split year
_ACT_BEFORE = re.compile(r"(?i)(?:\b(?:act|msa)[ \t]*[,(]?[ \t]*(?:of[ \t]*)?|\b(?:section|s\.)[ \t]*)$")
# An event's year, not the statement's: "incorporated in 2009", "every year since 2016".
_EVENT_YEAR = re.compile(r"(?i)\b(?:in|since|incorporated|established|founded|registered)[ \t]*$")


def _closes_title_line(text: str, start: int, end: int) -> bool:
    """The year at text[start:end] closes a short line that is a title (the test ``_title_over_year``
    uses: no clause word, nothing after the year but a colon or dash, so no sentence's full stop),
    and is no date of issue ("Statement against Slavery ... May 2016": a month before it) nor an
    event's year ("Modern Slavery Statement of Acme Limited, incorporated in 2009")."""
    if _MONTH_BEFORE.search(text, 0, start) or _EVENT_YEAR.search(text, 0, start):
        return False
    line_start = text.rfind("\n", 0, end) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    line = text[line_start:line_end]
    return not text[end:line_end].strip(" \t:–—-") and len(line.split()) <= TITLE_LINE_WORDS \
        and bool(_TITLE_WORD.search(line)) and not _CLAUSE_WORD.search(line)


def candidates(check: GateCheck, sentences: Sequence[Sentence], limit: int = MAX_CANDIDATES) -> list[Sentence]:
    """The sentences nearest to meeting a check that was not found, best first, for the reader to
    look at: those with the most of the check's terms (approval: a verb, a body, the statement;
    signature: a cue or a title, near the end; period: a year or a period cue, near the start)."""
    n = len(sentences)
    scored = []
    for position, s in enumerate(sentences):
        text = s.text
        if len(text) > 600:
            continue
        groups = {name: bool(pattern.search(text)) for name, pattern in
                  ((name, _terms(check, name)) for name in check.terms if name in _CANDIDATE_TERMS)}
        score = sum(groups.values())
        if check.decide == "period" and YEAR_OR_SPAN.search(text):
            score += 1 + (position < 10)
        if check.decide == "signature":
            score += (position >= n - TAIL_MIN) and (has_name(text) is not None)
        if score >= (1 if check.decide != "approval" else 2):
            scored.append((-score, position, s))
    scored.sort(key=lambda x: (x[0], x[1]))
    return [s for _, _, s in scored[:limit]]


_CANDIDATE_TERMS = {"verbs", "bodies", "objects", "cues", "director_titles", "other_titles"}


def _join_signature_runs(check: GateCheck, sentences: Sequence[Sentence], findings: list[Finding]) -> list[Finding]:
    """Lines of one signature read as separate sentences: a cue with no signer ("Signed on behalf
    of the Board") or a bare name ("Jane Doe") and the title line after it are decided together."""
    n = len(sentences)
    found = {f.index: f for f in findings}
    out = []
    absorbed: set[int] = set()  # a title line read with the name line above it
    for position, s in enumerate(sentences):
        if s.index in absorbed:
            continue
        f = found.get(s.index)
        cue_only = f is not None and f.open  # a cue, or a signer with no title: read on
        following = sentences[position + 1:position + (3 if cue_only and not f.who else 2)]
        # a name line over a line that is a director title and nothing else: in the closing lines, or
        # anywhere with a signing cue above it or a company or date line under it ("Fabio Bariletti" /
        # "Chief Executive Officer" / "Kairos Investment Management Limited", before an address block);
        # never a table's cells, a board biography ("Jane Smith" / "CEO" / "Jane joined the Group ..."),
        # a contact or case-study box
        titled = bool(following) and _title_line(check, following[0].text) and s.kind != "table_row" \
            and following[0].kind != "table_row" and not _about_the_person(check, sentences, position)
        tail = position >= n * (1 - TAIL_SHARE)
        anywhere = titled and _signing_context(check, sentences, position)
        bare_name = f is None and (tail or anywhere) and s.kind != "table_row" and len(s.text.split()) <= 6 \
            and not _about_the_person(check, sentences, position) \
            and has_name(s.text) is not None and _mostly_capitalised(s.text) and not _COMPANY.search(s.text) \
            and not any(x.index in found and not titled for x in following)
        above = sentences[position - 1] if position else None
        if cue_only and not f.who and above is not None and _title_heading_between(check, above, s):
            # "Paul McMillan" / "CEO" / "For and on behalf of Acenden Limited": the one-word title line
            # was taken for a heading, so it survives only as the cue's heading; the three lines sign
            joined = Sentence(index=s.index, text="\n".join((above.text, s.heading or "", s.text)), page=s.page,
                              start=0, end=0, kind="signature_block")
            again = _signature(check, joined, 1.0, True)
            if again is not None and again.state == "met":
                out.append(Finding(again.state, again.reason, above.index, who=again.who, also=(s.index,)))
                continue
        if cue_only or bare_name:
            joined = Sentence(index=s.index, text="\n".join(x.text for x in (s, *following)), page=s.page,
                              start=0, end=0, kind="signature_block" if cue_only else s.kind)
            again = _signature(check, joined, 1.0, True)
            # the name's title on the next line ("Jane Smith" / "Company Secretary"): read together
            titled_now = bool(again and f is not None and f.who and again.who.startswith(f"{f.who}, "))
            named_now = bool(again and again.who and f is not None and not f.who and _name_line(following[0].text))
            if again is not None and (again.state == "met" or bare_name or named_now or titled_now):
                f = Finding(again.state, again.reason, s.index, who=again.who)
                if (titled and (bare_name or again.state == "met")) or titled_now:
                    absorbed.add(following[0].index)  # its title is read with this name
                    f = replace(f, also=(following[0].index,))
        if f is not None:
            out.append(f)
    return out


def _title_heading_between(check: GateCheck, above: Sentence, s: Sentence) -> bool:
    """A name line right above a sentence whose heading, new at that sentence, is a director title
    and nothing else: the title line stood between the name and the sentence."""
    return bool(s.heading) and s.heading != above.heading and _title_line(check, s.heading or "") \
        and _name_line(above.text) and above.kind != "table_row" and s.kind != "table_row"


_PRONOUN = re.compile(r"(?i)^(?:he|she|they|his|her|their)\b")


def _name_line(text: str) -> bool:
    """A line that is a person's name and nothing else ("Bryan McMurdo", "Mrs Karen Marshall")."""
    return len(text.split()) <= 6 and has_name(text) is not None and _mostly_capitalised(text) \
        and not _COMPANY.search(text) and has_name(text) == " ".join(w.strip(",.:;()") for w in text.split())


def _about_the_person(check: GateCheck, sentences: Sequence[Sentence], position: int) -> bool:
    """The name and title lines head a box about the person, not a signature: the line above is a
    "Contact us", "Case Study" or "Meet our team" heading (the check's ``not_signature_boxes``), or
    the line under the title goes on in prose about them ("Jane joined the Group in 2015 ...", "She
    leads ...")."""
    above = sentences[position - 1].text if position > 0 else ""
    if above and len(above.split()) <= 6 and _terms(check, "not_signature_boxes").search(above):
        return True
    if position + 2 >= len(sentences):
        return False
    after = sentences[position + 2].text.strip()
    name_words = {w.strip(",.").lower() for w in sentences[position].text.split()}
    first = after.split()[0].strip(",.").lower() if after.split() else ""
    return len(after.split()) > 6 and not _mostly_capitalised(after) \
        and (first in name_words or bool(_PRONOUN.match(after)))


def _signing_context(check: GateCheck, sentences: Sequence[Sentence], position: int) -> bool:
    """A name-over-title pair away from the closing lines is a signature only beside a signing cue
    (the line above) or a company or date (on the title line or a short line under it)."""
    above = sentences[position - 1].text if position > 0 else ""
    if above and _terms(check, "cues").search(above) and not _terms(check, "not_signature").search(above):
        return True
    # (not a list of people: "Our Steering Group is made up of:" / "Jane Smith" / "Managing Director, Acme
    # Bank" / "John Brown" / ...)
    listed = above.rstrip().endswith(":") or (position + 2 < len(sentences) and _name_line(sentences[position + 2].text))
    if position + 1 < len(sentences) and _title_of_a_company(check, sentences[position + 1].text) and not listed:
        return True
    if position + 2 >= len(sentences):
        return False
    after = sentences[position + 2].text
    return len(after.split()) <= 8 and _mostly_capitalised(after) \
        and bool(_COMPANY.search(after) or parse_dates(after) or re.fullmatch(r"\W*(?:19|20)\d\d\W*", after))


def _opens_with_title(check: GateCheck, text: str) -> bool:
    """The text opens with a director title, or with one after the check's ``title_qualifiers`` only
    ("Joint Managing Director", "Global Managing Partner")."""
    directors = _director_titles(check, text)
    if not directors:
        return False
    before = text[:directors[0][0]].strip(" \t,.-–—:")
    qualifiers = {q.lower() for q in check.terms.get("title_qualifiers", ())}
    return all(word.lower() in qualifiers for word in before.split())


# A signing date that closes a title line: "Joint Managing Director Hammonds Furniture Ltd Date: July 2017".
_CLOSING_DATE = re.compile(rf"[ \t,]*(?:{_SIGNING_DATE.pattern.removeprefix('(?i)')})\W*$", re.I)


def _title_line(check: GateCheck, text: str) -> bool:
    """A short line that opens with a director title and names no one: "Chief Executive Officer",
    "Managing Director, Acme Ltd" (a signing date after it aside)."""
    text = _CLOSING_DATE.sub("", text)
    if len(text.split()) > 8 or has_name(text, exclude=_terms(check, "director_titles").spans(text)):
        return False
    return _opens_with_title(check, text)


def _title_of_a_company(check: GateCheck, text: str) -> bool:
    """A title line that goes on with a company or a date ("Global Managing Partner, Maples Group",
    "Joint Managing Director Hammonds Furniture Ltd Date: July 2017"): a signing line's, as when the
    company or the date stands on the line under it."""
    directors = _director_titles(check, text)
    rest = text[directors[0][1]:] if directors else ""
    return bool(_COMPANY.search(rest) or _SIGNING_DATE.search(rest))


def score_checks(rubric: Rubric, sentences: Sequence[Sentence], jurisdictions: Sequence[str],
                 fallback: Mapping[str, tuple[Quote, ...]]) -> tuple[GateResult, ...]:
    """Every gate check of the rubric for one statement, carrying the wording of each law the
    statement answers (``jurisdictions``, the first leading; the UK's when it names none). Checks
    without ``decide`` (a rubric written before gate.py) are met by their element's or patterns'
    evidence in ``fallback``."""
    by_index = {s.index: s for s in sentences}
    results = []
    for check in rubric.gate:
        requirements = requirements_for(check, jurisdictions)
        requirement = requirements[0][1] if requirements else ""
        if check.decide is None:
            quotes = unique_quotes(fallback.get(check.id, ()))
            results.append(GateResult(id=check.id, name=check.name, state="met" if quotes else "not_found",
                                      requirement=requirement, evidence=quotes[:MAX_QUOTES],
                                      reason="found by the element's classifiers" if quotes else "",
                                      element=check.element, requirements=requirements))
            continue
        state, reason, indexes, period = decide_check(check, sentences)
        quotes = unique_quotes(_quote(by_index[i]) for i in indexes)
        near = unique_quotes(_quote(s) for s in candidates(check, sentences)) if state == "not_found" else ()
        results.append(GateResult(id=check.id, name=check.name, state=state, requirement=requirement,
                                  evidence=quotes[:MAX_QUOTES], reason=reason, period=period, element=check.element,
                                  requirements=requirements, candidates=near))
    return tuple(results)


def _quote(s: Sentence) -> Quote:
    return Quote(s.page, s.text, s.boxes, s.ocr)


def requirements_for(check: GateCheck, jurisdictions: Sequence[str]) -> tuple[tuple[str, str], ...]:
    """(jurisdiction, wording) for each law named that the check has wording for, in order; the UK's
    (else the first written) when none of them has any."""
    found = tuple((j, check.requirement[j]) for j in dict.fromkeys(jurisdictions) if check.requirement.get(j))
    if found:
        return found
    default = "uk" if check.requirement.get("uk") else next(iter(check.requirement), None)
    return ((default, check.requirement[default]),) if default else ()


def unique_quotes(quotes) -> tuple[Quote, ...]:
    """Quotes merged by sentence (page and text): the same sentence found twice is one quote."""
    seen: dict[tuple[int, str], Quote] = {}
    for q in quotes:
        seen.setdefault((q.page, q.text), q)
    return tuple(seen.values())
