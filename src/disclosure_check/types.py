"""Plain frozen dataclasses that cross every stage boundary.

extract: PDF -> Document; segment: Document -> Sentence; classify: Sentence -> Evidence;
score: Evidence -> Assessment; a document that cannot be scored becomes a Failure.
No stage-specific library is imported here, so scoring and reporting stay pure.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Metadata:
    """What the PDF says about itself. Dates are ISO 8601 strings when they parse, else None."""

    title: str | None = None
    author: str | None = None
    subject: str | None = None
    producer: str | None = None
    creator: str | None = None
    created: str | None = None
    modified: str | None = None


@dataclass(frozen=True, order=True)
class Box:
    """A rectangle on a page, in PDF points from the top-left corner of the page as displayed."""

    page: int
    x0: float
    top: float
    x1: float
    bottom: float

    def to_list(self) -> list:
        return [self.page, self.x0, self.top, self.x1, self.bottom]

    @classmethod
    def from_list(cls, values) -> Box:
        page, x0, top, x1, bottom = values
        return cls(int(page), float(x0), float(top), float(x1), float(bottom))


@dataclass(frozen=True, slots=True)
class Span:
    """One word of a block: its offsets in ``Document.text`` and its box on the page."""

    start: int
    end: int
    page: int
    x0: float
    top: float
    x1: float
    bottom: float


@dataclass(frozen=True)
class Block:
    """What a reader sees as one unit, in reading order. Offsets index ``Document.text``.

    ``kind``: heading, paragraph, list_item, table_row, caption, footnote or signature_block.
    ``page`` is where it starts (a paragraph may run on across a column or page break)."""

    page: int
    kind: str
    text: str
    start: int
    end: int
    spans: tuple[Span, ...] = ()
    cells: tuple[str, ...] = ()  # a table row's cells, left to right

    @property
    def boxes(self) -> tuple[Box, ...]:
        return spans_to_boxes(self.spans)


def spans_to_boxes(spans) -> tuple[Box, ...]:
    """One box per line: consecutive word spans on the same page and level merged."""
    boxes: list[list] = []
    for s in spans:
        if boxes:
            b = boxes[-1]
            height = b[4] - b[2]
            if b[0] == s.page and abs(s.top - b[2]) < 0.5 * max(height, 1.0) and s.x0 >= b[1] - 1:
                b[3] = max(b[3], s.x1)
                b[2] = min(b[2], s.top)
                b[4] = max(b[4], s.bottom)
                continue
        boxes.append([s.page, s.x0, s.top, s.x1, s.bottom])
    return tuple(Box(*b) for b in boxes)


@dataclass(frozen=True)
class Page:
    number: int  # 1-based
    width: float
    height: float
    has_text_layer: bool
    text: str
    columns: int = 1
    source: str = "text"  # "text" (the PDF's text layer), "ocr" (read from the page image) or "none"
    ocr_confidence: float | None = None  # mean word confidence (0-100) when read by OCR
    language: str | None = None  # ISO 639-1 code of the page's text, when it can be told
    rotation: int = 0  # degrees the page was turned to read its text upright
    hidden_words: int = 0  # words drawn where a reader cannot see them, left out of ``text``
    hidden_how: tuple[str, ...] = ()  # how they were hidden (read.visibility.REASONS)


@dataclass(frozen=True)
class HiddenText:
    """Words on a page that a reader cannot see (invisible, white on white, clipped, covered, too
    small), left out of the text that is scored: a reviewer should know the PDF carries them."""

    page: int
    words: int
    how: tuple[str, ...] = ()  # read.visibility.REASONS


@dataclass(frozen=True)
class Document:
    doc_id: str  # sha256 of the file bytes
    path: str
    metadata: Metadata
    pages: tuple[Page, ...]
    blocks: tuple[Block, ...]
    text: str  # the blocks joined by blank lines
    language: str | None = None  # the language most of the text is in

    @property
    def pages_without_text(self) -> tuple[int, ...]:
        return tuple(p.number for p in self.pages if p.source == "none")

    @property
    def pages_ocr(self) -> tuple[tuple[int, float], ...]:
        """(page, mean OCR confidence) of the pages read from their image."""
        return tuple((p.number, p.ocr_confidence or 0.0) for p in self.pages if p.source == "ocr")

    @property
    def hidden_text(self) -> tuple[HiddenText, ...]:
        """The pages with words a reader cannot see, which were left out."""
        return tuple(HiddenText(p.number, p.hidden_words, p.hidden_how) for p in self.pages if p.hidden_words)


@dataclass(frozen=True)
class Sentence:
    index: int
    text: str
    page: int
    start: int  # offsets into Document.text
    end: int
    heading: str | None = None
    kind: str = "paragraph"  # the kind of block it comes from
    boxes: tuple[Box, ...] = ()  # one per line it covers, for highlighting on the page
    ocr: bool = False  # read from a page image by OCR
    glued_heading: bool = False  # ``heading`` was split off this sentence's own text ("GRANT BLACKLEY Chief ...")


@dataclass(frozen=True)
class Evidence:
    """One classifier's finding that a sentence supports an element."""

    element: str
    sentence_index: int
    text: str
    page: int
    classifier: str  # e.g. "rules.v1", "tfidf-logreg.v1"
    score: float
    detail: str = ""  # which rule fired or which features weighed most
    status: str = "implemented"  # "implemented" | "planned" | "negative"
    boxes: tuple[Box, ...] = ()
    ocr: bool = False
    found_by: tuple[str, ...] = ()  # every classifier that found this sentence, when more than one did


@dataclass(frozen=True)
class ElementResult:
    element: str
    present: bool
    confidence: float
    evidence: tuple[Evidence, ...] = ()  # what supports the element (never a negative claim)
    negative: tuple[Evidence, ...] = ()  # negative claims ("no cases were found"): flagged, never support
    rejected: tuple[Evidence, ...] = ()  # evidence a reviewer rejected (decisions.py): shown, never support


@dataclass(frozen=True)
class Assessment:
    doc_id: str
    path: str
    pages: int
    rubric_version: str
    model_version: str
    elements: tuple[ElementResult, ...]
    metadata: Metadata = field(default_factory=Metadata)
    pages_without_text: tuple[int, ...] = ()
    sentences: int = 0
    maturity: Maturity | None = None
    training_audiences: TrainingAudiences | None = None
    language: str | None = None
    pages_ocr: tuple[tuple[int, float], ...] = ()  # (page, mean OCR confidence 0-100)
    pages_other_language: tuple[tuple[int, str], ...] = ()  # (page, language) left unscored
    hidden_text: tuple[HiddenText, ...] = ()  # words a reader cannot see, left out (never evidence)
    identity: Identity | None = None  # None: scored before identity was read from the text
    fetched_from: str | None = None  # a URL's document: the address it was read from after redirects
    # The document's full text, carried from the scoring worker to the store (keyword search); not
    # exported, not compared, never shown in repr.
    text: str = field(default="", repr=False, compare=False)
    # Where each page starts in ``text``: (offset, page) pairs in order, so a search hit has its page.
    text_pages: tuple[tuple[int, int], ...] = field(default=(), repr=False, compare=False)

    status = "scored"


@dataclass(frozen=True)
class Failure:
    """A document that could not be scored, with the reason; stored and reported like a result."""

    doc_id: str
    path: str
    code: str
    reason: str
    rubric_version: str = ""
    model_version: str = ""
    language: str | None = None
    fetched_from: str | None = None  # a URL's document: the address it was read from after redirects

    status = "failed"


IDENTITY_FIELDS = ("organisation", "entities", "company_number", "financial_year_end", "year")
# Where a judgement about a document came from: the document's own words, a register's record (a
# manifest row), a reviewer's decision, an option the user gave, or a fallback (PDF metadata, the
# file name) that is only ever a suggestion.
JUDGEMENT_SOURCES = ("text", "manifest", "reviewer", "option", "metadata", "file name")


@dataclass(frozen=True)
class Identity:
    """Who makes the statement and for which year, read from its own words where it says so.

    ``sources`` maps each field found to where it came from (``JUDGEMENT_SOURCES``); ``evidence``
    each field read from the text to the sentence that says it (a ``Quote`` with its page). A field
    the text does not state is empty: ``suggestion`` is what the PDF's metadata or file name hint at
    for the organisation, shown as a suggestion, never as the name. ``year`` follows one convention:
    the calendar year in which the period the statement covers ends (a letter: the year of its date)."""

    organisation: str | None = None
    entities: tuple[str, ...] = ()  # other group companies the statement covers
    company_number: str | None = None  # Companies House number, 8 characters (01234567, SC123456), or an ACN/ABN
    financial_year_end: str | None = None  # ISO date
    year: int | None = None  # the end year of the period covered (see above)
    sources: tuple[tuple[str, str], ...] = ()  # (field, source)
    evidence: tuple[tuple[str, Quote], ...] = ()  # (field, the sentence it was read from)
    suggestion: str | None = None  # the organisation the metadata or file name suggest (never the name)

    def source(self, name: str) -> str | None:
        return dict(self.sources).get(name)

    def quote(self, name: str) -> Quote | None:
        return dict(self.evidence).get(name)


# Financial sub-sectors (``Profile.subsector``), and who can receive modern slavery training (the
# audiences model's labels, WikiRate's "MSA training (revised)" answers): vocabularies the rubric names.
SUBSECTORS = ("building_society", "bank", "insurer", "asset_manager", "payments", "lender")
TRAINING_AUDIENCES = ("all_employees", "procurement", "recruitment_hr", "leadership", "suppliers", "not_specified",
                      "in_development", "none")


DOC_TYPES = ("statement", "letter", "other")
# Industries (``Profile.industry``): financial, and the general sectors every organisation has.
INDUSTRIES = ("financial", "retail_consumer", "manufacturing", "technology", "public_sector", "services", "other")
# The laws a statement may answer (``Profile.jurisdictions``): the UK, Australian and Canadian acts.
JURISDICTIONS = ("uk", "au", "ca")


@dataclass(frozen=True)
class Profile:
    """What kind of document and organisation this is: decides which criteria apply and which law's
    wording the statutory checks carry.

    ``doc_type``: "statement", "letter" (to the Commissioner or a regulator) or "other" (annual reports,
    filings, policies, ...: kept, never counted as statements). ``section``: the first and last page of
    the statement inside a longer report, when it was scored from there. ``jurisdictions``: the laws
    the document says it answers, in order (``jurisdiction`` the first; "uk" when none is named, and
    ``jurisdictions`` then empty). ``sources``, ``evidence`` and ``reasons`` say, per judgement
    ("doc_type", "sector", "jurisdiction"), where it came from, the sentence it rests on and why."""

    doc_type: str = "statement"  # DOC_TYPES
    financial: bool = False
    subsector: str | None = None  # SUBSECTORS, when financial
    jurisdiction: str = "uk"  # the first of ``jurisdictions`` ("uk" when none is named)
    source: str = "detected"  # "detected" or "set": whether the sector was given (kept for older readers)
    industry: str | None = None  # INDUSTRIES; None when unknown
    jurisdictions: tuple[str, ...] = ()
    section: tuple[int, int] | None = None
    sources: tuple[tuple[str, str], ...] = ()  # (judgement, JUDGEMENT_SOURCES)
    evidence: tuple[tuple[str, Quote], ...] = ()  # (judgement, the sentence it rests on)
    reasons: tuple[tuple[str, str], ...] = ()  # (judgement, why, for a reviewer)

    def reason(self, name: str) -> str:
        return dict(self.reasons).get(name, "")

    def quote(self, name: str) -> Quote | None:
        return dict(self.evidence).get(name)

    def source_of(self, name: str) -> str | None:
        return dict(self.sources).get(name)


# What a person can say a firm is (``Given.sector``): a financial sub-sector, "financial" (sub-sector
# not known), or a non-financial industry ("other" among them).
SECTOR_CHOICES = (*SUBSECTORS, *INDUSTRIES)
GIVEN_FIELDS = ("doc_type", "sector", "jurisdictions", "organisation", "company_number", "year")


def sector_choice(choice: str) -> tuple[str, bool, str | None]:
    """(industry, financial, sub-sector) that a ``SECTOR_CHOICES`` value means."""
    if choice in SUBSECTORS:
        return "financial", True, choice
    if choice in INDUSTRIES:
        return choice, choice == "financial", None
    raise ValueError(f"unknown sector '{choice}'")


def profile_sector(profile: Profile) -> str:
    """The ``SECTOR_CHOICES`` value a profile stands for (what a reviewer would choose to keep it)."""
    if profile.financial:
        return profile.subsector or "financial"
    return profile.industry or "other"


@dataclass(frozen=True)
class Given:
    """Judgements about a document that are given rather than read: by a register's manifest row
    ("manifest"), an option for the whole run ("option") or a reviewer's decision ("reviewer").
    A field left None is detected from the text; ``jurisdictions`` () means "none named"."""

    doc_type: str | None = None  # DOC_TYPES
    sector: str | None = None  # SECTOR_CHOICES
    jurisdictions: tuple[str, ...] | None = None  # JURISDICTIONS, the leading one first
    organisation: str | None = None
    company_number: str | None = None
    year: int | None = None
    source: str = "option"  # JUDGEMENT_SOURCES
    who: str = ""  # for a reviewer's: their name (and comment), shown as the reason

    def __bool__(self) -> bool:
        return any(getattr(self, f) is not None for f in GIVEN_FIELDS)

    def over(self, other: Given | None) -> Given:
        """This given, with ``other``'s fields where this one leaves them None (this one outranks)."""
        if other is None:
            return self
        fields = {f: getattr(self, f) if getattr(self, f) is not None else getattr(other, f) for f in GIVEN_FIELDS}
        return Given(**fields, source=self.source if bool(self) else other.source, who=self.who or other.who)


@dataclass(frozen=True)
class SectorReading:
    """What the sector model read from a document: the industry (None when unsure), whether the firm
    is financial and its sub-sector (None when unsure), the model's P(financial), why, and the
    sentence that most supports it."""

    industry: str | None
    financial: bool
    subsector: str | None
    p_financial: float
    reason: str
    quote: Quote | None = None
    by: str = ""  # the model (e.g. "sector.v4+...") or "keywords"


ORIGIN_KINDS = ("rule", "element", "audience", "other")


@dataclass(frozen=True, order=True)
class Origin:
    """Where one piece of criterion evidence came from: a rule pattern of the criterion (``name`` the
    pattern id, ``matched`` the words), a disclosure element's finding (``name`` the element) or a
    training audience (``name`` the audience); ``by`` is the classifier or model that found it."""

    kind: str  # ORIGIN_KINDS
    name: str
    by: str = ""
    matched: str = ""

    @property
    def label(self) -> str:
        """As a reviewer reads it: "rules.v1 c02.owner matched 'board'", "element approval (tfidf-logreg.v1)"."""
        if self.kind == "rule":
            return f"{self.by} {self.name} matched '{self.matched}'"
        if self.kind == "element":
            return f"element {self.name} ({self.by})"
        if self.kind == "audience":
            return f"training audience {self.name} ({self.by})"
        return self.name


@dataclass(frozen=True)
class CriterionEvidence:
    """A sentence that supports a criterion (or a letter item) at a level (before the status cap)."""

    criterion: str  # the criterion's id (a letter item's id for a letter item's own evidence)
    level: int
    status: str  # "implemented" | "planned" | "negative"
    text: str
    page: int
    sentence_index: int
    origins: tuple[Origin, ...]  # every source that found this sentence for this criterion
    boxes: tuple[Box, ...] = ()
    ocr: bool = False

    @property
    def source(self) -> str:
        """Every origin's label, sorted, joined by " + " (the exported ``source``)."""
        return " + ".join(sorted({o.label for o in self.origins}))

    @property
    def elements(self) -> tuple[str, ...]:
        """The disclosure elements whose findings are among the origins."""
        return tuple(dict.fromkeys(o.name for o in self.origins if o.kind == "element"))


@dataclass(frozen=True, order=True)
class Target:
    """What a rubric level pattern supports: a criterion, a statutory (gate) check or a CEO-letter item."""

    kind: str  # "criterion" | "gate" | "letter"
    id: str


@dataclass(frozen=True)
class StoredAttempt:
    """What a sink holds for one document, rubric and model: enough to decide on a retry."""

    status: str  # "scored" | "failed"
    error_code: str | None
    options: dict | None  # None: stored before options were recorded


@dataclass(frozen=True, order=True)
class ClaimSentence:
    """A sentence that makes a claim a rubric flag watches for (e.g. a bare 'low risk')."""

    flag: str
    sentence_index: int
    page: int
    text: str


@dataclass(frozen=True)
class CriterionResult:
    id: str
    theme: str
    level: int
    applies: bool
    evidence: tuple[CriterionEvidence, ...] = ()
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class ThemeResult:
    id: str
    level: int | None  # None when the theme does not apply (financial levers for other firms)


@dataclass(frozen=True, order=True)
class Quote:
    """A sentence quoted as evidence, with the boxes that show it on its page."""

    page: int
    text: str
    boxes: tuple[Box, ...] = ()
    ocr: bool = False


def scale_label(level: int | None, names: Mapping[int, str], none: str = "") -> str:
    """'3 Established': a level with its name on a scale (``names``: level -> name); ``none`` for no level.
    Every page, export and report labels a level with this."""
    if level is None:
        return none
    return f"{level} {names.get(int(level), '')}".strip()


# A statutory check's states, best first. "not_found" (nothing found: the reader must look) is not a
# legal failure; "not_met" is, and only the text ("no steps have been taken") or a reviewer says it.
GATE_STATES = ("met", "not_explicit", "not_found", "not_met")
NEEDS_REVIEW = ("not_explicit", "not_found")


def statutory_state(states) -> str | None:
    """The worst of the checks' states ("not_met" over "not_found" over "not_explicit" over "met"),
    or None when there are no checks (a letter)."""
    states = list(states)
    return max(states, key=GATE_STATES.index) if states else None


@dataclass(frozen=True)
class GateResult:
    """One statutory check. ``state``: "met" (with the quote); "not_explicit" (wording found but it
    does not say what the law asks: a committee's approval, a signer who is not a director);
    "not_found" (nothing found: ``candidates`` are the nearest sentences, for the reader to look at);
    or "not_met" (the text says so, or a reviewer decided). ``reason`` says why, for a reviewer.
    ``period`` is the (start, end) ISO dates the statement states it covers, either may be None."""

    id: str
    name: str
    state: str
    requirement: str
    evidence: tuple[Quote, ...] = ()
    reason: str = ""
    period: tuple[str | None, str | None] | None = None
    element: str | None = None  # the disclosure element the check rests on, if any (a reviewer's verdict on it counts)
    requirements: tuple[tuple[str, str], ...] = ()  # (jurisdiction, its law's wording) for every law the statement answers
    candidates: tuple[Quote, ...] = ()  # not found: the sentences nearest to it, best first

    def __post_init__(self) -> None:
        if self.state not in GATE_STATES:
            raise ValueError(f"gate state must be one of {GATE_STATES}, got {self.state!r}")

    @property
    def met(self) -> bool:
        return self.state == "met"


@dataclass(frozen=True)
class Gap:
    criterion: str
    theme: str
    level: int
    next_level: int
    next_level_description: str
    recommendation: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class LetterItem:
    """A CEO letter's scope (own business, supply chains, lending, investment) or one of the CEO
    review's recommendations: its level, the criteria it groups and the evidence behind the level."""

    id: str
    kind: str  # "scope" | "recommendation"
    name: str
    level: int
    criteria: tuple[str, ...] = ()
    evidence: tuple[CriterionEvidence, ...] = ()


@dataclass(frozen=True)
class Maturity:
    profile: Profile
    gate: tuple[GateResult, ...]
    criteria: tuple[CriterionResult, ...]
    themes: tuple[ThemeResult, ...]
    overall: int
    gaps: tuple[Gap, ...]
    letter: tuple[LetterItem, ...] = ()
    flags: tuple[str, ...] = ()
    scale: tuple[tuple[int, str, str], ...] = ()  # (level, id, name) of the rubric's scale, lowest first

    @property
    def statutory_met(self) -> bool | None:
        """True when every check is met; False only when one is "not_met" (the text says so or a
        reviewer decided): a legal failure. None when a check needs review ("not_found",
        "not_explicit"), and for anything but a statement (a letter is never a statutory failure)."""
        if not self.gate or self.profile.doc_type != "statement":
            return None
        if all(g.met for g in self.gate):
            return True
        return False if any(g.state == "not_met" for g in self.gate) else None

    @property
    def statutory_state(self) -> str | None:
        """The gate's worst state: "not_met" over "not_explicit" over "met" (None unless a statement)."""
        if self.profile.doc_type != "statement":
            return None
        return statutory_state([g.state for g in self.gate])


@dataclass(frozen=True)
class TrainingAudiences:
    """Who receives modern slavery training (WikiRate metric), with the passages that say so."""

    labels: tuple[str, ...]
    evidence: tuple[tuple[str, int, str], ...] = ()  # (label, page, sentence)
    model_version: str = ""
