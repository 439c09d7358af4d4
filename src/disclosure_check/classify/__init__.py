"""Sentences -> evidence: rules from the rubric (``rules.v1``), the trained sentence model
(``tfidf-logreg.v1``) and the training-audience model (``audiences.v1``), loaded as a model set."""

from importlib import import_module

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


def __getattr__(name: str):
    if name in _FACE:
        return getattr(import_module(f"{__name__}.{_FACE[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
