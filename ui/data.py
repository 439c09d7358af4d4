"""The dashboard's reads of the store, cached until the results or decisions change: the overview
table, one document's result, its pages, and the SQL queries (``disclosure_check.store.queries``).
Also the loaded rubric and scorer, which every page shares."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import streamlit as st

from disclosure_check.assess.identity import organisation_key
from disclosure_check.rubric import load_rubric
from disclosure_check.sanitize import text_path
from disclosure_check.settings import DB
from disclosure_check.store.store import Store


def shown_db() -> str:
    """The database as pages may show it: a PostgreSQL password never appears (store.database.redact)."""
    from disclosure_check.store.database import redact

    return redact(db_url())


def db_url() -> str:
    return DB.value() or "data/disclosure_check.db"


def open_store(url: str | None = None) -> Store:
    """The dashboard's database, knowing the loaded rubric (for results stored before the store
    kept each result's own rubric)."""
    return Store(url or db_url(), rubrics=rubric())


def _versions(url: str) -> tuple[tuple, int]:
    with open_store(url) as store:
        return store.versions()


@st.cache_data(show_spinner=False, max_entries=256)
def _item(url: str, doc_id: str, versions: tuple) -> dict | None:
    with open_store(url) as store:
        found = store.reviewed_results(doc_id=doc_id)
    return found[0] if found else None


def load_item(doc_id: str) -> dict | None:
    """One document's result with reviews applied (pages read one at a time; the table is the index)."""
    url = db_url()
    return _item(url, doc_id, _versions(url))


# cache_resource, not cache_data: the table is shared read-only and should not be pickled on every
# rerun. It is read from the SQL rows (the reviewed truth), never by parsing stored results.
@st.cache_resource(show_spinner="Reading the results database…", max_entries=4)
def _table(url: str, versions: tuple) -> pd.DataFrame:
    from disclosure_check.store import queries

    with open_store(url) as store:
        failed = queries.failures(store).assign(status="failed")
        table = queries.documents(store, queries.Filters(include_other=True), rubric(), limit=None).assign(status="scored")
        paths = store.document_paths()
    table = pd.concat([table, failed.drop(columns=["path", "error_code", "error"])], ignore_index=True)
    table["document"] = table["doc_id"].map(paths)
    # An organisation the text does not name is unknown: a suggestion (the file name, the PDF's
    # metadata, the ranker's unsure best guess) is shown as one, never as the name.
    known = table["organisation"].notna()
    table["organisation_key"] = table["organisation"].where(known).map(organisation_key, na_action="ignore")
    suggestions = (table["suggestion"] if "suggestion" in table else pd.Series(None, index=table.index)).fillna(table["file"])
    table["organisation"] = [name if isinstance(name, str) else unknown_label(suggestion)
                             for name, suggestion in zip(table["organisation"], suggestions, strict=True)]
    table["reviewed"] = table["reviewed"].fillna(False).astype(bool)
    return table


def unknown_label(suggestion: object) -> str:
    """How an organisation the text does not name is shown: unknown, with what only suggests a name."""
    return f"unknown (suggested: {suggestion})" if isinstance(suggestion, str) and suggestion.strip() else "unknown"


def load_table() -> pd.DataFrame:
    """Every stored result, one row each (scored and failed), newest scored first."""
    url = db_url()
    return _table(url, _versions(url))


def load_scored() -> pd.DataFrame:
    """The table's scored documents; stops the page with a hint when there are none."""
    table = load_table()
    scored = table[table["status"] == "scored"] if not table.empty else table
    if scored.empty:
        st.info(f"Nothing scored in `{shown_db()}` yet. Score statements with `disclosure-check score FOLDER`.")
        st.stop()
    return scored


@st.cache_resource(show_spinner=False)
def rubric():
    return load_rubric(os.environ.get("DISCLOSURE_CHECK_RUBRIC") or None)


@st.cache_resource(show_spinner="Loading the scoring model…")
def scorer():
    from disclosure_check.classify.modelset import load_model_set
    from disclosure_check.pipeline import Scorer, settle_memory

    built = Scorer(rubric(), load_model_set())
    settle_memory()
    return built


# -- review desk ----------------------------------------------------------------------------------
@st.cache_data(show_spinner=False, max_entries=64)
def _stored(url: str, doc_id: str, versions: tuple):
    with open_store(url) as store:
        found = store.stored(doc_id=doc_id)
    return found[0] if found else None


def load_stored(doc_id: str):
    """One document's typed ``StoredResult`` (reviewed result, machine result, audit trail), read
    again only when the store changes."""
    url = db_url()
    return _stored(url, doc_id, _versions(url))


@st.cache_data(show_spinner=False, max_entries=16)
def _decided_by(url: str, versions: tuple) -> dict[str, frozenset[str]]:
    with open_store(url) as store:
        decisions = store.decisions()
    out: dict[str, set[str]] = {}
    for d in decisions:
        out.setdefault(d.reviewer, set()).add(d.doc_id)
    return {name: frozenset(ids) for name, ids in out.items()}


def documents_decided_by(reviewer: str) -> frozenset[str]:
    """The doc_ids a reviewer has recorded any decision on (their own queue)."""
    url = db_url()
    return _decided_by(url, _versions(url)).get(reviewer, frozenset())


def pdf_source(url: str, doc_id: str) -> str | bytes | None:
    """Where a document's pages come from: its file on disk (stored absolute), else the stored copy
    of a shared self-assessment's PDF, else None (the file has moved and no copy is kept)."""
    with open_store(url) as store:
        path = store.document_path(doc_id)
        if path and Path(text_path(path)).is_file():  # stored as text: undecodable bytes escaped
            return text_path(path)
        return store.document_file(doc_id)


@st.cache_data(show_spinner=False, max_entries=512)
def _evidence_png(url: str, doc_id: str, page: int, boxes: tuple[tuple, ...] | None, sentence: str,
                  results_version: tuple) -> bytes | None:
    import io

    import pypdfium2 as pdfium

    from disclosure_check.present.highlight import evidence_image

    source = pdf_source(url, doc_id)
    if source is None:
        return None
    try:
        image = evidence_image(source, page, [sentence], boxes=[list(b) for b in boxes] if boxes else None)
    except (pdfium.PdfiumError, OSError):  # e.g. a PDF scored with its password: PDFium will not draw it
        return None
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False)
    return buffer.getvalue()


def evidence_png(doc_id: str, page: int, boxes, sentence: str) -> bytes | None:
    """The page around an evidence sentence with its boxes drawn (a sharp render, cropped so the
    highlight is in view), as PNG; cached per document, page, boxes and sentence until results
    change (a decision does not: it changes no page). None when the document's PDF is not available."""
    key = tuple(tuple(b.to_list()) if hasattr(b, "to_list") else tuple(b) for b in boxes) if boxes else None
    url = db_url()
    return _evidence_png(url, doc_id, int(page), key, sentence, _versions(url)[0])


# -- overview, search, failures and compare: SQL reads (disclosure_check.store.queries), cached ------
RUBRIC = "<the loaded rubric>"  # stands for rubric() in read()'s arguments (a rubric is not hashable)


@st.cache_data(show_spinner=False, max_entries=256)
def _read(url: str, versions: tuple, name: str, args: tuple, kwargs: tuple):
    from disclosure_check.store import queries

    function = getattr(queries, name)
    with open_store(url) as store:
        return function(store, *[rubric() if a == RUBRIC else a for a in args], **dict(kwargs))


def read(name: str, *args, **kwargs):
    """``queries.<name>(store, *args, **kwargs)`` on the dashboard's database, cached until the
    results or decisions change (``store.versions()``); pass RUBRIC for the loaded rubric."""
    url = db_url()
    return _read(url, _versions(url), name, args, tuple(sorted(kwargs.items())))


def open_review(doc_id: str) -> None:
    """Go to the review page on one document."""
    st.session_state["review_doc"] = doc_id
    st.query_params["doc"] = doc_id
    st.switch_page("ui/review.py")
