"""disclosure_check: find and score the evidence in modern slavery statements.

The stages, each a package with a short face naming what others may use (docs/architecture.md):
``read`` (PDF -> Document -> sentences) -> ``classify`` (-> evidence) -> ``assess`` (-> elements,
gate, maturity, identity, profile, decisions) -> ``pipeline`` (the Scorer) -> ``store`` (typed
results, decisions, shares, accounts, queries) -> ``present`` (exports, reports, methodology) ->
``run`` (batches on one machine or a cluster); ``train`` makes and measures the models; ``cli`` and
the dashboard (``app.py``, ``ui/``) are thin layers over them. ``rubric``, ``types``, ``errors``,
``settings``, ``files`` and ``sanitize`` are the foundation every stage stands on.
"""

__version__ = "0.1.0"
