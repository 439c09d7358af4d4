"""Reviewers' confirm and reject decisions on evidence sentences, as labelled training examples.

A decision on one evidence sentence is stored as a review of kind 'evidence' whose target id
names the element and the sentence (``assess.decisions.EvidenceRef``) and which keeps the sentence text, so the
example survives rescoring. ``store_to_examples`` keeps the latest decision per document, element
and sentence; ``write_examples`` and ``read_examples`` are the CSV that ``disclosure-check review
examples`` writes and ``disclosure-check train --reviewed`` reads.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from disclosure_check.assess.decisions import Decision, EvidenceRef
from disclosure_check.errors import DataError
from disclosure_check.files import write_csv
from disclosure_check.rubric import Rubric

COLUMNS = ("doc_id", "sentence", "element", "label", "reviewer", "decided_at")
LABELS = {"confirm": 1, "reject": 0}


@dataclass(frozen=True)
class ReviewedExample:
    doc_id: str
    sentence: str
    element: str  # element id
    label: int  # 1: the sentence is evidence of the element (confirmed); 0: it is not (rejected)
    reviewer: str
    decided_at: str


def decisions_to_examples(decisions: Iterable[Decision]) -> list[ReviewedExample]:
    """Latest confirm/reject per (document, evidence target), in audit-trail order; other kinds,
    comments, decisions without a sentence and a blind second review's decisions (they check a label,
    never set one; a disagreement is settled by a resolution decision) are left out."""
    latest: dict[tuple[str, str], Decision] = {}
    for d in decisions:
        if d.kind == "evidence" and d.text and d.role != "second":
            latest[(d.doc_id, d.target_id)] = d
    return [ReviewedExample(doc_id=d.doc_id, sentence=d.text or "", element=EvidenceRef.parse(d.target_id).element,
                            label=LABELS[d.decision], reviewer=d.reviewer, decided_at=d.created_at)
            for d in latest.values() if d.decision in LABELS]


def store_to_examples(store) -> list[ReviewedExample]:
    return decisions_to_examples(store.decisions())


def write_examples(examples: Sequence[ReviewedExample], path: Path) -> None:
    write_csv(path, COLUMNS, ([e.doc_id, e.sentence, e.element, e.label, e.reviewer, e.decided_at] for e in examples))


def read_examples(path: Path, rubric: Rubric) -> list[ReviewedExample]:
    """The examples of a file written by ``write_examples``, checked against the rubric's elements."""
    where = str(path)
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise DataError(f"cannot read reviewed examples ({exc})", where=where,
                        fix="write the file with `disclosure-check review examples`") from None
    if rows and not set(COLUMNS) <= set(rows[0]):
        raise DataError(f"missing column(s) {sorted(set(COLUMNS) - set(rows[0]))}", where=where,
                        fix=f"the file needs columns {list(COLUMNS)}")
    elements = set(rubric.element_ids)
    out = []
    for line, row in enumerate(rows, start=2):
        if row["element"] not in elements:
            raise DataError(f"unknown element {row['element']!r} at line {line}", where=where,
                            fix=f"elements are {sorted(elements)}")
        if row["label"] not in ("0", "1") or not row["sentence"].strip():
            raise DataError(f"line {line} needs a sentence and a label of 0 or 1", where=where,
                            fix="write the file with `disclosure-check review examples`")
        out.append(ReviewedExample(doc_id=row["doc_id"], sentence=row["sentence"], element=row["element"],
                                   label=int(row["label"]), reviewer=row["reviewer"], decided_at=row["decided_at"]))
    return out
