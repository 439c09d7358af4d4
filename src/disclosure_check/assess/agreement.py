"""Agreement between reviewers: raw agreement and Cohen's kappa per criterion and statutory check.

On a document both reviewed (a first review and a blind second review by another person), each
reviewer's coding of a finding is their latest decision on it in their own review, else the
machine's value (they saw it and left it). ``pairs`` lists (first, second) codings per finding;
``machine_pairs`` the machine's value against the value shown after review. A finding the machine
left open (a check not found) and nobody decided has no coding and is left out.

Cohen's kappa: p_o = agreeing pairs / n; p_e = sum over categories k of (first's share of k) x
(second's share of k); kappa = (p_o - p_e) / (1 - p_e). When p_e is 1 (both reviewers used one and
the same category throughout) kappa is undefined (0 / 0): it is None with a reason, never 1 or NaN.
Pure: no I/O.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from disclosure_check.assess.decisions import Decision
from disclosure_check.assess.verification import Key, decision_value, is_submission, machine_value

KINDS = ("criterion", "gate")  # what agreement is reported for: criteria (levels) and statutory checks (met / not met)
Pair = tuple[str, str]


@dataclass(frozen=True)
class Agreement:
    """Agreement over ``n`` pairs: ``raw`` (share agreeing), ``expected`` (by chance) and ``kappa``
    (None when undefined: ``note`` says why)."""

    n: int
    agreeing: int
    raw: float | None
    expected: float | None
    kappa: float | None
    note: str = ""


def cohen_kappa(pairs: Iterable[Pair]) -> Agreement:
    """Raw agreement and Cohen's kappa of (rater 1, rater 2) category pairs."""
    pairs = list(pairs)
    n = len(pairs)
    if n == 0:
        return Agreement(0, 0, None, None, None, "no document was coded by both")
    agreeing = sum(1 for a, b in pairs if a == b)
    first, second = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    expected = sum(first[k] * second[k] for k in first) / (n * n)
    raw = agreeing / n
    if expected >= 1.0:  # float sums of shares: exactly 1 only when both used one and the same category
        only = next(iter(first))
        return Agreement(n, agreeing, raw, expected, None,
                         f"undefined: both always chose '{only}' (chance agreement is 1; kappa is 0/0)")
    return Agreement(n, agreeing, raw, expected, (raw - expected) / (1 - expected))


def double_reviewed(decisions: Sequence[Decision]) -> tuple[str, str] | None:
    """(first reviewer, second reviewer) when the document has a first review (a decision or a
    submission) and a submitted second review by someone else, else None."""
    firsts = [d.reviewer for d in decisions if d.role == "first" and (d.changes_value or is_submission(d))]
    # Only a submitted second review is a coding of the whole document (a finding left alone then
    # means "as the machine scored it"); one still in progress is not compared.
    seconds = [d.reviewer for d in decisions if d.role == "second" and is_submission(d)]
    if not firsts or not seconds:
        return None
    second = seconds[-1]
    first = next((r for r in reversed(firsts) if r != second), None)
    return None if first is None else (first, second)


def pairs(decisions: Sequence[Decision], machine: Mapping[Key, str | None],
          kinds: Sequence[str] = KINDS) -> dict[Key, Pair]:
    """Per finding of ``kinds`` (every one the machine scored), the (first, second) reviewer's coding
    on a double-reviewed document (``double_reviewed``); {} when it is not."""
    who = double_reviewed(decisions)
    if who is None:
        return {}
    first_reviewer, second_reviewer = who
    own: dict[str, dict[Key, Decision]] = {"first": {}, "second": {}}
    for d in decisions:
        if d.decision == "comment" or d.kind not in kinds:
            continue
        if d.role == "first" and d.reviewer == first_reviewer:
            own["first"][(d.kind, d.target_id)] = d
        elif d.role == "second" and d.reviewer == second_reviewer:
            own["second"][(d.kind, d.target_id)] = d
    out: dict[Key, Pair] = {}
    for key in machine:
        if key[0] not in kinds:
            continue
        scored = machine_value(machine, *key)
        a = decision_value(own["first"][key], scored) if key in own["first"] else scored
        b = decision_value(own["second"][key], scored) if key in own["second"] else scored
        if a is not None and b is not None:
            out[key] = (a, b)
    return out


def machine_pairs(shown: Mapping[Key, str | None], machine: Mapping[Key, str | None],
                  kinds: Sequence[str] = KINDS) -> dict[Key, Pair]:
    """Per finding of ``kinds``: (the machine's value, the value shown after review), where both are definite."""
    return {key: (value, shown[key]) for key, value in machine.items()
            if key[0] in kinds and value is not None and shown.get(key) is not None}


def by_finding(per_document: Iterable[Mapping[Key, Pair]]) -> dict[Key, Agreement]:
    """Agreement per finding over documents (each document's pairs, from ``pairs``)."""
    collected: dict[Key, list[Pair]] = {}
    for found in per_document:
        for key, pair in found.items():
            collected.setdefault(key, []).append(pair)
    return {key: cohen_kappa(found) for key, found in sorted(collected.items())}
