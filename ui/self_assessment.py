"""Self-assessment: a business uploads its statement and sees what the law asks first, then its levels,
every gap with what to do, and the sentences that earned each level.

Nothing uploaded is stored unless the business shares it; a share waits in a queue until
Commission staff accept it ("Shared statements"), and never replaces a batch-scored record.
"""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path

import pandas as pd
import streamlit as st

from disclosure_check.assess.decisions import apply_given
from disclosure_check.errors import BusyError, CancelledError, upload_message
from disclosure_check.present.export import result_to_dict
from disclosure_check.present.methodology import SUBSECTOR_NAMES, links_for_titles
from disclosure_check.present.report import report_file_stem, report_sections, to_html, to_markdown, to_pdf
from disclosure_check.sanitize import escape_markdown as md
from disclosure_check.store.shares import MAX_CONTACT
from disclosure_check.types import SECTOR_CHOICES, Failure, Given, profile_sector
from ui.auth import header
from ui.client import client_address, client_key
from ui.data import rubric
from ui.labels import GAPS_PER_PAGE, METHODOLOGY_PAGE, gap_page_bounds, level_label
from ui.upload import MAX_UPLOAD_MB, score_upload, share_upload, upload_file_name, upload_slots

STATES = {"met": ("met", st.success), "not_explicit": ("not explicit", st.warning),
          "not_found": ("not found in the text", st.warning), "not_met": ("not met", st.error)}
QUOTES_SHOWN = 3
SECTOR_LABELS = {"bank": "A bank", "building_society": "A building society", "insurer": "An insurer or insurance broker",
                 "asset_manager": "An asset manager or investment firm", "payments": "A payment or e-money firm",
                 "lender": "A lender (consumer credit, leasing, specialist lending)",
                 "financial": "Another financial firm", "retail_consumer": "Retail or consumer goods",
                 "manufacturing": "Manufacturing", "technology": "Technology", "public_sector": "Public sector or charity",
                 "services": "Services", "other": "Another kind of organisation"}

st.title("Check your modern slavery statement")
st.write("Upload your statement (PDF). You will see first whether it meets what the law asks, then how mature "
         "your approach looks against the Commissioner's financial-sector expectations, and what to improve. "
         "**Your file is not stored** unless you choose to share it below.")
st.page_link(METHODOLOGY_PAGE, label="How statements are scored (methodology)", icon=":material/menu_book:")
upload = st.file_uploader(f"Statement (PDF, up to {MAX_UPLOAD_MB} MB)", type=["pdf"], accept_multiple_files=False,
                          max_upload_size=MAX_UPLOAD_MB)
if upload is None:
    st.stop()
if upload.size > MAX_UPLOAD_MB * 2**20:
    st.error(f"The file is {upload.size / 2**20:.1f} MB; the limit is {MAX_UPLOAD_MB} MB. Save a smaller copy "
             "(fewer pages, compressed images) and upload that.")
    st.stop()
data = upload.getvalue()
if not data.startswith(b"%PDF"):
    st.error("This is not a PDF file. Export your statement as PDF and upload it again.")
    st.stop()
name = upload_file_name(upload.name)


@st.cache_data(show_spinner="Reading and scoring your statement…", max_entries=8)
def assess(content: bytes, name: str):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(content)
        return score_upload(path)


slots = upload_slots()
queued = st.empty()
if slots.busy:
    queued.info(f"Other statements are being scored right now ({slots.waiting} waiting). Yours starts by itself "
                "when a place is free: please keep this page open.")
try:
    result = assess(data, name)
except CancelledError:  # the page was left or rerun while scoring: the worker is already stopped
    st.stop()
except BusyError:
    queued.empty()
    st.warning("The service is scoring as many statements as it can right now. Please try again in a few minutes.")
    st.stop()
queued.empty()
if isinstance(result, Failure):
    st.error(upload_message(result.code))
    st.stop()
maturity = result.maturity
assert maturity is not None  # a scored statement always has one
rules = rubric()

WHAT_A_STATEMENT_SAYS = (
    "A modern slavery statement (UK Modern Slavery Act 2015, section 54) says what the organisation did in the "
    "financial year to make sure slavery and human trafficking are not taking place in its business or supply "
    "chains. It is approved by the board and signed by a director, published with a link on the homepage, and "
    "covers: the organisation's structure, business and supply chains; its policies on slavery and human "
    "trafficking; its due diligence; the parts of its business and supply chains where there is a risk, and how it "
    "assesses and manages that risk; how it measures whether its actions work; and the training it gives its staff.")

# What the document is and what kind of firm wrote it: detected, and the business can say otherwise
# (the financial-sector expectations apply to financial firms only; advice follows the sub-sector).
profile = maturity.profile
if profile.doc_type == "other":
    st.warning("**This does not look like a modern slavery statement.** " + md(profile.reason("doc_type")) + ".",
               icon=":material/help:")
    st.markdown(WHAT_A_STATEMENT_SAYS)
    if not st.checkbox("It is our modern slavery statement: check it anyway", key=f"is-statement-{result.doc_id}"):
        st.stop()
    result = apply_given(result, Given(doc_type="statement", source="option", who="you"), rules)
elif profile.section:
    st.info(f"Your statement was found inside a longer document, on pages {profile.section[0]}–{profile.section[1]}: "
            "it was checked from those pages.")
choices = list(SECTOR_CHOICES)
detected = profile_sector(profile)
chosen = st.selectbox("Your organisation is (the financial-sector expectations and the advice follow it)", choices,
                      index=choices.index(detected), key=f"sector-{result.doc_id}",
                      format_func=lambda v: SECTOR_LABELS.get(v, v))
st.caption(f"Detected from your statement: {md(profile.reason('sector'))}" if chosen == detected else
           "Chosen by you: the financial-sector criteria apply only to financial firms.")
if chosen != detected:
    result = apply_given(result, Given(sector=chosen, source="option", who="you"), rules)
maturity = result.maturity
assert maturity is not None
profile = maturity.profile

cols = st.columns(3)
statutory_met = maturity.statutory_met
cols[0].metric("Legal requirements met",
               "n/a" if profile.doc_type != "statement" else "yes" if statutory_met else "no" if statutory_met is False
               else "not shown",
               help="'not shown': the tool could not find every requirement in the text. If your statement meets "
                    "it, say so in plain words (below) so every reader finds it.")
cols[1].metric("Overall maturity", level_label(maturity.overall))
cols[2].metric("Gaps to work on", len(maturity.gaps))

st.header("1. What the law asks")
if profile.doc_type != "statement":
    st.info("The legal checks apply to modern slavery statements; this document is not read as one.")
checks = {c.id: c for c in rules.gate}
for gate in maturity.gate:
    label, show = STATES.get(gate.state, STATES["not_met"])
    with st.container(border=True):
        show(f"**{md(gate.name)}**: {label}" + (f" — {md(gate.reason)}" if gate.reason else ""))
        st.markdown(f"**The law:** {md(gate.requirement)}")
        fix = checks[gate.id].recommendation if gate.id in checks else ""
        if gate.state != "met" and fix:
            st.markdown(f"**What to fix:** {md(fix)}")
        for quote in gate.evidence[:1]:
            st.caption(f"Found on page {quote.page}: “{md(quote.text)}”")
        laws = profile.jurisdictions or (profile.jurisdiction,)
        links = links_for_titles(rules, [rules.sources[s].title for s in rules.advice_sources(checks[gate.id].sources, laws)]
                                 ) if gate.id in checks else []
        if links:
            st.caption("Sources: " + "; ".join(links))

st.header("2. Where you stand")
themes = {t.id: t for t in rules.themes}
# A table, not a dataframe: the descriptors are sentences to read in full, not cells to scroll.
st.table(pd.DataFrame([{"theme": rules.label(t.id), "level": level_label(t.level),
                        "what this level looks like": themes[t.id].descriptors.get(t.level, "") if t.id in themes
                        and t.level is not None else ""} for t in maturity.themes]).set_index("theme"))

st.header("3. What to improve")
gaps = maturity.gaps
if not gaps:
    st.success("No criterion is below the level the rubric treats as established. Well done.")
else:
    page_key = f"gap-page-{result.doc_id}-{profile.subsector}"
    page = st.session_state.get(page_key, 0)
    first, last, pages = gap_page_bounds(len(gaps), page)
    st.caption(f"Showing {first + 1}–{last} of {len(gaps)} gaps, most important first"
               + (f" (advice for {SUBSECTOR_NAMES[profile.subsector]})." if profile.subsector in SUBSECTOR_NAMES
                  else "."))
    for gap in gaps[first:last]:
        with st.expander(f"{md(rules.label(gap.criterion))}: now {md(level_label(gap.level))}"):
            st.markdown(f"**Next level, {md(level_label(gap.next_level))}:** "
                        f"{md(gap.next_level_description or rules.level_descriptor(gap.criterion, gap.next_level))}")
            st.markdown(f"**What to do:** {md(gap.recommendation)}")
            links = links_for_titles(rules, gap.sources)
            if links:
                st.markdown("**Asked for by:** " + "; ".join(links))
    if pages > 1:
        left, middle, right = st.columns([1, 2, 1])
        if left.button("Previous gaps", disabled=first == 0, key=f"{page_key}-prev"):
            st.session_state[page_key] = page - 1
            st.rerun()
        middle.caption(f"Page {first // GAPS_PER_PAGE + 1} of {pages}")
        if right.button("More gaps", disabled=last >= len(gaps), key=f"{page_key}-next"):
            st.session_state[page_key] = page + 1
            st.rerun()

st.header("4. What we found")
st.caption("The sentences that earned each level, with their page, so you can check them against your statement.")
for criterion in maturity.criteria:
    if not criterion.applies or not criterion.evidence:
        continue
    upper = rules.next_level(criterion.level)
    with st.expander(f"{md(rules.label(criterion.id))}: {md(level_label(criterion.level))}"):
        st.markdown(f"**This level means:** {md(rules.level_descriptor(criterion.id, criterion.level))}")
        if upper is not None:
            st.markdown(f"**Next level, {md(level_label(upper))}:** {md(rules.level_descriptor(criterion.id, upper))}")
        for item in criterion.evidence[:QUOTES_SHOWN]:
            status = "" if item.status == "implemented" else f" ({md(item.status)})"
            st.markdown(f"> “{md(item.text)}”  \n> — page {item.page}{status}")

item = result_to_dict(replace(result, maturity=maturity))
item["document"] = name
sections = report_sections(item, rules)
stem = report_file_stem(item)
st.divider()
left, middle, right = st.columns(3)
left.download_button("Download report (Markdown)", to_markdown(sections), f"{stem}.md")
middle.download_button("Download report (HTML)", to_html(sections), f"{stem}.html", "text/html")
with tempfile.TemporaryDirectory() as folder:
    pdf_path = Path(folder) / "report.pdf"
    to_pdf(sections, pdf_path)
    right.download_button("Download report (PDF)", pdf_path.read_bytes(), f"{stem}.pdf", "application/pdf")

st.divider()
share = st.checkbox("Share this statement with the Independent Anti-Slavery Commissioner's office",
                    help="Staff receive a copy of the PDF and these results; they join the Commissioner's "
                         "records only when staff accept them.")
contact = ""
if share:
    st.caption("What is shared: **a copy of the PDF you uploaded and these results**, kept for the Commissioner's "
               "office. Staff check each share before it joins their records.")
    contact = st.text_input("Contact details (optional)", max_chars=MAX_CONTACT,
                            placeholder="Name, role, email or phone",
                            help="So the Commissioner's office can reach you about this statement. Leave it empty "
                                 "to share without them.")
if share and st.button("Share", type="primary"):
    # The visitor's address (behind a trusted proxy: the address it forwarded), as a digest: the
    # per-visitor limit counts against it, so a script cannot reset it by opening a new session.
    peer = st.context.ip_address if isinstance(st.context.ip_address, str) else None
    source = client_key(client_address(peer, header("X-Forwarded-For")))
    outcome = share_upload(result, name, source, content=data, contact=contact)
    (st.success if outcome.shared else st.warning)(outcome.message)
