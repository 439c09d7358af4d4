"""Document review: walk a queue, see each finding's evidence on its page, confirm, reject or set a level.

A section (statutory gate, criteria, elements, letter, audit trail) lists its findings on the left;
the chosen finding shows on the right with its decision controls and every quote beside a sharp
crop of its page with the sentence boxed. Section and finding are kept in session state, so a
decision never loses the place. Decisions go to the audit trail (never overwritten); the store
re-scores with them, and every page reads that reviewed truth.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from disclosure_check.assess.decisions import evidence_target, make_decision, overrides
from disclosure_check.assess.identity import organisation_key
from disclosure_check.assess.maturity import supported_level
from disclosure_check.errors import DisclosureCheckError
from disclosure_check.sanitize import clean_line
from disclosure_check.sanitize import escape_markdown as md
from disclosure_check.types import (
    DOC_TYPES,
    JURISDICTIONS,
    SECTOR_CHOICES,
    SUBSECTORS,
    Assessment,
    Identity,
    profile_sector,
)
from ui.auth import reviewer_name
from ui.blind import blind_documents, review_mode
from ui.data import (
    documents_decided_by,
    evidence_png,
    load_scored,
    load_stored,
    open_store,
    rubric,
    unknown_label,
)
from ui.labels import (
    ORIGINS,
    STATUTORY_STATES,
    doc_type_label,
    industry_label,
    jurisdiction_label,
    level_label,
    scale_levels,
    subsector_label,
)

MAX_QUOTES = 6  # per finding: the strongest first; the page images are rendered for these only
STATES = STATUTORY_STATES
STATE_MARK = {"met": "✓", "not_explicit": "?", "not_found": "○", "not_met": "✗"}


def label(code: str) -> str:
    """A code with its name ("C12 Financial-crime detection ..."); a snake_case id (a letter scope,
    an element) by its name alone."""
    name = rubric().name_of(code)
    return name if name and not code[:1].isupper() else rubric().label(code)


st.title("Document review")
table = load_scored()
reviewer = reviewer_name()  # from the sign-in, never typed

# -- the queue: filters, n of N, next unreviewed -------------------------------------------------
nav_area = st.container()  # drawn first (the document picker leads the page); filled after the filters
with st.expander("Queue filters", icon=":material/filter_list:"):
    cols = st.columns(5, vertical_alignment="bottom")
    subsectors = cols[0].multiselect("Financial sub-sector", sorted(table["subsector"].dropna().unique()),
                                     key="rq-subsector")
    doc_types = cols[1].multiselect("Document type", sorted(table["doc_type"].dropna().unique()), key="rq-doctype",
                                    format_func=lambda t: {"letter": "CEO letter"}.get(t, t))
    statutory = cols[2].multiselect("Statutory", [*STATUTORY_STATES, "none"], key="rq-statutory",
                                    format_func=lambda s: {"none": "no gate (CEO letter)"}.get(s, STATES.get(s, s)))
    progress = cols[3].radio("Reviewed", ["all", "not reviewed", "reviewed"], horizontal=True, key="rq-reviewed")
    mine = cols[4].toggle("Only documents I decided on", key="rq-mine", disabled=not reviewer)

queue = table.sort_values(["organisation", "year", "file"], key=lambda c: c.astype(str))  # a stable order
if subsectors:
    queue = queue[queue["subsector"].isin(subsectors)]
if doc_types:
    queue = queue[queue["doc_type"].isin(doc_types)]
if statutory:
    queue = queue[queue["statutory_state"].fillna("none").isin(statutory)]
if progress != "all":
    queue = queue[queue["reviewed"] == (progress == "reviewed")]
if mine and reviewer:
    queue = queue[queue["doc_id"].isin(documents_decided_by(reviewer))]

all_ids = table["doc_id"].tolist()
ids = queue["doc_id"].tolist()
# A document chosen elsewhere: a link (review?doc=<doc_id>) or the overview's click-through
# (st.session_state["review_doc"]); otherwise the one open before, else the queue's first.
linked = st.query_params.get("doc")
if linked and linked != st.session_state.get("review-linked") and linked in all_ids:
    st.session_state["review_doc"] = linked
st.session_state["review-linked"] = linked
current = st.session_state.get("review_doc") or st.session_state.get("review-kept")
if current not in all_ids:
    current = ids[0] if ids else all_ids[0]
st.session_state["review_doc"] = current
options = ids if current in ids else [current, *ids]  # the open document stays listed when filtered out
position = options.index(current)


def go(doc_id: str) -> None:
    st.session_state["review_doc"] = doc_id


def next_unreviewed() -> None:
    with open_store() as store:  # as it is now, not as the page was drawn (a colleague may have decided since)
        reviewed = set(store.reviewed_doc_ids())
    following = options[position + 1:] + options[:position]
    target = next((d for d in following if d not in reviewed), None)
    if target is None:
        st.session_state["review-notice"] = "Every document in this queue has a decision."
    else:
        go(target)


blind = blind_documents(reviewer)  # open blind second reviews: no reviewed mark, no reviewer-corrected name
labels = {r.doc_id: clean_line(f"{r.file} (blind second review)" if r.doc_id in blind else
                               f"{'✓ ' if r.reviewed else ''}{r.organisation} "
                               f"{'' if pd.isna(r.year) else int(r.year)} — {r.file}"
                               f"{' (CEO letter)' if r.doc_type == 'letter' else ''}"
                               f"{'' if r.origin == 'batch' else ' (self-assessment)'}")
          for r in table.itertuples()}
with nav_area:
    in_queue = current in ids
    pick_col, count_col = st.columns([6, 1], vertical_alignment="center")
    pick_col.selectbox("Document", options, key="review_doc", format_func=labels.get, label_visibility="collapsed")
    count_col.markdown(f"**{ids.index(current) + 1} of {len(ids)}**" if in_queue
                       else f"not in the filtered queue of {len(ids)}")
    nav = st.columns([1.3, 1.2, 1.7, 3], vertical_alignment="center")
    nav[0].button("◀ Previous", on_click=go, args=(options[position - 1],), width="stretch", shortcut="Alt+P")
    nav[1].button("Next ▶", on_click=go, args=(options[(position + 1) % len(options)],), width="stretch",
                  shortcut="Alt+N")
    nav[2].button("Next unreviewed", on_click=next_unreviewed, width="stretch", shortcut="Alt+U", type="primary")
doc_id = st.session_state["review_doc"]
st.session_state["review-kept"] = doc_id
st.query_params["doc"] = doc_id  # the address names the open document: copy it to share the review
st.session_state["review-linked"] = doc_id
if notice := st.session_state.pop("review-notice", None):
    st.info(md(notice))
if st.session_state.pop("review-error", None):
    st.error("Your sign-in has ended: sign in again before recording a decision.")

stored = load_stored(doc_id)
stored, review_role = review_mode(doc_id, stored, reviewer)  # a blind second review sees only its own decisions
result = stored.result if stored is not None else None
if not isinstance(result, Assessment) or result.maturity is None:
    st.warning("This document has no scored result to review.")
    st.stop()
m = result.maturity
found = overrides(stored.decisions)
letter = m.profile.doc_type == "letter"
row = table[table["doc_id"] == doc_id].iloc[0]
st.caption(f"{md(ORIGINS.get(stored.origin, stored.origin))} · "
           f"{'CEO letter response' if letter else md(m.profile.doc_type)} · "
           f"{md(m.profile.subsector or ('financial' if m.profile.financial else 'not financial'))} · "
           f"{result.pages} pages · overall maturity {md(level_label(m.overall))}"
           f"{' (machine: ' + md(level_label(stored.machine.maturity.overall)) + ')' if isinstance(stored.machine, Assessment) and stored.machine.maturity and stored.machine.maturity.overall != m.overall else ''}"
           f" · {len(stored.decisions)} decision(s) so far")
if m.profile.doc_type == "other":
    st.warning("This does not look like a modern slavery statement (" + md(m.profile.reason("doc_type")) + "). It is "
               "kept and searchable, but not counted in statutory figures, peers or benchmarks. If it is a statement, "
               "say so under *About this document*.", icon=":material/help:")
elif m.profile.section:
    st.info(f"A modern slavery statement inside a longer document: scored from pages {m.profile.section[0]}–"
            f"{m.profile.section[1]}.", icon=":material/menu_book:")
ocr_pages = dict(result.pages_ocr)
if ocr_pages:
    st.info(f"{len(ocr_pages)} page(s) had no usable text layer and were read by OCR: "
            + ", ".join(f"p. {page} ({confidence:.0f}%)" for page, confidence in sorted(ocr_pages.items()))
            + ". Evidence from them is marked.", icon=":material/document_scanner:")
if result.hidden_text:
    st.warning(f"{sum(h.words for h in result.hidden_text)} word(s) in this PDF cannot be seen by a reader and were "
               "left out of scoring (never evidence): "
               + ", ".join(f"p. {h.page} ({h.words}: {md(', '.join(h.how))})" for h in result.hidden_text)
               + ". Hidden text can carry claims the document does not show; look at those pages.",
               icon=":material/visibility_off:")


# -- decisions --------------------------------------------------------------------------------------
def record(kind: str, target: str, decision: str, *, what: str, previous=None, level_key: str | None = None,
           comment_key: str | None = None, text: str | None = None, value_key: str | None = None) -> None:
    """Store one decision. Runs as a button callback, so the comment and level are read from session
    state as they are when the button is pressed (typed and clicked in one step), not as rendered."""
    name = reviewer_name()
    if not name:
        st.session_state["review-error"] = True
        return
    level = st.session_state.get(level_key) if level_key else None
    comment = (st.session_state.get(comment_key) or "") if comment_key else ""
    try:
        value = st.session_state.get(value_key) if value_key else None
        if isinstance(value, list | tuple):  # the jurisdiction picker: several laws, or none
            value = ";".join(value) or "none"
        made = make_decision(doc_id, f"{kind}:{target}", decision, reviewer=name, level=level, comment=comment,
                             text=text, value=None if value is None else str(value), role=review_role)
        with open_store() as store:
            store.add_decisions([replace(made, previous_value=None if previous is None else str(previous))])
    except DisclosureCheckError as exc:
        st.session_state["review-notice"] = f"Not recorded: {exc.message}"
        return
    if comment_key:
        st.session_state[comment_key] = ""
    said = {"confirm": "confirmed", "reject": "rejected", "set_level": f"set to {level_label(level)}",
            "set_value": f"set to {made.value}"}[decision]
    st.toast(f"{what}: {said}" + (" (with your comment)" if comment else ""), icon=":material/check:")


def decided(kind: str, target: str) -> str:
    d = found.get(kind, target)
    if d is None:
        return ""
    what = f"level {level_label(d.level)}" if d.decision == "set_level" else \
        f"set to {d.value}" if d.decision == "set_value" else d.decision
    return f"Reviewed: {what} by {d.reviewer} ({d.created_at[:16].replace('T', ' ')})" + (
        f": “{d.comment}”" if d.comment else "")


def decision_buttons(kind: str, target: str, what: str, current, *, confirm: str, reject: str | None) -> None:
    """A comment and Confirm / Reject in one form: what is typed goes with the button pressed."""
    key = f"{doc_id[:12]}-{kind}-{target}"
    with st.form(f"form-{key}", border=False, enter_to_submit=False):
        st.text_input("Comment", key=f"c-{key}", placeholder="Comment (optional, stored with the decision)",
                      label_visibility="collapsed")
        cols = st.columns(2 if reject else 1)
        cols[0].form_submit_button(confirm, key=f"ok-{key}", on_click=record, width="stretch",
                                   args=(kind, target, "confirm"),
                                   kwargs={"what": what, "previous": current, "comment_key": f"c-{key}"})
        if reject:
            cols[1].form_submit_button(reject, key=f"no-{key}", on_click=record, width="stretch",
                                       args=(kind, target, "reject"),
                                       kwargs={"what": what, "previous": current, "comment_key": f"c-{key}"})


def level_picker(kind: str, target: str, what: str, current: int, criterion: str | None) -> None:
    """A level picker with what the chosen level means and what the next one needs; nothing is
    recorded until Save (or Confirm, which keeps the current level)."""
    key = f"{doc_id[:12]}-{kind}-{target}"
    levels = scale_levels()
    picked = st.selectbox("Level", levels, index=levels.index(current) if current in levels else 0,
                          key=f"lv-{key}", format_func=level_label)
    meaning = rubric().level_descriptor(criterion, picked) if criterion else rubric().level_descriptor("", picked)
    st.markdown(f"**{md(level_label(picked))}:** {md(meaning)}")
    following = rubric().next_level(picked)
    if following is not None:
        needs = rubric().level_descriptor(criterion, following) if criterion else rubric().level_descriptor("", following)
        st.caption(f"Next, {md(level_label(following))}: {md(needs)}")
    with st.form(f"form-{key}", border=False, enter_to_submit=False):
        st.text_input("Comment", key=f"c-{key}", placeholder="Comment (optional, stored with the decision)",
                      label_visibility="collapsed")
        left, right = st.columns(2)
        left.form_submit_button(f"Confirm {level_label(current)}", key=f"ok-{key}", on_click=record, width="stretch",
                                args=(kind, target, "confirm"),
                                kwargs={"what": what, "previous": current, "comment_key": f"c-{key}"})
        right.form_submit_button("Save level", key=f"save-{key}", on_click=record, width="stretch", type="primary",
                                 args=(kind, target, "set_level"),
                                 kwargs={"what": what, "previous": current, "comment_key": f"c-{key}",
                                         "level_key": f"lv-{key}"})


# -- evidence -------------------------------------------------------------------------------------
def viewer_link(q, finding: str | None) -> dict:
    """The document viewer's address for a quote (``ui/viewer.py``): its page and sentence, or, for a
    quote that carries no sentence index (a statutory check's), its first words to find there."""
    params = {"doc": doc_id, "page": str(int(q.page))}
    index = getattr(q, "sentence_index", None)
    if index is not None and int(index) >= 0:
        params["sentence"] = str(int(index))
    else:
        params["q"] = " ".join(q.text.split()[:10])
    if finding:
        params["finding"] = finding
    return params


def show_quotes(quotes, key: str, element: str | None = None, finding: str | None = None) -> None:
    """Each quote with its page and source, beside a sharp crop of its page with the sentence boxed.
    With ``element``, ✓ / ✗ beside each quote record whether that sentence is evidence of it. Each
    opens the document viewer at its sentence (``finding``: the check or criterion it is quoted for)."""
    if not quotes:
        st.caption("No quotes: nothing in the document supports this.")
        finding = finding or (f"element:{element}" if element else None)
        st.page_link("ui/viewer.py", label="Look for it in the document viewer", icon=":material/find_in_page:",
                     query_params={"doc": doc_id, "page": "1", **({"finding": finding} if finding else {})})
        return
    for q in quotes[:MAX_QUOTES]:
        with st.container(border=True):
            st.markdown(f"> {md(q.text)}")
            source = getattr(q, "source", None) or " + ".join(getattr(q, "found_by", ()) or ()) \
                or getattr(q, "classifier", None)
            status = getattr(q, "status", None)
            score = getattr(q, "score", None)
            added = getattr(q, "classifier", None) == "reviewer" or any(
                getattr(o, "by", "") == "reviewer" for o in getattr(q, "origins", ()))
            if added and getattr(q, "classifier", None) == "reviewer":  # its detail says who added it
                source = score = None
            extra = " · ".join(md(str(x)) for x in (status if status != "implemented" else None, source,
                                                    f"score {score:.2f}" if score is not None else None) if x)
            line, *marks = st.columns([8, 1, 1] if element is not None else [1], vertical_alignment="center")
            line.caption((":green-badge[added by a reviewer] " if added else "") + f"page {int(q.page)}"
                         + (f" · {extra}" if extra else "") + (f" · {md(q.detail)}" if added and getattr(
                             q, "detail", "") else ""))
            line.page_link("ui/viewer.py", label="Open at this sentence", icon=":material/find_in_page:",
                           query_params=viewer_link(q, finding or (f"element:{element}" if element else None)))
            if q.ocr:
                confidence = ocr_pages.get(q.page)
                st.caption(f":orange-badge[read by OCR] page {q.page} had no usable text layer; the words were "
                           f"read from its image{f' (mean confidence {confidence:.0f}%)' if confidence else ''}: "
                           "check the quote against the page.")
            if element is not None:
                target = evidence_target(element, int(q.sentence_index), q.text)
                state = found.get("evidence", target)
                marks[0].button(":material/check:", key=f"{key}-ev-ok-{q.sentence_index}",
                                help="This sentence is evidence of the element",
                                type="primary" if state and state.decision == "confirm" else "secondary",
                                on_click=record, args=("evidence", target, "confirm"),
                                kwargs={"what": "the sentence", "text": q.text})
                marks[1].button(":material/close:", key=f"{key}-ev-no-{q.sentence_index}",
                                help="This sentence is not evidence of the element",
                                type="primary" if state and state.decision == "reject" else "secondary",
                                on_click=record, args=("evidence", target, "reject"),
                                kwargs={"what": "the sentence", "text": q.text})
            # The crop around the sentence at its natural size (a sharp render, never stretched).
            png = evidence_png(doc_id, q.page, q.boxes, q.text)
            if png is None:
                st.caption("The page image is not available: the PDF is no longer where it was scored and no "
                           "copy is stored.")
            else:
                st.image(png, output_format="PNG")
    if len(quotes) > MAX_QUOTES:
        st.caption(f"{len(quotes) - MAX_QUOTES} more quote(s) not shown.")


def pick(section: str, items: list[str], format_func) -> str:
    """The finding chosen in a section, kept per document and section across decisions. The list's
    labels carry each finding's state; the browser keeps a radio's choice by its label, so the
    widget is new whenever a decision changes the labels, and starts on the kept finding."""
    focus_key = f"focus-{doc_id[:12]}-{section}"
    widget = f"pick-{doc_id[:12]}-{section}-{len(stored.decisions)}"
    if st.session_state.get(focus_key) not in items:
        st.session_state[focus_key] = items[0]

    def chosen() -> None:
        st.session_state[focus_key] = st.session_state[widget]

    def step() -> None:
        st.session_state[focus_key] = items[(items.index(st.session_state[focus_key]) + 1) % len(items)]
        st.session_state.pop(widget, None)  # drawn again from the focus

    choice = st.radio("Finding", items, index=items.index(st.session_state[focus_key]), key=widget,
                      on_change=chosen, format_func=format_func, label_visibility="collapsed")
    st.button("Next finding ▼", key=f"{widget}-next", on_click=step, shortcut="Alt+J")
    return choice


# -- sections ------------------------------------------------------------------------------------
SECTIONS = {"about": "About this document", "letter": "CEO letter: scopes and recommendations",
            "statutory": "Statutory gate", "criteria": "Criteria and themes", "elements": "Disclosure elements",
            "trail": f"Audit trail ({len(stored.decisions)})"}
sections = ["about", "letter" if letter else "statutory", "criteria", "elements", "trail"]
if st.session_state.get("review-section") not in sections:
    st.session_state["review-section"] = sections[0] if m.profile.doc_type == "other" else sections[1]
section = st.radio("Section", sections, key="review-section", horizontal=True, format_func=SECTIONS.get,
                   label_visibility="collapsed")


SOURCE_WORDS = {"text": "read from the text", "manifest": "the register's record (manifest)",
                "option": "set for the whole run", "reviewer": "set by a reviewer", "metadata": "PDF metadata",
                "file name": "file name"}


def judgement_rows() -> dict[str, dict]:
    """Each judgement about the document: its value as shown, where it came from, why, its quote,
    and how a reviewer sets it (a picker's choices, or free text)."""
    p, ident = m.profile, result.identity or Identity()
    sector_value = profile_sector(p)
    laws = ";".join(p.jurisdictions) or "none"
    organisation = ident.organisation or unknown_label(ident.suggestion)
    sugg_from = {"text": "the best name in the text, below the threshold at which a name is given",
                 "metadata": "the PDF's metadata", "file name": "the file name"}.get(ident.source("suggestion") or "",
                                                                                    "a fallback")
    return {
        "doc_type": {"name": "Document type", "shown": doc_type_label(p.doc_type), "value": p.doc_type,
                     "source": p.source_of("doc_type"), "reason": p.reason("doc_type"), "quote": p.quote("doc_type"),
                     "choices": list(DOC_TYPES), "format": doc_type_label},
        "organisation": {"name": "Organisation", "shown": organisation,
                         "value": ident.organisation or ident.suggestion or "", "source": ident.source("organisation"),
                         "reason": "" if ident.organisation else (
                             "the text does not name the organisation making the statement clearly enough"
                             + (f"; the suggestion is {sugg_from} (filled in below: check it against the document "
                                "before saving)" if ident.suggestion else "")),
                         "quote": ident.quote("organisation"), "choices": None},
        "company_number": {"name": "Company number", "shown": ident.company_number or "not stated",
                           "value": ident.company_number or "", "source": ident.source("company_number"),
                           "reason": "", "quote": ident.quote("company_number"), "choices": None},
        "year": {"name": "Year (end of the period covered; a letter: its date)",
                 "shown": str(ident.year) if ident.year else "not stated", "value": str(ident.year or ""),
                 "source": ident.source("year"), "reason": "", "quote": ident.quote("year"), "choices": None},
        "sector": {"name": "Sector", "shown": sector_label(p), "value": sector_value, "source": p.source_of("sector"),
                   "reason": p.reason("sector"), "quote": p.quote("sector"), "choices": list(SECTOR_CHOICES),
                   "format": lambda v: subsector_label(v) if v in SUBSECTORS else industry_label(v)},
        "jurisdiction": {"name": "Laws answered", "shown": ", ".join(jurisdiction_label(j) for j in p.jurisdictions)
                         or "none named (the UK Act's wording is shown)", "value": laws,
                         "source": p.source_of("jurisdiction"), "reason": p.reason("jurisdiction"),
                         "quote": p.quote("jurisdiction"), "choices": "laws"},
    }


def sector_label(p) -> str:
    if p.financial:
        return f"financial: {subsector_label(p.subsector)}" if p.subsector else "financial (sub-sector unsure)"
    return industry_label(p.industry or "unknown")


def about_section() -> None:
    rows = judgement_rows()
    st.markdown("What the document is, who wrote it, for when, what kind of firm and which law it answers: each "
                "with where it came from. Correct any of them; the result follows at once (the financial levers "
                "appear or go, peers, benchmarks and exports move).")
    left, right = st.columns([1, 3.6])
    with left:
        chosen = pick("about", list(rows), lambda k: f"{rows[k]['name'].split(' (')[0]}: {rows[k]['shown']}"
                                                     f"{' ●' if found.get('document', k) else ''}")
    j = rows[chosen]
    with right:
        st.subheader(f"{j['name']}: {md(j['shown'])}")
        source = j["source"]
        st.caption(("Source: " + md(SOURCE_WORDS.get(source, source))) if source else "Source: not stated in the text")
        if j["reason"]:
            st.write(f"Why: {md(j['reason'])}")
        if note := decided("document", chosen):
            st.caption(md(note))
        key = f"{doc_id[:12]}-document-{chosen}"
        with st.form(f"form-{key}", border=False, enter_to_submit=False):
            if j["choices"] == "laws":
                st.multiselect("Laws answered", list(JURISDICTIONS), default=list(m.profile.jurisdictions),
                               key=f"v-{key}", format_func=jurisdiction_label, help="Leave empty for none named.")
            elif j["choices"]:
                st.selectbox(j["name"], j["choices"], index=j["choices"].index(j["value"]) if j["value"] in j["choices"]
                             else 0, key=f"v-{key}", format_func=j["format"])
            else:
                st.text_input(j["name"], value=j["value"], key=f"v-{key}")
            st.text_input("Comment", key=f"c-{key}", placeholder="Comment (optional, stored with the decision)",
                          label_visibility="collapsed")
            st.form_submit_button("Save", key=f"save-{key}", on_click=record, type="primary",
                                  args=("document", chosen, "set_value"),
                                  kwargs={"what": j["name"], "previous": j["value"], "comment_key": f"c-{key}",
                                          "value_key": f"v-{key}"})
        machine = stored.machine.maturity.profile if isinstance(stored.machine, Assessment) and \
            stored.machine.maturity else None
        if chosen == "doc_type" and machine is not None and (machine.doc_type == "letter") != letter:
            st.warning("A letter is read for its scopes and recommendations, a statement for its statutory checks: "
                       "the levels now follow from the criteria; score it again to read its own wording for this type.")
            st.button("Score again as " + doc_type_label(m.profile.doc_type), on_click=rescore_as,
                      args=(m.profile.doc_type,), icon=":material/refresh:")
        if j["quote"] is not None:
            show_quotes([j["quote"]], f"about-{chosen}")


def rescore_as(doc_type: str) -> None:
    """Score the document again with the type a reviewer gave (its file, or the stored copy)."""
    import tempfile
    from pathlib import Path

    from disclosure_check.types import Given
    from ui.data import db_url, pdf_source
    from ui.upload import score_upload

    source = pdf_source(db_url(), doc_id)
    if source is None:
        st.session_state["review-notice"] = "Not scored again: the PDF is no longer where it was scored and no copy is kept."
        return
    with tempfile.TemporaryDirectory() as folder:
        path = Path(source) if isinstance(source, str) else Path(folder) / "document.pdf"
        if not isinstance(source, str):
            path.write_bytes(source)
        again = score_upload(path, given=Given(doc_type=doc_type, source="reviewer"))
    if not isinstance(again, Assessment) or again.doc_id != doc_id:
        st.session_state["review-notice"] = "Not scored again: " + (getattr(again, "reason", "") or "the file changed")
        return
    with open_store() as store:
        store.save(replace(again, path=result.path), origin=stored.origin, rubric=rubric())
    st.toast("Scored again as " + doc_type_label(doc_type), icon=":material/check:")


def statutory_section() -> None:
    if letter:  # never reached: a letter opens on its own panel
        return
    state = m.statutory_state
    verdict = {"met": "met", "not_met": "not met (a legal failure)"}.get(state or "", "needs review")
    st.markdown(f"**Statutory verdict: {verdict}** — every check must be met. A check the tool did not find is "
                "*not found*: it needs a reader, and counts as a failure only once a reviewer marks it not met.")
    for flag in m.flags:  # the rubric's claims a reviewer should see (a "no steps taken" statement, ...)
        if any(flag.startswith(f.message) for f in rubric().flags):
            st.warning(md(flag))
    checks = {g.id: g for g in m.gate}
    left, right = st.columns([1, 3.6])
    with left:
        chosen = pick("statutory", list(checks), lambda i: f"{STATE_MARK[checks[i].state]} {checks[i].name}: "
                                                         f"{STATES[checks[i].state]}")
    g = checks[chosen]
    with right:
        st.subheader(f"{g.name}: {STATES[g.state]}")
        st.caption(md(g.requirement))
        if g.reason:
            st.write(f"Why: {md(g.reason)}")
        if note := decided("gate", g.id):
            st.caption(md(note))
        gate_buttons(g)
        if g.state == "not_found":
            not_found_panel(g)
        else:
            show_quotes(list(g.evidence), f"g-{g.id}", finding=f"gate:{g.id}")


def gate_buttons(g) -> None:
    """Two buttons that name the outcome: agreeing with the machine first ("Agree: met", "Agree:
    not met"), then the other outcome ("Mark as not met", "Mark as met"). A check not found or not
    explicit has no machine verdict to agree with: "Mark as met" / "Mark as not met"."""
    key = f"{doc_id[:12]}-gate-{g.id}"
    if g.state == "met":
        buttons = (("Agree: met", "confirm"), ("Mark as not met", "reject"))
    elif g.state == "not_met":
        buttons = (("Agree: not met", "reject"), ("Mark as met", "confirm"))
    else:
        buttons = (("Mark as met", "confirm"), ("Mark as not met", "reject"))
    with st.form(f"form-{key}", border=False, enter_to_submit=False):
        st.text_input("Comment", key=f"c-{key}", placeholder="Comment (optional, stored with the decision)",
                      label_visibility="collapsed")
        cols = st.columns(2)
        for col, (text, decision) in zip(cols, buttons, strict=True):
            col.form_submit_button(text, key=f"{decision}-{key}", on_click=record, width="stretch",
                                   args=("gate", g.id, decision),
                                   kwargs={"what": g.name, "previous": g.state, "comment_key": f"c-{key}"})


def not_found_panel(g) -> None:
    """Nothing was found: the nearest sentences (each on its page) and a viewer of every page, so a
    reader can find what the machine missed."""
    if g.candidates:
        st.markdown("**Nearest sentences** (none of them meets the check as read; one may on a closer look):")
        show_quotes(list(g.candidates), f"gc-{g.id}", finding=f"gate:{g.id}")
    else:
        st.caption("No sentence comes close. Read the pages below.")
    pages = int(result.pages or 0)
    if pages < 1:
        return
    decide = {c.id: c.decide for c in rubric().gate}.get(g.id)
    default = pages if decide == "signature" else 1  # a signature is at the end, a title at the start
    st.page_link("ui/viewer.py", label="Open the document viewer (every page, find in document, re-point evidence)",
                 icon=":material/find_in_page:",
                 query_params={"doc": doc_id, "page": str(default), "finding": f"gate:{g.id}"})
    page = st.number_input(f"Page (of {pages})", min_value=1, max_value=pages, value=default, step=1,
                           key=f"viewer-{doc_id[:12]}-{g.id}")
    png = evidence_png(doc_id, int(page), None, "")
    if png is None:
        st.caption("The page image is not available: the PDF is no longer where it was scored and no copy is stored.")
    else:
        st.image(png, output_format="PNG")


def criteria_section() -> None:
    st.markdown(" · ".join(f"**{md(label(t.id))}** {md(level_label(t.level))}" for t in m.themes
                           if t.level is not None))
    applying = {c.id: c for c in m.criteria if c.applies}
    machine = {c.id: c.level for c in stored.machine.maturity.criteria} if isinstance(stored.machine, Assessment) \
        and stored.machine.maturity else {}
    left, right = st.columns([1, 3.6])
    with left:
        chosen = pick("criteria", list(applying), lambda i: f"{label(i)}: {level_label(applying[i].level)}"
                                                            f"{' ●' if found.get('criterion', i) else ''}")
    c = applying[chosen]
    with right:
        st.subheader(f"{label(c.id)}: {level_label(c.level)}")
        st.caption(f"Theme {md(label(c.theme))}" + (f" · machine level {md(level_label(machine[c.id]))}"
                                                    if machine.get(c.id, c.level) != c.level else ""))
        for flag in c.flags:
            st.warning(md(flag))
        if note := decided("criterion", c.id):
            st.caption(md(note))
        level_picker("criterion", c.id, label(c.id), c.level, c.id)
        # The quotes that carry the level first; the weaker ones only on request (fewer when unsure).
        carrying, weaker = split_quotes(c)
        show_quotes(carrying, f"c-{c.id}", finding=f"criterion:{c.id}")
        if weaker:
            with st.expander(f"{len(weaker)} weaker quote(s), below this level"):
                show_quotes(weaker, f"cw-{c.id}", finding=f"criterion:{c.id}")


def split_quotes(c) -> tuple[list, list]:
    """A criterion's quotes that support its level (at most three), and the rest."""
    cap = rubric().role_level("planned_cap")
    supports = [e for e in c.evidence if e.status != "negative" and supported_level(e, cap) >= c.level]
    top = supports[:3]
    return top, [e for e in c.evidence if e not in top]


def element_name(element: str) -> str:
    return next((e.name for e in rubric().elements if e.id == element), element)


def elements_section() -> None:
    elements = {e.element: e for e in result.elements}
    machine = {e.element: e.present for e in stored.machine.elements} if isinstance(stored.machine, Assessment) else {}
    left, right = st.columns([1, 3.6])
    with left:
        chosen = pick("elements", list(elements), lambda i: f"{'✓' if elements[i].present else '–'} "
                                                            f"{element_name(i)}"
                                                            f"{' ●' if found.get('element', i) else ''}")
    e = elements[chosen]
    with right:
        st.subheader(f"{element_name(e.element)}: {'present' if e.present else 'absent'}")
        st.caption(f"element {md(e.element)} ({md(rubric().name_of(e.element))}) · confidence {e.confidence:.2f}"
                   + (f" · machine: {'present' if machine[e.element] else 'absent'}"
                      if machine.get(e.element, e.present) != e.present else ""))
        if note := decided("element", e.element):
            st.caption(md(note))
        decision_buttons("element", e.element, element_name(e.element), e.present,
                         confirm="Confirm: present", reject="Reject: absent")
        for ev in e.negative:
            st.warning(f"Negative claim, not counted as evidence (page {int(ev.page)}): {md(ev.text)}")
        show_quotes(list(e.evidence), f"e-{e.element}", e.element)
        if e.rejected:
            st.caption(f"Rejected by a reviewer, supports nothing: {len(e.rejected)} sentence(s)")
            show_quotes(list(e.rejected), f"e-{e.element}-rejected", e.element)


def latest_statement():
    """The same firm's latest scored statement (same organisation key, doc_type statement)."""
    key = row["organisation_key"] or organisation_key(str(row["organisation"]))
    same = table[(table["organisation_key"] == key) & (table["doc_type"] == "statement")
                 & (table["doc_id"] != doc_id)]
    if same.empty:
        return None
    best = same.sort_values(["year", "scored_at"], ascending=False, na_position="last").iloc[0]
    found_stored = load_stored(best["doc_id"])
    return found_stored if found_stored is not None and isinstance(found_stored.result, Assessment) else None


def letter_section() -> None:
    st.info("This is a CEO letter response: the statutory gate applies to statements, not letters. The "
            "letter is read for its four scopes and the CEO review's five recommendations.",
            icon=":material/mail:")
    items = {i.id: i for i in m.letter}
    scopes = [i for i in m.letter if i.kind == "scope"]
    recommendations = [i for i in m.letter if i.kind == "recommendation"]
    answers = {s.id: [r.id for r in recommendations if set(r.criteria) & set(s.criteria)] for s in scopes}
    statement = latest_statement()
    theirs = ({c.id: c.level for c in statement.result.maturity.criteria if c.applies}
              if statement is not None and statement.result.maturity else {})
    if statement is not None:
        st.markdown(f"Beside the same firm's latest statement: **{md(statement.organisation or '')} "
                    f"{statement.year or ''}** ({md(statement.result.path.rsplit('/', 1)[-1])}), overall "
                    f"{md(level_label(statement.result.maturity.overall))}.")
    else:
        st.caption("No statement from the same organisation is stored to set beside this letter.")
    rows = []
    for s in scopes:
        rows.append({"scope": label(s.id), "letter level": level_label(s.level),
                     "statement level": level_label(max((theirs[c] for c in s.criteria if c in theirs), default=None))
                     if theirs else "–",
                     "answers recommendation(s)": ", ".join(label(r) for r in answers[s.id]) or "–",
                     "criteria": ", ".join(label(c) for c in s.criteria)})
    st.dataframe(rows, hide_index=True, width="stretch")
    st.dataframe([{"recommendation": label(r.id), "letter level": level_label(r.level),
                   "criteria": ", ".join(label(c) for c in r.criteria)} for r in recommendations],
                 hide_index=True, width="stretch")
    left, right = st.columns([1, 3.6])
    with left:
        chosen = pick("letter", list(items), lambda i: f"{'Scope' if items[i].kind == 'scope' else 'Rec.'} "
                                                       f"{label(i)}: {level_label(items[i].level)}"
                                                       f"{' ●' if found.get('letter', i) else ''}")
    item = items[chosen]
    with right:
        st.subheader(f"{label(item.id)}: {level_label(item.level)}")
        if item.kind == "scope":
            st.caption("Answers " + (", ".join(md(label(r)) for r in answers[item.id]) or "no recommendation"))
        else:
            answering = [md(label(s.id)) for s in scopes if set(s.criteria) & set(item.criteria)]
            st.caption("Answered by the scope(s) " + ", ".join(answering) if answering
                       else "No scope reads the same criteria.")
        mine_levels = {c.id: c.level for c in m.criteria}
        st.dataframe([{"criterion": label(c), "letter": level_label(mine_levels.get(c)),
                       "latest statement": level_label(theirs.get(c)) if theirs else "–"} for c in item.criteria],
                     hide_index=True, width="stretch")
        if note := decided("letter", item.id):
            st.caption(md(note))
        level_picker("letter", item.id, label(item.id), item.level, None)
        show_quotes(list(item.evidence), f"l-{item.id}")


def trail_section() -> None:
    if not stored.decisions:
        st.write("No decisions yet.")
        return
    st.dataframe([{"when": d.created_at, "who": d.reviewer, "target": f"{d.kind}: {label(d.target_id.split(':')[0])}",
                   "decision": d.decision, "level": level_label(d.level) if d.level is not None else d.value or "",
                   "comment": d.comment, "sentence": d.text or ""} for d in stored.decisions],
                 hide_index=True, width="stretch")


{"about": about_section, "letter": letter_section, "statutory": statutory_section, "criteria": criteria_section,
 "elements": elements_section, "trail": trail_section}[section]()
