"""Keyword search across statements: which mention these terms (and not those), and which do not;
every place each of the first statements mentions them, with its page, opening the document viewer there."""

from __future__ import annotations

from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from disclosure_check.store.queries import MATCHING_RULE, Filters, parse_terms
from ui.data import open_review, read, unknown_label
from ui.labels import doc_type_label, level_label, marked, subsector_label

SNIPPETS = 20  # statements shown with their hits
HITS = 3  # hits shown at once per statement; the rest behind "n more"
MORE = 50  # hits listed at most under "n more"


def viewer_link(doc_id: str, page: int | None, term: str) -> str:
    """The document viewer at a hit's page, the term to find there (``/viewer?doc=…&page=…&q=…``)."""
    query = {"doc": doc_id, **({"page": page} if page else {}), "q": term}
    return "viewer?" + urlencode(query)


def hit_line(doc_id: str, hit, text: str) -> str:
    where = f"page {hit.page}" if hit.page else "page unknown"
    return f"[{where}]({viewer_link(doc_id, hit.page, hit.term)}) · {marked(text)}"


st.title("Keyword search")
st.caption(MATCHING_RULE + " Separate terms with spaces or commas.")
left, right = st.columns(2)
typed = left.text_input("Mentions", placeholder='"forced labour", remediation'), \
    right.text_input("Does not mention", placeholder="audit")
include, exclude = parse_terms(typed[0]), parse_terms(typed[1])
options = read("filter_options")
cols = st.columns([1, 1, 1, 1])
match_all = cols[0].radio("Mentions", ["all of the terms", "any of them"], horizontal=True,
                          label_visibility="collapsed") == "all of the terms"
subsectors = cols[1].multiselect("Sub-sector", options.subsectors, format_func=subsector_label)
years = cols[2].multiselect("Year", options.years)
doc_types = cols[3].multiselect("Document type", options.doc_types, format_func=doc_type_label,
                                help="Every document is searched unless you choose types here, reports and "
                                     "filings ('other') included.")
if not include and not exclude:
    st.info("Type a term to count the statements that mention it." if not any(t.strip() for t in typed) else
            "Nothing to search for: the terms typed have no words in them (a `*` goes at the end of a word: "
            "`traffick*`).")
    st.stop()

found = read("search", include, exclude, Filters(subsectors=tuple(subsectors), years=tuple(years),
                                                doc_types=tuple(doc_types), include_other=True), match_all=match_all)
metrics = st.columns(3)
metrics[0].metric("Statements searched", f"{found.searched:,}")
metrics[1].metric("Mention them", f"{found.matching:,}",
                  help="Mention " + ("every" if match_all else "at least one") + " term searched for, and none of "
                       "those excluded.")
metrics[2].metric("Do not", f"{found.not_matching:,}")
if found.without_text:
    st.warning(f"{found.without_text:,} scored statement(s) were stored before their text was kept and are not "
               "searched. Score them again to add it: `disclosure-check score FOLDER --rescore`.")
if not found.matching:
    st.stop()

rows = found.rows
st.caption(f"{'The first ' + str(len(rows)) + ' of ' if found.matching > len(rows) else ''}{found.matching:,} "
           "matching statements. Select one to open its review.")
rows = rows.assign(organisation=[o if isinstance(o, str) else unknown_label(s) for o, s in
                                  zip(rows["organisation"], rows["suggestion"], strict=True)])
table = rows.assign(subsector=rows["subsector"].map(subsector_label), doc_type=rows["doc_type"].map(doc_type_label),
                    overall=rows["overall_level"].map(lambda v: level_label(int(v)) if pd.notna(v) else "n/a"))
event = st.dataframe(table[["organisation", "year", "file", "doc_type", "subsector", "overall"]], hide_index=True,
                     width="stretch", on_select="rerun", selection_mode="single-row", key="matches")
if event is not None and event.selection.rows:
    open_review(rows["doc_id"].iloc[event.selection.rows[0]])
if found.terms:
    st.caption("Where the first statements mention the terms: each page link opens the document viewer there.")
for row in rows.head(SNIPPETS).itertuples():
    found_here = found.hits.get(row.doc_id)
    with st.container(border=True):
        head, button = st.columns([5, 1])
        count = f" · {len(found_here.hits)} hit{'' if len(found_here.hits) == 1 else 's'}" if found_here else ""
        head.markdown(f"**{marked(str(row.organisation))}** {'' if pd.isna(row.year) else int(row.year)} · "
                      f"{marked(str(row.file))}{count}")
        if button.button("Open review", key=f"open-{row.doc_id}"):
            open_review(row.doc_id)
        if not found_here:
            continue
        lines = [hit_line(row.doc_id, h, t) for h, t in zip(found_here.hits, found_here.snippets, strict=True)]
        for line in lines[:HITS]:
            st.markdown(line)
        if len(lines) > HITS:
            with st.expander(f"{len(lines) - HITS} more hit{'' if len(lines) - HITS == 1 else 's'}"):
                for line in lines[HITS:HITS + MORE]:
                    st.markdown(line)
                if len(lines) > HITS + MORE:
                    st.caption(f"… and {len(lines) - HITS - MORE} more: open the document to see them all.")
        if not found_here.pages_known:
            st.caption("This text was stored before its pages were: score it again "
                       "(`disclosure-check score FOLDER --rescore`) to see the page of each hit.")
