"""Batches: many documents scored under time and memory limits, on one machine or a Dask cluster,
stored as they finish and resumable. ``score_many`` is the one entry both engines share; the resume
rules are in ``resume``, the isolation of each document in ``isolation``."""

from importlib import import_module

# The names other packages may use, and the module each lives in (imported when first used).
_FACE = {
    "score_many": "engines",
    "RunOptions": "engines",
    "ENGINES": "engines",
    "build_scorer": "engines",
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


def __getattr__(name: str):
    if name in _FACE:
        return getattr(import_module(f"{__name__}.{_FACE[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
