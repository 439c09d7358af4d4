"""What the dashboard pages share: settings, cached reads of the store, the staff sign-in gate.

The pages (ui/*.py) stay thin: they render what these functions and the library return.
"""

from __future__ import annotations

import hmac
import os
from pathlib import Path

import pandas as pd
import streamlit as st

from .export import flat_row
from .rubric import load_rubric
from .settings import DB
from .store import Store

MAX_UPLOAD_MB = 20
FINANCIAL_LEVERS = ("C10", "C11", "C14")  # lending, investment, portfolio coverage


def db_url() -> str:
    return DB.value() or "data/disclosure_check.db"


def _versions(url: str) -> tuple[tuple, int]:
    with Store(url) as store:
        return store.versions()


@st.cache_data(show_spinner=False, max_entries=256)
def _item(url: str, doc_id: str, versions: tuple) -> dict | None:
    with Store(url) as store:
        found = store.reviewed_results(doc_id=doc_id)
    return found[0] if found else None


def load_item(doc_id: str) -> dict | None:
    """One document's result with reviews applied (pages read one at a time; the table is the index)."""
    url = db_url()
    return _item(url, doc_id, _versions(url))


def _row(item: dict) -> dict:
    row = flat_row(item)
    row.update(file=Path(item["document"]).name, organisation=item.get("organisation") or Path(item["document"]).stem,
               year=item.get("year"), reviewed=bool(item.get("reviewed")), origin=item.get("origin", "batch"),
               scored_at=item.get("scored_at"), reviews=item.get("reviews", 0))
    levels = {c["id"]: c["level"] for c in item.get("criteria", []) if c["applies"]}
    row["covers_lending_and_investment"] = (
        bool(item.get("sector", {}).get("financial")) and all(levels.get(c, 0) >= 2 for c in FINANCIAL_LEVERS))
    return row


# cache_resource, not cache_data: the table is shared read-only and 5,000 rows should not be
# pickled on every rerun. It holds the scores as scored and changes only when results do; reviewed
# documents are overlaid in load_table, so a reviewer's decision re-reads one row, not all.
@st.cache_resource(show_spinner="Reading the results database…", max_entries=4)
def _base_table(url: str, results_version: tuple) -> pd.DataFrame:
    with Store(url) as store:
        items = store.reviewed_results(apply=False)
    return pd.DataFrame([_row(item) for item in items])


@st.cache_resource(show_spinner=False, max_entries=4)
def _table(url: str, versions: tuple) -> pd.DataFrame:
    results_version, reviews_version = versions
    table = _base_table(url, results_version)
    if not reviews_version or table.empty:
        return table
    with Store(url) as store:
        reviewed = set(store.reviewed_doc_ids())
    rows = [_row(item) for doc_id in reviewed if (item := _item(url, doc_id, versions)) is not None]
    if not rows:
        return table
    overlay = pd.DataFrame(rows)
    kept = table[~table["doc_id"].isin(reviewed)]
    return pd.concat([kept, overlay], ignore_index=True).sort_values("scored_at", ascending=False, ignore_index=True)


def load_table() -> pd.DataFrame:
    url = db_url()
    return _table(url, _versions(url))


def load_scored() -> pd.DataFrame:
    """The table's scored documents; stops the page with a hint when there are none."""
    table = load_table()
    scored = table[table["status"] == "scored"] if not table.empty else table
    if scored.empty:
        st.info(f"Nothing scored in `{db_url()}` yet. Score statements with `disclosure-check score FOLDER`.")
        st.stop()
    return scored


@st.cache_resource(show_spinner=False)
def rubric():
    return load_rubric(os.environ.get("DISCLOSURE_CHECK_RUBRIC") or None)


@st.cache_resource(show_spinner="Loading the scoring model…")
def scorer():
    from .classify.artifact import load_model
    from .pipeline import Scorer

    return Scorer(rubric(), load_model())


def app_mode() -> str:
    """'staff' (every page, behind sign-in) or 'public' (self-assessment only)."""
    from .settings import APP_MODE

    return APP_MODE.value() or "staff"


def _secret(name: str) -> str | None:
    try:
        value = st.secrets.get(name)
    except (FileNotFoundError, KeyError, AttributeError):
        value = None
    except Exception:  # no secrets file at all
        value = None
    return value or os.environ.get(f"DISCLOSURE_CHECK_{name.upper()}")


def oidc_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:
        return False


def staff_signed_in() -> bool:
    """OIDC through st.login when [auth] is configured; else a shared staff password (secrets
    `staff_password` or DISCLOSURE_CHECK_STAFF_PASSWORD); with neither, open (local use)."""
    if oidc_configured():
        return bool(getattr(st.user, "is_logged_in", False))
    password = _secret("staff_password")
    if not password:
        return True
    return bool(st.session_state.get("staff_ok"))


def sign_in_form() -> None:
    st.title("Staff sign-in")
    if oidc_configured():
        st.button("Sign in", on_click=st.login, type="primary")
        return
    with st.form("sign_in"):
        name = st.text_input("Your name (recorded with your review decisions)")
        password = st.text_input("Staff password", type="password")
        if st.form_submit_button("Sign in", type="primary"):
            if hmac.compare_digest(password, _secret("staff_password") or "") and name.strip():
                st.session_state["staff_ok"] = True
                st.session_state["signed_in_name"] = name.strip()
                st.rerun()
            st.error("Wrong password, or no name given.")


def reviewer_name() -> str:
    if oidc_configured() and getattr(st.user, "is_logged_in", False):
        return str(st.user.get("name") or st.user.get("email") or "staff")
    return st.session_state.get("signed_in_name", "")


def level_label(level: int | None) -> str:
    if level is None:
        return "n/a"
    names = {lvl.level: lvl.name for lvl in rubric().scale}
    return f"{level} {names.get(level, '')}".strip()
