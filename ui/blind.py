"""The review page's assignment mode: a banner saying which review the signed-in reviewer is doing,
a button to submit it, and in a blind second review the document as the machine scored it with only
the reviewer's own decisions (the first reviewer's stay hidden until the second review is submitted)."""

from __future__ import annotations

import streamlit as st

from disclosure_check.assess.verification import submission
from disclosure_check.store.assignments import Assignments
from ui.data import open_store


def submit(doc_id: str, reviewer: str, role: str) -> None:
    """Record that ``reviewer`` finished their ``role`` review of the document (a mark in the trail)."""
    with open_store() as store:
        store.add_decisions([submission(doc_id, reviewer, role)])
    st.toast(("Second" if role == "second" else "First") + " review submitted", icon=":material/task_alt:")


def blind_documents(reviewer: str) -> set[str]:
    """The documents ``reviewer`` has a blind second review of still to submit: the document picker
    shows them by file name only, without the reviewed mark or a name a first reviewer corrected."""
    if not reviewer:
        return set()
    with open_store() as store:
        return {a.doc_id for a in Assignments(store).all(reviewer=reviewer) if a.role == "second" and not a.done}


def assigned_view(doc_id: str, stored, reviewer: str):
    """(what ``reviewer`` may see of the document, their open assignment's role or None): in an open
    blind second review, the machine's result with only their own decisions. Every page that shows a
    document or records a decision on it (review, viewer) goes through this."""
    if not reviewer or stored is None:
        return stored, None
    with open_store() as store:
        assignments = Assignments(store)
        role = assignments.open_role(doc_id, reviewer)
        if role == "second":
            stored = assignments.blind_view(stored, reviewer)
    return stored, role


def review_mode(doc_id: str, stored, reviewer: str):
    """(what the page shows of the document, the role its decisions are recorded with). Outside an
    assignment: the document as it is, role "first"."""
    stored, role = assigned_view(doc_id, stored, reviewer)
    if role is None:
        return stored, "first"
    left, right = st.columns([4, 1], vertical_alignment="center")
    if role == "second":
        left.info("**Blind second review.** You see the document as the machine scored it, with your own decisions "
                  "only: the first reviewer's decisions and the audit trail stay hidden until you submit. Decide "
                  "where you disagree with the machine, then submit.", icon=":material/visibility_off:")
    else:
        left.info("**Assigned to you for review.** Decide what needs deciding, then submit the review.",
                  icon=":material/assignment_ind:")
    right.button("Submit second review" if role == "second" else "Submit review", type="primary", width="stretch",
                 key=f"submit-{doc_id[:12]}-{role}", on_click=submit, args=(doc_id, reviewer, role),
                 icon=":material/task_alt:")
    return stored, role
