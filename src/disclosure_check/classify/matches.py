"""What the rules found in one sentence, and the evidence status it implies (AIMSCheck): implemented
(done, past or ongoing), planned (a future commitment) or negative ("we have not yet...", "no cases
were found"), from the rubric's cue groups."""

from __future__ import annotations

from dataclasses import dataclass, field

from disclosure_check.types import Target


@dataclass(frozen=True)
class RuleHit:
    element: str
    pattern: str
    score: float
    matched: str  # the matched words, for the explanation


@dataclass(frozen=True)
class LevelHit:
    """A criterion, gate-check or letter-item pattern that matched, with the level it supports."""

    target: Target
    pattern: str
    level: int
    matched: str


@dataclass(frozen=True)
class RuleMatches:
    """Everything the rules found in one sentence."""

    hits: dict[str, RuleHit] = field(default_factory=dict)  # element -> best hit, after exclusions
    excluded: frozenset[str] = frozenset()  # elements whose exclusion patterns matched
    cues: dict[str, str] = field(default_factory=dict)  # cue group -> first pattern id that matched
    levels: dict[Target, LevelHit] = field(default_factory=dict)  # target -> highest-level hit

    @property
    def flags(self) -> tuple[str, ...]:
        """Feature names for the model: ``element``, ``!element`` (excluded), ``cue:group``."""
        return tuple(sorted(self.hits)) + tuple(f"!{e}" for e in sorted(self.excluded)) + tuple(
            f"cue:{c}" for c in sorted(self.cues))


def evidence_status(matches: RuleMatches) -> str:
    if "negative" in matches.cues:
        return "negative"
    if "planned" in matches.cues and "conditional" not in matches.cues:
        return "planned"
    return "implemented"


def status_reason(matches: RuleMatches) -> str:
    """Which cue decided the status, for the explanation ('' when implemented by default)."""
    status = evidence_status(matches)
    return f"{status}: {matches.cues[status]}" if status in matches.cues else ""
