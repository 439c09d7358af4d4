"""Criterion signals: the evidence a criterion takes from other stages, by kind, in one registry.

A rubric criterion names its signals (``signals: [{kind: element, element: approval, level: 1}]``);
this module maps each kind to the function that turns the document's findings into criterion
evidence, as spaCy's registry maps names to functions. Code never names a criterion: add a kind
here and a rubric can use it. Pure: no I/O, no third-party imports.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from disclosure_check.assess.maturity import supported_level
from disclosure_check.rubric import SIGNAL_KINDS, Signal, has_number, needed_level  # noqa: F401 (has_number: re-exported)
from disclosure_check.types import CriterionEvidence, ElementResult, Origin, Sentence, TrainingAudiences


@dataclass(frozen=True)
class Findings:
    """What the other stages found in one document, for the signal functions to read."""

    sentences: Sequence[Sentence] = ()
    statuses: Mapping[int, str] | None = None  # sentence index -> status from its cues
    elements: Mapping[str, ElementResult] | None = None
    audiences: TrainingAudiences | None = None
    planned_cap: int = 1  # the level a sentence supports when it lacks what its signal needs


Collect = Callable[[str, Signal, Findings], list[CriterionEvidence]]

COLLECTORS: dict[str, Collect] = {}  # signal kind (``rubric.SIGNAL_KINDS``) -> what collects its evidence


def register(name: str) -> Callable[[Collect], Collect]:
    """Register the collector of a signal kind the rubric declares (``rubric.SIGNAL_KINDS``)."""
    if name not in SIGNAL_KINDS:
        raise ValueError(f"signal kind '{name}' is not declared in rubric.SIGNAL_KINDS")

    def add(collect: Collect) -> Collect:
        COLLECTORS[name] = collect
        return collect
    return add


# Per criterion and signal: the supporting sentences kept (and, apart, the negative claims). An
# element of a 400-page report can bring hundreds; the criterion's level is decided before the cut.
MAX_SIGNAL_EVIDENCE = 12


def collect_signals(criterion: str, signals: Sequence[Signal], findings: Findings,
                    keep: Callable[[CriterionEvidence], bool] | None = None) -> list[CriterionEvidence]:
    """Each signal's evidence for one criterion that ``keep`` accepts (the criterion's subject, a
    quotable sentence), ``strongest`` first. The filter comes before the cut, so a sentence on the
    subject that ranks low among an element's findings still reaches the criterion."""
    out = []
    for signal in signals:
        items = COLLECTORS[signal.kind](criterion, signal, findings)
        out += strongest([i for i in items if keep(i)] if keep is not None else items, findings.planned_cap)
    return out


def strongest(items: Sequence[CriterionEvidence], planned_cap: int,
              limit: int = MAX_SIGNAL_EVIDENCE) -> list[CriterionEvidence]:
    """The ``limit`` items that support the highest level (so the criterion's level is the one all
    of them support), then the first ``limit`` negative claims; ties keep the collector's order (an
    element's: strongest first, then reading order), so the cut is deterministic."""
    if len(items) <= limit:
        return list(items)
    order = sorted(range(len(items)), key=lambda i: (-supported_level(items[i], planned_cap), i))
    supporting = [items[i] for i in order if items[i].status != "negative"][:limit]
    return supporting + [i for i in items if i.status == "negative"][:limit]


@register("element")
def element_signal(criterion: str, signal: Signal, findings: Findings) -> list[CriterionEvidence]:
    """The element's supporting sentences at the signal's level, and its negative claims (which
    support nothing and are flagged on the criterion)."""
    result = (findings.elements or {}).get(signal.element or "")
    if result is None:
        return []
    out = []
    for ev in result.evidence + result.negative:
        # "we regularly review our supply chains": no KPI; "Credit Suisse is a leading wealth manager":
        # a business line, not the structure and supply-chain categories level 2 asks for
        level = needed_level(signal.level or 1, signal.needs, ev.text, findings.planned_cap)
        if not level:
            if ev.status != "negative":
                continue
            level = signal.level or 1
        out.append(CriterionEvidence(
            criterion=criterion, level=level, status=ev.status, text=ev.text, page=ev.page,
            sentence_index=ev.sentence_index, origins=(Origin("element", signal.element or "", ev.classifier),),
            boxes=ev.boxes, ocr=ev.ocr))
    return out


@register("training_audience")
def training_audience_signal(criterion: str, signal: Signal, findings: Findings) -> list[CriterionEvidence]:
    """Who receives modern slavery training (the audiences model) at the level each audience shows.
    An audience listed in ``planned`` is a plan; otherwise the sentence's own status counts."""
    audiences = findings.audiences
    if audiences is None:
        return []
    index = {s.text: s for s in findings.sentences}
    statuses = findings.statuses or {}
    out = []
    for label, page, text in audiences.evidence:
        if label not in signal.levels:
            continue
        found = index.get(text)
        status = "planned" if label in signal.planned else statuses.get(found.index, "implemented") if found \
            else "implemented"
        out.append(CriterionEvidence(
            criterion=criterion, level=signal.levels[label], status=status, text=text, page=page,
            sentence_index=found.index if found else -1,
            origins=(Origin("audience", label, audiences.model_version),),
            boxes=found.boxes if found else (), ocr=found.ocr if found else False))
    return out
