"""Document viewer: every page of a stored document with the sentences of every finding marked,
find-in-document, and re-pointing evidence to the right sentence.

Each sentence a finding quotes (a statutory check, a disclosure element, a criterion) is boxed on
its page in the colour of its kind (legend beside the page) and numbered; the list beside the page
says which finding(s) each number belongs to. Sentences a reviewer added are green. Pages: Previous
/ Next, a page number, or a jump to the pages with findings. Find in document lists every sentence
that contains the words typed, with its page; a hit opens its page with the sentence boxed.
Re-point evidence: choose an element and a sentence on the page, and record that the sentence is
its evidence (optionally rejecting the machine's): a decision in the audit trail, applied like
every other (``assess.decisions``: an evidence confirm with the sentence's location).

Links (others build them; keep this contract):
``/viewer?doc=<doc_id>&page=<n>&sentence=<sentence index>&q=<find text>&finding=<kind>:<id>``.
Every parameter but ``doc`` is optional: ``page`` the page to open (default: the sentence's page,
else 1); ``sentence`` a sentence index, boxed and picked for re-pointing; ``q`` filled into Find in
document (with a page and no sentence, the first hit on that page is boxed); ``finding``
(``element:<id>``, ``gate:<check>``, ``criterion:<id>``) the element re-pointing starts on. The
address follows the page shown, so it can be copied to share the view.
"""

from __future__ import annotations

import io

import streamlit as st

from disclosure_check.assess.decisions import evidence_location, evidence_target, make_decision
from disclosure_check.errors import DisclosureCheckError
from disclosure_check.present.viewer import (
    COLOURS,
    KIND_NAMES,
    KIND_ORDER,
    find_sentences,
    finding_marks,
    misaligned,
    page_marks,
    page_sentences,
    pages_with_findings,
)
from disclosure_check.sanitize import clean_line
from disclosure_check.sanitize import escape_markdown as md
from disclosure_check.types import Assessment
from ui.auth import reviewer_name
from ui.blind import assigned_view
from ui.data import db_url, load_scored, load_stored, open_review, open_store, pdf_source, rubric

MAX_HITS = 60  # hits listed as buttons; the count says how many there are
RESOLUTION = 120  # dpi of the page image
SHOWN = {"gate": "statutory checks", "element": "disclosure elements", "criterion": "criteria",
         "added": "added by a reviewer"}
LEGEND = {"added": "added", "gate": "statutory check", "element": "element", "criterion": "criterion",
          "hit": "find hit", "chosen": "opened / picked"}
BADGE = {"added": "green", "gate": "red", "element": "blue", "criterion": "violet", "hit": "orange", "chosen": "gray"}


@st.cache_data(show_spinner="Reading the document's sentences…", max_entries=16)
def _sentences(url: str, doc_id: str, results_version: tuple):
    """(the document's sentences as scored, or None; why not)."""
    from disclosure_check.present.viewer import document_sentences

    stored = load_stored(doc_id)
    machine = stored.machine if stored is not None else None
    if not isinstance(machine, Assessment):
        return None, "the document has no scored result"
    source = pdf_source(url, doc_id)
    if source is None:
        return None, "the PDF is no longer where it was scored and no copy is stored"
    try:
        return document_sentences(source, machine), ""
    except DisclosureCheckError as exc:
        return None, exc.message


@st.cache_data(show_spinner=False, max_entries=64)
def _page_png(url: str, doc_id: str, page: int, marks: tuple, results_version: tuple) -> bytes | None:
    import pypdfium2 as pdfium

    from disclosure_check.present.highlight import marked_page

    source = pdf_source(url, doc_id)
    if source is None:
        return None
    try:
        image = marked_page(source, page, marks, resolution=RESOLUTION)
    except (pdfium.PdfiumError, OSError):  # e.g. a PDF scored with its password: PDFium will not draw it
        return None
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def versions() -> tuple:
    with open_store() as store:
        return store.versions()[0]


def finding_label(kind: str, finding: str) -> str:
    r = rubric()
    if kind == "gate":
        return next((f"{g.name} (statutory check)" for g in r.gate if g.id == finding), finding)
    if kind == "element":
        return next((f"{e.name} (element)" for e in r.elements if e.id == finding), finding)
    return r.label(finding)


def snippet(text: str, width: int = 140) -> str:
    text = clean_line(text)
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def as_int(value, default: int | None = None) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return default


TABS = ("Marked sentences", "Find in document", "Re-point evidence")

st.title("Document viewer")
table = load_scored()
labels = {r.doc_id: clean_line(f"{r.organisation} {'' if r.year != r.year or r.year is None else int(r.year)} — "
                               f"{r.file}") for r in table.itertuples()}
ids = list(labels)

# -- a link: apply its parameters once (a rerun keeps what the reviewer did since) ------------------
params = {k: st.query_params.get(k) for k in ("doc", "page", "sentence", "q", "finding")}
linked = tuple(params.values())
if linked != st.session_state.get("viewer-linked"):
    st.session_state["viewer-linked"] = linked
    if params["doc"] in labels:
        st.session_state["viewer-doc"] = params["doc"]
        st.session_state["viewer-page"] = as_int(params["page"], 0) or 0  # 0: the sentence's page, else 1
        st.session_state["viewer-sentence"] = as_int(params["sentence"])
        st.session_state["viewer-q"] = params["q"] or ""
        st.session_state["viewer-finding"] = params["finding"] or ""
        if params["finding"]:
            st.session_state.pop("viewer-rp-element", None)  # re-pointing starts on the link's finding
        st.session_state["viewer-from-link"] = True
        # a link opens the tab it is about: its search, else the finding it came from, else the marks
        st.session_state["viewer-tab"] = TABS[1] if params["q"] else TABS[2] if params["finding"] else TABS[0]
if st.session_state.get("viewer-doc") not in labels:
    st.session_state["viewer-doc"] = ids[0]


def changed_document() -> None:
    st.session_state.update({"viewer-page": 1, "viewer-sentence": None, "viewer-q": "", "viewer-finding": ""})


st.selectbox("Document", ids, key="viewer-doc", format_func=labels.get, on_change=changed_document)
doc_id = st.session_state["viewer-doc"]
# In an open blind second review the viewer shows what the review page shows: the machine's result with
# the reviewer's own decisions only, and records re-pointing with the second review's role.
stored, assigned_role = assigned_view(doc_id, load_stored(doc_id), reviewer_name())
review_role = "second" if assigned_role == "second" else "first"
if review_role == "second":
    st.info("**Blind second review**: the marks are the machine's and your own decisions; the first reviewer's "
            "stay hidden until you submit the review on the review page.", icon=":material/visibility_off:")
result = stored.result if stored is not None else None
if not isinstance(result, Assessment):
    st.warning("This document has no scored result to show.")
    st.stop()
pages = max(int(result.pages or 0), 1)
url = db_url()
sentences, why_not = _sentences(url, doc_id, versions())
by_index = {s.index: s for s in sentences or ()}
marks = finding_marks(result)
with_findings = pages_with_findings(marks)

# Where to open: the link's page, else its sentence's page, else 1; a link's q with a page boxes its first hit there.
if not st.session_state.get("viewer-page"):
    chosen = by_index.get(st.session_state.get("viewer-sentence"))
    st.session_state["viewer-page"] = chosen.page if chosen else 1
st.session_state["viewer-page"] = min(max(int(st.session_state["viewer-page"]), 1), pages)
query = st.session_state.get("viewer-q") or ""
hits = find_sentences(sentences, query) if sentences and query.strip() else []
if st.session_state.pop("viewer-from-link", False) and st.session_state.get("viewer-sentence") is None and hits:
    on_page = [h for h in hits if h.page == st.session_state["viewer-page"]]
    if on_page:
        st.session_state["viewer-sentence"] = on_page[0].index


def go(page: int, sentence: int | None = None) -> None:
    st.session_state["viewer-page"] = min(max(page, 1), pages)
    st.session_state["viewer-sentence"] = sentence


def jumped() -> None:
    picked = st.session_state.get("viewer-jump")
    if picked:
        go(int(picked))
    st.session_state["viewer-jump"] = None


page = st.session_state["viewer-page"]
nav = st.columns([1, 1.4, 1, 5], vertical_alignment="bottom")
nav[0].button("◀ Previous", on_click=go, args=(page - 1,), disabled=page <= 1, width="stretch", key="viewer-prev")
nav[1].number_input(f"Page (of {pages})", min_value=1, max_value=pages, step=1, key="viewer-page")
nav[2].button("Next ▶", on_click=go, args=(page + 1,), disabled=page >= pages, width="stretch", key="viewer-next")
nav[3].selectbox("Jump to a page with findings", [None, *with_findings], key="viewer-jump", on_change=jumped,
                 format_func=lambda p: "choose a page…" if p is None else
                 f"page {p}: {with_findings[p]} marked sentence(s)")
page = st.session_state["viewer-page"]
st.query_params.update({"doc": doc_id, "page": str(page)})
for name in ("sentence", "q", "finding"):
    value = {"sentence": st.session_state.get("viewer-sentence"), "q": query.strip(),
             "finding": st.session_state.get("viewer-finding")}[name]
    if value is None or value == "":
        st.query_params.pop(name, None)
    else:
        st.query_params[name] = str(value)
st.session_state["viewer-linked"] = tuple(st.query_params.get(k) for k in ("doc", "page", "sentence", "q", "finding"))
if notice := st.session_state.pop("viewer-notice", None):
    st.info(md(notice))

left, right = st.columns([3, 2], gap="medium")
with right:
    marked_tab, find_tab, repoint_tab = st.tabs(TABS, key="viewer-tab", default=TABS[0], on_change="rerun")

# -- beside the page: what is marked, find in document, re-point ------------------------------------------
with marked_tab:
    st.markdown(" ".join(f":{BADGE[k]}-background[{LEGEND[k]}]" for k in (*KIND_ORDER, "hit", "chosen")),
                help=" · ".join(f"{LEGEND[k]}: {KIND_NAMES[k]}" for k in (*KIND_ORDER, "hit", "chosen"))
                + ". A sentence of several kinds takes the first colour in this order.")
    shown = st.pills("Show", list(SHOWN), selection_mode="multi", default=list(SHOWN), format_func=SHOWN.get,
                     key="viewer-kinds")
    findings = sorted({(f.kind, f.id) for mk in marks for f in mk.findings},
                      key=lambda f: (KIND_ORDER.index(f[0]), f[1]))
    only = st.selectbox("Finding", [None, *findings], key="viewer-only",
                        format_func=lambda f: "every finding" if f is None else finding_label(*f),
                        help="Mark one finding's sentences only; the pages list then counts its sentences.")
    here = page_marks(marks, page, kinds=shown, finding=only)
    if only is not None:
        own = pages_with_findings([mk for mk in marks if any((f.kind, f.id) == only for f in mk.findings)])
        st.caption("Its sentences are on page(s) " + (", ".join(str(p) for p in own) or "none") + ".")

    st.markdown(f"**Page {page}: {len(here)} marked sentence(s)**")
    for number, mk in enumerate(here, start=1):
        names = "; ".join(md(finding_label(f.kind, f.id)) + (" (added by a reviewer)" if f.added else "")
                          for f in mk.findings)
        st.markdown(f":{BADGE[mk.kind]}-background[**{number}**] {names}  \n“{md(snippet(mk.text, 220))}”")

with find_tab:
    st.text_input("Find in document", key="viewer-q", placeholder='words, e.g. survivors, traffick* or "due diligence"',
                  label_visibility="collapsed")
    st.caption('As keyword search: a word also finds its other endings (survivors: survivor), `word*` any word '
               'that begins so, "quoted words" exactly; a sentence must match every term.')
    if query.strip() and sentences is None:
        st.caption(f"Find needs the document's sentences: {md(why_not)}.")
    elif query.strip():
        on = sorted({h.page for h in hits})
        st.caption(f"{len(hits)} sentence(s) contain “{md(query.strip())}”"
                   + (f", on page(s) {', '.join(str(p) for p in on)}" if on else "")
                   + (f"; the first {MAX_HITS} are listed" if len(hits) > MAX_HITS else "") + ".")
        for hit in hits[:MAX_HITS]:
            st.button(f"p. {hit.page} — {md(snippet(hit.text, 110))}", key=f"viewer-hit-{hit.index}", on_click=go,
                      args=(hit.page, hit.index), width="stretch",
                      type="primary" if hit.index == st.session_state.get("viewer-sentence") else "secondary")

# -- the page -------------------------------------------------------------------------------------------------
chosen = by_index.get(st.session_state.get("viewer-sentence"))
drawn = [(COLOURS[mk.kind], tuple(tuple(b.to_list()) for b in mk.boxes), str(n)) for n, mk in enumerate(here, 1)]
drawn += [(COLOURS["hit"], tuple(tuple(b.to_list()) for b in h.boxes), "") for h in hits if h is not chosen
          and page in {b.page for b in h.boxes}]
if chosen is not None:
    drawn.append((COLOURS["chosen"], tuple(tuple(b.to_list()) for b in chosen.boxes), ""))
with left:
    png = _page_png(url, doc_id, page, tuple(drawn), versions())
    if png is None:
        st.warning("The page image is not available: the PDF is no longer where it was scored and no copy is "
                   "stored. The marked sentences are listed beside it.")
    else:
        st.image(png, output_format="PNG", width="stretch",
                 caption=f"Page {page} of {pages}" + (f" · sentence {chosen.index} boxed in grey" if chosen and
                                                      page in {b.page for b in chosen.boxes} else ""))


# -- re-point evidence ------------------------------------------------------------------------------------------
def start_element() -> str | None:
    """The element a link's ``finding`` names, or the one its check or criterion rests on."""
    kind, _, name = (st.session_state.get("viewer-finding") or "").partition(":")
    r = rubric()
    if kind == "element":
        return name
    if kind == "gate":
        return next((g.element for g in r.gate if g.id == name), None)
    if kind == "criterion":
        return next((c.elements[0] for c in r.criteria if c.id == name and c.elements), None)
    return None


def record(element: str, sentence_index: int, rejects: list[int], comment_key: str) -> None:
    name = reviewer_name()
    if not name:
        st.session_state["viewer-notice"] = "Not recorded: sign in again before recording a decision."
        return
    s = by_index[sentence_index]
    comment = st.session_state.get(comment_key) or ""
    current = {ev.sentence_index: ev for e in result.elements if e.element == element for ev in e.evidence}
    try:
        made = [make_decision(doc_id, f"evidence:{evidence_target(element, s.index, s.text)}", "confirm",
                              reviewer=name, comment=comment, text=s.text, value=evidence_location(s.page, s.boxes),
                              role=review_role)]
        made += [make_decision(doc_id, f"evidence:{evidence_target(element, i, current[i].text)}", "reject",
                               reviewer=name, comment=comment or f"re-pointed to sentence {s.index}",
                               text=current[i].text, role=review_role) for i in rejects if i in current]
        with open_store() as store:
            store.add_decisions(made)
    except DisclosureCheckError as exc:
        st.session_state["viewer-notice"] = f"Not recorded: {exc.message}"
        return
    st.session_state[comment_key] = ""
    st.session_state["viewer-notice"] = (f"Recorded: sentence {s.index} (page {s.page}) is evidence of "
                                         f"{finding_label('element', element)}"
                                         + (f"; {len(made) - 1} of the machine's sentence(s) rejected" if rejects else "")
                                         + ". The review page and exports show it.")


with repoint_tab:
    st.caption("Pick the element and the sentence on this page that is its evidence. Recorded as a decision in "
               "the audit trail; the checks and criteria resting on the element follow.")
    if sentences is None:
        st.caption(f"Re-pointing needs the document's sentences: {md(why_not)}.")
    else:
        if misaligned(sentences, result):
            st.warning("The sentences read again from the PDF differ from those scored (another version of the "
                       "extraction?): score the document again before re-pointing evidence.")
        elements = {e.element: e for e in result.elements}
        ids_el = [e.id for e in rubric().elements if e.id in elements]
        if st.session_state.get("viewer-rp-element") not in ids_el:
            first = start_element()
            st.session_state["viewer-rp-element"] = first if first in ids_el else ids_el[0]
        element = st.selectbox("Element", ids_el, key="viewer-rp-element",
                               format_func=lambda i: f"{finding_label('element', i)}: "
                                                     f"{'present' if elements[i].present else 'absent'}, "
                                                     f"{len(elements[i].evidence)} sentence(s)")
        on_page = page_sentences(sentences, page)
        options = [s.index for s in on_page]
        picked_key = f"viewer-rp-sentence-{page}"
        if chosen is not None and chosen.index in options:
            st.session_state[picked_key] = chosen.index
        if not options:
            st.caption("No sentence was read on this page.")
        else:
            def picked() -> None:
                st.session_state["viewer-sentence"] = st.session_state[picked_key]

            index = st.selectbox("Sentence on this page", options, key=picked_key, on_change=picked,
                                 format_func=lambda i: f"#{i}: {snippet(by_index[i].text, 120)}",
                                 help="The sentence picked is boxed in grey on the page.")
            taken = {ev.sentence_index for ev in elements[element].evidence}
            machine = [ev for ev in elements[element].evidence if ev.classifier != "reviewer"]
            rejects = st.multiselect("Also reject the machine's sentence(s) for this element",
                                     [ev.sentence_index for ev in machine], key=f"viewer-rp-reject-{element}",
                                     format_func=lambda i: f"p. {by_index[i].page if i in by_index else '?'} "
                                                           f"#{i}: {snippet(next(ev.text for ev in machine if ev.sentence_index == i), 90)}")
            comment_key = "viewer-rp-comment"
            st.text_input("Comment", key=comment_key, placeholder="Comment (optional, stored with the decision)",
                          label_visibility="collapsed")
            already = index in taken
            st.button(f"Add as evidence of {finding_label('element', element).removesuffix(' (element)')}",
                      key="viewer-rp-add", type="primary", disabled=already or not reviewer_name(),
                      on_click=record, args=(element, index, rejects, comment_key), width="stretch",
                      help="Already evidence of this element" if already else
                      "Recorded in the audit trail as an evidence decision, with the sentence and its place")
            if already:
                st.caption("This sentence is already evidence of this element.")
    if st.button("Open this document's review", key="viewer-review", icon=":material/fact_check:"):
        open_review(doc_id)
