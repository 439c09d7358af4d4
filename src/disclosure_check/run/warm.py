"""A scorer built once per worker process and warmed up before anything is forked from it.

Both engines use it: the local engine in its main process, each Dask worker for its scorer, so
every isolation process forked from either starts with the regexes, tables and language model
already built.
"""

from __future__ import annotations

from disclosure_check.pipeline import Scorer, ScorerSpec, settle_memory


def build_scorer(spec: ScorerSpec) -> Scorer:
    """The scorer a spec names, its long-lived objects moved out of the garbage collector's sight
    (workers are forked from it)."""
    scorer = spec.build()
    warm_up(scorer)
    settle_memory()
    return scorer


WARM_UP = ("Modern Slavery Statement 2024\n"
           "This statement is made pursuant to section 54 of the Modern Slavery Act 2015 and sets out the steps "
           "Example Holdings Limited has taken to prevent modern slavery and human trafficking in its business "
           "and supply chains during the financial year ending 31 December 2024.\n"
           "Our policies include a supplier code of conduct, and all staff complete training on modern slavery.\n"
           "This statement was approved by the Board of Directors on 1 May 2025.\n"
           "Jane Smith, Chief Executive Officer")


def warm_up(scorer: Scorer) -> None:
    """Score a short text once, so the regexes, tables and language model that are built on first use
    are built here, once, before worker processes are forked (otherwise in each worker, and again in
    each replacement: about a quarter of a second on every worker's first document)."""
    from disclosure_check.train.documents import text_to_document

    scorer.score_document(text_to_document(WARM_UP, name="warm-up"))
