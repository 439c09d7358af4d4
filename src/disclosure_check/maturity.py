"""Evidence -> maturity: criterion levels, theme levels, overall level, statutory gate, gaps, letters.

Pure and deterministic: no I/O, no third-party imports; results do not depend on evidence order.
A criterion's level is the highest level its evidence supports, where implemented evidence supports
its own level, planned evidence at most 1 ("aware"), and negative evidence nothing (it is flagged).
Theme level: the rounded-down median of the criteria that apply; overall: the same over themes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .gate import score_checks
from .rubric import Rubric
from .types import (
    CriterionEvidence,
    CriterionResult,
    Gap,
    GateResult,
    LetterItem,
    Maturity,
    Profile,
    Quote,
    Sentence,
    ThemeResult,
)

ESTABLISHED = 3  # gaps are reported for criteria below this level
PLANNED_CAP = 1


def supported_level(item: CriterionEvidence) -> int:
    if item.status == "negative":
        return 0
    if item.status == "planned":
        return min(item.level, PLANNED_CAP)
    return item.level


def _sort_key(item: CriterionEvidence) -> tuple:
    # Every field takes part, so equal-looking items never keep their input order.
    return (-supported_level(item), item.sentence_index, item.source, item.text, item.page, item.level, item.status)


def floor_median(values: Sequence[int]) -> int:
    ordered = sorted(values)
    n = len(ordered)
    if not n:
        return 0
    return ordered[(n - 1) // 2] if n % 2 else (ordered[n // 2 - 1] + ordered[n // 2]) // 2


def criterion_applies(rubric: Rubric, criterion_id: str, profile: Profile) -> bool:
    criterion = next(c for c in rubric.criteria if c.id == criterion_id)
    theme = next(t for t in rubric.themes if t.id == criterion.theme)
    financial_only = criterion.applies_to == "financial" or theme.applies_to == "financial"
    return profile.financial or not financial_only


def score_criteria(rubric: Rubric, evidence: Iterable[CriterionEvidence], profile: Profile
                   ) -> tuple[CriterionResult, ...]:
    by_criterion: dict[str, list[CriterionEvidence]] = {c.id: [] for c in rubric.criteria}
    for item in evidence:
        if item.criterion in by_criterion:
            by_criterion[item.criterion].append(item)
    results = []
    for criterion in rubric.criteria:
        items = sorted(set(by_criterion[criterion.id]), key=_sort_key)
        level = max((supported_level(i) for i in items), default=0)
        flags = tuple(sorted({f"negative claim on page {i.page}: {i.text[:160]}" for i in items
                              if i.status == "negative"}))
        results.append(CriterionResult(id=criterion.id, theme=criterion.theme, level=level,
                                       applies=criterion_applies(rubric, criterion.id, profile),
                                       evidence=tuple(items), flags=flags))
    return tuple(results)


def score_themes(rubric: Rubric, criteria: Sequence[CriterionResult], profile: Profile) -> tuple[ThemeResult, ...]:
    by_id = {c.id: c for c in criteria}
    themes = []
    for theme in rubric.themes:
        applicable = [by_id[c].level for c in theme.criteria if by_id[c].applies]
        applies = bool(applicable) and (profile.financial or theme.applies_to != "financial")
        themes.append(ThemeResult(id=theme.id, level=floor_median(applicable) if applies else None))
    return tuple(themes)


def find_gaps(rubric: Rubric, criteria: Sequence[CriterionResult], profile: Profile) -> tuple[Gap, ...]:
    """Criteria below 'established': what the next level looks like, what to do, who asks for it.

    Financial-sector criteria come first for financial firms; then the lowest levels first."""
    definitions = {c.id: c for c in rubric.criteria}
    top = max((lvl.level for lvl in rubric.scale), default=4)
    gaps = []
    for result in criteria:
        if not result.applies or result.level >= ESTABLISHED:
            continue
        criterion = definitions[result.id]
        next_level = min(result.level + 1, top)
        gaps.append(Gap(
            criterion=result.id, theme=result.theme, level=result.level, next_level=next_level,
            next_level_description=criterion.levels.get(next_level, ""),
            recommendation=criterion.recommendation,
            sources=tuple(rubric.sources[s].title for s in criterion.sources if s in rubric.sources),
        ))
    financial = {c.id for c in rubric.criteria if c.applies_to == "financial"}
    financial |= {c for t in rubric.themes if t.applies_to == "financial" for c in t.criteria}
    order = {c.id: i for i, c in enumerate(rubric.criteria)}
    gaps.sort(key=lambda g: (not (profile.financial and g.criterion in financial), g.level, order[g.criterion]))
    return tuple(gaps)


def score_gate(rubric: Rubric, present_elements: dict[str, tuple[Quote, ...]],
               gate_hits: dict[str, tuple[Quote, ...]], profile: Profile,
               sentences: Sequence[Sentence] = ()) -> tuple[GateResult, ...]:
    """Statutory checks for statements, decided by gate.py from the sentences; a check without a
    ``decide`` in the rubric is met by its element's evidence (``present_elements``: element id ->
    quotes) or its own pattern hits (``gate_hits``)."""
    if profile.doc_type != "statement":
        return ()
    fallback = {check.id: present_elements.get(check.element, ()) if check.element else gate_hits.get(check.id, ())
                for check in rubric.gate}
    return score_checks(rubric, sentences, profile.jurisdiction, fallback)


def score_letter(rubric: Rubric, criteria: Sequence[CriterionResult], item_evidence: Iterable[CriterionEvidence],
                 profile: Profile) -> tuple[LetterItem, ...]:
    """Scopes and recommendations of the Commissioner's CEO letter, for letters only."""
    if profile.doc_type != "letter":
        return ()
    levels = {c.id: c.level for c in criteria}
    own: dict[str, int] = {}
    for item in item_evidence:
        own[item.criterion] = max(own.get(item.criterion, 0), supported_level(item))
    out = []
    for kind, items in (("scope", rubric.letter.scopes), ("recommendation", rubric.letter.recommendations)):
        for item in items:
            if item.patterns:
                level = own.get(f"letter:{item.id}", 0)
            else:
                level = max((levels.get(c, 0) for c in item.criteria), default=0)
            out.append(LetterItem(id=item.id, kind=kind, name=item.name, level=level))
    return tuple(out)


def assess_maturity(
    rubric: Rubric, evidence: Iterable[CriterionEvidence], profile: Profile, *,
    present_elements: dict[str, tuple[Quote, ...]], gate_hits: dict[str, tuple[Quote, ...]],
    low_risk_claims: Sequence[tuple[int, str]] = (), sentences: Sequence[Sentence] = (),
) -> Maturity:
    evidence = list(evidence)
    criteria = score_criteria(rubric, [e for e in evidence if not e.criterion.startswith("letter:")], profile)
    themes = score_themes(rubric, criteria, profile)
    applicable = [t.level for t in themes if t.level is not None]
    flags = []
    method = next((c.level for c in criteria if c.id == "C06"), 0)
    for page, text in sorted(set(low_risk_claims)):
        if method < 2:
            flags.append(f"'low risk' claim without a described risk assessment (page {page}): {text[:160]}")
    return Maturity(
        profile=profile,
        gate=score_gate(rubric, present_elements, gate_hits, profile, sentences),
        criteria=criteria,
        themes=themes,
        overall=floor_median(applicable),
        gaps=find_gaps(rubric, criteria, profile),
        letter=score_letter(rubric, criteria, [e for e in evidence if e.criterion.startswith("letter:")], profile),
        flags=tuple(dict.fromkeys(tuple(flags) + tuple(f for c in criteria if c.applies for f in c.flags))),
    )
