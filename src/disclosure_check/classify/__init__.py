"""Sentences -> evidence: rules from the rubric (``rules.v1``), the trained sentence model
(``tfidf-logreg.v1``) and the training-audience model (``audiences.v1``), loaded as a model set."""

from disclosure_check.faces import face

# The names other packages may use, and the module each lives in (imported when first used).
_FACE = {
    "RuleClassifier": "rules",
    "RuleMatches": "matches",
    "evidence_status": "matches",
    "status_reason": "matches",
    "ModelSet": "modelset",
    "load_model_set": "modelset",
    "build_contexts": "context",
}
__all__ = sorted(_FACE)
__getattr__ = face(__name__, _FACE)
