"""Verification levels of findings and documents, derived from the append-only decisions trail alone.

Every finding (an element, statutory check, criterion, letter item, evidence sentence or document
judgement: a decision's target) and every document has one of four levels:

- ``machine``: no human decision on it.
- ``reviewed``: one reviewer decided (or several, one after another, without a second review).
- ``verified``: a second, different reviewer agreed, in a blind second review; or a disagreement was
  resolved by a resolution decision.
- ``disputed``: the second review disagrees with the value shown, and no resolution decision came
  after it. The value shown stays the first decision's (or the machine's): a second review's
  decisions never change a value (``decisions.Decision.changes_value``).

Each decision has a role (``decisions.ROLES``): "first" (every ordinary decision), "second" (a blind
second review) or "resolution". A reviewer marks a review finished with a comment on
``document:review_submitted`` (``submission``) carrying the review's role; once a second review is
submitted, a finding its reviewer left alone counts as "left as the machine scored it", so a first
reviewer's change the second reviewer did not make is a disagreement too.

Per finding, only what came after its latest resolution decision counts (a resolution starts afresh):
the first decision is the latest "first" one after it (else the resolution itself), the second the
latest "second" one after it (else, after a submitted second review, the machine's value). Values
are compared as the finding's value: a level ("2"), a document judgement's value, met / not_met for
a statutory check, yes / no for an element or evidence sentence. Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from disclosure_check.assess.decisions import Decision, evidence_target, make_decision
from disclosure_check.types import Assessment, profile_sector

LEVELS = ("machine", "reviewed", "verified", "disputed")
SUBMITTED = "review_submitted"  # document:<this> comment: a reviewer finished a review of the document
Key = tuple[str, str]  # (kind, target id)


@dataclass(frozen=True)
class FindingVerification:
    """One finding's level and what it rests on."""

    kind: str
    target_id: str
    level: str
    shown: Decision | None = None  # the decision whose value is shown (a first or resolution decision)
    shown_value: str | None = None  # the value shown (the machine's when ``shown`` is None)
    second: Decision | None = None  # the latest second-review decision (None: none, or left as scored)
    second_value: str | None = None
    second_reviewer: str | None = None  # who gave the second view (also when it was left as scored)
    resolution: Decision | None = None  # the latest resolution decision
    reviewers: tuple[str, ...] = ()  # everyone who recorded a decision on it, in order
    decisions: int = 0  # decisions on it, comments included
    last_decided_at: str = ""

    @property
    def target(self) -> str:
        return f"{self.kind}:{self.target_id}"


@dataclass(frozen=True)
class DocumentVerification:
    """A document's level and its findings' (only findings with a decision; the rest are ``machine``)."""

    level: str
    findings: Mapping[Key, FindingVerification] = field(default_factory=dict)
    reviewers: tuple[str, ...] = ()
    decisions: int = 0
    last_decided_at: str = ""

    def of(self, kind: str, target_id: str) -> FindingVerification:
        return self.findings.get((kind, target_id)) or FindingVerification(kind, target_id, "machine")

    @property
    def disputed(self) -> list[FindingVerification]:
        return [f for f in self.findings.values() if f.level == "disputed"]


def submission(doc_id: str, reviewer: str, role: str = "first") -> Decision:
    """The trail's mark that ``reviewer`` finished their ``role`` review of the document."""
    return make_decision(doc_id, f"document:{SUBMITTED}", "comment", reviewer=reviewer, role=role,
                         comment=f"{'second' if role == 'second' else 'first'} review submitted")


def is_submission(d: Decision) -> bool:
    return d.kind == "document" and d.target_id == SUBMITTED


def machine_values(result: Assessment) -> dict[Key, str | None]:
    """Every finding's value as the machine scored it, in the words ``decision_value`` uses. A check
    the machine could not settle (not found, not explicit) has no value (None)."""
    out: dict[Key, str | None] = {("element", e.element): "yes" if e.present else "no" for e in result.elements}
    # The sentences the machine offered as evidence: "yes". Any other sentence (one a reviewer adds in
    # the viewer) was not evidence for the machine: "no" (``machine_value``).
    out.update({("evidence", evidence_target(e.element, ev.sentence_index, ev.text)): "yes"
                for e in result.elements for ev in e.evidence})
    m = result.maturity
    if m is not None:
        out.update({("gate", g.id): g.state if g.state in ("met", "not_met") else None for g in m.gate})
        out.update({("criterion", c.id): str(c.level) for c in m.criteria if c.applies})
        out.update({("letter", i.id): str(i.level) for i in m.letter})
        p = m.profile
        out[("document", "doc_type")] = p.doc_type
        out[("document", "sector")] = profile_sector(p)
        out[("document", "jurisdiction")] = ";".join(p.jurisdictions) or "none"
    if result.identity is not None:
        ident = result.identity
        out[("document", "organisation")] = ident.organisation
        out[("document", "company_number")] = ident.company_number
        out[("document", "year")] = None if ident.year is None else str(ident.year)
    return out


def machine_value(machine: Mapping[Key, str | None], kind: str, target_id: str) -> str | None:
    """The machine's value of a finding: an evidence sentence is "yes" when the machine offered it as
    evidence, else "no" (a sentence a reviewer added)."""
    if kind == "evidence":
        return machine.get((kind, target_id), "no")
    return machine.get((kind, target_id))


def decision_value(d: Decision, machine: str | None) -> str | None:
    """What a decision says the finding's value is. A confirmed level is the level the reviewer saw
    (its ``previous_value``), else the machine's."""
    if d.decision == "set_level":
        return None if d.level is None else str(d.level)
    if d.decision == "set_value":
        return d.value
    if d.kind in ("criterion", "letter"):
        seen = (d.previous_value or "").strip()
        return seen if seen.lstrip("-").isdigit() else machine
    if d.kind == "gate":
        return "met" if d.decision == "confirm" else "not_met"
    return "yes" if d.decision == "confirm" else "no"


def verify(decisions: Iterable[Decision], machine: Mapping[Key, str | None]) -> DocumentVerification:
    """One document's verification from its decisions in trail order; ``machine``: ``machine_values``."""
    ordered = list(decisions)
    submissions = [(i, d) for i, d in enumerate(ordered) if is_submission(d)]
    by_target: dict[Key, list[tuple[int, Decision]]] = {}
    for i, d in enumerate(ordered):
        if not is_submission(d):
            by_target.setdefault((d.kind, d.target_id), []).append((i, d))
    findings = {key: _finding(key, items, machine_value(machine, *key), submissions)
                for key, items in by_target.items()}
    first_by = {d.reviewer for d in ordered if d.role in ("first", "resolution")}
    # A second review counts once it is submitted: a comment or half the findings is not a check.
    second_by = {d.reviewer for _, d in submissions if d.role == "second"}
    if any(f.level == "disputed" for f in findings.values()):
        level = "disputed"
    elif (first_by and second_by - first_by) or any(f.resolution is not None for f in findings.values()):
        level = "verified"  # a submitted second review by someone else, or disagreements settled
    elif any(d.changes_value or is_submission(d) or d.role == "second" for d in ordered):
        level = "reviewed"
    else:
        level = "machine"
    return DocumentVerification(level=level, findings=findings, reviewers=tuple(dict.fromkeys(d.reviewer for d in ordered)),
                                decisions=len(ordered), last_decided_at=max((d.created_at for d in ordered), default=""))


def _finding(key: Key, items: Sequence[tuple[int, Decision]], machine: str | None,
             submissions: Sequence[tuple[int, Decision]]) -> FindingVerification:
    kind, target_id = key
    every = [d for _, d in items]
    common = {"reviewers": tuple(dict.fromkeys(d.reviewer for d in every)), "decisions": len(every),
              "last_decided_at": max((d.created_at for d in every), default="")}
    valued = [(i, d) for i, d in items if d.decision != "comment"]
    if not valued:  # comments only: a note, no decision on the value
        return FindingVerification(kind, target_id, "machine", shown_value=machine, **common)
    resolutions = [(i, d) for i, d in valued if d.role == "resolution"]
    start, resolution = resolutions[-1] if resolutions else (-1, None)
    after = [d for i, d in valued if i > start]
    firsts = [d for d in after if d.role == "first"]
    seconds = [d for d in after if d.role == "second"]
    shown = firsts[-1] if firsts else resolution
    shown_value = decision_value(shown, machine) if shown is not None else machine
    base = {"shown": shown, "shown_value": shown_value, "resolution": resolution, **common}
    if not after:  # a resolution, nothing since
        return FindingVerification(kind, target_id, "verified", **base)
    if seconds:
        second, second_value, second_reviewer = seconds[-1], decision_value(seconds[-1], machine), seconds[-1].reviewer
    else:
        submitted = [d for i, d in submissions if i > start and d.role == "second"]
        if not (submitted and shown is not None and shown.role == "first" and submitted[-1].reviewer != shown.reviewer):
            return FindingVerification(kind, target_id, "reviewed", **base)
        second, second_value, second_reviewer = None, machine, submitted[-1].reviewer  # left as the machine scored it
    extra = {"second": second, "second_value": second_value, "second_reviewer": second_reviewer}
    if second is None and second_value is None:  # left alone where the machine said nothing definite
        level = "reviewed"
    elif shown is not None and shown.reviewer == second_reviewer:  # one person twice is not a second review
        level = "reviewed"
    elif second_value is not None and second_value == shown_value:
        level = "verified" if shown is not None else "reviewed"  # agreeing with the machine alone: one person
    else:
        level = "disputed"
    return FindingVerification(kind, target_id, level, **extra, **base)


def level_counts(levels: Iterable[str]) -> dict[str, int]:
    """How many of each level, every level listed (0 when none), in ``LEVELS`` order."""
    counts = dict.fromkeys(LEVELS, 0)
    for level in levels:
        counts[level] = counts.get(level, 0) + 1
    return counts


def choices(kind: str) -> tuple[str, ...] | None:
    """The values a finding of ``kind`` can take, where they are few (None: a level or free value)."""
    return {"gate": ("met", "not_met"), "element": ("yes", "no"), "evidence": ("yes", "no")}.get(kind)


def resolution(doc_id: str, finding: FindingVerification, value: str, reviewer: str, comment: str = "") -> Decision:
    """The decision that settles a disagreement with ``value`` (a level, met / not_met, yes / no, or a
    document judgement's value), recorded with role "resolution" and who settled it."""
    text = next((d.text for d in (finding.shown, finding.second) if d is not None and d.text), None)
    target = finding.target
    if finding.kind in ("criterion", "letter"):
        return make_decision(doc_id, target, "set_level", reviewer=reviewer, level=value, comment=comment,
                             role="resolution")
    if finding.kind == "document":
        return make_decision(doc_id, target, "set_value", reviewer=reviewer, value=value, comment=comment,
                             role="resolution")
    yes = value in ("met", "yes")
    # Keeping a sentence a reviewer added keeps where it is (the confirm's value), or it would stop
    # being evidence.
    where = next((d.value for d in (finding.shown, finding.second)
                  if yes and finding.kind == "evidence" and d is not None and d.value), None)
    return make_decision(doc_id, target, "confirm" if yes else "reject", reviewer=reviewer, comment=comment,
                         text=text, value=where, role="resolution")
