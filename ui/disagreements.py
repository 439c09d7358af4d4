"""Disagreements: every disputed finding (a blind second review disagrees with the value shown), with
both decisions side by side; keep the first, take the second or set another value. The choice is a
resolution decision in the audit trail, with who made it and when; the finding is then verified."""

from __future__ import annotations

import streamlit as st

from disclosure_check.assess.verification import choices, resolution
from disclosure_check.errors import DisclosureCheckError
from disclosure_check.sanitize import clean_line
from disclosure_check.sanitize import escape_markdown as md
from ui.auth import reviewer_name
from ui.data import open_review, open_store
from ui.labels import level_label, scale_levels
from ui.verify_data import document_labels, finding_label, read, value_label

st.title("Disagreements")
found = read("disputes")
if not found:
    st.success("No disagreement is waiting: every second review agrees with the first, or was resolved.")
    st.stop()
st.caption(f"{len(found)} disputed finding(s) in {len({d.doc_id for d in found})} document(s). The value shown "
           "everywhere stays the first reviewer's (or the machine's) until you resolve it here; your choice is "
           "recorded as a resolution decision with your name and the time.")


def resolve(doc_id: str, index: int, value: str | None, value_key: str | None = None) -> None:
    name = reviewer_name()
    if not name:
        st.session_state["disagreement-notice"] = "Sign in again before resolving."
        return
    chosen = st.session_state.get(value_key) if value_key else value
    finding = found[index].finding
    try:
        made = resolution(doc_id, finding, str(chosen), name,
                          comment=st.session_state.get(f"dis-comment-{index}") or "")
        with open_store() as store:
            store.add_decisions([made])
    except DisclosureCheckError as exc:
        st.session_state["disagreement-notice"] = f"Not recorded: {exc.message}"
        return
    st.toast(f"{md(finding_label(finding.kind, finding.target_id))}: resolved as {md(value_label(finding.kind, str(chosen)))}",
             icon=":material/gavel:")


if notice := st.session_state.pop("disagreement-notice", None):
    st.warning(md(notice))


def when(decision) -> str:
    return decision.created_at[:16].replace("T", " ") if decision is not None else ""


names = document_labels()
for index, dispute in enumerate(found):
    f = dispute.finding
    with st.container(border=True):
        head, open_col = st.columns([6, 1], vertical_alignment="center")
        name = names.get(dispute.doc_id) or clean_line(f"{dispute.organisation or 'unknown'} — {dispute.file or ''}")
        head.markdown(f"**{md(name)}**  \n{md(finding_label(f.kind, f.target_id))}")
        open_col.button("Open", key=f"dis-open-{index}", on_click=open_review, args=(dispute.doc_id,), width="stretch")
        first, second = st.columns(2)
        with first:
            st.markdown(f"**Shown now: {md(value_label(f.kind, f.shown_value))}**")
            st.caption(f"{'resolution' if f.shown is not None and f.shown.role == 'resolution' else 'first review'} by "
                       f"{md(f.shown.reviewer)}, {when(f.shown)}" + (f": “{md(f.shown.comment)}”" if f.shown.comment else "")
                       if f.shown is not None else "the machine's value (no first decision)")
        with second:
            st.markdown(f"**Second review: {md(value_label(f.kind, f.second_value))}**")
            st.caption(f"by {md(f.second_reviewer or '')}, {when(f.second)}"
                       + (f": “{md(f.second.comment)}”" if f.second is not None and f.second.comment else "")
                       if f.second is not None else
                       f"{md(f.second_reviewer or '')} left it as the machine scored it, and submitted the review")
        st.text_input("Comment", key=f"dis-comment-{index}", placeholder="Why (optional, stored with the resolution)",
                      label_visibility="collapsed")
        buttons = st.columns([2, 2, 2, 1.4], vertical_alignment="bottom")
        if f.shown_value is not None:
            buttons[0].button(f"Keep: {md(value_label(f.kind, f.shown_value))}", key=f"dis-keep-{index}", width="stretch",
                              on_click=resolve, args=(dispute.doc_id, index, f.shown_value))
        if f.second_value is not None:
            buttons[1].button(f"Take: {md(value_label(f.kind, f.second_value))}", key=f"dis-take-{index}", width="stretch",
                              on_click=resolve, args=(dispute.doc_id, index, f.second_value), type="primary")
        options = list(choices(f.kind) or ()) or ([str(level) for level in scale_levels()]
                                                   if f.kind in ("criterion", "letter") else [])
        if options:
            buttons[2].selectbox("Another value", options, key=f"dis-value-{index}",
                                 format_func=lambda v, k=f.kind: value_label(k, v) if k != "criterion" and k != "letter"
                                 else level_label(int(v)))
        else:
            buttons[2].text_input("Another value", key=f"dis-value-{index}")
        buttons[3].button("Set", key=f"dis-set-{index}", width="stretch", on_click=resolve,
                          args=(dispute.doc_id, index, None), kwargs={"value_key": f"dis-value-{index}"})
