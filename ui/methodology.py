"""Methodology: how statements are scored, generated from the loaded rubric (methodology.py), so the
page always says what the scoring does. Open to staff and to businesses (public mode)."""

from __future__ import annotations

import streamlit as st

from disclosure_check.present.methodology import methodology, to_markdown
from disclosure_check.sanitize import escape_markdown as md
from ui.data import rubric

rules = rubric()
st.title("How statements are scored")
st.caption(f"Generated from the rubric {md(rules.title)}, version {md(rules.version)}. "
           "Change the rubric and this page changes with it.")
sections = methodology(rules)
for tab, section in zip(st.tabs([s.title for s in sections]), sections, strict=True):
    with tab:
        st.markdown(section.markdown)
st.download_button("Download the methodology (Markdown)", to_markdown(rules), f"methodology-{rules.key}.md",
                   "text/markdown")
