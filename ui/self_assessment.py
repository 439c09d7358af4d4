"""Self-assessment: a business uploads its statement and sees scores, gaps and recommendations.

Nothing uploaded is stored unless the business shares it; a share waits in a queue until
Commission staff accept it ("Shared statements"), and never replaces a batch-scored record.
"""

from __future__ import annotations

import secrets
import tempfile
from pathlib import Path

import streamlit as st

from disclosure_check.errors import CancelledError
from disclosure_check.export import result_to_dict
from disclosure_check.report import report_sections, to_html, to_markdown, to_pdf
from disclosure_check.sanitize import escape_markdown as md
from disclosure_check.types import Failure
from ui.common import (
    MAX_UPLOAD_MB,
    level_label,
    rubric,
    score_upload,
    share_upload,
    upload_file_name,
)

st.title("Check your modern slavery statement")
st.write("Upload your statement (PDF). You will see what it discloses, how mature your approach looks "
         "against the Commissioner's financial-sector expectations, and what to improve. "
         "**Your file is not stored** unless you choose to share it below.")
upload = st.file_uploader(f"Statement (PDF, up to {MAX_UPLOAD_MB} MB)", type=["pdf"], accept_multiple_files=False,
                          max_upload_size=MAX_UPLOAD_MB)
if upload is None:
    st.stop()
if upload.size > MAX_UPLOAD_MB * 2**20:
    st.error(f"The file is {upload.size / 2**20:.1f} MB; the limit is {MAX_UPLOAD_MB} MB.")
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


try:
    result = assess(data, name)
except CancelledError:  # the page was left or rerun while scoring: the worker is already stopped
    st.stop()
if isinstance(result, Failure):
    st.error(f"We could not read this PDF: {md(result.reason)}")
    st.stop()
item = result_to_dict(result)
item["document"] = name

cols = st.columns(3)
cols[0].metric("Overall maturity", level_label(item.get("overall")))
statutory = item.get("statutory")
cols[1].metric("Legal requirements met", "yes" if statutory and statutory["met"] else "no")
cols[2].metric("Disclosure elements found", sum(e["present"] for e in item["elements"].values()))
if statutory:
    for check in statutory["checks"]:
        state = check.get("state") or ("met" if check["met"] else "not_met")
        show = {"met": st.success, "not_explicit": st.warning}.get(state, st.error)
        label = {"met": "met", "not_explicit": "not explicit"}.get(state, "not found")
        show(f"{md(check['name'])}: {label}" + (f" ({md(check['reason'])})" if check.get("reason") else ""))

st.subheader("Where you stand")
themes = {t.id: t.name for t in rubric().themes}
st.dataframe([{"theme": themes.get(t["id"], t["id"]), "level": level_label(t["level"])} for t in item["themes"]],
             hide_index=True, width="stretch")

st.subheader("What to improve")
criteria = {c.id: c.name for c in rubric().criteria}
for gap in item["gaps"][:8]:
    with st.expander(f"{md(criteria.get(gap['criterion'], gap['criterion']))}: now {md(level_label(gap['level']))}"):
        st.markdown(f"**Next level:** {md(gap['next_level_description'])}")
        st.markdown(f"**What to do:** {md(gap['recommendation'])}")
        st.caption("Asked for by: " + "; ".join(md(s) for s in gap["sources"]))

sections = report_sections(item, rubric())
stem = Path(name).stem
left, middle, right = st.columns(3)
left.download_button("Download report (Markdown)", to_markdown(sections), f"{stem}-report.md")
middle.download_button("Download report (HTML)", to_html(sections), f"{stem}-report.html", "text/html")
with tempfile.TemporaryDirectory() as folder:
    pdf_path = Path(folder) / "report.pdf"
    to_pdf(sections, pdf_path)
    right.download_button("Download report (PDF)", pdf_path.read_bytes(), f"{stem}-report.pdf", "application/pdf")

st.divider()
share = st.checkbox("Share this statement's results with the Independent Anti-Slavery Commissioner's office")
if share and st.button("Share", type="primary"):
    # One random id per browser session: the per-visitor share limit counts against it.
    source = st.session_state.setdefault("share_source", secrets.token_hex(16))
    outcome = share_upload(result, name, source)
    (st.success if outcome.shared else st.warning)(outcome.message)
