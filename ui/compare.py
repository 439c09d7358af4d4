"""Compare: one organisation across years, and against its sector peers."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from disclosure_check.sanitize import escape_markdown as md
from ui.common import ORIGINS, identity_label, level_label, load_scored, rubric

st.title("Compare")
table = load_scored()
themes = [t.id for t in rubric().themes]
level_cols = [f"{t}_level" for t in themes if f"{t}_level" in table.columns]
# One organisation however its name is written ("Acme PLC", "Acme plc"); a fallback name is marked.
names = table.sort_values("organisation_from", key=lambda c: c != "text").drop_duplicates("organisation_key")
labels = dict(zip(names["organisation_key"], [identity_label(str(o), f) for o, f in
                                               zip(names["organisation"], names["organisation_from"], strict=True)], strict=True))
keys = {label: key for key, label in labels.items()}
organisation = st.selectbox("Organisation", sorted(keys, key=str.lower))
key = keys[organisation]
own = table[table["organisation_key"] == key].sort_values(["year", "scored_at"])

st.subheader("Across years")
years = own[["year", "year_from", "file", "origin", "overall_level", *level_cols]].rename(columns=lambda c: c.replace("_level", ""))
st.dataframe(years, hide_index=True, width="stretch")
if len(own) >= 2:
    first, last = own.iloc[-2], own.iloc[-1]
    changes = []
    criterion_cols = [f"{c.id}_level" for c in rubric().criteria if f"{c.id}_level" in own.columns]
    for col in ["overall_level", *criterion_cols]:
        a, b = first.get(col), last.get(col)
        if pd.notna(a) and pd.notna(b) and a != b:
            changes.append((col.replace("_level", ""), int(a), int(b)))
    improved = [f"{md(c)}: {md(level_label(a))} → {md(level_label(b))}" for c, a, b in changes if b > a]
    regressed = [f"{md(c)}: {md(level_label(a))} → {md(level_label(b))}" for c, a, b in changes if b < a]
    left, right = st.columns(2)
    left.markdown("**Improved**\n\n" + ("\n".join(f"- {x}" for x in improved) or "nothing"))
    right.markdown("**Regressed**\n\n" + ("\n".join(f"- {x}" for x in regressed) or "nothing"))
else:
    st.caption("Only one statement from this organisation so far.")

st.subheader("Against sector peers")
latest = own.iloc[-1]
if latest["origin"] != "batch":
    st.caption(f"The latest statement here ({md(latest['file'])}) was {md(ORIGINS.get(latest['origin'], latest['origin']))}.")
peers = table[(table["subsector"] == latest["subsector"]) & (table["organisation_key"] != key)]
if peers.empty:
    st.caption(f"No peers in sub-sector {md(latest['subsector'] or 'non-financial')} yet.")
else:
    comparison = pd.DataFrame({
        "theme": [c.replace("_level", "") for c in level_cols],
        organisation: [latest[c] for c in level_cols],
        f"peer median ({len(peers)})": [peers[c].median() for c in level_cols],
        "peer best": [peers[c].max() for c in level_cols],
    })
    st.dataframe(comparison, hide_index=True, width="stretch")
