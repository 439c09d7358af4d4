"""Verification levels, disagreements and agreement, read from a store: the decisions trail with each
document's machine result (``assess.verification`` and ``assess.agreement`` do the work).

Only documents with decisions are read and decoded; every other document is ``machine``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from disclosure_check.assess.agreement import Agreement, by_finding, machine_pairs, pairs
from disclosure_check.assess.decisions import Decision
from disclosure_check.assess.verification import (
    DocumentVerification,
    FindingVerification,
    level_counts,
    machine_values,
    verify,
)
from disclosure_check.rubric import Rubric
from disclosure_check.store.codec import decode
from disclosure_check.store.queries import Filters, filter_sql, source
from disclosure_check.store.store import Store
from disclosure_check.types import Assessment

COMPARISONS = {"reviewers": "first vs second reviewer", "machine": "machine vs reviewed"}


@dataclass(frozen=True)
class Reviewed:
    """One document with decisions: its machine and reviewed results and its trail."""

    doc_id: str
    machine: Assessment
    result: Assessment
    decisions: tuple[Decision, ...]
    organisation: str | None = None
    file: str | None = None

    @property
    def machine_values(self) -> dict:
        return machine_values(self.machine)


def filtered_ids(store: Store, filters: Filters) -> list[str]:
    """The doc_ids of the scored results ``filters`` keep (as the overview counts them)."""
    where, params = filter_sql(filters)
    return [r[0] for r in store.conn.execute("SELECT DISTINCT r.doc_id" + source(filters) + where, params).fetchall()]


def reviewed(store: Store, doc_ids: Sequence[str] | None = None) -> list[Reviewed]:
    """Every scored document with at least one decision (of ``doc_ids`` when given), its newest result."""
    by_doc: dict[str, list[Decision]] = {}
    for d in store.decisions():
        by_doc.setdefault(d.doc_id, []).append(d)
    wanted = set(by_doc) if doc_ids is None else set(by_doc) & set(doc_ids)
    if not wanted:
        return []
    rows = store.conn.execute(
        "SELECT r.doc_id, r.result_json, r.reviewed_json, d.organisation, d.file_name FROM results r"
        " LEFT JOIN documents d ON d.doc_id = r.doc_id WHERE r.status = 'scored'"
        " AND r.doc_id IN (SELECT DISTINCT doc_id FROM reviews) ORDER BY r.scored_at DESC, r.id DESC").fetchall()
    out: dict[str, Reviewed] = {}
    for row in rows:
        if row[0] not in wanted or row[0] in out:
            continue
        machine = decode(json.loads(row[1]))
        result = decode(json.loads(row[2])) if row[2] else machine
        if isinstance(machine, Assessment) and isinstance(result, Assessment):
            out[row[0]] = Reviewed(row[0], machine, result, tuple(by_doc[row[0]]), row[3], row[4])
    return sorted(out.values(), key=lambda r: (r.organisation or "", r.file or "", r.doc_id))


def verifications(store: Store, doc_ids: Sequence[str] | None = None) -> dict[str, DocumentVerification]:
    """Per document with decisions: its verification (``assess.verification.verify``)."""
    return {r.doc_id: verify(r.decisions, r.machine_values) for r in reviewed(store, doc_ids)}


def document_levels(store: Store, filters: Filters | None = None) -> dict[str, int]:
    """How many of the documents ``filters`` keep (default: the overview's) are at each verification level."""
    ids = filtered_ids(store, filters or Filters())
    by_doc: dict[str, list[Decision]] = {}
    for d in store.decisions():
        by_doc.setdefault(d.doc_id, []).append(d)
    # Only a second review or a resolution compares values: without one, no machine result is read.
    checked = [d for d in ids if any(x.role != "first" for x in by_doc.get(d, ()))]
    found = verifications(store, checked) if checked else {}
    return level_counts(found[d].level if d in found else verify(by_doc.get(d, ()), {}).level for d in ids)


@dataclass(frozen=True)
class Dispute:
    """A disputed finding with both views."""

    doc_id: str
    organisation: str | None
    file: str | None
    finding: FindingVerification
    machine_value: str | None


def disputes(store: Store, doc_ids: Sequence[str] | None = None) -> list[Dispute]:
    """Every disputed finding (waiting for a resolution decision), by document."""
    out = []
    for r in reviewed(store, doc_ids):
        values = r.machine_values
        for f in verify(r.decisions, values).disputed:
            out.append(Dispute(r.doc_id, r.organisation, r.file, f,
                               "yes" if f.kind == "evidence" else values.get((f.kind, f.target_id))))
    return out


@dataclass(frozen=True)
class AgreementRow:
    comparison: str  # COMPARISONS key
    kind: str  # "criterion" | "gate"
    target_id: str
    name: str
    agreement: Agreement


def agreement(store: Store, rubric: Rubric | None, doc_ids: Sequence[str] | None = None, *,
              machine: bool = True) -> list[AgreementRow]:
    """Per criterion and statutory check: agreement between first and second reviewers over the
    documents both reviewed (of ``doc_ids``), and with ``machine`` between the machine and the
    reviewed value over documents with a first review."""
    found = reviewed(store, doc_ids)
    rows = _rows("reviewers", by_finding(pairs(r.decisions, r.machine_values) for r in found), rubric)
    if machine:
        first_reviewed = [r for r in found if any(d.role == "first" and d.changes_value for d in r.decisions)]
        rows += _rows("machine", by_finding(machine_pairs(machine_values(r.result), r.machine_values)
                                            for r in first_reviewed), rubric)
    return rows


def _rows(comparison: str, found: dict, rubric: Rubric | None) -> list[AgreementRow]:
    return [AgreementRow(comparison, kind, target_id, (rubric.name_of(target_id) if rubric else "") or target_id, value)
            for (kind, target_id), value in found.items()]


AGREEMENT_COLUMNS = ("comparison", "kind", "id", "name", "n", "agreeing", "raw_agreement", "expected_agreement",
                     "kappa", "note")


def agreement_records(rows: Sequence[AgreementRow]) -> list[dict]:
    """The agreement table as plain records (``AGREEMENT_COLUMNS``): numbers rounded to 3 places."""
    def rounded(x: float | None) -> float | None:
        return None if x is None else round(x, 3)

    return [{"comparison": COMPARISONS[r.comparison], "kind": "statutory check" if r.kind == "gate" else r.kind,
             "id": r.target_id, "name": r.name, "n": r.agreement.n, "agreeing": r.agreement.agreeing,
             "raw_agreement": rounded(r.agreement.raw), "expected_agreement": rounded(r.agreement.expected),
             "kappa": rounded(r.agreement.kappa), "note": r.agreement.note} for r in rows]
