"""Evidence -> Assessment. Pure: no I/O, no third-party imports, same input gives the same output.

An element is present when the trained model finds a sentence above the element's threshold, or
when a rule marked ``standalone`` in the rubric fires (approval and signature wording is precise
enough on its own, and a signature block on the last page is rarely a full sentence).
``confidence`` is the estimated probability that the element is disclosed: the highest evidence
score that is not a negative claim, so a low value on an absent element means the model saw nothing
close. The same sentence found by several classifiers is one evidence item listing them all.

``combine_evidence`` keeps every finding: criteria filter an element's evidence by their subject
(pipeline.maturity_from_evidence), and a sentence on the subject may rank anywhere in a long
report. Only the stored result is bounded: ``assess`` keeps each element's ``MAX_EVIDENCE``
strongest (``bounded``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from disclosure_check.types import Assessment, Document, ElementResult, Evidence, Maturity, TrainingAudiences

MAX_EVIDENCE = 12  # per element in the stored result (``assess``), strongest first; criteria see them all


def merge_sentence_evidence(items: Iterable[Evidence]) -> list[Evidence]:
    """One item per sentence: when the model and a rule (or two rules) found the same sentence, the
    strongest finding stands for it and lists every classifier (``found_by``) and explanation."""
    by_sentence: dict[int, list[Evidence]] = {}
    for ev in items:
        by_sentence.setdefault(ev.sentence_index, []).append(ev)
    merged = []
    for group in by_sentence.values():
        group.sort(key=lambda e: (-e.score, e.classifier, e.detail))
        best = group[0]
        if len(group) > 1:
            classifiers = tuple(dict.fromkeys(e.classifier for e in group))
            detail = "; ".join(dict.fromkeys(f"{e.classifier}: {e.detail}" if e.detail else e.classifier
                                             for e in group))
            best = replace(best, detail=detail, found_by=classifiers if len(classifiers) > 1 else ())
        merged.append(best)
    return merged


def distinct_text(items: Sequence[Evidence]) -> list[Evidence]:
    """The first of each wording: a sentence repeated on another page (a pull quote, a summary box,
    or the opening words of a sentence already quoted) is quoted once."""
    seen: set[str] = set()
    kept: list[str] = []
    out = []
    for ev in items:
        key = " ".join(ev.text.lower().split())
        if key in seen or (len(kept) < 4 * MAX_EVIDENCE and any(key in other for other in kept)):
            continue
        seen.add(key)
        kept.append(key)
        out.append(ev)
    return out


def combine_evidence(
    element_ids: Sequence[str],
    model_evidence: Iterable[Evidence],
    rule_evidence: Iterable[Evidence],
    *,
    best_scores: Mapping[str, float],
    standalone: frozenset[str] = frozenset(),
) -> tuple[ElementResult, ...]:
    """Decide each element from the model's positive sentences and the rule hits.

    ``best_scores`` is the model's highest probability per element over the sentences that are not
    negative claims (it sets the confidence of absent elements). Rule hits count as evidence when
    they fall on a sentence the model accepted, or when the element is ``standalone``. A negative
    claim ("no instances of modern slavery were identified") never supports an element: it is kept
    apart in ``negative`` for the reviewer, so an element whose only evidence is negative is absent.
    Every finding is kept, strongest first (ties in reading order); ``bounded`` trims them for storage.
    """
    by_element: dict[str, list[Evidence]] = {e: [] for e in element_ids}
    accepted: dict[str, set[int]] = {e: set() for e in element_ids}
    for ev in model_evidence:
        by_element[ev.element].append(ev)
        accepted[ev.element].add(ev.sentence_index)
    for ev in rule_evidence:
        if ev.element in standalone or ev.sentence_index in accepted.get(ev.element, set()):
            by_element[ev.element].append(ev)
    results = []
    for element in element_ids:
        found = distinct_text(sorted(merge_sentence_evidence(by_element[element]),
                                     key=lambda e: (-e.score, e.sentence_index, e.classifier)))
        evidence = [e for e in found if e.status != "negative"]
        negative = [e for e in found if e.status == "negative"]
        present = bool(evidence)
        confidence = max([best_scores.get(element, 0.0)] + [e.score for e in evidence])
        results.append(ElementResult(element=element, present=present, confidence=round(confidence, 4),
                                     evidence=tuple(evidence), negative=tuple(negative)))
    return tuple(results)


def bounded(result: ElementResult) -> ElementResult:
    """The element as it is stored and shown: its ``MAX_EVIDENCE`` strongest supporting sentences and
    negative claims (a 400-page report can have hundreds). Its presence and confidence were decided
    from all of them."""
    if len(result.evidence) <= MAX_EVIDENCE and len(result.negative) <= MAX_EVIDENCE:
        return result
    return replace(result, evidence=result.evidence[:MAX_EVIDENCE], negative=result.negative[:MAX_EVIDENCE])


def assess(
    doc: Document, elements: tuple[ElementResult, ...], *, rubric_version: str, model_version: str,
    sentences: int, maturity: Maturity | None = None, training_audiences: TrainingAudiences | None = None,
    pages_other_language: tuple[tuple[int, str], ...] = (),
) -> Assessment:
    """The document's result, each element ``bounded`` (its strongest evidence) for storage."""
    return Assessment(
        doc_id=doc.doc_id, path=doc.path, pages=len(doc.pages), rubric_version=rubric_version,
        model_version=model_version, elements=tuple(bounded(e) for e in elements), metadata=doc.metadata,
        pages_without_text=doc.pages_without_text, sentences=sentences, maturity=maturity,
        training_audiences=training_audiences, language=doc.language, pages_ocr=doc.pages_ocr,
        pages_other_language=pages_other_language, hidden_text=doc.hidden_text,
    )
