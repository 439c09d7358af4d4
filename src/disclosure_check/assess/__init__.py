"""Evidence -> judgements: elements present, the statutory gate, criterion and theme levels, gaps,
CEO-letter items, who wrote the document and what kind of firm it is, and reviewers' decisions
applied on top. Pure: no I/O; the same input gives the same output."""

from disclosure_check.faces import face

# The names other packages may use, and the module each lives in (imported when first used).
_FACE = {
    "assess": "elements",
    "combine_evidence": "elements",
    "score_checks": "gate",
    "assess_maturity": "maturity",
    "find_gaps": "maturity",
    "floor_median": "maturity",
    "document_to_identity": "identity",
    "document_identity": "identity",
    "organisation_key": "identity",
    "detect_profile": "profile",
    "Decision": "decisions",
    "EvidenceRef": "decisions",
    "apply": "decisions",
    "make_decision": "decisions",
    "overrides": "decisions",
    "read_decisions_csv": "decisions",
    "write_decisions_csv": "decisions",
    "verify": "verification",
    "cohen_kappa": "agreement",
    "Findings": "signals",
    "collect_signals": "signals",
}
__all__ = sorted(_FACE)
__getattr__ = face(__name__, _FACE)
