"""Shared statements: self-assessments businesses shared, waiting for staff to accept or reject.

Only an accepted share joins the overview, review and compare pages (as origin 'self-assessment');
one whose document was already scored in a batch is accepted as a duplicate and changes nothing.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from disclosure_check.sanitize import escape_markdown as md
from disclosure_check.store.shares import Shares
from ui.auth import reviewer_name
from ui.data import open_store
from ui.labels import level_label

st.title("Shared statements")
st.write("Businesses can share their self-assessment with the Commissioner's office. A share joins the "
         "staff pages only when you accept it; anyone can upload anything, so check it is a genuine "
         "statement from the organisation it names.")


def decide(share_id: int, decision: str) -> None:
    staff = reviewer_name()
    if not staff:
        st.session_state["share_notice"] = "Your sign-in has ended: sign in again."
        return
    with open_store() as store:
        share = Shares(store).decide(share_id, decision, decided_by=staff)
    st.session_state["share_notice"] = (
        f"Share {share_id} {decision}"
        + (": the same document was already scored in a batch, so its record is unchanged." if share["duplicate"]
           else "."))


notice = st.session_state.pop("share_notice", None)
if notice:
    st.info(md(notice))

with open_store() as store:
    pending = Shares(store).all("pending")
    decided = [s for s in Shares(store).all() if s["status"] != "pending"]

st.subheader(f"Waiting ({len(pending)})")
if not pending:
    st.caption("Nothing waiting.")
for share in pending:
    result = share["result"]
    meta = result.get("metadata") or {}
    with st.container(border=True):
        st.markdown(f"**{md(share['file_name'])}** · shared {md(share['shared_at'])} · "
                    f"overall maturity {md(level_label(result.get('overall')))} · {int(result.get('pages') or 0)} pages")
        st.caption(f"PDF title: {md(meta.get('title') or 'none')} · author: {md(meta.get('author') or 'none')} · "
                   f"producer: {md(meta.get('producer') or 'none')}")
        if share["batch"]:
            st.caption("The same file was already scored in a batch: accepting it changes nothing.")
        left, right, _ = st.columns([1, 1, 6])
        left.button("Accept", key=f"accept-{share['id']}", on_click=decide, args=(share["id"], "accepted"),
                    type="primary")
        right.button("Reject", key=f"reject-{share['id']}", on_click=decide, args=(share["id"], "rejected"))

st.subheader("Decided")
if decided:
    st.dataframe(pd.DataFrame([{k: s[k] for k in ("id", "file_name", "shared_at", "status", "duplicate", "decided_by",
                                                    "decided_at")} for s in decided]),
                 hide_index=True, width="stretch")
else:
    st.caption("No decisions yet.")
