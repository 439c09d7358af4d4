"""Reviewers' decisions as overrides, applied by re-running the pure maturity scoring.

The store keeps every decision in an append-only audit trail; this module turns the trail into
overrides (latest decision per target wins; a comment never changes a value) and applies them to a
machine ``Assessment``, giving the reviewed ``Assessment`` that every page, export and report reads:

- ``element:<id>`` confirm / reject: the element is present / absent. A rejected element's evidence
  no longer supports any criterion, and a statutory check that rests on the element (board approval
  rests on ``approval``) is not met; a confirmed element makes that check met.
- ``evidence:<element>:<sentence index>:<hash>`` reject: that sentence supports nothing (the element,
  the criteria, the gate's quotes); an element left without evidence is absent. Confirm keeps it.
  A confirm that carries where the sentence is (``value``: ``evidence_location``, its page and boxes)
  and the sentence itself (``text``) ADDS it when the machine did not find it (a reviewer re-pointing
  evidence from the document viewer): it supports the element (present), each criterion whose
  element signal reads that element, as the scorer's own signal would (the signal's level, its
  "needs a number" cap, and only when the sentence is about the criterion's subject), and the
  statutory check resting on the element (met, with the sentence quoted). An added sentence is
  marked ``classifier="reviewer"``, and a later reject of the same target takes it away again.
- ``gate:<check>`` confirm / reject: the check is met / not met, whatever the text said.
- ``criterion:<id>`` set_level N: the criterion's level is N; confirm keeps the machine's level.
- ``letter:<id>`` set_level N: a CEO letter's scope or recommendation level.
- ``document:<judgement>`` set_value V: what the document is, who wrote it and for when, as a
  reviewer says: ``doc_type`` (statement, letter, other), ``organisation``, ``company_number``,
  ``year``, ``sector`` (a sub-sector such as bank, "financial", or an industry) and ``jurisdiction``
  (uk, au, ca, several joined by ";", or "none"). The profile and identity take the value, marked
  "reviewer"; which criteria apply (the financial levers), the themes, gaps and statutory figures
  follow from it. A ``document:<anything>`` comment is a note.

Criterion levels are then scored again from the evidence that stands (``maturity.score_criteria``),
reviewed levels put on top, and themes, overall level, gaps, letter items and flags follow from
them by the same functions that scored the document. Pure: no I/O; same decisions, same result.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from disclosure_check.assess.gate import requirements_for
from disclosure_check.assess.identity import given_identity
from disclosure_check.assess.maturity import (
    criterion_applies,
    find_gaps,
    floor_median,
    score_criteria,
    score_letter,
    score_themes,
    supported_level,
)
from disclosure_check.assess.profile import given_profile
from disclosure_check.assess.signals import Findings, element_signal
from disclosure_check.errors import DataError
from disclosure_check.read.segment import sentence_hash
from disclosure_check.rubric import Rubric
from disclosure_check.sanitize import cap, restore_cell
from disclosure_check.types import (
    DOC_TYPES,
    JURISDICTIONS,
    SECTOR_CHOICES,
    Assessment,
    Box,
    CriterionEvidence,
    CriterionResult,
    ElementResult,
    Evidence,
    Failure,
    GateResult,
    Given,
    Identity,
    LetterItem,
    Maturity,
    Quote,
)

# Flags (a bare "low risk" claim, negative claims) stay as the machine raised them: the claim
# sentences they come from are not stored, so a decision cannot re-derive them.

KINDS = ("element", "gate", "criterion", "evidence", "letter", "document")
DECISIONS = ("confirm", "reject", "set_level", "set_value", "comment")
# What each kind of target accepts (a criterion is never "rejected": say which level the evidence supports).
ALLOWED = {"element": ("confirm", "reject", "comment"), "gate": ("confirm", "reject", "comment"),
           "criterion": ("confirm", "set_level", "comment"), "evidence": ("confirm", "reject", "comment"),
           "letter": ("confirm", "set_level", "comment"), "document": ("set_value", "comment")}
# The judgements about a document a reviewer can set (``document:<name>`` set_value).
DOCUMENT_TARGETS = ("doc_type", "organisation", "company_number", "year", "sector", "jurisdiction")
CSV_COLUMNS = ("doc_id", "target", "decision", "level", "reviewer", "comment", "value")
EXPORT_COLUMNS = ("id", "created_at", *CSV_COLUMNS, "previous_value", "text", "role")
# The review a decision belongs to: an ordinary (first) review, a blind second review, a resolution.
ROLES = ("first", "second", "resolution")


@dataclass(frozen=True)
class Decision:
    """One reviewer decision as it is recorded. ``target`` is ``<kind>:<id>``."""

    doc_id: str
    kind: str
    target_id: str
    decision: str
    reviewer: str
    level: int | None = None  # set_level only
    comment: str = ""
    value: str | None = None  # set_value: the judgement's new value (``document_value``); an evidence
    # confirm: where the sentence is (``evidence_location``), which makes it an added sentence
    previous_value: str | None = None
    text: str | None = None  # the sentence an evidence decision is about
    created_at: str = ""
    id: int | None = None
    # Which review it belongs to (``ROLES``): "first" (every ordinary decision), "second" (a blind
    # second review: checks the value, never changes it) or "resolution" (settles a disagreement).
    role: str = "first"

    @property
    def target(self) -> str:
        return f"{self.kind}:{self.target_id}"

    @property
    def changes_value(self) -> bool:
        """Whether it sets the value shown: a comment never does, nor a second review's decision (it
        agrees or disagrees with the value; a resolution decision settles a disagreement)."""
        return self.decision != "comment" and self.role != "second"


@dataclass(frozen=True)
class Overrides:
    """The latest value-changing decision per target, and every decision in order (for the trail)."""

    latest: Mapping[tuple[str, str], Decision] = field(default_factory=dict)  # (kind, target id) -> decision
    decisions: tuple[Decision, ...] = ()

    def get(self, kind: str, target_id: str) -> Decision | None:
        return self.latest.get((kind, target_id))

    def of_kind(self, kind: str) -> dict[str, Decision]:
        return {t: d for (k, t), d in self.latest.items() if k == kind}

    def __bool__(self) -> bool:
        return bool(self.latest)


@dataclass(frozen=True)
class EvidenceRef:
    """What an ``evidence`` decision is about: one element's sentence, named by its index and the hash
    of its text (the index alone could name another sentence after re-extraction; the hash cannot).
    Its target id is ``<element>:<sentence index>:<hash>``."""

    element: str
    sentence_index: int
    hash: str

    @classmethod
    def of(cls, element: str, sentence_index: int, text: str) -> EvidenceRef:
        return cls(element, int(sentence_index), sentence_hash(text))

    @classmethod
    def parse(cls, target_id: str) -> EvidenceRef:
        element, _, rest = target_id.partition(":")
        index, _, digest = rest.rpartition(":")  # no second ':': a malformed id, which names no sentence
        return cls(element, int(index) if index.lstrip("-").isdigit() else -1, digest if index else "")

    @property
    def target_id(self) -> str:
        return f"{self.element}:{self.sentence_index}:{self.hash}"

    def names(self, element: str, text: str) -> bool:
        """Whether this is ``element``'s sentence ``text`` (whatever its index now)."""
        return element == self.element and sentence_hash(text) == self.hash


def evidence_target(element: str, sentence_index: int, text: str) -> str:
    """The target id of a decision on one evidence sentence (``EvidenceRef``)."""
    return EvidenceRef.of(element, sentence_index, text).target_id


ADDED_BY = "reviewer"  # the classifier of a sentence a reviewer added as evidence


@dataclass(frozen=True)
class Location:
    """Where a sentence a reviewer adds as evidence is: its page and the boxes of its lines (PDF
    points from the page's top-left corner, as ``Box``). Recorded as the decision's ``value``."""

    page: int
    boxes: tuple[Box, ...] = ()

    @property
    def value(self) -> str:
        return json.dumps({"page": self.page, "boxes": [[b.page, round(b.x0, 1), round(b.top, 1), round(b.x1, 1),
                                                         round(b.bottom, 1)] for b in self.boxes]},
                          separators=(",", ":"))

    @classmethod
    def parse(cls, value: str, *, where: str = "") -> Location:
        """A location as ``value`` writes it; anything else is a DataError."""
        try:
            data = json.loads(value)
            page = data["page"]
            if isinstance(page, bool) or not isinstance(page, int) or page < 1:
                raise ValueError
            boxes = tuple(Box.from_list(b) for b in data.get("boxes") or ())
        except (ValueError, TypeError, KeyError, AttributeError):
            raise DataError("an evidence confirm's value is not the sentence's location", where=where,
                            fix='give {"page": N, "boxes": [[page, x0, top, x1, bottom], ...]} or leave it empty') \
                from None
        return cls(page, boxes)


def evidence_location(page: int, boxes=()) -> str:
    """The ``value`` of an evidence confirm that adds the sentence on ``page`` (``boxes``: ``Box``es or
    [page, x0, top, x1, bottom] lists) as evidence."""
    return Location(int(page), tuple(b if isinstance(b, Box) else Box.from_list(b) for b in boxes)).value


_TARGET_ID = re.compile(r"^[A-Za-z0-9_]+(?:[.\-][A-Za-z0-9_]+)*$")  # a rubric id: "approval", "board_approval"
_EVIDENCE_ID = re.compile(r"^[A-Za-z0-9_]+:\d+:[0-9a-fA-F]{6,64}$")  # element:index:sentence hash


def parse_target(target: str, *, where: str = "") -> tuple[str, str]:
    """``element:approval`` -> ("element", "approval"); a bad target is a DataError saying which."""
    kind, _, target_id = (target or "").strip().partition(":")
    pattern = _EVIDENCE_ID if kind == "evidence" else _TARGET_ID
    if kind not in KINDS or not target_id or not pattern.match(target_id):
        raise DataError(f"target '{cap(target or '', 80)}' is not <kind>:<id>", where=where,
                        fix="use element:<id>, gate:<id>, criterion:<id>, evidence:<element>:<index>:<hash>, "
                            "letter:<id> or document:<doc_type|organisation|company_number|year|sector|jurisdiction>")
    return kind, target_id


def document_value(name: str, value: str | None, *, where: str = "") -> str:
    """A reviewer's value for the judgement ``name`` (``DOCUMENT_TARGETS``), checked and normalised;
    a bad one is a DataError that lists what is accepted."""
    raw = " ".join((value or "").split())
    if name not in DOCUMENT_TARGETS:
        raise DataError(f"'document:{name}' is not a judgement a reviewer can set", where=where,
                        fix=f"use document:<{'|'.join(DOCUMENT_TARGETS)}>")
    if not raw:
        raise DataError(f"set_value on document:{name} needs a value", where=where, fix="put the new value in the value column")
    lower = raw.lower().replace(" ", "_").replace("-", "_")
    if name == "doc_type":
        if lower not in DOC_TYPES:
            raise DataError(f"'{raw}' is not a document type", where=where, fix=f"use one of {', '.join(DOC_TYPES)}")
        return lower
    if name == "sector":
        if lower not in SECTOR_CHOICES:
            raise DataError(f"'{raw}' is not a sector", where=where, fix=f"use one of {', '.join(SECTOR_CHOICES)}")
        return lower
    if name == "jurisdiction":
        laws = [j.strip().lower() for j in re.split(r"[;,+\s]+", raw) if j.strip()]
        if laws == ["none"]:
            return "none"
        bad = [j for j in laws if j not in JURISDICTIONS]
        if bad or not laws:
            raise DataError(f"'{raw}' is not a list of jurisdictions", where=where,
                            fix=f"use {', '.join(JURISDICTIONS)} (several joined by ';'), or none")
        return ";".join(dict.fromkeys(laws))
    if name == "year":
        if not (raw.isdigit() and 1990 <= int(raw) <= 2100):
            raise DataError(f"'{raw}' is not a year", where=where,
                            fix="give the year in which the period the statement covers ends, e.g. 2024")
        return raw
    if name == "company_number":
        number = raw.upper().replace(" ", "")
        if not re.fullmatch(r"(?:[A-Z]{2}\d{6}|\d{8}|\d{9}|\d{11})", number):
            raise DataError(f"'{raw}' is not a company number", where=where,
                            fix="give a Companies House number (8 characters, e.g. 01234567 or SC123456), an ACN (9 "
                                "digits) or an ABN (11 digits)")
        return number
    if len(raw) > 200:
        raise DataError("the organisation's name is longer than 200 characters", where=where, fix="give the legal name")
    return raw


def make_decision(doc_id: str, target: str, decision: str, *, reviewer: str, level: int | str | None = None,
                  comment: str = "", text: str | None = None, where: str = "", value: str | None = None,
                  role: str = "first") -> Decision:
    """A checked decision: the kind accepts it, set_level has a whole level, set_value a valid value,
    the reviewer is named, the role is one of ``ROLES``."""
    kind, target_id = parse_target(target, where=where)
    decision = (decision or "").strip().lower()
    if decision not in ALLOWED[kind]:
        hint = " (say which level the evidence supports with set_level)" if kind in ("criterion", "letter") else ""
        raise DataError(f"'{decision}' is not a decision on a {kind}{hint}", where=where,
                        fix=f"use one of {', '.join(ALLOWED[kind])}")
    if not (reviewer or "").strip():
        raise DataError("a decision needs the reviewer's name", where=where, fix="fill in the reviewer column")
    if not (doc_id or "").strip():
        raise DataError("a decision needs the document's doc_id", where=where, fix="fill in the doc_id column")
    parsed: int | None = None
    if decision == "set_level":
        try:
            parsed = int(str(level).strip())
        except (TypeError, ValueError):
            raise DataError(f"set_level needs a whole-number level, got '{level}'", where=where,
                            fix="put the level (e.g. 2) in the level column") from None
    role = (role or "first").strip().lower()
    if role not in ROLES:
        raise DataError(f"'{role}' is not a review role", where=where, fix=f"use one of {', '.join(ROLES)}")
    checked = document_value(target_id, value, where=where) if decision == "set_value" else None
    if kind == "evidence" and decision == "confirm" and (value or "").strip():
        if not (text or "").strip():
            raise DataError("adding a sentence as evidence needs the sentence", where=where,
                            fix="put the sentence in the text column")
        ref = EvidenceRef.parse(target_id)
        if not ref.names(ref.element, text):
            raise DataError("the sentence is not the one the target names (its hash differs)", where=where,
                            fix="take the target from evidence_target(element, index, sentence)")
        checked = Location.parse(value, where=where).value
    return Decision(doc_id=doc_id.strip(), kind=kind, target_id=target_id, decision=decision,
                    reviewer=reviewer.strip(), level=parsed, comment=(comment or "").strip(), text=text, value=checked,
                    role=role)


def overrides(decisions: Iterable[Decision]) -> Overrides:
    """Latest value-changing decision per target, in the order given (the audit trail's order). A
    blind second review's decisions change no value (``Decision.changes_value``): where they disagree,
    the first decision (or the machine's) stands until a resolution decision says otherwise."""
    ordered = tuple(decisions)
    latest: dict[tuple[str, str], Decision] = {}
    for d in ordered:
        if d.changes_value:
            latest[(d.kind, d.target_id)] = d
    return Overrides(latest=latest, decisions=ordered)


def check_levels(decisions: Sequence[Decision], scales: Mapping[str, Iterable[int]]) -> None:
    """Levels must be on the scale of the document's result (``scales``: doc_id -> its levels):
    refuse the whole set before any is recorded."""
    for d in decisions:
        levels = sorted(scales.get(d.doc_id, ()))
        if d.level is not None and levels and d.level not in levels:
            raise DataError(f"level {d.level} is not on the rubric's scale {levels}",
                            where=f"{d.doc_id} {d.target}", fix="use a level from the scale")


def apply(result: Assessment | Failure, decisions: Iterable[Decision], rubric: Rubric | None = None, *,
          gate_elements: Mapping[str, str] | None = None) -> Assessment | Failure:
    """The reviewed result. ``rubric`` must be the one the result was scored with to score criteria
    again from the evidence that stands; with another rubric (or none) only set levels, gate and
    element decisions apply, and themes and overall follow from the criteria as stored.
    ``gate_elements``: check id -> the element it rests on, from the rubrics the caller knows, for
    checks stored before results recorded it (``GateResult.element``) when ``rubric`` is not the one."""
    found = overrides(decisions)
    if isinstance(result, Failure) or not found:
        return result
    given = reviewer_given(found)
    if given:
        result = apply_given(result, given, rubric if rubric is not None and rubric.key == result.rubric_version else None)
    # (element, sentence hash): a sentence judged "not evidence of this element" stops supporting that
    # element, the criteria evidence that element found, and the statutory check resting on it; it
    # still supports everything else (a rule's finding on the same sentence, other elements).
    rejected = {EvidenceRef.parse(d.target_id) for d in found.of_kind("evidence").values() if d.decision == "reject"}
    added = added_evidence(found)
    elements = tuple(_element(e, found, rejected, added.get(e.element, ())) for e in result.elements)
    maturity = result.maturity
    if maturity is not None:
        same_rubric = rubric is not None and rubric.key == result.rubric_version
        was_present = {e.element for e in result.elements if e.present} | set(added)
        absent = {e.element for e in elements if not e.present and e.element in was_present}
        kept_added = {e.element: tuple(ev for ev in e.evidence if ev.classifier == ADDED_BY) for e in elements
                      if e.element not in absent}
        maturity = _maturity(maturity, found, rejected, absent, rubric if same_rubric else None,
                             gate_elements or {}, {k: v for k, v in kept_added.items() if v})
    return replace(result, elements=elements, maturity=maturity)


def reviewer_given(found: Overrides) -> Given:
    """The document judgements reviewers set, as a ``Given`` (the latest per judgement)."""
    values = {t: d for t, d in found.of_kind("document").items() if d.decision == "set_value" and d.value is not None}
    if not values:
        return Given()
    fields: dict = {}
    for name, d in values.items():
        if name == "sector":
            fields["sector"] = d.value
        elif name == "jurisdiction":
            fields["jurisdictions"] = () if d.value == "none" else tuple(d.value.split(";"))
        elif name == "year":
            fields["year"] = int(d.value)
        elif name in ("doc_type", "organisation", "company_number"):
            fields[name] = d.value
    who = "; ".join(sorted({_reviewer(d) for d in values.values()}))
    return Given(**fields, source="reviewer", who=who)


def apply_given(result: Assessment, given: Given, rubric: Rubric | None) -> Assessment:
    """``result`` with ``given``'s judgements in place: its identity's organisation, number and year;
    its profile's document type, sector and laws; and what follows from the profile (which criteria
    apply, themes, overall level, gaps, statutory wording) scored again with ``rubric`` (the one the
    result was scored with; without it only the profile and identity change). A switch to or from a
    letter re-derives the letter items from the criteria; an item with patterns of its own (R4)
    keeps its level until the document is scored again with the type given."""
    identity = given_identity(result.identity or Identity(), given) if result.identity is not None or any(
        getattr(given, n) is not None for n in ("organisation", "company_number", "year")) else result.identity
    m = result.maturity
    if m is None:
        return replace(result, identity=identity)
    profile = given_profile(m.profile, given)
    if profile == m.profile:
        return replace(result, identity=identity)
    m = replace(m, profile=profile)
    if rubric is not None:
        known = {c.id for c in rubric.criteria}
        criteria = tuple(replace(c, applies=criterion_applies(rubric, c.id, profile)) if c.id in known else c
                         for c in m.criteria)
        themes = score_themes(rubric, criteria, profile)
        checks = {g.id: g for g in rubric.gate}
        laws = profile.jurisdictions or (profile.jurisdiction,)
        gate = tuple(_with_wording(g, requirements_for(checks[g.id], laws)) if g.id in checks else g for g in m.gate)
        letter = m.letter
        if (profile.doc_type == "letter") != (m.letter != ()):
            letter = score_letter(rubric, criteria, (), profile) if profile.doc_type == "letter" else ()
        m = replace(m, criteria=criteria, themes=themes, gate=gate, gaps=find_gaps(rubric, criteria, profile),
                    overall=floor_median([t.level for t in themes if t.level is not None]), letter=letter)
    return replace(result, identity=identity, maturity=m)


def _with_wording(check: GateResult, requirements: tuple[tuple[str, str], ...]) -> GateResult:
    return replace(check, requirements=requirements, requirement=requirements[0][1] if requirements else check.requirement)


def _rejected_for(element: str, text: str, rejected: set[EvidenceRef]) -> bool:
    return any(ref.names(element, text) for ref in rejected)


def added_evidence(found: Overrides) -> dict[str, tuple[Evidence, ...]]:
    """Element -> the sentences reviewers added as its evidence (the latest decision on each is a
    confirm with a location), in reading order. Pure."""
    out: dict[str, list[Evidence]] = {}
    for target_id, d in found.of_kind("evidence").items():
        if d.decision != "confirm" or not d.value or not d.text:
            continue
        ref = EvidenceRef.parse(target_id)
        if not ref.names(ref.element, d.text):
            continue
        try:
            where = Location.parse(d.value)
        except DataError:
            continue
        out.setdefault(ref.element, []).append(Evidence(
            element=ref.element, sentence_index=ref.sentence_index, text=d.text, page=where.page,
            classifier=ADDED_BY, score=1.0, detail=f"added by {_reviewer(d)}", boxes=where.boxes))
    return {k: tuple(sorted(v, key=lambda ev: (ev.sentence_index, ev.page))) for k, v in out.items()}


def _element(e: ElementResult, found: Overrides, rejected: set[EvidenceRef],
             added: Sequence[Evidence] = ()) -> ElementResult:
    evidence = tuple(ev for ev in e.evidence if not _rejected_for(e.element, ev.text, rejected))
    dropped = tuple(ev for ev in e.evidence if _rejected_for(e.element, ev.text, rejected))
    present = e.present and bool(evidence) if dropped else e.present
    known = {sentence_hash(ev.text) for ev in e.evidence}
    new = tuple(ev for ev in added if sentence_hash(ev.text) not in known)
    if new:  # a sentence the machine did not find, which a reviewer says is evidence of the element
        evidence, present = evidence + new, True
    decision = found.get("element", e.element)
    if decision is not None:
        present = decision.decision == "confirm"
    return replace(e, evidence=evidence, present=present, rejected=e.rejected + dropped)


def _reviewer(d: Decision) -> str:
    return f"{d.reviewer}" + (f": {d.comment}" if d.comment else "")


def _gate(check: GateResult, found: Overrides, element_of: Mapping[str, str | None],
          rejected: set[EvidenceRef], added: Mapping[str, Sequence[Evidence]]) -> GateResult:
    element = element_of.get(check.id)
    quotes = tuple(q for q in check.evidence if not (element and _rejected_for(element, q.text, rejected)))
    state, reason = check.state, check.reason
    if len(quotes) < len(check.evidence):
        if not quotes and state != "not_met":  # the quote is not it; whether the law is met is still open
            state, reason = "not_found", "its evidence was rejected by a reviewer; nothing else was found"
        elif quotes:
            reason = f"{reason} (a reviewer rejected {len(check.evidence) - len(quotes)} of its quoted sentences)"
    quoted = {sentence_hash(q.text) for q in quotes}
    more = tuple(ev for ev in (added.get(element, ()) if element else ()) if sentence_hash(ev.text) not in quoted)
    if more:  # a reviewer pointed at the sentence that says it
        quotes += tuple(Quote(ev.page, ev.text, ev.boxes) for ev in more)
        if state != "met":
            state, reason = "met", f"a reviewer added evidence of the {element} element ({more[0].detail})"
    element_decision = found.get("element", element) if element else None
    if element_decision is not None:
        if element_decision.decision == "reject":
            state, reason = "not_met", f"the {element} element was rejected by {_reviewer(element_decision)}"
        elif state != "met":
            state, reason = "met", f"the {element} element was confirmed by {_reviewer(element_decision)}"
    decision = found.get("gate", check.id)
    if decision is not None:
        state = "met" if decision.decision == "confirm" else "not_met"
        reason = f"marked {'met' if state == 'met' else 'not met'} by {_reviewer(decision)}"
    return replace(check, state=state, reason=reason, evidence=quotes)


def _added_criterion_evidence(rubric: Rubric, added: Mapping[str, Sequence[Evidence]]
                               ) -> dict[str, list[CriterionEvidence]]:
    """Criterion id -> what the added sentences bring it: each criterion's element signals read them as
    the scorer reads the machine's (``signals.element_signal``), kept only when the sentence is about
    the criterion's subject (``Criterion.about``), as ``pipeline.maturity_from_evidence`` keeps them."""
    cap = rubric.role_level("planned_cap") if rubric.criteria else 1
    findings = Findings(elements={k: ElementResult(k, True, 1.0, evidence=tuple(v)) for k, v in added.items()},
                        planned_cap=cap)
    out: dict[str, list[CriterionEvidence]] = {}
    for criterion in rubric.criteria:
        for signal in criterion.signals:
            if signal.kind == "element" and signal.element in added:
                out.setdefault(criterion.id, []).extend(
                    item for item in element_signal(criterion.id, signal, findings) if criterion.about(item.text))
    return out


def _maturity(m: Maturity, found: Overrides, rejected: set[EvidenceRef], absent: set[str],
              rubric: Rubric | None, gate_elements: Mapping[str, str],
              added: Mapping[str, Sequence[Evidence]] | None = None) -> Maturity:
    def stands(ev):
        """The criterion evidence item without the element findings a reviewer rejected (the whole
        element, or this sentence for that element); None when no origin is left."""
        kept = tuple(o for o in ev.origins if not (
            o.kind == "element" and (o.name in absent or _rejected_for(o.name, ev.text, rejected))))
        if len(kept) == len(ev.origins):
            return ev
        return replace(ev, origins=kept) if kept else None

    element_of = ({g.id: g.element for g in rubric.gate} if rubric is not None
                  else {g.id: g.element or gate_elements.get(g.id) for g in m.gate})
    added = added or {}
    gate = tuple(_gate(g, found, element_of, rejected, added) for g in m.gate)
    set_levels = {t: d.level for t, d in found.of_kind("criterion").items() if d.decision == "set_level"}
    kept = {c.id: tuple(x for x in (stands(ev) for ev in c.evidence) if x is not None) for c in m.criteria}
    if rubric is not None and added:  # without the result's rubric its signals are unknown: elements only
        for criterion, items in _added_criterion_evidence(rubric, added).items():
            if criterion in kept:
                kept[criterion] += tuple(items)
    if rubric is not None:
        # scored again from the evidence that stands (claim sentences were barred before it was stored)
        rescored = {c.id: c for c in score_criteria(rubric, [ev for c in m.criteria for ev in kept[c.id]], m.profile)}
        criteria = tuple(replace(c, evidence=rescored[c.id].evidence, level=rescored[c.id].level)
                         if kept[c.id] != c.evidence and c.id in rescored else c for c in m.criteria)
    else:
        criteria = tuple(replace(c, evidence=kept[c.id]) for c in m.criteria)
    criteria = tuple(replace(c, level=set_levels[c.id]) if set_levels.get(c.id) is not None else c for c in criteria)
    if rubric is not None:
        themes = score_themes(rubric, criteria, m.profile)
        gaps = find_gaps(rubric, criteria, m.profile)
    else:
        themes = _themes(m, criteria)
        # without the result's rubric the gap threshold and advice are unknown: the machine's gaps stay,
        # with their criteria's reviewed levels
        levels = {c.id: c.level for c in criteria}
        gaps = tuple(replace(g, level=levels.get(g.criterion, g.level)) for g in m.gaps)
    return replace(m, gate=gate, criteria=criteria, themes=themes,
                   overall=floor_median([t.level for t in themes if t.level is not None]),
                   gaps=gaps, letter=_letter(m.letter, criteria, found, rubric))


def _themes(m: Maturity, criteria: Sequence[CriterionResult]):
    by_theme: dict[str, list[int]] = {}
    for c in criteria:
        if c.applies:
            by_theme.setdefault(c.theme, []).append(c.level)
    return tuple(replace(t, level=floor_median(by_theme[t.id])) if t.level is not None and t.id in by_theme else t
                 for t in m.themes)


def _letter(items: Sequence[LetterItem], criteria: Sequence[CriterionResult], found: Overrides,
            rubric: Rubric | None) -> tuple[LetterItem, ...]:
    by_id = {c.id: c for c in criteria}
    cap = rubric.role_level("planned_cap") if rubric is not None and rubric.criteria else None
    out = []
    for item in items:
        level = item.level
        evidence = item.evidence
        if item.criteria:
            level = max((by_id[c].level for c in item.criteria if c in by_id), default=0)
            evidence = tuple(e for c in item.criteria if c in by_id for e in by_id[c].evidence)
            if cap is not None:
                evidence = tuple(sorted(evidence, key=lambda e: (-supported_level(e, cap), e.sentence_index)))
        decision = found.get("letter", item.id)
        if decision is not None and decision.decision == "set_level":
            level = decision.level if decision.level is not None else level
        out.append(replace(item, level=level, evidence=evidence))
    return tuple(out)


# -- decisions as CSV: `review import` and `review export` -------------------------------------
MAX_FIELD = 128 * 1024  # a comment or sentence longer than this is not a reviewer's (checked, whatever csv allows)
def read_decisions_csv(path: Path) -> list[Decision]:
    """Every row of a decisions CSV checked before any is recorded; a bad row is a DataError naming
    its line. Columns: doc_id, target, decision, level, reviewer, comment (level only for set_level),
    optionally value (a document judgement's new value, for set_value), text (an evidence
    decision's sentence, as ``review export`` writes it) and role (first, second or resolution;
    default first)."""
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except OSError as exc:
        raise DataError(f"cannot read the decisions file ({exc.strerror})", where=str(path),
                        fix="check the path") from None
    with handle:
        line = 1
        try:
            reader = csv.DictReader(handle)
            missing = [c for c in ("doc_id", "target", "decision", "reviewer") if c not in (reader.fieldnames or ())]
            if missing:
                raise DataError(f"the decisions file has no {', '.join(missing)} column(s)", where=str(path),
                                fix=f"the header must be {','.join(CSV_COLUMNS)}")
            out = []
            for line, row in enumerate(reader, start=2):
                if any(len(value or "") > MAX_FIELD for value in row.values() if isinstance(value, str)):
                    raise DataError(f"a field is longer than {MAX_FIELD // 1024} KB", where=f"{path}, line {line}",
                                    fix="shorten the comment or text; a decision needs no more")
                out.append(make_decision(row.get("doc_id") or "", row.get("target") or "", row.get("decision") or "",
                                         reviewer=row.get("reviewer") or "", level=row.get("level") or None,
                                         comment=restore_cell(row.get("comment")) or "",
                                         text=restore_cell(row.get("text") or None),
                                         value=row.get("value") or None, where=f"{path}, line {line}",
                                         role=row.get("role") or "first"))
        except UnicodeDecodeError:
            raise DataError("the decisions file is not UTF-8 text (UTF-16 or Latin-1?)", where=f"{path}, line {line}",
                            fix="save it as 'CSV UTF-8' and import again") from None
        except csv.Error as exc:
            raise DataError(f"the decisions file is not readable CSV ({exc})", where=f"{path}, line {line + 1}",
                            fix="check quoting and field sizes (a field may hold at most 128 KB)") from None
    if not out:
        raise DataError("the decisions file has no rows", where=str(path), fix="add one decision per row")
    return out


def write_decisions_csv(decisions: Sequence[Decision], path: Path) -> None:
    """The audit trail as CSV (the import's columns first, then when, what it replaced and the sentence)."""
    from disclosure_check.files import write_csv
    from disclosure_check.sanitize import neutralise_cell

    write_csv(path, EXPORT_COLUMNS, ([neutralise_cell(v) for v in (d.id, d.created_at, d.doc_id, d.target, d.decision,
                                                                   "" if d.level is None else d.level, d.reviewer,
                                                                   d.comment, d.value or "", d.previous_value or "",
                                                                   d.text or "", d.role)]
                                     for d in decisions))
