"""My queue: the documents assigned to the signed-in reviewer (open and done), and assigning documents
to reviewers, chosen or as a random sample of a filtered set with its seed recorded, for a first or a
blind second review."""

from __future__ import annotations

import secrets

import pandas as pd
import streamlit as st

from disclosure_check.errors import DisclosureCheckError
from disclosure_check.sanitize import clean_line
from disclosure_check.sanitize import escape_markdown as md
from disclosure_check.store.accounts import Accounts
from disclosure_check.store.assignments import Assignments, sample_ids
from ui.auth import reviewer_name
from ui.blind import blind_documents
from ui.data import load_scored, open_review, open_store
from ui.labels import doc_type_label, subsector_label

ROLE_WORDS = {"first": "first review", "second": "blind second review"}
MAX_ROWS = 100  # open buttons drawn; the rest are counted

st.title("My queue")
reviewer = reviewer_name()
table = load_scored()
with open_store() as store:
    mine = Assignments(store).all(reviewer=reviewer) if reviewer else []
    everyone = Assignments(store).all()
    accounts = [a["name"] for a in Accounts(store).all()]


def document_label(doc_id: str, organisation, year, file) -> str:
    return clean_line(f"{organisation or 'unknown'} {'' if year is None or pd.isna(year) else int(year)} — "
                      f"{file or doc_id[:12]}")


# as every page names a document (an organisation the text does not name: unknown, with its suggestion)
labels = {r.doc_id: document_label(r.doc_id, r.organisation, r.year, r.file) for r in table.itertuples()}


def label_of(a) -> str:
    """How a document is named in the queue; in the signed-in reviewer's open blind second review, by
    its file only (a name a first reviewer corrected would show that a review happened, and what)."""
    if a.doc_id in blind:
        return f"{a.file or a.doc_id[:12]} (blind second review)"
    return labels.get(a.doc_id) or document_label(a.doc_id, a.organisation, a.year, a.file)


blind = blind_documents(reviewer or "")
shown = st.segmented_control("Show", ["open", "done", "all"], default="open", key="queue-show") or "open"
listed = [a for a in mine if shown == "all" or a.done == (shown == "done")]
open_count = sum(1 for a in mine if not a.done)
st.caption(f"Assigned to {md(reviewer or 'nobody signed in')}: {open_count} open, {len(mine) - open_count} done. "
           "A review is done when you press *Submit* on its review page. In a blind second review the first "
           "reviewer's decisions stay hidden until you submit.")
if not listed:
    st.info({"open": "Nothing open in your queue.", "done": "No review of yours is done yet.",
             "all": "Nothing is assigned to you."}[shown])
for a in listed[:MAX_ROWS]:
    with st.container(border=True):
        left, middle, right = st.columns([5, 3, 1.2], vertical_alignment="center")
        left.markdown(f"**{md(label_of(a))}**")
        middle.caption(f"{ROLE_WORDS[a.role]} · {'done' if a.done else 'open'} · assigned by {md(a.assigned_by)} "
                       f"{a.assigned_at[:10]}" + (f" · {md(a.sample)}" if a.sample else ""))
        right.button("Open", key=f"open-{a.id}", on_click=open_review, args=(a.doc_id,), width="stretch",
                     type="secondary" if a.done else "primary")
if len(listed) > MAX_ROWS:
    st.caption(f"{len(listed) - MAX_ROWS} more not shown: submit the ones above first.")

# -- assign ------------------------------------------------------------------------------------------
st.subheader("Assign documents")
cols = st.columns([2, 2, 2], vertical_alignment="bottom")
if accounts:
    who = cols[0].selectbox("Reviewer", accounts, key="assign-reviewer")
else:
    who = cols[0].text_input("Reviewer", key="assign-reviewer-name",
                             help="No staff accounts exist (local use): type the reviewer's name as they sign in.")
role = cols[1].radio("Review", list(ROLE_WORDS), format_func=ROLE_WORDS.get, horizontal=True, key="assign-role")
how = cols[2].radio("Documents", ["chosen", "random sample"], horizontal=True, key="assign-how")
firsts: dict[str, set[str]] = {}
if how == "chosen":
    chosen = st.multiselect("Documents", list(labels), format_func=labels.get, key="assign-docs")
    sample_note = ""
else:
    f1, f2, f3, f4 = st.columns(4, vertical_alignment="bottom")
    subsectors = f1.multiselect("Financial sub-sector", sorted(table["subsector"].dropna().unique()),
                                format_func=subsector_label, key="assign-subsector")
    doc_types = f2.multiselect("Document type", sorted(table["doc_type"].dropna().unique()),
                               format_func=doc_type_label, key="assign-doctype")
    years = f3.multiselect("Year", sorted(int(y) for y in table["year"].dropna().unique()), key="assign-year")
    reviewed_only = f4.toggle("Only reviewed documents", value=role == "second", key="assign-reviewed",
                              help="A second review checks a first one: sample the documents with decisions.")
    pool = table
    if subsectors:
        pool = pool[pool["subsector"].isin(subsectors)]
    if doc_types:
        pool = pool[pool["doc_type"].isin(doc_types)]
    if years:
        pool = pool[pool["year"].isin(years)]
    if reviewed_only:
        pool = pool[pool["reviewed"]]
    ids = pool["doc_id"].tolist()
    if role == "second" and who:  # nobody second-reviews their own first review
        with open_store() as store:
            firsts = Assignments(store).first_reviewers(ids)
        ids = [d for d in ids if who not in firsts.get(d, ())]
    n_col, seed_col = st.columns(2)
    n = n_col.number_input("How many", min_value=1, max_value=max(1, len(ids)), value=min(5, max(1, len(ids))),
                           key="assign-n")
    seed = seed_col.number_input("Seed (recorded: the same seed and filters draw the same sample)", min_value=0,
                                 max_value=2**31 - 1, value=st.session_state.setdefault("assign-seed-default",
                                                                                        secrets.randbelow(10**6)),
                                 key="assign-seed")
    chosen = sample_ids(ids, int(n), int(seed)) if ids else []
    sample_note = f"random {len(chosen)} of {len(ids)} (seed {int(seed)})"
    st.caption(f"{len(ids)} document(s) match" + (f" ({md(who)}'s own first reviews left out)"
                                                   if role == "second" and firsts else "")
               + f"; the sample: {len(chosen)}.")
if st.button(f"Assign {len(chosen)} document(s)", type="primary", disabled=not (chosen and who), key="assign-go",
             icon=":material/assignment_ind:"):
    try:
        with open_store() as store:
            added = Assignments(store).assign(chosen, who, role, assigned_by=reviewer or "staff", sample=sample_note)
    except DisclosureCheckError as exc:
        st.error(f"Nothing assigned: {md(exc.message)}" + (f" {md(exc.fix)}" if exc.fix else ""))
    else:
        st.success(f"Assigned {added} document(s) to {md(who)} for a {ROLE_WORDS[role]}"
                   + (f" ({len(chosen) - added} were assigned already)" if added < len(chosen) else "") + ".")
        everyone = None

if everyone is None:
    with open_store() as store:
        everyone = Assignments(store).all()
if everyone:
    st.subheader("Every assignment")
    frame = pd.DataFrame([{"reviewer": a.reviewer, "review": ROLE_WORDS[a.role], "status": "done" if a.done else "open",
                           "assigned by": a.assigned_by, "assigned at": a.assigned_at[:16].replace("T", " "),
                           "sample": a.sample, "document": label_of(a)} for a in everyone])  # the long one last
    if not frame["sample"].any():
        frame = frame.drop(columns="sample")  # every one chosen by hand
    counts = frame.groupby(["reviewer", "status"]).size().unstack(fill_value=0)
    st.caption(" · ".join(f"{md(name)}: {int(row.get('open', 0))} open, {int(row.get('done', 0))} done"
                          for name, row in counts.iterrows()))
    st.dataframe(frame, hide_index=True, width="stretch")
