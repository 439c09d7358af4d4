"""Overview: every scored document, filters, theme heatmap, maturity distribution, downloads."""

from __future__ import annotations

import io

import altair as alt
import pandas as pd
import streamlit as st

from disclosure_check.export import spreadsheet_safe
from disclosure_check.sanitize import escape_markdown as md
from ui.common import (
    db_url,
    financial_lever_help,
    identity_label,
    level_label,
    load_table,
    rubric,
    scale_levels,
)

HEATMAP_ROWS = 60

st.title("Overview")
table = load_table()
if table.empty:
    st.info(f"No results in {md(db_url())} yet. Score statements with `disclosure-check score FOLDER`.")
    st.stop()

scored = table[table["status"] == "scored"].copy()
with st.sidebar:
    st.header("Filters")
    sectors = st.multiselect("Sector", ["financial", "other"], default=[])
    subsectors = st.multiselect("Financial sub-sector", sorted(scored["subsector"].dropna().unique()))
    years = st.multiselect("Year", sorted(int(y) for y in scored["year"].dropna().unique()))
    doc_types = st.multiselect("Document type", sorted(scored["doc_type"].dropna().unique()))
    levels = st.multiselect("Overall maturity", scale_levels(), format_func=level_label)
    reviewed = st.radio("Reviewed", ["all", "reviewed", "not reviewed"], horizontal=True)
    origins = st.multiselect("Origin", ["batch", "self-assessment"],
                             help="Batch-scored by staff, or shared by the business and accepted on Shared statements.")

view = scored
if sectors:
    view = view[view["financial"].map(lambda f: "financial" if f else "other").isin(sectors)]
if subsectors:
    view = view[view["subsector"].isin(subsectors)]
if years:
    view = view[view["year"].isin(years)]
if doc_types:
    view = view[view["doc_type"].isin(doc_types)]
if levels:
    view = view[view["overall_level"].isin(levels)]
if origins:
    view = view[view["origin"].isin(origins)]
if reviewed != "all":
    view = view[view["reviewed"] == (reviewed == "reviewed")]

financial = view[view["financial"] == True]  # noqa: E712 (pandas column)
cols = st.columns(5)
cols[0].metric("Documents", len(view))
cols[1].metric("Failed to score", int((table["status"] == "failed").sum()))
cols[2].metric("Statutory failures", int((view["statutory_met"] == False).sum()))  # noqa: E712
cols[3].metric("Financial firms", len(financial))
share = financial["covers_lending_and_investment"].mean() if len(financial) else 0.0
cols[4].metric("Financial firms covering lending and investment", f"{share:.0%}",
               help=financial_lever_help())

themes = {t.id: t.name for t in rubric().themes}
theme_cols = [f"{t}_level" for t in themes if f"{t}_level" in view.columns]
if theme_cols and len(view):
    left, right = st.columns([3, 2])
    heat = view.sort_values("scored_at", ascending=False).head(HEATMAP_ROWS)[["organisation", "organisation_from", "year", *theme_cols]].copy()
    heat["label"] = [identity_label(str(o), f) for o, f in zip(heat["organisation"], heat["organisation_from"], strict=True)]
    heat["label"] += heat["year"].map(lambda y: f" {int(y)}" if pd.notna(y) else "")
    long = heat.melt(id_vars=["label"], value_vars=theme_cols, var_name="theme", value_name="level")
    long["theme"] = long["theme"].str.replace("_level", "")
    long["name"] = long["theme"].map(themes)
    with left:
        st.subheader("Theme levels by organisation")
        chart = alt.Chart(long.dropna(subset=["level"]).head(6000)).mark_rect().encode(
            x=alt.X("theme:N", title=None, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("label:N", title=None, sort="ascending"),
            color=alt.Color("level:Q", scale=alt.Scale(domain=[scale_levels()[0], scale_levels()[-1]],
                                                       scheme="yellowgreenblue"), title="Level"),
            tooltip=["label", "theme", "name", "level"])
        st.altair_chart(chart, width="stretch")
        st.caption(" · ".join(f"{md(k)} {md(v)}" for k, v in themes.items()))
        if len(view) > HEATMAP_ROWS:
            st.caption(f"Showing the {HEATMAP_ROWS} most recently scored of {len(view)} documents; filter to narrow.")
    with right:
        st.subheader("Overall maturity")
        dist = view["overall_level"].value_counts().reindex(scale_levels(), fill_value=0).rename_axis("level").reset_index(
            name="documents")
        dist["level"] = dist["level"].map(level_label)
        st.altair_chart(alt.Chart(dist).mark_bar().encode(x=alt.X("level:N", sort=None, title=None),
                                                          y="documents:Q"), width="stretch")

shown = ["organisation", "organisation_from", "year", "year_from", "file", "origin", "doc_type", "subsector", "statutory_met", "overall_level", *theme_cols,
         "reviewed", "top_gap"]
st.subheader("Documents")
st.dataframe(view[[c for c in shown if c in view.columns]], hide_index=True, width="stretch")
left, right = st.columns(2)
download = spreadsheet_safe(view)  # no cell may run as a formula when the file is opened
left.download_button("Download CSV", download.to_csv(index=False).encode(), "disclosure_check.csv", "text/csv")
# Writing Excel takes seconds for thousands of rows: only when asked, then offered for download.
if right.button("Prepare Excel download"):
    buffer = io.BytesIO()
    download.to_excel(buffer, index=False, sheet_name="documents")
    right.download_button("Download Excel", buffer.getvalue(), "disclosure_check.xlsx",
                          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
