"""The scoring pipeline: path -> Document -> sentences -> evidence -> Assessment (or Failure).

``Scorer`` holds what scoring needs (a rubric, a model set, options) and scores one document;
batches of them, under time and memory limits, on one machine or a cluster, are ``run/``'s."""

from __future__ import annotations

import copy
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import numpy as np

from disclosure_check.assess.doctype import DocumentKind, document_kind
from disclosure_check.assess.elements import assess, combine_evidence
from disclosure_check.assess.identity import document_to_identity, given_identity
from disclosure_check.assess.maturity import assess_maturity
from disclosure_check.assess.profile import detect_profile
from disclosure_check.assess.signals import Findings, collect_signals
from disclosure_check.classify.artifact import ModelBundle
from disclosure_check.classify.context import build_contexts
from disclosure_check.classify.matches import evidence_status, status_reason
from disclosure_check.classify.modelset import ModelSet, load_model_set
from disclosure_check.classify.rules import NAME as RULES
from disclosure_check.classify.rules import RuleClassifier, RuleMatches
from disclosure_check.classify.sector import keyword_sector, read_sector
from disclosure_check.errors import InputError, LanguageError
from disclosure_check.read.extract import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_OCR_PAGES,
    DEFAULT_MAX_PAGES,
    pdf_to_document,
    safe_doc_id,
)
from disclosure_check.read.language import SCORED_LANGUAGES, language_name
from disclosure_check.read.segment import document_to_sentences, is_date_line
from disclosure_check.rubric import Rubric, load_rubric
from disclosure_check.sanitize import path_text
from disclosure_check.types import (
    Assessment,
    ClaimSentence,
    CriterionEvidence,
    Document,
    ElementResult,
    Evidence,
    Failure,
    Given,
    Identity,
    Maturity,
    Origin,
    Profile,
    Quote,
    SectorReading,
    Sentence,
    TrainingAudiences,
)


@dataclass(frozen=True)
class Classified:
    model_evidence: list[Evidence]
    rule_evidence: list[Evidence]
    best: dict[str, float]
    matches: list[RuleMatches]


# "Supplier spend by category", "Speak Up", "Technology Services & Software 31%" are labels, not claims:
# a short line is quoted only when it ends as a sentence does ("We audit our suppliers.").
NOT_EVIDENCE = "not_evidence"  # the rubric's cue group of greetings and sign-offs ("Dear Commissioner", "Yours sincerely")
MIN_QUOTE_WORDS = 6
MIN_SENTENCE_WORDS = 3


def quotable(sentence: Sentence) -> bool:
    """Whether a sentence can be quoted as evidence: a reviewer reads a claim, not a heading, a chart
    label or a table cell. (Headings still give the sentences under them their context.)"""
    if sentence.kind == "signature_block":
        return True
    if sentence.kind == "heading" or heading_like(sentence.text):
        return False
    words = len(sentence.text.split())
    return words >= MIN_QUOTE_WORDS or (words >= MIN_SENTENCE_WORDS and sentence.text.rstrip().endswith((".", "!", "?")))


def question(text: str) -> bool:
    """A question claims nothing: a supplier questionnaire's item ("Are you a signatory to the Living Wage
    Foundation?") or a Q&A heading ("DO YOU CONDUCT AUDITS OF SUPPLIERS ...?") is no evidence of what the
    firm does (issue 21 round 4), whatever words it shares with a criterion's patterns."""
    text = text.rstrip().rstrip("\"'”’")
    # "... track corrective actions (see What do we do next?)": a bracketed cross-reference that ends in
    # "?" does not make the sentence a question; only a sentence that is itself bracketed reads inside.
    bracket = _TRAILING_BRACKET.search(text)
    if bracket and bracket.start() > 0:
        text = text[:bracket.start()].rstrip()
    return text.rstrip("\"'”’)").endswith("?")


_TRAILING_BRACKET = re.compile(r"\([^()]*\)$")


_SMALL_WORDS = frozenset(["a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "of", "on", "or", "our", "the", "to", "with", "its", "their", "your", "&"])


@lru_cache(maxsize=1 << 14)  # asked of every sentence twice: when classifying and when scoring maturity
def heading_like(text: str) -> bool:
    """A heading, a menu or a list of names rather than a claim, whatever block it came in: a lead-in
    that ends in a colon ("This approach will monitor and review:"), or words nearly all capitalised
    ("Legal notice Contact us Glossary Procurement Policy", "Customer due diligence." is not, but
    "Anti-Money Laundering and the Proceeds of Crime." is)."""
    stripped = text.strip()
    if stripped.endswith(":"):
        return True
    words = [w for w in re.findall(r"[^\W\d_][\w'’\-]*", stripped) if w.lower() not in _SMALL_WORDS]
    if len(words) < 2 or any(_verb_like(w) for w in words) or _verb_like(words[0].lower()):
        return False  # "Barclays PLC has a Working Group chaired by ...": a claim, however many names it holds
    capitalised = sum(w[0].isupper() for w in words) / len(words)
    return len(words) <= 4 or capitalised >= 0.8


_AUXILIARIES = frozenset(["is", "are", "was", "were", "be", "been", "being", "has", "have", "had", "will", "shall", "can", "may", "must", "should", "would", "could", "do", "does", "did", "we"])


def _verb_like(word: str) -> bool:
    """A lower-case word that is probably a verb (or "we"): what a claim has and a heading lacks."""
    return word[0].islower() and (word in _AUXILIARIES or (len(word) > 3 and word.endswith(("ed", "es", "s", "ing"))))


def claim_sentences(rubric: Rubric, sentences: Sequence[Sentence], matches: Sequence[RuleMatches]
                    ) -> list[ClaimSentence]:
    """Sentences that make a claim one of the rubric's flags watches for (an element's exclusion
    patterns or a cue group matched)."""
    out = []
    for flag in rubric.flags:
        claim = flag.claim
        for sentence, m in zip(sentences, matches, strict=True):
            if (claim.exclusion is not None and claim.exclusion in m.excluded) or (
                    claim.cue is not None and claim.cue in m.cues) or claim.says(sentence.text):
                out.append(ClaimSentence(flag.id, sentence.index, sentence.page, sentence.text))
    return out


def maturity_from_evidence(rubric: Rubric, sentences: Sequence[Sentence], matches: Sequence[RuleMatches],
                           elements: Sequence[ElementResult], profile: Profile,
                           audiences: TrainingAudiences | None = None) -> Maturity:
    """Collect criterion evidence (rule level hits and each criterion's signals, see signals.py)
    and score it. Rule hits take their sentence's status; signal evidence carries its own.
    ``elements``: as ``combine_evidence`` gives them, with all their evidence (not ``bounded``)."""
    evidence: list[CriterionEvidence] = []
    letter_evidence: list[CriterionEvidence] = []
    gate_hits: dict[str, list[Quote]] = {}
    statuses: dict[int, str] = {}
    barred: set[int] = set()  # greetings, sign-offs, headings and questions: never evidence of a criterion
    for sentence, m in zip(sentences, matches, strict=True):
        status = evidence_status(m)
        statuses[sentence.index] = status
        if not quotable(sentence) or NOT_EVIDENCE in m.cues or question(sentence.text):
            barred.add(sentence.index)
        for target, hit in m.levels.items():
            if target.kind == "gate":
                gate_hits.setdefault(target.id, []).append(Quote(sentence.page, sentence.text, sentence.boxes,
                                                                 sentence.ocr))
                continue
            if sentence.index in barred:
                continue
            item = CriterionEvidence(
                criterion=target.id, level=hit.level, status=status, text=sentence.text, page=sentence.page,
                sentence_index=sentence.index, origins=(Origin("rule", hit.pattern, RULES, hit.matched),),
                boxes=sentence.boxes, ocr=sentence.ocr)
            (letter_evidence if target.kind == "letter" else evidence).append(item)
    findings = Findings(sentences=sentences, statuses=statuses, elements={e.element: e for e in elements},
                        audiences=audiences,
                        planned_cap=rubric.role_level("planned_cap") if rubric.criteria else 1)
    for criterion in rubric.criteria:
        # A sentence a signal brings supports the criterion only when it is about the criterion's
        # subject: one generic sentence does not carry policy, risk method and due diligence at once.
        # It filters all of an element's evidence before the per-signal cut (``collect_signals``).
        evidence += collect_signals(criterion.id, criterion.signals, findings,
                                    keep=lambda item, c=criterion: item.sentence_index not in barred and c.about(item.text))
    present = {e.element: tuple(Quote(ev.page, ev.text, ev.boxes, ev.ocr) for ev in e.evidence)
               for e in elements if e.present}
    return assess_maturity(rubric, evidence, profile, present_elements=present,
                           gate_hits={k: tuple(v) for k, v in gate_hits.items()},
                           claims=claim_sentences(rubric, sentences, matches), sentences=sentences,
                           letter_evidence=letter_evidence)


@dataclass(frozen=True)
class ScoreOptions:
    password: str | None = None
    max_bytes: int = DEFAULT_MAX_BYTES
    max_pages: int = DEFAULT_MAX_PAGES
    ocr: bool = True  # read pages without a usable text layer from their image
    max_ocr_pages: int = DEFAULT_MAX_OCR_PAGES
    doc_type: str | None = None  # DOC_TYPES; None detects it
    sector: str | None = None  # SECTOR_CHOICES (a financial sub-sector, "financial", an industry); None detects it
    jurisdictions: tuple[str, ...] | None = None  # JURISDICTIONS; None detects them, () is "none named"
    fetch_allow: tuple[str, ...] = ()  # hosts a manifest URL may reach on private addresses (run.fetch)

    @property
    def given(self) -> Given:
        """What these options say about every document (outranked by a manifest row's record)."""
        return Given(doc_type=self.doc_type, sector=self.sector, jurisdictions=self.jurisdictions, source="option")


@dataclass(frozen=True)
class ScorerSpec:
    """How to build a Scorer in another process (paths, not objects)."""

    rubric_path: str | None = None
    model_dir: str | None = None
    options: ScoreOptions = field(default_factory=ScoreOptions)

    def build(self) -> Scorer:
        return Scorer(load_rubric(self.rubric_path), load_model_set(self.model_dir), self.options)


class Scorer:
    """Everything needed to score documents with one rubric and one model."""

    def __init__(self, rubric: Rubric, models: ModelSet | ModelBundle, options: ScoreOptions | None = None) -> None:
        """``models``: a model set (``load_model_set``); a bare sentence ModelBundle scores without
        the audience model, and ``model_version`` says so."""
        self.rubric = rubric
        self.models = models if isinstance(models, ModelSet) else ModelSet(models)
        self.bundle = self.models.sentence
        self.audiences = ((self.models.audiences, self.models.audience_meta)
                          if self.models.audiences is not None else None)
        self.options = options or ScoreOptions()
        self.rules = RuleClassifier(rubric)
        labels = self.bundle.model.labels
        self._columns = {e: labels.index(e) for e in rubric.element_ids if e in labels}
        self.standalone = frozenset(e.id for e in rubric.elements if e.standalone)

    def with_options(self, options: ScoreOptions) -> Scorer:
        """The same rubric and models (shared, not copied) reading documents with ``options``: a
        retry with a password, say, without loading anything again."""
        scorer = copy.copy(self)
        scorer.options = options
        return scorer

    @property
    def rubric_version(self) -> str:
        return self.rubric.key

    @property
    def model_version(self) -> str:
        """Both models' versions: results are stored and resumed under it."""
        return self.models.version

    def classify(self, sentences: Sequence[Sentence]) -> Classified:
        """Model evidence above threshold, rule evidence, best model probability per element, and
        the rule matches of every sentence (for criteria, gate checks and status)."""
        all_matches = self.rules.match([s.text for s in sentences])
        # A line that is only a year or date is there for the gate's period: the rules and the model
        # read the other sentences as they would without it (their neighbours and positions unchanged).
        read = [i for i, s in enumerate(sentences) if not is_date_line(s.text)]
        sentences = [sentences[i] for i in read]
        matches = [all_matches[i] for i in read]
        texts = [s.text for s in sentences]
        # Signature lines and approval notes are short; other elements need a sentence a reviewer can read.
        labels = {s.index for s in sentences if not quotable(s)}
        rule_evidence = [ev for ev in self.rules.evidence(sentences, matches)
                         if ev.element in self.standalone or ev.sentence_index not in labels]
        if not sentences:
            return Classified([], rule_evidence, {}, all_matches)
        contexts = build_contexts(texts, [s.heading for s in sentences], [m.flags for m in matches])
        model = self.bundle.model
        X = model.features(contexts)
        P = model.smooth(model.proba_from_features(X), [c.section for c in contexts])
        model_evidence = []
        best: dict[str, float] = {}
        # A negative claim is not a disclosure: it neither supports an element nor sets its confidence.
        counted = np.array([evidence_status(m) != "negative" for m in matches])
        readable = np.array([s.index not in labels for s in sentences])
        for element, j in self._columns.items():
            column = P[:, j]
            usable = counted if element in self.standalone else counted & readable
            best[element] = float(column[usable].max()) if usable.any() else 0.0
            threshold = self.bundle.thresholds.get(element, 0.5)
            for i in np.flatnonzero((column >= threshold) & (readable | (element in self.standalone))):
                s = sentences[int(i)]
                explanation = model.explain_row(X, int(i), element)
                reason = status_reason(matches[int(i)])
                model_evidence.append(Evidence(
                    element=element, sentence_index=s.index, text=s.text, page=s.page,
                    classifier=self.bundle.name, score=round(float(column[i]), 4),
                    detail=explanation + (f"; status {reason}" if reason else ""),
                    status=evidence_status(matches[int(i)]), boxes=s.boxes, ocr=s.ocr,
                ))
        return Classified(model_evidence, rule_evidence, best, all_matches)

    def score_document(self, doc: Document, given: Given | None = None) -> Assessment:
        """Score a Document in a language the classifiers read (see ``check_language``); pages in
        other languages (the French half of a bilingual statement) are left out and listed. A
        statement inside a longer report is scored from its own pages (``Profile.section``).
        ``given``: what a register (a manifest row) records about the document; it outranks the
        options' given, which outranks what the text says."""
        given = (given or Given()).over(self.options.given)
        kind = document_kind(doc)
        identity = document_to_identity(doc)
        profile = self.profile(doc, given, identity, kind) if self.rubric.criteria or self.rubric.gate else None
        other = tuple((p.number, p.language) for p in doc.pages if p.language and p.language not in SCORED_LANGUAGES)
        pages = None if not other else {p.number for p in doc.pages} - {n for n, _ in other}
        section = profile.section if profile is not None else (kind.section if given.doc_type is None else None)
        if section is not None:
            pages = set(range(section[0], section[1] + 1)) & (pages if pages is not None else {p.number for p in doc.pages})
        sentences = document_to_sentences(doc, pages=pages)
        found = self.classify(sentences)
        elements = combine_evidence(self.rubric.element_ids, found.model_evidence, found.rule_evidence,
                                    best_scores=found.best, standalone=self.standalone)
        audiences = self.training_audiences([s for s in sentences if not is_date_line(s.text)])
        maturity = None
        if profile is not None:
            maturity = maturity_from_evidence(self.rubric, sentences, found.matches, elements, profile, audiences)
        identity = given_identity(identity, given)
        return replace(assess(doc, elements, rubric_version=self.rubric_version, model_version=self.model_version,
                              sentences=len(sentences), maturity=maturity, training_audiences=audiences,
                              pages_other_language=other), identity=identity, text=doc.text,
                       text_pages=text_pages(doc))

    def profile(self, doc: Document, given: Given | None = None, identity: Identity | None = None,
                kind: DocumentKind | None = None) -> Profile:
        """What ``doc`` is, who wrote it (its sector) and which laws it answers (``given`` on top)."""
        identity = identity if identity is not None else document_to_identity(doc)
        return detect_profile(doc, kind or document_kind(doc), self.read_sector(doc, identity), given)

    def read_sector(self, doc: Document, identity: Identity) -> SectorReading:
        """The sector model's reading of ``doc`` (keyword counts when the model set has none)."""
        name = identity.organisation or identity.suggestion
        if self.models.sector is None:
            return keyword_sector(doc, name)
        return read_sector(self.models.sector, doc, name, by=self.models.sector_meta.get("model_version", ""))

    def training_audiences(self, sentences: Sequence[Sentence]) -> TrainingAudiences | None:
        if self.audiences is None:
            return None
        from disclosure_check.classify.audience_rules import audience_evidence

        model, meta = self.audiences
        [labels] = model.predict([[s.text for s in sentences]])
        found = audience_evidence([(s.page, s.text) for s in sentences], labels)
        evidence = tuple((label, page, text) for label in labels for page, text in found.get(label, []))
        return TrainingAudiences(labels=labels, evidence=evidence, model_version=meta.get("model_version", ""))

    def score_file(self, path: str | Path, doc_id: str | None = None, given: Given | None = None
                   ) -> Assessment | Failure:
        """Score one file (``given``: see ``score_document``); bad input becomes a Failure with its
        reason, bugs propagate."""
        path = Path(path)
        try:
            doc = pdf_to_document(path, password=self.options.password, max_bytes=self.options.max_bytes,
                                  max_pages=self.options.max_pages, doc_id=doc_id, ocr=self.options.ocr,
                                  max_ocr_pages=self.options.max_ocr_pages)
            check_language(doc)
        except InputError as exc:
            return self.failure(path, exc, doc_id=doc_id)
        return self.score_document(doc, given)

    def failure(self, path: Path, exc: InputError, doc_id: str | None = None) -> Failure:
        return Failure(doc_id=doc_id or safe_doc_id(path, self.options.max_bytes), path=path_text(path), code=exc.code,
                       reason=exc.what + (f" Fix: {exc.fix}" if exc.fix else ""),
                       rubric_version=self.rubric_version, model_version=self.model_version,
                       language=getattr(exc, "language", None))


def check_language(doc: Document) -> None:
    """Refuse, with its language, a document mostly in a language the classifiers were not
    trained on: they would find nothing, and a score of nothing would be wrong."""
    if doc.language and doc.language not in SCORED_LANGUAGES:
        raise LanguageError(
            f"the document is in {language_name(doc.language)} ('{doc.language}'); only English statements are scored",
            language=doc.language, where=doc.path,
            fix="score the English version of the statement if the company publishes one")


def settle_memory() -> None:
    """After the models are loaded: move everything alive so far out of the garbage collector's
    sight. Models and rule tables are long-lived and never garbage; without this each collection
    walks their millions of objects again (a quarter of batch time, measured)."""
    import gc

    gc.collect()
    gc.freeze()


def text_pages(doc: Document) -> tuple[tuple[int, int], ...]:
    """Where each page starts in ``doc.text``: (offset, page) at each change of page, read from the
    words' own pages (a paragraph that runs on to the next page changes page mid-block)."""
    starts: list[tuple[int, int]] = []
    for block in doc.blocks:
        for start, page in ((s.start, s.page) for s in block.spans) if block.spans else ((block.start, block.page),):
            if not starts or (page != starts[-1][1] and start > starts[-1][0]):
                starts.append((start, page))
    return tuple(starts)

