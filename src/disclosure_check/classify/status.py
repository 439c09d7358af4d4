"""Evidence status (AIMSCheck): implemented (done, past or ongoing), planned (a future commitment)
or negative ("we have not yet...", "no cases were found"), from the rubric's cue groups."""

from __future__ import annotations

from disclosure_check.classify.rules import RuleMatches


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
