"""Self-assessment: a business uploads its statement and sees scores, gaps and recommendations.

Nothing uploaded is stored unless the business ticks the box to share it with the Commissioner's office.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import streamlit as st

from disclosure_check.dashboard import MAX_UPLOAD_MB, db_url, level_label, rubric, scorer
from disclosure_check.export import result_to_dict
from disclosure_check.report import report_sections, to_html, to_markdown, to_pdf
from disclosure_check.store import Store
from disclosure_check.types import Failure

st.title("Check your modern slavery statement")
st.write("Upload your statement (PDF). You will see what it discloses, how mature your approach looks "
         "against the Commissioner's financial-sector expectations, and what to improve. "
         "**Your file is not stored** unless you choose to share it below.")
upload = st.file_uploader("Statement (PDF)", type=["pdf"], accept_multiple_files=False)
if upload is None:
    st.stop()
data = upload.getvalue()
if len(data) > MAX_UPLOAD_MB * 2**20:
    st.error(f"The file is {len(data) / 2**20:.1f} MB; the limit is {MAX_UPLOAD_MB} MB.")
    st.stop()
if not data.startswith(b"%PDF"):
    st.error("This is not a PDF file. Export your statement as PDF and upload it again.")
    st.stop()


@st.cache_data(show_spinner="Reading and scoring your statement…", max_entries=8)
def assess(content: bytes, name: str):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(content)
        return scorer().score_file(path)


result = assess(data, Path(upload.name).name)
if isinstance(result, Failure):
    st.error(f"We could not read this PDF: {result.reason}")
    st.stop()
item = result_to_dict(result)
item["document"] = upload.name

cols = st.columns(3)
cols[0].metric("Overall maturity", level_label(item.get("overall")))
statutory = item.get("statutory")
cols[1].metric("Legal requirements met", "yes" if statutory and statutory["met"] else "no")
cols[2].metric("Disclosure elements found", sum(e["present"] for e in item["elements"].values()))
if statutory:
    for check in statutory["checks"]:
        (st.success if check["met"] else st.error)(f"{check['name']}: {'met' if check['met'] else 'not found'}")

st.subheader("Where you stand")
themes = {t.id: t.name for t in rubric().themes}
st.dataframe([{"theme": themes.get(t["id"], t["id"]), "level": level_label(t["level"])} for t in item["themes"]],
             hide_index=True, width="stretch")

st.subheader("What to improve")
criteria = {c.id: c.name for c in rubric().criteria}
for gap in item["gaps"][:8]:
    with st.expander(f"{criteria.get(gap['criterion'], gap['criterion'])}: now {level_label(gap['level'])}"):
        st.markdown(f"**Next level:** {gap['next_level_description']}")
        st.markdown(f"**What to do:** {gap['recommendation']}")
        st.caption("Asked for by: " + "; ".join(gap["sources"]))

sections = report_sections(item, rubric())
left, middle, right = st.columns(3)
left.download_button("Download report (Markdown)", to_markdown(sections), f"{Path(upload.name).stem}-report.md")
middle.download_button("Download report (HTML)", to_html(sections), f"{Path(upload.name).stem}-report.html",
                       "text/html")
with tempfile.TemporaryDirectory() as folder:
    pdf_path = Path(folder) / "report.pdf"
    to_pdf(sections, pdf_path)
    right.download_button("Download report (PDF)", pdf_path.read_bytes(), f"{Path(upload.name).stem}-report.pdf",
                          "application/pdf")

st.divider()
share = st.checkbox("Share this statement and its results with the Independent Anti-Slavery Commissioner's office")
if share and st.button("Share", type="primary"):
    with Store(db_url()) as store:
        store.save(result, origin="self-assessment")
    st.success("Shared. Thank you.")
