"""The rubric as data: disclosure elements, maturity scale, themes, criteria and sources.

A rubric is a YAML file validated on load. Errors name the file, the item and the field, so a
member of staff editing the Commissioner's own matrix can fix a typo without reading code.
The default ships as package data (``rubrics/disclosure.v1.yaml``).
"""

from __future__ import annotations

import dataclasses
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    AfterValidator,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic.dataclasses import dataclass

from disclosure_check.errors import RubricError
from disclosure_check.phrases import PhrasePattern, longest_word
from disclosure_check.types import SUBSECTORS, TRAINING_AUDIENCES, Target, scale_label
from disclosure_check.yamlio import load_yaml

DEFAULT_RUBRIC = "maturity.v1.yaml"
DISCLOSURE_RUBRIC = "disclosure.v1.yaml"
_ID = r"^[a-z][a-z0-9_]*$"
_CONFIG = ConfigDict(extra="forbid")
ElementId = Annotated[str, Field(pattern=_ID)]
CodeId = Annotated[str, Field(pattern=r"^[A-Za-z0-9_]+$")]

# What a level pattern or signal ``needs`` besides its own words: phrases (whole words, case-insensitive,
# a trailing * matches any ending, as ``subject``) and the word ``number`` for a figure.
NEEDS_NUMBER = "number"
# A figure: a count, a share, a rate or an amount, in digits or words. Not a bare year ("In 2019 we reviewed
# ..." states no KPI) nor a year range ("FY 2017/18"), not "third" in "third party" or "third-party" (a share
# is "a third", "two thirds", "half of"), and not a number that names a provision, standard or tier
# (``_REFERENCE``): "section 54", "s.54", "ISO 14001", "tier 1 suppliers", "SDG 8" measure nothing.
_NUMBER = re.compile(r"(?<![\d.,/])(?!(?:19|20)\d\d(?![\d%]))\d[\d,.]*%?|\b(?:one|two|three|four|five|six|seven|eight|"
                     r"nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|hundred|hundreds|thousand|thousands|"
                     r"per\s?cent|percent)\b|\b(?:a|one|two)\s+(?:half|third(?![\s-]+part)|thirds|quarter|quarters)\b|"
                     r"\bhalf\s+of\b", re.I)
_REFERENCE = re.compile(r"\b(?:sections?|ss?\.?|articles?|art\.|clauses?|schedules?|part|regulations?|rules?|tiers?|"
                        r"iso|sa|bs|sdgs?|goals?|principles?|conventions?|no\.)\s*\d[\d.:()a-z]*"
                        r"(?:\s*(?:,|&|and|or|to|-)\s*\d[\d.:()a-z]*)*", re.I)


def has_number(text: str) -> bool:
    """Whether a sentence states a figure (a count, a share, a rate), not only a year or a reference."""
    return bool(_NUMBER.search(_REFERENCE.sub(" ", text)))


def needs_met(needs: tuple[str, ...], text: str) -> bool:
    """Whether ``text`` holds what a pattern or signal ``needs``: one of its phrases, or a figure
    where it names ``number`` (always, when it needs nothing)."""
    if not needs:
        return True
    if NEEDS_NUMBER in needs and has_number(text):
        return True
    phrases = tuple(n for n in needs if n != NEEDS_NUMBER)
    return bool(phrases) and bool(_subject_pattern(phrases).search(text))


def needed_level(level: int, needs: tuple[str, ...], text: str, planned_cap: int, lacking: int | None = None) -> int:
    """The level a sentence found at ``level`` supports given what it ``needs``: its own level when
    it holds it, else ``lacking`` where the pattern names it ("member of the Volkswagen Group" names no
    initiative: 0; a supplier audit without corrective actions or a risk basis: 2), else the scale's
    ``planned_cap`` level at most, and none (0) when its level is no higher than that."""
    if needs_met(needs, text):
        return level
    if lacking is not None:
        return lacking
    return min(level, planned_cap) if level > planned_cap else 0


def unless_met(unless: tuple[str, ...], text: str) -> bool:
    """Whether ``text`` holds one of a pattern's ``unless`` phrases (so the pattern supports nothing)."""
    return bool(unless) and bool(_subject_pattern(unless).search(text))


def _as_needs(value: Any) -> Any:
    """``needs: number`` (one word) or a list; none given is nothing needed (``unless`` reads the same)."""
    return () if value is None else (value,) if isinstance(value, str) else value


_WILD_PHRASE = re.compile(r"^[^*]+\*?$")


def _wild_phrase(phrase: str) -> str:
    """A ``needs``/``unless`` phrase: ``*`` only at the end ("supplier**" or "sup*plier" would look for a
    literal asterisk, so the phrase would never match)."""
    phrase = phrase.strip()
    if not re.search(r"[^\W_]", phrase):  # "  " or " *" would hold in every sentence
        raise ValueError(f"phrase {phrase!r} has no letter or digit, so it would match every sentence: "
                         f"write the words a sentence must hold")
    if not _WILD_PHRASE.match(phrase):
        raise ValueError(f"phrase {phrase!r} has a '*' that is not its last character, so it never matches: "
                         f"a single trailing '*' matches any ending ('supplier*'); write the words without it")
    return phrase


# A phrase a pattern ``needs`` or is void ``unless`` it holds (whole words, a trailing * for any ending).
NeedsPhrase = Annotated[str, Field(min_length=2), AfterValidator(_wild_phrase)]


def _strict_level(value: Any) -> Any:
    """``lacking`` is a level: a whole number, not ``true``, ``1.0`` or ``"1"`` (which lax parsing reads as 1)."""
    if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
        raise ValueError(f"'lacking' must be a whole-number level of the scale below the pattern's 'level' "
                         f"(e.g. lacking: 1), not {value!r}")
    return value


# The AIMS.au/AIMSCheck disclosure elements: stable ids used in every output and database row.
ELEMENT_IDS = (
    "approval", "signature", "reporting_entity", "structure", "operations", "supply_chains",
    "risk_description", "risk_mitigation", "remediation", "effectiveness", "consultation",
)


@dataclass(frozen=True, config=_CONFIG)
class Source:
    """A document a criterion or element answers to. ``jurisdiction``: the law it belongs to (a UK
    source is not advice for an Australian statement, nor the other way round); ``kind``: ``law``,
    ``guidance``, ``benchmark`` (shown as advice) or ``research``, ``data`` (papers, datasets and code
    the method rests on: cited in the methodology, never as advice to a firm)."""

    title: str
    url: str | None = None
    note: str | None = None
    jurisdiction: Annotated[str, Field(pattern=r"^[a-z]{2,12}$")] | None = None
    kind: Literal["law", "guidance", "benchmark", "research", "data"] = "guidance"

    @property
    def advice(self) -> bool:
        return self.kind in ("law", "guidance", "benchmark")


@dataclass(frozen=True, config=_CONFIG)
class Pattern:
    """One rule: phrases (matched case-insensitively) or a spaCy Matcher token pattern."""

    id: Annotated[str, Field(pattern=r"^[a-z0-9_.\-]+$")]
    phrases: tuple[str, ...] = ()
    tokens: tuple[dict[str, Any], ...] = ()
    score: float = Field(default=0.7, ge=0.0, le=1.0)
    max_words: int | None = Field(default=None, ge=1)  # only sentences this short (signature lines)
    examples: tuple[str, ...] = ()  # real sentences this pattern must match (checked by `rubric validate`)
    level: int | None = Field(default=None, ge=1, le=10)  # criterion evidence: the maturity level it supports
    # criterion evidence: what the sentence must also hold to support ``level`` (``needed_level``)
    needs: tuple[NeedsPhrase, ...] = ()
    # real sentences this pattern matches that lack what it ``needs``: they support less than ``level``
    # (checked by `rubric validate`, as ``examples`` are checked to reach it)
    below_level: tuple[str, ...] = ()
    # criterion evidence: the level a sentence without what the pattern ``needs`` supports (default: the
    # scale's planned_cap level when ``level`` is above it, else none)
    lacking: int | None = Field(default=None, ge=0, le=10)
    # criterion evidence: phrases (as ``needs``) that show the match is in another sense, so the sentence
    # supports nothing ("recruitment agencies" in a list of banks, lawyers and insurers the firm buys from)
    unless: tuple[NeedsPhrase, ...] = ()
    # criterion evidence: the pattern's own words name what its level's descriptor asks (modern slavery
    # named in a policy that applies to lending), so one sentence is enough at the scale's
    # ``corroborate_from`` level without ``needs``; a pattern with ``needs`` holds the specifics already
    specific: bool = False
    note: str | None = None

    _needs = field_validator("needs", "unless", mode="before")(_as_needs)
    _lacking = field_validator("lacking", mode="before")(_strict_level)

    @model_validator(mode="after")
    def _one_kind(self) -> Pattern:
        if bool(self.phrases) == bool(self.tokens):
            raise ValueError("give exactly one of 'phrases' or 'tokens'")
        if (self.needs or self.below_level) and self.level is None:
            raise ValueError("'needs' and 'below_level' only apply to a pattern with a 'level' (criterion, "
                             "gate or letter evidence), and are ignored elsewhere: drop them, or give the "
                             "'level' a sentence that holds what the pattern needs supports")
        if self.below_level and not self.needs:
            raise ValueError("'below_level' sentences lack what the pattern 'needs', but it needs nothing: "
                             "give 'needs', or move them to 'examples'")
        if self.specific and (self.level is None or self.needs):
            raise ValueError("'specific' says a level pattern's own words hold what its level asks: give it to a "
                             "pattern with a 'level' and no 'needs' (with 'needs', the needs are the specifics)")
        if self.unless and self.level is None:
            raise ValueError("'unless' only applies to a pattern with a 'level' (criterion, gate or letter evidence)")
        if self.lacking is not None and (not self.needs or self.level is None or self.lacking >= self.level):
            raise ValueError("'lacking' is the level a sentence without what the pattern 'needs' supports: give "
                             "'needs' and a 'level' above it")
        for text in self.phrases + self.examples:
            found = [u for u in self.unless if unless_met((u,), text)]
            if found:
                what = "phrase" if text in self.phrases else "example"
                raise ValueError(f"'unless' phrase {found[0]!r} is in the pattern's own {what} {text[:90]!r}, so "
                                 f"the pattern {'never supports anything' if what == 'phrase' else 'gives its own example nothing'}: "
                                 f"drop it from 'unless' or make it longer (the words that show the other sense)")
        for need in self.needs:
            found = [u for u in self.unless if u == need or (not need.endswith("*") and unless_met((u,), need))]
            if need != NEEDS_NUMBER and found:
                raise ValueError(f"'unless' phrase {found[0]!r} is in the pattern's 'needs' phrase {need!r}, so a "
                                 f"sentence that holds what the pattern needs supports nothing: drop one of them")
        return self


@dataclass(frozen=True, config=_CONFIG)
class Element:
    """A disclosure element (AIMS.au criterion) found sentence by sentence."""

    id: ElementId
    label: str
    name: str
    definition: str
    counts: tuple[str, ...] = ()
    does_not_count: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    patterns: tuple[Pattern, ...] = ()
    exclude: tuple[Pattern, ...] = ()
    near_misses: tuple[str, ...] = ()  # real sentences the element's rules must not accept
    standalone: bool = False  # a rule match alone marks the element present in a document


# What a level of the scale can mean to the scoring code (each role on exactly one level).
SCALE_ROLES = {
    "planned_cap": "planned evidence supports at most this level",
    "gap_below": "criteria below this level are reported as gaps",
    "cut_cap": "a piece of a sentence (cut by a line or page break, ``Rubric.wording``) supports at most this level",
    "corroborate_from": "evidence at this level or above counts only when it holds what its pattern or signal "
                        "'needs' (or names a training audience), or a second sentence supports the level too",
}
OPTIONAL_ROLES = frozenset({"cut_cap", "corroborate_from"})  # on one level or on none (no cap): rubrics written before it still load


@dataclass(frozen=True, config=_CONFIG)
class Level:
    level: Annotated[int, Field(ge=0, le=10)]
    id: ElementId
    name: str
    description: str = ""
    roles: tuple[str, ...] = ()  # keys of SCALE_ROLES

    @field_validator("roles")
    @classmethod
    def _known_roles(cls, roles: tuple[str, ...]) -> tuple[str, ...]:
        for role in roles:
            if role not in SCALE_ROLES:
                raise ValueError(f"unknown scale role '{role}' (known: {', '.join(SCALE_ROLES)})")
        return roles


@dataclass(frozen=True, config=_CONFIG)
class Tag:
    """A role a criterion can play, named in the rubric so code never names a criterion id."""

    description: str = ""
    min_level: int | None = Field(default=None, ge=0, le=10)  # the level a tagged criterion must reach to count
    # "all": every tagged criterion must reach min_level; "any": one is enough (a bank lends, an asset
    # manager invests: asking both of every financial firm counts nobody).
    rule: Literal["all", "any"] = "all"


@dataclasses.dataclass(frozen=True)
class SignalKind:
    """What a criterion's signal of one kind must say (the function that collects its evidence is
    registered under the same name in ``assess.signals``)."""

    requires: tuple[str, ...]  # Signal fields the kind needs
    optional: tuple[str, ...] = ()
    keys: tuple[str, ...] | None = None  # what ``levels`` and ``planned`` may name


SIGNAL_KINDS: dict[str, SignalKind] = {
    "element": SignalKind(requires=("element", "level"), optional=("needs",)),
    "training_audience": SignalKind(requires=("levels",), optional=("planned",), keys=TRAINING_AUDIENCES),
}


@dataclass(frozen=True, config=_CONFIG)
class Signal:
    """Evidence a criterion takes from another stage, by kind (``SIGNAL_KINDS``)."""

    kind: str
    element: str | None = None  # kind element: the disclosure element whose evidence counts
    level: int | None = Field(default=None, ge=1, le=10)  # kind element: the level that evidence supports
    levels: dict[str, int] = Field(default_factory=dict)  # kind training_audience: audience -> level
    planned: tuple[str, ...] = ()  # kind training_audience: audiences whose evidence is a plan
    # kind element: what a sentence must contain to support ``level`` ("number": a figure, as KPIs
    # need, or phrases); a sentence without it supports the scale's planned_cap level at most
    # (``needed_level``).
    needs: tuple[NeedsPhrase, ...] = ()

    _needs = field_validator("needs", mode="before")(_as_needs)

    @model_validator(mode="after")
    def _fits_kind(self) -> Signal:
        kind = SIGNAL_KINDS.get(self.kind)
        if kind is None:
            raise ValueError(f"unknown signal kind '{self.kind}' (known: {', '.join(sorted(SIGNAL_KINDS))})")
        given = {name for name in ("element", "level", "levels", "planned", "needs") if getattr(self, name)}
        missing = [name for name in kind.requires if name not in given]
        if missing:
            raise ValueError(f"signal kind '{self.kind}' needs {', '.join(repr(m) for m in missing)}")
        extra = sorted(given - set(kind.requires) - set(kind.optional))
        if extra:
            raise ValueError(f"signal kind '{self.kind}' does not use {', '.join(repr(e) for e in extra)}")
        if kind.keys is not None:
            allowed = kind.keys
            for key in [*self.levels, *self.planned]:
                if key not in allowed:
                    raise ValueError(f"signal kind '{self.kind}' has no '{key}' (known: {', '.join(allowed)})")
        return self


@dataclass(frozen=True, config=_CONFIG)
class Theme:
    id: CodeId
    name: str
    criteria: tuple[str, ...]
    descriptors: dict[int, str] = Field(default_factory=dict)
    applies_to: Literal["all", "financial"] = "all"
    sources: tuple[str, ...] = ()


ADVICE_GROUPS = ("financial", "non_financial")  # advice for any financial firm / any other firm


@dataclass(frozen=True, config=_CONFIG)
class Advice:
    """What to do about a criterion's gap, for the financial sub-sectors named (``types.SUBSECTORS``),
    or for a group (``ADVICE_GROUPS``): any financial firm, or any firm that is not financial."""

    subsectors: tuple[Annotated[str, Field(pattern=_ID)], ...] = Field(min_length=1)
    text: str = Field(min_length=1)
    sources: tuple[str, ...] = ()


@dataclass(frozen=True, config=_CONFIG)
class Guidance:
    """What one law's official guidance asks for in the area a criterion covers, at its two levels
    (the UK's March 2025 statutory guidance: Level 1 foundational, Level 2 enhanced), added to a gap's
    advice for statements that answer that law."""

    jurisdiction: Annotated[str, Field(pattern=r"^[a-z]{2,12}$")]
    area: str = Field(min_length=1)
    title: str = Field(min_length=1)  # how the advice names the guidance
    level_1: str = Field(min_length=1)
    level_2: str = Field(min_length=1)
    sources: tuple[str, ...] = ()

    def text(self) -> str:
        return f"{self.title}, '{self.area}': Level 1 (foundational): {self.level_1} Level 2 (enhanced): {self.level_2}"


@dataclass(frozen=True, config=_CONFIG)
class Criterion:
    """A best-practice criterion scored on the maturity scale (content arrives with the matrix)."""

    id: CodeId
    name: str
    theme: str
    description: str = ""
    applies_to: Literal["all", "financial"] = "all"
    signals: tuple[Signal, ...] = ()  # evidence from other stages (disclosure elements, training audiences)
    # What the criterion is about: a sentence a signal brings supports it only when it names one of
    # these (whole words; a trailing * matches any ending: "polic*"). Empty: every signal sentence counts.
    subject: tuple[Annotated[str, Field(min_length=1)], ...] = ()  # "%" a sign of one character
    # Phrases whose words are not the subject, read out before ``subject`` is looked for ("a number of"
    # next to "number of", "indicators of forced labour" next to "indicator*"); same syntax as ``subject``.
    not_subject: tuple[Annotated[str, Field(min_length=2)], ...] = ()
    tags: tuple[str, ...] = ()  # roles, declared in the rubric's ``tags`` (e.g. financial_lever)
    patterns: tuple[Pattern, ...] = ()  # each with the ``level`` its evidence supports
    levels: dict[int, str] = Field(default_factory=dict)
    recommendation: str = ""
    sources: tuple[str, ...] = ()
    # Sub-sectors the ``recommendation`` is written for (empty: everyone): bank-only advice such as
    # survivor bank accounts is not given to an insurer. ``advice`` replaces it for named sub-sectors.
    advice_for: tuple[Annotated[str, Field(pattern=_ID)], ...] = ()
    advice: tuple[Advice, ...] = ()
    guidance: tuple[Guidance, ...] = ()  # official guidance for this area, by law

    @model_validator(mode="after")
    def _levelled(self) -> Criterion:
        for pattern in self.patterns:
            if pattern.level is None:
                raise ValueError(f"criterion '{self.id}' pattern '{pattern.id}' needs a 'level'")
        return self

    def advice_to(self, subsector: str | None, financial: bool | None = None) -> tuple[str, tuple[str, ...]] | None:
        """(what to do, source ids) for an organisation of ``subsector`` (``financial``: whether it is a
        financial firm, None when unknown); None when the rubric has no advice for it. Advice for the
        sub-sector first, then for its group (financial / non_financial); an unknown sub-sector gets
        the general recommendation (it may be any of them)."""
        group = None if financial is None else "financial" if financial else "non_financial"
        for wanted in (subsector, group):
            for advice in self.advice:
                if wanted is not None and wanted in advice.subsectors:
                    return advice.text, advice.sources
        if not self.advice_for or subsector is None or subsector in self.advice_for:
            return (self.recommendation, self.sources) if self.recommendation else None
        return None

    def about(self, text: str) -> bool:
        """Whether ``text`` is about this criterion's subject (always, when it names none)."""
        if not self.subject:
            return True
        if self.not_subject:
            text = _subject_pattern(self.not_subject).pattern.sub(" ", text)
        return bool(_subject_pattern(self.subject).search(text))

    @property
    def elements(self) -> tuple[str, ...]:
        """The disclosure elements whose evidence this criterion uses."""
        return tuple(s.element for s in self.signals if s.kind == "element" and s.element)


@lru_cache(maxsize=256)
def _subject_pattern(phrases: tuple[str, ...]) -> PhrasePattern:
    parts, words = [], []
    for phrase in phrases:
        stem, wild = (phrase[:-1], True) if phrase.endswith("*") else (phrase, False)
        body = r"\s+".join(re.escape(w) for w in stem.split())
        if not re.search(r"\w", stem):  # a sign ("%" in "12%") stands where it stands, not as a word
            parts.append(body)
        else:
            parts.append(rf"(?<![\w-]){body}" + (r"[\w-]*" if wild else r"(?![\w-])"))
        words.append(longest_word(stem))
    return PhrasePattern(re.compile("|".join(parts), re.I), words)


@dataclass(frozen=True, config=_CONFIG)
class Claim:
    """Sentences that make a claim: where an element's ``exclude`` patterns or a cue group matched,
    or that contain one of ``phrases`` (whole words, case-insensitive; for claims too rare in the
    corpus to carry a reviewed cue pattern, such as the s.54(4)(b) "no steps taken" route)."""

    exclusion: str | None = None  # an element id
    cue: str | None = None  # a cue group name
    phrases: tuple[Annotated[str, Field(min_length=2)], ...] = ()

    @model_validator(mode="after")
    def _one_source(self) -> Claim:
        if sum((self.exclusion is not None, self.cue is not None, bool(self.phrases))) != 1:
            raise ValueError("give exactly one of 'exclusion' (an element id) or 'cue' (a cue group)"
                             " or 'phrases'")
        return self

    def says(self, text: str) -> bool:
        """Whether ``text`` contains one of the claim's phrases."""
        return bool(self.phrases) and bool(_subject_pattern(self.phrases).search(text))


@dataclass(frozen=True, config=_CONFIG)
class Requirement:
    """A criterion, found by tag, that must reach a level."""

    tag: str
    level: int = Field(ge=0, le=10)


@dataclass(frozen=True, config=_CONFIG)
class Flag:
    """A claim the reviewer should see: e.g. a bare 'low risk' with no described risk assessment."""

    id: ElementId
    message: str
    claim: Claim
    acceptable_if: Requirement | None = None  # not flagged when a criterion with this tag reaches the level
    never_supports: tuple[str, ...] = ()  # tags of criteria that a claim sentence gives no evidence to


# The term lists each gate decision (gate.py) reads from its check's ``terms``.
GATE_TERMS = {
    "approval": ("verbs", "bodies", "delegates", "not_yet", "objects", "other_objects"),
    "signature": ("cues", "director_titles", "other_titles", "not_director", "not_signature", "not_signature_boxes"),
    "period": ("cues", "plans", "other_periods", "figures"),
}
# Term lists a decision reads when the check has them (rubrics written before them still load).
GATE_OPTIONAL_TERMS = {"approval": ("refusals", "on_behalf"), "signature": ("committees", "title_qualifiers"),
                       "period": ("signing_words",)}


@dataclass(frozen=True, config=_CONFIG)
class GateCheck:
    """One statutory requirement: met by a disclosure element's evidence or by its own patterns.

    ``decide`` names the gate.py decision that reads the check's ``terms`` (phrases, matched
    case-insensitively as whole words); without it the element or patterns alone decide."""

    id: ElementId
    name: str
    element: str | None = None
    patterns: tuple[Pattern, ...] = ()
    requirement: dict[str, str] = Field(default_factory=dict)  # jurisdiction -> wording of the law
    recommendation: str = ""
    sources: tuple[str, ...] = ()
    decide: Literal["approval", "signature", "period"] | None = None
    terms: dict[ElementId, tuple[Annotated[str, Field(min_length=1)], ...]] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _terms(self) -> GateCheck:
        needed = GATE_TERMS.get(self.decide or "", ())
        missing = [name for name in needed if not self.terms.get(name)]
        if missing:
            raise ValueError(f"gate check '{self.id}' (decide: {self.decide}) needs non-empty terms {missing}")
        unknown = sorted(set(self.terms) - set(needed) - set(GATE_OPTIONAL_TERMS.get(self.decide or "", ())))
        if unknown:
            raise ValueError(f"gate check '{self.id}' has terms {unknown} that decide '{self.decide}' does not read")
        return self


@dataclass(frozen=True, config=_CONFIG)
class Aggregate:
    """A letter scope or a CEO-review recommendation: a named group of criteria (and own patterns)."""

    id: CodeId
    name: str
    criteria: tuple[str, ...] = ()
    patterns: tuple[Pattern, ...] = ()  # when given, only this topic's own evidence counts
    description: str = ""
    sources: tuple[str, ...] = ()


@dataclass(frozen=True, config=_CONFIG)
class LetterRubric:
    scopes: tuple[Aggregate, ...] = ()
    recommendations: tuple[Aggregate, ...] = ()


def _lower_words(words: tuple[str, ...]) -> tuple[str, ...]:
    """A wording list: lower-case words or phrases, each once (a sentence is matched in lower case)."""
    for word in words:
        if not word.strip() or word != word.strip().lower():
            raise ValueError(f"{word!r} must be written in lower case without surrounding spaces")
    _unique(list(words), "word")
    return words


def _one_word(words: tuple[str, ...]) -> tuple[str, ...]:
    """A list matched against one word of a sentence (its first, second or last): no phrases."""
    for word in words:
        if len(word.split()) > 1:
            raise ValueError(f"{word!r} must be one word: this list is matched against a single word of a sentence "
                             f"(give phrases in 'plan_phrases')")
    return words


WordList = Annotated[tuple[str, ...], AfterValidator(_lower_words)]
OneWordList = Annotated[tuple[str, ...], AfterValidator(_lower_words), AfterValidator(_one_word)]


@dataclass(frozen=True, config=_CONFIG)
class Wording:
    """How a sentence's wording bounds the level it supports, whatever pattern or model found it
    (issue 21: quotes counted at level 3 or 4 that a reader does not take as a claim of practice).

    ``cut_endings``: words a whole sentence never ends on; a sentence that ends on one without a full
    stop (or starts in lower case) was cut from its sentence by a line or page break ("ranging from
    audit corrective actions ... to Dell executive review of supplier performance and"): it supports
    the scale's ``cut_cap`` level at most. ``plan_openers``: verbs that open an action item when a sentence starts
    with them ("Develop an action plan ...", "Explore how we can ..."); ``plan_phrases``: commitments
    and duties ("endeavour to", "are expected to ensure"): both make a
    sentence planned. ``not_after_opener``: words after an opener that make it a noun ("Review of").
    ``subject_verbs``: finite verbs that, within the four words after an opener, make the opener part of
    the subject ("Review meetings are held ..."); ``subject_participles``: participles that, right after an
    opener, make it a noun with a reduced relative ("Work carried out in 2019 included ...")."""

    cut_endings: OneWordList = ()
    plan_openers: OneWordList = ()
    not_after_opener: OneWordList = ()
    subject_verbs: OneWordList = ()
    subject_participles: OneWordList = ()
    plan_phrases: WordList = ()


@dataclass(frozen=True, config=_CONFIG)
class Rubric:
    id: ElementId
    version: Annotated[str, Field(min_length=1)]
    title: str
    description: str = ""
    sources: dict[str, Source] = Field(default_factory=dict)
    elements: tuple[Element, ...] = ()
    scale: tuple[Level, ...] = ()
    themes: tuple[Theme, ...] = ()
    criteria: tuple[Criterion, ...] = ()
    tags: dict[Annotated[str, Field(pattern=_ID)], Tag] = Field(default_factory=dict)
    flags: tuple[Flag, ...] = ()
    # Named groups of patterns that are not elements: "planned" and "negative" set the evidence
    # status; every group is also a feature of the trained model (e.g. "vague" corporate talk).
    cues: dict[Annotated[str, Field(pattern=_ID)], tuple[Pattern, ...]] = Field(default_factory=dict)
    gate: tuple[GateCheck, ...] = ()
    letter: LetterRubric = Field(default_factory=LetterRubric)
    wording: Wording = Field(default_factory=Wording)
    extends: str | None = None  # a bundled rubric whose elements, cues and sources this one reuses

    @field_validator("cues")
    @classmethod
    def _unique_cues(cls, cues: dict[str, tuple[Pattern, ...]]) -> dict[str, tuple[Pattern, ...]]:
        for name, patterns in cues.items():
            _unique([p.id for p in patterns], f"pattern id in cue group '{name}'")
        return cues

    @field_validator("elements")
    @classmethod
    def _unique_elements(cls, elements: tuple[Element, ...]) -> tuple[Element, ...]:
        _unique([e.id for e in elements], "element id")
        _unique([e.label for e in elements], "element label")
        for element in elements:
            _unique([p.id for p in element.patterns + element.exclude], f"pattern id in element '{element.id}'")
        return elements

    @model_validator(mode="after")
    def _references(self) -> Rubric:
        levels = {level.level for level in self.scale}
        if self.scale and levels != set(range(len(levels))):
            raise ValueError(f"scale levels must run 0..{len(levels) - 1} without gaps, got {sorted(levels)}")
        _unique([t.id for t in self.themes], "theme id")
        _unique([c.id for c in self.criteria], "criterion id")
        themes = {t.id: t for t in self.themes}
        criteria = {c.id for c in self.criteria}
        element_ids = {e.id for e in self.elements}
        for theme in self.themes:
            for criterion in theme.criteria:
                if criterion not in criteria:
                    raise ValueError(f"theme '{theme.id}' lists unknown criterion '{criterion}'")
            _check_levels(theme.descriptors, levels, f"theme '{theme.id}' descriptors")
        for criterion in self.criteria:
            if criterion.theme not in themes:
                raise ValueError(f"criterion '{criterion.id}' names unknown theme '{criterion.theme}'")
            if criterion.id not in themes[criterion.theme].criteria:
                raise ValueError(f"criterion '{criterion.id}' is not listed in theme '{criterion.theme}'")
            for element in criterion.elements:
                if element not in element_ids:
                    raise ValueError(f"criterion '{criterion.id}' names unknown element '{element}'")
            for tag in criterion.tags:
                if tag not in self.tags:
                    raise ValueError(f"criterion '{criterion.id}' has tag '{tag}', which is not declared in 'tags'")
            _check_levels(criterion.levels, levels, f"criterion '{criterion.id}' levels")
            _check_subsectors(criterion)
        for check in self.gate:
            if check.element is not None and check.element not in element_ids:
                raise ValueError(f"gate check '{check.id}' names unknown element '{check.element}'")
            if check.element is None and not check.patterns and check.decide is None:
                raise ValueError(f"gate check '{check.id}' needs an 'element', 'patterns' or 'decide'")
        for group in self.letter.scopes + self.letter.recommendations:
            for criterion in group.criteria:
                if criterion not in criteria:
                    raise ValueError(f"letter item '{group.id}' lists unknown criterion '{criterion}'")
        max_level = max(levels) if levels else 10
        self._check_roles_and_flags(levels, element_ids)
        for criterion in self.criteria:
            for signal in criterion.signals:
                for level in [signal.level or 0, *signal.levels.values()]:
                    if level > max_level:
                        raise ValueError(f"criterion '{criterion.id}' signal '{signal.kind}' level {level} "
                                         f"is above the scale (max {max_level})")
            for pattern in criterion.patterns:
                if pattern.level is not None and pattern.level > max_level:
                    raise ValueError(f"criterion '{criterion.id}' pattern '{pattern.id}' level {pattern.level} "
                                     f"is above the scale (max {max_level})")
        named = [(f"element '{e.id}'", e.sources) for e in self.elements]
        named += [(f"gate check '{g.id}'", g.sources) for g in self.gate]
        named += [(f"letter item '{a.id}'", a.sources) for a in self.letter.scopes + self.letter.recommendations]
        named += [(f"theme '{t.id}'", t.sources) for t in self.themes]
        named += [(f"criterion '{c.id}'", c.sources) for c in self.criteria]
        named += [(f"criterion '{c.id}' advice", a.sources) for c in self.criteria for a in c.advice]
        for owner, refs in named:
            for ref in refs:
                if ref not in self.sources:
                    raise ValueError(f"{owner} cites source '{ref}', which is not in 'sources'")
        return self

    def _check_roles_and_flags(self, levels: set[int], element_ids: set[str]) -> None:
        if self.criteria:
            for role in SCALE_ROLES:
                holders = [lvl.id for lvl in self.scale if role in lvl.roles]
                if len(holders) > 1 or (not holders and role not in OPTIONAL_ROLES):
                    found = f"levels {holders}" if holders else "no level"
                    raise ValueError(f"scale role '{role}' ({SCALE_ROLES[role]}) must be on exactly one level, "
                                     f"found {found}")
        used = {tag for c in self.criteria for tag in c.tags}
        for name, tag in self.tags.items():
            if tag.min_level is not None and levels and tag.min_level not in levels:
                raise ValueError(f"tag '{name}' min_level {tag.min_level} is not a level of the scale")
        _unique([f.id for f in self.flags], "flag id")
        for flag in self.flags:
            where = f"flag '{flag.id}'"
            if flag.claim.exclusion is not None and flag.claim.exclusion not in element_ids:
                raise ValueError(f"{where} claim names unknown element '{flag.claim.exclusion}'")
            if flag.claim.cue is not None and flag.claim.cue not in self.cues:
                raise ValueError(f"{where} claim names unknown cue group '{flag.claim.cue}'")
            tags = list(flag.never_supports) + ([flag.acceptable_if.tag] if flag.acceptable_if else [])
            for tag in tags:
                if tag not in used:
                    raise ValueError(f"{where} names tag '{tag}', which no criterion carries")
            if flag.acceptable_if is not None and levels and flag.acceptable_if.level not in levels:
                raise ValueError(f"{where} acceptable_if level {flag.acceptable_if.level} is not a level of the scale")

    def element(self, element_id: str) -> Element:
        for element in self.elements:
            if element.id == element_id:
                return element
        raise KeyError(element_id)

    @property
    def element_ids(self) -> tuple[str, ...]:
        return tuple(e.id for e in self.elements)

    @property
    def levels(self) -> tuple[int, ...]:
        """The scale's level numbers, lowest first."""
        return tuple(sorted(lvl.level for lvl in self.scale))

    def advice_sources(self, ids, jurisdictions=()) -> tuple[str, ...]:
        """The source ids among ``ids`` a firm is pointed to as advice: laws, guidance and benchmarks
        (not papers, datasets or code), of the laws it answers (``jurisdictions``; the UK's when none
        is named) or of none in particular."""
        laws = set(jurisdictions) or {"uk"}
        return tuple(i for i in ids if i in self.sources and self.sources[i].advice
                     and (self.sources[i].jurisdiction is None or self.sources[i].jurisdiction in laws))

    def role_level(self, role: str) -> int:
        """The level that holds a scale role (``SCALE_ROLES``)."""
        for lvl in self.scale:
            if role in lvl.roles:
                return lvl.level
        raise KeyError(role)

    def optional_role_level(self, role: str) -> int | None:
        """The level that holds an optional scale role (``OPTIONAL_ROLES``), None when none does."""
        return next((lvl.level for lvl in self.scale if role in lvl.roles), None)

    def level_name(self, level: int) -> str:
        return next((lvl.name for lvl in self.scale if lvl.level == level), "")

    def level_label(self, level: int | None, none: str = "") -> str:
        """'3 Established' (``types.scale_label`` on this rubric's scale)."""
        return scale_label(level, {lvl.level: lvl.name for lvl in self.scale}, none)

    def name_of(self, code: str) -> str:
        """The name of a criterion, theme, gate check, letter scope or recommendation, or element;
        "" when the rubric has no such id (a result scored with another rubric)."""
        for group in (self.criteria, self.themes, self.gate, self.letter.scopes, self.letter.recommendations):
            for entry in group:
                if entry.id == code:
                    return entry.name
        return next((e.label for e in self.elements if e.id == code), "")

    def label(self, code: str) -> str:
        """A code with its name, as every page and export shows it: "C12 Lending due diligence"."""
        name = self.name_of(code)
        return f"{code} {name}" if name and name != code else code

    def level_descriptor(self, criterion_id: str, level: int) -> str:
        """What ``level`` means for a criterion (its own descriptor, else the scale's description)."""
        criterion = next((c for c in self.criteria if c.id == criterion_id), None)
        if criterion is not None and criterion.levels.get(level):
            return criterion.levels[level]
        return next((lvl.description for lvl in self.scale if lvl.level == level), "")

    def next_level(self, level: int) -> int | None:
        """The scale's next level above ``level``, or None at the top."""
        return next((n for n in self.levels if n > level), None)

    def tagged(self, tag: str) -> tuple[Criterion, ...]:
        """The criteria that carry ``tag``, in rubric order."""
        return tuple(c for c in self.criteria if tag in c.tags)

    @property
    def key(self) -> str:
        """What results are stored under: ``<id>@<version>``."""
        return f"{self.id}@{self.version}"

    def pattern_rules(self) -> tuple[PatternRule, ...]:
        """Every pattern of the rubric once, with what it is for: element includes and excludes, cue
        groups, then the level patterns of criteria, gate checks and letter items."""
        rules = [PatternRule("include", e.id, p) for e in self.elements for p in e.patterns]
        rules += [PatternRule("exclude", e.id, p) for e in self.elements for p in e.exclude]
        rules += [PatternRule("cue", group, p) for group, patterns in self.cues.items() for p in patterns]
        rules += [PatternRule("level", c.id, p, Target("criterion", c.id)) for c in self.criteria for p in c.patterns]
        rules += [PatternRule("level", g.id, p, Target("gate", g.id)) for g in self.gate for p in g.patterns]
        rules += [PatternRule("level", a.id, p, Target("letter", a.id))
                  for a in self.letter.scopes + self.letter.recommendations for p in a.patterns]
        return tuple(rules)


PATTERN_KINDS = ("include", "exclude", "cue", "level")


@dataclasses.dataclass(frozen=True)
class PatternRule:
    """One pattern of a rubric and its role: ``include``/``exclude`` for an element (``owner`` the
    element id), ``cue`` for a cue group (``owner`` the group), ``level`` for what ``target`` names."""

    kind: str  # PATTERN_KINDS
    owner: str
    pattern: Pattern
    target: Target | None = None  # level patterns only

    @property
    def key(self) -> str:
        """Unique within a rubric (pattern ids are unique per owner): the matcher's label for it."""
        owner = f"{self.target.kind}:{self.owner}" if self.target is not None else self.owner
        return f"{self.kind}|{owner}|{self.pattern.id}"

    @property
    def where(self) -> str:
        """The pattern's owner as a message names it: "element 'approval'", "cue group 'planned'"."""
        if self.kind in ("include", "exclude"):
            return f"element '{self.owner}'"
        if self.kind == "cue":
            return f"cue group '{self.owner}'"
        assert self.target is not None
        return {"criterion": "criterion", "gate": "gate check", "letter": "letter item"}[self.target.kind] + \
            f" '{self.owner}'"


def _unique(values: list[str], what: str) -> None:
    seen = set()
    for value in values:
        if value in seen:
            raise ValueError(f"duplicate {what} '{value}'")
        seen.add(value)


def _check_subsectors(criterion: Criterion) -> None:
    named = [*criterion.advice_for, *(s for a in criterion.advice for s in a.subsectors)]
    for subsector in named:
        if subsector not in SUBSECTORS and subsector not in ADVICE_GROUPS:
            raise ValueError(f"criterion '{criterion.id}' names unknown sub-sector '{subsector}' "
                             f"(known: {', '.join(SUBSECTORS + ADVICE_GROUPS)})")
    _unique([s for a in criterion.advice for s in a.subsectors], f"sub-sector in criterion '{criterion.id}' advice")


def _check_levels(mapping: dict[int, str], levels: set[int], where: str) -> None:
    unknown = sorted(set(mapping) - levels) if levels else sorted(mapping)
    if unknown:
        raise ValueError(f"{where} use level(s) {unknown} that the scale does not define")


def _format_error(exc: ValidationError, data: dict) -> str:
    problems = []
    for error in exc.errors():
        loc = _describe_location(error["loc"], data)
        message = error["msg"].removeprefix("Value error, ")
        problems.append(f"{loc}: {message}" if loc else message)
    return "; ".join(problems)


def _describe_location(loc: tuple, data: Any) -> str:
    """Turn ('elements', 3, 'patterns', 0, 'tokens') into "elements[3] (id 'approval').patterns[0].tokens"."""
    parts: list[str] = []
    node = data
    for key in loc:
        if isinstance(key, int):
            label = f"[{key}]"
            if isinstance(node, list) and key < len(node):
                node = node[key]
                if isinstance(node, dict) and "id" in node:
                    label += f" (id '{node['id']}')"
            else:
                node = None
            parts.append(label)
        else:
            parts.append(("." if parts else "") + str(key))
            node = node.get(key) if isinstance(node, dict) else None
    return "".join(parts)


def upgrade_v1(data: dict) -> dict:
    """Accept the first format of the matrix, so edited copies of maturity.v1 keep loading.

    A criterion's ``elements`` with ``element_level`` become ``element`` signals; a scale that
    declares no roles takes them from the v1 level ids (``aware`` caps plans, gaps are below
    ``established``). Tags and flags have no v1 form: add them to use them."""
    data = dict(data)
    criteria = []
    for criterion in data.get("criteria") or []:
        if isinstance(criterion, dict) and ("elements" in criterion or "element_level" in criterion):
            criterion = dict(criterion)
            level = criterion.pop("element_level", 1)
            old = [{"kind": "element", "element": e, "level": level} for e in criterion.pop("elements", None) or []]
            criterion["signals"] = old + list(criterion.get("signals") or [])
        criteria.append(criterion)
    if criteria:
        data["criteria"] = criteria
    scale = data.get("scale")
    if criteria and isinstance(scale, list) and all(isinstance(lvl, dict) and "roles" not in lvl for lvl in scale):
        v1_roles = {"aware": "planned_cap", "established": "gap_below"}
        data["scale"] = [{**lvl, "roles": [v1_roles[lvl["id"]]]} if lvl.get("id") in v1_roles else lvl
                         for lvl in scale]
    return data


def parse_rubric(data: Any, *, where: str) -> Rubric:
    """Validate already-parsed YAML/JSON data into a Rubric (first-format matrices are upgraded)."""
    if not isinstance(data, dict):
        raise RubricError("rubric must be a mapping at the top level", where=where,
                          fix="start the file with 'id:', 'version:' and 'title:' keys")
    data = upgrade_v1(data)
    try:
        return Rubric(**data)
    except ValidationError as exc:
        raise RubricError(f"invalid rubric: {_format_error(exc, data)}", where=where,
                          fix="correct the named field (see docs/rubric.md for the format)") from None
    except TypeError as exc:  # unknown top-level keys
        raise RubricError(f"invalid rubric: {exc}", where=where,
                          fix="remove or rename the unknown top-level key") from None


def load_rubric(path: str | Path | None = None) -> Rubric:
    """Load and validate a rubric file; ``None`` loads the bundled default."""
    if path is None:
        text = resources.files("disclosure_check").joinpath("rubrics", DEFAULT_RUBRIC).read_text("utf-8")
        where = f"<bundled>/{DEFAULT_RUBRIC}"
    else:
        path = Path(path)
        where = str(path)
        if not path.is_file():
            raise RubricError("rubric file not found", where=where, fix="check the path given to --rubric")
        try:
            text = path.read_text("utf-8")
        except UnicodeDecodeError:
            raise RubricError("the rubric file is not UTF-8 text (not YAML at all?)", where=where,
                              fix="give --rubric a rubric YAML file saved as UTF-8") from None
        except OSError as exc:
            raise RubricError(f"cannot read the rubric file ({exc.strerror or exc})", where=where,
                              fix="check the path given to --rubric and that this user may read it") from None
    try:
        data = load_yaml(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise RubricError(f"not valid YAML{line}: {getattr(exc, 'problem', exc)}", where=where,
                          fix="check indentation and quoting around that line") from None
    if isinstance(data, dict) and data.get("extends"):
        data = _merge_base(data, where)
    return parse_rubric(data, where=where)


def _merge_base(data: dict, where: str) -> dict:
    """Fill elements, cues and sources from the bundled rubric named in ``extends`` (this file wins)."""
    name = data["extends"]
    try:
        text = resources.files("disclosure_check").joinpath("rubrics", name).read_text("utf-8")
    except (FileNotFoundError, OSError):
        raise RubricError(f"'extends: {name}' names no bundled rubric", where=where,
                          fix=f"use one of {sorted(p.name for p in resources.files('disclosure_check').joinpath('rubrics').iterdir())}") from None
    base = load_yaml(text)
    merged = dict(data)
    merged.setdefault("elements", base.get("elements", []))
    merged.setdefault("cues", base.get("cues", {}))
    merged["sources"] = {**base.get("sources", {}), **data.get("sources", {})}
    return merged


def missing_elements(rubric: Rubric) -> list[str]:
    """Standard element ids that the rubric does not define (outputs still list them as absent)."""
    return [e for e in ELEMENT_IDS if e not in rubric.element_ids]


def rubric_to_data(rubric: Rubric) -> dict:
    """The rubric as plain data (JSON-ready) that ``rubric_from_data`` reads back as an equal rubric:
    how the store keeps the rubric each result was scored with."""
    return TypeAdapter(Rubric).dump_python(rubric, mode="json")


def rubric_from_data(data: dict, *, where: str) -> Rubric:
    """A rubric kept as data (``rubric_to_data``), validated as a file would be."""
    return parse_rubric(data, where=where)
