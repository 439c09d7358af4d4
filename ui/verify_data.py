"""The verification pages' reads (``disclosure_check.store.verification``), cached until results or
decisions change; assignments are read fresh (a small table that changes without a decision)."""

from __future__ import annotations

import streamlit as st

from disclosure_check.assess.verification import choices
from ui.data import RUBRIC, _versions, db_url, open_store, rubric
from ui.labels import level_label

LEVEL_WORDS = {"machine": "machine (no human decision)", "reviewed": "reviewed (one reviewer)",
               "verified": "verified (a second reviewer agreed)", "disputed": "disputed (waiting for a decision)"}


@st.cache_data(show_spinner=False, max_entries=64)
def _read(url: str, versions: tuple, name: str, args: tuple, kwargs: tuple):
    from disclosure_check.store import verification

    with open_store(url) as store:
        return getattr(verification, name)(store, *[rubric() if a == RUBRIC else a for a in args], **dict(kwargs))


def read(name: str, *args, **kwargs):
    """``store.verification.<name>(store, *args, **kwargs)``, cached; pass RUBRIC for the loaded rubric."""
    url = db_url()
    return _read(url, _versions(url), name, args, tuple(sorted(kwargs.items())))


def document_labels() -> dict[str, str]:
    """Every stored document's name as the pages show it: organisation (or unknown, with what suggests
    one), year and file."""
    import pandas as pd

    from disclosure_check.sanitize import clean_line
    from ui.data import load_table

    table = load_table()
    if table.empty:
        return {}
    return {r.doc_id: clean_line(f"{r.organisation} {'' if pd.isna(r.year) else int(r.year)} — {r.file}")
            for r in table.itertuples()}


def value_label(kind: str, value: str | None) -> str:
    """A finding's value as a reviewer reads it."""
    if value is None:
        return "not settled (not found)"
    if kind in ("criterion", "letter") and value.lstrip("-").isdigit():
        return level_label(int(value))
    words = {"met": "met", "not_met": "not met", "yes": "present" if kind == "element" else "evidence",
             "no": "absent" if kind == "element" else "not evidence"}
    return words.get(value, value) if choices(kind) else value


def finding_label(kind: str, target_id: str) -> str:
    """A finding by its kind and name ("Criterion C05 Policy ...", "Statutory check: Board approval")."""
    if kind == "criterion":
        return rubric().label(target_id)
    if kind == "evidence":
        return f"evidence sentence of {rubric().name_of(target_id.split(':')[0]) or target_id.split(':')[0]}"
    what = {"gate": "statutory check", "element": "element", "letter": "letter item", "document": "document"}[kind]
    return f"{what}: {rubric().name_of(target_id) or target_id.replace('_', ' ')}"
