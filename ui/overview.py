"""Overview: headline figures, sector benchmarks and a paged document table, from SQL aggregates.

Everything is read through disclosure_check.store.queries (the reviewed SQL rows, never the stored JSON)
and cached until results or decisions change, so the page stays quick at 50,000 documents.
A table row or a heatmap cell opens that document's review.
"""

from __future__ import annotations

import io

import altair as alt
import pandas as pd
import streamlit as st

from disclosure_check.present.export import spreadsheet_safe
from disclosure_check.sanitize import escape_markdown as md
from disclosure_check.store.queries import FINANCIAL_LEVER, Filters, lever_minimum, weighted_median
from ui.data import RUBRIC, open_review, read, rubric, shown_db, unknown_label
from ui.labels import (
    STATUTORY_COLOURS,
    STATUTORY_STATES,
    financial_lever_help,
    identity_label,
    industry_label,
    jurisdiction_label,
    level_label,
    scale_levels,
    subsector_label,
)
from ui.verify_data import LEVEL_WORDS
from ui.verify_data import read as verification_read

PAGE_ROWS = 100
HEATMAP_ROWS = 40

st.title("Overview")
options = read("filter_options")
if not options.subsectors and not read("summary", Filters(), RUBRIC).failed:
    st.info(f"No results in {md(shown_db())} yet. Score statements with `disclosure-check score FOLDER`.")
    st.stop()

with st.sidebar:
    st.header("Filters")
    filters = Filters(
        sectors=tuple(st.multiselect("Sector", ["financial", "other"], default=[])),
        subsectors=tuple(st.multiselect("Financial sub-sector", options.subsectors, format_func=subsector_label)),
        years=tuple(st.multiselect("Year", options.years)),
        industries=tuple(st.multiselect("Industry", options.industries, format_func=industry_label)),
        jurisdictions=tuple(st.multiselect("Law answered", options.jurisdictions, format_func=jurisdiction_label)),
        doc_types=tuple(st.multiselect("Document type", options.doc_types,
                                       help="Annual reports, filings and policies ('other') are kept and searchable "
                                            "but counted only when chosen here.")),
        levels=tuple(st.multiselect("Overall maturity", scale_levels(), format_func=level_label)),
        statutory=tuple(st.multiselect("Statutory requirements", list(STATUTORY_STATES),
                                       format_func=STATUTORY_STATES.get)),
        origins=tuple(st.multiselect("Origin", ["batch", "self-assessment"],
                                     help="Batch-scored by staff, or shared by the business and accepted on "
                                          "Shared statements.")),
        reviewed=st.radio("Reviewed", ["all", "reviewed", "not reviewed"], horizontal=True),
    )

summary = read("summary", filters, RUBRIC)
cols = st.columns(6)
cols[0].metric("Documents", summary.documents)
cols[1].metric("Statutory failures", summary.statutory_failures,
               help="Statements with a check of the Modern Slavery Act s.54 not met: the statement says so (it was "
                    "not approved) or a reviewer decided. A check the tool did not find is 'needs review', never "
                    "a failure.")
cols[2].metric("Needs review", summary.needs_review,
               help="Statements with a statutory check not found or not explicit, and none not met: a reader "
                    "must look.")
cols[3].metric("Financial firms", summary.financial)
cols[4].metric("Lending/investment", f"{summary.covering_lever} of {summary.financial}",
               help="Financial firms whose statement addresses lending or investment: " + financial_lever_help())
cols[5].metric("Failed to score", summary.failed, help="Listed, with reasons and retry, on the Failures page.")
tag = rubric().tags.get(FINANCIAL_LEVER)  # a staff rubric may tag no lever: then there is no such figure
if summary.financial and tag is not None and rubric().tagged(FINANCIAL_LEVER):
    levers = read("lever_counts", filters, RUBRIC)
    st.caption(f"**Lending or investment**: {summary.covering_lever} of {summary.financial} financial firms "
               f"({summary.lever_share:.0%}) reach '{md(level_label(lever_minimum(rubric())))}' or above on "
               f"{'at least one' if tag.rule == 'any' else 'every one'} of: "
               + "; ".join(f"{md(rubric().label(c))}: {n}" for c, n in levers.items()) + ".")
failing = summary.failed_checks()
if failing:
    names = {g.id: g.name for g in rubric().gate}
    st.caption("Failures by check: " + "; ".join(f"{md(names.get(c, c))}: {n}" for c, n in failing.items()))
levels = verification_read("document_levels", filters)  # machine, reviewed, verified, disputed
st.caption("Verification: " + " · ".join(f"{LEVEL_WORDS[k]}: {n:,}" for k, n in levels.items())
           + (" — resolve them on *Disagreements*." if levels.get("disputed") else ""))
if not filters.doc_types:
    st.caption("Figures count statements and CEO letters; documents that are neither (annual reports, filings, "
               "policies) are kept and searchable but not counted: choose 'other' under Document type to see them.")
if summary.documents == 0:
    st.info("No document matches these filters.")
    st.stop()

themes = {t.id: rubric().label(t.id) for t in rubric().themes}
level_domain = [scale_levels()[0], scale_levels()[-1]]
# One view at a time (not tabs): Streamlit runs every tab's code, and each view's queries cost time
# at 50,000 documents only when someone looks at it.
VIEWS = ("Documents", "Sector benchmarks", "Criteria")
view = st.segmented_control("View", VIEWS, default=VIEWS[0], key="overview_view", label_visibility="collapsed") \
    or VIEWS[0]

if view == "Documents":
    total = read("document_count", filters)
    pages = max(1, -(-total // PAGE_ROWS))
    top = st.columns([2, 1])
    page = top[1].number_input(f"Page (of {pages})", min_value=1, max_value=pages, value=1, step=1) if pages > 1 else 1
    table = read("documents", filters, RUBRIC, limit=PAGE_ROWS, offset=(page - 1) * PAGE_ROWS)
    table["organisation"] = [identity_label(o, src) if isinstance(o, str) else unknown_label(sug if isinstance(sug, str) else f)
                             for o, src, sug, f in zip(table["organisation"], table["organisation_source"],
                                                       table["suggestion"], table["file"], strict=True)]
    table["subsector"] = table["subsector"].map(subsector_label)
    table["statutory_state"] = table["statutory_state"].map(lambda v: STATUTORY_STATES.get(v, "n/a"))
    top[0].caption(f"{total:,} documents, newest first; rows {(page - 1) * PAGE_ROWS + 1:,}–"
                   f"{min(page * PAGE_ROWS, total):,}. Select a row (or a heatmap cell) to open its review.")
    theme_cols = [f"{t}_level" for t in themes]
    # What a reader scans first (who, when, overall, statutory) leads, so it stays on screen at 1440 px
    # however long the rubric's theme names are: themes show their code, the name is the column's help.
    shown = ["organisation", "year", "overall_level", "statutory_state", *theme_cols, "subsector", "doc_type",
             "reviewed", "file", "origin", "statutory_met", "top_gap_name"]
    config = {f"{t}_level": st.column_config.NumberColumn(t, help=label, width=48) for t, label in themes.items()}
    config.update(statutory_state=st.column_config.TextColumn("statutory", width=170), top_gap_name="top gap",
                  organisation=st.column_config.TextColumn("organisation", width="medium"),
                  year=st.column_config.NumberColumn("year", format="%d", width=56),
                  overall_level=st.column_config.NumberColumn("overall", help="Overall maturity level", width=64),
                  statutory_met=None)  # kept in the frame for downloads and tests, hidden on screen
    event = st.dataframe(table[shown], hide_index=True, width="stretch", column_config=config,
                         on_select="rerun", selection_mode="single-row", key="documents")
    rows = event.selection.rows if event is not None else []
    if rows:
        open_review(table["doc_id"].iloc[rows[0]])

    heat = table.head(HEATMAP_ROWS)
    heat = heat.assign(label=[f"{o} {'' if pd.isna(y) else int(y)}".strip() for o, y in
                              zip(heat["organisation"], heat["year"], strict=True)])
    long = heat.melt(id_vars=["doc_id", "label"], value_vars=theme_cols, var_name="theme", value_name="level")
    long["theme"] = long["theme"].str.replace("_level", "").map(themes)
    long = long.dropna(subset=["level"]).astype({"level": int})
    st.subheader("Theme levels by organisation")
    pick = alt.selection_point(fields=["doc_id"], name="cell")
    chart = alt.Chart(long).mark_rect().encode(
        x=alt.X("theme:N", title=None, sort=list(themes.values()),
                axis=alt.Axis(labelAngle=-35, labelLimit=260, labelOverlap=False, orient="top")),
        y=alt.Y("label:N", title=None, sort=None, axis=alt.Axis(labelLimit=320)),
        color=alt.Color("level:Q", scale=alt.Scale(domain=level_domain, scheme="yellowgreenblue"), title="Level"),
        tooltip=["label", "theme", "level"]).add_params(pick)
    clicked = st.altair_chart(chart, width="stretch", on_select="rerun", key="heatmap")
    cells = (clicked.selection.get("cell") if clicked is not None else None) or []
    if cells and cells[0].get("doc_id"):
        open_review(cells[0]["doc_id"])
    if total > HEATMAP_ROWS:
        st.caption(f"The first {min(HEATMAP_ROWS, len(table))} documents of this page; filter or page to see others.")

    st.subheader("Download")
    st.caption(f"The {total:,} filtered documents with every theme and criterion level, names beside codes.")
    left, right = st.columns(2)

    def download_frame() -> pd.DataFrame:
        full = read("documents", filters, RUBRIC, limit=None, criteria=True)
        labels = {f"{c.id}_level": f"{rubric().label(c.id)} (level)" for c in [*rubric().themes, *rubric().criteria]}
        full = full.drop(columns=["result_id", "covers_lever", "machine_overall_level"]).rename(
            columns={**labels, "top_gap_name": "top gap", "covers_lever": "addresses lending or investment"})
        return spreadsheet_safe(full)  # no cell may run as a formula when the file is opened

    # Building 50,000 rows takes a few seconds: only when asked, then offered for download.
    if left.button("Prepare CSV download"):
        left.download_button("Download CSV", download_frame().to_csv(index=False).encode(), "disclosure_check.csv",
                             "text/csv")
    if right.button("Prepare Excel download"):
        buffer = io.BytesIO()
        download_frame().to_excel(buffer, index=False, sheet_name="documents")
        right.download_button("Download Excel", buffer.getvalue(), "disclosure_check.xlsx",
                              "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

elif view == "Sector benchmarks":
    left, right = st.columns(2)
    levels = read("level_counts", filters)
    levels["group"] = levels["group"].map(subsector_label)
    levels["level"] = levels["level"].map(level_label)
    left.subheader("Overall maturity by sub-sector")
    left.altair_chart(alt.Chart(levels).mark_bar().encode(
        y=alt.Y("group:N", title=None), x=alt.X("documents:Q", stack="normalize", title="share of documents",
                                                   axis=alt.Axis(format="%")),
        color=alt.Color("level:N", sort=[level_label(v) for v in scale_levels()], scale=alt.Scale(scheme="yellowgreenblue"),
                        title="Overall level"),
        order=alt.Order("level:N"), tooltip=["group", "level", "documents"]), width="stretch")
    states = read("statutory_counts", filters)
    states["group"] = states["group"].map(subsector_label)
    states["state"] = states["state"].map(STATUTORY_STATES)
    right.subheader("Statutory requirements by sub-sector")
    right.altair_chart(alt.Chart(states).mark_bar().encode(
        y=alt.Y("group:N", title=None), x=alt.X("documents:Q", stack="normalize", title="share of statements",
                                                   axis=alt.Axis(format="%")),
        color=alt.Color("state:N", sort=list(STATUTORY_STATES.values()), title="Statutory",
                        scale=alt.Scale(domain=list(STATUTORY_STATES.values()), range=STATUTORY_COLOURS)),
        tooltip=["group", "state", "documents"]), width="stretch")
    st.subheader("Median theme level by sub-sector")
    medians = weighted_median(read("theme_counts", filters), ["group", "theme"])
    if len(medians):
        medians["group"] = medians["group"].map(subsector_label)
        medians["theme"] = medians["theme"].map(lambda t: themes.get(t, t))
        base = alt.Chart(medians).encode(
            x=alt.X("theme:N", title=None, sort=list(themes.values()),
                    axis=alt.Axis(labelAngle=-35, labelLimit=260, labelOverlap=False, orient="top")),
            y=alt.Y("group:N", title=None))
        st.altair_chart(base.mark_rect().encode(
            color=alt.Color("median:Q", scale=alt.Scale(domain=level_domain, scheme="yellowgreenblue"), title="Median"),
            tooltip=["group", "theme", "median", "documents"])
            + base.mark_text().encode(text="median:Q"), width="stretch")

else:
    st.subheader("Level reached on each criterion")
    counts = read("criterion_counts", filters)
    if len(counts):
        order = [rubric().label(c.id) for c in rubric().criteria]
        counts["criterion"] = counts["criterion"].map(rubric().label)
        counts["level"] = counts["level"].map(level_label)
        st.altair_chart(alt.Chart(counts).mark_bar().encode(
            y=alt.Y("criterion:N", sort=order, title=None, axis=alt.Axis(labelLimit=360)),
            x=alt.X("documents:Q", stack="normalize", title="share of documents where the criterion applies",
                    axis=alt.Axis(format="%")),
            color=alt.Color("level:N", sort=[level_label(v) for v in scale_levels()],
                            scale=alt.Scale(scheme="yellowgreenblue"), title="Level"),
            order=alt.Order("level:N"), tooltip=["criterion", "level", "documents"]), width="stretch")
