"""Compare: one organisation across years, and against its named sector peers (one row per firm)."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from disclosure_check.assess.identity import organisation_key
from disclosure_check.sanitize import escape_markdown as md
from ui.data import RUBRIC, read, rubric, shown_db
from ui.labels import ORIGINS, level_label, scale_levels, subsector_label

st.title("Compare")
names = read("organisations")
if names.empty:
    st.info(f"Nothing scored in `{md(shown_db())}` yet. Score statements with `disclosure-check score FOLDER`.")
    st.stop()
# One organisation however its name is written ("Acme PLC", "Acme plc").
names["key"] = names["organisation"].map(organisation_key)
spellings = names.groupby("key")["organisation"].apply(list).to_dict()
keys = {variants[0]: key for key, variants in spellings.items()}
organisation = st.selectbox("Organisation", sorted(keys, key=str.lower))
key = keys[organisation]
own = read("firm_results", tuple(spellings[key]), RUBRIC)
themes = {t.id: rubric().label(t.id) for t in rubric().themes}
theme_cols = [f"{t}_level" for t in themes]

st.subheader("Across years")
years = own.assign(overall=own["overall_level"].map(lambda v: level_label(v) if pd.notna(v) else "n/a"))
st.dataframe(years[["year", "file", "origin", "overall", *theme_cols]], hide_index=True, width="stretch",
             column_config={f"{t}_level": st.column_config.NumberColumn(label, help=label)
                            for t, label in themes.items()})
if own["year"].nunique() >= 2:
    trend = own.dropna(subset=["year"]).drop_duplicates("year", keep="last").melt(
        id_vars=["year"], value_vars=["overall_level", *theme_cols], var_name="measure", value_name="level")
    trend["measure"] = trend["measure"].map(lambda c: "Overall" if c == "overall_level" else themes[c[:-6]])
    st.altair_chart(alt.Chart(trend.dropna(subset=["level"])).mark_line(point=True).encode(
        x=alt.X("year:O", title=None), y=alt.Y("level:Q", scale=alt.Scale(domain=[scale_levels()[0], scale_levels()[-1]]),
                                               title="Level"),
        color=alt.Color("measure:N", title=None, legend=alt.Legend(labelLimit=320)),
        tooltip=["year", "measure", "level"]), width="stretch")
if len(own) >= 2:
    first, last = own.iloc[-2], own.iloc[-1]
    changes = []
    for criterion in ["overall", *[c.id for c in rubric().criteria]]:
        column = f"{criterion}_level"
        a, b = first.get(column), last.get(column)
        if pd.notna(a) and pd.notna(b) and a != b:
            changes.append(("Overall" if criterion == "overall" else rubric().label(criterion), int(a), int(b)))
    improved = [f"{md(c)}: {md(level_label(a))} → {md(level_label(b))}" for c, a, b in changes if b > a]
    regressed = [f"{md(c)}: {md(level_label(a))} → {md(level_label(b))}" for c, a, b in changes if b < a]
    st.caption(f"From {md(str(first['file']))} to {md(str(last['file']))}:")
    left, right = st.columns(2)
    left.markdown("**Improved**\n\n" + ("\n".join(f"- {x}" for x in improved) or "nothing"))
    right.markdown("**Regressed**\n\n" + ("\n".join(f"- {x}" for x in regressed) or "nothing"))
else:
    st.caption("Only one statement from this organisation so far.")

latest = own.iloc[-1]
subsector = latest["subsector"] if pd.notna(latest["subsector"]) else None
st.subheader(f"Against its peers: {md(subsector_label(subsector))}")
if latest["origin"] != "batch":
    st.caption(f"The latest statement here ({md(str(latest['file']))}) was "
               f"{md(ORIGINS.get(latest['origin'], latest['origin']))}.")
peers = read("peer_results", subsector, tuple(spellings[key]), RUBRIC)
if not peers.empty:  # one row per firm: its latest statement, however its name is written
    peers = peers.assign(key=peers["organisation"].map(organisation_key)).sort_values(
        ["year", "scored_at"], na_position="first").drop_duplicates("key", keep="last")
if peers.empty:
    st.caption(f"No other organisation with {md(subsector_label(subsector))} has a scored statement yet.")
    st.stop()
st.caption(f"{len(peers)} peer firm(s), each by its latest statement: "
           + ", ".join(md(f"{o} {'' if pd.isna(y) else int(y)}".strip())
                       for o, y in sorted(zip(peers["organisation"], peers["year"], strict=True), key=lambda p: str(p[0]).lower())))
comparison = pd.DataFrame({
    "theme": list(themes.values()),
    organisation: [latest[c] for c in theme_cols],
    f"peer median ({len(peers)})": [peers[c].median() for c in theme_cols],
    "peer best": [peers[c].max() for c in theme_cols],
    "best peer": [", ".join(peers.loc[peers[c] == peers[c].max(), "organisation"].astype(str).head(2))
                  if peers[c].notna().any() else "" for c in theme_cols],
})
long = comparison.melt(id_vars=["theme"], value_vars=[organisation, f"peer median ({len(peers)})", "peer best"],
                       var_name="who", value_name="level").dropna(subset=["level"])
st.altair_chart(alt.Chart(long).mark_bar().encode(
    y=alt.Y("theme:N", title=None, sort=list(themes.values()), axis=alt.Axis(labelLimit=320)),
    yOffset=alt.YOffset("who:N", sort=[organisation, f"peer median ({len(peers)})", "peer best"]),
    x=alt.X("level:Q", scale=alt.Scale(domain=[scale_levels()[0], scale_levels()[-1]]), title="Level"),
    color=alt.Color("who:N", title=None, sort=[organisation, f"peer median ({len(peers)})", "peer best"],
                    legend=alt.Legend(orient="top", labelLimit=400)),
    tooltip=["theme", "who", "level"]), width="stretch")
st.dataframe(comparison, hide_index=True, width="stretch")
st.markdown("**Peers**")
peer_table = peers.assign(overall=peers["overall_level"].map(lambda v: level_label(v) if pd.notna(v) else "n/a"))
st.dataframe(peer_table[["organisation", "year", "file", "overall", *theme_cols]], hide_index=True, width="stretch",
             column_config={f"{t}_level": st.column_config.NumberColumn(label, help=label)
                            for t, label in themes.items()})
