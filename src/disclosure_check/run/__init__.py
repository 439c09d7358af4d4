"""Batches: many documents scored under time and memory limits, on one machine or a Dask cluster,
stored as they finish and resumable. ``score_many`` is the one entry both engines share; the resume
rules are in ``resume``, the isolation of each document in ``isolation``."""

from disclosure_check.faces import face

# The names other packages may use, and the module each lives in (imported when first used).
_FACE = {
    "score_many": "engines",
    "RunOptions": "engines",
    "ENGINES": "engines",
    "build_scorer": "warm",
    "BatchSummary": "batch",
    "Outcome": "batch",
    "Limits": "isolation",
    "score_isolated": "isolation",
    "Item": "manifest",
    "items_from": "manifest",
    "read_manifest": "manifest",
    "attempt_options": "resume",
    "needs_retry": "resume",
}
__all__ = sorted(_FACE)
__getattr__ = face(__name__, _FACE)
