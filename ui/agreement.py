"""Agreement: how often first and blind second reviewers agree, per criterion and statutory check (raw
agreement and Cohen's kappa, with n), over the documents the filters keep; and the machine against
the reviewed values. A table, a chart and a CSV download."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from disclosure_check.present.export import spreadsheet_safe
from disclosure_check.store.queries import Filters
from disclosure_check.store.verification import COMPARISONS, agreement_records
from ui.data import RUBRIC, load_scored
from ui.labels import doc_type_label, subsector_label
from ui.verify_data import read

st.title("Agreement")
table = load_scored()
with st.sidebar:
    st.header("Documents")
    filters = Filters(
        subsectors=tuple(st.multiselect("Financial sub-sector", sorted(table["subsector"].dropna().unique()),
                                        format_func=subsector_label, key="agree-subsector")),
        years=tuple(st.multiselect("Year", sorted(int(y) for y in table["year"].dropna().unique()), key="agree-year")),
        doc_types=tuple(st.multiselect("Document type", sorted(table["doc_type"].dropna().unique()),
                                       format_func=doc_type_label, key="agree-doctype")),
    )
comparison = st.segmented_control("Compare", list(COMPARISONS), format_func=COMPARISONS.get, default="reviewers",
                                  key="agree-comparison") or "reviewers"
ids = read("filtered_ids", filters)
rows = [r for r in agreement_records(read("agreement", RUBRIC, tuple(ids))) if r["comparison"] == COMPARISONS[comparison]]
st.caption("Each reviewer's coding of a finding is their own latest decision on it, else the machine's value "
           "(they saw it and left it). First against second: documents with a first review and a blind second "
           "review by someone else. Machine against reviewed: documents with a first review. Raw agreement is the "
           "share of documents coded alike; Cohen's kappa corrects it for agreement by chance: 1 perfect, 0 no "
           "better than chance, below 0 worse. Where both chose one and the same value every time, kappa is "
           "undefined (0/0) and shown so.")
if not rows:
    st.info("No document in this set was reviewed twice yet: assign blind second reviews on *My queue*."
            if comparison == "reviewers" else "No document in this set has a first review yet.")
    st.stop()

frame = pd.DataFrame(rows)
documents = int(frame["n"].max())
st.markdown(f"**{documents} document(s)** coded by both, over {len(frame)} criteria and checks, among {len(ids)} "
            "document(s) kept by the filters.")
frame["label"] = [f"{i} {n}" if n != i else i for i, n in zip(frame["id"], frame["name"], strict=True)]
frame["kappa shown"] = [f"{k:.2f}" if pd.notna(k) else "undefined" for k in frame["kappa"]]
# One row per finding: a bar for raw agreement, a dark tick for kappa (none where it is undefined).
low = min(-0.2, float(frame["kappa"].min())) if frame["kappa"].notna().any() else -0.2
x = alt.Scale(domain=[low, 1])
base = alt.Chart(frame).encode(y=alt.Y("label:N", title=None, sort=list(frame["label"]), axis=alt.Axis(labelLimit=380)))
bars = base.mark_bar(color="#9db8d9", height={"band": 0.7}).encode(
    x=alt.X("raw_agreement:Q", title="raw agreement (bar) and Cohen's kappa (tick)", scale=x),
    tooltip=["label", alt.Tooltip("raw_agreement:Q", format=".2f", title="raw agreement"),
             alt.Tooltip("kappa:Q", format=".2f", title="kappa"), "n", "note"])
ticks = base.transform_filter("isValid(datum.kappa)").mark_tick(color="#1d3557", thickness=3, size=14).encode(
    x=alt.X("kappa:Q", scale=x), tooltip=["label", alt.Tooltip("kappa:Q", format=".2f", title="kappa"), "n"])
chart = (bars + ticks).properties(height=alt.Step(22))
st.altair_chart(chart, width="stretch")
undefined = frame[frame["kappa"].isna()]
if len(undefined):
    st.caption(f"Kappa undefined for {len(undefined)} of them (no bar): " + "; ".join(
        f"{label} ({note.removeprefix('undefined: ')})" for label, note in zip(undefined["label"], undefined["note"],
                                                                                  strict=True)))
shown = frame[["kind", "label", "n", "agreeing", "raw_agreement", "kappa shown", "expected_agreement", "note"]]
st.dataframe(shown, hide_index=True, width="stretch", column_config={
    "label": st.column_config.TextColumn("criterion or check", width="large"),
    "raw_agreement": st.column_config.NumberColumn("raw agreement", format="%.2f"),
    "kappa shown": "Cohen's kappa",
    "expected_agreement": st.column_config.NumberColumn("chance agreement", format="%.2f"),
})
st.download_button("Download CSV", spreadsheet_safe(frame.drop(columns=["label", "kappa shown"])).to_csv(index=False),
                   file_name="agreement.csv", mime="text/csv", icon=":material/download:")
st.caption("The same table from the command line: `disclosure-check agreement --out agreement.csv`.")
