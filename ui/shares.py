"""Shared statements: self-assessments businesses shared, waiting for staff to accept or reject.

Only an accepted share joins the overview, review and compare pages (as origin 'self-assessment');
one whose document was already scored in a batch is accepted as a duplicate and changes nothing.
"""

from __future__ import annotations

import io

import pandas as pd
import streamlit as st

from disclosure_check.sanitize import escape_markdown as md
from disclosure_check.store.shares import Shares
from ui.auth import reviewer_name
from ui.data import open_store
from ui.labels import doc_type_label, level_label

st.title("Shared statements")
st.write("Businesses can share their statement (a copy of the PDF and its self-assessment) with the "
         "Commissioner's office. A share joins the staff pages only when you accept it; anyone can upload "
         "anything, so check it is a genuine statement from the organisation it names.")


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
@st.cache_data(show_spinner=False, max_entries=64)
def preview(share_id: int, content: bytes) -> bytes | None:
    """The shared PDF's first page as a small PNG (None when it cannot be drawn)."""
    from disclosure_check.present.highlight import page_image

    try:
        image = page_image(content, 1, resolution=40)
    except Exception:  # a file that opened for scoring but not for drawing: the card says so
        return None
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def who(result: dict) -> str:
    """The organisation and year the shared statement names, as the card's heading."""
    identity = result.get("identity") or {}
    year = identity.get("year")
    if identity.get("organisation"):
        return f"{md(identity['organisation'])}{f' {int(year)}' if year else ''}"
    suggestion = result.get("identity_suggestion")
    return ("Organisation not identified" + (f" (suggested: {md(suggestion)})" if suggestion else "")
            + (f", {int(year)}" if year else ""))


for share in pending:
    result = share["result"]
    meta = result.get("metadata") or {}
    with st.container(border=True):
        picture, text = st.columns([1, 5])
        image = preview(share["id"], share["content"]) if share.get("content") else None
        if image:
            picture.image(image, caption="Page 1", width="stretch")
        else:
            picture.caption("No preview: the PDF was not kept or cannot be drawn.")
        text.markdown(f"**{who(result)}**")
        text.markdown(f"{md(share['file_name'])} · shared {md(share['shared_at'])} · overall maturity "
                      f"{md(level_label(result.get('overall')))} · {int(result.get('pages') or 0)} pages · "
                      f"{md(doc_type_label(result.get('doc_type') or 'statement'))}")
        text.caption(f"PDF title: {md(meta.get('title') or 'none')} · author: {md(meta.get('author') or 'none')} · "
                     f"producer: {md(meta.get('producer') or 'none')}")
        text.markdown(f"Contact: {md(share['contact'])}" if share.get("contact") else
                      "Contact: none given.")
        if share.get("content"):
            text.download_button("Download the shared PDF", share["content"], share["file_name"], "application/pdf",
                                 key=f"pdf-{share['id']}")
        if share["batch"]:
            text.caption("The same file was already scored in a batch: accepting it changes nothing.")
        left, right, _ = text.columns([1, 1, 4])
        left.button("Accept", key=f"accept-{share['id']}", on_click=decide, args=(share["id"], "accepted"),
                    type="primary")
        right.button("Reject", key=f"reject-{share['id']}", on_click=decide, args=(share["id"], "rejected"))

st.subheader("Decided")
if decided:
    st.dataframe(pd.DataFrame([{"id": s["id"], "organisation": (s["result"].get("identity") or {}).get("organisation"),
                                **{k: s[k] for k in ("file_name", "contact", "shared_at", "status", "duplicate",
                                                     "decided_by", "decided_at")}} for s in decided]),
                 hide_index=True, width="stretch")
else:
    st.caption("No decisions yet.")
