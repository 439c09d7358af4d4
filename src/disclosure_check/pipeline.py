"""The scoring pipeline: path -> Document -> sentences -> evidence -> Assessment (or Failure),
and ``run_batch``, the lenient batch runner that stores every outcome and never stops at a bad
file (its engine-independent parts are in batch.py; the Dask engine in engine_dask.py)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from disclosure_check.assess.elements import assess, combine_evidence
from disclosure_check.assess.identity import document_to_identity
from disclosure_check.assess.maturity import assess_maturity
from disclosure_check.assess.profile import detect_profile
from disclosure_check.assess.signals import Findings, collect_signals
from disclosure_check.classify.artifact import ModelBundle
from disclosure_check.classify.context import build_contexts
from disclosure_check.classify.modelset import ModelSet, load_model_set
from disclosure_check.classify.rules import RuleClassifier, RuleMatches
from disclosure_check.classify.status import evidence_status, status_reason
from disclosure_check.errors import InputError, LanguageError
from disclosure_check.read.extract import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_OCR_PAGES,
    DEFAULT_MAX_PAGES,
    file_digest,
    pdf_to_document,
)
from disclosure_check.read.language import SCORED_LANGUAGES, language_name
from disclosure_check.read.segment import document_to_sentences
from disclosure_check.rubric import Rubric, load_rubric
from disclosure_check.run.batch import BatchSummary, Outcome, Sink, StoreSink, items_from, run_local, unique
from disclosure_check.run.isolation import Limits
from disclosure_check.run.manifest import Item
from disclosure_check.types import (
    Assessment,
    ClaimSentence,
    CriterionEvidence,
    Document,
    ElementResult,
    Evidence,
    Failure,
    Maturity,
    Profile,
    Quote,
    Sentence,
    TrainingAudiences,
)

if TYPE_CHECKING:
    from disclosure_check.store.store import StoredAttempt

PDF_SUFFIXES = {".pdf"}


@dataclass(frozen=True)
class Classified:
    model_evidence: list[Evidence]
    rule_evidence: list[Evidence]
    best: dict[str, float]
    matches: list[RuleMatches]


# "Supplier spend by category", "Speak Up", "Technology Services & Software 31%" are labels, not claims:
# a short line is quoted only when it ends as a sentence does ("We audit our suppliers.").
MIN_QUOTE_WORDS = 6
MIN_SENTENCE_WORDS = 3


def quotable(sentence: Sentence) -> bool:
    """Whether a sentence can be quoted as evidence: a reviewer reads a claim, not a heading, a chart
    label or a table cell. (Headings still give the sentences under them their context.)"""
    if sentence.kind == "signature_block":
        return True
    if sentence.kind == "heading":
        return False
    words = len(sentence.text.split())
    return words >= MIN_QUOTE_WORDS or (words >= MIN_SENTENCE_WORDS and sentence.text.rstrip().endswith((".", "!", "?")))


def claim_sentences(rubric: Rubric, sentences: Sequence[Sentence], matches: Sequence[RuleMatches]
                    ) -> list[ClaimSentence]:
    """Sentences that make a claim one of the rubric's flags watches for (an element's exclusion
    patterns or a cue group matched)."""
    out = []
    for flag in rubric.flags:
        claim = flag.claim
        for sentence, m in zip(sentences, matches, strict=True):
            if (claim.exclusion is not None and claim.exclusion in m.excluded) or (
                    claim.cue is not None and claim.cue in m.cues):
                out.append(ClaimSentence(flag.id, sentence.index, sentence.page, sentence.text))
    return out


def maturity_from_evidence(rubric: Rubric, sentences: Sequence[Sentence], matches: Sequence[RuleMatches],
                           elements: Sequence[ElementResult], profile: Profile,
                           audiences: TrainingAudiences | None = None) -> Maturity:
    """Collect criterion evidence (rule level hits and each criterion's signals, see signals.py)
    and score it. Rule hits take their sentence's status; signal evidence carries its own."""
    evidence: list[CriterionEvidence] = []
    gate_hits: dict[str, list[Quote]] = {}
    statuses: dict[int, str] = {}
    for sentence, m in zip(sentences, matches, strict=True):
        status = evidence_status(m)
        statuses[sentence.index] = status
        for target, hit in m.levels.items():
            if target.startswith("gate:"):
                gate_hits.setdefault(target[5:], []).append(Quote(sentence.page, sentence.text, sentence.boxes,
                                                                  sentence.ocr))
                continue
            if not quotable(sentence):
                continue
            evidence.append(CriterionEvidence(
                criterion=target, level=hit.level, status=status, text=sentence.text, page=sentence.page,
                sentence_index=sentence.index, source=f"rules.v1 {hit.pattern} matched '{hit.matched}'",
                boxes=sentence.boxes, ocr=sentence.ocr))
    findings = Findings(sentences=sentences, statuses=statuses, elements={e.element: e for e in elements},
                        audiences=audiences)
    for criterion in rubric.criteria:
        evidence += collect_signals(criterion.id, criterion.signals, findings)
    present = {e.element: tuple(Quote(ev.page, ev.text, ev.boxes, ev.ocr) for ev in e.evidence)
               for e in elements if e.present}
    return assess_maturity(rubric, evidence, profile, present_elements=present,
                           gate_hits={k: tuple(v) for k, v in gate_hits.items()},
                           claims=claim_sentences(rubric, sentences, matches), sentences=sentences)


@dataclass(frozen=True)
class ScoreOptions:
    password: str | None = None
    max_bytes: int = DEFAULT_MAX_BYTES
    max_pages: int = DEFAULT_MAX_PAGES
    ocr: bool = True  # read pages without a usable text layer from their image
    max_ocr_pages: int = DEFAULT_MAX_OCR_PAGES
    doc_type: str | None = None  # "statement" | "letter"; None detects it
    sector: str | None = None  # a financial sub-sector, "financial", "other"; None detects it


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
        texts = [s.text for s in sentences]
        matches = self.rules.match(texts)
        # Signature lines and approval notes are short; other elements need a sentence a reviewer can read.
        labels = {s.index for s in sentences if not quotable(s)}
        rule_evidence = [ev for ev in self.rules.evidence(sentences, matches)
                         if ev.element in self.standalone or ev.sentence_index not in labels]
        if not sentences:
            return Classified([], rule_evidence, {}, matches)
        contexts = build_contexts(texts, [s.heading for s in sentences], [m.flags for m in matches])
        model = self.bundle.model
        X = model.features(contexts)
        P = model.proba_from_features(X)
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
                explanation = model.explain(X[int(i)], element)
                reason = status_reason(matches[int(i)])
                model_evidence.append(Evidence(
                    element=element, sentence_index=s.index, text=s.text, page=s.page,
                    classifier=self.bundle.name, score=round(float(column[i]), 4),
                    detail=explanation + (f"; status {reason}" if reason else ""),
                    status=evidence_status(matches[int(i)]), boxes=s.boxes, ocr=s.ocr,
                ))
        return Classified(model_evidence, rule_evidence, best, matches)

    def score_document(self, doc: Document) -> Assessment:
        """Score a Document in a language the classifiers read (see ``check_language``); pages in
        other languages (the French half of a bilingual statement) are left out and listed."""
        other = tuple((p.number, p.language) for p in doc.pages if p.language and p.language not in SCORED_LANGUAGES)
        pages = None if not other else {p.number for p in doc.pages} - {n for n, _ in other}
        sentences = document_to_sentences(doc, pages=pages)
        found = self.classify(sentences)
        elements = combine_evidence(self.rubric.element_ids, found.model_evidence, found.rule_evidence,
                                    best_scores=found.best, standalone=self.standalone)
        audiences = self.training_audiences(sentences)
        maturity = None
        identity = document_to_identity(doc)
        if self.rubric.criteria or self.rubric.gate:
            profile = detect_profile(doc.text, doc_type=self.options.doc_type, sector=self.options.sector,
                                     organisation=identity.organisation if identity.source("organisation") == "text" else None)
            maturity = maturity_from_evidence(self.rubric, sentences, found.matches, elements, profile, audiences)
        return replace(assess(doc, elements, rubric_version=self.rubric_version, model_version=self.model_version,
                              sentences=len(sentences), maturity=maturity, training_audiences=audiences,
                              pages_other_language=other), identity=identity, text=doc.text)

    def training_audiences(self, sentences: Sequence[Sentence]) -> TrainingAudiences | None:
        if self.audiences is None:
            return None
        from disclosure_check.classify.audience_rules import audience_evidence

        model, meta = self.audiences
        [labels] = model.predict([[s.text for s in sentences]])
        found = audience_evidence([(s.page, s.text) for s in sentences], labels)
        evidence = tuple((label, page, text) for label in labels for page, text in found.get(label, []))
        return TrainingAudiences(labels=labels, evidence=evidence, model_version=meta.get("model_version", ""))

    def score_file(self, path: str | Path, doc_id: str | None = None) -> Assessment | Failure:
        """Score one file; bad input becomes a Failure with its reason, bugs propagate."""
        path = Path(path)
        try:
            doc = pdf_to_document(path, password=self.options.password, max_bytes=self.options.max_bytes,
                                  max_pages=self.options.max_pages, doc_id=doc_id, ocr=self.options.ocr,
                                  max_ocr_pages=self.options.max_ocr_pages)
            check_language(doc)
        except InputError as exc:
            return self.failure(path, exc, doc_id=doc_id)
        return self.score_document(doc)

    def failure(self, path: Path, exc: InputError, doc_id: str | None = None) -> Failure:
        return Failure(doc_id=doc_id or safe_doc_id(path), path=str(path), code=exc.code,
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


def safe_doc_id(path: Path) -> str:
    """The content hash when the file can be read, else a hash of its path (so it is still stored)."""
    try:
        return file_digest(path)
    except OSError:
        return "path:" + hashlib.sha256(str(path).encode()).hexdigest()


def discover(paths: Iterable[str | Path]) -> tuple[list[Path], list[tuple[Path, InputError]]]:
    """PDF files under the given files and folders (recursively), sorted; problems as errors."""
    found: dict[Path, None] = {}
    problems: list[tuple[Path, InputError]] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and child.suffix.lower() in PDF_SUFFIXES:
                    found[child] = None
        elif path.is_file():
            if path.suffix.lower() in PDF_SUFFIXES:
                found[path] = None
            else:
                problems.append((path, InputError(f"not a PDF ('{path.suffix or 'no extension'}')", where=str(path),
                                                  fix="give PDF files or folders containing them")))
        else:
            problems.append((path, InputError("no such file or folder", where=str(path), fix="check the path")))
    return list(found), problems


# Failure code -> the options whose change could change that outcome: a stored failure is tried
# again when one of them differs from the run that failed (DC102: whenever a password is given).
# Other failures (damaged, not English, a crash, a bug) are tried again only on request.
RETRY_WHEN: dict[str, tuple[str, ...]] = {
    "DC101": ("max_bytes", "max_pages"),
    "DC102": ("password",),
    "DC104": ("ocr", "max_ocr_pages"),
    "DC106": ("time_limit", "ocr", "max_ocr_pages", "max_pages"),
    "DC107": ("memory_limit", "ocr", "max_ocr_pages", "max_pages"),
    "DC108": ("memory_limit",),  # the system's OOM killer, or a crash under memory pressure
}


def attempt_options(options: ScoreOptions, limits: Limits) -> dict:
    """The options that decide whether a document can be read, as stored beside its result. The
    password itself is never stored: only whether one was given."""
    return {"password": bool(options.password), "max_bytes": options.max_bytes, "max_pages": options.max_pages,
            "ocr": options.ocr, "max_ocr_pages": options.max_ocr_pages, "time_limit": limits.time_limit,
            "memory_limit": limits.memory_limit}


def needs_retry(stored: StoredAttempt, current: dict, *, retry_failed: bool = False) -> bool:
    """Whether a stored outcome should be scored again rather than reused."""
    if stored.status != "failed":
        return False
    if retry_failed or stored.options is None:  # None: failed before options were recorded
        return True
    if stored.error_code == "DC102" and current.get("password"):
        return True
    return any(stored.options.get(name) != current.get(name) for name in RETRY_WHEN.get(stored.error_code or "", ())
               if name != "password")


def settle_memory() -> None:
    """After the models are loaded: move everything alive so far out of the garbage collector's
    sight. Models and rule tables are long-lived and never garbage; without this each collection
    walks their millions of objects again (a quarter of batch time, measured)."""
    import gc

    gc.collect()
    gc.freeze()


def run_batch(
    paths: Sequence[str | Path],
    scorer: Scorer,
    *,
    store=None,
    rescore: bool = False,
    retry_failed: bool = False,
    jobs: int = 1,
    limits: Limits | None = None,
    spec: ScorerSpec | None = None,
    on_start: Callable[[int], None] | None = None,
    on_result: Callable[[dict], None] | None = None,
    items: Sequence[Item] | None = None,
    sink: Sink | None = None,
    on_outcome: Callable[[Outcome], None] | None = None,
) -> BatchSummary:
    """Score every PDF under ``paths`` (or the manifest's ``items``); store each outcome and pass
    it to ``on_outcome`` (and, as a dict, to ``on_result``) as it arrives.

    Every document is scored in one of ``jobs`` worker processes under ``limits`` (isolation.py),
    so no file can stop, stall or crash the batch; results are stored in the order they finish.
    Files already stored for this rubric and model are skipped (their stored result still goes to
    ``on_result``) unless ``rescore``; that makes an interrupted run resumable. A stored failure is
    tried again when an option that could have caused it changed (``RETRY_WHEN``) or on
    ``retry_failed``. ``spec`` lets workers build their own scorer where processes cannot fork.
    ``sink``: where outcomes go instead of ``store`` (e.g. ``batch.ParquetSink``).
    """
    if items is None:
        items, problems = items_from(paths)
    else:
        items, problems = unique(items), []
    if sink is None and store is not None:
        sink = StoreSink(store, scorer.rubric_version, scorer.model_version)
    if on_start:
        on_start(len(items) + len(problems))
    return run_local(items, problems, scorer, sink=sink, rescore=rescore, retry_failed=retry_failed, jobs=jobs,
                     limits=limits, spec=spec, on_outcome=on_outcome, on_result=on_result)
