"""Evidence -> maturity: criterion levels, theme levels, overall level, statutory gate, gaps, letters.

Pure and deterministic: no I/O, no third-party imports; results do not depend on evidence order.
A criterion's level is the highest level its evidence supports, where implemented evidence supports
its own level, planned evidence at most the scale's ``planned_cap`` level, and negative evidence
nothing (it is flagged); a sentence worded as a plan counts as planned and a piece of a sentence
supports the scale's ``cut_cap`` level at most (``wording.py``). The same sentence found by several sources is one evidence item. A claim
sentence (a rubric ``flag``) never supports the criteria its flag names by tag.
Theme level: the rounded-down median of the criteria that apply; overall: the same over themes.
Every role (the planned cap, the gap threshold, which criterion makes a claim acceptable) comes
from the rubric, never from a criterion id or a level number written here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from disclosure_check.assess.gate import score_checks
from disclosure_check.assess.wording import bound_by_wording
from disclosure_check.rubric import Criterion, Rubric, needs_met
from disclosure_check.types import (
    ClaimSentence,
    CriterionEvidence,
    CriterionResult,
    Gap,
    GateResult,
    LetterItem,
    Maturity,
    Origin,
    Profile,
    Quote,
    Sentence,
    ThemeResult,
)


def supported_level(item: CriterionEvidence, planned_cap: int) -> int:
    if item.status == "negative":
        return 0
    if item.status == "planned":
        return min(item.level, planned_cap)
    return item.level


def merge_duplicates(items: Iterable[CriterionEvidence], planned_cap: int) -> list[CriterionEvidence]:
    """One item per sentence: the best-supported finding, its ``source`` listing every source."""
    groups: dict[tuple, list[CriterionEvidence]] = {}
    for item in items:
        groups.setdefault((item.criterion, item.sentence_index, item.page, item.text), []).append(item)
    merged = []
    for group in groups.values():
        best = min(group, key=lambda i: (-supported_level(i, planned_cap), -i.level, i.status, i.source, i.boxes,
                                         i.ocr))
        origins = tuple(sorted({o for i in group for o in i.origins}, key=lambda o: (o.label, o)))
        if origins != best.origins:
            best = replace(best, origins=origins)
        merged.append(best)
    return merged


_SENTENCE_END = ('.', '!', '?', ';', ')', '"', '”', '’', "'")


def fragment_marks(text: str) -> int:
    """How far a quote looks cut from its sentence: starting in lower case ("to mitigate the risk of
    ...", "and the risk assessment of the supplier is updated") and ending without a sentence's end
    each count one. In the issue-21 reviews (rounds 1-2) such quotes were right 0.39 and 0.47 of the
    time, whole sentences 0.59-0.61: a reader judges a claim, not a cut line."""
    stripped = text.strip()
    return int(stripped[:1].islower()) + int(not stripped.endswith(_SENTENCE_END))


def _sort_key(item: CriterionEvidence, planned_cap: int) -> tuple:
    """Best supported first: the highest level it supports, then whole sentences before fragments
    (``fragment_marks``), then found by more kinds of source (a pattern and a classifier agreeing),
    then implemented before planned, then in reading order. Every field takes part, so
    equal-looking items never keep their input order."""
    return (-supported_level(item, planned_cap), fragment_marks(item.text), -len({o.kind for o in item.origins}),
            item.status != "implemented", item.sentence_index, item.source, item.text, item.page, item.level,
            item.status)


def holds_specifics(criterion: Criterion, item: CriterionEvidence, from_level: int) -> bool:
    """Whether ``item`` came with the specifics of a level at ``from_level`` or above: a pattern or an
    element signal of the criterion at such a level that ``needs`` them and whose needs the sentence
    holds, a pattern at such a level marked ``specific`` (its own words name them), or a training
    audience at such a level (the model names the role). A lower-level source that also found the
    sentence (the risk_mitigation element at level 1) names no level-3 specifics."""
    patterns = {p.id: p for p in criterion.patterns}
    signals = {s.element: s for s in criterion.signals if s.kind == "element"}
    audiences: dict[str, int] = {}
    for signal in criterion.signals:
        for label, level in signal.levels.items():
            audiences[label] = max(level, audiences.get(label, level))

    def names_them(origin: Origin) -> bool:
        if origin.kind == "rule" and origin.name in patterns:
            p = patterns[origin.name]
            return (p.level or 0) >= from_level and (p.specific or (bool(p.needs) and needs_met(p.needs, item.text)))
        if origin.kind == "element" and origin.name in signals:
            s = signals[origin.name]
            return (s.level or 0) >= from_level and bool(s.needs) and needs_met(s.needs, item.text)
        return origin.kind == "audience" and audiences.get(origin.name, 0) >= from_level

    return any(names_them(o) for o in item.origins)


def corroborated(rubric: Rubric, criterion: Criterion, items: list[CriterionEvidence], planned_cap: int,
                 from_level: int) -> list[CriterionEvidence]:
    """``items`` (sorted) with a claim at ``from_level`` or above kept only where one of them holds the
    specifics (``holds_specifics``) or two different sentences make it; otherwise those items support
    the level below. One sentence from a pattern that needs nothing ("a 24-hour whistleblowing
    helpline operated by an independent third party": no languages, no reports) is too little for
    a firm's level 3 (issue 21)."""
    high = [i for i in items if supported_level(i, planned_cap) >= from_level]
    if not high or any(holds_specifics(criterion, i, from_level) for i in high) or len({i.text.strip().lower() for i in high}) > 1:
        return items
    below = max((lvl for lvl in rubric.levels if lvl < from_level), default=0)
    lowered = [replace(i, level=below) if supported_level(i, planned_cap) >= from_level else i for i in items]
    return sorted(lowered, key=lambda i: _sort_key(i, planned_cap))


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


def unsupported_sentences(rubric: Rubric, claims: Iterable[ClaimSentence]) -> dict[str, set[int]]:
    """Criterion id -> the claim sentences that may not support it (flags' ``never_supports`` tags)."""
    by_flag: dict[str, set[int]] = {}
    for claim in claims:
        by_flag.setdefault(claim.flag, set()).add(claim.sentence_index)
    out: dict[str, set[int]] = {}
    for flag in rubric.flags:
        for tag in flag.never_supports:
            for criterion in rubric.tagged(tag):
                out.setdefault(criterion.id, set()).update(by_flag.get(flag.id, ()))
    return out


def score_criteria(rubric: Rubric, evidence: Iterable[CriterionEvidence], profile: Profile,
                   claims: Iterable[ClaimSentence] = ()) -> tuple[CriterionResult, ...]:
    if not rubric.criteria:
        return ()
    cap = rubric.role_level("planned_cap")
    cut_cap = rubric.optional_role_level("cut_cap")
    corroborate_from = rubric.optional_role_level("corroborate_from")
    barred = unsupported_sentences(rubric, claims)
    by_criterion: dict[str, list[CriterionEvidence]] = {c.id: [] for c in rubric.criteria}
    for item in evidence:
        if item.criterion in by_criterion and item.sentence_index not in barred.get(item.criterion, ()):
            by_criterion[item.criterion].append(bound_by_wording(rubric.wording, item, cut_cap))
    results = []
    for criterion in rubric.criteria:
        items = sorted(merge_duplicates(by_criterion[criterion.id], cap), key=lambda i: _sort_key(i, cap))
        if corroborate_from is not None:
            items = corroborated(rubric, criterion, items, cap, corroborate_from)
        level = max((supported_level(i, cap) for i in items), default=rubric.levels[0])
        flags = tuple(sorted({f"negative claim on page {i.page}: {i.text}" for i in items if i.status == "negative"}))
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
    """Criteria below the scale's ``gap_below`` level: what the next level looks like, what to do,
    who asks for it. The advice is the one the rubric gives the firm's sub-sector (``Criterion.advice_to``);
    a criterion with no advice for it is not a gap to fix (survivor bank accounts are not an insurer's).
    Financial-sector criteria come first for financial firms; then the lowest levels."""
    if not criteria:
        return ()
    definitions = {c.id: c for c in rubric.criteria}
    threshold = rubric.role_level("gap_below")
    subsector = profile.subsector if profile.financial else None
    laws = profile.jurisdictions or (profile.jurisdiction,)
    gaps = []
    for result in criteria:
        if not result.applies or result.level >= threshold:
            continue
        advice = definitions[result.id].advice_to(subsector, profile.financial)
        if advice is None:
            continue
        text, sources = advice
        for guide in definitions[result.id].guidance:  # the official guidance of each law it answers
            if guide.jurisdiction in laws:
                text, sources = f"{text} {guide.text()}", (*sources, *guide.sources)
        next_level = rubric.next_level(result.level)
        next_level = rubric.levels[-1] if next_level is None else next_level
        gaps.append(Gap(
            criterion=result.id, theme=result.theme, level=result.level, next_level=next_level,
            next_level_description=rubric.level_descriptor(result.id, next_level),
            recommendation=text,
            sources=tuple(rubric.sources[s].title for s in dict.fromkeys(rubric.advice_sources(sources, laws))),
        ))
    financial = {c.id for c in rubric.criteria if c.applies_to == "financial"}
    financial |= {c for t in rubric.themes if t.applies_to == "financial" for c in t.criteria}
    order = {c.id: i for i, c in enumerate(rubric.criteria)}
    gaps.sort(key=lambda g: (not (profile.financial and g.criterion in financial), g.level, order[g.criterion]))
    return tuple(gaps)


def claim_flags(rubric: Rubric, criteria: Sequence[CriterionResult], claims: Iterable[ClaimSentence]) -> list[str]:
    """The rubric's flags raised by claim sentences, unless the criterion named by the flag's
    ``acceptable_if`` tag reached its level (a 'low risk' claim after a described risk assessment)."""
    levels = {c.id: c.level for c in criteria if c.applies}
    by_flag: dict[str, list[ClaimSentence]] = {}
    for claim in sorted(set(claims)):
        by_flag.setdefault(claim.flag, []).append(claim)
    out = []
    for flag in rubric.flags:
        accept = flag.acceptable_if
        if accept is not None and any(levels.get(c.id, 0) >= accept.level for c in rubric.tagged(accept.tag)):
            continue
        seen = set()
        for claim in sorted(by_flag.get(flag.id, ()), key=lambda c: (c.page, c.sentence_index, c.text)):
            if (claim.page, claim.text) not in seen:
                seen.add((claim.page, claim.text))
                out.append(f"{flag.message} (page {claim.page}): {claim.text}")
    return out


def tag_met(rubric: Rubric, tag: str, levels: Mapping[str, int | None]) -> bool | None:
    """Whether the criteria with ``tag`` reached the tag's ``min_level``: every one of them, or at
    least one when the tag's ``rule`` is "any" (``levels``: criterion id -> level, None where it does
    not apply); None when the rubric has no such criteria."""
    criteria = rubric.tagged(tag)
    declared = rubric.tags.get(tag)
    if not criteria or declared is None:
        return None
    minimum = declared.min_level if declared.min_level is not None else rubric.levels[-1]
    reached = ((levels.get(c.id) or 0) >= minimum for c in criteria)
    return any(reached) if declared.rule == "any" else all(reached)


def score_gate(rubric: Rubric, present_elements: dict[str, tuple[Quote, ...]],
               gate_hits: dict[str, tuple[Quote, ...]], profile: Profile,
               sentences: Sequence[Sentence] = ()) -> tuple[GateResult, ...]:
    """Statutory checks, decided by gate.py from the sentences; a check without a ``decide`` in the
    rubric is met by its element's evidence (``present_elements``: element id -> quotes) or its own
    pattern hits (``gate_hits``). Decided for every document, so a reviewer who says a document is a
    statement after all sees them at once; they count only for a statement (``Maturity.statutory_met``)."""
    fallback = {check.id: present_elements.get(check.element, ()) if check.element else gate_hits.get(check.id, ())
                for check in rubric.gate}
    return score_checks(rubric, sentences, profile.jurisdictions or (profile.jurisdiction,), fallback)


def score_letter(rubric: Rubric, criteria: Sequence[CriterionResult], item_evidence: Iterable[CriterionEvidence],
                 profile: Profile) -> tuple[LetterItem, ...]:
    """Scopes and recommendations of the Commissioner's CEO letter, for letters only."""
    if profile.doc_type != "letter":
        return ()
    by_id = {c.id: c for c in criteria}
    own: dict[str, list[CriterionEvidence]] = {}
    cap = rubric.role_level("planned_cap") if rubric.criteria else max(rubric.levels, default=0)
    for item in item_evidence:
        own.setdefault(item.criterion, []).append(item)
    out = []
    for kind, items in (("scope", rubric.letter.scopes), ("recommendation", rubric.letter.recommendations)):
        for item in items:
            if item.patterns:
                found = sorted(merge_duplicates(own.get(item.id, ()), cap), key=lambda i: _sort_key(i, cap))
                level = max((supported_level(i, cap) for i in found), default=0)
            else:
                found = sorted((e for c in item.criteria if c in by_id for e in by_id[c].evidence),
                               key=lambda i: _sort_key(i, cap))
                level = max((by_id[c].level for c in item.criteria if c in by_id), default=0)
            out.append(LetterItem(id=item.id, kind=kind, name=item.name, level=level, criteria=tuple(item.criteria),
                                  evidence=tuple(found)))
    return tuple(out)


def assess_maturity(
    rubric: Rubric, evidence: Iterable[CriterionEvidence], profile: Profile, *,
    present_elements: dict[str, tuple[Quote, ...]], gate_hits: dict[str, tuple[Quote, ...]],
    claims: Iterable[ClaimSentence] = (), sentences: Sequence[Sentence] = (),
    letter_evidence: Iterable[CriterionEvidence] = (),
) -> Maturity:
    """``evidence``: criterion evidence; ``letter_evidence``: the letter items' own pattern hits."""
    claims = list(claims)
    criteria = score_criteria(rubric, evidence, profile, claims)
    themes = score_themes(rubric, criteria, profile)
    applicable = [t.level for t in themes if t.level is not None]
    flags = claim_flags(rubric, criteria, claims)
    return Maturity(
        profile=profile,
        gate=score_gate(rubric, present_elements, gate_hits, profile, sentences),
        criteria=criteria,
        themes=themes,
        overall=floor_median(applicable),
        gaps=find_gaps(rubric, criteria, profile),
        letter=score_letter(rubric, criteria, letter_evidence, profile),
        flags=tuple(dict.fromkeys(tuple(flags) + tuple(f for c in criteria if c.applies for f in c.flags))),
        scale=tuple((lvl.level, lvl.id, lvl.name) for lvl in sorted(rubric.scale, key=lambda lvl: lvl.level)),
    )
