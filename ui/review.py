"""Document review: walk a queue, see each finding's evidence on its page, confirm, reject or adjust.

Decisions go to the audit trail (never overwritten); reviewed values win in every view and export.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from disclosure_check.reviewed import evidence_target
from disclosure_check.sanitize import clean_line
from disclosure_check.sanitize import escape_markdown as md
from disclosure_check.store import Store
from ui.common import (
    ORIGINS,
    db_url,
    level_label,
    load_item,
    load_scored,
    reviewer_name,
    rubric,
    scale_levels,
)

st.title("Document review")
queue = load_scored()

# The queue: documents nobody has reviewed first, then by organisation.
queue = queue.sort_values(["reviewed", "organisation", "document"], key=lambda c: c.astype(str))
ids = queue["doc_id"].tolist()
if st.session_state.get("review_doc") not in ids:
    st.session_state["review_doc"] = ids[0]
position = ids.index(st.session_state["review_doc"])


def move(step: int) -> None:
    st.session_state["review_doc"] = ids[(position + step) % len(ids)]


nav = st.columns([1, 1, 6])
nav[0].button("◀ Previous", on_click=move, args=(-1,), width="stretch", shortcut="Alt+P")
nav[1].button("Next ▶", on_click=move, args=(1,), width="stretch", shortcut="Alt+N")
# Selectbox options are plain text (not Markdown): cleaned of control characters, not escaped.
labels = {r.doc_id: clean_line(f"{'✓ ' if r.reviewed else ''}{r.organisation} {'' if pd.isna(r.year) else int(r.year)}"
                               f" — {r.file}{'' if r.origin == 'batch' else ' (self-assessment)'}")
          for r in queue.itertuples()}
nav[2].selectbox("Document", ids, key="review_doc", format_func=labels.get, label_visibility="collapsed")
item = load_item(st.session_state["review_doc"])
reviewer = reviewer_name()  # from the sign-in, never typed

st.caption(f"{md(ORIGINS.get(item.get('origin'), item.get('origin')))} · {md(item.get('doc_type', 'statement'))} · "
           f"{md(item.get('sector', {}).get('subsector') or 'not financial')} · "
           f"{item['pages']} pages · overall maturity {md(level_label(item.get('overall')))} · "
           f"{item.get('reviews', 0)} decision(s) so far")
ocr_pages = {p["page"]: p["confidence"] for p in item.get("pages_ocr") or []}
if ocr_pages:
    st.info(f"{len(ocr_pages)} page(s) had no usable text layer and were read by OCR: "
            + ", ".join(f"p. {page} ({confidence:.0f}%)" for page, confidence in sorted(ocr_pages.items()))
            + ". Evidence from them is marked.", icon=":material/document_scanner:")


def decide(kind: str, target: str, decision: str, previous, new=None, comment: str = "", text: str | None = None) -> None:
    if not reviewer:
        st.session_state["review_error"] = True
        return
    with Store(db_url()) as store:
        store.add_review(item["doc_id"], kind, target, decision, reviewer=reviewer,
                         previous_value=None if previous is None else str(previous),
                         new_value=None if new is None else str(new), comment=comment, text=text)


with Store(db_url()) as _store:
    # Latest decision per evidence sentence: shown on its buttons; exported as training examples.
    sentence_decisions = {r["target_id"]: r["decision"] for r in _store.reviews(item["doc_id"])
                          if r["target_kind"] == "evidence"}


if st.session_state.pop("review_error", None):
    st.error("Your sign-in has ended: sign in again before recording a decision.")


def show_evidence(evidence: list[dict], key: str, element: str | None = None) -> None:
    """Quotes with their page; with ``element``, small confirm/reject buttons beside each quote
    record whether that sentence is evidence of the element (a training example)."""
    for n, ev in enumerate(evidence[:6]):
        if element is None:
            st.markdown(f"> {md(ev['text'])}")
        else:
            target = evidence_target(element, int(ev.get("sentence_index", 0)), ev["text"])
            state = sentence_decisions.get(target)
            quote, yes, no = st.columns([14, 1, 1], vertical_alignment="center")
            quote.markdown(f"> {md(ev['text'])}")
            yes.button(":material/check:", key=f"{key}-ev-ok-{n}", help="This sentence is evidence of the element",
                       type="primary" if state == "confirm" else "tertiary", on_click=decide,
                       args=("evidence", target, "confirm", None), kwargs={"text": ev["text"]})
            no.button(":material/close:", key=f"{key}-ev-no-{n}", help="This sentence is not evidence of the element",
                      type="primary" if state == "reject" else "tertiary", on_click=decide,
                      args=("evidence", target, "reject", None), kwargs={"text": ev["text"]})
        found_by = " + ".join(ev["found_by"]) if ev.get("found_by") else ev.get("classifier") or ev.get("source")
        extra = " · ".join(md(x) for x in (ev.get("status"), found_by,
                                            f"score {ev['score']:.2f}" if "score" in ev else None) if x)
        ocr = ocr_pages.get(ev["page"]) if ev.get("ocr") else None
        if ev.get("ocr"):
            st.caption(f":orange-badge[read by OCR] page {ev['page']} had no usable text layer; the words were read "
                       f"from its image{f' (mean confidence {ocr:.0f}%)' if ocr is not None else ''}: check the quote "
                       "against the page.")
        st.caption(f"page {int(ev['page'])} · {extra}")
        if Path(item["document"]).is_file() and st.toggle("Show on page", key=f"{key}-page-{n}"):
            from disclosure_check.highlight import page_image

            st.image(page_image(item["document"], ev["page"], [ev["text"]], boxes=ev.get("boxes") or None),
                     width="stretch")


def decision_row(kind: str, target: str, current, *, levels: bool = False) -> None:
    """Confirm / reject buttons, a level picker for criteria, and a comment, keyed per document."""
    key = f"{item['doc_id'][:12]}-{kind}-{target}"
    cols = st.columns([1, 1, 2, 3])
    comment = cols[3].text_input("Comment", key=f"c-{key}", label_visibility="collapsed",
                                 placeholder="Comment (optional)")
    cols[0].button("Confirm", key=f"ok-{key}", on_click=decide, args=(kind, target, "confirm", current),
                   kwargs={"comment": comment})
    cols[1].button("Reject", key=f"no-{key}", on_click=decide, args=(kind, target, "reject", current),
                   kwargs={"comment": comment})
    if levels:
        def adjust() -> None:
            decide(kind, target, "adjust", current, st.session_state[f"lv-{key}"], st.session_state.get(f"c-{key}", ""))

        options = scale_levels()
        index = options.index(int(current)) if current is not None and int(current) in options else 0
        cols[2].selectbox("Level", options, index=index, key=f"lv-{key}", format_func=level_label,
                          label_visibility="collapsed", on_change=adjust)


tabs = st.tabs(["Statutory", "Criteria and themes", "Disclosure elements", "Audit trail"])
with tabs[0]:
    statutory = item.get("statutory")
    if not statutory:
        st.write("No statutory gate for this document type.")
    else:
        for check in statutory["checks"]:
            state = check.get("state") or ("met" if check["met"] else "not_met")
            icon = {"met": ":material/check_circle:", "not_explicit": ":material/help:"}.get(state, ":material/cancel:")
            with st.expander(f"{icon} {md(check['name'])}{' (not explicit)' if state == 'not_explicit' else ''}"
                             f"{' (reviewed: ' + md(check['reviewed']) + ')' if check.get('reviewed') else ''}"):
                st.caption(md(check["requirement"]))
                if check.get("reason"):
                    st.write(md(check["reason"]))
                show_evidence([{**e, "status": None} for e in check["evidence"]], f"g-{check['id']}")
                decision_row("gate", check["id"], check["met"])
with tabs[1]:
    themes = {t.id: t.name for t in rubric().themes}
    criteria = {c.id: c for c in rubric().criteria}
    st.markdown(" · ".join(f"**{md(t['id'])}** {md(level_label(t['level']))}" for t in item.get("themes", [])))
    for c in item.get("criteria", []):
        if not c["applies"]:
            continue
        name = criteria[c["id"]].name if c["id"] in criteria else c["id"]
        mark = f" (reviewed: {md(c['reviewed'])})" if c.get("reviewed") else ""
        with st.expander(f"{md(c['id'])} {md(name)}: {md(level_label(c['level']))}{mark}"):
            st.caption(f"Theme {md(c['theme'])} {md(themes.get(c['theme'], ''))}")
            for flag in c.get("flags", []):
                st.warning(md(flag))
            show_evidence(c["evidence"], f"c-{c['id']}")
            decision_row("criterion", c["id"], c["level"], levels=True)
with tabs[2]:
    names = {e.id: e.name for e in rubric().elements}
    for element, entry in item["elements"].items():
        mark = f" (reviewed: {md(entry['reviewed'])})" if entry.get("reviewed") else ""
        with st.expander(f"{':material/check_circle:' if entry['present'] else ':material/remove:'} "
                         f"{md(names.get(element, element))} (confidence {float(entry['confidence']):.2f}){mark}"):
            for ev in entry.get("negative", []):
                st.warning(f"Negative claim, not counted as evidence (page {int(ev['page'])}): {md(ev['text'])}")
            show_evidence(entry["evidence"] + entry.get("rejected", []), f"e-{element}", element)
            decision_row("element", element, entry["present"])
with tabs[3]:
    with Store(db_url()) as store:
        trail = store.reviews(item["doc_id"])
    if trail:
        st.dataframe([{k: r[k] for k in ("created_at", "reviewer", "target_kind", "target_id", "decision",
                                          "previous_value", "new_value", "comment")} for r in trail],
                     hide_index=True, width="stretch")
    else:
        st.write("No decisions yet.")
