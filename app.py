"""disclosure_check dashboard (minimal): the stored results, with evidence and pages.

Run: `make run`, or `.venv/bin/streamlit run app.py`. Reads the database named by
DISCLOSURE_CHECK_DB (default data/disclosure_check.db) through the same store the CLI writes.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from disclosure_check.export import flat_row
from disclosure_check.rubric import load_rubric
from disclosure_check.settings import DB
from disclosure_check.store import Store

st.set_page_config(page_title="disclosure_check", layout="wide")


@st.cache_data(ttl=30)
def load_results(db: str) -> list[dict]:
    with Store(db) as store:
        return store.results()


@st.cache_resource
def element_names() -> dict[str, str]:
    return {e.id: e.name for e in load_rubric().elements}


db = DB.value() or ""
st.title("Modern slavery statements: disclosure check")
results = load_results(db)
if not results:
    st.info(f"No results in `{db}` yet. Score some statements: `disclosure-check score corpus/samples/`.")
    st.stop()

names = element_names()
table = pd.DataFrame([flat_row(r) for r in results])
table.insert(0, "file", [Path(p).name for p in table["document"]])
scored = table[table["status"] == "scored"]
failed = table[table["status"] == "failed"]
left, middle, right = st.columns(3)
left.metric("Documents scored", len(scored))
middle.metric("Failed", len(failed))
right.metric("Database", Path(db).name)

present_cols = [f"{e}_present" for e in names]
overview = table[["file", "status", "pages"] + present_cols].rename(
    columns={f"{e}_present": names[e] for e in names})
st.subheader("Elements found per document")
st.dataframe(overview, hide_index=True, use_container_width=True)
if len(failed):
    st.subheader("Failures")
    st.dataframe(failed[["file", "error_code", "error"]], hide_index=True, use_container_width=True)

st.subheader("Evidence")
choices = {r["document"]: r for r in results if r["status"] == "scored"}
if choices:
    chosen = st.selectbox("Document", list(choices), format_func=lambda p: Path(p).name)
    item = choices[chosen]
    for element, entry in item["elements"].items():
        label = f"{names.get(element, element)}: {'found' if entry['present'] else 'not found'} " \
                f"(confidence {entry['confidence']:.2f})"
        with st.expander(label, expanded=False):
            if not entry["evidence"]:
                st.write("No evidence.")
            for ev in entry["evidence"]:
                st.markdown(f"> {ev['text']}")
                st.caption(f"page {ev['page']} · {ev.get('status', 'implemented')} · {ev['classifier']} · "
                           f"score {ev['score']:.2f} · {ev['detail']}")
