"""Assignments: staff give documents to named reviewers for a first or a blind second review.

A document is assigned by hand or as part of a random sample of a filtered set (``sample_ids``: the
seed is recorded with each assignment, so the sample can be drawn again). An assignment is done when
its reviewer submits the review (``verification.submission``: a mark in the decisions trail), so the
trail stays the one record of who decided what. While a second review is open, the review page shows
its reviewer the machine's result with only their own second-review decisions (``blind_view``).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timezone

from disclosure_check.assess.decisions import Decision, apply
from disclosure_check.assess.verification import SUBMITTED
from disclosure_check.errors import StoreError
from disclosure_check.store.store import Store, StoredResult

ROLES = ("first", "second")


@dataclass(frozen=True)
class Assignment:
    id: int
    doc_id: str
    reviewer: str
    role: str  # "first" | "second"
    assigned_by: str
    assigned_at: str
    sample: str  # how it was chosen: "" by hand, else "random N of M (seed S)"
    done: bool = False  # the reviewer submitted this review
    organisation: str | None = None
    file: str | None = None
    year: int | None = None


def sample_ids(doc_ids: Sequence[str], n: int, seed: int) -> list[str]:
    """A random sample of ``n`` of ``doc_ids`` (all of them when there are fewer), drawn with ``seed``
    from the ids in sorted order: the same seed and set give the same sample on any machine."""
    pool = sorted(set(doc_ids))
    return sorted(random.Random(int(seed)).sample(pool, min(int(n), len(pool))))


class Assignments:
    """The assignments in a store."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def assign(self, doc_ids: Sequence[str], reviewer: str, role: str, *, assigned_by: str,
               sample: str = "") -> int:
        """Assign documents to ``reviewer`` for a ``role`` review; returns how many were new (one
        already assigned the same way is left as it is). A second review must be by someone other
        than the document's first reviewer(s): their assignment or decisions. All or none."""
        reviewer, assigned_by = (reviewer or "").strip(), (assigned_by or "").strip()
        if role not in ROLES:
            raise StoreError(f"'{role}' is not a review role", fix=f"use one of {', '.join(ROLES)}")
        if not reviewer:
            raise StoreError("an assignment needs the reviewer's name", fix="choose a staff account")
        if not assigned_by:
            raise StoreError("an assignment needs the name of who assigns it", fix="sign in first")
        ids = sorted(set(doc_ids))
        if not ids:
            return 0
        known = {r[0] for r in self._in("SELECT doc_id FROM documents WHERE doc_id IN ({})", ids)}
        if missing := [d for d in ids if d not in known]:
            raise StoreError(f"no stored document with doc_id {missing[0]}", where=self.store.url,
                             fix="take doc_id from the overview or `disclosure-check export`; nothing was assigned")
        if role == "second":
            firsts = self.first_reviewers(ids)
            clash = sorted(d for d in ids if reviewer in firsts.get(d, ()))
            if clash:
                raise StoreError(f"{reviewer} reviewed {len(clash)} of these document(s) first (e.g. {clash[0]}): "
                                 "a second review must be by someone else", where=self.store.url,
                                 fix="choose another reviewer, or leave those documents out; nothing was assigned")
        now = _now()

        def write() -> int:
            with self.store.transaction(*ids) as conn:
                added = 0
                for doc_id in ids:
                    added += conn.execute(
                        "INSERT INTO assignments (doc_id, reviewer, role, assigned_by, assigned_at, sample)"
                        " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(doc_id, reviewer, role) DO NOTHING",
                        (doc_id, reviewer, role, assigned_by, now, sample)).rowcount
                return added

        return self.store.retry(write)

    def first_reviewers(self, doc_ids: Sequence[str]) -> dict[str, set[str]]:
        """Per document: who is assigned its first review or recorded a first-review decision on it."""
        out: dict[str, set[str]] = {}
        for doc_id, name in self._in("SELECT doc_id, reviewer FROM assignments WHERE role='first' AND doc_id IN ({})",
                                     doc_ids):
            out.setdefault(doc_id, set()).add(name)
        for doc_id, name in self._in("SELECT DISTINCT doc_id, reviewer FROM reviews WHERE role='first' AND doc_id IN ({})",
                                     doc_ids):
            out.setdefault(doc_id, set()).add(name)
        return out

    def _in(self, sql: str, ids: Sequence[str], chunk: int = 500) -> list:
        rows = []
        for start in range(0, len(ids), chunk):
            part = list(ids[start:start + chunk])
            rows += self.store.conn.execute(sql.format(",".join("?" * len(part))), part).fetchall()
        return rows

    def all(self, reviewer: str | None = None, doc_id: str | None = None) -> list[Assignment]:
        """Assignments (of one reviewer, or of one document), open first, then oldest first."""
        clauses, params = [], []
        if reviewer is not None:
            clauses.append("a.reviewer = ?")
            params.append(reviewer)
        if doc_id is not None:
            clauses.append("a.doc_id = ?")
            params.append(doc_id)
        rows = self.store.conn.execute(
            "SELECT a.*, d.organisation, d.file_name, d.year, EXISTS (SELECT 1 FROM reviews v WHERE v.doc_id = a.doc_id"
            " AND v.reviewer = a.reviewer AND v.role = a.role AND v.target_kind = 'document' AND v.target_id = ?)"
            " AS done FROM assignments a LEFT JOIN documents d ON d.doc_id = a.doc_id"
            + (" WHERE " + " AND ".join(clauses) if clauses else "") + " ORDER BY a.id",
            [SUBMITTED, *params]).fetchall()
        found = [Assignment(id=int(r["id"]), doc_id=r["doc_id"], reviewer=r["reviewer"], role=r["role"],
                            assigned_by=r["assigned_by"], assigned_at=r["assigned_at"], sample=r["sample"],
                            done=bool(r["done"]), organisation=r["organisation"], file=r["file_name"],
                            year=r["year"]) for r in rows]
        return sorted(found, key=lambda a: a.done)

    def open_second(self, doc_id: str, reviewer: str) -> bool:
        """Whether ``reviewer`` has a blind second review of the document still to submit."""
        return any(a.role == "second" and not a.done for a in self.all(reviewer=reviewer, doc_id=doc_id))

    def open_role(self, doc_id: str, reviewer: str) -> str | None:
        """The role of ``reviewer``'s open assignment on the document (second before first), or None."""
        open_roles = {a.role for a in self.all(reviewer=reviewer, doc_id=doc_id) if not a.done}
        return next((r for r in ("second", "first") if r in open_roles), None)

    def blind_view(self, stored: StoredResult, reviewer: str) -> StoredResult:
        """The document as a blind second reviewer sees it: the machine's result with only their own
        second-review decisions applied, and only those in the trail (as the value they set: a page
        reads them as it reads any decision)."""
        own = tuple(d for d in stored.decisions if d.reviewer == reviewer and d.role == "second")
        machine = stored.machine
        as_applied: list[Decision] = [replace(d, role="first") for d in own]
        rubric = self.store.rubric(machine.rubric_version)
        result = apply(machine, as_applied, rubric, gate_elements=self.store._gate_elements()) if own else machine
        return replace(stored, result=result, decisions=tuple(as_applied))


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
