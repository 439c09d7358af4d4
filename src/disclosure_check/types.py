"""Plain frozen dataclasses that cross every stage boundary.

extract: PDF -> Document; segment: Document -> Sentence; classify: Sentence -> Evidence;
score: Evidence -> Assessment; a document that cannot be scored becomes a Failure.
No stage-specific library is imported here, so scoring and reporting stay pure.
"""

from __future__ import annotations

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


@dataclass(frozen=True)
class Block:
    """A heading, paragraph or list item in reading order. Offsets index ``Document.text``."""

    page: int
    kind: str  # "heading" | "paragraph" | "list_item"
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Page:
    number: int  # 1-based
    width: float
    height: float
    has_text_layer: bool
    text: str
    columns: int = 1


@dataclass(frozen=True)
class Document:
    doc_id: str  # sha256 of the file bytes
    path: str
    metadata: Metadata
    pages: tuple[Page, ...]
    blocks: tuple[Block, ...]
    text: str  # the blocks joined by blank lines

    @property
    def pages_without_text(self) -> tuple[int, ...]:
        return tuple(p.number for p in self.pages if not p.has_text_layer)


@dataclass(frozen=True)
class Sentence:
    index: int
    text: str
    page: int
    start: int  # offsets into Document.text
    end: int
    heading: str | None = None


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


@dataclass(frozen=True)
class ElementResult:
    element: str
    present: bool
    confidence: float
    evidence: tuple[Evidence, ...] = ()


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

    status = "failed"


@dataclass(frozen=True)
class Profile:
    """What kind of document and organisation this is: decides which criteria apply."""

    doc_type: str = "statement"  # "statement" | "letter"
    financial: bool = False
    subsector: str | None = None  # "bank" | "insurer" | "asset_manager" | "building_society" | "payments"
    jurisdiction: str = "uk"  # "uk" | "au" | "ca"
    source: str = "detected"  # "detected" or "set" (given by the user)


@dataclass(frozen=True)
class CriterionEvidence:
    """A sentence that supports a criterion at a level (before the status cap)."""

    criterion: str
    level: int
    status: str  # "implemented" | "planned" | "negative"
    text: str
    page: int
    sentence_index: int
    source: str  # "rules.v1 c02.owner" or "element approval (tfidf-logreg.v1)"


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


@dataclass(frozen=True)
class GateResult:
    id: str
    name: str
    met: bool
    requirement: str
    evidence: tuple[tuple[int, str], ...] = ()  # (page, text)


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
    id: str
    kind: str  # "scope" | "recommendation"
    name: str
    level: int


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

    @property
    def statutory_met(self) -> bool | None:
        return all(g.met for g in self.gate) if self.gate else None


@dataclass(frozen=True)
class TrainingAudiences:
    """Who receives modern slavery training (WikiRate metric), with the passages that say so."""

    labels: tuple[str, ...]
    evidence: tuple[tuple[str, int, str], ...] = ()  # (label, page, sentence)
    model_version: str = ""
